import { AppError } from './errors.ts';
import type { MessageKey } from './i18n.ts';
import { didYouMean, fold, nameVariants, wordsFit } from './input.ts';

/**
 * The one row a person means by a name they typed, forgiving case, accents and apostrophes: an
 * exact match, else the only row whose name contains it, else the only row whose words it starts
 * ("health board" → "Health and Social Care Board"), trying a mutated first word's radical form
 * too ("Fwrdd Iechyd" → "Bwrdd Iechyd"). None is `notFound`, with a "did you mean" for
 * near misses; several is `ambiguous`, listing up to eight.
 */
export function pickByName<T>(rows: T[], name: string, nameOf: (row: T) => string, notFound: MessageKey, ambiguous: MessageKey): T {
  const found = rowsNamed(rows, name, nameOf);
  if (found.length === 1) return found[0];
  if (found.length === 0) throw notFoundError(notFound, name, rows.map(nameOf));
  throw new AppError(ambiguous, { name, options: found.slice(0, 8).map(nameOf).join('; ') });
}

/** The rows a typed name may mean, as {@link pickByName} reads it: one, several (ambiguous) or none. */
export function rowsNamed<T>(rows: readonly T[], name: string, nameOf: (row: T) => string): T[] {
  // the name as typed, then with its first word unmutated (“Fwrdd Iechyd” finds “Bwrdd Iechyd”)
  const variants = nameVariants(name);
  const first = <R>(find: (q: string, typed: boolean) => R[]): R[] => {
    for (const [i, q] of variants.entries()) {
      const found = find(q, i === 0);
      if (found.length) return found;
    }
    return [];
  };
  const exact = first((q) => rows.filter((r) => fold(nameOf(r)) === q));
  if (exact.length === 1) return exact;
  // an unmutated form must be the name's whole first word: the mutation is on that word's first letter
  const sameFirstWord = (n: string, q: string) => n.split(' ')[0] === q.split(' ')[0];
  let partial = first((q, typed) => rows.filter((r) => (typed ? fold(nameOf(r)).includes(q) : fold(nameOf(r)).startsWith(q) && sameFirstWord(fold(nameOf(r)), q))));
  if (partial.length === 0) partial = first((q, typed) => rows.filter((r) => wordsFit(q, nameOf(r)) && (typed || sameFirstWord(fold(nameOf(r)), q))));
  return partial;
}

/** "I could not find …", with "Did you mean …?" when a known name is close to what was typed. */
export function notFoundError(key: MessageKey, name: string, known: string[], params: Record<string, string | number> = { name }): AppError {
  const error = new AppError(key, params);
  const near = didYouMean(name, known);
  return near.length ? error.withHint('core.name.didYouMean', { options: near.map((n) => `“${n}”`).join('; ') }) : error;
}
