/**
 * OCDS 1.1 releases (Sell2Wales, Public Contracts Scotland, Contracts Finder, Find a Tender) to
 * tender alerts, lenient field by field: a release is kept if it has an ocid and something to
 * alert on (a title, from the tender, the release, an award or a contract).
 *
 * - Failed (not kept): no ocid; not an object; no date anywhere (release, tender, package).
 * - Skipped (nothing to alert on, with the reason): no planning, tender, award or contract
 *   section; no title in any of them.
 * - Made good, with a warning: a missing release id is made from ocid and date; a missing
 *   date taken from tender.datePublished or the package's publishedDate; missing tags read
 *   from the sections present; an award or lot without id numbered by position.
 * - Dropped with a warning naming the field: any value of the wrong type (an empty amount,
 *   a tender given as text…); unreadable dates; a value without currency or negative; invalid
 *   CPV codes; a notice URL that is not http(s) (the next good one is used).
 * - Other warnings: a value in a currency other than GBP (kept unconverted, left out of GBP
 *   value bands); a date without time zone (UK time) or without time (a deadline is then the
 *   end of that day); no buyer; unknown tags; no deadline.
 * - CPV codes are normalised to their 8 digits, without the check digit
 *   (`45233162-2` → `45233162`, `45233130.0` → `45233130`), de-duplicated.
 * - Route, renewal, notice link and suitability: see `ocds-fields.ts`.
 * Dates in the output are ISO instants (UTC, `…Z`).
 */
import { mapMoney, mapRoute, normaliseCpv, noticeLink, readDate, renewalOf, suitabilityOf, type Money, type Route } from './ocds-fields.ts';
import { parseLeniently, readReleases, type FoundRelease } from './ocds-read.ts';
import { ReleaseSchema, RELEASE_TAGS, type Release } from './ocds-schema.ts';

export * from './ocds-schema.ts';
export { parseOcdsDate } from './ocds-dates.ts';
export { mapRoute, normaliseCpv, type Money, type Route } from './ocds-fields.ts';
export { decodeBytes, readReleases } from './ocds-read.ts';

/** A lot of a tender. */
export interface TenderLot {
  readonly id: string;
  readonly title: string | null;
  readonly value: Money | null;
}

/** An award, as far as alerts need it. */
export interface TenderAward {
  readonly id: string;
  readonly status: string | null;
  readonly date: string | null;
  readonly value: Money | null;
  readonly suppliers: readonly string[];
}

/** A release mapped to what a tender alert needs. */
export interface MappedTender {
  readonly ocid: string;
  readonly releaseId: string;
  readonly title: string;
  readonly description: string | null;
  readonly buyer: { readonly id: string | null; readonly name: string } | null;
  readonly value: Money | null;
  readonly minValue?: Money;
  /** tenderPeriod.endDate as an ISO instant. */
  readonly deadline: string | null;
  /** enquiryPeriod.endDate (clarification questions) as an ISO instant. */
  readonly enquiryDeadline?: string;
  readonly procurementMethod: string | null;
  readonly route: Route;
  readonly cpv: readonly string[];
  readonly lots: readonly TenderLot[];
  readonly suitability: { readonly sme?: boolean; readonly vcse?: boolean; readonly consortia?: boolean };
  readonly tags: readonly string[];
  readonly link?: string;
  readonly releaseDate: string;
  /** tender.status (OCDS codelist: planning, planned, active, cancelled, complete…). */
  readonly status: string | null;
  readonly awards: readonly TenderAward[];
  /** a planning notice: a procurement to come, not yet open */
  readonly planning?: boolean;
  readonly renewalDate?: string;
  readonly renewalNote?: string;
}

/** Result of {@link mapRelease}. */
export type MapResult =
  | { readonly ok: true; readonly tender: MappedTender; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly outcome: 'failed' | 'skipped'; readonly errors: readonly string[]; readonly warnings: readonly string[] };

