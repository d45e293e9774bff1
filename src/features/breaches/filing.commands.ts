import { z } from 'zod';
import { arg, defineCommand, validateArgs } from '../../core/commands.ts';
import type { CommandContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { formatDate } from '../../core/i18n.ts';
import type { Reply } from '../../core/messages.ts';
import { hasRole, isActive } from '../../core/permissions.ts';
import { findCompact, listCompacts } from './catalogue.service.ts';
import { filerView, noticeForm, type FileMode } from './notice-form.ts';
import * as notices from './notices.service.ts';
import { draftNoticeFromConsultation } from './reports.service.ts';
import { returnAnonymousFiling, takeAnonymousFiling, throttleFor } from './throttle.ts';

/** Form fields left empty arrive as "" (or null): treat them as not given. */
export const opt = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());
const zMode = z
  .enum(['named', 'behalf', 'anonymous', 'enwol', 'ar-ran', 'dienw'])
  .default('named')
  .transform((m): FileMode => (m === 'enwol' ? 'named' : m === 'ar-ran' ? 'behalf' : m === 'dienw' ? 'anonymous' : m));
/** a Welsh spelling has its English twin's word, so each mode is offered once */
const MODE_CHOICES = {
  named: 'breaches.choice.mode.named',
  behalf: 'breaches.choice.mode.behalf',
  anonymous: 'breaches.choice.mode.anonymous',
  enwol: 'breaches.choice.mode.named',
  'ar-ran': 'breaches.choice.mode.behalf',
  dienw: 'breaches.choice.mode.anonymous',
} as const;
const zIsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'core.arg.date').refine((s) => !Number.isNaN(Date.parse(s)), 'core.arg.date');
const ephemeral = (text: string): Reply => ({ visibility: 'ephemeral', message: { text } });

/**
 * Runs an anonymous handler so that a fault cannot carry anything about the filer into the log:
 * a user-safe AppError passes through; anything else becomes a bare error with no detail.
 */
async function scrubbed<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new Error('breach notice: anonymous operation failed (detail withheld to protect the filer)');
  }
}

/** Anonymous filing and receipt codes belong in a private conversation with the bot. */
function mustBePrivate(ctx: CommandContext) {
  if (!ctx.event.isDirect) throw new AppError('breaches.privateOnly');
}

function checkMode(ctx: CommandContext, mode: FileMode) {
  if (mode === 'named') {
    if (!isActive(ctx.membership)) throw new AppError('core.permission.member');
    if (!ctx.membership.organisationId) throw new AppError('breaches.file.noOrganisation');
  } else if (mode === 'behalf') {
    if (!hasRole(ctx.membership, 'OFFICER')) throw new AppError('core.permission.role', { role: ctx.t('core.role.officer') });
  } else {
    mustBePrivate(ctx);
    // only a verified member may file anonymously; who it was is checked here and not kept
    if (!isActive(ctx.membership)) throw new AppError('breaches.file.membersOnly');
  }
}

const breachFile = defineCommand({
  names: { en: 'breach file', cy: 'toriad cyflwyno' },
  group: 'breaches',
  summary: 'breaches.cmd.file',
  args: [arg('mode', zMode, 'breaches.arg.mode', { positional: true, choices: MODE_CHOICES }), arg('compact', opt(z.string().trim().min(1).max(120)), 'breaches.arg.compact')],
  examples: { en: ['breach file', 'breach file anonymous', 'breach file behalf'], cy: ['toriad cyflwyno', 'toriad cyflwyno dienw'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    checkMode(ctx, a.mode);
    const compacts = await listCompacts(ctx.db, ctx.forum!.id);
    if (!a.compact && compacts.length > 1) {
      return {
        visibility: 'ephemeral',
        message: {
          text: ctx.t('breaches.file.whichCompact'),
          blocks: [
            { type: 'section', text: ctx.t('breaches.file.whichCompact') },
            { type: 'buttons', buttons: compacts.map((c) => ({ label: c.name, action: { command: 'breach file', args: { mode: a.mode, compact: c.name } } })) },
          ],
        },
      };
    }
    const compact = await findCompact(ctx.db, ctx.forum!.id, a.compact);
    if (compact.parties.length === 0) throw new AppError('breaches.file.noParties', { compact: compact.name });
    const orgs = a.mode === 'behalf' ? await ctx.db.organisation.findMany({ where: { forumId: ctx.forum!.id }, orderBy: { name: 'asc' } }) : [];
    if (a.mode === 'behalf' && orgs.length === 0) throw new AppError('breaches.file.noOrganisations');
    const form = noticeForm(ctx.t, ctx.locale, compact, a.mode, orgs);
    const intro = ctx.t(`breaches.file.intro.${a.mode}`);
    return { visibility: a.mode === 'anonymous' ? 'ephemeral' : 'conversation', message: { text: intro, blocks: [{ type: 'section', text: intro }, { type: 'form', form }] } };
  },
});

type SubmitArgs = {
  mode: FileMode;
  compact: string;
  organisation?: string;
  party: string;
  code: string;
  commitment?: string;
  aspect: 'principle' | 'spirit';
  whatHappened: string;
  happenedOn?: string;
  expected?: string;
  actual?: string;
  evidence?: string;
  outcomeWanted: string;
  consultation?: string;
};

/** A draft's suggestions, carried in the form's submit args: used for any field left empty. */
const zDraft = z
  .string()
  .max(8000)
  .transform((s, ctx) => {
    try {
      return z.record(z.string(), z.string()).parse(JSON.parse(s));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'core.arg.invalid' });
      return z.NEVER;
    }
  });
