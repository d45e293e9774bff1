/**
 * bench:core: 1,000 "help" and 1,000 register queries through the whole core, against the same
 * register query issued directly through Prisma as the baseline (the database function the
 * command calls); the round trip through POST /api/webchat; and, for reference, the register
 * read through a Prisma include and the same query on the driver without Prisma (as the core
 * sends it). Then the idle cost of 1,000 open web chat pages, pushed against polled
 * (scripts/bench/idle-pages.ts). On the embedded database and, with DATABASE_URL set, on PostgreSQL.
 */
import { WebChatAdapter } from '../../adapters/web/web-adapter.ts';
import { createApp } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { directQuery, openDatabase } from '../../src/db/client.ts';
import { seedDemo } from '../../src/features/forums/demo.ts';
import { WebSessions } from '../../src/web/auth/sessions.ts';
import { WebServer } from '../../src/web/server.ts';
import { testDatabase } from '../../test/support/database.ts';
import { idlePages } from './idle-pages.ts';
import { percentile, report, round, timeInterleaved, type Row } from './stats.ts';

const N = 1000;
const PARTNERSHIP = 'Health and Social Care Board';
const rows: Row[] = [];

async function benchOn(kind: 'pglite' | 'postgres') {
  const database = kind === 'pglite' ? await openDatabase({ dataDir: 'memory://' }) : await testDatabase();
  const db = database.prisma;
  await seedDemo(db, new Date());
  const sessions = new WebSessions(db);
  const unlimited = { max: 1_000_000_000, windowMs: 60_000 }; // the limits are checked, never reached
  const web = new WebChatAdapter(db, { sessions, commandsPerPerson: unlimited, commandsPerAddress: unlimited });
  const app = createApp({ db, adapters: [web], log: silentLogger });
  const event = (text: string) => ({ kind: 'command' as const, text, user: { platform: 'web', id: 'demo-amira', displayName: 'Amira Khan' }, conversation: 'web:demo-amira', isDirect: true });
  const forum = await db.forum.findFirstOrThrow();
  const now = new Date();
  // the query the "who represents" command issues, issued directly through Prisma (the baseline)
  const direct = () => db.$queryRaw`SELECT forumbot_who_represents(${forum.id}, ${null}, ${PARTNERSHIP}, ${now}) AS register`;
  // the same on the database driver, as the core sends it, for reference
  const driver = () => directQuery(db)('SELECT forumbot_who_represents($1, $2, $3, $4::timestamp(3)) AS register', [forum.id, null, PARTNERSHIP, now.toISOString()]);
  // the same data through a Prisma include (one query with relationJoins), for reference
  const include = () =>
    db.partnership.findFirst({
      where: { forumId: forum.id, name: { equals: PARTNERSHIP, mode: 'insensitive' } },
      include: {
        children: { orderBy: { name: 'asc' } },
        seats: { orderBy: { label: 'asc' }, include: { holdings: { where: { startsOn: { lte: now }, endsOn: { gt: now } }, include: { person: true, organisation: true } } } },
      },
    });

  // warm up every path
  for (let i = 0; i < 50; i++) {
    await app.bot.handle(event('help'));
    await app.bot.handle(event(`who represents us on ${PARTNERSHIP}?`));
    await direct();
    await include();
    await driver();
  }
  const check = (await app.bot.handle(event(`who represents us on ${PARTNERSHIP}?`)))[0].message.text;
  if (!check.includes('Rhian Powell')) throw new Error(`register answer is wrong: ${check}`);

  const server = new WebServer(silentLogger);
  server.add(...web.routes());
  await web.start((e) => app.bot.handle(e, web.capabilities));
  const port = await server.listen(0, '127.0.0.1');
  // Amira signed in: a real session row; every request carries its cookie (looked up, then cached)
  const amira = await db.account.findUniqueOrThrow({ where: { platform_platformUserId: { platform: 'web', platformUserId: 'demo-amira' } } });
  const cookie = `${sessions.cookieName}=${(await sessions.open(amira.personId)).token}`;
  const body = JSON.stringify({ text: `who represents us on ${PARTNERSHIP}?` });
  const headers = { 'content-type': 'application/json', cookie };
  const post = () => fetch(`http://127.0.0.1:${port}/api/webchat`, { method: 'POST', headers, body }).then((r) => r.json());
  for (let i = 0; i < 50; i++) await post();
  const webCheck = JSON.stringify(await post());
  if (!webCheck.includes('Rhian Powell')) throw new Error(`web answer is wrong (not signed in?): ${webCheck.slice(0, 300)}`);
  // measured turn about, so load from elsewhere on the machine falls on every case alike
  const [baseline, help, register, roundTrip, viaInclude, viaDriver] = await timeInterleaved(N, [
    () => direct(),
    () => app.bot.handle(event('help')),
    () => app.bot.handle(event(`who represents us on ${PARTNERSHIP}?`)),
    post,
    () => include(),
    () => driver(),
  ]);

  await server.close();

  const b50 = round(percentile(baseline, 50));
  const b99 = round(percentile(baseline, 99));
  const name = 'the same register query, issued directly through Prisma';
  rows.push(
    { case: `${N} "help" through the core, p50`, db: kind, unit: 'ms', better: 'lower', value: round(percentile(help, 50)), baseline: b50, baselineName: name },
    { case: `${N} "help" through the core, p99`, db: kind, unit: 'ms', better: 'lower', value: round(percentile(help, 99)), baseline: b99, baselineName: name },
    { case: `${N} register queries through the core, p50`, db: kind, unit: 'ms', better: 'lower', value: round(percentile(register, 50)), baseline: b50, baselineName: name },
    { case: `${N} register queries through the core, p99`, db: kind, unit: 'ms', better: 'lower', value: round(percentile(register, 99)), baseline: b99, baselineName: name },
    { case: `${N} register queries via POST /api/webchat, p50`, db: kind, unit: 'ms', better: 'lower', value: round(percentile(roundTrip, 50)), baseline: b50, baselineName: name },
    { case: `${N} register queries via POST /api/webchat, p99`, db: kind, unit: 'ms', better: 'lower', value: round(percentile(roundTrip, 99)), baseline: b99, baselineName: name },
    { case: `${N} register reads through a Prisma include (reference), p50`, db: kind, unit: 'ms', better: 'lower', value: round(percentile(viaInclude, 50)), baseline: b50, baselineName: name },
    { case: `${N} the same register query on the database driver, without Prisma (reference), p50`, db: kind, unit: 'ms', better: 'lower', value: round(percentile(viaDriver, 50)), baseline: b50, baselineName: name },
  );
  // what 1,000 open web chat pages cost while nothing happens: pushed against polled
  rows.push(...(await idlePages(database, kind)));
  await database.close();
}

await benchOn('pglite');
if (process.env.DATABASE_URL) await benchOn('postgres');
report('core', rows);
