/**
 * Field readers for OCDS releases: money, dates, CPV codes, the procurement route, the
 * notice link, renewal and what the notice says it is suitable for. Each reader says what
 * it could not use in `warnings`, naming the field.
 */
import { parseOcdsDate } from './ocds-dates.ts';
import type { Release, ReleaseTender, ReleaseValue } from './ocds-schema.ts';

/** An amount in a currency (ISO 4217, upper case). */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** Procurement route, as shown to members. */
export type Route = 'open' | 'restricted' | 'framework' | 'dps' | 'approved-list' | 'grant' | 'other';

/** Normalises a CPV code to its 8 digits (no check digit), or null if it is not one. */
export function normaliseCpv(code: string | number): string | null {
  const s = String(code).trim();
  const m = /^(\d{7,8})(?:-\d|\.0+)?$/.exec(s);
  // A 7-digit code lost its leading zero on the way through a number (e.g. 03000000).
  return m ? m[1].padStart(8, '0') : null;
}

const DPS = /dynamic purchasing|\bdps\d*\b|system prynu dynamig|system brynu ddynamig/i;

/**
 * The route of a tender: grant if the details say grant; a dynamic purchasing system if the
 * techniques extension says so, or the title or details name one (Sell2Wales marks its DPSs
 * as frameworks, so the name is read before the framework flag); framework; an approved or
 * select list; else by procurementMethod (open; selective and limited → restricted; direct →
 * other), else from the details' wording.
 */
export function mapRoute(
  tender: Pick<ReleaseTender, 'procurementMethod' | 'procurementMethodDetails' | 'techniques' | 'title'>,
): Route {
  const details = (tender.procurementMethodDetails ?? '').toLowerCase();
  if (/\bgrants?\b/.test(details)) return 'grant';
  if (tender.techniques?.hasDynamicPurchasingSystem || tender.techniques?.dynamicPurchasingSystem || DPS.test(details) || DPS.test(tender.title ?? '')) {
    return 'dps';
  }
  if (tender.techniques?.hasFrameworkAgreement || /\bframework\b/.test(details)) return 'framework';
  if (/approved (provider|supplier|contractor)s?'? list|select list/.test(details)) return 'approved-list';
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

export function mapMoney(v: ReleaseValue | null | undefined, path: string, warnings: string[]): Money | null {
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

/** An OCDS date as an ISO instant, null when absent; an unreadable one is dropped with a warning. */
export function readDate(value: string | null | undefined, path: string, endOfDay: boolean, warnings: string[]): string | null {
  if (value == null || value.trim() === '') return null;
  const parsed = parseOcdsDate(value, endOfDay);
  if (!parsed) {
    warnings.push(`${path}: not a date: ${JSON.stringify(value)}: dropped`);
    return null;
  }
  if (parsed.assumed === 'uk-time') warnings.push(`${path} has no time zone: read as UK time`);
  if (parsed.assumed === 'uk-day') warnings.push(`${path} has no time: read as the ${endOfDay ? 'end' : 'start'} of that day, UK time`);
  return parsed.iso;
}

function httpUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url.trim());
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.toString();
  } catch {
    // not a URL
  }
  return undefined;
}

const NOTICE_TYPES = ['tenderNotice', 'contractNotice', 'awardNotice', 'plannedProcurementNotice', 'marketEngagementNotice'];

/**
 * The notice link: the first notice document (in the order tender, contract, award, planning
 * notice) with an http(s) URL, else the first document with one. A document whose URL is not
 * http(s) is passed over with a warning, so it never hides a good one.
 */
export function noticeLink(r: Release, warnings: string[]): string | undefined {
  const docs = [
    ...(r.tender?.documents ?? []),
    ...(r.awards ?? []).flatMap((a) => a.documents ?? []),
    ...(r.contracts ?? []).flatMap((c) => c.documents ?? []),
    ...(r.planning?.documents ?? []),
  ];
  for (const d of docs) {
    if (d.url && !httpUrl(d.url)) warnings.push(`notice link ${JSON.stringify(d.url)} is not an http(s) URL: passed over`);
  }
  const usable = docs.filter((d) => httpUrl(d.url));
  const notice = NOTICE_TYPES.map((type) => usable.find((d) => d.documentType === type)).find(Boolean) ?? usable[0];
  return notice ? httpUrl(notice.url) : undefined;
}

/** What the notice says it suits, from the suitability extension, else the publisher's wording. */
export function suitabilityOf(r: Release): { sme?: boolean; vcse?: boolean; consortia?: boolean } {
  const t = r.tender ?? {};
  const fromLots = (key: 'sme' | 'vcse'): boolean | undefined => {
    const flags = (t.lots ?? []).map((l) => l.suitability?.[key]).filter((f): f is boolean => typeof f === 'boolean');
    return flags.length ? flags.includes(true) : undefined;
  };
  const words = [t.description, r.description, ...(t.lots ?? []).map((l) => l.description)].filter(Boolean).join('\n');
  const said = (what: RegExp): boolean | undefined => {
    const m = new RegExp(`(\\bnot\\s+|\\bun)?suitable\\s+for\\s+${what.source}`, 'i').exec(words);
    return m ? !m[1] : undefined;
  };
  const sme = t.suitability?.sme ?? fromLots('sme') ?? said(/(?:smes?\b|small(?:er)? (?:and medium[- ]sized )?(?:enterprises|businesses))/);
  const vcse = t.suitability?.vcse ?? fromLots('vcse') ?? said(/(?:vcses?\b|the voluntary|voluntary (?:and community )?(?:sector|organisations)|the third sector|third[- ]sector|charities|social enterprises)/);
  const consortia = said(/consorti(?:a|ums?)\b/);
  return { ...(sme === undefined ? {} : { sme }), ...(vcse === undefined ? {} : { vcse }), ...(consortia === undefined ? {} : { consortia }) };
}

/**
 * When the contract comes up for renewal: the end of the contract period of the signed
 * contract, else of the award, else of the tender, else the earliest lot's (a lot's end is
 * its start plus its duration when only those are given); and what the lots' renewal
 * extension says of extensions.
 */
export function renewalOf(r: Release, warnings: string[]): { date: string | null; note: string | null } {
  const ends = (periods: Array<{ startDate?: string | null; endDate?: string | null; durationInDays?: number | null } | null | undefined>, path: string): string[] =>
    periods.flatMap((p, i) => {
      if (!p) return [];
      const end = readDate(p.endDate, `${path}[${i}].endDate`, true, warnings);
      if (end) return [end];
      const start = readDate(p.startDate, `${path}[${i}].startDate`, false, warnings);
      if (start && p.durationInDays && p.durationInDays > 0) return [new Date(Date.parse(start) + p.durationInDays * 86_400_000).toISOString()];
      return [];
    });
  const candidates = [
    ends((r.contracts ?? []).map((c) => c.period), 'contracts.period'),
    ends((r.awards ?? []).map((a) => a.contractPeriod), 'awards.contractPeriod'),
    ends([r.tender?.contractPeriod], 'tender.contractPeriod'),
    ends((r.tender?.lots ?? []).map((l) => l.contractPeriod), 'tender.lots.contractPeriod'),
  ];
  const found = candidates.find((c) => c.length > 0) ?? [];
  const date = found.length ? found.sort()[0] : null;
  const notes = [...new Set((r.tender?.lots ?? []).flatMap((l) => (l.hasRenewal !== false && l.renewal?.description?.trim() ? [l.renewal.description.trim()] : [])))];
  const note = notes.length ? (notes[0].length > 300 ? `${notes[0].slice(0, 299)}…` : notes[0]) : null;
  return { date, note };
}