/** Result of {@link importPackage}. */
export interface ImportResult {
  readonly releases: ReadonlyArray<{ index: number; where: string; ocid?: string; tag: readonly string[]; result: MapResult }>;
  /** links.next of the package: the next page */
  readonly next?: string;
  readonly report: {
    readonly imported: number;
    readonly skipped: number;
    readonly failed: number;
    /** Every warning, prefixed with `releases[i]: ` or `package: `. */
    readonly warnings: readonly string[];
    /** Every error and reason for skipping, prefixed the same way. */
    readonly errors: readonly string[];
  };
}

const PLANNING_TAGS = ['planning', 'planningUpdate'];

/** Tags for a release that gave none, from the sections it has. */
function tagsFrom(r: Release): string[] {
  if (r.contracts?.length) return ['contract'];
  if (r.awards?.length) return ['award'];
  if (r.tender) return r.tender.status === 'planning' || r.tender.status === 'planned' ? ['planning'] : ['tender'];
  if (r.planning) return ['planning'];
  return [];
}

/** Maps one release (unparsed JSON) to a tender alert, or says why it cannot. */
export function mapRelease(input: unknown, opts: { fallbackDate?: string } = {}): MapResult {
  const parsed = parseLeniently(ReleaseSchema, input);
  if (!parsed.ok) return { ok: false, outcome: 'failed', errors: parsed.errors, warnings: parsed.warnings };
  const warnings = parsed.warnings;
  const r: Release = parsed.data;
  const t = r.tender ?? {};
  const fail = (outcome: 'failed' | 'skipped', why: string): MapResult => ({ ok: false, outcome, errors: [why], warnings });

  if (!r.planning && !r.tender && !r.awards?.length && !r.contracts?.length) return fail('skipped', 'nothing to alert on: no planning, tender, award or contract section');
  const title = [t.title, r.title, ...(r.awards ?? []).map((a) => a.title), ...(r.contracts ?? []).map((c) => c.title)].map((x) => x?.trim()).find(Boolean);
  if (!title) return fail('skipped', 'nothing to alert on: no title (tender.title, awards[].title, contracts[].title)');

  let releaseDate = readDate(r.date, 'date', false, warnings);
  if (!releaseDate) {
    const fallback = readDate(t.datePublished, 'tender.datePublished', false, []) ?? readDate(opts.fallbackDate, 'publishedDate', false, []);
    if (!fallback) return fail('failed', 'date: missing, and no tender.datePublished or package publishedDate to use');
    warnings.push(`date: missing: the ${t.datePublished ? 'tender’s datePublished' : 'package’s publishedDate'} used`);
    releaseDate = fallback;
  }
  const ocid = r.ocid.trim();
  let releaseId = r.id?.trim();
  if (!releaseId) {
    releaseId = `${ocid}-${releaseDate}`;
    warnings.push(`id: missing: made from ocid and date (${releaseId})`);
  }
  let tags = [...new Set((r.tag ?? []).map((x) => x.trim()).filter(Boolean))];
  if (tags.length === 0) {
    tags = tagsFrom(r);
    warnings.push(`tag: missing: read as ${tags.join(', ')} from the sections present`);
  }
  for (const tag of tags) if (!RELEASE_TAGS.includes(tag)) warnings.push(`unknown tag ${JSON.stringify(tag)}`);

  const status = t.status?.trim() || null;
  const planning = tags.some((x) => PLANNING_TAGS.includes(x)) || status === 'planning' || status === 'planned';
  const deadline = readDate(t.tenderPeriod?.endDate, 'tender.tenderPeriod.endDate', true, warnings);
  if (!deadline && !planning && r.tender) warnings.push('tender.tenderPeriod.endDate: no deadline');
  const tenderPhase = tags.some((x) => x.startsWith('tender')) && status !== 'cancelled';
  if (deadline && tenderPhase && deadline < releaseDate) warnings.push('tender.tenderPeriod.endDate is before the release date: the deadline had passed when published');
  const enquiryDeadline = readDate(t.enquiryPeriod?.endDate, 'tender.enquiryPeriod.endDate', true, warnings);

  const buyerRef =
    (r.buyer?.name ? r.buyer : undefined) ??
    r.parties?.find((p) => p.roles?.includes('buyer') && p.name) ??
    (t.procuringEntity?.name ? t.procuringEntity : undefined);
  if (!buyerRef) warnings.push('buyer: missing');

  const value = mapMoney(t.value, 'tender.value', warnings) ?? mapMoney(r.planning?.budget?.amount, 'planning.budget.amount', warnings);
  const minValue = mapMoney(t.minValue, 'tender.minValue', warnings);
  if (value && minValue && value.currency === minValue.currency && minValue.amount > value.amount) {
    warnings.push('tender.minValue is above tender.value');
  }

  const cpv: string[] = [];
  const classifications = [
    t.classification,
    ...(t.additionalClassifications ?? []),
    ...(t.items ?? []).flatMap((i) => [i.classification, ...(i.additionalClassifications ?? [])]),
  ];
  for (const c of classifications) {
    if (!c || (c.scheme ?? '').trim().toUpperCase() !== 'CPV' || c.id == null) continue;
    const code = normaliseCpv(c.id);
    if (code === null) warnings.push(`CPV code ${JSON.stringify(c.id)} is not valid: ignored`);
    else if (!cpv.includes(code)) cpv.push(code);
  }

  const lots: TenderLot[] = (t.lots ?? []).map((l, i) => ({
    id: l.id ?? String(i + 1),
    title: l.title?.trim() || null,
    value: mapMoney(l.value, `tender.lots[${i}].value`, warnings),
  }));

  const awards: TenderAward[] = (r.awards ?? []).map((a, i) => {
    if (!a.id) warnings.push(`awards[${i}].id: missing: numbered award-${i + 1}`);
    return {
      id: a.id ?? `award-${i + 1}`,
      status: a.status?.trim() || null,
      date: readDate(a.date, `awards[${i}].date`, false, warnings),
      value: mapMoney(a.value, `awards[${i}].value`, warnings),
      suppliers: (a.suppliers ?? []).flatMap((s) => (s.name?.trim() ? [s.name.trim()] : [])),
    };
  });

  const link = noticeLink(r, warnings);
  const renewal = renewalOf(r, warnings);

  const tender: MappedTender = {
    ocid,
    releaseId,
    title,
    description: t.description?.trim() || null,
    buyer: buyerRef ? { id: buyerRef.id ?? null, name: (buyerRef.name as string).trim() } : null,
    value,
    ...(minValue ? { minValue } : {}),
    deadline,
    ...(enquiryDeadline ? { enquiryDeadline } : {}),
    procurementMethod: t.procurementMethod?.trim() || null,
    route: mapRoute(t),
    cpv,
    lots,
    suitability: suitabilityOf(r),
    tags,
    ...(link ? { link } : {}),
    releaseDate,
    status,
    awards,
    ...(planning ? { planning } : {}),
    ...(renewal.date ? { renewalDate: renewal.date } : {}),
    ...(renewal.note ? { renewalNote: renewal.note } : {}),
  };
  return { ok: true, tender, warnings };
}

