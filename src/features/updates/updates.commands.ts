import { z } from 'zod';
import { arg, defineCommand, zDate, zInt, zList } from '../../core/commands.ts';
import type { CommandContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { MODE_CHOICES } from '../../core/core.i18n.ts';
import { formatDate } from '../../core/i18n.ts';
import type { OutgoingMessage } from '../../core/messages.ts';
import { draftConsultationAction } from '../breaches/index.ts';
import { storedFeedProblem } from './feed-parse.ts';
import { addFeed } from './feeds.service.ts';
import { daysLeft, LIMITS, startOfDay } from './rules.ts';
import { ref, renderResponseMarkdown, renderUpdate, shortFlag, themeList, updateLine } from './updates.render.ts';
import * as svc from './updates.service.ts';

const forumOf = (ctx: CommandContext) => ctx.forum!;
const say = (text: string): OutgoingMessage => ({ text });
const zUrl = z.url({ protocol: /^https?$/, error: 'updates.arg.urlFormat' }).max(LIMITS.link);
const zText = (max: number) => z.string().trim().min(1).max(max);
const zRef = z.string().trim().regex(/^#?[0-9a-fA-F-]{6,36}$/, 'updates.arg.refFormat');
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const DAYS_CY = ['sul', 'llun', 'mawrth', 'mercher', 'iau', 'gwener', 'sadwrn'] as const;
const zDay = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => (DAYS as readonly string[]).includes(s) || (DAYS_CY as readonly string[]).includes(s), 'updates.arg.dayFormat')
  .transform((s) => Math.max(DAYS.indexOf(s as (typeof DAYS)[number]), DAYS_CY.indexOf(s as (typeof DAYS_CY)[number])));

async function ownThemes(ctx: CommandContext) {
  return ctx.db.updateTheme.findMany({ where: { forumId: forumOf(ctx).id } });
}

/** Posts an update or consultation and announces it; the officer's reply notes the Compact check. */
async function post(ctx: CommandContext, input: svc.UpdateInput) {
  const forum = forumOf(ctx);
  const themes = await svc.resolveThemes(ctx.db, ctx.i18n, forum.id, input.themes);
  const stored = await svc.storeUpdate(ctx.db, forum.id, { ...input, themes, authorId: ctx.person.id }, ctx.now());
  if (!stored) throw new AppError('updates.duplicate');
  await svc.announceUpdate(ctx.db, ctx.broadcasts, stored);
  const own = await ownThemes(ctx);
  const lines = [ctx.t(stored.consultation ? 'updates.posted.consultation' : 'updates.posted', { ref: ref(stored.id), themes: themeList(themes, ctx.t, own) })];
  const c = stored.consultation;
  if (c?.shortConsultation) lines.push(shortFlag(c, ctx.t)!, ctx.t('updates.consultation.breachOffer', { ref: ref(stored.id) }));
  else if (c) lines.push(ctx.t('updates.consultation.compactOk', { days: c.lengthDays }));
  const note = say(lines.join('\n'));
  if (c?.shortConsultation) {
    // the officer is offered the compact breach notice, pre-filled, to check and file
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const action = draftConsultationAction({ body: c.runBy, title: stored.title, opensOn: day(c.opensOn), closesOn: day(c.closesOn), link: c.link ?? undefined, consultationId: c.id });
    note.blocks = [{ type: 'section', text: note.text }, { type: 'buttons', buttons: [{ label: ctx.t('updates.consultation.breachButton'), action, style: 'primary' }] }];
  }
  return [{ visibility: 'ephemeral' as const, message: renderUpdate(stored, ctx.t, ctx.locale, own) }, { visibility: 'ephemeral' as const, message: note }];
}

const updatePost = defineCommand({
  names: { en: 'update post', cy: 'diweddariad postio' },
  group: 'updates',
  summary: 'updates.cmd.post',
  args: [
    arg('title', zText(LIMITS.title), 'updates.arg.title', { positional: true, rest: true }),
    arg('themes', zList.pipe(z.array(z.string()).min(1, 'updates.arg.themesMissing')), 'updates.arg.themes'),
    arg('body', zText(LIMITS.body).optional(), 'updates.arg.body'),
    arg('link', zUrl.optional(), 'updates.arg.link'),
    arg('partnership', zText(160).optional(), 'updates.arg.partnership'),
  ],
  examples: {
    en: ['update post SIP priorities agreed for 2027 themes="sip, health" body="The LSB agreed three priorities…" link=https://example.org/sip'],
    cy: ['diweddariad postio Blaenoriaethau’r CIS 2027 themes="sip, health" body="Cytunodd y BGLl…"'],
  },
  permission: 'officer',
  needsForum: true,
  run: (ctx, a) => post(ctx, { title: a.title, themes: a.themes, body: a.body, link: a.link, partnership: a.partnership }),
});

const consultationPost = defineCommand({
  names: { en: 'consultation post', cy: 'ymgynghoriad postio' },
  group: 'updates',
  summary: 'updates.cmd.consultationPost',
  args: [
    arg('title', zText(LIMITS.title), 'updates.arg.title', { positional: true, rest: true }),
    arg('by', zText(LIMITS.runBy), 'updates.arg.by'),
    arg('opens', zDate, 'updates.arg.opens'),
    arg('closes', zDate, 'updates.arg.closes'),
    arg('themes', zList.pipe(z.array(z.string()).min(1, 'updates.arg.themesMissing')), 'updates.arg.themes'),
    arg('link', zUrl.optional(), 'updates.arg.link'),
    arg('body', zText(LIMITS.body).optional(), 'updates.arg.body'),
    arg('partnership', zText(160).optional(), 'updates.arg.partnership'),
  ],
  examples: {
    en: ['consultation post Review of day services by="Powys County Council" opens=2027-01-04 closes=2027-03-29 themes=health link=https://example.org/consult'],
    cy: ['ymgynghoriad postio Adolygiad gwasanaethau dydd by="Cyngor Sir Powys" opens=2027-01-04 closes=2027-03-29 themes=health'],
  },
  permission: 'officer',
  needsForum: true,
  run: (ctx, a) =>
    post(ctx, { title: a.title, themes: a.themes, body: a.body, link: a.link, partnership: a.partnership, consultation: { runBy: a.by, opensOn: a.opens, closesOn: a.closes, link: a.link } }),
});

const updatesList = defineCommand({
  names: { en: 'updates', cy: 'diweddariadau' },
  group: 'updates',
  summary: 'updates.cmd.list',
  args: [arg('theme', z.string().optional(), 'updates.arg.theme', { positional: true, rest: true })],
  examples: { en: ['updates', 'updates health'], cy: ['diweddariadau', 'diweddariadau iechyd'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const forum = forumOf(ctx);
    const theme = a.theme ? (await svc.resolveThemes(ctx.db, ctx.i18n, forum.id, [a.theme]))[0] : undefined;
    const rows = await ctx.db.update.findMany({
      where: { forumId: forum.id, quiet: false },
      include: { consultation: true },
      orderBy: { postedAt: 'desc' },
      take: theme ? 200 : 10,
    });
    const list = (theme ? rows.filter((u) => u.themes.includes(theme)) : rows).slice(0, 10);
    if (!list.length) return say(ctx.t('updates.list.none'));
    const own = await ownThemes(ctx);
    return say([ctx.t('updates.list.heading', { forum: forum.name }), ...list.map((u) => updateLine(u, ctx.t, ctx.locale, own, ctx.now()))].join('\n'));
  },
});

const subscribe = defineCommand({
  names: { en: 'updates subscribe', cy: 'diweddariadau tanysgrifio' },
  group: 'updates',
  summary: 'updates.cmd.subscribe',
  args: [
    arg('themes', zList.optional(), 'updates.arg.subThemes', { positional: true, rest: true }),
    arg('mode', z.enum(['immediate', 'digest']).optional(), 'updates.arg.mode', { choices: MODE_CHOICES }),
  ],
  examples: { en: ['updates subscribe themes="health, environment" mode=digest', 'updates subscribe all'], cy: ['diweddariadau tanysgrifio themes="health" mode=digest'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const forum = forumOf(ctx);
    const words = a.themes ?? ['all'];
    const all = words.some((w) => /^(all|pob|popeth)$/i.test(w));
    const themes = all ? [] : await svc.resolveThemes(ctx.db, ctx.i18n, forum.id, words);
    const sub = await svc.subscribe(ctx.db, forum.id, ctx.person.id, { all, themes, mode: a.mode ? (a.mode === 'digest' ? 'DIGEST' : 'IMMEDIATE') : undefined });
    const own = await ownThemes(ctx);
    return {
      visibility: 'ephemeral',
      message: say(
        ctx.t(sub.mode === 'DIGEST' ? 'updates.subscribed.digest' : 'updates.subscribed.immediate', {
          themes: sub.allThemes ? ctx.t('updates.theme.all') : themeList(sub.themes, ctx.t, own),
        }),
      ),
    };
  },
});

const unsubscribe = defineCommand({
  names: { en: 'updates unsubscribe', cy: 'diweddariadau dad-danysgrifio' },
  group: 'updates',
  summary: 'updates.cmd.unsubscribe',
  args: [],
  examples: { en: ['updates unsubscribe'], cy: ['diweddariadau dad-danysgrifio'] },
  permission: 'member',
  needsForum: true,
  async run(ctx) {
    const had = await svc.unsubscribe(ctx.db, forumOf(ctx).id, ctx.person.id);
    return { visibility: 'ephemeral', message: say(ctx.t(had ? 'updates.unsubscribed' : 'updates.notSubscribed')) };
  },
});

const themes = defineCommand({
  names: { en: 'update themes', cy: 'diweddariad themau' },
  group: 'updates',
  summary: 'updates.cmd.themes',
  args: [],
  examples: { en: ['update themes'], cy: ['diweddariad themau'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx) {
    const own = await ownThemes(ctx);
    const labels = await svc.forumThemes(ctx.db, ctx.i18n, forumOf(ctx).id);
    return say([ctx.t('updates.themes.heading'), ...labels.map((l) => `• ${l.key}: ${themeList([l.key], ctx.t, own)}`)].join('\n'));
  },
});

const themeAdd = defineCommand({
  names: { en: 'update theme add', cy: 'diweddariad thema ychwanegu' },
  group: 'updates',
  summary: 'updates.cmd.themeAdd',
  args: [arg('name', zText(LIMITS.themeName).pipe(z.string().min(2)), 'updates.arg.themeName', { positional: true, rest: true })],
  examples: { en: ['update theme add Rural transport'], cy: ['diweddariad thema ychwanegu Trafnidiaeth wledig'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const theme = await svc.addTheme(ctx.db, forumOf(ctx).id, a.name);
    return say(ctx.t('updates.themes.added', { name: theme.name, key: theme.key }));
  },
});

const settings = defineCommand({
  names: { en: 'updates settings', cy: 'diweddariadau gosodiadau' },
  group: 'updates',
  summary: 'updates.cmd.settings',
  args: [arg('day', zDay.optional(), 'updates.arg.day'), arg('hour', zInt(0, 23).optional(), 'updates.arg.hour')],
  examples: { en: ['updates settings day=friday hour=12'], cy: ['diweddariadau gosodiadau day=gwener hour=12'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const forumId = forumOf(ctx).id;
    await svc.settingsOf(ctx.db, forumId);
    const s = await ctx.db.updateSettings.update({ where: { forumId }, data: { digestWeekday: a.day, digestHour: a.hour } });
    return say(ctx.t('updates.settings.saved', { day: ctx.t(`updates.day.${s.digestWeekday as 0 | 1 | 2 | 3 | 4 | 5 | 6}`), hour: String(s.digestHour).padStart(2, '0') }));
  },
});

const feedAdd = defineCommand({
  names: { en: 'update feed add', cy: 'diweddariad ffrwd ychwanegu' },
  group: 'updates',
  summary: 'updates.cmd.feedAdd',
  args: [
    arg('url', zUrl, 'updates.arg.feedUrl', { positional: true }),
    arg('themes', zList.pipe(z.array(z.string()).min(1, 'updates.arg.themesMissing')), 'updates.arg.themes'),
    arg('label', zText(80).optional(), 'updates.arg.label'),
  ],
  examples: { en: ['update feed add https://example.org/lsb/news.rss themes=sip label="Powys LSB news"'], cy: ['diweddariad ffrwd ychwanegu https://example.org/lsb/news.rss themes=sip'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const forumId = forumOf(ctx).id;
    const keys = await svc.resolveThemes(ctx.db, ctx.i18n, forumId, a.themes);
    const feed = await addFeed(ctx.db, forumId, { url: a.url, label: a.label, themes: keys }, ctx.now());
    return say(ctx.t('updates.feed.added', { url: feed.url }));
  },
});

const feedRemove = defineCommand({
  names: { en: 'update feed remove', cy: 'diweddariad ffrwd dileu' },
  group: 'updates',
  summary: 'updates.cmd.feedRemove',
  args: [arg('url', z.string().trim().min(1).max(LIMITS.link), 'updates.arg.feedUrl', { positional: true })],
  examples: { en: ['update feed remove https://example.org/lsb/news.rss'], cy: ['diweddariad ffrwd dileu https://example.org/lsb/news.rss'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const r = await ctx.db.updateFeed.deleteMany({ where: { forumId: forumOf(ctx).id, url: a.url } });
    if (!r.count) throw new AppError('updates.feed.notFound', { url: a.url });
    return say(ctx.t('updates.feed.removed', { url: a.url }));
  },
});

const feeds = defineCommand({
  names: { en: 'update feeds', cy: 'diweddariad ffrydiau' },
  group: 'updates',
  summary: 'updates.cmd.feeds',
  args: [],
  examples: { en: ['update feeds'], cy: ['diweddariad ffrydiau'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx) {
    const rows = await ctx.db.updateFeed.findMany({ where: { forumId: forumOf(ctx).id }, orderBy: { createdAt: 'asc' } });
    const problem = (stored: unknown) => {
      const p = storedFeedProblem(stored);
      return ctx.t(p.key, p.params);
    };
    if (!rows.length) return say(ctx.t('updates.feed.none'));
    const lines = rows.map((f) =>
      f.failures
        ? ctx.t('updates.feed.lineFailing', { url: f.url, failures: f.failures, error: problem(f.lastProblem), next: formatDate(f.nextPollAt, ctx.locale, true) })
        : ctx.t('updates.feed.lineOk', { url: f.url, last: f.lastOkAt ? formatDate(f.lastOkAt, ctx.locale, true) : ctx.t('updates.feed.never') }),
    );
    return say(lines.join('\n'));
  },
});

const webhook = defineCommand({
  names: { en: 'update webhook', cy: 'diweddariad bachyn' },
  group: 'updates',
  summary: 'updates.cmd.webhook',
  args: [],
  examples: { en: ['update webhook'], cy: ['diweddariad bachyn'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx) {
    const forum = forumOf(ctx);
    const secret = await svc.newWebhookSecret(ctx.db, forum.id);
    return { visibility: 'direct', message: say(ctx.t('updates.webhook.created', { path: `/hooks/updates/${forum.slug}`, secret })) };
  },
});

const consultations = defineCommand({
  names: { en: 'consultations', cy: 'ymgynghoriadau' },
  group: 'updates',
  summary: 'updates.cmd.consultations',
  args: [
    arg('short', z.enum(['short', 'byr']).transform(() => 'short' as const).optional(), 'updates.arg.short', {
      positional: true,
      choices: { short: 'updates.choice.short', byr: 'updates.choice.short' },
    }),
  ],
  examples: { en: ['consultations', 'consultations short'], cy: ['ymgynghoriadau', 'ymgynghoriadau byr'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const forumId = forumOf(ctx).id;
    const now = ctx.now();
    if (a.short) {
      const rows = await svc.shortConsultationsAwaitingNotice(ctx.db, forumId);
      if (!rows.length) return say(ctx.t('updates.consultations.noShort'));
      return say([ctx.t('updates.consultations.shortHeading'), ...rows.map((c) => ctx.t('updates.consultations.shortLine', { title: c.update.title, runBy: c.runBy, days: c.lengthDays, ref: ref(c.updateId) }))].join('\n'));
    }
    const rows = await ctx.db.update.findMany({
      where: { forumId, consultation: { closesOn: { gte: startOfDay(now) } } },
      include: { consultation: { include: { _count: { select: { views: true } } } } },
      orderBy: { consultation: { closesOn: 'asc' } },
      take: 20,
    });
    if (!rows.length) return say(ctx.t('updates.consultations.none'));
    const lines = rows.map((u) =>
      ctx.t('updates.consultations.line', {
        title: u.title,
        runBy: u.consultation!.runBy,
        closes: formatDate(u.consultation!.closesOn, ctx.locale),
        left: daysLeft(u.consultation!.closesOn, now),
        views: u.consultation!._count.views,
        ref: ref(u.id),
      }) + (u.consultation!.shortConsultation ? ` ${ctx.t('updates.line.short', { days: u.consultation!.lengthDays })}` : ''),
    );
    return say([ctx.t('updates.consultations.heading'), ...lines].join('\n'));
  },
});

const respond = defineCommand({
  names: { en: 'consultation respond', cy: 'ymgynghoriad ymateb' },
  group: 'updates',
  summary: 'updates.cmd.respond',
  args: [arg('ref', zRef, 'updates.arg.ref', { positional: true })],
  examples: { en: ['consultation respond 1a2b3c4d'], cy: ['ymgynghoriad ymateb 1a2b3c4d'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const forumId = forumOf(ctx).id;
    const { update, consultation } = await svc.findConsultation(ctx.db, forumId, a.ref);
    const mine = await ctx.db.consultationView.findUnique({ where: { consultationId_personId: { consultationId: consultation.id, personId: ctx.person.id } } });
    const org = ctx.membership?.organisationId ? await ctx.db.organisation.findUnique({ where: { id: ctx.membership.organisationId } }) : null;
    const title = ctx.t('updates.view.formTitle', { title: update.title });
    return {
      visibility: 'ephemeral',
      message: {
        text: title,
        blocks: [
          {
            type: 'form',
            form: {
              id: `view-${ref(update.id)}`,
              title,
              submitLabel: ctx.t('updates.view.submit'),
              fields: [
                { kind: 'textarea', name: 'text', label: ctx.t('updates.view.textLabel', { closes: formatDate(consultation.closesOn, ctx.locale) }), required: true, maxLength: LIMITS.view, value: mine?.text },
                { kind: 'text', name: 'organisation', label: ctx.t('updates.view.orgLabel'), maxLength: 120, value: mine?.organisation ?? org?.name },
              ],
              submit: { command: 'consultation view', args: { ref: ref(update.id) } },
            },
          },
        ],
      },
    };
  },
});

const view = defineCommand({
  names: { en: 'consultation view', cy: 'ymgynghoriad barn' },
  group: 'updates',
  summary: 'updates.cmd.view',
  args: [
    arg('ref', zRef, 'updates.arg.ref', { positional: true }),
    arg('text', zText(LIMITS.view), 'updates.arg.viewText', { positional: true, rest: true }),
    arg('organisation', z.string().trim().max(120).optional(), 'updates.arg.organisation'),
  ],
  examples: { en: ['consultation view 1a2b3c4d The proposal would close two day centres…'], cy: ['ymgynghoriad barn 1a2b3c4d Byddai’r cynnig yn cau dwy ganolfan ddydd…'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const r = await svc.addView(ctx.db, forumOf(ctx).id, a.ref, ctx.person.id, { text: a.text, organisation: a.organisation }, ctx.now());
    return { visibility: 'ephemeral', message: say(ctx.t(r.replaced ? 'updates.view.replaced' : 'updates.view.saved', { title: r.update.title, closes: formatDate(r.consultation.closesOn, ctx.locale) })) };
  },
});

const exportResponse = defineCommand({
  names: { en: 'consultation export', cy: 'ymgynghoriad allforio' },
  group: 'updates',
  summary: 'updates.cmd.export',
  args: [arg('ref', zRef, 'updates.arg.ref', { positional: true })],
  examples: { en: ['consultation export 1a2b3c4d'], cy: ['ymgynghoriad allforio 1a2b3c4d'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const forum = forumOf(ctx);
    const { update, consultation } = await svc.findConsultation(ctx.db, forum.id, a.ref);
    const views = await ctx.db.consultationView.findMany({ where: { consultationId: consultation.id }, include: { person: true }, orderBy: { createdAt: 'asc' } });
    const now = ctx.now();
    const md = renderResponseMarkdown({ ...update, consultation }, views, ctx.t, ctx.locale, forum.name, now);
    await ctx.db.consultation.update({ where: { id: consultation.id }, data: { exportedAt: now } });
    return { visibility: 'ephemeral', message: { text: md, blocks: [{ type: 'section', text: md }] } };
  },
});

const outcome = defineCommand({
  names: { en: 'consultation outcome', cy: 'ymgynghoriad canlyniad' },
  group: 'updates',
  summary: 'updates.cmd.outcome',
  args: [
    arg('ref', zRef, 'updates.arg.ref', { positional: true }),
    arg('text', zText(LIMITS.outcome), 'updates.arg.outcomeText', { positional: true, rest: true }),
    arg('link', zUrl.optional(), 'updates.arg.link'),
  ],
  examples: { en: ['consultation outcome 1a2b3c4d The council kept both day centres open link=https://example.org/decision'], cy: ['ymgynghoriad canlyniad 1a2b3c4d Cadwodd y cyngor y ddwy ganolfan ar agor'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const forumId = forumOf(ctx).id;
    const r = await svc.recordOutcome(ctx.db, forumId, a.ref, ctx.person.id, { text: a.text, link: a.link }, ctx.now());
    if (r.respondents.length) {
      await ctx.broadcasts.broadcast(
        forumId,
        'consultation-outcome',
        (t) => say(t('updates.outcome.told', { title: r.update.title, runBy: r.consultation.runBy, outcome: r.consultation.outcome ?? '', link: r.consultation.outcomeLink ?? '' }).trim()),
        { onlyPeople: r.respondents, dedupeKey: `consultation:${r.consultation.id}:outcome:${r.consultation.outcomeAt?.getTime()}` },
      );
    }
    return say(ctx.t('updates.outcome.recorded', { title: r.update.title, count: r.respondents.length }));
  },
});

const publishJoint = defineCommand({
  names: { en: 'consultation publish', cy: 'ymgynghoriad cyhoeddi' },
  group: 'updates',
  summary: 'updates.cmd.publish',
  args: [
    arg('ref', zRef, 'updates.arg.ref', { positional: true }),
    arg('text', zText(LIMITS.outcome), 'updates.arg.responseText', { positional: true, rest: true }),
    arg('link', zUrl.optional(), 'updates.arg.link'),
  ],
  examples: {
    en: ['consultation publish 1a2b3c4d The forum asked for the day centres to stay open and for a 12-week consultation link=https://example.org/our-response'],
    cy: ['ymgynghoriad cyhoeddi 1a2b3c4d Gofynnodd y fforwm i’r canolfannau dydd aros ar agor'],
  },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const r = await svc.publishResponse(ctx.db, forumOf(ctx).id, a.ref, { summary: a.text, link: a.link }, ctx.now());
    return say(ctx.t('updates.response.published', { title: r.update.title }));
  },
});

export const updatesCommands = [
  updatePost,
  consultationPost,
  updatesList,
  subscribe,
  unsubscribe,
  themes,
  themeAdd,
  settings,
  feedAdd,
  feedRemove,
  feeds,
  webhook,
  consultations,
  respond,
  view,
  exportResponse,
  outcome,
  publishJoint,
];
