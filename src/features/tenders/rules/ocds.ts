/**
 * OCDS 1.1 release packages (Sell2Wales, Contracts Finder, Find a Tender) to tender alerts.
 *
 * Import rules (each release stands alone; a bad one never stops the others):
 * - Errors (release not imported): not an object / schema failure (ocid, id, date, tag
 *   required); no title (tender.title, else the first award's title); an unreadable
 *   release date; a tender-phase release (tag tender, tenderUpdate or tenderAmendment)
 *   whose tender is still open (status not cancelled/unsuccessful/complete/withdrawn)
 *   and has no readable deadline (tenderPeriod.endDate): an alert without a deadline
 *   would mislead.
 * - Warnings (imported): no deadline on other releases (planning, award, cancelled…);
 *   a value in a currency other than GBP (kept with its currency, not converted, and
 *   left out of GBP value-band matching); a value without currency or with a negative
 *   amount (dropped); a date without time zone (read as UK time) or without time (a
 *   deadline is then the end of that day, UK time); no buyer; unknown tags; invalid CPV
 *   codes; non-http(s) links (dropped, as they would be posted in chat).
 * - CPV codes are normalised to their 8 digits, without the check digit
 *   (`45233162-2` → `45233162`, `45233130.0` → `45233130`), de-duplicated.
 * - Route: grant if procurementMethodDetails says grant; framework if the techniques
 *   extension or the details say so; approved-list for a dynamic purchasing system or
 *   an approved/select list; else by procurementMethod: open → open, selective and
 *   limited (invitation) → restricted, direct → other; else from the details' wording.
 * Dates in the output are ISO instants (UTC, `…Z`).
 */
import {
  ReleasePackageSchema,
  ReleaseSchema,
  RELEASE_TAGS,
  type Release,
  type ReleaseTender,
  type ReleaseValue,
} from './ocds-schema.ts';
import { parseOcdsDate } from './ocds-dates.ts';

export * from './ocds-schema.ts';
export { parseOcdsDate } from './ocds-dates.ts';

/** An amount in a currency (ISO 4217, upper case). */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** Procurement route, as shown to members. */
export type Route = 'open' | 'restricted' | 'framework' | 'approved-list' | 'grant' | 'other';

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
  readonly suitability: { readonly sme?: boolean; readonly vcse?: boolean };
  readonly tags: readonly string[];
  readonly link?: string;
  readonly releaseDate: string;
  /** tender.status (OCDS codelist: planning, active, cancelled, complete…). */
  readonly status: string | null;
  readonly awards: readonly TenderAward[];
}

/** Result of {@link mapRelease}. */
export type MapResult =
  | { readonly ok: true; readonly tender: MappedTender; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[]; readonly warnings: readonly string[] };

/** Result of {@link importPackage}. */
export interface ImportResult {
  readonly releases: ReadonlyArray<{ index: number; ocid?: string; tag: readonly string[]; result: MapResult }>;
  readonly report: {
    readonly imported: number;
    readonly failed: number;
    /** Every warning, prefixed with `releases[i]: ` or `package: `. */
    readonly warnings: readonly string[];
    /** Every error, prefixed the same way. */
    readonly errors: readonly string[];
  };
}

const TENDER_PHASE_TAGS = ['tender', 'tenderUpdate', 'tenderAmendment'];
const CLOSED_TENDER_STATUSES = ['cancelled', 'unsuccessful', 'complete', 'withdrawn'];

/** Normalises a CPV code to its 8 digits (no check digit), or null if it is not one. */
export function normaliseCpv(code: string | number): string | null {
  const s = String(code).trim();
  const m = /^(\d{7,8})(?:-\d|\.0+)?$/.exec(s);
  // A 7-digit code lost its leading zero on the way through a number (e.g. 03000000).
  return m ? m[1].padStart(8, '0') : null;
}

/** The route of a tender; see the module comment for the rules. */
export function mapRoute(tender: Pick<ReleaseTender, 'procurementMethod' | 'procurementMethodDetails' | 'techniques'>): Route {
  const details = (tender.procurementMethodDetails ?? '').toLowerCase();
  if (/\bgrants?\b/.test(details)) return 'grant';
  if (tender.techniques?.hasFrameworkAgreement || /\bframework\b/.test(details)) return 'framework';
  if (
    tender.techniques?.hasDynamicPurchasingSystem ||
    /dynamic purchasing|\bdps\b|approved (provider|supplier|contractor)s?'? list|select list/.test(details)
  ) {
    return 'approved-list';
  }
  switch ((tender.procurementMethod ?? '').trim().toLowerCase()) {
    case 'open':
      return 'open';
    case 'selective':
    case 'limited':
      return 'restricted';
    case 'direct':
      return 'other';
  }
  if (/\b(restricted|invitation|invited|selective|negotiated)\b/.test(details)) return 'restricted';
  if (/\bopen\b/.test(details)) return 'open';
  return 'other';
}