const DRAFTABLE = ['party', 'code', 'commitment', 'aspect', 'whatHappened', 'happenedOn', 'expected', 'actual', 'evidence'];

/** Fills empty fields from the draft's suggestions, before the fields are checked. */
function withDraft(raw: Record<string, unknown>): Record<string, unknown> {
  if (typeof raw.draft !== 'string') return raw;
  const parsed = zDraft.safeParse(raw.draft);
  if (!parsed.success) return raw;
  const out = { ...raw };
  for (const k of DRAFTABLE) if ((out[k] === undefined || out[k] === '' || out[k] === null) && parsed.data[k] !== undefined) out[k] = parsed.data[k];
  return out;
}

/** The filing form's fields; `strict` is the check after a draft's suggestions have filled the gaps. */
const submitArgs = (strict: boolean) => {
  const need = <T extends z.ZodType>(schema: T) => (strict ? schema : opt(schema));
  return [
    arg('mode', zMode, 'breaches.arg.mode', { choices: MODE_CHOICES }),
    arg('compact', z.string().uuid(), 'breaches.arg.compact'),
    arg('organisation', opt(z.string().uuid()), 'breaches.arg.organisation'),
    arg('party', need(z.string().uuid('breaches.arg.chooseParty')), 'breaches.arg.party'),
    arg('code', need(z.string().uuid('breaches.arg.chooseCode')), 'breaches.arg.code'),
    arg('commitment', opt(z.string().uuid()), 'breaches.arg.commitment'),
    arg('aspect', need(z.enum(['principle', 'spirit'])), 'breaches.arg.aspect', { choices: { principle: 'breaches.aspect.principle', spirit: 'breaches.aspect.spirit' } }),
    arg('whatHappened', need(z.string().trim().min(10).max(4000)), 'breaches.arg.whatHappened'),
    arg('happenedOn', opt(zIsoDate), 'breaches.arg.happenedOn'),
    arg('expected', opt(z.string().trim().max(200)), 'breaches.arg.expected'),
    arg('actual', opt(z.string().trim().max(200)), 'breaches.arg.actual'),
    arg('evidence', opt(z.string().max(2000)), 'breaches.arg.evidence'),
    arg('outcomeWanted', z.string().trim().min(3).max(2000), 'breaches.arg.outcomeWanted'),
    arg('draft', opt(z.string().max(8000)), 'breaches.arg.draft'),
    arg('consultation', opt(z.string().uuid()), 'breaches.arg.consultation'),
  ];
};

