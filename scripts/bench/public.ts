/**
 * bench:public: a national network (19 forums, 158 partnerships, 600 seats, 20,000 members,
 * 2,000 report-backs, 50 declared elections counted by the real counter, with issues,
 * consultations, tender alerts and breach notices). Every public page and export of one forum is
 * fetched over HTTP, turn about with the database queries it needs issued directly (the same
 * data functions the page calls, through Prisma, with no rendering and no HTTP), and the p50 of
 * each is compared; each HTML page's size is checked against 100 KB. Embedded database, and
 * PostgreSQL too with DATABASE_URL.
 */
import crypto from 'node:crypto';
import { createApp } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openDatabase, type Db } from '../../src/db/client.ts';
import { seedDefaultCatalogue } from '../../src/features/breaches/catalogue.service.ts';
import { breachData } from '../../src/features/breaches/breaches.pages.ts';
import { declare } from '../../src/features/elections/counting.service.ts';
import { ballotRows, electionBlt, electionData, forumElections } from '../../src/features/elections/elections.pages.ts';
import { ballotSlot, newReceipt, personVoter } from '../../src/features/elections/secrecy.ts';
import { personData, publicForum, registerData } from '../../src/features/forums/forums.pages.ts';
import { forumCoverage } from '../../src/features/forums/forums.service.ts';
import { codeLabeller } from '../../src/features/outputs/outputs.labels.ts';
import { outputsReport, parsePeriod } from '../../src/features/outputs/outputs.service.ts';
import { meetingList } from '../../src/features/reportbacks/meetings.pages.ts';
import { issueList, reportbackList, reportbackOne } from '../../src/features/reportbacks/reportbacks.pages.ts';
import { openOpportunities } from '../../src/features/tenders/tenders.pages.ts';
import { consultationData } from '../../src/features/updates/updates.pages.ts';
import { consultationLength } from '../../src/features/updates/rules.ts';
import type { PageContext } from '../../src/web/pages/context.ts';
import { publicRoutes } from '../../src/web/pages/public.routes.ts';
import { WebServer } from '../../src/web/server.ts';
import { testDatabase } from '../../test/support/database.ts';
import { percentile, report, round, type Row } from './stats.ts';

const FORUMS = 19;
const PARTNERSHIPS = 158;
const SEATS = 600;
const MEMBERS = 20_000;
const REPORTBACKS = 2_000;
const ELECTIONS = 50;
const N = Number(process.env.BENCH_N ?? 30);
const DAY = 86_400_000;
const rows: Row[] = [];
const uuid = () => crypto.randomUUID();
const pick = <T>(list: T[], i: number) => list[i % list.length];
/** spreads `total` items over `buckets` as evenly as it goes: bucket i gets its share */
const share = (total: number, buckets: number, i: number) => Math.floor(total / buckets) + (i < total % buckets ? 1 : 0);

async function chunked<T>(items: T[], size: number, write: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await write(items.slice(i, i + size));
}

