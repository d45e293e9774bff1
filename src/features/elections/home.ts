import type { CommandContext } from '../../core/context.ts';
import { capped, type HomeItem, type HomeSection } from '../../core/home.ts';
import { formatDate } from '../../core/i18n.ts';
import { isActive } from '../../core/permissions.ts';
import { hasVoted, voterFor } from './voting.service.ts';

/**
 * The person's home, elections part: the elections they can vote in and have not yet (on the roll
 * as themself or as their organisation's voter), and those taking nominations, with what they can
 * do there (nominate themself, accept a nomination, or nothing: they are standing).
 */
export async function electionsHome(ctx: CommandContext): Promise<HomeSection[]> {
  if (!ctx.forum || !isActive(ctx.membership)) return [];
  const now = ctx.now();
  const open = await ctx.db.election.findMany({ where: { forumId: ctx.forum.id, phase: { in: ['NOMINATIONS', 'VOTING'] } }, orderBy: { createdAt: 'asc' } });
  const voting: HomeItem[] = [];
  for (const e of open.filter((x) => x.phase === 'VOTING' && x.votingCloseAt > now).sort((a, b) => +a.votingCloseAt - +b.votingCloseAt)) {
    const voter = await voterFor(ctx.db, e, ctx.person.id, ctx.membership).catch(() => null); // not on this roll: not waiting for them
    if (!voter || (await hasVoted(ctx.db, e.id, voter.voterKey))) continue;
    voting.push({
      text: ctx.t('core.home.voting.item', { title: e.title, date: formatDate(e.votingCloseAt, ctx.locale, true) }),
      buttons: [{ label: ctx.t('core.home.voting.vote', { title: e.title }), style: 'primary', action: { command: 'vote', args: { election: e.id } } }],
    });
  }
  const taking = open.filter((x) => x.phase === 'NOMINATIONS' && x.nominationsCloseAt > now).sort((a, b) => +a.nominationsCloseAt - +b.nominationsCloseAt);
  const mine = taking.length
    ? await ctx.db.candidate.findMany({ where: { electionId: { in: taking.map((e) => e.id) }, personId: ctx.person.id, withdrawn: false } })
    : [];
  const nominations: HomeItem[] = taking.map((e) => {
    const c = mine.find((m) => m.electionId === e.id);
    const text = ctx.t('core.home.nominations.item', { title: e.title, date: formatDate(e.nominationsCloseAt, ctx.locale, true) });
    if (c?.accepted) return { text: `${text}\n${ctx.t('core.home.nominations.standing')}`, buttons: [] };
    if (c) {
      return {
        text: `${text}\n${ctx.t('core.home.nominations.invited')}`,
        buttons: [{ label: ctx.t('core.home.nominations.accept', { title: e.title }), style: 'primary', action: { command: 'nomination accept', args: { election: e.id } } }],
      };
    }
    return { text, buttons: [{ label: ctx.t('core.home.nominations.nominate', { title: e.title }), action: { command: 'nominate', args: { election: e.id } } }] };
  });
  return [
    { id: 'voting', ...capped(voting, 'elections') },
    { id: 'nominations', ...capped(nominations, 'elections') },
  ];
}
