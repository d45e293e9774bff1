/**
 * Matching tender alerts to members' subscriptions.
 *
 * Value bands (DOMAIN.md: 001 App.1 §3; 004 Table 2) are half-open, lower bound
 * included: under £5,000 is [0, 5 000), £5k–£25k is [5 000, 25 000), £25k–£100k is
 * [25 000, 100 000), over £100k is [100 000, ∞). So £5,000 exactly is £5k–£25k and
 * £100,000 exactly is over £100k; £4,999.99 is under £5k.
 *
 * An alert's value is the set of its GBP amounts: the range minValue–value (a point if
 * only one is known; minValue alone means "at least", open-ended), plus each lot's value
 * as a point. A band matches if any of them overlaps it, so a big tender split into small
 * lots reaches the small bands. Amounts in other currencies are never converted and take
 * no part; an alert with no GBP amount matches a band filter only when the subscription
 * opts in with `includeUnvalued`.
 *
 * Every filter is any-of; an empty (or absent) filter places no restriction; all
 * non-empty filters must match. Themes and areas compare trimmed and case-insensitively.
 * Keywords match whole words (or whole phrases, any whitespace between words) in the
 * title, description or buyer name, case-insensitively: "care" matches "Care," and
 * "children's care" but not "careers" or "healthcare".
 */
import type { Money } from './ocds.ts';

/** Identifier of a value band. */
export type ValueBand = 'under-5k' | '5k-25k' | '25k-100k' | 'over-100k';

/** The value bands in ascending order, with their half-open GBP ranges [min, max). */
export const VALUE_BANDS: ReadonlyArray<{ readonly id: ValueBand; readonly label: string; readonly min: number; readonly max: number }> = [
  { id: 'under-5k', label: 'Under £5,000', min: 0, max: 5_000 },
  { id: '5k-25k', label: '£5,000 to £25,000', min: 5_000, max: 25_000 },
  { id: '25k-100k', label: '£25,000 to £100,000', min: 25_000, max: 100_000 },
  { id: 'over-100k', label: 'Over £100,000', min: 100_000, max: Number.POSITIVE_INFINITY },
];

/** What matching needs from an alert; a mapped OCDS tender plus themes and areas fits. */
export interface MatchableAlert {
  readonly title: string;
  readonly description?: string | null;
  readonly buyer?: string | { readonly name: string } | null;
  readonly themes?: readonly string[];
  readonly areas?: readonly string[];
  readonly value?: Money | null;
  readonly minValue?: Money | null;
  readonly lots?: ReadonlyArray<{ readonly value: Money | null }>;
}

/** A member's subscription. Each empty or absent filter places no restriction. */
export interface Subscription {
  readonly themes?: readonly string[];
  readonly areas?: readonly string[];
  readonly valueBands?: readonly ValueBand[];
  readonly keywords?: readonly string[];
  /** With a value-band filter, also receive alerts that have no GBP value. Default false. */
  readonly includeUnvalued?: boolean;
}

/** A subscription filter. */
export type SubscriptionFilter = 'themes' | 'areas' | 'valueBands' | 'keywords';

/** The band of a GBP amount, or null for a negative or non-finite amount. */
export function valueBandOf(amount: number): ValueBand | null {
  if (!Number.isFinite(amount) || amount < 0) return null;
  return VALUE_BANDS.find((b) => amount >= b.min && amount < b.max)?.id ?? null;
}

function gbp(m: Money | null | undefined): number | null {
  if (!m || m.currency.trim().toUpperCase() !== 'GBP') return null;
  return Number.isFinite(m.amount) && m.amount >= 0 ? m.amount : null;
}

/** The closed GBP ranges [low, high] an alert covers (see the module comment). */
export function gbpRanges(alert: Pick<MatchableAlert, 'value' | 'minValue' | 'lots'>): Array<readonly [number, number]> {
  const ranges: Array<readonly [number, number]> = [];
  const value = gbp(alert.value);
  const min = gbp(alert.minValue);
  if (value !== null && min !== null) ranges.push([Math.min(min, value), Math.max(min, value)]);
  else if (value !== null) ranges.push([value, value]);
  else if (min !== null) ranges.push([min, Number.POSITIVE_INFINITY]);
  for (const lot of alert.lots ?? []) {
    const v = gbp(lot.value);
    if (v !== null) ranges.push([v, v]);
  }
  return ranges;
}

/** The value bands an alert overlaps, in ascending order (empty if it has no GBP amount). */
export function alertBands(alert: Pick<MatchableAlert, 'value' | 'minValue' | 'lots'>): ValueBand[] {
  const ranges = gbpRanges(alert);
  return VALUE_BANDS.filter((b) => ranges.some(([low, high]) => low < b.max && high >= b.min)).map((b) => b.id);
}

const keywordCache = new Map<string, RegExp | null>();

function keywordPattern(keyword: string): RegExp | null {
  let re = keywordCache.get(keyword);
  if (re === undefined) {
    const words = keyword.normalize('NFC').trim().split(/\s+/).filter(Boolean);
    const body = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+');
    re = body ? new RegExp(`(?<![\\p{L}\\p{N}\\p{M}_])${body}(?![\\p{L}\\p{N}\\p{M}_])`, 'iu') : null;
    if (keywordCache.size > 1_000) keywordCache.clear();
    keywordCache.set(keyword, re);
  }
  return re;
}

/** True if `keyword` occurs in `text` as a whole word or phrase, ignoring case. Blank keywords never match. */
export function keywordMatches(text: string, keyword: string): boolean {
  const re = keywordPattern(keyword);
  return re !== null && re.test(text.normalize('NFC'));
}

function norm(values: readonly string[] | undefined): string[] {
  return (values ?? []).map((v) => v.trim().toLowerCase()).filter(Boolean);
}

/** Which filters of `subscription` the alert passes, and which it fails. */
export function matchSubscription(alert: MatchableAlert, subscription: Subscription): { matches: boolean; failed: SubscriptionFilter[] } {
  const failed: SubscriptionFilter[] = [];
  for (const key of ['themes', 'areas'] as const) {
    const wanted = norm(subscription[key]);
    if (wanted.length === 0) continue;
    const have = new Set(norm(alert[key]));
    if (!wanted.some((w) => have.has(w))) failed.push(key);
  }

  const bands = subscription.valueBands ?? [];
  if (bands.length > 0) {
    const covered = alertBands(alert);
    const passes = covered.length === 0 ? subscription.includeUnvalued === true : bands.some((b) => covered.includes(b));
    if (!passes) failed.push('valueBands');
  }

  const keywords = (subscription.keywords ?? []).filter((k) => k.trim() !== '');
  if (keywords.length > 0) {
    const buyer = typeof alert.buyer === 'string' ? alert.buyer : (alert.buyer?.name ?? '');
    const texts = [alert.title, alert.description ?? '', buyer];
    if (!keywords.some((k) => texts.some((t) => keywordMatches(t, k)))) failed.push('keywords');
  }
  return { matches: failed.length === 0, failed };
}

/** True if the alert passes every non-empty filter of the subscription. */
export function matchesSubscription(alert: MatchableAlert, subscription: Subscription): boolean {
  return matchSubscription(alert, subscription).matches;
}
