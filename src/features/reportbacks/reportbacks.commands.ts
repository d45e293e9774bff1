import { z } from 'zod';
import { arg, defineCommand, zInt } from '../../core/commands.ts';
import type { CommandContext } from '../../core/context.ts';
import { formatDate } from '../../core/i18n.ts';
import type { Block, FormField, OutgoingMessage, Reply } from '../../core/messages.ts';
import { findPartnership } from '../forums/forums.service.ts';
import { zDay, zId, zLink, zOptionalText, zPartnership, zYesNo } from './args.ts';
import { issueAnsweredMessage, publishedMessage, when, day, clip } from './render.ts';
import * as rb from './reportbacks.service.ts';

const say = (text: string, blocks?: Block[]): OutgoingMessage => (blocks ? { text, blocks } : { text });
const forumOf = (ctx: CommandContext) => ctx.forum!;
const ephemeral = (message: OutgoingMessage): Reply => ({ visibility: 'ephemeral', message });
const slots = Array.from({ length: rb.RESPONSE_SLOTS }, (_, i) => `response${i + 1}`);

/** Runs a filing or an edit, turning every bad line of the actions into one clear answer. */
async function explainProblems<T>(ctx: CommandContext, work: () => Promise<T>): Promise<T | Reply> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof rb.ReportProblems)) throw err;
    const lines = [ctx.t('reportbacks.report.problems'), ...err.problems.map((p) => `• ${ctx.t(p.key, p.params)}`), ctx.t('reportbacks.report.actionsHelp'), ctx.t('reportbacks.report.nothingSaved')];
    return ephemeral(say(lines.join('\n')));
  }
}

function reportFields(ctx: CommandContext, values: { summary?: string; decisions?: string; actions?: string; sector?: string; interests?: string; papers?: string } = {}): FormField[] {
  const t = ctx.t;
  return [
    { kind: 'textarea', name: 'summary', label: t('reportbacks.form.summary'), required: true, maxLength: rb.SUMMARY_MAX, value: values.summary },
    { kind: 'textarea', name: 'decisions', label: t('reportbacks.form.decisions'), maxLength: 3000, value: values.decisions },
    { kind: 'textarea', name: 'actions', label: t('reportbacks.form.actions'), maxLength: 3000, placeholder: t('reportbacks.form.actionsPlaceholder'), value: values.actions },
    { kind: 'textarea', name: 'sector', label: t('reportbacks.form.sector'), maxLength: 3000, value: values.sector },
    { kind: 'textarea', name: 'interests', label: t('reportbacks.form.interests'), maxLength: 1000, value: values.interests },
    { kind: 'text', name: 'papers', label: t('reportbacks.form.papers'), maxLength: 500, value: values.papers },
  ];
}