/**
 * Imports a release package, a record package, a single release or JSON lines (text, bytes
 * or parsed JSON). Each release is mapped on its own and reported by index; problems with the
 * input as a whole (not JSON, no releases) fail it with no releases.
 */
export function importPackage(json: unknown): ImportResult {
  const read = readReleases(json);
  const warnings = [...read.warnings];
  const errors = [...read.errors];
  const seen = new Set<string>();
  const releases = read.releases.map((found: FoundRelease, index) => {
    const obj = typeof found.raw === 'object' && found.raw !== null ? (found.raw as Record<string, unknown>) : {};
    const ocid = typeof obj.ocid === 'string' ? obj.ocid : undefined;
    const tag = Array.isArray(obj.tag) ? obj.tag.filter((x): x is string => typeof x === 'string') : typeof obj.tag === 'string' ? [obj.tag] : [];
    let result = mapRelease(found.raw, { fallbackDate: found.publishedDate });
    if (result.ok) {
      const key = `${result.tender.ocid} ${result.tender.releaseId}`;
      if (seen.has(key)) result = { ...result, warnings: [...result.warnings, `release id ${result.tender.releaseId} repeated in this package`] };
      seen.add(key);
    }
    for (const w of result.warnings) warnings.push(`releases[${index}]: ${w}`);
    if (!result.ok) for (const e of result.errors) errors.push(`releases[${index}]: ${e}`);
    return { index, where: found.where, ...(ocid ? { ocid } : {}), tag: result.ok ? result.tender.tags : tag, result };
  });
  const imported = releases.filter((r) => r.result.ok).length;
  const skipped = releases.filter((r) => !r.result.ok && r.result.outcome === 'skipped').length;
  return {
    releases,
    ...(read.next ? { next: read.next } : {}),
    report: { imported, skipped, failed: releases.length - imported - skipped, warnings, errors },
  };
}

