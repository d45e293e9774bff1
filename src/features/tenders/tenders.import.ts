/**
 * OCDS releases into tender alerts. Each release stands alone: a bad one is reported and the
 * others are still imported. Alerts are deduplicated by ocid within a forum; what each release
 * means for members is in the apply module (tenders.apply.ts). Releases are applied in publication order, and
 * releases older than the one already applied are skipped, so importing the same feed again
 * changes nothing.
 */
import { readFile } from 'node:fs/promises';
import { importPackage } from './rules/ocds.ts';
import { applyRelease, type ReleaseOutcome } from './tenders.apply.ts';
import type { Services } from './tenders.service.ts';

export { statusOf, type ReleaseOutcome } from './tenders.apply.ts';

export interface ReleaseReport {
  index: number;
  /** where in the input: `releases[3]`, `records[0].compiledRelease`, `line 4` */
  where?: string;
  ocid?: string;
  releaseId?: string;
  tags: readonly string[];
  outcome: ReleaseOutcome;
  /** why, when skipped, failed, stored closed or kept in the pipeline */
  reason?: string;
  /** the alert's short reference, T12 */
  ref?: string;
  changes?: string[];
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
  /** links.next of the package, when it has one */
  next?: string;
  /** the latest release date read (ISO), for a feed's cursor */
  latest?: string;
}

export interface ImportDefaults {
  themes?: string[];
  areas?: string[];
}

const noCounts = (): Record<ReleaseOutcome, number> => ({ created: 0, pipeline: 0, awarded: 0, closed: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 });

/** Imports releases (a package, records, a release or JSON lines; text, bytes or parsed) into a forum's alerts, with a per-release report. */
export async function importOcds(s: Services, forumId: string, json: unknown, defaults: ImportDefaults = {}): Promise<ImportReport> {
  const mapped = importPackage(json);
  const report: ImportReport = { errors: [], warnings: [], releases: [], counts: noCounts(), ...(mapped.next ? { next: mapped.next } : {}) };
  report.errors.push(...mapped.report.errors.filter((e) => e.startsWith('package: ')));
  report.warnings.push(...mapped.report.warnings.filter((w) => w.startsWith('package: ')));
  // apply in publication order, so a package holding a tender, its amendment and its award works
  const order = [...mapped.releases].sort((a, b) => {
    const da = a.result.ok ? a.result.tender.releaseDate : '';
    const db = b.result.ok ? b.result.tender.releaseDate : '';
    return da === db ? a.index - b.index : da < db ? -1 : 1;
  });
  for (const r of order) {
    const entry = { index: r.index, where: r.where, tags: r.tag, warnings: r.result.warnings };
    if (!r.result.ok) {
      report.releases.push({ ...entry, ocid: r.ocid, outcome: r.result.outcome, reason: r.result.errors.join('; '), errors: r.result.outcome === 'failed' ? r.result.errors : [] });
      continue;
    }
    const t = r.result.tender;
    if (!report.latest || t.releaseDate > report.latest) report.latest = t.releaseDate;
    try {
      report.releases.push({ ...entry, ...(await applyRelease(s, forumId, t, defaults)), errors: [] });
    } catch (err) {
      s.log.error('tender release import failed', { ocid: t.ocid, error: String((err as Error)?.message ?? err) });
      report.releases.push({ ...entry, ocid: t.ocid, outcome: 'failed', errors: [`could not be stored: ${(err as Error)?.message ?? err}`] });
    }
  }
  report.releases.sort((a, b) => a.index - b.index);
  for (const r of report.releases) report.counts[r.outcome]++;
  return report;
}

/** Reads a release package from a file or an http(s) URL, as bytes (decoded when read). */
export async function loadSource(source: string, timeoutMs = 30_000): Promise<Uint8Array> {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetch(source, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${source} answered HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
  return readFile(source);
}

/** The count line of a report, in the report's words. */
export function countsLine(c: Record<ReleaseOutcome, number>): string {
  return [
    `${c.created} announced open`,
    `${c.pipeline} kept in the pipeline`,
    `${c.awarded} recorded already awarded`,
    `${c.closed} closed`,
    `${c.updated} updated`,
    `${c.unchanged} unchanged`,
    `${c.skipped} skipped`,
    `${c.failed} failed`,
  ].join(', ');
}

/** The report as lines for a person to read. */
export function formatReport(r: ImportReport): string {
  const lines: string[] = [];
  for (const e of r.errors) lines.push(`error: ${e}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  for (const x of r.releases) {
    const what = [x.outcome, x.ref, x.changes?.length ? `(${x.changes.join(', ')})` : ''].filter(Boolean).join(' ') + (x.reason ? `: ${x.reason}` : '') + (x.notified ? `; notified ${x.notified}` : '');
    lines.push(`${x.where ?? `releases[${x.index}]`} ${x.ocid ?? '?'} ${x.tags.join(',') || '-'}: ${what}`);
    for (const e of x.errors) if (e !== x.reason) lines.push(`  error: ${e}`);
    for (const w of x.warnings) lines.push(`  warning: ${w}`);
  }
  lines.push(countsLine(r.counts));
  return lines.join('\n');
}