const reportFile = defineCommand({
  names: { en: 'reportback file', cy: 'adroddiad ffeilio' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.file',
  args: [arg('meeting', zId.optional(), 'reportbacks.arg.meetingId'), arg('partnership', zPartnership.optional(), 'reportbacks.arg.partnership', { names: 'partnership', positional: true, rest: true })],
  examples: { en: ['reportback file', 'reportback file Health and Social Care Board'], cy: ['adroddiad ffeilio', 'adroddiad ffeilio Bwrdd Iechyd'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const meeting = await rb.meetingToReport(ctx.db, forumOf(ctx).id, ctx.person.id, a.meeting, a.partnership, ctx.now());
    await rb.checkMayFile(ctx.db, meeting, ctx.person.id, ctx.now());
    const issues = (await rb.openIssues(ctx.db, meeting.partnershipId)).slice(0, rb.RESPONSE_SLOTS);
    const t = ctx.t;
    const fields: FormField[] = [
      ...reportFields(ctx, { papers: meeting.papersUrl ?? undefined }),
      { kind: 'checkbox', name: 'joint', label: t('reportbacks.form.joint') },
      ...issues.map((i, n): FormField => ({ kind: 'textarea', name: slots[n], label: t('reportbacks.form.response', { number: i.number, issue: clip(i.text, 200) }), maxLength: 1000 })),
    ];
    const title = t('reportbacks.form.title', { partnership: meeting.partnership.name, date: day(meeting.startsAt, ctx.locale) });
    const intro = issues.length ? t('reportbacks.form.introIssues', { count: issues.length }) : t('reportbacks.form.intro');
    return ephemeral(say(`${title}\n${intro}`, [
      { type: 'section', text: intro },
      { type: 'form', form: { id: `reportback-${meeting.id}`, title, submitLabel: t('reportbacks.form.submit'), fields, submit: { command: 'reportback submit', args: { meeting: meeting.id, issues: issues.map((i) => i.id).join(',') } } } },
    ]));
  },
});

type SubmitArgs = { meeting: string; issues?: string; summary: string; decisions?: string; actions?: string; sector?: string; interests?: string; papers?: string; joint: boolean } & Record<string, unknown>;

const textArgs = [
  arg('summary', z.string().trim().min(1).max(rb.SUMMARY_MAX), 'reportbacks.arg.summary'),
  arg('decisions', zOptionalText(3000), 'reportbacks.arg.decisions'),
  arg('actions', zOptionalText(3000), 'reportbacks.arg.actions'),
  arg('sector', zOptionalText(3000), 'reportbacks.arg.sector'),
  arg('interests', zOptionalText(1000), 'reportbacks.arg.interests'),
  arg('papers', zLink, 'reportbacks.arg.papers'),
];

const reportSubmit = defineCommand({
  names: { en: 'reportback submit', cy: 'adroddiad cyflwyno' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.submit',
  args: [
    arg('meeting', zId, 'reportbacks.arg.meetingId'),
    arg('issues', z.string().max(400).optional(), 'reportbacks.arg.issues'),
    ...textArgs,
    arg('joint', zYesNo.default(false), 'reportbacks.arg.joint'),
    ...slots.map((s) => arg(s, zOptionalText(1000), 'reportbacks.arg.response')),
  ],
  examples: { en: ['reportback submit meeting=6f1c… summary="…"'], cy: ['adroddiad cyflwyno meeting=6f1c… summary="…"'] },
  permission: 'member',
  needsForum: true,
  hidden: true,
  async run(ctx, a) {
    const ids = (a.issues ?? '').split(',').filter(Boolean);
    const responses = ids.flatMap((issueId, n) => {
      const text = a[slots[n]];
      return typeof text === 'string' && text.trim() ? [{ issueId, text }] : [];
    });
    const forum = forumOf(ctx);
    // the report-back and its announcements (to the forum, and to those who raised or backed an
    // issue it answers) are committed in one transaction: a crash between them loses neither
    const filed = await explainProblems(ctx, () =>
      rb.fileReportback(ctx.db, forum.id, ctx.person.id, a.meeting, { ...a, responses }, ctx.now(), async (tx, { report, meeting, issues, actions }) => {
        await ctx.broadcasts.broadcast(forum.id, 'reportback', (t, locale) => publishedMessage(t, locale, report, meeting, ctx.person.displayName, { actions, responses: issues.length }), {
          dedupeKey: `reportback:published:${report.id}`,
          tx,
        });
        for (const issue of issues) {
          const people = [...new Set([issue.raisedById, ...issue.backings.map((b) => b.personId)])];
          await ctx.broadcasts.broadcast(forum.id, 'issue-answered', (t) => issueAnsweredMessage(t, issue, meeting.partnership.name, report.id), {
            onlyPeople: people,
            dedupeKey: `issue:answered:${issue.id}`,
            tx,
          });
        }
      }),
    );
    if ('visibility' in filed) return filed;
    ctx.broadcasts.kick(); // committed: deliver now rather than at the next pass
    const { report, meeting, issues } = filed;
    return say(ctx.t('reportbacks.report.filed', { partnership: meeting.partnership.name, responses: issues.length, until: when(report.editableUntil, ctx.locale) }), [
      { type: 'section', text: ctx.t('reportbacks.report.filed', { partnership: meeting.partnership.name, responses: issues.length, until: when(report.editableUntil, ctx.locale) }) },
      { type: 'buttons', buttons: [{ label: ctx.t('reportbacks.publish.readMore'), action: { command: 'reportback show', args: { id: report.id } } }] },
    ]);
  },
});

const reportShow = defineCommand({
  names: { en: 'reportback show', cy: 'adroddiad dangos' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.show',
  args: [arg('id', zId, 'reportbacks.arg.reportId', { positional: true })],
  examples: { en: ['reportback show 6f1c…'], cy: ['adroddiad dangos 6f1c…'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const r = await rb.reportbackDetail(ctx.db, forumOf(ctx).id, a.id);
    const t = ctx.t;
    const none = t('reportbacks.show.none');
    const list = (xs: string[]) => (xs.length ? xs.map((x) => `• ${x}`).join('\n') : none);
    const authors = [...new Set([r.author.displayName, ...r.requests.filter((q) => q.reportbackId === r.id).map((q) => q.person.displayName)])].join(', ');
    const fields = [
      { label: t('reportbacks.show.by'), value: authors },
      { label: t('reportbacks.show.summary'), value: r.summary },
      { label: t('reportbacks.show.decisions'), value: list(r.decisions) },
      { label: t('reportbacks.show.actions'), value: list(r.actions.map((x) => t('reportbacks.show.action', { what: x.what, who: x.ownerName, due: formatDate(x.dueOn, ctx.locale) }))) },
      { label: t('reportbacks.show.sector'), value: list(r.issuesForSector) },
      { label: t('reportbacks.show.responses'), value: list(r.responses.map((i) => `#${i.number} ${clip(i.text, 120)} → ${i.response}`)) },
      { label: t('reportbacks.show.interests'), value: r.interests ?? none },
      { label: t('reportbacks.show.papers'), value: r.papersUrl ?? none },
    ];
    if (r.edits.length) fields.push({ label: t('reportbacks.show.edited'), value: t('reportbacks.show.editedTimes', { count: r.edits.length, last: when(r.edits[r.edits.length - 1].editedAt, ctx.locale) }) });
    const title = t('reportbacks.publish.title', { partnership: r.meeting.partnership.name, date: day(r.meeting.startsAt, ctx.locale) });
    const blocks: Block[] = [{ type: 'header', text: title }, { type: 'fields', fields }];
    if (r.edits.length) blocks.push({ type: 'buttons', buttons: [{ label: t('reportbacks.show.historyButton'), action: { command: 'reportback history', args: { id: r.id } } }] });
    return say([title, ...fields.map((f) => `${f.label}: ${f.value}`)].join('\n'), blocks);
  },
});

const reportEdit = defineCommand({
  names: { en: 'reportback edit', cy: 'adroddiad golygu' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.edit',
  args: [arg('id', zId, 'reportbacks.arg.reportId', { positional: true })],
  examples: { en: ['reportback edit 6f1c…'], cy: ['adroddiad golygu 6f1c…'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const r = await rb.reportbackDetail(ctx.db, forumOf(ctx).id, a.id);
    if (r.authorId !== ctx.person.id) return ephemeral(say(ctx.t('reportbacks.edit.notAuthor')));
    if (ctx.now() > r.editableUntil) return ephemeral(say(ctx.t('reportbacks.edit.closed')));
    const fields = reportFields(ctx, {
      summary: r.summary, decisions: r.decisions.join('\n'), sector: r.issuesForSector.join('\n'), interests: r.interests ?? '', papers: r.papersUrl ?? '',
      actions: r.actions.map((x) => `${x.what}; ${x.ownerName}; ${x.dueOn.toISOString().slice(0, 10)}`).join('\n'),
    });
    const title = ctx.t('reportbacks.edit.title', { partnership: r.meeting.partnership.name });
    return ephemeral(say(title, [{ type: 'form', form: { id: `reportback-edit-${r.id}`, title, submitLabel: ctx.t('reportbacks.edit.submit'), fields, submit: { command: 'reportback update', args: { id: r.id } } } }]));
  },
});

const reportUpdate = defineCommand({
  names: { en: 'reportback update', cy: 'adroddiad diweddaru' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.update',
  args: [arg('id', zId, 'reportbacks.arg.reportId'), ...textArgs],
  examples: { en: ['reportback update id=6f1c… summary="…"'], cy: ['adroddiad diweddaru id=6f1c… summary="…"'] },
  permission: 'member',
  needsForum: true,
  hidden: true,
  async run(ctx, a) {
    const { id, ...input } = a;
    const done = await explainProblems(ctx, () => rb.editReportback(ctx.db, forumOf(ctx).id, ctx.person.id, id, { ...input, actions: input.actions ?? '', decisions: input.decisions ?? '', sector: input.sector ?? '', interests: input.interests ?? '', papers: input.papers ?? '' }, ctx.now()));
    if ('visibility' in done) return done;
    return say(ctx.t('reportbacks.edit.saved'));
  },
});

const reportHistory = defineCommand({
  names: { en: 'reportback history', cy: 'adroddiad hanes' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.history',
  args: [arg('id', zId, 'reportbacks.arg.reportId', { positional: true })],
  examples: { en: ['reportback history 6f1c…'], cy: ['adroddiad hanes 6f1c…'] },
  permission: 'anyone',
  needsForum: true,
  hidden: true,
  async run(ctx, a) {
    const r = await rb.reportbackDetail(ctx.db, forumOf(ctx).id, a.id);
    if (!r.edits.length) return say(ctx.t('reportbacks.history.none'));
    const lines = r.edits.map((e) => {
      const prev = e.previous as { summary?: string };
      return `• ${when(e.editedAt, ctx.locale)}: ${ctx.t('reportbacks.history.before', { summary: clip(prev.summary ?? '', 300) })}`;
    });
    return say([ctx.t('reportbacks.history.title', { count: r.edits.length }), ...lines].join('\n'));
  },
});

const reportSearch = defineCommand({
  names: { en: 'reportbacks', cy: 'adroddiadau' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.search',
  args: [
    arg('partnership', zPartnership.optional(), 'reportbacks.arg.partnership', { names: 'partnership' }),
    arg('from', zDay.optional(), 'reportbacks.arg.searchFrom'),
    arg('to', zDay.optional(), 'reportbacks.arg.searchTo'),
    arg('words', z.string().trim().max(200).optional(), 'reportbacks.arg.words', { positional: true, rest: true }),
  ],
  examples: { en: ['reportbacks partnership="Health and Social Care Board" from=2026-01-01 discharge'], cy: ['adroddiadau partnership="Bwrdd Iechyd" rhyddhau'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const forumId = forumOf(ctx).id;
    const p = a.partnership ? await findPartnership(ctx.db, forumId, a.partnership) : undefined;
    const found = await rb.searchReportbacks(ctx.db, forumId, { partnershipId: p?.id, from: a.from, to: a.to, words: a.words });
    if (!found.length) return say(ctx.t('reportbacks.search.none'));
    const title = ctx.t('reportbacks.search.title', { count: found.length });
    const lines = found.map((r) => `• ${day(r.meeting.startsAt, ctx.locale)}, ${r.meeting.partnership.name} (${r.author.displayName}): ${clip(r.summary, 120)}`);
    return say([title, ...lines].join('\n'), [
      { type: 'header', text: title },
      { type: 'section', text: lines.join('\n') },
      { type: 'buttons', buttons: found.slice(0, 5).map((r) => ({ label: `${day(r.meeting.startsAt, ctx.locale)} ${clip(r.meeting.partnership.name, 40)}`, action: { command: 'reportback show', args: { id: r.id } } })) },
    ]);
  },
});

const reportOverdue = defineCommand({
  names: { en: 'reportbacks overdue', cy: 'adroddiadau hwyr' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.overdue',
  args: [],
  examples: { en: ['reportbacks overdue'], cy: ['adroddiadau hwyr'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx) {
    const list = await rb.overdueRequests(ctx.db, forumOf(ctx).id, ctx.now());
    if (!list.length) return say(ctx.t('reportbacks.overdue.none'));
    const lines = list.map((r) => `• ${r.person.displayName}: ${r.meeting.partnership.name}, ${day(r.meeting.startsAt, ctx.locale)} (${ctx.t('reportbacks.overdue.due', { date: day(new Date(r.dueAt.getTime() - 1), ctx.locale) })})`);
    return say([ctx.t('reportbacks.overdue.title', { count: list.length }), ...lines].join('\n'));
  },
});

const reportSettings = defineCommand({
  names: { en: 'reportback settings', cy: 'adroddiad gosodiadau' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.settings',
  args: [arg('days', zInt(1, 60), 'reportbacks.arg.days')],
  examples: { en: ['reportback settings days=14'], cy: ['adroddiad gosodiadau days=14'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    await rb.setDueDays(ctx.db, forumOf(ctx).id, a.days);
    return say(ctx.t('reportbacks.settings.saved', { days: a.days }));
  },
});

export const reportbackCommands = [reportFile, reportSubmit, reportShow, reportEdit, reportUpdate, reportHistory, reportSearch, reportOverdue, reportSettings];
