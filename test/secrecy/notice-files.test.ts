import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.ts';
import { tellOfficersOfAnonymous } from '../../src/features/breaches/breaches.jobs.ts';
import { addMessage, hashReceipt, publishHeldAnonymous } from '../../src/features/breaches/notices.service.ts';
import { allText, type ScenarioDriver } from '../scenarios/driver.ts';
import { discordWorld } from '../scenarios/discord-driver.ts';
import { slackDriver } from '../scenarios/slack-driver.ts';
import { teamsDriver } from '../scenarios/teams-driver.ts';
import { webDriver } from '../scenarios/web-driver.ts';

/**
 * A database superuser's (and a log reader's) attacks on anonymous breach notices filed from every
 * platform: on Slack, Discord and Teams through the real SDKs against their stand-ins, and on the
 * web chat over HTTP, FILERS members each file one notice at the same time (the form, then its
 * submission), with the mixing job publishing held notices while they do; then every filer checks
 * their case and answers the officers with the receipt, again at the same time. Each platform's
 * bot has its own database, so each platform is attacked on its own and the hits are added up.
 *
 * The truth (which notice and message is whose) is known here from the receipts, and so is which
 * platform event was whose (as the platform's own records would tell an attacker), and which
 * anonymous-count bucket is whose (a superuser can recompute them with the day's key). Chance: an
 * attacker who knows which move a notice or message was published in (moves are the only
 * transactions they are written in) and guesses within it gets one right per move; so chance is
 * the number of moves that published anything, with 4 standard deviations allowed, as in
 * ballot-files.test.ts.
 *
 * On PostgreSQL as a superuser (DATABASE_URL); the SQL-level attacks also run on PGlite.
 */
const FILERS = 9; // per platform: 36 in all
const onPostgres = !!process.env.DATABASE_URL;
const codeIn = (text: string, pattern: RegExp) => {
  const m = pattern.exec(text);
  if (!m) throw new Error(`no code in: ${text}`);
  return m[1];
};

interface Filer {
  name: string;
  userId: string;
  personId: string;
  receipt: string;
  texts: string[];
}

interface World {
  platform: string;
  d: ScenarioDriver;
  lines: string[];
  /** ProcessedEvent key -> platform user id (what the platform knows) */
  eventUser: Map<string, string>;
  filers: Filer[];
  /** notice id -> filer name (the truth, from the receipts) */
  noticeFiler: Map<string, string>;
  /** moves of the mixing job that published anything */
  batches: number;
}

const starts: [string, (log: ReturnType<typeof createLogger>) => Promise<ScenarioDriver>][] = [
  [
    'Slack',
    async (log) => {
      const slack = await slackDriver({ log });
      // Slack's 3-second acknowledgement is tested on its own (test/platforms/slack); here four bots
      // on one busy machine file at once, and a late acknowledgement must not fail the attack
      slack.standIn.ackTimeoutMs = 30_000;
      return slack;
    },
  ],
  [
    'Discord',
    async (log) => {
      const world = await discordWorld({ log });
      world.stand.callbackDeadlineMs = 30_000; // as for Slack: the 3-second rule is tested on its own
      return world.driver;
    },
  ],
  ['Teams', (log) => teamsDriver({ log })],
  ['web chat', (log) => webDriver({ log })],
];
const worlds: World[] = [];
/** set once every filing and reply went through: no attack below passes on an empty database */
let ready = false;

beforeAll(async () => {
  for (const [platform, start] of starts) {
    const lines: string[] = [];
    const d = await start(createLogger('debug', (l) => lines.push(l)));
    const world: World = { platform, d, lines, eventUser: new Map(), filers: [], noticeFiler: new Map(), batches: 0 };
    // the platform's knowledge: which event came from whom
    const handle = d.app.bot.handle.bind(d.app.bot);
    d.app.bot.handle = (event, caps) => {
      if (event.eventId) world.eventUser.set(`${event.user.platform}:${event.eventId}`, event.user.id);
      return handle(event, caps);
    };
    worlds.push(world);
  }
}, 240_000);
afterAll(async () => {
  for (const w of worlds) await w.d.close();
});

