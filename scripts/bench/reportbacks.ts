/**
 * bench:reportbacks: a county forum with 50 partnerships, two seats each, monthly meetings over
 * four years (2,400 meetings, 3,600 report-backs). Measures the calendar feed over HTTP, word
 * search through the core, and the after-meeting prompt job for 50 meetings ending at once, each
 * against a baseline measured in the same run. Embedded database, and PostgreSQL with DATABASE_URL.
 */
import crypto from 'node:crypto';
import { createApp } from '../../src/app.ts';
import type { JobContext } from '../../src/core/feature.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { directQuery, openDatabase } from '../../src/db/client.ts';
import { calendarRoutes } from '../../src/features/reportbacks/calendar.routes.ts';
import { promptAfterMeetings } from '../../src/features/reportbacks/reportbacks.jobs.ts';
import { WebServer } from '../../src/web/server.ts';
import { testDatabase } from '../../test/support/database.ts';
import { percentile, report, round, timeEach, type Row } from './stats.ts';

const PARTNERSHIPS = 50;
const MONTHS = 48;
const N = 200;
const rows: Row[] = [];
const WORDS = ['discharge', 'transport', 'housing', 'carers', 'funding', 'volunteers', 'safeguarding', 'poverty', 'energy', 'youth'];
const uuid = () => crypto.randomUUID();

