import { z } from 'zod';
import { arg, defineCommand, zInt } from '../../core/commands.ts';
import type { CommandContext } from '../../core/context.ts';
import { formatDate, type Translate } from '../../core/i18n.ts';
import type { Block, Button } from '../../core/messages.ts';
import { codeName } from './catalogue.service.ts';
import { opt } from './filing.commands.ts';
import { actionLabel, aspectLabel, dueLabel, kindLabel, outcomeLabel, stateLabel } from './notice-form.ts';
import * as notices from './notices.service.ts';
import { forumStatistics } from './reports.service.ts';
import { CASE_STATES, nextStates, OPEN_STATES, overdue, type CaseState } from './rules/case-flow.ts';
import type { PeriodKind, StatCell } from './rules/statistics.ts';
import { statisticsTables } from './statistics.tables.ts';

const day = (iso: string, ctx: CommandContext) => formatDate(new Date(`${iso}T12:00:00Z`), ctx.locale);

/** Open cases of a forum with what is due, soonest first. */
async function openCases(ctx: CommandContext) {
  return ctx.db.breachNotice.findMany({
    where: { forumId: ctx.forum!.id, state: { in: [...OPEN_STATES] } },
    include: { party: true, code: true },
    orderBy: [{ dueOn: 'asc' }, { number: 'asc' }],
  });
}

