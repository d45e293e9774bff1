import type { CommandContext } from '../../core/context.ts';
import type { HomeSection } from '../../core/home.ts';
import { filterSummary } from './tenders.commands.ts';

/** The person's home, tenders part: the tender alerts they asked for and how, or how to start. */
export async function tendersHome(ctx: CommandContext): Promise<HomeSection[]> {
  if (!ctx.forum) return [];
  const sub = await ctx.db.tenderSubscription.findUnique({ where: { forumId_personId: { forumId: ctx.forum.id, personId: ctx.person.id } } });
  if (!sub || sub.muted) {
    return [{ id: 'following', items: [{ text: '', buttons: [{ label: ctx.t('core.home.following.howTenders'), action: { command: 'help', args: { command: 'tenders subscribe' } } }] }] }];
  }
  return [
    {
      id: 'following',
      items: [{ text: ctx.t('core.home.following.tenders', { filters: filterSummary(ctx, sub), mode: sub.mode }), buttons: [{ label: ctx.t('core.home.following.openTenders'), action: { command: 'tenders' } }] }],
    },
  ];
}