const totalBatches = () => worlds.reduce((n, w) => n + w.batches, 0);
const chance = () => totalBatches() + 4 * Math.sqrt(totalBatches()) + 2;
const sum = (f: (w: World) => number) => worlds.reduce((n, w) => n + f(w), 0);
const filerOf = (w: World, userId: string) => w.filers.find((f) => f.userId === userId)?.name;

async function move(w: World) {
  if ((await publishHeldAnonymous(w.d.db)) > 0) w.batches++;
}

const sayIn = (d: ScenarioDriver) => async (user: string, text: string) => allText([...(await d.command(user, text)), ...(await d.inbox(user))]);
const names = (w: World) => Array.from({ length: FILERS }, (_, i) => `filer-${w.platform.replace(/\W/g, '')}-${i + 1}`);

/** A forum with FILERS members. */
async function setUp(w: World) {
  const { d } = w;
  const say = sayIn(d);
  await say('officer', 'forum create Ceredigion Third Sector Forum cvc="CAVO"');
  await say('officer', 'organisation add Cardigan Carers');
  await say('officer', 'compact list');
  const invite = codeIn(await say('officer', `invite create organisation="Cardigan Carers" uses=${FILERS}`), /code=([0-9A-F]{10})/);
  for (const name of names(w)) expect(await say(name, `join code=${invite}`)).toMatch(/Welcome/);
}

/** The members file at once, the mixing job running meanwhile. */
async function file(w: World) {
  const { d } = w;
  const party = await d.db.compactParty.findFirstOrThrow({ where: { name: 'County council' } });
  const code = await d.db.compactCode.findFirstOrThrow({ where: { name: 'Consultation and Policy Appraisal' } });
  let done = 0;
  await Promise.all(
    names(w).map(async (name) => {
      const shown = [...(await d.command(name, 'breach file anonymous')), ...(await d.inbox(name))];
      const form = shown.find((s) => s.formFields.length > 0);
      if (!form) throw new Error(`${w.platform}: no form for ${name}: ${allText(shown)}`);
      const text = `The day centres consultation ${crypto.randomBytes(4).toString('hex')} lasted three days.`;
      const values = { party: party.id, code: code.id, aspect: 'principle', whatHappened: text, happenedOn: '2026-11-20', expected: '84 days', actual: '3 days', outcomeWanted: 'A twelve-week consultation' };
      const answer = allText([...(await d.submit(name, form, values)), ...(await d.inbox(name))]);
      const account = await d.db.account.findFirstOrThrow({ where: { displayName: name } });
      w.filers.push({ name, userId: account.platformUserId, personId: account.personId, receipt: codeIn(answer, /receipt code: ([0-9A-Z-]+)/), texts: [text] });
      // the mixing job runs while the others are still filing
      if (++done === Math.ceil(FILERS / 2)) await move(w);
    }),
  );
  await move(w); // its next run: every notice is now older than the window
  expect(await d.db.anonymousHeld.count()).toBe(0);
  for (const f of w.filers) {
    const n = await d.db.breachNotice.findUniqueOrThrow({ where: { receiptHash: hashReceipt(f.receipt) } });
    w.noticeFiler.set(n.id, f.name);
  }
  expect(w.noticeFiler.size).toBe(FILERS);

  // the hourly job tells the officers, in one message for all the hour's notices
  await tellOfficersOfAnonymous(d.app.services, new Date('2026-11-22T11:00:00Z'), 'attack');
  const told = await d.db.broadcast.findMany({ where: { kind: { startsWith: 'breach.' } } });
  expect(told.map((b) => b.kind)).toEqual(['breach.anonymous']);
  await d.settle();
}

