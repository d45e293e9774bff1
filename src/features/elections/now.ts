import type { NowSection } from '../../core/feature.ts';
import { utcDates } from '../../core/event-context.ts';
import { formatDate } from '../../core/i18n.ts';
import { isActive } from '../../core/permissions.ts';

interface OpenElection {
  id: string;
  title: string;
  phase: 'NOMINATIONS' | 'VOTING';
  nominationsCloseAt: Date;
  votingCloseAt: Date;
}

/** For `help`: the forum's elections a member can nominate in or vote in now, each with its button. */
export const electionsOpenNow: NowSection = {
  sql: `SELECT json_agg(e ORDER BY e."createdAt") FROM (
    SELECT id, title, phase, "nominationsCloseAt", "votingCloseAt", "createdAt" FROM "Election"
    WHERE "forumId" = args.forum_id AND phase IN ('NOMINATIONS', 'VOTING') ORDER BY "createdAt" LIMIT 5) e`,
  render(rows, ctx) {
    if (!isActive(ctx.membership)) return [];
    return rows.map((row) => {
      const e = utcDates(row, 'nominationsCloseAt', 'votingCloseAt') as unknown as OpenElection;
      return e.phase === 'NOMINATIONS'
        ? {
            text: ctx.t('elections.now.nominations', { title: e.title, date: formatDate(e.nominationsCloseAt, ctx.locale, true) }),
            buttons: [{ label: ctx.t('elections.now.nominate'), action: { command: 'nominate', args: { election: e.id } } }],
          }
        : {
            text: ctx.t('elections.now.voting', { title: e.title, date: formatDate(e.votingCloseAt, ctx.locale, true) }),
            buttons: [{ label: ctx.t('elections.now.vote'), style: 'primary' as const, action: { command: 'vote', args: { election: e.id } } }],
          };
    });
  },
};
