/**
 * The returning officer's powers and the schedule's edge cases: extend, cancel, nobody
 * standing, unopposed, RON elected (the seat stays vacant and nominations re-open), and a
 * restart during counting (the count re-runs and gives the same result).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { countBallots } from './counting.service.ts';
import { ballotIn, electionsWorld, type ElectionsWorld } from '../../../test/elections/world.ts';

const DAY = 24 * 3600_000;
let w: ElectionsWorld;
beforeAll(async () => {
  w = await electionsWorld();
  await w.setUp(6);
}, 300_000);
afterAll(async () => w?.close());

const election = (title: string) => w.db.election.findFirstOrThrow({ where: { title } });
const later = async (days: number) => {
  w.clock.now = new Date(w.clock.now.getTime() + days * DAY);
  await w.tick();
};

describe('the election lifecycle', () => {
  it('extend, then cancel with a reason; each announced once', async () => {
    await w.ask('officer', 'election open Early partnership="Health Board" start=2026-12-01 nominations=7 seats="Seat A"');
    expect((await election('Early')).phase).toBe('DRAFT');
    const before = await election('Early');
    expect(await w.ask('officer', 'election extend Early days=3')).toMatch(/“Early” extended/);
    const after = await election('Early');
    expect(after.nominationsCloseAt.getTime() - before.nominationsCloseAt.getTime()).toBe(3 * DAY);
    expect(after.votingCloseAt.getTime() - before.votingCloseAt.getTime()).toBe(3 * DAY);
    expect(await w.ask('voter1', 'election cancel Early because')).toMatch(/returning officer/i);
    expect(await w.ask('officer', 'election cancel Early the board is being restructured')).toMatch(/“Early” is cancelled/);
    expect(await w.ask('officer', 'election cancel Early again')).toMatch(/can no longer be cancelled/);
    expect(await w.ask('voter1', 'nominate Early')).toMatch(/not open/);
    const room = (await w.inbox('web:room:announce')).join('\n');
    expect(room.match(/has been cancelled: the board is being restructured/g)).toHaveLength(1);
    expect(room.match(/“Early” has been extended/g)).toHaveLength(1);
  });

  it('nobody stands: nominations re-open; one candidate, no RON: elected unopposed', async () => {
    await w.ask('officer', 'election open Quiet partnership="Health Board" seats="Seat A" nominations=5 gap=0 voting=5 ron=no');
    await later(5.1);
    const reopened = await election('Quiet');
    expect(reopened.phase).toBe('NOMINATIONS');
    expect((await w.inbox('web:room:announce')).join('\n')).toMatch(/Nobody stood in “Quiet”, so nominations are open again/);
    await w.ask('voter1', 'nominate Quiet');
    await later(5.1);
    const done = await election('Quiet');
    expect(done.phase).toBe('DECLARED');
    expect((await w.inbox('web:room:announce')).join('\n')).toMatch(/Elected unopposed:\nvoter1 is elected to Seat A/);
    expect(await w.db.seatHolding.count({ where: { seat: { label: 'Seat A' }, filledBy: 'ELECTED' } })).toBe(1);
  });

  it('RON wins a seat: it stays vacant and nominations re-open; a restart while counting changes nothing', async () => {
    await w.ask('officer', 'election open Contest partnership="Health Board" seats="Seat B" method=av nominations=3 gap=0 voting=3');
    await w.ask('voter2', 'nominate Contest');
    await later(3.1);
    expect((await election('Contest')).phase).toBe('VOTING');
    for (const [voter, first] of [['voter3', 'RON (re-open nominations)'], ['voter4', 'RON (re-open nominations)'], ['voter5', 'voter2']]) {
      const b = ballotIn(await w.say(voter, 'vote Contest'));
      expect(await w.pressText(voter, b.submit.command, { ...b.submit.args, ranking: b.byName.get(first)! })).toMatch(/is cast/);
    }
    // the instance dies just after closing voting: the election is left in COUNTING
    const e = await election('Contest');
    await w.db.election.update({ where: { id: e.id }, data: { phase: 'COUNTING', electorate: 7, votingCloseAt: w.clock.now } });
    await later(0.01);
    const declared = await election('Contest');
    expect(declared.phase).toBe('DECLARED');
    const result = declared.result as { count: unknown; ronSeats: string[]; reopenedAs: string };
    expect(result.ronSeats).toEqual(['Seat B']);
    expect((await countBallots(w.db, declared)).count).toEqual(result.count);
    const again = await w.db.election.findUniqueOrThrow({ where: { id: result.reopenedAs } });
    expect(again.title).toBe('Contest (re-opened)');
    expect(again.phase).toBe('NOMINATIONS');
    const room = (await w.inbox('web:room:announce')).join('\n');
    expect(room).toMatch(/RON won, so these seats stay vacant and nominations re-open: Seat B/);
    expect(room).toMatch(/Nominations are open: “Contest \(re-opened\)”/);
    expect(await w.db.seatHolding.count({ where: { seat: { label: 'Seat B' } } })).toBe(0);
  });

  it('the instance dies as the result is announced: the result is not declared without it; the next run declares and announces it once', async () => {
    await w.ask('officer', 'seat add partnership="Health Board" Seat C');
    await w.ask('officer', 'election open Cutoff partnership="Health Board" seats="Seat C" method=av nominations=3 gap=0 voting=3 ron=no');
    await w.ask('voter2', 'nominate Cutoff');
    await w.ask('voter3', 'nominate Cutoff');
    await later(3.1);
    const b = ballotIn(await w.say('voter4', 'vote Cutoff'));
    expect(await w.pressText('voter4', b.submit.command, { ...b.submit.args, ranking: b.byName.get('voter3')! })).toMatch(/is cast/);
    const broadcasts = w.app.services.broadcasts;
    const record = broadcasts.broadcast.bind(broadcasts);
    const dies = vi.spyOn(broadcasts, 'broadcast').mockImplementation(async (...args) => {
      if (args[1] === 'election-declared') throw new Error('the instance died here');
      return record(...args);
    });
    try {
      await later(3.1);
    } finally {
      dies.mockRestore();
    }
    const cut = await election('Cutoff');
    expect([cut.phase, cut.result]).toEqual(['COUNTING', null]);
    expect(await w.db.seatHolding.count({ where: { seat: { label: 'Seat C' } } })).toBe(0);
    await later(0.01);
    expect((await election('Cutoff')).phase).toBe('DECLARED');
    const room = (await w.inbox('web:room:announce')).join('\n');
    expect(room.match(/Result: Cutoff/g)).toHaveLength(1);
  });
});
