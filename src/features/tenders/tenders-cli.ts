/**
 * `forumbot tenders import FILE|URL [--forum SLUG] [--themes a,b] [--areas a,b] [--json]`:
 * imports an OCDS release package into a forum's tender alerts and prints the per-release
 * report. New alerts are queued for their subscribers; the running bot delivers them.
 */
import { createApp } from '../../app.ts';
import { createLogger } from '../../core/logger.ts';
import { openOrExplain } from '../../db/db-cli.ts';
import { importPages } from './tenders.feeds.ts';
import { formatReport, importOcds, loadSource, type ImportReport } from './tenders.import.ts';

const USAGE = `usage: forumbot tenders import FILE|URL [--forum SLUG] [--themes a,b] [--areas a,b] [--json]

Imports OCDS releases (a release package, a record package, one release, or JSON lines, as
Sell2Wales, Public Contracts Scotland, Contracts Finder and Find a Tender publish them) into a
forum's tender alerts: open tenders go to matching subscribers, planning notices to the
pipeline, amendments update the alert and tell interested members, awards close it. A URL's
links.next pages are followed (up to 50). Each release is reported; bad ones do not stop the
rest. Exits 1 if the input or any release failed (skipped releases are not failures).
--forum is needed when the database holds more than one forum.`;

export async function tendersCli(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'import') {
    console.error(USAGE);
    return 2;
  }
  let source: string | undefined;
  const opts: { forum?: string; themes?: string[]; areas?: string[]; json: boolean } = { json: false };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? rest[++i];
    const list = () => (value() ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    if (flag === '--forum') opts.forum = value();
    else if (flag === '--themes') opts.themes = list();
    else if (flag === '--areas') opts.areas = list();
    else if (flag === '--json') opts.json = true;
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      return 0;
    } else if (!source && !flag.startsWith('--')) source = a;
    else {
      console.error(`Unknown option “${a}”.\n\n${USAGE}`);
      return 2;
    }
  }
  if (!source) {
    console.error(USAGE);
    return 2;
  }
  const isUrl = /^https?:\/\//i.test(source);
  let bytes: Uint8Array | undefined;
  if (!isUrl) {
    try {
      bytes = await loadSource(source);
    } catch (err) {
      console.error(`Cannot read ${source}: ${(err as Error).message}`);
      return 1;
    }
  }
  const database = await openOrExplain();
  if (!database) return 1;
  try {
    const db = database.prisma;
    const forums = await db.forum.findMany({ where: opts.forum ? { slug: opts.forum } : {}, take: 2 });
    if (forums.length !== 1) {
      console.error(opts.forum ? `No forum with the short name “${opts.forum}”.` : forums.length ? 'More than one forum: choose one with --forum SLUG.' : 'No forum yet: create one first.');
      return 2;
    }
    // no adapters here: deliveries are recorded, and the running bot sends them
    const app = createApp({ db, adapters: [], log: createLogger('warn') });
    const defaults = { themes: opts.themes, areas: opts.areas };
    let report: ImportReport;
    if (bytes) report = await importOcds(app.services, forums[0].id, bytes, defaults);
    else {
      try {
        const pages = await importPages(app.services, forums[0].id, source, defaults, 50);
        report = pages.report;
        if (pages.stopped) report.warnings.push(`package: ${pages.stopped}; go on from ${pages.resumeUrl}`);
      } catch (err) {
        console.error(`Cannot read ${source}: ${(err as Error).message}`);
        return 1;
      }
    }
    await app.services.broadcasts.idle();
    console.log(opts.json ? JSON.stringify(report) : formatReport(report));
    return report.errors.length || report.counts.failed ? 1 : 0;
  } finally {
    await database.close();
  }
}