function mapMoney(v: ReleaseValue | null | undefined, path: string, warnings: string[]): Money | null {
  if (!v || v.amount == null) return null;
  const currency = (v.currency ?? '').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
    warnings.push(`${path} has no valid currency: value ignored`);
    return null;
  }
  if (v.amount < 0) {
    warnings.push(`${path} is negative: value ignored`);
    return null;
  }
  if (currency !== 'GBP') warnings.push(`${path} is in ${currency}: kept unconverted, not used for GBP value bands`);
  return { amount: v.amount, currency };
}

function readDate(value: string | null | undefined, path: string, endOfDay: boolean, warnings: string[]): string | null | 'invalid' {
  if (value == null || value.trim() === '') return null;
  const parsed = parseOcdsDate(value, endOfDay);
  if (!parsed) return 'invalid';
  if (parsed.assumed === 'uk-time') warnings.push(`${path} has no time zone: read as UK time`);
  if (parsed.assumed === 'uk-day') warnings.push(`${path} has no time: read as the ${endOfDay ? 'end' : 'start'} of that day, UK time`);
  return parsed.iso;
}

function safeLink(url: string | null | undefined, warnings: string[]): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url.trim());
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.toString();
  } catch {
    // fall through to the warning
  }
  warnings.push(`notice link ${JSON.stringify(url)} is not an http(s) URL: dropped`);
  return undefined;
}

