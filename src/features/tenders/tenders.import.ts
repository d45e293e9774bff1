/**
 * OCDS release packages into tender alerts. Each release stands alone: a bad one is reported
 * and the others are still imported. Alerts are deduplicated by ocid within a forum; a later
 * release of the same process updates the alert and tells interested members what changed;
 * an award (or a cancellation) closes it. Releases older than the one already applied are
 * skipped, so polling the same feed again changes nothing.
 */
import { readFile } from 'node:fs/promises';
import type { Prisma, TenderAlert } from '../../generated/prisma/client.ts';
import { classifyChange, importPackage, type MappedTender, type TenderChange } from './rules/ocds.ts';
import { refOf } from './tenders.render.ts';
import { announceAlert, createAlert, notifyChange, type AlertInput, type Services } from './tenders.service.ts';

export type ReleaseOutcome = 'created' | 'updated' | 'closed' | 'unchanged' | 'skipped' | 'failed';

export interface ReleaseReport {
  index: number;
  ocid?: string;
  releaseId?: string;
  tags: readonly string[];
  outcome: ReleaseOutcome;
  /** the alert's short reference, T12 */
  ref?: string;
  changes?: TenderChange['kind'][];
  /** members told of a change, or channels and members sent a new alert */
  notified?: number;
  errors: readonly string[];
  warnings: readonly string[];
}

export interface ImportReport {
  /** problems with the package as a whole (then no release was read) */
  errors: string[];
  warnings: string[];
  releases: ReleaseReport[];
  counts: Record<ReleaseOutcome, number>;
}

export interface ImportDefaults {
  themes?: string[];
  areas?: string[];
}

const CLOSED = ['cancelled', 'unsuccessful', 'withdrawn'];

/** The alert status a release implies: an award closes it, a cancellation cancels it. */
export function statusOf(t: MappedTender): 'open' | 'cancelled' | 'awarded' | 'closed' {
  if (t.awards.length > 0 || t.tags.includes('award')) return 'awarded';
  if (CLOSED.includes(t.status ?? '') || t.tags.includes('tenderCancellation')) return 'cancelled';
  if (t.status === 'complete') return 'closed';
  return 'open';
}

function inputOf(t: MappedTender, defaults: ImportDefaults): AlertInput {
  const currency = t.value?.currency ?? t.minValue?.currency ?? null;
  return {
    title: t.title,
    buyer: t.buyer?.name ?? null,
    description: t.description,
    currency,
    valueAmount: t.value?.amount ?? null,
    minValueAmount: t.minValue && t.minValue.currency === currency ? t.minValue.amount : null,
    lots: t.lots.map((l) => ({ id: l.id, title: l.title, value: l.value })),
    deadline: t.deadline ? new Date(t.deadline) : null,
    enquiryDeadline: t.enquiryDeadline ? new Date(t.enquiryDeadline) : null,
    route: t.route,
    themes: defaults.themes ?? [],
    areas: defaults.areas ?? [],
    cpv: [...t.cpv],
    sme: t.suitability.sme ?? null,
    vcse: t.suitability.vcse ?? null,
    link: t.link ?? null,
    ocid: t.ocid,
    releaseId: t.releaseId,
    releaseDate: new Date(t.releaseDate),
    status: statusOf(t),
  };
}

/** The stored alert as the release it came from, for classifying what a new release changes. */
function asMapped(a: TenderAlert): MappedTender {
  const cur = a.currency ?? 'GBP';
  return {
    ocid: a.ocid ?? '',
    releaseId: a.releaseId ?? '',
    title: a.title,
    description: a.description,
    buyer: a.buyer ? { id: null, name: a.buyer } : null,
    value: a.valueAmount == null ? null : { amount: a.valueAmount, currency: cur },
    ...(a.minValueAmount == null ? {} : { minValue: { amount: a.minValueAmount, currency: cur } }),
    deadline: a.deadline?.toISOString() ?? null,
    ...(a.enquiryDeadline ? { enquiryDeadline: a.enquiryDeadline.toISOString() } : {}),
    procurementMethod: null,
    route: 'other',
    cpv: a.cpv,
    lots: [],
    suitability: {},
    tags: [],
    releaseDate: (a.releaseDate ?? a.createdAt).toISOString(),
    status: a.status === 'cancelled' ? 'cancelled' : 'active',
    awards: [],
  };
}