const breachCases = defineCommand({
  names: { en: 'breach cases', cy: 'toriad achosion' },
  group: 'breaches',
  summary: 'breaches.cmd.cases',
  args: [],
  examples: { en: ['breach cases'], cy: ['toriad achosion'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx) {
    const rows = await openCases(ctx);
    if (rows.length === 0) return { text: ctx.t('breaches.cases.none') };
    const lines = rows.map((n) =>
      ctx.t('breaches.cases.line', {
        number: n.number,
        body: n.party.name,
        code: codeName(n.code, ctx.locale),
        state: stateLabel(ctx.t, n.state),
        due: n.dueOn ? ctx.t('breaches.cases.due', { what: dueLabel(ctx.t, n.dueKind), date: day(n.dueOn, ctx) }) : '',
      }),
    );
    return { text: [ctx.t('breaches.cases.head', { count: rows.length }), ...lines].join('\n') };
  },
});

const breachOverdue = defineCommand({
  names: { en: 'breach overdue', cy: 'toriad hwyr' },
  group: 'breaches',
  summary: 'breaches.cmd.overdue',
  args: [],
  examples: { en: ['breach overdue'], cy: ['toriad hwyr'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx) {
    const rows = await openCases(ctx);
    const late = overdue(rows.map((n) => ({ ...n, state: n.state as CaseState, since: n.stateSince, deadline: n.dueOn && n.dueKind ? { kind: n.dueKind as never, due: n.dueOn } : null })), ctx.now());
    if (late.length === 0) return { text: ctx.t('breaches.overdue.none') };
    const lines = late.map((l) =>
      ctx.t('breaches.overdue.line', { number: l.case.number, body: l.case.party.name, what: dueLabel(ctx.t, l.deadline.kind), date: day(l.deadline.due, ctx), late: l.workingDaysLate }),
    );
    return { text: [ctx.t('breaches.overdue.head', { count: late.length }), ...lines].join('\n') };
  },
});

function filerLine(t: Translate, c: notices.CaseView, names: Map<string, string>): string {
  const org = c.organisationId ? (names.get(c.organisationId) ?? '') : '';
  if (c.mode === 'ANONYMOUS') return c.filerPersonId ? t('breaches.case.revealed', { name: names.get(c.filerPersonId) ?? '', org }) : t('breaches.case.anonymous');
  if (c.mode === 'ON_BEHALF') return t('breaches.case.onBehalf', { org, officer: names.get(c.filedById ?? '') ?? '' });
  return t('breaches.case.named', { name: names.get(c.filerPersonId ?? '') ?? '', org });
}

const breachCase = defineCommand({
  names: { en: 'breach case', cy: 'toriad achos' },
  group: 'breaches',
  summary: 'breaches.cmd.case',
  args: [arg('number', zInt(1, 999_999), 'breaches.arg.number', { positional: true })],
  examples: { en: ['breach case 4'], cy: ['toriad achos 4'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const { t, locale } = ctx;
    const c = await notices.findCase(ctx.db, ctx.forum!.id, a.number);
    const people = await ctx.db.person.findMany({ where: { id: { in: [c.filerPersonId, c.filedById, ...c.steps.map((s) => s.byPersonId), ...c.messages.map((m) => m.byPersonId)].filter((x): x is string => !!x) } } });
    const orgs = c.organisationId ? await ctx.db.organisation.findMany({ where: { id: c.organisationId } }) : [];
    const names = new Map<string, string>([...people.map((p) => [p.id, p.displayName] as const), ...orgs.map((o) => [o.id, o.name] as const)]);
    const fields = [
      { label: t('breaches.form.party'), value: c.party.name },
      { label: t('breaches.form.code'), value: codeName(c.code, locale) },
      ...(c.commitment ? [{ label: t('breaches.form.commitment'), value: c.commitment.text }] : []),
      { label: t('breaches.form.aspect'), value: aspectLabel(t, c.aspect) },
      { label: t('breaches.case.filer'), value: filerLine(t, c, names) },
      { label: t('breaches.case.filedOn'), value: day(c.filedOn, ctx) },
      ...(c.happenedOn ? [{ label: t('breaches.form.happenedOn'), value: day(c.happenedOn, ctx) }] : []),
      ...(c.expected || c.actual ? [{ label: t('breaches.case.expectedActual'), value: `${c.expected ?? '—'} / ${c.actual ?? '—'}` }] : []),
      { label: t('breaches.case.state'), value: stateLabel(t, c.state) + (c.dueOn ? ` — ${dueLabel(t, c.dueKind)} ${day(c.dueOn, ctx)}` : '') },
    ];
    const text = [
      t('breaches.case.head', { number: c.number, compact: c.compact.name }),
      `${t('breaches.form.whatHappened')}: ${c.whatHappened}`,
      `${t('breaches.form.outcomeWanted')}: ${c.outcomeWanted}`,
      ...(c.evidence.length ? [`${t('breaches.form.evidence')}: ${c.evidence.join(' ')}`] : []),
      ...c.steps.map((s) => `• ${formatDate(s.at, locale)} ${stateLabel(t, s.toState)} (${names.get(s.byPersonId ?? '') ?? ''}): ${s.note}`),
      ...c.messages.map((m) => `✉ ${day(m.on, ctx)} ${m.fromOfficer ? names.get(m.byPersonId ?? '') ?? '' : t('breaches.case.filerWord')}: ${m.body}`),
    ].join('\n');
    const buttons: Button[] = nextStates(c.state as CaseState).map((to) => ({ label: actionLabel(t, to as Exclude<CaseState, 'filed'>), action: { command: 'breach step', args: { number: c.number, to } } }));
    const blocks: Block[] = [{ type: 'section', text }, { type: 'fields', fields }];
    if (buttons.length) blocks.push({ type: 'buttons', buttons });
    return { visibility: 'ephemeral', message: { text, blocks } };
  },
});

type StepState = Exclude<CaseState, 'filed'>;
const zState = z.enum(CASE_STATES.filter((s) => s !== 'filed') as [StepState, ...StepState[]]);
const STATE_CHOICES = {
  acknowledged: 'breaches.action.acknowledged',
  liaison: 'breaches.action.liaison',
  mediation: 'breaches.action.mediation',
  escalated: 'breaches.action.escalated',
  resolved: 'breaches.action.resolved',
  unresolved: 'breaches.action.unresolved',
  withdrawn: 'breaches.action.withdrawn',
} as const;

const breachStep = defineCommand({
  names: { en: 'breach step', cy: 'toriad cam' },
  group: 'breaches',
  summary: 'breaches.cmd.step',
  args: [
    arg('number', zInt(1, 999_999), 'breaches.arg.number', { positional: true }),
    arg('to', zState, 'breaches.arg.to', { positional: true, choices: STATE_CHOICES }),
    arg('note', opt(z.string().trim().min(3).max(2000)), 'breaches.arg.note', { positional: true, rest: true }),
  ],
  examples: { en: ['breach step 4 acknowledged Received; on the liaison group agenda for 3 December'], cy: ['toriad cam 4 acknowledged Wedi derbyn; ar agenda’r grŵp cyswllt'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const { t } = ctx;
    if (!a.note) {
      // a button gives no note: ask for one
      const form = { id: `breach-step-${a.number}-${a.to}`, title: t('breaches.step.formTitle', { number: a.number, state: stateLabel(t, a.to) }), submitLabel: t('breaches.step.submit'), fields: [{ kind: 'textarea' as const, name: 'note', label: t('breaches.step.note'), required: true, maxLength: 2000 }], submit: { command: 'breach step', args: { number: a.number, to: a.to } } };
      return { visibility: 'ephemeral', message: { text: form.title, blocks: [{ type: 'form', form }] } };
    }
    const { step, notice } = await notices.stepCase(ctx.db, ctx.forum!.id, a.number, a.to, a.note, ctx.person.id, ctx.now());
    const body = a.to === 'escalated' ? notice.compact.escalationBody : null;
    await notices.tellPeople(
      ctx.broadcasts,
      notice.forumId,
      await notices.filerSideIds(ctx.db, notice),
      'breach.step',
      (tt) => ({ text: tt('breaches.filer.step', { number: notice.number, state: stateLabel(tt, a.to) + (body ? ` (${body})` : ''), note: a.note! }) }),
      `breach:${notice.id}:step:${step.id}`,
    );
    const due = notice.dueOn ? t('breaches.cases.due', { what: dueLabel(t, notice.dueKind), date: day(notice.dueOn, ctx) }) : '';
    return { text: t('breaches.step.done', { number: notice.number, state: stateLabel(t, a.to) + (body ? ` (${body})` : ''), due }) };
  },
});

const breachMessage = defineCommand({
  names: { en: 'breach message', cy: 'toriad neges' },
  group: 'breaches',
  summary: 'breaches.cmd.message',
  args: [arg('number', zInt(1, 999_999), 'breaches.arg.number', { positional: true }), arg('text', z.string().trim().min(2).max(4000), 'breaches.arg.text', { positional: true, rest: true })],
  examples: { en: ['breach message 4 Could you send the consultation letter?'], cy: ['toriad neges 4 Allwch chi anfon llythyr yr ymgynghoriad?'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const c = await notices.findCase(ctx.db, ctx.forum!.id, a.number);
    const m = await notices.addMessage(ctx.db, c.id, a.text, { officerId: ctx.person.id }, ctx.now());
    const people = await notices.filerSideIds(ctx.db, c);
    await notices.tellPeople(ctx.broadcasts, c.forumId, people, 'breach.message', (tt) => ({ text: tt('breaches.filer.message', { number: c.number, text: a.text }) }), `breach:${c.id}:msg:${m.seq}`);
    return { visibility: 'ephemeral', message: { text: ctx.t(people.length ? 'breaches.message.sent' : 'breaches.message.waiting', { number: c.number }) } };
  },
});

/** The categories with a figure shown ("resolved 4, withdrawn 3"); those held back are left out, and said so once. */
const cells = (t: Translate, list: readonly StatCell[], label: (k: string) => string) =>
  list.filter((c) => !c.suppressed).map((c) => `${label(c.key)} ${c.count}`).join(', ') || t('breaches.stats.hidden');

const breachStatistics = defineCommand({
  names: { en: 'breach statistics', cy: 'toriad ystadegau' },
  group: 'breaches',
  summary: 'breaches.cmd.statistics',
  args: [
    arg('period', z.enum(['year', 'quarter', 'financial-year']).default('year'), 'breaches.arg.period', {
      positional: true,
      choices: { year: 'breaches.choice.period.year', quarter: 'breaches.choice.period.quarter', 'financial-year': 'breaches.choice.period.financial-year' },
    }),
  ],
  examples: { en: ['breach statistics', 'breach statistics quarter'], cy: ['toriad ystadegau', 'toriad ystadegau quarter'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const { t } = ctx;
    const stats = await forumStatistics(ctx.db, ctx.forum!.id, a.period);
    if (stats.length === 0) return { text: t('breaches.stats.none') };
    const codes = await ctx.db.compactCode.findMany({ where: { compact: { forumId: ctx.forum!.id } } });
    const codeLabel = (k: string) => {
      const c = codes.find((x) => x.key === k);
      return c ? codeName(c, ctx.locale) : k;
    };
    const lines = [t('breaches.stats.head', { forum: ctx.forum!.name })];
    for (const p of stats) {
      lines.push('', p.total.suppressed ? t('breaches.stats.periodHidden', { period: p.period }) : t('breaches.stats.period', { period: p.period, total: p.total.count! }));
      lines.push(`${t('breaches.stats.byCode')}: ${cells(t, p.byCode, codeLabel)}`);
      lines.push(`${t('breaches.stats.byBody')}: ${cells(t, p.byBodyKind, (k) => kindLabel(t, k))}`);
      lines.push(`${t('breaches.stats.byOutcome')}: ${cells(t, p.byOutcome, (k) => outcomeLabel(t, k))}`);
      lines.push(`${t('breaches.stats.median')}: ${p.medianDaysToResolution.suppressed ? t('breaches.stats.hidden') : t('breaches.form.days', { days: p.medianDaysToResolution.days! })}`);
    }
    const held = stats.some((p) => [p.total, p.medianDaysToResolution, ...p.byCode, ...p.byBodyKind, ...p.byOutcome].some((c) => c.suppressed));
    if (held) lines.push('', t('breaches.stats.suppressed'));
    lines.push('', t('breaches.stats.note'));
    const head = t('breaches.stats.head', { forum: ctx.forum!.name });
    const blocks: Block[] = [{ type: 'header', text: head }, ...statisticsTables(t, stats, codeLabel).map((table) => ({ type: 'table' as const, table })), { type: 'section', text: t('breaches.stats.note') }];
    return { text: lines.join('\n'), blocks };
  },
});

export const caseCommands = [breachCases, breachCase, breachStep, breachMessage, breachOverdue, breachStatistics];
