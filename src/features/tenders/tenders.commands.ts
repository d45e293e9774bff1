import { z } from 'zod';
import { arg, defineCommand, zList } from '../../core/commands.ts';
import type { CommandContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { MODE_CHOICES, ON_OFF_CHOICES } from '../../core/core.i18n.ts';
import { formatDate } from '../../core/i18n.ts';
import type { Block, OutgoingMessage } from '../../core/messages.ts';
import { VALUE_BANDS, type ValueBand } from './rules/matching.ts';
import { markInterest, recordConsent, withdrawInterest } from './tenders.consortia.ts';
import { alertMessage, refOf, valueText } from './tenders.render.ts';
import { zAmount, zBands, zCpv, zDeadline, zLink, zLots, zRoute, zValue, zYesNo } from './tenders.schemas.ts';
import { amendAlert, findAlert, postAlert } from './tenders.service.ts';

const say = (text: string, blocks?: Block[]): OutgoingMessage => (blocks ? { text, blocks } : { text });
const forumOf = (ctx: CommandContext) => ctx.forum!;
const text = (max: number) => z.string().trim().min(2).max(max);

type PostArgs = {
  title: string; buyer?: string; description?: string; value?: { min: number | null; max: number }; lots?: { id: string; title: string; value: { amount: number; currency: string } }[];
  deadline: Date; eoi?: Date; route: string; themes: string[]; areas: string[]; cpv: string[]; consortia?: boolean; link?: string; renewal?: Date;
};

const postArgs = [
  arg('title', text(200), 'tenders.arg.title', { positional: true, rest: true }),
  arg('buyer', text(200).optional(), 'tenders.arg.buyer'),
  arg('description', z.string().trim().max(4000).optional(), 'tenders.arg.description'),
  arg('value', zValue.optional(), 'tenders.arg.value'),
  arg('lots', zLots.optional(), 'tenders.arg.lots'),
  arg('deadline', zDeadline, 'tenders.arg.deadline'),
  arg('eoi', zDeadline.optional(), 'tenders.arg.eoi'),
  arg('route', zRoute.default('open'), 'tenders.arg.route', {
    choices: {
      open: 'tenders.route.open',
      restricted: 'tenders.choice.route.restricted',
      invitation: 'tenders.choice.route.invitation',
      framework: 'tenders.route.framework',
      'approved-list': 'tenders.route.approved-list',
      grant: 'tenders.route.grant',
    },
  }),
  arg('themes', zList.default([]), 'tenders.arg.themes'),
  arg('areas', zList.default([]), 'tenders.arg.areas'),
  arg('cpv', zCpv.default([]), 'tenders.arg.cpv'),
  arg('consortia', zYesNo.optional(), 'tenders.arg.consortia'),
  arg('link', zLink.optional(), 'tenders.arg.link'),
  arg('renewal', zDeadline.optional(), 'tenders.arg.renewal'),
];

const tenderPost = defineCommand({
  names: { en: 'tender post', cy: 'tendr postio' },
  group: 'tenders',
  summary: 'tenders.cmd.post',
  args: postArgs,
  examples: {
    en: ['tender post Domiciliary care in Radnorshire buyer="Powys County Council" value=20000-60000 deadline=2027-01-15 route=open themes="health, older people" areas=Radnorshire consortia=yes link=https://www.sell2wales.gov.wales/notice/1'],
    cy: ['tendr postio Gofal cartref yn Sir Faesyfed buyer="Cyngor Sir Powys" value=20000-60000 deadline=2027-01-15 themes="iechyd" consortia=yes'],
  },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const { alert, recipients } = await postAlert(
      ctx,
      forumOf(ctx).id,
      {
        title: a.title, buyer: a.buyer, description: a.description, valueAmount: a.value?.max ?? null, minValueAmount: a.value?.min ?? null,
        currency: a.value || a.lots ? 'GBP' : null, lots: a.lots, deadline: a.deadline, enquiryDeadline: a.eoi ?? null, route: a.route,
        themes: a.themes, areas: a.areas, cpv: a.cpv, consortiaWelcome: a.consortia ?? null, link: a.link ?? null, renewalDate: a.renewal ?? null,
      },
      ctx.person.id,
    );
    return say(
      ctx.t('tenders.post.done', {
        ref: refOf(alert),
        channels: recipients.channels.length,
        people: recipients.people.length,
        digest: recipients.digestChannels.length + recipients.digestPeople.length,
      }),
    );
  },
});

