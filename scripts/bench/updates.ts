/**
 * bench:updates: the weekly digest of a county forum (1,500 digest subscribers choosing 1–3 of
 * the six themes, 40 updates in the week, 2 digest channels) against the floor for the same work:
 * inserting the same broadcasts and delivery rows directly. And reading a 500-item RSS feed.
 * On the embedded database and, with DATABASE_URL set, on PostgreSQL.
 */
import { XMLParser } from 'fast-xml-parser';
import { createApp } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openDatabase } from '../../src/db/client.ts';
import { parseFeed } from '../../src/features/updates/feed-parse.ts';
import { STANDARD_THEMES } from '../../src/features/updates/rules.ts';
import { sendDigests } from '../../src/features/updates/updates.jobs.ts';
import { testDatabase } from '../../test/support/database.ts';
import { percentile, report, round, timeEach, type Row } from './stats.ts';

const MEMBERS = 1500;
const UPDATES = 40;
const REPS = 5;
const WEEK = 7 * 24 * 3600_000;
const rows: Row[] = [];

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

async function benchOn(kind: 'pglite' | 'postgres') {
  const database = kind === 'pglite' ? await openDatabase({ dataDir: 'memory://' }) : await testDatabase();
  const db = database.prisma;
  const app = createApp({ db, log: silentLogger });
  app.services.broadcasts.kick = () => {}; // measure recording the digest, not delivering it
  const forum = await db.forum.create({ data: { slug: 'bench', name: 'Bench Forum', cvcName: 'CVC' } });
  await db.channel.createMany({ data: [1, 2].map((i) => ({ forumId: forum.id, ref: `bench:channel:${i}`, mode: 'DIGEST' as const })) });
  const people = await db.person.createManyAndReturn({ data: Array.from({ length: MEMBERS }, (_, i) => ({ displayName: `Member ${i}` })) });
  await db.account.createMany({ data: people.map((p, i) => ({ platform: 'bench', platformUserId: `u${i}`, displayName: p.displayName, dmRef: `bench:dm:${i}`, personId: p.id })) });
  await db.membership.createMany({ data: people.map((p) => ({ personId: p.id, forumId: forum.id, status: 'ACTIVE' as const, roles: ['MEMBER' as const] })) });
  await db.updateSubscription.createMany({
    data: people.map((p) => {
      const n = 1 + Math.floor(rand() * 3);
      const themes = [...new Set(Array.from({ length: n }, () => STANDARD_THEMES[Math.floor(rand() * STANDARD_THEMES.length)]))];
      return { forumId: forum.id, personId: p.id, themes, allThemes: rand() < 0.1, mode: 'DIGEST' as const };
    }),
  });
  const first = new Date('2027-01-04T09:00:00Z'); // a Monday, 09:00 London
  await db.update.createMany({
    data: Array.from({ length: UPDATES }, (_, i) => ({ forumId: forum.id, title: `Update ${i}`, themes: [STANDARD_THEMES[i % 6], STANDARD_THEMES[(i * 5) % 6]], postedAt: new Date(first.getTime() - WEEK + 3600_000 * (i + 1)) })),
  });

  const prepare = async (i: number) => {
    const to = new Date(first.getTime() + i * WEEK);
    await db.updateSettings.upsert({ where: { forumId: forum.id }, create: { forumId: forum.id, lastDigestAt: new Date(to.getTime() - WEEK) }, update: { lastDigestAt: new Date(to.getTime() - WEEK) } });
    await db.$executeRaw`UPDATE "Update" SET "postedAt" = "postedAt" + (${WEEK} * interval '1 millisecond') WHERE "forumId" = ${forum.id} AND ${i} > 0`;
    return to;
  };
  // what the digest writes, straight into the tables: one broadcast per choice of themes, and its deliveries
  const subs = await db.updateSubscription.findMany({ where: { forumId: forum.id } });
  const groups = new Map<string, string[]>();
  for (const s of subs) groups.set(s.allThemes ? '*' : [...s.themes].sort().join(','), [...(groups.get(s.allThemes ? '*' : [...s.themes].sort().join(',')) ?? []), `bench:dm:${people.findIndex((p) => p.id === s.personId)}`]);
  const direct = async (i: number) =>
    db.$transaction(async (tx) => {
      for (const [choice, targets] of [['channels', ['bench:channel:1', 'bench:channel:2']] as const, ...groups]) {
        const b = await tx.broadcast.create({ data: { forumId: forum.id, kind: 'direct', message: { en: { text: 'x' }, cy: { text: 'x' } }, dedupeKey: `direct:${kind}:${i}:${choice}` } });
        await tx.delivery.createMany({ data: targets.map((target) => ({ broadcastId: b.id, target, locale: 'en' })) });
      }
    });

  await direct(-1); // warm up
  const baseline = await timeEach(REPS, (i) => direct(i));
  const digest: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const to = await prepare(i);
    const [ms] = await timeEach(1, async () => {
      const sent = await sendDigests(app.services, to);
      if (sent !== 1) throw new Error(`digest not sent for week ${i}`);
    });
    digest.push(ms);
  }
  const deliveries = await db.delivery.count({ where: { broadcast: { kind: 'updates-digest' } } });
  if (deliveries !== REPS * (MEMBERS + 2)) throw new Error(`expected ${REPS * (MEMBERS + 2)} digest deliveries, got ${deliveries}`);
  rows.push({
    case: `weekly digest: ${MEMBERS} subscribers, ${UPDATES} updates, ${groups.size} theme choices, p50 of ${REPS}`,
    db: kind,
    unit: 'ms',
    better: 'lower',
    value: round(percentile(digest, 50)),
    baseline: round(percentile(baseline, 50)),
    baselineName: 'direct insert of the same broadcasts and delivery rows',
  });
  await database.close();
}

function benchParse() {
  const items = Array.from(
    { length: 500 },
    (_, i) =>
      `<item><title>Item ${i} &amp; more</title><link>https://example.org/${i}</link><guid>g${i}</guid><description><![CDATA[<p>${'Some text. '.repeat(60)}</p>]]></description><pubDate>Mon, 16 Nov 2026 10:00:00 GMT</pubDate></item>`,
  ).join('');
  const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>${items}</channel></rss>`;
  // the floor: the library alone turning the same text into objects (no checks, no clean-up of the text)
  const bare = new XMLParser();
  for (let i = 0; i < 5; i++) {
    parseFeed(xml);
    bare.parse(xml);
  }
  const times: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < 20; i++) {
    times.push(...timeEachSync(1, () => parseFeed(xml)));
    floor.push(...timeEachSync(1, () => bare.parse(xml)));
  }
  rows.push({
    case: `read a 500-item RSS feed (${Math.round(xml.length / 1024)} KB), p50`,
    db: null,
    unit: 'ms',
    better: 'lower',
    value: round(percentile(times, 50)),
    baseline: round(percentile(floor, 50)),
    baselineName: 'fast-xml-parser parsing the same text with its defaults',
  });
}

function timeEachSync(n: number, fn: () => unknown): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

benchParse();
await benchOn('pglite');
if (process.env.DATABASE_URL) await benchOn('postgres');
report('updates', rows);
