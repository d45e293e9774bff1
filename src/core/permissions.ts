import type { Membership, Role } from '../generated/prisma/client.ts';
import type { Permission } from './commands.ts';
import type { CommandContext } from './context.ts';
import { AppError } from './errors.ts';

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