/** The same, as a form, for platforms that show one (and step by step where they do not). */
const tenderNew = defineCommand({
  names: { en: 'tender new', cy: 'tendr newydd' },
  group: 'tenders',
  summary: 'tenders.cmd.new',
  args: [],
  examples: { en: ['tender new'], cy: ['tendr newydd'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx) {
    const t = ctx.t;
    return say(t('tenders.form.title'), [
      {
        type: 'form',
        form: {
          id: 'tender-new',
          title: t('tenders.form.title'),
          submitLabel: t('tenders.form.submit'),
          submit: { command: 'tender post' },
          fields: [
            { kind: 'text', name: 'title', label: t('tenders.arg.title'), required: true, maxLength: 200 },
            { kind: 'text', name: 'buyer', label: t('tenders.arg.buyer'), maxLength: 200 },
            { kind: 'textarea', name: 'description', label: t('tenders.arg.description'), maxLength: 4000 },
            { kind: 'text', name: 'value', label: t('tenders.arg.value') },
            { kind: 'date', name: 'deadline', label: t('tenders.arg.deadline'), required: true },
            { kind: 'date', name: 'eoi', label: t('tenders.arg.eoi') },
            { kind: 'select', name: 'route', label: t('tenders.arg.route'), options: (['open', 'restricted', 'framework', 'approved-list', 'grant'] as const).map((r) => ({ label: t(`tenders.route.${r}`), value: r })) },
            { kind: 'text', name: 'themes', label: t('tenders.arg.themes') },
            { kind: 'text', name: 'areas', label: t('tenders.arg.areas') },
            { kind: 'select', name: 'consortia', label: t('tenders.arg.consortia'), options: [{ label: t('tenders.yes'), value: 'yes' }, { label: t('tenders.no'), value: 'no' }] },
            { kind: 'text', name: 'link', label: t('tenders.arg.link') },
          ],
        },
      },
    ]);
  },
});

const tenderList = defineCommand({
  names: { en: 'tenders', cy: 'tendrau' },
  group: 'tenders',
  summary: 'tenders.cmd.list',
  args: [],
  examples: { en: ['tenders'], cy: ['tendrau'] },
  permission: 'member',
  needsForum: true,
  async run(ctx) {
    const open = await ctx.db.tenderAlert.findMany({ where: { forumId: forumOf(ctx).id, status: 'open' }, orderBy: [{ deadline: 'asc' }, { number: 'asc' }], take: 25 });
    if (open.length === 0) return say(ctx.t('tenders.list.none'));
    const lines = open.map((a) =>
      ctx.t('tenders.digest.line', { ref: refOf(a), title: a.title, buyer: a.buyer ?? '—', value: valueText(a, ctx.t, ctx.locale), deadline: a.deadline ? formatDate(a.deadline, ctx.locale) : ctx.t('tenders.deadline.none') }),
    );
    const title = ctx.t('tenders.list.title', { forum: forumOf(ctx).name });
    return say([title, ...lines, ctx.t('tenders.list.footer')].join('\n'), [{ type: 'header', text: title }, { type: 'section', text: lines.join('\n') }, { type: 'section', text: ctx.t('tenders.list.footer') }]);
  },
});

const RENEWAL_WINDOW_MS = 548 * 24 * 3600_000; // about 18 months

/** Planning notices, and contracts coming up for renewal in the next 18 months: never the open list. */
const tenderPipeline = defineCommand({
  names: { en: 'tenders pipeline', cy: 'tendrau ar y gweill' },
  group: 'tenders',
  summary: 'tenders.cmd.pipeline',
  args: [],
  examples: { en: ['tenders pipeline'], cy: ['tendrau ar y gweill'] },
  permission: 'member',
  needsForum: true,
  async run(ctx) {
    const now = ctx.now();
    const forumId = forumOf(ctx).id;
    const rows = await ctx.db.tenderAlert.findMany({
      where: {
        forumId,
        OR: [{ status: 'pipeline' }, { status: { in: ['awarded', 'closed'] }, renewalDate: { gt: now, lte: new Date(now.getTime() + RENEWAL_WINDOW_MS) } }],
      },
      orderBy: [{ renewalDate: 'asc' }, { number: 'asc' }],
      take: 25,
    });
    if (rows.length === 0) return say(ctx.t('tenders.pipeline.none'));
    const lines = rows.map((a) =>
      ctx.t('tenders.pipeline.line', {
        ref: refOf(a),
        title: a.title,
        buyer: a.buyer ?? '—',
        when: a.status === 'pipeline' ? ctx.t('tenders.pipeline.planned') : ctx.t('tenders.pipeline.renewal', { date: formatDate(a.renewalDate!, ctx.locale) }),
      }),
    );
    const title = ctx.t('tenders.pipeline.title', { forum: forumOf(ctx).name });
    const footer = ctx.t('tenders.pipeline.footer');
    return say([title, ...lines, footer].join('\n'), [{ type: 'header', text: title }, { type: 'section', text: lines.join('\n') }, { type: 'section', text: footer }]);
  },
});

const refArg = arg('ref', z.string().trim().min(1).max(40), 'tenders.arg.ref', { positional: true });
const alertFor = (ctx: CommandContext, ref: string) => findAlert(ctx.db, ref, /^[0-9a-f-]{36}$/i.test(ref) ? null : ctx.forum?.id ?? null);

const tenderShow = defineCommand({
  names: { en: 'tender show', cy: 'tendr dangos' },
  group: 'tenders',
  summary: 'tenders.cmd.show',
  args: [refArg],
  examples: { en: ['tender show T3'], cy: ['tendr dangos T3'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const alert = await alertFor(ctx, a.ref);
    const awards = await ctx.db.tenderAward.findMany({ where: { alertId: alert.id }, orderBy: { awardId: 'asc' } });
    return alertMessage({ ...alert, awards }, ctx.t, ctx.locale);
  },
});

const interest = (consortium: boolean) =>
  defineCommand({
    names: consortium ? { en: 'tender consortium', cy: 'tendr consortiwm' } : { en: 'tender interested', cy: 'tendr diddordeb' },
    group: 'tenders',
    summary: consortium ? 'tenders.cmd.consortium' : 'tenders.cmd.interested',
    args: [refArg],
    examples: consortium ? { en: ['tender consortium T3'], cy: ['tendr consortiwm T3'] } : { en: ['tender interested T3'], cy: ['tendr diddordeb T3'] },
    permission: 'anyone',
    needsForum: false,
    async run(ctx, a) {
      const alert = await alertFor(ctx, a.ref);
      const { asked } = await markInterest(ctx, alert, ctx.person.id, consortium);
      const key = consortium ? (asked ? 'tenders.interest.consortiumAsked' : 'tenders.interest.consortium') : 'tenders.interest.done';
      return { visibility: 'ephemeral', message: say(ctx.t(key, { ref: refOf(alert), title: alert.title })) };
    },
  });

const tenderWithdraw = defineCommand({
  names: { en: 'tender withdraw', cy: 'tendr tynnu’n ôl' },
  group: 'tenders',
  summary: 'tenders.cmd.withdraw',
  args: [refArg],
  examples: { en: ['tender withdraw T3'], cy: ['tendr tynnu’n ôl T3'] },
  permission: 'anyone',
  needsForum: false,
  async run(ctx, a) {
    const alert = await alertFor(ctx, a.ref);
    const removed = await withdrawInterest(ctx, alert, ctx.person.id);
    return { visibility: 'ephemeral', message: say(ctx.t(removed ? 'tenders.interest.withdrawn' : 'tenders.interest.none', { ref: refOf(alert) })) };
  },
});

const tenderConsent = defineCommand({
  names: { en: 'tender consent', cy: 'tendr caniatâd' },
  group: 'tenders',
  summary: 'tenders.cmd.consent',
  args: [refArg, arg('answer', zYesNo, 'tenders.arg.answer', { positional: true })],
  examples: { en: ['tender consent T3 yes'], cy: ['tendr caniatâd T3 yes'] },
  permission: 'anyone',
  needsForum: false,
  hidden: true,
  async run(ctx, a) {
    const alert = await alertFor(ctx, a.ref);
    const introduced = await recordConsent(ctx, alert, ctx.person.id, a.answer);
    const key = !a.answer ? 'tenders.consent.declined' : introduced ? 'tenders.consent.introduced' : 'tenders.consent.waiting';
    return { visibility: 'ephemeral', message: say(ctx.t(key, { ref: refOf(alert) })) };
  },
});

const tenderAmend = defineCommand({
  names: { en: 'tender amend', cy: 'tendr diwygio' },
  group: 'tenders',
  summary: 'tenders.cmd.amend',
  args: [refArg, arg('deadline', zDeadline.optional(), 'tenders.arg.deadline'), arg('eoi', zDeadline.optional(), 'tenders.arg.eoi'), arg('value', zValue.optional(), 'tenders.arg.value')],
  examples: { en: ['tender amend T3 deadline=2027-01-22'], cy: ['tendr diwygio T3 deadline=2027-01-22'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    if (!a.deadline && !a.eoi && !a.value) throw new AppError('tenders.amend.nothing');
    const alert = await alertFor(ctx, a.ref);
    const r = await amendAlert(ctx, alert, { deadline: a.deadline, enquiryDeadline: a.eoi, valueAmount: a.value?.max, minValueAmount: a.value?.min ?? undefined });
    return say(ctx.t('tenders.amend.done', { ref: refOf(alert), people: r.told }));
  },
});

const tenderCancel = defineCommand({
  names: { en: 'tender cancel', cy: 'tendr canslo' },
  group: 'tenders',
  summary: 'tenders.cmd.cancel',
  args: [refArg],
  examples: { en: ['tender cancel T3'], cy: ['tendr canslo T3'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const alert = await alertFor(ctx, a.ref);
    const r = await amendAlert(ctx, alert, { cancel: true });
    return say(ctx.t('tenders.cancel.done', { ref: refOf(alert), people: r.told }));
  },
});

type SubArgs = { themes?: string[]; areas?: string[]; bands?: ValueBand[]; keywords?: string[]; unvalued?: boolean; renewals?: boolean; mode?: 'immediate' | 'digest' };
const filterArgs = [
  arg('themes', zList.optional(), 'tenders.arg.themes'),
  arg('areas', zList.optional(), 'tenders.arg.areas'),
  arg('bands', zBands.optional(), 'tenders.arg.bands'),
  arg('keywords', zList.optional(), 'tenders.arg.keywords'),
  arg('unvalued', zYesNo.optional(), 'tenders.arg.unvalued'),
  arg('renewals', zYesNo.optional(), 'tenders.arg.renewals'),
];

export function filterSummary(ctx: CommandContext, s: { themes: string[]; areas: string[]; valueBands: string[]; keywords: string[] }): string {
  const any = ctx.t('tenders.filter.any');
  const bands = s.valueBands.map((b) => ctx.t(`tenders.band.${b as ValueBand}`));
  return ctx.t('tenders.filter.summary', {
    themes: s.themes.join(', ') || any,
    areas: s.areas.join(', ') || any,
    bands: bands.join(', ') || any,
    keywords: s.keywords.join(', ') || any,
  });
}

const subData = (a: SubArgs) => ({
  ...(a.themes ? { themes: a.themes } : {}),
  ...(a.areas ? { areas: a.areas } : {}),
  ...(a.bands ? { valueBands: a.bands } : {}),
  ...(a.keywords ? { keywords: a.keywords } : {}),
  ...(a.unvalued !== undefined ? { includeUnvalued: a.unvalued } : {}),
  ...(a.renewals !== undefined ? { earlyNotice: a.renewals } : {}),
  ...(a.mode ? { mode: a.mode } : {}),
});

const subscribe = defineCommand({
  names: { en: 'tenders subscribe', cy: 'tendrau tanysgrifio' },
  group: 'tenders',
  summary: 'tenders.cmd.subscribe',
  args: [...filterArgs, arg('mode', z.enum(['immediate', 'digest']).optional(), 'tenders.arg.mode', { choices: MODE_CHOICES })],
  examples: { en: ['tenders subscribe themes="health, older people" bands="5k-25k, 25k-100k" keywords="care, respite" renewals=yes'], cy: ['tendrau tanysgrifio themes="iechyd" bands="under-5k" mode=digest'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const forumId = forumOf(ctx).id;
    const sub = await ctx.db.tenderSubscription.upsert({
      where: { forumId_personId: { forumId, personId: ctx.person.id } },
      create: { forumId, personId: ctx.person.id, ...subData(a) },
      update: { ...subData(a), muted: false },
    });
    const key = sub.mode === 'digest' ? 'tenders.subscribe.digest' : 'tenders.subscribe.done';
    const early = sub.earlyNotice ? `\n${ctx.t('tenders.subscribe.early')}` : '';
    return { visibility: 'ephemeral', message: say(`${ctx.t(key)}${early}\n${filterSummary(ctx, sub)}`) };
  },
});

const unsubscribe = defineCommand({
  names: { en: 'tenders unsubscribe', cy: 'tendrau dad-danysgrifio' },
  group: 'tenders',
  summary: 'tenders.cmd.unsubscribe',
  args: [],
  examples: { en: ['tenders unsubscribe'], cy: ['tendrau dad-danysgrifio'] },
  permission: 'member',
  needsForum: true,
  async run(ctx) {
    await ctx.db.tenderSubscription.deleteMany({ where: { forumId: forumOf(ctx).id, personId: ctx.person.id } });
    return { visibility: 'ephemeral', message: say(ctx.t('tenders.unsubscribe.done')) };
  },
});

const channelFilter = defineCommand({
  names: { en: 'tenders channel', cy: 'tendrau sianel' },
  group: 'tenders',
  summary: 'tenders.cmd.channel',
  args: [arg('state', z.enum(['on', 'off']).optional(), 'tenders.arg.state', { positional: true, choices: ON_OFF_CHOICES }), ...filterArgs],
  examples: { en: ['tenders channel themes=health bands="under-5k, 5k-25k"', 'tenders channel off'], cy: ['tendrau sianel themes=iechyd', 'tendrau sianel off'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const forumId = forumOf(ctx).id;
    const ref = ctx.event.conversation;
    const channel = await ctx.db.channel.findUnique({ where: { forumId_ref: { forumId, ref } } });
    if (!channel) throw new AppError('tenders.channel.notLinked');
    const muted = a.state === 'off';
    const data = { ...subData(a), muted };
    const sub = await ctx.db.tenderSubscription.upsert({ where: { forumId_channelRef: { forumId, channelRef: ref } }, create: { forumId, channelRef: ref, ...data }, update: data });
    if (muted) return say(ctx.t('tenders.channel.off'));
    return say(`${ctx.t(channel.mode === 'DIGEST' ? 'tenders.channel.digest' : 'tenders.channel.on')}\n${filterSummary(ctx, sub)}`);
  },
});

const feedAdd = defineCommand({
  names: { en: 'tender feed add', cy: 'tendr ffrwd ychwanegu' },
  group: 'tenders',
  summary: 'tenders.cmd.feedAdd',
  args: [arg('url', zLink, 'tenders.arg.url', { positional: true }), arg('themes', zList.default([]), 'tenders.arg.themes'), arg('areas', zList.default([]), 'tenders.arg.areas')],
  examples: { en: ['tender feed add https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search?stages=tender areas=Powys'], cy: ['tendr ffrwd ychwanegu https://www.sell2wales.gov.wales/ocds areas=Powys'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const forumId = forumOf(ctx).id;
    await ctx.db.tenderFeed.upsert({ where: { forumId_url: { forumId, url: a.url } }, create: { forumId, url: a.url, themes: a.themes, areas: a.areas }, update: { themes: a.themes, areas: a.areas } });
    return say(ctx.t('tenders.feed.added', { url: a.url }));
  },
});

const feedRemove = defineCommand({
  names: { en: 'tender feed remove', cy: 'tendr ffrwd dileu' },
  group: 'tenders',
  summary: 'tenders.cmd.feedRemove',
  args: [arg('url', z.string().trim().min(1), 'tenders.arg.url', { positional: true })],
  examples: { en: ['tender feed remove https://example.org/ocds.json'], cy: ['tendr ffrwd dileu https://example.org/ocds.json'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const removed = await ctx.db.tenderFeed.deleteMany({ where: { forumId: forumOf(ctx).id, url: a.url } });
    if (removed.count === 0) throw new AppError('tenders.feed.notFound', { url: a.url });
    return say(ctx.t('tenders.feed.removed', { url: a.url }));
  },
});

const feedList = defineCommand({
  names: { en: 'tender feeds', cy: 'tendr ffrydiau' },
  group: 'tenders',
  summary: 'tenders.cmd.feeds',
  args: [],
  examples: { en: ['tender feeds'], cy: ['tendr ffrydiau'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx) {
    const feeds = await ctx.db.tenderFeed.findMany({ where: { forumId: forumOf(ctx).id }, orderBy: { createdAt: 'asc' } });
    if (feeds.length === 0) return say(ctx.t('tenders.feed.none'));
    const lines = feeds.map((f) => {
      const report = f.lastReport as { text?: string; summary?: string } | null;
      const summary = report?.summary ?? report?.text?.split('\n').at(-1) ?? '';
      const last = f.lastPolledAt ? ctx.t('tenders.feed.polled', { when: formatDate(f.lastPolledAt, ctx.locale, true), summary }) : ctx.t('tenders.feed.never');
      return `• ${f.url}\n  ${last}`;
    });
    return say(lines.join('\n'));
  },
});

/** Value bands, for help text and validation messages. */
export const bandIds = VALUE_BANDS.map((b) => b.id).join(', ');

export const tenderCommands = [
  tenderPost, tenderNew, tenderList, tenderPipeline, tenderShow, interest(false), interest(true), tenderWithdraw, tenderConsent, tenderAmend, tenderCancel,
  subscribe, unsubscribe, channelFilter, feedAdd, feedRemove, feedList,
];
