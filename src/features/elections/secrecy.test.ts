/**
 * The secrecy property: with every table of the database dumped (every row, every column, in
 * the order the database returns them) and every log line captured, ballots cannot be joined
 * to voters: the roll and the ballots share no value, the ballots carry no time, and neither
 * the order of the rows nor their ids follow the order the ballots were cast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotIn, electionsWorld, receiptIn, toVoting, type ElectionsWorld } from '../../../test/elections/world.ts';

const VOTERS = 40;
let w: ElectionsWorld;
let electionId: string;
const castOrder: string[] = []; // voters, in the order they cast
const rankingOf = new Map<string, string>(); // voter → their (unique) ranking, as names
const receipts: string[] = [];

/** Every table, every row, every column, as text, in the order the database returns rows. */
async function dumpDatabase() {
  const tables = await w.db.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
  const dump: Record<string, Record<string, string | null>[]> = {};
  for (const { table_name } of tables) {
    const cols = await w.db.$queryRaw<{ column_name: string }[]>`
      SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${table_name} ORDER BY ordinal_position`;
    const select = cols.map((c) => `"${c.column_name}"::text AS "${c.column_name}"`).join(', ');
    dump[table_name] = await w.db.$queryRawUnsafe(`SELECT ${select} FROM "${table_name}"`);
  }
  return dump;
}

/** Spearman's rank correlation of two orderings of the same items. */
function rankCorrelation(a: string[], b: string[]): number {
  const pos = new Map(b.map((x, i) => [x, i]));
  const n = a.length;
  const d2 = a.reduce((sum, x, i) => sum + (i - pos.get(x)!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

beforeAll(async () => {
  w = await electionsWorld();
  await w.setUp(VOTERS);
  const { election } = await toVoting(w);
  electionId = election.id;
  // every voter casts a different ranking, so the test (and only the test) can tell ballots apart
  const names = ['voter1', 'voter2', 'voter3', 'RON (re-open nominations)'];
  const rankings: string[][] = [];
  const grow = (prefix: string[]) => {
    for (const n of names) {
      if (prefix.includes(n)) continue;
      const next = [...prefix, n];
      rankings.push(next);
      grow(next);
    }
  };
  grow([]);
  for (let i = 1; i <= VOTERS; i++) {
    const voter = `voter${i}`;
    const b = ballotIn(await w.say(voter, 'vote Board'));
    const ranking = rankings[(i * 7) % rankings.length];
    const answer = await w.pressText(voter, b.submit.command, { ...b.submit.args, ranking: ranking.map((n) => b.byName.get(n)).join(',') });
    receipts.push(receiptIn(answer)!);
    castOrder.push(voter);
    rankingOf.set(voter, ranking.join('>'));
  }
  expect(new Set(rankingOf.values()).size).toBe(VOTERS);
  expect(await w.ask('officer', 'election close Board')).toMatch(/result declared/);
}, 300_000);
afterAll(async () => w?.close());

describe('secret ballot: the whole database and the logs in hand', () => {
  it('the ballot table holds preferences only: random ids, no voter, no time', async () => {
    const cols = await w.db.$queryRaw<{ column_name: string; data_type: string }[]>`
      SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'ElectionBallot' ORDER BY column_name`;
    expect(cols.map((c) => c.column_name)).toEqual(['electionId', 'id', 'ranking', 'slot']);
    expect(cols.some((c) => /time|date/.test(c.data_type))).toBe(false);
    const rollCols = await w.db.$queryRaw<{ column_name: string }[]>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'ElectionRoll' ORDER BY column_name`;
    expect(rollCols.map((c) => c.column_name)).toEqual(['electionId', 'voterKey']);
    const ballots = await w.db.electionBallot.findMany();
    expect(ballots).toHaveLength(VOTERS);
    for (const b of ballots) expect(b.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('no value of a ballot row appears anywhere else in the database or in the logs', async () => {
    const dump = await dumpDatabase();
    const ballotValues = new Set<string>();
    for (const row of dump.ElectionBallot) {
      ballotValues.add(row.id!);
      ballotValues.add(row.slot!);
    }
    for (const [table, rows] of Object.entries(dump)) {
      if (table === 'ElectionBallot') continue;
      for (const row of rows) for (const v of Object.values(row)) for (const bv of ballotValues) if (v?.includes(bv)) throw new Error(`${table} holds ballot value ${bv}`);
    }
    const everything = JSON.stringify(dump) + w.logs.join('\n');
    for (const bv of ballotValues) expect(w.logs.join('\n')).not.toContain(bv);
    // receipts are stored nowhere: not in any table, not in the logs
    for (const r of receipts) {
      expect(everything).not.toContain(r);
      expect(everything).not.toContain(r.replace(/-/g, ''));
    }
    // the roll shares nothing with the ballots but the election id
    const rollValues = new Set(dump.ElectionRoll.flatMap((r) => Object.values(r)));
    const shared = dump.ElectionBallot.flatMap((r) => Object.values(r)).filter((v) => v !== null && rollValues.has(v));
    expect(new Set(shared)).toEqual(new Set([electionId]));
    // no log line carries a candidate id (a choice) at all
    const candidateIds = (await w.db.candidate.findMany()).map((c) => c.id);
    for (const line of w.logs) for (const id of candidateIds) expect(line).not.toContain(id);
  });

  it('neither the order of rows nor their ids follow the order ballots were cast', async () => {
    const dump = await dumpDatabase();
    const names = new Map((await w.db.candidate.findMany()).map((c) => [c.id, c.isRon ? 'RON (re-open nominations)' : c.name]));
    const voterOf = new Map([...rankingOf].map(([voter, ranking]) => [ranking, voter]));
    const parse = (arr: string) => arr.replace(/^\{|\}$/g, '').split(',').map((id) => names.get(id.replace(/"/g, ''))!).join('>');
    const dumpOrder = dump.ElectionBallot.map((b) => voterOf.get(parse(b.ranking!))!);
    expect(new Set(dumpOrder).size).toBe(VOTERS);
    expect(dumpOrder).not.toEqual(castOrder);
    expect(Math.abs(rankCorrelation(castOrder, dumpOrder))).toBeLessThan(0.6);
    // (rows are rewritten in slot order at close; the heap may put some into space freed earlier,
    // so the physical order is checked only for what matters: no relation to the cast order)
    const byId = [...dump.ElectionBallot].sort((a, b) => a.id!.localeCompare(b.id!)).map((b) => voterOf.get(parse(b.ranking!))!);
    expect(Math.abs(rankCorrelation(castOrder, byId))).toBeLessThan(0.6);
    // and the roll is not in cast order either
    const people = await w.db.person.findMany();
    const nameOfKey = (key: string) => people.find((p) => `person:${p.id}` === key)!.displayName;
    const rollOrder = dump.ElectionRoll.filter((r) => r.electionId === electionId).map((r) => nameOfKey(r.voterKey!));
    expect(Math.abs(rankCorrelation(castOrder, rollOrder))).toBeLessThan(0.6);
  });

  it('a receipt proves the ballot only to the voter it was issued to', async () => {
    expect(await w.ask('voter1', `receipt check Board ${receipts[0]}`)).toMatch(/counted as cast/);
    expect(await w.ask('voter2', `receipt check Board ${receipts[0]}`)).toMatch(/No ballot of yours/);
  });
});
