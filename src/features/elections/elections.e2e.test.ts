/**
 * An election from start to finish through the web chat (WebChatAdapter.handleApi, what
 * POST /api/webchat calls): open, nominate, second, accept, vote (ranked, several voters, one
 * replacing their ballot), close, count, declare, seats filled, receipt checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotIn, electionsWorld, receiptIn, storedBallots, type ElectionsWorld } from '../../../test/elections/world.ts';

let w: ElectionsWorld;
beforeAll(async () => {
  w = await electionsWorld();
  await w.setUp(7);
});
afterAll(async () => w?.close());

const T = '"Board 2027"';
const DAY = 24 * 3600_000;
const receipts = new Map<string, string>();

describe('an election through the web chat', () => {
  it('the returning officer opens it and the forum is told', async () => {
    const answer = await w.ask('officer', `election open Board 2027 partnership="Health Board" seconder=yes nominations=7 gap=1 voting=7`);
    expect(answer).toMatch(/Election “Board 2027” set up for Health Board: Seat A, Seat B, by single transferable vote \(Scottish rules\)/);
    expect(answer).toMatch(/Now: nominations open/);
    expect((await w.inbox('web:room:announce')).join('\n')).toMatch(/Nominations are open: “Board 2027”/);
    expect(await w.ask('voter1', 'election open X partnership="Health Board"')).toMatch(/returning officer/i);
  });

  it('members nominate, accept and second', async () => {
    expect(await w.ask('voter1', `nominate ${T} statement="Ten years running Brecon Mind."`)).toMatch(/You are nominated in “Board 2027”.*needs a seconder/s);
    expect(await w.ask('voter2', `nominate ${T} voter3`)).toMatch(/voter3 is nominated in “Board 2027”. They have been asked to accept/);
    // voter3 is asked privately, with a button
    const asked = await w.inbox('web:voter3');
    expect(asked.join('\n')).toMatch(/voter2 has nominated you in the election “Board 2027”/);
    const election = await w.db.election.findFirstOrThrow({ where: { title: 'Board 2027' } });
    expect(await w.pressText('voter3', 'nomination accept', { election: election.id, statement: 'I chair the carers’ network.' })).toMatch(/You are standing in “Board 2027”/);
    expect(await w.ask('voter4', `nominate ${T}`)).toMatch(/nominated/);
    expect(await w.ask('voter5', `nominate ${T}`)).toMatch(/nominated/);
    // seconders: not yourself, not twice
    expect(await w.ask('voter1', `second ${T} voter1`)).toMatch(/someone other than the candidate/);
    expect(await w.ask('voter2', `second ${T} voter1`)).toMatch(/You have seconded voter1/);
    expect(await w.ask('voter6', `second ${T} voter1`)).toMatch(/already has a seconder/);
    expect(await w.ask('voter1', `second ${T} voter3`)).toMatch(/You have seconded voter3/);
    expect(await w.ask('voter6', `second ${T} voter4`)).toMatch(/You have seconded voter4/);
    // voter5 finds no seconder and withdraws anyway
    expect(await w.ask('voter5', `nomination withdraw ${T}`)).toMatch(/You have withdrawn/);
    const statement = 'x'.repeat(1501);
    expect(await w.ask('voter6', `nominate ${T} statement="${statement}"`)).toMatch(/at most 1,500 characters/);
    const shown = await w.ask('voter7', `election show ${T}`);
    expect(shown).toMatch(/voter1 \(standing\)\n  “Ten years running Brecon Mind.”/);
    expect(shown).toMatch(/voter5 \(withdrawn\)/);
  });

  it('nominations close and voting opens on schedule; the job is idempotent', async () => {
    w.clock.now = new Date(w.clock.now.getTime() + 8 * DAY + 60_000);
    await w.tick();
    await w.tick();
    const e = await w.db.election.findFirstOrThrow({ where: { title: 'Board 2027' } });
    expect(e.phase).toBe('VOTING');
    const room = (await w.inbox('web:room:announce')).join('\n');
    expect(room.match(/Nominations for “Board 2027” have closed/g)).toHaveLength(1);
    expect(room.match(/Voting is open in “Board 2027”/g)).toHaveLength(1);
    expect(room).toMatch(/Candidates: voter1, voter3, voter4, RON \(re-open nominations\)/);
    // the "voting is open" reminder reaches members privately
    expect((await w.inbox('web:voter6')).join('\n')).toMatch(/Voting is open in “Board 2027” until/);
  });

  it('members vote privately with ranked ballots in a shuffled order; one replaces their ballot', async () => {
    const choices: Record<string, string[]> = {
      voter1: ['voter1', 'voter3'],
      voter2: ['voter1', 'voter4', 'voter3'],
      voter3: ['voter3', 'voter1'],
      voter4: ['voter4', 'voter3'],
      voter5: ['voter3', 'voter4'],
      voter6: ['voter4', 'voter1'],
    };
    const orders = new Set<string>();
    for (const [voter, ranking] of Object.entries(choices)) {
      const replies = await w.say(voter, `vote ${T}`);
      expect(replies.every((r) => r.visibility !== 'conversation')).toBe(true);
      const b = ballotIn(replies);
      orders.add(b.order.join(','));
      expect(b.ballot.candidates.find((c) => c.name === 'voter1')?.statement).toBe('Ten years running Brecon Mind.');
      expect(b.order).not.toContain('voter5');
      const answer = await w.pressText(voter, b.submit.command, { ...b.submit.args, ranking: ranking.map((n) => b.byName.get(n)).join(',') });
      expect(answer).toMatch(/Your vote in “Board 2027” is cast/);
      receipts.set(voter, receiptIn(answer)!);
    }
    expect(orders.size).toBeGreaterThan(1);
    w.clock.now = new Date(w.clock.now.getTime() + 60_000);
    await w.tick(); // a minute on, the mixing job moves every ballot so far into the counted table
    expect(await w.db.ballotBox.count()).toBe(0);
    // voting again without the receipt is refused; with it, the ballot is replaced
    expect(await w.ask('voter6', `vote ${T}`)).toMatch(/already voted.*receipt/);
    const again = ballotIn(await w.say('voter6', `vote ${T} receipt=${receipts.get('voter6')}`));
    const replaced = await w.pressText('voter6', again.submit.command, { ...again.submit.args, ranking: ['voter1', 'voter4'].map((n) => again.byName.get(n)).join(',') });
    expect(replaced).toMatch(/Your ballot in “Board 2027” is replaced/);
    const old = receipts.get('voter6')!;
    receipts.set('voter6', receiptIn(replaced)!);
    expect(receipts.get('voter6')).not.toBe(old);
    expect(await w.ask('voter6', `receipt check ${T} ${old}`)).toMatch(/No ballot of yours matches/);
    // someone else's receipt does not work for you
    expect(await w.ask('voter5', `receipt check ${T} ${receipts.get('voter1')}`)).toMatch(/No ballot of yours matches/);
    expect(await w.db.electionRoll.count()).toBe(6);
    // the replaced ballot is held; the next move deletes the one it replaces
    expect(await storedBallots(w.db)).toBe(7);
    w.clock.now = new Date(w.clock.now.getTime() + 60_000);
    await w.tick();
    expect(await w.db.electionBallot.count()).toBe(6);
    expect(await w.db.ballotBox.count()).toBe(0);
  });

  it('the returning officer closes voting early: counted, declared, seats filled', async () => {
    const answer = await w.ask('officer', `election close ${T}`);
    expect(answer).toMatch(/closed early. Now: result declared/);
    const room = (await w.inbox('web:room:announce')).join('\n');
    expect(room).toMatch(/Result: Board 2027/);
    expect(room).toMatch(/Ballots: 6 of 8 eligible voters \(turnout 75%\)/);
    expect(room).toMatch(/Quota: 3; valid ballots: 6/);
    const e = await w.db.election.findFirstOrThrow({ where: { title: 'Board 2027' } });
    expect(e.phase).toBe('DECLARED');
    const holdings = await w.db.seatHolding.findMany({ include: { seat: true }, orderBy: { seat: { label: 'asc' } } });
    const people = await w.db.person.findMany();
    const nameOf = (id: string) => people.find((p) => p.id === id)!.displayName;
    expect(holdings.map((h) => [h.seat.label, nameOf(h.personId), h.filledBy])).toEqual([
      ['Seat A', 'voter1', 'ELECTED'],
      ['Seat B', expect.stringMatching(/voter[34]/), 'ELECTED'],
    ]);
    expect(holdings[0].endsOn.getTime() - holdings[0].startsOn.getTime()).toBeGreaterThan(700 * DAY);
    const who = await w.ask('voter7', 'who represents us on Health Board?');
    expect(who).toMatch(/Seat A: voter1 .*elected/);
  });

  it('a voter checks their receipt: counted as cast', async () => {
    const answer = await w.ask('voter6', `receipt check ${T} ${receipts.get('voter6')!.toLowerCase()}`);
    expect(answer).toMatch(/Your ballot in “Board 2027” was counted as cast/);
    expect(answer).toMatch(/1\. voter1\n2\. voter4/);
  });

  it('the result, turnout and ballots are public record, and export as BLT', async () => {
    const result = await w.ask('stranger', `election result ${T}`);
    expect(result).toMatch(/turnout 75%/);
    expect(result).toMatch(/Stage/);
    const ballots = await w.ask('stranger', `election ballots ${T}`);
    expect(ballots).toMatch(/Ballots of “Board 2027”: 6/);
    expect(ballots.split('\n').filter((l) => /^[0-9a-f]{16} {2}/.test(l))).toHaveLength(6);
    const blt = await w.ask('stranger', `election export ${T}`);
    expect(blt).toMatch(/\n4 2\n/);
    expect(blt).not.toMatch(/```/);
    expect(blt).toMatch(/"voter1"\n"voter3"\n"voter4"\n"RON"\n"Board 2027"/);
  });
});