/** A change between two releases of the same contracting process that members should hear about. */
export type TenderChange =
  | { readonly kind: 'deadline-moved'; readonly field: 'deadline' | 'enquiryDeadline'; readonly from: string; readonly to: string }
  | { readonly kind: 'value-changed'; readonly field: 'value' | 'minValue'; readonly from: Money; readonly to: Money }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'awarded-changed'; readonly awards: readonly TenderAward[] }
  | { readonly kind: 'opened'; readonly deadline: string };

function sameMoney(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency === b.currency;
}

/**
 * What changed from `previous` to `next` (releases of one ocid, in date order). OCDS
 * releases are partial, so a field missing from `next` means "not restated", never
 * "removed": an award release without tenderPeriod has not moved the deadline.
 */
export function classifyChange(previous: MappedTender, next: MappedTender): TenderChange[] {
  if (previous.ocid !== next.ocid) throw new RangeError(`Different contracting processes: ${previous.ocid} and ${next.ocid}`);
  const changes: TenderChange[] = [];
  for (const field of ['deadline', 'enquiryDeadline'] as const) {
    const from = previous[field];
    const to = next[field];
    if (from && to && from !== to) changes.push({ kind: 'deadline-moved', field, from, to });
  }
  for (const field of ['value', 'minValue'] as const) {
    const from = previous[field];
    const to = next[field];
    if (from && to && !sameMoney(from, to)) changes.push({ kind: 'value-changed', field, from, to });
  }
  const wasCancelled = previous.status === 'cancelled' || previous.tags.includes('tenderCancellation');
  const isCancelled = next.status === 'cancelled' || next.tags.includes('tenderCancellation');
  if (isCancelled && !wasCancelled) changes.push({ kind: 'cancelled' });
  // an award is a change only when it is new or differs in status, value or suppliers: a
  // republished identical award (whatever its release id or date) tells nobody
  const before = new Map(previous.awards.map((a) => [a.id, a]));
  const suppliers = (a: TenderAward) => [...new Set(a.suppliers.map((x) => x.toLowerCase()))].sort().join('\n');
  const awardChanged = next.awards.some((a) => {
    const old = before.get(a.id);
    if (!old || (old.status ?? '') !== (a.status ?? '')) return true;
    if (!old.value !== !a.value || (old.value && a.value && !sameMoney(old.value, a.value))) return true;
    return suppliers(old) !== suppliers(a);
  });
  if (awardChanged) changes.push({ kind: 'awarded-changed', awards: next.awards });
  return changes;
}
