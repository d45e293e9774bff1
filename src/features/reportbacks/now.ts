import type { NowSection } from '../../core/feature.ts';
import { utcDates } from '../../core/event-context.ts';
import { formatDate } from '../../core/i18n.ts';

interface Owed {
  meetingId: string;
  partnership: string;
  dueAt: Date;
}

/** For `help`: the report-backs this person owes for meetings held, each with the button that opens its form. */
export const reportbacksOwedNow: NowSection = {
  sql: `SELECT json_agg(r ORDER BY r."dueAt") FROM (
    SELECT q."meetingId", q."dueAt", p.name AS partnership FROM "ReportbackRequest" q
    JOIN "Meeting" m ON m.id = q."meetingId" JOIN "Partnership" p ON p.id = m."partnershipId"
    WHERE q."personId" = args.person_id AND q."reportbackId" IS NULL AND p."forumId" = args.forum_id AND m."startsAt" <= args.now
    ORDER BY q."dueAt" LIMIT 5) r`,
  render(rows, ctx) {
    return rows.map((row) => {
      const r = utcDates(row, 'dueAt') as unknown as Owed;
      return {
        text: ctx.t('reportbacks.now.owed', { partnership: r.partnership, due: formatDate(r.dueAt, ctx.locale) }),
        buttons: [{ label: ctx.t('reportbacks.meeting.fileButton'), style: 'primary' as const, action: { command: 'reportback file', args: { meeting: r.meetingId } } }],
      };
    });
  },
};