const breachSubmit = defineCommand({
  names: { en: 'breach submit', cy: 'toriad anfon' },
  group: 'breaches',
  summary: 'breaches.cmd.submit',
  hidden: true,
  args: submitArgs(false),
  examples: { en: ['breach submit (sent by the filing form)'], cy: ['toriad anfon (anfonir gan y ffurflen)'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, given) {
    const checked = validateArgs({ ...breachSubmit, args: submitArgs(true) }, withDraft(given), ctx.t);
    if (!checked.ok) return ephemeral([ctx.t('core.arg.problems'), ...checked.problems.map((p) => `• ${p}`)].join('\n'));
    const a = checked.args as SubmitArgs;
    checkMode(ctx, a.mode);
    const forum = ctx.forum!;
    const input: notices.NoticeInput = {
      compactId: a.compact,
      partyId: a.party,
      codeId: a.code,
      commitmentId: a.commitment,
      aspect: a.aspect,
      whatHappened: a.whatHappened,
      happenedOn: a.happenedOn,
      expected: a.expected,
      actual: a.actual,
      evidence: a.evidence,
      outcomeWanted: a.outcomeWanted,
      consultationId: a.consultation,
    };
    if (a.mode === 'anonymous') {
      return scrubbed(async () => {
        const now = ctx.now();
        // counted per person (all their accounts), in its own transaction before the notice's
        if (!(await takeAnonymousFiling(ctx.db, ctx.person.id, now))) throw new AppError('breaches.file.tooMany');
        let receipt;
        try {
          // held, then numbered and stored by the mixing job with the others of its minute
          receipt = await notices.holdAnonymousNotice(ctx.db, forum.id, input, now);
        } catch (err) {
          await returnAnonymousFiling(ctx.db, ctx.person.id, now);
          throw err;
        }
        // no buttons here: a platform without them would keep a menu state keyed by this user
        return ephemeral(ctx.t('breaches.file.anonymousDone', { receipt }));
      });
    }
    let organisationId: string;
    if (a.mode === 'behalf') {
      if (!a.organisation) throw new AppError('breaches.file.chooseOrganisation');
      const org = await ctx.db.organisation.findFirst({ where: { id: a.organisation, forumId: forum.id } });
      if (!org) throw new AppError('breaches.file.chooseOrganisation');
      organisationId = org.id;
    } else {
      organisationId = ctx.membership!.organisationId!;
    }
    const filer: notices.Filer =
      a.mode === 'behalf' ? { mode: 'ON_BEHALF', officerId: ctx.person.id, organisationId } : { mode: 'NAMED', personId: ctx.person.id, organisationId };
    const { notice } = await notices.fileNotice(ctx.db, forum.id, input, filer, ctx.now());
    const full = await notices.findCase(ctx.db, forum.id, notice.number);
    await notices.tellPeople(
      ctx.broadcasts,
      forum.id,
      (await notices.officerIds(ctx.db, forum.id)).filter((id) => id !== ctx.person.id),
      'breach.filed',
      (t) => ({ text: t('breaches.officers.filed', { number: notice.number, body: full.party.name, code: full.code.name }) }),
      `breach:${notice.id}:filed`,
    );
    if (a.mode === 'behalf') {
      await notices.tellPeople(ctx.broadcasts, forum.id, await notices.filerSideIds(ctx.db, notice), 'breach.filed', (t) => ({ text: t('breaches.file.filedForYou', { number: notice.number }) }), `breach:${notice.id}:filedFor`);
    }
    const due = notice.dueOn ? formatDate(new Date(`${notice.dueOn}T12:00:00Z`), ctx.locale) : '—';
    return { text: ctx.t('breaches.file.done', { number: notice.number, due }) };
  },
});

const breachStatus = defineCommand({
  names: { en: 'breach status', cy: 'toriad statws' },
  group: 'breaches',
  summary: 'breaches.cmd.status',
  args: [arg('receipt', z.string().trim().min(1).max(60), 'breaches.arg.receipt', { positional: true, rest: true })],
  examples: { en: ['breach status 7KQ2M-…', 'breach status 4'], cy: ['toriad statws 7KQ2M-…'] },
  permission: 'anyone',
  needsForum: false,
  async run(ctx, a) {
    if (/^\d{1,6}$/.test(a.receipt)) {
      // a case number: only its named filer, their organisation's members or an officer may look
      if (!ctx.forum) throw new AppError('core.forum.none');
      const c = await notices.findCase(ctx.db, ctx.forum.id, Number(a.receipt));
      const mine = (await notices.filerSideIds(ctx.db, c)).includes(ctx.person.id) || hasRole(ctx.membership, 'OFFICER');
      if (!mine) throw new AppError('breaches.case.notYours');
      return { visibility: 'ephemeral', message: filerView(ctx.t, ctx.locale, c, notices.filerEntries(c)) };
    }
    mustBePrivate(ctx);
    return scrubbed(async () => {
      const c = await notices.findByReceipt(ctx.db, throttleFor(ctx.db), ctx.account.id, a.receipt, ctx.now());
      const view = filerView(ctx.t, ctx.locale, c, c.filerSeen);
      await notices.markSeen(ctx.db, c);
      return { visibility: 'ephemeral', message: view };
    });
  },
});

const breachReply = defineCommand({
  names: { en: 'breach reply', cy: 'toriad ateb' },
  group: 'breaches',
  summary: 'breaches.cmd.reply',
  args: [arg('receipt', z.string().trim().min(1).max(60), 'breaches.arg.receipt', { positional: true }), arg('text', z.string().trim().min(2).max(4000), 'breaches.arg.text', { positional: true, rest: true })],
  examples: { en: ['breach reply 7KQ2M-… The consultation closed on the 5th, not the 12th'], cy: ['toriad ateb 7KQ2M-… Caeodd yr ymgynghoriad ar y 5ed'] },
  permission: 'anyone',
  needsForum: false,
  async run(ctx, a) {
    mustBePrivate(ctx);
    return scrubbed(async () => {
      const c = await notices.findByReceipt(ctx.db, throttleFor(ctx.db), ctx.account.id, a.receipt, ctx.now());
      if (!c.filerPersonId) {
        // held, and stored by the mixing job: the filer's transaction never touches the case
        await notices.holdFilerMessage(ctx.db, c, a.text, ctx.now());
      } else {
        await notices.addMessage(ctx.db, c.id, a.text, { filer: true, anonymous: false }, ctx.now());
        // a filer who revealed themselves is no longer hidden: officers hear at once
        await notices.tellPeople(ctx.broadcasts, c.forumId, await notices.officerIds(ctx.db, c.forumId), 'breach.message', (t) => ({ text: t('breaches.officers.message', { number: c.number }) }), `breach:${c.id}:msg:${c.messages.length + 1}`);
      }
      return ephemeral(ctx.t('breaches.reply.sent', { number: c.number }));
    });
  },
});

const breachReveal = defineCommand({
  names: { en: 'breach reveal', cy: 'toriad datgelu' },
  group: 'breaches',
  summary: 'breaches.cmd.reveal',
  args: [arg('receipt', z.string().trim().min(1).max(60), 'breaches.arg.receipt', { positional: true }), arg('confirm', opt(z.enum(['yes', 'ie'])), 'breaches.arg.confirm', { choices: { yes: 'breaches.choice.yes', ie: 'breaches.choice.yes' } })],
  examples: { en: ['breach reveal 7KQ2M-… confirm=yes'], cy: ['toriad datgelu 7KQ2M-… confirm=ie'] },
  permission: 'anyone',
  needsForum: false,
  async run(ctx, a) {
    mustBePrivate(ctx);
    if (!a.confirm) return ephemeral(ctx.t('breaches.reveal.confirm'));
    const c = await scrubbed(() => notices.findByReceipt(ctx.db, throttleFor(ctx.db), ctx.account.id, a.receipt, ctx.now()));
    const membership = await ctx.db.membership.findUnique({ where: { personId_forumId: { personId: ctx.person.id, forumId: c.forumId } } });
    const organisationId = membership?.status === 'ACTIVE' ? membership.organisationId : null;
    await notices.revealFiler(ctx.db, c.id, ctx.person.id, organisationId);
    await notices.tellPeople(ctx.broadcasts, c.forumId, await notices.officerIds(ctx.db, c.forumId), 'breach.revealed', (t) => ({ text: t('breaches.officers.revealed', { number: c.number, name: ctx.person.displayName }) }), `breach:${c.id}:revealed`);
    return ephemeral(ctx.t('breaches.reveal.done', { number: c.number }));
  },
});

const breachDraft = defineCommand({
  names: { en: 'breach draft consultation', cy: 'toriad drafft ymgynghoriad' },
  group: 'breaches',
  summary: 'breaches.cmd.draft',
  args: [
    arg('body', z.string().trim().min(2).max(120), 'breaches.arg.body'),
    arg('title', z.string().trim().min(2).max(200), 'breaches.arg.title'),
    arg('opens', zIsoDate, 'breaches.arg.opens'),
    arg('closes', zIsoDate, 'breaches.arg.closes'),
    arg('link', opt(z.string().url()), 'breaches.arg.link'),
    arg('consultation', opt(z.string().uuid()), 'breaches.arg.consultation'),
  ],
  examples: { en: ['breach draft consultation body="County council" title="Day centres review" opens=2026-11-02 closes=2026-11-05'], cy: ['toriad drafft ymgynghoriad body="County council" title="Adolygiad canolfannau dydd" opens=2026-11-02 closes=2026-11-05'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const draft = await draftNoticeFromConsultation(ctx.db, ctx.forum!.id, { body: a.body, title: a.title, opensOn: a.opens, closesOn: a.closes, link: a.link, consultationId: a.consultation }, ctx.now());
    const mode: FileMode = ctx.membership?.organisationId ? 'named' : hasRole(ctx.membership, 'OFFICER') ? 'behalf' : 'anonymous';
    if (mode === 'anonymous') mustBePrivate(ctx);
    const compact = (await listCompacts(ctx.db, ctx.forum!.id)).find((c) => c.id === draft.compactId)!;
    const orgs = mode === 'behalf' ? await ctx.db.organisation.findMany({ where: { forumId: ctx.forum!.id }, orderBy: { name: 'asc' } }) : [];
    const form = noticeForm(ctx.t, ctx.locale, compact, mode, orgs, draft);
    const intro = ctx.t('breaches.draft.intro', { title: draft.title, days: draft.actualDays, expected: draft.expectedDays });
    return { visibility: 'ephemeral', message: { text: intro, blocks: [{ type: 'section', text: intro }, { type: 'form', form }] } };
  },
});

export const filingCommands = [breachFile, breachSubmit, breachStatus, breachReply, breachReveal, breachDraft];
