import type { CommandContext } from '../../core/context.ts';
import type { HomeSection } from '../../core/home.ts';
import { themeList } from './updates.render.ts';

/** The person's home, updates part: the themes they follow and how they hear, or how to start. */
export async function updatesHome(ctx: CommandContext): Promise<HomeSection[]> {
  if (!ctx.forum) return [];
  const forumId = ctx.forum.id;
  const sub = await ctx.db.updateSubscription.findUnique({ where: { forumId_personId: { forumId, personId: ctx.person.id } } });
  if (!sub || (!sub.allThemes && !sub.themes.length)) {
    return [{ id: 'following', items: [{ text: '', buttons: [{ label: ctx.t('core.home.following.howUpdates'), action: { command: 'help', args: { command: 'updates subscribe' } } }] }] }];
  }
  const own = await ctx.db.updateTheme.findMany({ where: { forumId } });
  const themes = sub.allThemes ? ctx.t('updates.theme.all') : themeList(sub.themes, ctx.t, own);
  return [
    {
      id: 'following',
      items: [{ text: ctx.t('core.home.following.updates', { themes, mode: sub.mode }), buttons: [{ label: ctx.t('core.home.following.recentUpdates'), action: { command: 'updates' } }] }],
    },
  ];
}