/** An officer asks something on every case; every filer then checks their case and answers, at once. */
async function follow(w: World) {
  const { d } = w;
  const say = sayIn(d);
  const officer = await d.db.account.findFirstOrThrow({ where: { displayName: 'officer' } });
  for (const id of w.noticeFiler.keys()) await addMessage(d.db, id, 'Which centre was it?', { officerId: officer.personId }, d.clock.now);
  await Promise.all(
    w.filers.map(async (f) => {
      expect(await say(f.name, `breach status ${f.receipt}`)).toContain('Which centre was it?');
      const reply = `It was the centre ${crypto.randomBytes(4).toString('hex')} in town.`;
      expect(await say(f.name, `breach reply ${f.receipt} ${reply}`)).toContain('with the officers');
      f.texts.push(reply);
    }),
  );
  await move(w);
  expect(await d.db.breachMessage.count({ where: { fromOfficer: false } })).toBe(FILERS);
  expect(await d.db.breachNotice.count({ where: { filerSeen: 1 } })).toBe(FILERS);
}

// ---------- what the attacker reads ----------

interface Row {
  id: string;
  /** the truth: whose it is */
  filer: string;
  xmin: string;
  xmax: string;
  cmin: string;
  ctid: string;
  order: number;
}
interface Mark {
  xmin: string;
  xmax: string;
  /** whose the attacker knows this row to be */
  filer: string;
}

/** The anonymous notices and the anonymous filers' messages, with their system columns. */
async function targets(w: World): Promise<{ notices: Row[]; messages: Row[] }> {
  const notices = await w.d.db.$queryRawUnsafe<Omit<Row, 'filer'>[]>(`SELECT id, xmin::text, xmax::text, cmin::text, ctid::text, number AS "order" FROM "BreachNotice" WHERE mode = 'ANONYMOUS'`);
  const messages = await w.d.db.$queryRawUnsafe<(Omit<Row, 'filer'> & { noticeId: string })[]>(
    `SELECT id, "noticeId", xmin::text, xmax::text, cmin::text, ctid::text, seq AS "order" FROM "BreachMessage" WHERE NOT "fromOfficer"`,
  );
  return {
    notices: notices.map((n) => ({ ...n, filer: w.noticeFiler.get(n.id)! })),
    messages: messages.map((m) => ({ ...m, filer: w.noticeFiler.get(m.noticeId)! })),
  };
}

/** The day's count buckets, recomputed for every filer with the day's key (a superuser reads it). */
async function buckets(w: World): Promise<Map<string, string>> {
  const keys = await w.d.db.anonymousDayKey.findMany();
  const out = new Map<string, string>();
  for (const { key } of keys) for (const f of w.filers) out.set(crypto.createHmac('sha256', key).update(f.personId).digest('base64url'), f.name);
  return out;
}

/**
 * Every row the attacker can put a filer's name to: the platform events (the platform's records),
 * the anonymous counts (recomputed buckets), and every row of every table with a person column.
 */