async function benchOn(kind: 'pglite' | 'postgres') {
  const database = kind === 'pglite' ? await openDatabase({ dataDir: 'memory://' }) : await testDatabase();
  const db = database.prisma;
  const now = new Date('2026-11-22T10:00:00Z');
  const forum = await db.forum.create({ data: { slug: 'bench', name: 'Bench Forum', cvcName: 'CVC' } });
  const people = Array.from({ length: PARTNERSHIPS * 2 }, (_, i) => ({ id: uuid(), displayName: `Rep ${i}` }));
  await db.person.createMany({ data: people });
  await db.account.createMany({ data: people.map((p) => ({ platform: 'bench', platformUserId: p.id, displayName: p.displayName, dmRef: `bench:dm:${p.id}`, personId: p.id })) });
  await db.membership.createMany({ data: people.map((p) => ({ personId: p.id, forumId: forum.id, status: 'ACTIVE' as const, roles: ['MEMBER' as const, 'REPRESENTATIVE' as const] })) });
  const partnerships = Array.from({ length: PARTNERSHIPS }, (_, i) => ({ id: uuid(), forumId: forum.id, name: `Partnership ${i}` }));
  await db.partnership.createMany({ data: partnerships });
  const seats = partnerships.flatMap((p) => [0, 1].map((k) => ({ id: uuid(), partnershipId: p.id, label: `Seat ${k}` })));
  await db.seat.createMany({ data: seats });
  await db.seatHolding.createMany({
    data: seats.map((s, i) => ({ seatId: s.id, personId: people[i].id, startsOn: new Date('2022-01-01'), endsOn: new Date('2030-01-01'), filledBy: 'ELECTED' as const })),
  });
  // monthly meetings, 36 months back and 12 ahead; the last ones end just before "now"
  const meetings = partnerships.flatMap((p, pi) =>
    Array.from({ length: MONTHS }, (_, m) => {
      const startsAt = new Date(Date.UTC(2023, 11 + m, 8 + (pi % 14), 10));
      return { id: uuid(), partnershipId: p.id, startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3600_000), place: `Room ${pi}, County Hall`, papersUrl: `https://example.org/p/${pi}/${m}`, createdById: people[0].id };
    }),
  );
  const recent = partnerships.map((p, pi) => ({ id: uuid(), partnershipId: p.id, startsAt: new Date(now.getTime() - 3 * 3600_000), endsAt: new Date(now.getTime() - 3600_000 - pi * 1000), place: 'Online', papersUrl: null, createdById: people[0].id }));
  await db.meeting.createMany({ data: [...meetings, ...recent] });
  const past = meetings.filter((m) => m.startsAt < new Date(now.getTime() - 14 * 86400_000));
  const reports = past.flatMap((m, i) => {
    const pi = partnerships.findIndex((p) => p.id === m.partnershipId);
    const n = i % 2 === 0 ? 2 : 1;
    return Array.from({ length: n }, (_, k) => ({
      id: uuid(), meetingId: m.id, authorId: people[pi * 2 + k].id,
      summary: `The board discussed ${WORDS[(i + k) % WORDS.length]} and ${WORDS[(i * 3 + k) % WORDS.length]} at length. ${'Further detail follows. '.repeat(20)}`,
      decisions: [`Agree the ${WORDS[i % WORDS.length]} plan`], issuesForSector: [`Watch ${WORDS[(i + 5) % WORDS.length]}`],
      publishedAt: m.endsAt, editableUntil: m.endsAt,
    }));
  });
  await db.reportback.createMany({ data: reports.map((r) => ({ ...r, searchText: [r.summary, ...r.decisions, ...r.issuesForSector].join('\n') })) });

  const app = createApp({ db, adapters: [], log: silentLogger, now: () => now });
  const server = new WebServer(silentLogger);
  server.add(...calendarRoutes(app.services));
  const port = await server.listen(0, '127.0.0.1');
  const feed = () => fetch(`http://127.0.0.1:${port}/calendar/bench.ics`).then((r) => r.text());
  const feedQuery = () =>
    db.meeting.findMany({ where: { partnership: { forumId: forum.id }, startsAt: { gte: new Date(now.getTime() - 366 * 86400_000) } }, include: { partnership: true }, orderBy: { startsAt: 'asc' } });
  const events = (await feed()).match(/BEGIN:VEVENT/g)!.length;
  for (let i = 0; i < 10; i++) await Promise.all([feed(), feedQuery()]);
  // alternate the two, so neither waits long enough for the HTTP keep-alive connection to lapse
  const feedBase: number[] = [];
  const feedTimes: number[] = [];
  for (let i = 0; i < N / 4; i++) {
    feedBase.push(...(await timeEach(1, () => feedQuery())));
    feedTimes.push(...(await timeEach(1, () => feed())));
  }
  await server.close();

  const user = { platform: 'bench', id: people[0].id, displayName: 'Rep 0' };
  const ask = (text: string) => app.bot.handle({ kind: 'command', text, user, conversation: `bench:dm:${people[0].id}`, isDirect: true });
  const check = (await ask('reportbacks board transport'))[0].message.text;
  if (!/report-backs found/.test(check)) throw new Error(`search answer is wrong: ${check}`);
  // the floor: the same page in one statement straight to the driver, the words through their index
  const query = directQuery(db);
  const direct = (words: string) =>
    query(
      `WITH hits AS MATERIALIZED (SELECT id FROM "Reportback" WHERE to_tsvector('simple', "searchText") @@ plainto_tsquery('simple', $2))
       SELECT r.id, r.summary, m."startsAt", p.name, a."displayName" FROM "Reportback" r JOIN hits ON hits.id = r.id
       JOIN "Meeting" m ON m.id = r."meetingId" JOIN "Partnership" p ON p.id = m."partnershipId" JOIN "Person" a ON a.id = r."authorId"
       WHERE p."forumId" = $1 ORDER BY m."startsAt" DESC, r."publishedAt" DESC, r.id LIMIT 10`,
      [forum.id, words],
    );
  for (let i = 0; i < 20; i++) await Promise.all([ask(`reportbacks ${WORDS[i % WORDS.length]}`), direct(WORDS[i % WORDS.length])]);
  const searchBase = await timeEach(N, (i) => direct(`board ${WORDS[i % WORDS.length]}`));
  const search = await timeEach(N, (i) => ask(`reportbacks board ${WORDS[i % WORDS.length]}`));

  // the after-meeting job for 50 meetings ending at once: 100 requests and private prompts
  const ctx: JobContext = { ...app.services, scheduledFor: now };
  let t = process.hrtime.bigint();
  const prompted = await promptAfterMeetings(ctx);
  const jobMs = Number(process.hrtime.bigint() - t) / 1e6;
  if (prompted < PARTNERSHIPS * 2) throw new Error(`prompted ${prompted}`);
  t = process.hrtime.bigint();
  const again = await promptAfterMeetings(ctx);
  const againMs = Number(process.hrtime.bigint() - t) / 1e6;
  if (again !== 0) throw new Error('second run prompted again');
  const made = await db.reportbackRequest.findMany({ select: { meetingId: true, personId: true, dueAt: true } });
  await db.reportbackRequest.deleteMany({});
  t = process.hrtime.bigint();
  await db.reportbackRequest.createMany({ data: made });
  const insertMs = Number(process.hrtime.bigint() - t) / 1e6;

  rows.push(
    { case: `calendar feed over HTTP (${events} events), p50`, db: kind, unit: 'ms', better: 'lower', value: round(percentile(feedTimes, 50)), baseline: round(percentile(feedBase, 50)), baselineName: 'the same meetings query through Prisma' },
    { case: `word search over ${reports.length} report-backs through the core, p50`, db: kind, unit: 'ms', better: 'lower', value: round(percentile(search, 50)), baseline: round(percentile(searchBase, 50)), baselineName: 'the same page as one SQL statement to the driver' },
    { case: `word search over ${reports.length} report-backs through the core, p99`, db: kind, unit: 'ms', better: 'lower', value: round(percentile(search, 99)), baseline: round(percentile(searchBase, 99)), baselineName: 'the same page as one SQL statement to the driver' },
    { case: `prompt job: ${prompted / 2} meetings ended in the last 14 days, ${prompted} prompts`, db: kind, unit: 'ms', better: 'lower', value: round(jobMs, 1), baseline: round(insertMs, 1), baselineName: 'one createMany of the same request rows' },
    { case: 'prompt job run again (nothing to do)', db: kind, unit: 'ms', better: 'lower', value: round(againMs, 1), baseline: round(insertMs, 1), baselineName: 'one createMany of the same request rows' },
  );
  await app.services.broadcasts.stop();
  await database.close();
}

await benchOn('pglite');
if (process.env.DATABASE_URL) await benchOn('postgres');
report('reportbacks', rows);
