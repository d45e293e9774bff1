import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Database } from '../../src/db/client.ts';
import { reorderForSecrecy } from '../../src/features/elections/counting.service.ts';
import { seedVotingElection } from '../../src/features/elections/load.ts';
import { ballotSlot, personVoter } from '../../src/features/elections/secrecy.ts';
import { castBallot } from '../../src/features/elections/voting.service.ts';
import { testDatabase } from '../support/database.ts';

/**
 * The database superuser's attacks on a real election of 500 ballots cast concurrently, on
 * PostgreSQL (the raw files need a server): the `xmin` join of ElectionRoll and ElectionBallot
 * while voting is open, and, after close and CHECKPOINT, the raw table files read with
 * pg_read_binary_file and every tuple version in them paired by `xmin`. The truth (which slot is
 * whose) is known here from the receipts; each attack's success is counted against it.
 */
const VOTERS = 500;
const onPostgres = !!process.env.DATABASE_URL;

let database: Database;
let app: App;
const truth = new Map<string, string>(); // voterKey -> slot

beforeAll(async () => {
  if (!onPostgres) return;
  database = await testDatabase();
  app = createApp({ db: database.prisma, log: silentLogger });
}, 120_000);
afterAll(async () => {
  await app?.services.broadcasts.stop();
  await database?.close();
});

interface Tuple {
  xmin: number;
  bytes: Buffer;
}

/** Every tuple with storage in a heap file, by its line pointers (live, dead and redirected alike). */
function tuplesIn(file: Buffer): Tuple[] {
  const out: Tuple[] = [];
  for (let page = 0; page + 8192 <= file.length; page += 8192) {
    const lower = file.readUInt16LE(page + 12);
    for (let lp = page + 24; lp + 4 <= page + lower; lp += 4) {
      const v = file.readUInt32LE(lp);
      const off = v & 0x7fff;
      const len = v >>> 17;
      if (!len || off + len > 8192) continue;
      const start = page + off;
      out.push({ xmin: file.readUInt32LE(start), bytes: file.subarray(start, start + len) });
    }
  }
  return out;
}

/** Pairs roll and ballot tuples by xmin where exactly one of each shares it; answers how many pairs are right. */
function pairByXmin(roll: { xmin: number; voterKey: string }[], ballots: { xmin: number; slot: string }[]) {
  const byX = <T extends { xmin: number }>(rows: T[]) => rows.reduce((m, r) => m.set(r.xmin, [...(m.get(r.xmin) ?? []), r]), new Map<number, T[]>());
  const rx = byX(roll);
  const bx = byX(ballots);
  let pairs = 0;
  let right = 0;
  for (const [x, rs] of rx) {
    const bs = bx.get(x);
    if (rs.length !== 1 || bs?.length !== 1) continue;
    pairs++;
    if (truth.get(rs[0].voterKey) === bs[0].slot) right++;
  }
  return { pairs, right };
}

describe.skipIf(!onPostgres)(`a database superuser against ${VOTERS} ballots cast concurrently`, () => {
  let electionId = '';

  it('casts them', async () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const seeded = await seedVotingElection(app.services, database.prisma, VOTERS, now);
    electionId = seeded.election.id;
    const at = seeded.votingAt;
    const results = await Promise.all(
      seeded.people.map(async (p, i) => {
        const ranking = [seeded.candidateIds[i % 5], seeded.candidateIds[(i + 2) % 5]].join(',');
        const { receipt } = await castBallot(database.prisma, seeded.election, p.id, { ranking }, undefined, at);
        truth.set(personVoter(p.id), ballotSlot(receipt, electionId, personVoter(p.id)));
        return receipt;
      }),
    );
    expect(results).toHaveLength(VOTERS);
  }, 300_000);

  // Known, not yet fixed: while voting is open each cast writes its roll row and its ballot row in
  // one transaction, so they share xmin (part 3 of issue 16: cast into a holding box, moved in
  // shuffled batches). Marked as failing so it turns green, and must be unmarked, once that lands.
  it.fails('while voting is open, the xmin join links no more than chance', async () => {
    const rows = await database.prisma.$queryRawUnsafe<{ voterKey: string; slot: string }[]>(
      `SELECT r."voterKey", b.slot FROM "ElectionRoll" r JOIN "ElectionBallot" b ON b.xmin = r.xmin AND b."electionId" = r."electionId" WHERE r."electionId" = $1`,
      electionId,
    );
    const right = rows.filter((r) => truth.get(r.voterKey) === r.slot).length;
    console.info(`voting open: xmin join linked ${right} of ${VOTERS} voters to their ballots`);
    expect(right).toBeLessThanOrEqual(5);
  });

  it('after close, the table files read raw after CHECKPOINT pair no voter with a ballot beyond chance', async () => {
    await database.prisma.election.update({ where: { id: electionId }, data: { phase: 'COUNTING' } });
    await reorderForSecrecy(database.prisma, electionId);
    await database.prisma.$executeRawUnsafe('CHECKPOINT');
    const file = async (table: string) => {
      const [{ data }] = await database.prisma.$queryRawUnsafe<{ data: Uint8Array }[]>(`SELECT pg_read_binary_file(pg_relation_filepath('"${table}"')) AS data`);
      return Buffer.from(data);
    };
    // every copy of a voter key or a slot anywhere in the files, live or left over from an older
    // row version (no line pointer needed): its tuple's header sits at the same distance before it
    // as in the live tuples, and the header's first four bytes are the xmin
    const slots = new Set(truth.values());
    const scan = <K extends string>(raw: Buffer, pattern: RegExp, known: (v: string) => boolean, key: K) => {
      const live = tuplesIn(raw);
      const text = raw.toString('latin1');
      const first = live.map((t) => pattern.exec(t.bytes.toString('latin1'))).find(Boolean);
      const offset = first!.index;
      const found: ({ xmin: number } & Record<K, string>)[] = [];
      for (const m of text.matchAll(new RegExp(pattern.source, 'g'))) {
        const start = m.index! - offset;
        if (start >= 0 && known(m[0])) found.push({ xmin: raw.readUInt32LE(start), [key]: m[0] } as { xmin: number } & Record<K, string>);
      }
      return { found, live: live.length };
    };
    const r = scan(await file('ElectionRoll'), /person:[0-9a-f-]{36}/, (v) => truth.has(v), 'voterKey');
    const b = scan(await file('ElectionBallot'), /[0-9a-f]{64}/, (v) => slots.has(v), 'slot');
    const roll = r.found;
    const ballots = b.found;
    const { pairs, right } = pairByXmin(roll, ballots);
    console.info(`after close: ${roll.length} voter keys (${r.live} live tuples) and ${ballots.length} slots (${b.live} live) in the files; ${pairs} xmin pairs, ${right} right`);
    // the files do hold the election (the attack reads real data) ...
    expect(roll.length).toBeGreaterThanOrEqual(VOTERS);
    expect(ballots.length).toBeGreaterThanOrEqual(VOTERS);
    // ... and pairing by xmin recovers no more than chance (1 expected from a blind guess)
    expect(right).toBeLessThanOrEqual(5);
  });
});