/** Maps one release (unparsed JSON) to a tender alert, or says why it cannot. */
export function mapRelease(input: unknown): MapResult {
  const warnings: string[] = [];
  const parsed = ReleaseSchema.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'release'}: ${i.message}`);
    return { ok: false, errors, warnings };
  }
  const r: Release = parsed.data;
  const t = r.tender ?? {};
  const errors: string[] = [];
  const tags = [...new Set(r.tag.map((x) => x.trim()).filter(Boolean))];
  for (const tag of tags) if (!RELEASE_TAGS.includes(tag)) warnings.push(`unknown tag ${JSON.stringify(tag)}`);

  const title = t.title?.trim() || r.awards?.find((a) => a.title?.trim())?.title?.trim();
  if (!title) errors.push('tender.title: missing');

  const releaseDate = readDate(r.date, 'date', false, warnings);
  if (releaseDate === null || releaseDate === 'invalid') errors.push(`date: not a date: ${JSON.stringify(r.date)}`);

  const status = t.status?.trim() || null;
  const open = tags.some((x) => TENDER_PHASE_TAGS.includes(x)) && !CLOSED_TENDER_STATUSES.includes(status ?? '');
  let deadline = readDate(t.tenderPeriod?.endDate, 'tender.tenderPeriod.endDate', true, warnings);
  if (deadline === 'invalid' || deadline === null) {
    const why =
      deadline === 'invalid'
        ? `tender.tenderPeriod.endDate: not a date: ${JSON.stringify(t.tenderPeriod?.endDate)}`
        : 'tender.tenderPeriod.endDate: no deadline';
    (open ? errors : warnings).push(why);
    deadline = null;
  } else if (open && typeof releaseDate === 'string' && deadline < releaseDate) {
    warnings.push('tender.tenderPeriod.endDate is before the release date: the deadline had passed when published');
  }
  let enquiryDeadline = readDate(t.enquiryPeriod?.endDate, 'tender.enquiryPeriod.endDate', true, warnings);
  if (enquiryDeadline === 'invalid') {
    warnings.push(`tender.enquiryPeriod.endDate: not a date: ${JSON.stringify(t.enquiryPeriod?.endDate)}: ignored`);
    enquiryDeadline = null;
  }

  if (errors.length) return { ok: false, errors, warnings };

  const buyerRef =
    (r.buyer?.name ? r.buyer : undefined) ??
    r.parties?.find((p) => p.roles?.includes('buyer') && p.name) ??
    (t.procuringEntity?.name ? t.procuringEntity : undefined);
  if (!buyerRef) warnings.push('buyer: missing');

  const value = mapMoney(t.value, 'tender.value', warnings);
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
    id: l.id,
    title: l.title?.trim() || null,
    value: mapMoney(l.value, `tender.lots[${i}].value`, warnings),
  }));

  const fromLots = (key: 'sme' | 'vcse'): boolean | undefined => {
    const flags = (t.lots ?? []).map((l) => l.suitability?.[key]).filter((f): f is boolean => typeof f === 'boolean');
    return flags.length ? flags.includes(true) : undefined;
  };
  const sme = t.suitability?.sme ?? fromLots('sme');
  const vcse = t.suitability?.vcse ?? fromLots('vcse');

  const awards: TenderAward[] = (r.awards ?? []).map((a, i) => {
    const date = readDate(a.date, `awards[${i}].date`, false, warnings);
    return {
      id: a.id,
      status: a.status?.trim() || null,
      date: date === 'invalid' ? null : date,
      value: mapMoney(a.value, `awards[${i}].value`, warnings),
      suppliers: (a.suppliers ?? []).flatMap((s) => (s.name ? [s.name] : [])),
    };
  });

  const documents = [...(t.documents ?? []), ...(r.awards ?? []).flatMap((a) => a.documents ?? [])];
  const notice =
    ['tenderNotice', 'contractNotice', 'awardNotice']
      .map((type) => documents.find((d) => d.documentType === type && d.url))
      .find(Boolean) ?? documents.find((d) => d.url);
  const link = safeLink(notice?.url, warnings);

  const tender: MappedTender = {
    ocid: r.ocid.trim(),
    releaseId: r.id,
    title: title as string,
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
    suitability: { ...(sme === undefined ? {} : { sme }), ...(vcse === undefined ? {} : { vcse }) },
    tags,
    ...(link ? { link } : {}),
    releaseDate: releaseDate as string,
    status,
    awards,
  };
  return { ok: true, tender, warnings };
}

/**
 * Imports a release package (a JSON string or parsed JSON). Each release is mapped on
 * its own and reported by index; package-level problems (not JSON, no `releases`
 * array, a record package) fail the whole import with no releases.
 */
export function importPackage(json: unknown): ImportResult {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (e) {
      return packageFailure(`not JSON: ${(e as Error).message}`);
    }
  }
  const pkg = ReleasePackageSchema.safeParse(data);
  if (!pkg.success) {
    const isRecordPackage = typeof data === 'object' && data !== null && 'records' in data;
    return packageFailure(isRecordPackage ? 'a record package: send a release package' : 'no releases array');
  }
  const warnings: string[] = [];
  const errors: string[] = [];
  if (pkg.data.version && !pkg.data.version.startsWith('1.1')) {
    warnings.push(`package: version ${pkg.data.version} read as 1.1`);
  }
  const seen = new Set<string>();
  const releases = pkg.data.releases.map((raw, index) => {
    const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const ocid = typeof obj.ocid === 'string' ? obj.ocid : undefined;
    const tag = Array.isArray(obj.tag) ? obj.tag.filter((x): x is string => typeof x === 'string') : typeof obj.tag === 'string' ? [obj.tag] : [];
    let result = mapRelease(raw);
    if (result.ok) {
      const key = `${result.tender.ocid} ${result.tender.releaseId}`;
      if (seen.has(key)) result = { ...result, warnings: [...result.warnings, `release id ${result.tender.releaseId} repeated in this package`] };
      seen.add(key);
    }
    for (const w of result.warnings) warnings.push(`releases[${index}]: ${w}`);
    if (!result.ok) for (const e of result.errors) errors.push(`releases[${index}]: ${e}`);
    return { index, ...(ocid ? { ocid } : {}), tag, result };
  });
  const imported = releases.filter((r) => r.result.ok).length;
  return { releases, report: { imported, failed: releases.length - imported, warnings, errors } };
}

function packageFailure(message: string): ImportResult {
  return { releases: [], report: { imported: 0, failed: 0, warnings: [], errors: [`package: ${message}`] } };
}

/** A change between two releases of the same contracting process that members should hear about. */
export type TenderChange =
  | { readonly kind: 'deadline-moved'; readonly field: 'deadline' | 'enquiryDeadline'; readonly from: string; readonly to: string }
  | { readonly kind: 'value-changed'; readonly field: 'value' | 'minValue'; readonly from: Money; readonly to: Money }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'awarded-changed'; readonly awards: readonly TenderAward[] };

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
  const before = new Map(previous.awards.map((a) => [a.id, a]));
  const awardChanged = next.awards.some((a) => {
    const old = before.get(a.id);
    if (!old || old.status !== a.status) return true;
    if (!old.value !== !a.value || (old.value && a.value && !sameMoney(old.value, a.value))) return true;
    return old.suppliers.join('\n') !== a.suppliers.join('\n');
  });
  if (awardChanged) changes.push({ kind: 'awarded-changed', awards: next.awards });
  return changes;
}
