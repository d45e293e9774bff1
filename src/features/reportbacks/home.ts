import type { CommandContext } from '../../core/context.ts';
import { capped, type HomeSection } from '../../core/home.ts';
import { formatDate } from '../../core/i18n.ts';

const excerpt = (text: string, max = 140) => ([...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`);

/**
 * The person's home, report-backs part: the report-backs they owe (meetings held, none filed yet),
 * each with the button that opens its form; and the issues they raised, newest first, with what
 * became of each (open, or answered with the response a report-back recorded).
 */
export async function reportbacksHome(ctx: CommandContext): Promise<HomeSection[]> {
  if (!ctx.forum) return [];
  const now = ctx.now();
  const forumId = ctx.forum.id;
  const [owed, issues] = await Promise.all([
    ctx.db.reportbackRequest.findMany({
      where: { personId: ctx.person.id, reportbackId: null, meeting: { partnership: { forumId }, startsAt: { lte: now } } },
      include: { meeting: { include: { partnership: true } } },
      orderBy: { dueAt: 'asc' },
    }),
    ctx.db.forumIssue.findMany({ where: { forumId, raisedById: ctx.person.id }, include: { partnership: true }, orderBy: { createdAt: 'desc' }, take: 20 }),
  ]);
  const reportbacks = owed.map((r) => {
    const partnership = r.meeting.partnership.name;
    const params = { partnership, meeting: formatDate(r.meeting.startsAt, ctx.locale), due: formatDate(r.dueAt, ctx.locale) };
    return {
      text: ctx.t(r.dueAt < now ? 'core.home.reportbacks.overdue' : 'core.home.reportbacks.item', params),
      buttons: [{ label: ctx.t('core.home.reportbacks.file', { partnership }), style: 'primary' as const, action: { command: 'reportback file', args: { meeting: r.meetingId } } }],
    };
  });
  // open issues first (still waiting), then the answered ones
  const ordered = [...issues.filter((i) => i.status === 'OPEN'), ...issues.filter((i) => i.status !== 'OPEN')];
  const raised = ordered.map((i) => {
    const lines = [ctx.t('core.home.issues.item', { number: i.number, partnership: i.partnership.name, text: excerpt(i.text), status: i.status })];
    if (i.response) lines.push(ctx.t('core.home.issues.response', { response: excerpt(i.response) }));
    return { text: lines.join('\n'), buttons: [] };
  });
  const issueSection = capped(raised, 'issues');
  // one button under the section, not one per issue: the forum's open issues, to back others' too
  if (issueSection.items.length) issueSection.items[issueSection.items.length - 1].buttons.push({ label: ctx.t('core.home.issues.all'), action: { command: 'issues' } });
  return [
    { id: 'reportbacks', ...capped(reportbacks, 'reportback file') },
    { id: 'issues', ...issueSection },
  ];
}