/** Applies one mapped release to the forum's alerts. */
async function applyRelease(s: Services, forumId: string, t: MappedTender, defaults: ImportDefaults): Promise<Omit<ReleaseReport, 'index' | 'tags' | 'errors' | 'warnings'>> {
  const base = { ocid: t.ocid, releaseId: t.releaseId };
  const existing = await s.db.tenderAlert.findUnique({ where: { forumId_ocid: { forumId, ocid: t.ocid } } });
  const input = inputOf(t, defaults);
  if (!existing) {
    const alert = await createAlert(s.db, forumId, input, null, s.now());
    if (alert.releaseId !== t.releaseId) return { ...base, outcome: 'unchanged', ref: refOf(alert) }; // another import won the race
    if (alert.status !== 'open') return { ...base, outcome: 'closed', ref: refOf(alert) };
    const to = await announceAlert(s, alert);
    return { ...base, outcome: 'created', ref: refOf(alert), notified: to.channels.length + to.people.length };
  }
  if (existing.releaseId === t.releaseId) return { ...base, outcome: 'unchanged', ref: refOf(existing) };
  if (existing.releaseDate && new Date(t.releaseDate) < existing.releaseDate) return { ...base, outcome: 'skipped', ref: refOf(existing) };

  const changes = classifyChange(asMapped(existing), t);
  const status = input.status === 'open' && existing.status !== 'open' ? existing.status : input.status!;
  // releases are partial: only what a release restates replaces what is stored
  const data: Prisma.TenderAlertUpdateInput = {
    releaseId: t.releaseId,
    releaseDate: input.releaseDate,
    status,
    ...(t.tags.some((x) => x.startsWith('tender')) && t.title ? { title: t.title } : {}),
    ...(input.description ? { description: input.description } : {}),
    ...(input.buyer ? { buyer: input.buyer } : {}),
    ...(input.valueAmount != null ? { valueAmount: input.valueAmount, currency: input.currency } : {}),
    ...(input.minValueAmount != null ? { minValueAmount: input.minValueAmount } : {}),
    ...(input.deadline ? { deadline: input.deadline } : {}),
    ...(input.enquiryDeadline ? { enquiryDeadline: input.enquiryDeadline } : {}),
    ...(input.lots?.length ? { lots: input.lots as unknown as Prisma.InputJsonValue } : {}),
    ...(input.cpv?.length ? { cpv: input.cpv } : {}),
    ...(input.link ? { link: input.link } : {}),
    ...(input.sme != null ? { sme: input.sme } : {}),
    ...(input.vcse != null ? { vcse: input.vcse } : {}),
  };
  // the conditional update is the claim: two pollers applying the same release notify once
  const claimed = await s.db.tenderAlert.updateMany({ where: { id: existing.id, releaseId: existing.releaseId }, data: data as Prisma.TenderAlertUpdateManyMutationInput });
  if (claimed.count !== 1) return { ...base, outcome: 'unchanged', ref: refOf(existing) };
  const updated = await s.db.tenderAlert.findUniqueOrThrow({ where: { id: existing.id } });
  if (status === 'cancelled' && existing.status !== 'cancelled' && !changes.some((c) => c.kind === 'cancelled')) changes.push({ kind: 'cancelled' });
  const notified = await notifyChange(s, updated, changes, t.releaseId);
  return { ...base, outcome: status !== 'open' && existing.status === 'open' ? 'closed' : 'updated', ref: refOf(updated), changes: changes.map((c) => c.kind), notified };
}

const noCounts = (): Record<ReleaseOutcome, number> => ({ created: 0, updated: 0, closed: 0, unchanged: 0, skipped: 0, failed: 0 });

/** Imports a release package (JSON text or parsed) into a forum's alerts, with a per-release report. */
export async function importOcds(s: Services, forumId: string, json: unknown, defaults: ImportDefaults = {}): Promise<ImportReport> {
  const mapped = importPackage(json);
  const report: ImportReport = { errors: [], warnings: [], releases: [], counts: noCounts() };
  report.errors.push(...mapped.report.errors.filter((e) => e.startsWith('package: ')));
  report.warnings.push(...mapped.report.warnings.filter((w) => w.startsWith('package: ')));
  // apply in publication order, so a package holding a tender, its amendment and its award works
  const order = [...mapped.releases].sort((a, b) => {
    const da = a.result.ok ? a.result.tender.releaseDate : '';
    const db = b.result.ok ? b.result.tender.releaseDate : '';
    return da === db ? a.index - b.index : da < db ? -1 : 1;
  });
  for (const r of order) {
    const entry = { index: r.index, tags: r.tag, warnings: r.result.warnings };
    if (!r.result.ok) {
      report.releases.push({ ...entry, ocid: r.ocid, outcome: 'failed', errors: r.result.errors });
      continue;
    }
    try {
      report.releases.push({ ...entry, ...(await applyRelease(s, forumId, r.result.tender, defaults)), errors: [] });
    } catch (err) {
      s.log.error('tender release import failed', { ocid: r.result.tender.ocid, error: String((err as Error)?.message ?? err) });
      report.releases.push({ ...entry, ocid: r.result.tender.ocid, outcome: 'failed', errors: [`could not be stored: ${(err as Error)?.message ?? err}`] });
    }
  }
  report.releases.sort((a, b) => a.index - b.index);
  for (const r of report.releases) report.counts[r.outcome]++;
  return report;
}

/** Reads a release package from a file or an http(s) URL. */
export async function loadSource(source: string, timeoutMs = 30_000): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetch(source, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${source} answered HTTP ${res.status}`);
    return res.text();
  }
  return readFile(source, 'utf8');
}

/** The report as lines for a person to read. */
export function formatReport(r: ImportReport): string {
  const lines: string[] = [];
  for (const e of r.errors) lines.push(`error: ${e}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  for (const x of r.releases) {
    const what = [x.outcome, x.ref, x.changes?.length ? `(${x.changes.join(', ')})` : '', x.notified ? `notified ${x.notified}` : ''].filter(Boolean).join(' ');
    lines.push(`releases[${x.index}] ${x.ocid ?? '?'} ${x.tags.join(',') || '-'}: ${what}`);
    for (const e of x.errors) lines.push(`  error: ${e}`);
    for (const w of x.warnings) lines.push(`  warning: ${w}`);
  }
  const c = r.counts;
  lines.push(`${c.created} created, ${c.updated} updated, ${c.closed} closed, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.failed} failed`);
  return lines.join('\n');
}
