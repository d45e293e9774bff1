import { AppError } from './errors.ts';
import type { MessageKey } from './i18n.ts';

/**
 * The one row a person means by a name they typed: an exact match (any case), else the only
 * row whose name contains it. None is `notFound`; several is `ambiguous`, listing up to eight.
 */
export function pickByName<T>(rows: T[], name: string, nameOf: (row: T) => string, notFound: MessageKey, ambiguous: MessageKey): T {
  const q = name.trim().toLowerCase();
  const exact = rows.filter((r) => nameOf(r).toLowerCase() === q);
  if (exact.length === 1) return exact[0];
  const partial = rows.filter((r) => nameOf(r).toLowerCase().includes(q));
  if (partial.length === 1) return partial[0];
  if (partial.length === 0) throw new AppError(notFound, { name });
  throw new AppError(ambiguous, { name, options: partial.slice(0, 8).map(nameOf).join('; ') });
}
