/**
 * `forumbot tenders import FILE|URL [--forum SLUG] [--themes a,b] [--areas a,b] [--json]`:
 * imports an OCDS release package into a forum's tender alerts and prints the per-release
 * report. New alerts are queued for their subscribers; the running bot delivers them.
 */
import { createApp } from '../../app.ts';
import { createLogger } from '../../core/logger.ts';
import { openOrExplain } from '../../db/db-cli.ts';
import { formatReport, importOcds, loadSource } from './tenders.import.ts';

const USAGE = `usage: forumbot tenders import FILE|URL [--forum SLUG] [--themes a,b] [--areas a,b] [--json]

Imports an OCDS release package (Sell2Wales, Contracts Finder, Find a Tender) into a forum's
tender alerts: new tenders go to matching subscribers, amendments update the alert and tell
interested members, awards close it. Each release is reported; bad ones do not stop the rest.
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
  let text: string;
  try {
    text = await loadSource(source);
  } catch (err) {
    console.error(`Cannot read ${source}: ${(err as Error).message}`);
    return 1;
  }
  const database = await openOrExplain(true);
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
    const report = await importOcds(app.services, forums[0].id, text, { themes: opts.themes, areas: opts.areas });
    await app.services.broadcasts.idle();
    console.log(opts.json ? JSON.stringify(report) : formatReport(report));
    return report.errors.length || report.counts.failed ? 1 : 0;
  } finally {
    await database.close();
  }
}