/** The national network; answers the slug and ids of forum 0, the one measured. */
async function seedNetwork(db: Db, now: Date) {
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const forums = Array.from({ length: FORUMS }, (_, i) => ({ id: uuid(), slug: `forum-${i}`, name: `County Forum ${i}`, cvcName: `CVC ${i}`, createdAt: at(-900) }));
  await db.forum.createMany({ data: forums });
  const people = Array.from({ length: MEMBERS }, (_, i) => ({ id: uuid(), displayName: `Member ${i}` }));
  await chunked(people, 5000, (part) => db.person.createMany({ data: part }));
  const forumOf = (i: number) => forums[i % FORUMS];
  const index = new Map(people.map((p, i) => [p.id, i]));
  const orgs = Array.from({ length: MEMBERS / 4 }, (_, i) => ({ id: uuid(), forumId: forumOf(i).id, name: `Organisation ${i}` }));
  await chunked(orgs, 5000, (part) => db.organisation.createMany({ data: part }));
  await chunked(people, 5000, (part) =>
    db.membership.createMany({ data: part.map((p) => { const i = index.get(p.id)!; return { personId: p.id, forumId: forumOf(i).id, status: 'ACTIVE' as const, roles: ['MEMBER' as const], organisationId: orgs[Math.floor(i / 4)].id }; }) }),
  );
  const byForum = forums.map((_, f) => people.filter((__, i) => i % FORUMS === f));
  const membersOf = (f: number) => byForum[f];

  const partnerships: { id: string; forumId: string; name: string; parentId: string | null; f: number }[] = [];
  for (let f = 0; f < FORUMS; f++) {
    const n = share(PARTNERSHIPS, FORUMS, f);
    const root = uuid();
    for (let k = 0; k < n; k++) partnerships.push({ id: k === 0 ? root : uuid(), forumId: forums[f].id, name: k === 0 ? 'Public Services Board' : `Partnership ${f}-${k}`, parentId: k === 0 ? null : root, f });
  }
  await db.partnership.createMany({ data: partnerships.map(({ f: _f, ...p }) => p) });
  const seats = Array.from({ length: SEATS }, (_, i) => ({ id: uuid(), partnershipId: partnerships[i % PARTNERSHIPS].id, label: `Seat ${Math.floor(i / PARTNERSHIPS) + 1}`, interestArea: pick(['health', 'children and young people', 'environment', 'equality', 'poverty'], i), selectionMethod: pick(['ELECTED', 'ELECTED', 'APPOINTED', 'INVITED', 'RESERVED'] as const, i) }));
  await db.seat.createMany({ data: seats });
  const forumIndexOfSeat = (i: number) => partnerships[i % PARTNERSHIPS].f;
  // nine seats in ten held, each by a member of that forum
  const holders = seats.flatMap((s, i) => {
    if (i % 10 === 9) return [];
    const person = membersOf(forumIndexOfSeat(i))[i];
    return [{ seatId: s.id, personId: person.id, startsOn: at(-300 - (i % 200)), endsOn: at(400 + (i % 300)), filledBy: s.selectionMethod }];
  });
  await db.seatHolding.createMany({ data: holders });

  // meetings of the past year, each with a report-back by a seat holder, its actions and request; one meeting ahead per partnership
  const holderOf = new Map<string, string>();
  for (const h of holders) holderOf.set(seats.find((s) => s.id === h.seatId)!.partnershipId, h.personId);
  const heldPartnerships = partnerships.filter((p) => holderOf.has(p.id));
  const meetings = Array.from({ length: REPORTBACKS }, (_, i) => {
    const p = heldPartnerships[i % heldPartnerships.length];
    const startsAt = at(-10 - ((i * 7) % 350));
    return { id: uuid(), partnershipId: p.id, startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3600_000), place: 'County Hall', createdById: people[0].id };
  });
  const ahead = partnerships.map((p, i) => ({ id: uuid(), partnershipId: p.id, startsAt: at(5 + (i % 40)), endsAt: at(5 + (i % 40) + 0.1), place: 'Online', createdById: people[0].id }));
  await chunked([...meetings, ...ahead], 2000, (part) => db.meeting.createMany({ data: part }));
  const WORDS = ['discharge', 'transport', 'housing', 'carers', 'funding', 'volunteers', 'safeguarding', 'poverty', 'energy', 'youth'];
  const reports = meetings.map((m, i) => {
    const summary = `The board discussed ${pick(WORDS, i)} and ${pick(WORDS, i * 3 + 1)}. ${'The sector’s representatives raised the points members had sent. '.repeat(4)}`;
    return { id: uuid(), meetingId: m.id, authorId: holderOf.get(m.partnershipId)!, summary, decisions: [`Agree the ${pick(WORDS, i)} plan`], issuesForSector: [`Watch ${pick(WORDS, i + 5)}`], searchText: summary, publishedAt: new Date(m.endsAt.getTime() + ((i % 5) + 1) * 3 * DAY), editableUntil: m.endsAt };
  });
  await chunked(reports, 1000, (part) => db.reportback.createMany({ data: part }));
  const meetingById = new Map(meetings.map((m) => [m.id, m]));
  await chunked(reports, 2000, (part) =>
    db.reportbackAction.createMany({ data: part.flatMap((r, k) => [0, 1].map((position) => ({ reportbackId: r.id, what: `Action ${position + 1} on ${pick(WORDS, k + position)}`, ownerName: 'Head of service', dueOn: at(-30 + (k % 60)), position }))) }),
  );
  await chunked(reports, 2000, (part) =>
    db.reportbackRequest.createMany({ data: part.map((r) => { const m = meetingById.get(r.meetingId)!; return { meetingId: m.id, personId: r.authorId, dueAt: new Date(m.endsAt.getTime() + 10 * DAY), reportbackId: r.id, promptedAt: m.endsAt }; }) }),
  );

  // issues, updates and consultations, tender alerts with interest, breach notices
  const issues = Array.from({ length: 600 }, (_, i) => ({ forumId: forums[i % FORUMS].id, number: Math.floor(i / FORUMS) + 1, partnershipId: partnerships.filter((p) => p.f === i % FORUMS)[i % 8].id, raisedById: membersOf(i % FORUMS)[i].id, organisationId: i % 2 ? orgs[i].id : null, text: `Issue ${i} about ${pick(WORDS, i)}`, status: i % 3 ? ('ANSWERED' as const) : ('OPEN' as const), response: i % 3 ? 'The board agreed to look at it.' : null, answeredAt: i % 3 ? at(-(i % 200)) : null, createdAt: at(-(i % 300) - 10) }));
  await db.forumIssue.createMany({ data: issues });
  const updates = Array.from({ length: 950 }, (_, i) => ({ id: uuid(), forumId: forums[i % FORUMS].id, title: `Update ${i}: ${pick(WORDS, i)}`, body: 'A short item from the board.', themes: ['health'], postedAt: at(-(i % 360)) }));
  await db.update.createMany({ data: updates });
  await db.consultation.createMany({
    data: updates.filter((_, i) => i % 5 === 0).map((u, i) => {
      const opensOn = at(-(i % 300));
      const closesOn = at(-(i % 300) + pick([30, 60, 84, 90], i));
      return { updateId: u.id, forumId: u.forumId, runBy: 'County council', opensOn, closesOn, ...consultationLength(opensOn, closesOn), ...(i % 4 === 0 ? { responseSummary: 'The forum’s response.', respondedAt: closesOn } : {}) };
    }),
  });
  const alerts = Array.from({ length: 570 }, (_, i) => ({ id: uuid(), forumId: forums[i % FORUMS].id, number: Math.floor(i / FORUMS) + 1, title: `Contract ${i}`, buyer: 'County council', currency: 'GBP', valueAmount: 10_000 + i * 100, deadline: at(-100 + (i % 200)), status: 'open', themes: ['health'], createdAt: at(-140 + (i % 200)) }));
  await db.tenderAlert.createMany({ data: alerts });
  await db.tenderInterest.createMany({ data: alerts.flatMap((a, i) => [0, 1, 2].map((k) => ({ alertId: a.id, personId: membersOf(i % FORUMS)[k * 7 + 1].id, consortium: k === 0 }))) });
  for (const f of forums) await seedDefaultCatalogue(db, f.id);
  const compacts = await db.compact.findMany({ include: { parties: true, codes: true } });
  await db.breachNotice.createMany({
    data: Array.from({ length: 950 }, (_, i) => {
      const c = compacts.find((x) => x.forumId === forums[i % FORUMS].id)!;
      const filed = at(-(i % 700));
      const resolved = i % 3 === 0 ? new Date(filed.getTime() + (20 + (i % 40)) * DAY) : null;
      return {
        forumId: c.forumId, number: Math.floor(i / FORUMS) + 1, compactId: c.id, partyId: pick(c.parties, i).id, codeId: pick(c.codes, i * 7).id, aspect: 'principle', whatHappened: 'A commitment was not kept.', outcomeWanted: 'Kept.',
        mode: 'ON_BEHALF' as const, filedById: people[0].id, filedOn: filed.toISOString().slice(0, 10), state: resolved && resolved < now ? 'resolved' : 'liaison', stateSince: filed, resolvedOn: resolved && resolved < now ? resolved.toISOString().slice(0, 10) : null,
      };
    }),
  });

  // 50 elections, counted by the real counter: about a third of the forum's members vote
  let declared = 0;
  for (let k = 0; k < ELECTIONS; k++) {
    const f = k % FORUMS;
    const p = partnerships.filter((x) => x.f === f)[k % 8];
    const seat = seats.find((s) => s.partnershipId === p.id)!;
    const voters = membersOf(f);
    const e = await db.election.create({
      data: { forumId: forums[f].id, partnershipId: p.id, title: `Election ${k}`, seatIds: [seat.id], method: 'scottish-stv', franchise: 'INDIVIDUAL', phase: 'COUNTING', nominationsOpenAt: at(-60 - k), nominationsCloseAt: at(-45 - k), votingOpenAt: at(-40 - k), votingCloseAt: at(-20 - k), tieSeed: `bench-${k}`, createdById: people[0].id },
    });
    const candidates = await Promise.all([0, 1, 2, 3].map((c) => db.candidate.create({ data: { electionId: e.id, personId: voters[100 + c].id, name: `Candidate ${k}-${c}`, statement: 'I will report back after every meeting.', accepted: true } })));
    const casting = voters.filter((_, i) => i % 3 === k % 3);
    await db.electionRoll.createMany({ data: casting.map((v) => ({ electionId: e.id, voterKey: personVoter(v.id) })) });
    await db.electionBallot.createMany({
      data: casting.map((v, i) => ({ id: uuid(), electionId: e.id, slot: ballotSlot(newReceipt(), e.id, personVoter(v.id)), ranking: [pick(candidates, i), pick(candidates, i * 3 + 1), pick(candidates, i * 5 + 2)].map((c) => c.id).filter((id, j, all) => all.indexOf(id) === j) })),
    });
    if (await declare(db, e, at(-19 - k))) declared++;
  }
  if (declared !== ELECTIONS) throw new Error(`declared ${declared} of ${ELECTIONS}`);
  return { forum: forums[0], person: holders.find((h) => forumIndexOfSeat(seats.findIndex((s) => s.id === h.seatId)) === 0)!.personId };
}

