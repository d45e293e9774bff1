/**
 * OCDS feeds as the portals serve them: a page of releases with `links.next` to the next page
 * (the pagination extension), and an `updatedFrom`-style parameter so that a poll asks only for
 * what changed since the last one. A feed keeps its cursor (the latest release date imported)
 * in the database, and the page to go on from if a poll stopped part way.
 */
import type { Prisma, TenderFeed } from '../../generated/prisma/client.ts';
import { countsLine, formatReport, importOcds, loadSource, type ImportDefaults, type ImportReport } from './tenders.import.ts';
import type { Services } from './tenders.service.ts';

/** Query parameters that portals take as "changed since". */
const CURSOR_PARAMS = ['updatedFrom', 'publishedFrom', 'dateFrom', 'releasedFrom', 'modifiedSince', 'since'];
/** Portals whose search API takes one, when the feed's address does not name it. */
const KNOWN: Record<string, string> = {
  'www.contractsfinder.service.gov.uk': 'publishedFrom',
  'www.find-tender.service.gov.uk': 'updatedFrom',
};

/** The feed's address asking only for releases since `cursor` (an ISO instant), when the portal takes such a parameter. */
export function withCursor(url: string, cursor: string | null | undefined): string {
  if (!cursor) return url;
  const u = new URL(url);
  const param = CURSOR_PARAMS.find((p) => u.searchParams.has(p)) ?? KNOWN[u.hostname];
  if (!param) return url;
  u.searchParams.set(param, cursor.slice(0, 19)); // YYYY-MM-DDTHH:MM:SS, UTC, as the portals take it
  u.searchParams.delete('cursor'); // a page cursor belongs to an earlier search
  return u.toString();
}

export interface PagesResult {
  report: ImportReport;
  pages: number;
  /** the page to go on from, when the pages stopped early (a failure or the page limit) */
  resumeUrl?: string;
  /** why it stopped early */
  stopped?: string;
}

/**
 * Imports a page and follows `links.next` (on the same site only) up to `maxPages`. The
 * reports are joined; a release's place says which page it was on.
 */
export async function importPages(s: Services, forumId: string, firstUrl: string, defaults: ImportDefaults, maxPages = 20): Promise<PagesResult> {
  const origin = new URL(firstUrl).origin;
  const seen = new Set<string>();
  let url: string | undefined = firstUrl;
  let total: ImportReport | undefined;
  let pages = 0;
  while (url) {
    if (pages >= maxPages) return { report: total!, pages, resumeUrl: url, stopped: `stopped after ${maxPages} pages` };
    seen.add(url);
    let report: ImportReport;
    try {
      report = await importOcds(s, forumId, await loadSource(url), defaults);
    } catch (err) {
      const why = `page ${pages + 1}: ${(err as Error)?.message ?? err}`;
      if (!total) throw err;
      return { report: total, pages, resumeUrl: url, stopped: why };
    }
    pages++;
    if (pages > 1) for (const r of report.releases) r.where = `page ${pages} ${r.where ?? `releases[${r.index}]`}`;
    total = total ? join(total, report) : report;
    let next: string | undefined = report.next;
    if (next) {
      try {
        next = new URL(next, url).toString();
      } catch {
        next = undefined;
      }
      if (!next || new URL(next).origin !== origin || seen.has(next)) {
        total.warnings.push(`package: links.next ${JSON.stringify(report.next)} not followed (another site, or a page already read)`);
        next = undefined;
      }
    }
    url = next;
  }
  delete total!.next;
  return { report: total!, pages };
}

function join(a: ImportReport, b: ImportReport): ImportReport {
  const counts = { ...a.counts };
  for (const [k, v] of Object.entries(b.counts)) counts[k as keyof typeof counts] += v;
  const latest = [a.latest, b.latest].filter(Boolean).sort().at(-1);
  return {
    errors: [...a.errors, ...b.errors],
    warnings: [...a.warnings, ...b.warnings],
    releases: [...a.releases, ...b.releases.map((r) => ({ ...r, index: r.index + a.releases.length }))],
    counts,
    ...(b.next ? { next: b.next } : {}),
    ...(latest ? { latest } : {}),
  };
}

/** Polls one feed: from where it stopped, or from its cursor; keeps the new cursor and the report. */
export async function pollFeed(s: Services, feed: TenderFeed, now: Date): Promise<PagesResult | null> {
  let result: PagesResult | null = null;
  let report: Record<string, unknown>;
  const start = feed.resumeUrl ?? withCursor(feed.url, feed.cursor);
  try {
    result = await importPages(s, feed.forumId, start, { themes: feed.themes, areas: feed.areas });
    const r = result.report;
    const text = [formatReport(r), result.stopped ? `stopped early: ${result.stopped}; the next poll goes on from ${result.resumeUrl}` : ''].filter(Boolean).join('\n');
    report = { ...r, pages: result.pages, ...(result.stopped ? { stopped: result.stopped } : {}), text, summary: countsLine(r.counts) };
  } catch (err) {
    const message = String((err as Error)?.message ?? err);
    s.log.warn('tender feed poll failed', { feed: feed.id, error: message });
    report = { errors: [`fetch: ${message}`], warnings: [], releases: [], text: `error: fetch: ${message}`, summary: `error: fetch: ${message}` };
  }
  // the cursor moves only when a poll has read every page, so a poll cut short loses nothing
  const latest = result?.report.latest;
  const cursor = result && !result.resumeUrl && latest && (!feed.cursor || latest > feed.cursor) ? latest : feed.cursor;
  await s.db.tenderFeed.update({
    where: { id: feed.id },
    data: {
      lastPolledAt: now,
      lastReport: report as Prisma.InputJsonValue,
      cursor,
      // a failed resume starts again from the cursor next time (the page address may have expired)
      resumeUrl: result?.resumeUrl ?? null,
    },
  });
  return result;
}

/** Polls every configured OCDS feed. */
export async function pollFeeds(s: Services, now: Date): Promise<number> {
  const feeds = await s.db.tenderFeed.findMany();
  for (const feed of feeds) await pollFeed(s, feed, now);
  return feeds.length;
}
