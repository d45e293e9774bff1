/** zod schemas for tender command arguments; messages are catalogue keys (shown in the user's language). */
import { z } from 'zod';
import { zList } from '../../core/commands.ts';
import { parseOcdsDate } from './rules/ocds.ts';
import { VALUE_BANDS, type ValueBand } from './rules/matching.ts';

/** "25000", "£25,000", "25k", "1.2m" → 25000 / 1200000. */
export function parseAmount(text: string): number | null {
  const m = /^£?\s*(\d[\d,]*(?:\.\d+)?)\s*([km])?$/i.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1].replace(/,/g, '')) * (m[2]?.toLowerCase() === 'k' ? 1_000 : m[2]?.toLowerCase() === 'm' ? 1_000_000 : 1);
  return Number.isFinite(n) ? n : null;
}

export const zAmount = z
  .string()
  .refine((s) => parseAmount(s) !== null, 'tenders.arg.amountFormat')
  .transform((s) => parseAmount(s) as number);

/** "25000" or "5000-25000" (a range). */
export const zValue = z
  .string()
  .refine((s) => {
    const parts = s.split(/\s*(?:-|–|to)\s*/);
    return parts.length <= 2 && parts.every((p) => parseAmount(p) !== null);
  }, 'tenders.arg.valueFormat')
  .transform((s) => {
    const parts = s.split(/\s*(?:-|–|to)\s*/).map((p) => parseAmount(p) as number);
    return parts.length === 2 ? { min: Math.min(...parts), max: Math.max(...parts) } : { min: null, max: parts[0] };
  });

/** A date, or a date and time, in UK time; a bare date means the end of that day. */
export const zDeadline = z
  .string()
  .transform((s) => s.trim().replace(' ', 'T'))
  .refine((s) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(s) && parseOcdsDate(s, true) !== null, 'tenders.arg.deadlineFormat')
  .transform((s) => new Date(parseOcdsDate(s, true)!.iso));

/** "Lot 1: 5000; Lot 2: 20k" → lots with GBP values. */
export const zLots = z
  .string()
  .transform((s) => s.split(';').map((x) => x.trim()).filter(Boolean))
  .refine((parts) => parts.every((p) => /^(.+?)\s*[:=]\s*(.+)$/.test(p) && parseAmount(/^(.+?)\s*[:=]\s*(.+)$/.exec(p)![2]) !== null), 'tenders.arg.lotsFormat')
  .transform((parts) =>
    parts.map((p, i) => {
      const m = /^(.+?)\s*[:=]\s*(.+)$/.exec(p)!;
      return { id: String(i + 1), title: m[1].trim(), value: { amount: parseAmount(m[2]) as number, currency: 'GBP' } };
    }),
  );

export const ROUTES = ['open', 'restricted', 'invitation', 'framework', 'approved-list', 'grant'] as const;
/** Invitation-only and restricted procedures are one route for members. */
export const zRoute = z.enum(ROUTES).transform((r) => (r === 'invitation' ? 'restricted' : r));

export const zYesNo = z.enum(['yes', 'no']).transform((v) => v === 'yes');

export const zBands = zList.refine((bands) => bands.every((b) => VALUE_BANDS.some((v) => v.id === b)), 'tenders.arg.bandsFormat').transform((b) => b as ValueBand[]);

export const zCpv = zList.refine((codes) => codes.every((c) => /^\d{8}(-\d)?$/.test(c)), 'tenders.arg.cpvFormat').transform((codes) => codes.map((c) => c.slice(0, 8)));

export const zLink = z.string().url('tenders.arg.linkFormat').refine((u) => /^https?:\/\//i.test(u), 'tenders.arg.linkFormat');