async function marks(w: World): Promise<Mark[]> {
  const db = w.d.db;
  const out: Mark[] = [];
  for (const e of await db.$queryRawUnsafe<{ key: string; xmin: string; xmax: string }[]>(`SELECT key, xmin::text, xmax::text FROM "ProcessedEvent"`)) {
    const filer = filerOf(w, w.eventUser.get(e.key) ?? '');
    if (filer) out.push({ xmin: e.xmin, xmax: e.xmax, filer });
  }
  const bucketFiler = await buckets(w);
  for (const c of await db.$queryRawUnsafe<{ bucket: string; xmin: string; xmax: string }[]>(`SELECT bucket, xmin::text, xmax::text FROM "AnonymousCount"`)) {
    const filer = bucketFiler.get(c.bucket);
    if (filer) out.push({ xmin: c.xmin, xmax: c.xmax, filer });
  }
  const personFiler = new Map(w.filers.map((f) => [f.personId, f.name]));
  const tables = await db.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name IN ('personId', 'filerPersonId', 'byPersonId')
    UNION ALL SELECT 'Person', 'id'`;
  for (const { table_name, column_name } of tables) {
    for (const r of await db.$queryRawUnsafe<{ p: string; xmin: string; xmax: string }[]>(`SELECT "${column_name}" AS p, xmin::text, xmax::text FROM "${table_name}"`)) {
      const filer = personFiler.get(r.p);
      if (filer) out.push({ xmin: r.xmin, xmax: r.xmax, filer });
    }
  }
  return out;
}

/** Guesses by a column equal to a mark's: where exactly one filer has that value, that filer. */
function byEquality(rows: Row[], ms: Mark[], rc: 'xmin' | 'xmax' | 'cmin', mc: 'xmin' | 'xmax') {
  const named = new Map<string, Set<string>>();
  for (const m of ms) if (m[mc] !== '0') named.set(m[mc], (named.get(m[mc]) ?? new Set()).add(m.filer));
  let pairs = 0;
  let right = 0;
  for (const r of rows) {
    const who = r[rc] === '0' ? undefined : named.get(r[rc]);
    if (who?.size !== 1) continue;
    pairs++;
    if (who.has(r.filer)) right++;
  }
  return { pairs, right };
}

/** Guesses the filer of the mark nearest a row's xmin: the last before it, the first after it, the closest either way. */
function byNearest(rows: { xmin: string; filer: string }[], ms: { xmin: string; filer: string }[]) {
  const sorted = [...ms].sort((a, b) => Number(a.xmin) - Number(b.xmin));
  const got = { before: 0, after: 0, closest: 0 };
  for (const r of rows) {
    const x = Number(r.xmin);
    const before = sorted.filter((m) => Number(m.xmin) < x).at(-1);
    const after = sorted.find((m) => Number(m.xmin) > x);
    const closest = [before, after].filter(Boolean).sort((a, b) => Math.abs(Number(a!.xmin) - x) - Math.abs(Number(b!.xmin) - x))[0];
    if (before?.filer === r.filer) got.before++;
    if (after?.filer === r.filer) got.after++;
    if (closest?.filer === r.filer) got.closest++;
  }
  return got;
}

const ctidKey = (c: string) => c.replace(/[()]/g, '').split(',').map(Number);
const byCtid = (a: Row, b: Row) => ctidKey(a.ctid)[0] - ctidKey(b.ctid)[0] || ctidKey(a.ctid)[1] - ctidKey(b.ctid)[1];

/** Pairs the filers in one order with the rows in another, position by position. */
const pairInOrder = (filers: string[], rows: Row[]) => rows.reduce((n, r, i) => n + (filers[i] === r.filer ? 1 : 0), 0);

// ---------- the raw table files ----------

async function fileOf(w: World, table: string): Promise<Buffer> {
  const [{ data }] = await w.d.db.$queryRawUnsafe<{ data: Uint8Array }[]>(`SELECT pg_read_binary_file(pg_relation_filepath('"${table}"')) AS data`);
  return Buffer.from(data);
}

/**
 * The xmin of every copy of `value` in a table file, live or left over from an older row version
 * (no line pointer needed), where `value` is a short text stored after `before` bytes of the row:
 * the tuple header sits just before, and its byte 22 says how long the header is.
 */
function copiesOf(raw: Buffer, value: string, before = 0): number[] {
  const out: number[] = [];
  const needle = Buffer.from(value, 'latin1');
  for (let i = raw.indexOf(needle); i >= 0; i = raw.indexOf(needle, i + 1)) {
    for (const hoff of [24, 32, 40]) {
      const start = i - 1 - before - hoff;
      if (start >= 0 && raw[start + 22] === hoff) {
        out.push(raw.readUInt32LE(start));
        break;
      }
    }
  }
  return out;
}

describe(`a database superuser and a log reader against ${FILERS * 4} anonymous notices filed at once from every platform`, () => {
  it('members file on Slack, Discord, Teams and the web chat at once, the mixing job publishing meanwhile; then they follow their cases', async () => {
    for (const w of worlds) await setUp(w);
    await Promise.all(worlds.map((w) => file(w)));
    await Promise.all(worlds.map((w) => follow(w)));
    for (const w of worlds) console.info(`${w.platform}: ${w.filers.length} notices and ${w.filers.length} replies in ${w.batches} moves; ${w.eventUser.size} platform events`);
    console.info(`chance: ${totalBatches()} right (held to ${chance().toFixed(1)}) of ${FILERS * 4} notices and of ${FILERS * 4} messages`);
    expect(totalBatches()).toBeGreaterThanOrEqual(8);
    ready = true;
  }, 600_000);

  it('the xmin join, and every other system column against every other, link no more than chance', async () => {
    expect(ready, 'the filings went through').toBe(true);
    const results: string[] = [];
    for (const [what, pick] of [['notices', (t: Awaited<ReturnType<typeof targets>>) => t.notices], ['messages', (t: Awaited<ReturnType<typeof targets>>) => t.messages]] as const) {
      for (const rc of ['xmin', 'xmax', 'cmin'] as const) {
        for (const mc of ['xmin', 'xmax'] as const) {
          let pairs = 0;
          let right = 0;
          for (const w of worlds) {
            const got = byEquality(pick(await targets(w)), await marks(w), rc, mc);
            pairs += got.pairs;
            right += got.right;
          }
          results.push(`${what}.${rc}~${mc}: ${right}/${pairs}`);
          expect(right, `${what}' ${rc} against the marks' ${mc}`).toBeLessThanOrEqual(chance());
        }
      }
    }
    console.info(`system columns (right/pairs), against platform events, counts and every row naming a person: ${results.join(', ')}`);
  });

  it('the nearest transaction links no more than chance: the last, the next and the closest row naming a filer', async () => {
    expect(ready, 'the filings went through').toBe(true);
    const got = { notices: { before: 0, after: 0, closest: 0 }, messages: { before: 0, after: 0, closest: 0 } };
    for (const w of worlds) {
      const t = await targets(w);
      const ms = await marks(w);
      for (const what of ['notices', 'messages'] as const) {
        const r = byNearest(t[what], ms);
        for (const k of ['before', 'after', 'closest'] as const) got[what][k] += r[k];
      }
    }
    console.info(`nearest transaction (right of ${FILERS * 4}): ${JSON.stringify(got)}`);
    for (const what of ['notices', 'messages'] as const) for (const k of ['before', 'after', 'closest'] as const) expect(got[what][k], `${what}, ${k}`).toBeLessThanOrEqual(chance());
  });

  it('no order links them: the filers in the order of their count rows or events, against the notices by number, id or place in the file', async () => {
    expect(ready, 'the filings went through').toBe(true);
    const results: Record<string, number> = {};
    for (const w of worlds) {
      const bucketFiler = await buckets(w);
      const counts = await w.d.db.$queryRawUnsafe<{ bucket: string; xmin: string }[]>(`SELECT bucket, xmin::text FROM "AnonymousCount"`);
      const byCount = counts.sort((a, b) => Number(a.xmin) - Number(b.xmin)).map((c) => bucketFiler.get(c.bucket)!);
      // each filer's last platform event before the first move is their submission, in time order
      const events = await w.d.db.$queryRawUnsafe<{ key: string; xmin: string; createdAt: Date }[]>(`SELECT key, xmin::text, "createdAt" FROM "ProcessedEvent"`);
      const lastEvent = new Map<string, { t: number; x: number }>();
      for (const e of events) {
        const f = filerOf(w, w.eventUser.get(e.key) ?? '');
        const seen = lastEvent.get(f ?? '');
        if (f && (!seen || Number(e.xmin) > seen.x)) lastEvent.set(f, { t: e.createdAt.getTime(), x: Number(e.xmin) });
      }
      const byEventTime = [...lastEvent].sort((a, b) => a[1].t - b[1].t).map(([f]) => f);
      const { notices, messages } = await targets(w);
      const orders: Record<string, Row[]> = {
        'notices by number': [...notices].sort((a, b) => a.order - b.order),
        'notices by id': [...notices].sort((a, b) => a.id.localeCompare(b.id)),
        'notices by ctid': [...notices].sort(byCtid),
        'messages by ctid': [...messages].sort(byCtid),
        'messages by id': [...messages].sort((a, b) => a.id.localeCompare(b.id)),
      };
      for (const [name, rows] of Object.entries(orders)) {
        results[`counts ~ ${name}`] = (results[`counts ~ ${name}`] ?? 0) + pairInOrder(byCount, rows);
        results[`event times ~ ${name}`] = (results[`event times ~ ${name}`] ?? 0) + pairInOrder(byEventTime, rows);
      }
    }
    console.info(`orders (right of ${FILERS * 4}): ${JSON.stringify(results)}`);
    for (const [name, right] of Object.entries(results)) expect(right, name).toBeLessThanOrEqual(chance());
  });

  it('no time finer than the day on a notice or message; commit timestamps, where the server keeps them, pair no better than chance', async () => {
    expect(ready, 'the filings went through').toBe(true);
    for (const w of worlds) {
      const stamps = await w.d.db.breachNotice.findMany({ where: { mode: 'ANONYMOUS' }, select: { stateSince: true } });
      for (const { stateSince } of stamps) expect(stateSince.toISOString()).toMatch(/T00:00:00\.000Z$/);
      const days = await w.d.db.breachMessage.findMany({ where: { fromOfficer: false }, select: { on: true } });
      for (const { on } of days) expect(on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const cols = await w.d.db.$queryRaw<{ table_name: string; column_name: string }[]>`
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name IN ('AnonymousHeld', 'AnonymousCount', 'BreachMessage') AND data_type ~ '(time|date)'`;
      expect(cols).toEqual([]);
    }
    const [{ setting }] = await worlds[0].d.db.$queryRaw<{ setting: string }[]>`SELECT setting FROM pg_settings WHERE name = 'track_commit_timestamp'`;
    if (setting !== 'on') {
      console.info('track_commit_timestamp is off on this server: no commit timestamps to attack');
      return;
    }
    let right = 0;
    for (const w of worlds) {
      const bucketFiler = await buckets(w);
      const counts = await w.d.db.$queryRawUnsafe<{ bucket: string; t: Date }[]>(`SELECT bucket, pg_xact_commit_timestamp(xmin) AS t FROM "AnonymousCount"`);
      const filers = counts.sort((a, b) => a.t.getTime() - b.t.getTime()).map((c) => bucketFiler.get(c.bucket)!);
      const stamped = await w.d.db.$queryRawUnsafe<{ id: string; t: Date }[]>(`SELECT id, pg_xact_commit_timestamp(xmin) AS t FROM "BreachNotice" WHERE mode = 'ANONYMOUS'`);
      const when = new Map(stamped.map((s) => [s.id, s.t.getTime()]));
      const { notices } = await targets(w);
      right += pairInOrder(filers, [...notices].sort((a, b) => when.get(a.id)! - when.get(b.id)! || byCtid(a, b)));
    }
    console.info(`commit timestamps in order paired ${right} right of ${FILERS * 4}`);
    expect(right).toBeLessThanOrEqual(chance());
  });

  it('the statistics views hold no receipt, text or filer', async () => {
    expect(ready, 'the filings went through').toBe(true);
    let views = 0;
    let found = 0;
    for (const w of worlds) {
      const names = await w.d.db.$queryRaw<{ viewname: string }[]>`SELECT viewname FROM pg_views WHERE schemaname = 'pg_catalog' AND viewname LIKE 'pg_stat%'`;
      let text = '';
      for (const { viewname } of names) {
        try {
          text += JSON.stringify(await w.d.db.$queryRawUnsafe(`SELECT * FROM pg_catalog."${viewname}"`), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
        } catch {
          // a view this server cannot show (PGlite lacks some)
        }
      }
      views += names.length;
      found += w.filers.flatMap((f) => [f.receipt, hashReceipt(f.receipt), ...f.texts]).filter((s) => text.includes(s)).length;
    }
    console.info(`statistics views: ${views} read, ${found} secrets found`);
    expect(views).toBeGreaterThan(40);
    expect(found).toBe(0);
  });

  it.skipIf(!onPostgres)('the table files read raw after CHECKPOINT link no notice or message to its filer beyond chance', async () => {
    expect(ready, 'the filings went through').toBe(true);
    const got = { notices: 0, messages: 0, copies: 0, marks: 0, held: 0 };
    for (const w of worlds) {
      await w.d.db.$executeRawUnsafe('CHECKPOINT');
      // every copy of every event record and count row the attacker can name...
      const rawMarks: { xmin: string; filer: string }[] = [];
      const events = await fileOf(w, 'ProcessedEvent');
      for (const [key, user] of w.eventUser) for (const x of copiesOf(events, key)) rawMarks.push({ xmin: String(x), filer: filerOf(w, user) ?? '' });
      const counts = await fileOf(w, 'AnonymousCount');
      const day = (await w.d.db.anonymousCount.findFirstOrThrow()).day;
      for (const [bucket, filer] of await buckets(w)) for (const x of copiesOf(counts, bucket, 1 + day.length)) rawMarks.push({ xmin: String(x), filer });
      const named = rawMarks.filter((m) => m.filer);
      // ...against every copy of every notice and message (the holding table's file is empty)
      const { notices, messages } = await targets(w);
      const noticeFile = await fileOf(w, 'BreachNotice');
      const messageFile = await fileOf(w, 'BreachMessage');
      const noticeCopies = notices.flatMap((n) => copiesOf(noticeFile, n.id).map((x) => ({ xmin: String(x), filer: n.filer })));
      const messageCopies = messages.flatMap((m) => copiesOf(messageFile, m.id).map((x) => ({ xmin: String(x), filer: m.filer })));
      got.held += (await fileOf(w, 'AnonymousHeld')).length;
      got.copies += noticeCopies.length + messageCopies.length;
      got.marks += named.length;
      // each row's first version is its filing: its filer is guessed as the owner of the last named mark before it
      const first = (copies: { xmin: string; filer: string }[], r: Row) => copies.filter((c) => c.filer === r.filer).sort((a, b) => Number(a.xmin) - Number(b.xmin))[0];
      got.notices += byNearest(notices.map((n) => first(noticeCopies, n)).filter(Boolean), named).before;
      got.messages += byNearest(messages.map((m) => first(messageCopies, m)).filter(Boolean), named).before;
    }
    console.info(`raw files: ${got.marks} named copies of events and counts, ${got.copies} copies of notices and messages, ${got.held} bytes in the holding table; right: notices ${got.notices}, messages ${got.messages} of ${FILERS * 4}`);
    expect(got.marks).toBeGreaterThan(FILERS * 4 * 3); // the files do hold the filers' events and counts
    expect(got.copies).toBeGreaterThanOrEqual(FILERS * 8);
    expect(got.held).toBe(0);
    expect(got.notices).toBeLessThanOrEqual(chance());
    expect(got.messages).toBeLessThanOrEqual(chance());
  });

  it('a log reader at debug finds no receipt, and no line ties a filer to what they wrote', () => {
    expect(ready, 'the filings went through').toBe(true);
    let found = 0;
    let tied = 0;
    let lines = 0;
    for (const w of worlds) {
      const log = w.lines.join('\n');
      lines += w.lines.length;
      for (const f of w.filers) {
        const r = f.receipt;
        if (log.includes(r) || log.includes(r.replace(/-/g, '')) || log.toLowerCase().includes(r.toLowerCase())) found++;
        for (const text of f.texts) {
          const with_ = w.lines.filter((l) => l.includes(text));
          if (with_.some((l) => l.includes(f.userId) || l.includes(f.name))) tied++;
        }
      }
    }
    console.info(`logs at debug: ${lines} lines; receipts found ${found}; texts tied to their filer ${tied}`);
    expect(lines).toBeGreaterThan(100); // the capture is real: the SDKs log at debug
    expect(found).toBe(0);
    expect(tied).toBe(0);
  });
});
