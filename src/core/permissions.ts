import type { Db } from '../db/client.ts';
import type { Forum, Membership, Person, Role } from '../generated/prisma/client.ts';
import type { Permission } from './commands.ts';
import type { CommandContext } from './context.ts';
import { AppError } from './errors.ts';

/**
 * The forum an event acts in: the forum that linked this channel, else the person's chosen
 * forum, else their only active membership, else the only forum there is.
 */
export async function resolveForum(db: Db, conversation: string, person: Person): Promise<{ forum: Forum | null; membership: Membership | null }> {
  let forum: Forum | null = null;
  const channel = await db.channel.findFirst({ where: { ref: conversation }, include: { forum: true } });
  if (channel) forum = channel.forum;
  if (!forum && person.currentForumId) forum = await db.forum.findUnique({ where: { id: person.currentForumId } });
  if (!forum) {
    const memberships = await db.membership.findMany({ where: { personId: person.id, status: 'ACTIVE' }, include: { forum: true }, take: 2 });
    if (memberships.length === 1) return { forum: memberships[0].forum, membership: memberships[0] };
  }
  if (!forum) {
    const forums = await db.forum.findMany({ take: 2 });
    if (forums.length === 1) forum = forums[0];
  }
  if (!forum) return { forum: null, membership: null };
  const membership = await db.membership.findUnique({ where: { personId_forumId: { personId: person.id, forumId: forum.id } } });
  return { forum, membership };
}

const needs: Record<Exclude<Permission, 'anyone' | 'member'>, Role[]> = {
  representative: ['REPRESENTATIVE', 'OFFICER'],
  officer: ['OFFICER'],
  returning_officer: ['RETURNING_OFFICER', 'OFFICER'],
};

export const isActive = (m: Membership | null): m is Membership => m?.status === 'ACTIVE';

export function hasRole(m: Membership | null, ...roles: Role[]): boolean {
  return isActive(m) && m.roles.some((r) => roles.includes(r));
}

/** Throws a user-safe error when the person may not run a command with this permission. */
export function checkPermission(permission: Permission, ctx: CommandContext): void {
  if (permission === 'anyone') return;
  if (!isActive(ctx.membership)) throw new AppError('core.permission.member');
  if (permission === 'member') return;
  if (!hasRole(ctx.membership, ...needs[permission])) {
    throw new AppError('core.permission.role', { role: ctx.t(`core.role.${permission}`) });
  }
}