async function benchOn(kind: 'pglite' | 'postgres') {
  const database = kind === 'pglite' ? await openDatabase({ dataDir: 'memory://' }) : await testDatabase();
  const db = database.prisma;
  const now = new Date('2026-11-22T10:00:00Z');
  let t = process.hrtime.bigint();
  const { forum, person } = await seedNetwork(db, now);
  const seedSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  const counts = await Promise.all([db.forum.count(), db.partnership.count(), db.seat.count(), db.membership.count(), db.reportback.count(), db.election.count({ where: { phase: 'DECLARED' } })]);
  console.log(`${kind}: seeded ${counts.join(' / ')} (forums / partnerships / seats / members / report-backs / declared elections) in ${round(seedSeconds, 1)} s`);

  const app = createApp({ db, adapters: [], log: silentLogger, now: () => now });
  const server = new WebServer(silentLogger);
  server.add(...publicRoutes(app.services));
  const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  const election = (await db.election.findFirstOrThrow({ where: { forumId: forum.id, phase: 'DECLARED' }, orderBy: { title: 'asc' } })).id;
  const reportback = (await reportbackList(db, forum.id, {})).rows[0].id;
  const period = parsePeriod('2026-27')!;
  const ctx = { locale: 'en', t: app.services.i18n.translator('en') } as PageContext;
  const f = `/f/${forum.slug}`;
  const withForum = async <T>(load: () => Promise<T>) => [await publicForum(db, forum.slug), await load()];
  const cases: [string, string, () => Promise<unknown>][] = [
    ['register', f, () => withForum(() => registerData(db, forum.id, now))],
    ['register.csv', `${f}/register.csv`, () => withForum(() => registerData(db, forum.id, now))],
    ['representative', `${f}/people/${person}`, () => withForum(() => personData(db, forum.id, person))],
    ['coverage', `${f}/coverage`, () => withForum(() => forumCoverage(db, forum.id, now))],
    ['elections', `${f}/elections`, () => withForum(() => forumElections(db, forum.id))],
    ['elections.json', `${f}/elections.json`, () => withForum(() => forumElections(db, forum.id))],
    ['election page', `${f}/elections/${election}`, () => withForum(() => electionData(db, forum.id, election))],
    ['election ballots.csv', `${f}/elections/${election}/ballots.csv`, () => withForum(async () => ballotRows(db, (await electionData(db, forum.id, election))!))],
    ['election .blt', `${f}/elections/${election}.blt`, () => withForum(async () => electionBlt(db, (await electionData(db, forum.id, election))!.e))],
    ['election summary.json', `${f}/elections/${election}/summary.json`, () => withForum(() => electionData(db, forum.id, election))],
    ['meetings', `${f}/meetings`, () => withForum(() => meetingList(db, forum.id, now))],
    ['meetings.csv', `${f}/meetings.csv`, () => withForum(() => meetingList(db, forum.id, now))],
    ['report-backs', `${f}/reportbacks`, () => withForum(() => reportbackList(db, forum.id, {}))],
    ['report-backs search', `${f}/reportbacks?q=transport`, () => withForum(() => reportbackList(db, forum.id, { q: 'transport' }))],
    ['report-backs.csv', `${f}/reportbacks.csv`, () => withForum(() => reportbackList(db, forum.id, {}, 1000))],
    ['report-backs.atom', `${f}/reportbacks.atom`, () => withForum(() => reportbackList(db, forum.id, {}, 1000))],
    ['report-back', `${f}/reportbacks/${reportback}`, () => withForum(() => reportbackOne(db, forum.id, reportback))],
    ['issues', `${f}/issues`, () => withForum(() => issueList(db, forum.id))],
    ['issues.csv', `${f}/issues.csv`, () => withForum(() => issueList(db, forum.id))],
    ['consultations', `${f}/consultations`, () => withForum(() => consultationData(db, forum.id))],
    ['consultations.json', `${f}/consultations.json`, () => withForum(() => consultationData(db, forum.id))],
    ['updates.atom', `${f}/updates.atom`, () => withForum(() => consultationData(db, forum.id))],
    ['opportunities', `${f}/opportunities`, () => withForum(() => openOpportunities(db, forum.id, now))],
    ['opportunities.csv', `${f}/opportunities.csv`, () => withForum(() => openOpportunities(db, forum.id, now))],
    ['breaches', `${f}/breaches`, () => withForum(() => breachData(ctx, db, forum.id))],
    ['breaches.csv', `${f}/breaches.csv`, () => withForum(() => breachData(ctx, db, forum.id))],
    ['outputs report', `${f}/outputs?period=2026-27`, () => withForum(async () => [await outputsReport(db, forum.id, period, now, true), await codeLabeller(db, forum.id, 'en')])],
    ['outputs.csv', `${f}/outputs.csv?period=2026-27`, () => withForum(async () => [await outputsReport(db, forum.id, period, now, true), await codeLabeller(db, forum.id, 'en')])],
  ];
  // the floor of any answer here: the stylesheet, no database at all, through the same HTTP stack
  const css = () => fetch(`${base}/f/_/site.css`).then((r) => r.text());
  for (let i = 0; i < 10; i++) await css();
  const floorMs: number[] = [];
  for (let i = 0; i < N; i++) {
    const s = process.hrtime.bigint();
    await css();
    floorMs.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  rows.push({ case: 'HTTP floor: the stylesheet, no database, p50', db: kind, unit: 'ms', better: 'lower', value: round(percentile(floorMs, 50)), baseline: null, baselineName: null });
  let largest = { page: '', kb: 0 };
  for (const [name, path, queries] of cases) {
    const page = async () => {
      const res = await fetch(base + path);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      return body;
    };
    const first = await page();
    const html = first.startsWith('<!doctype html>');
    const kb = round(Buffer.byteLength(first) / 1024, 1);
    if (html && kb > largest.kb) largest = { page: name, kb };
    for (let i = 0; i < 5; i++) await Promise.all([page(), queries()]);
    // turn about, one of each, so a busy spell on the shared machine weighs on both alike
    const pageMs: number[] = [];
    const queryMs: number[] = [];
    for (let i = 0; i < N; i++) {
      let s = process.hrtime.bigint();
      await queries();
      queryMs.push(Number(process.hrtime.bigint() - s) / 1e6);
      s = process.hrtime.bigint();
      await page();
      pageMs.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    rows.push({ case: `${name}${html ? ` (HTML ${kb} KB)` : ` (${kb} KB)`}, p50`, db: kind, unit: 'ms', better: 'lower', value: round(percentile(pageMs, 50)), baseline: round(percentile(queryMs, 50)), baselineName: 'its queries issued directly' });
    if (html && kb >= 100) throw new Error(`${name}: the page is ${kb} KB, over 100 KB`);
  }
  rows.push({ case: `largest HTML page (${largest.page})`, db: kind, unit: 'KB', better: 'lower', value: largest.kb, baseline: 100, baselineName: 'the 100 KB limit' });
  await server.close();
  await app.services.broadcasts.stop();
  await database.close();
}

await benchOn('pglite');
if (process.env.DATABASE_URL) await benchOn('postgres');
report('public', rows);
