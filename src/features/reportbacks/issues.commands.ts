import { z } from 'zod';
import { arg, defineCommand } from '../../core/commands.ts';
import type { CommandContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { formatDate } from '../../core/i18n.ts';
import type { Block, OutgoingMessage } from '../../core/messages.ts';
import { hasRole } from '../../core/permissions.ts';
import { findPartnership } from '../forums/forums.service.ts';
import { zId, zPartnership } from './args.ts';
import { clip, issueLines, issueRaisedMessage } from './render.ts';
import * as rb from './reportbacks.service.ts';
import { londonDay } from '../../core/london-time.ts';

const say = (text: string, blocks?: Block[]): OutgoingMessage => (blocks ? { text, blocks } : { text });
const forumOf = (ctx: CommandContext) => ctx.forum!;
export const ISSUE_MAX = 1000;

const issueRaise = defineCommand({
  names: { en: 'issue raise', cy: 'mater codi' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.issueRaise',
  args: [
    arg('partnership', zPartnership, 'reportbacks.arg.partnership', { names: 'partnership' }),
    arg('text', z.string().trim().min(5).max(ISSUE_MAX), 'reportbacks.arg.issueText', { positional: true, rest: true }),
    arg('for', z.enum(['me', 'organisation']).default('me'), 'reportbacks.arg.for', { choices: { me: 'reportbacks.choice.for.me', organisation: 'reportbacks.choice.for.organisation' } }),
  ],
  examples: {
    en: ['issue raise partnership="Health and Social Care Board" Hospital discharge leaves carers without notice for=organisation'],
    cy: ['mater codi partnership="Bwrdd Iechyd" Mae rhyddhau o’r ysbyty yn gadael gofalwyr heb rybudd for=organisation'],
  },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const forum = forumOf(ctx);
    const p = await findPartnership(ctx.db, forum.id, a.partnership);
    let organisationId: string | null = null;
    let by = ctx.person.displayName;
    if (a.for === 'organisation') {
      if (!ctx.membership?.organisationId) throw new AppError('reportbacks.issue.noOrganisation');
      organisationId = ctx.membership.organisationId;
      const org = await ctx.db.organisation.findUniqueOrThrow({ where: { id: organisationId } });
      by = ctx.t('reportbacks.issue.onBehalf', { name: ctx.person.displayName, organisation: org.name });
    }
    const issue = await rb.raiseIssue(ctx.db, forum.id, p.id, ctx.person.id, organisationId, a.text);
    await ctx.broadcasts.broadcast(forum.id, 'issue-raised', (t) => issueRaisedMessage(t, issue, p.name, by), { dedupeKey: `issue:raised:${issue.id}` });
    return say(ctx.t('reportbacks.issue.raised', { number: issue.number, partnership: p.name }));
  },
});

const issueBack = defineCommand({
  names: { en: 'issue back', cy: 'mater cefnogi' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.issueBack',
  args: [arg('issue', zId, 'reportbacks.arg.issue', { positional: true })],
  examples: { en: ['issue back 12'], cy: ['mater cefnogi 12'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const { issue, backers } = await rb.backIssue(ctx.db, forumOf(ctx).id, ctx.person.id, a.issue);
    return { visibility: 'ephemeral', message: say(ctx.t('reportbacks.issue.backed', { number: issue.number, partnership: issue.partnership.name, count: backers })) };
  },
});

const issueList = defineCommand({
  names: { en: 'issues', cy: 'materion' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.issues',
  args: [arg('partnership', zPartnership.optional(), 'reportbacks.arg.partnership', { names: 'partnership', positional: true, rest: true })],
  examples: { en: ['issues', 'issues Health and Social Care Board'], cy: ['materion', 'materion Bwrdd Iechyd'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const forumId = forumOf(ctx).id;
    const p = a.partnership ? await findPartnership(ctx.db, forumId, a.partnership) : null;
    const issues = await ctx.db.forumIssue.findMany({
      where: { forumId, status: 'OPEN', ...(p ? { partnershipId: p.id } : {}) },
      include: { partnership: true, _count: { select: { backings: true } } },
      orderBy: { number: 'asc' },
      take: 30,
    });
    if (!issues.length) return say(ctx.t('reportbacks.issue.none'));
    const title = ctx.t('reportbacks.issue.title', { count: issues.length });
    const text = issues.map((i) => `${i.partnership.name}: ${issueLines(ctx.t, [i])}`).join('\n');
    return say(`${title}\n${text}`, [
      { type: 'header', text: title },
      { type: 'section', text },
      { type: 'buttons', buttons: issues.slice(0, 5).map((i) => ({ label: ctx.t('reportbacks.issue.backNumber', { number: i.number }), action: { command: 'issue back', args: { issue: String(i.number) } } })) },
    ]);
  },
});

const actionList = defineCommand({
  names: { en: 'actions', cy: 'camau' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.actions',
  args: [arg('partnership', zPartnership, 'reportbacks.arg.partnership', { names: 'partnership', positional: true, rest: true }), arg('all', z.enum(['yes', 'no']).default('no'), 'reportbacks.arg.all')],
  examples: { en: ['actions Health and Social Care Board'], cy: ['camau Bwrdd Iechyd'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const forumId = forumOf(ctx).id;
    const p = await findPartnership(ctx.db, forumId, a.partnership);
    const list = await rb.actionList(ctx.db, forumId, p.id, a.all === 'yes');
    if (!list.length) return say(ctx.t('reportbacks.action.none', { partnership: p.name }));
    const today = londonDay(ctx.now());
    const lines = list.map((x) => {
      const due = x.dueOn.toISOString().slice(0, 10);
      const mark = x.doneAt ? ctx.t('reportbacks.action.done') : due < today ? ctx.t('reportbacks.action.overdue') : '';
      return `• ${mark ? `${mark} ` : ''}${x.what} (${x.ownerName}, ${formatDate(x.dueOn, ctx.locale)})`;
    });
    const title = ctx.t('reportbacks.action.title', { partnership: p.name });
    const open = list.filter((x) => !x.doneAt).slice(0, 5);
    const blocks: Block[] = [{ type: 'header', text: title }, { type: 'section', text: lines.join('\n') }];
    if (open.length) blocks.push({ type: 'buttons', buttons: open.map((x) => ({ label: ctx.t('reportbacks.action.doneButton', { what: clip(x.what, 30) }), action: { command: 'action done', args: { id: x.id } } })) });
    return say([title, ...lines].join('\n'), blocks);
  },
});

const actionDone = defineCommand({
  names: { en: 'action done', cy: 'cam wedi’i wneud' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.actionDone',
  args: [arg('id', zId, 'reportbacks.arg.actionId', { positional: true })],
  examples: { en: ['action done 6f1c…'], cy: ['cam wedi’i wneud 6f1c…'] },
  permission: 'member',
  needsForum: true,
  hidden: true,
  async run(ctx, a) {
    const x = await rb.markActionDone(ctx.db, forumOf(ctx).id, ctx.person.id, hasRole(ctx.membership, 'OFFICER'), a.id, ctx.now());
    return say(ctx.t('reportbacks.action.marked', { what: x.what }));
  },
});

export const issueCommands = [issueRaise, issueBack, issueList, actionList, actionDone];
