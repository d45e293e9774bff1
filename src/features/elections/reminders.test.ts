/**
 * Reminders reach only those who have not voted; and a person who links two accounts is one
 * voter (the elections feature's person-merge hook).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotIn, electionsWorld, storedBallots, toVoting, type ElectionsWorld } from '../../../test/elections/world.ts';

let w: ElectionsWorld;
let v: Awaited<ReturnType<typeof toVoting>>;
beforeAll(async () => {
  w = await electionsWorld();
  await w.setUp(6);
  v = await toVoting(w);
}, 300_000);
afterAll(async () => w?.close());

const voteFor = async (user: string, name: string) => {
  const b = ballotIn(await w.say(user, 'vote Board'));
  return w.pressText(user, b.submit.command, { ...b.submit.args, ranking: b.byName.get(name)! });
};

describe('reminders', () => {
  it('"voting is open" went privately to every voter when voting opened', async () => {
    for (const u of ['voter1', 'voter5', 'officer']) expect((await w.inbox(`web:${u}`)).join('\n')).toMatch(/Voting is open in “Board” until/);
    expect((await w.inbox('web:room:announce')).join('\n')).toMatch(/Voting is open in “Board” until .*Candidates:/);
  });

  it('"closes in 24 hours" goes once, only to those who have not voted', async () => {
    expect(await voteFor('voter1', 'voter2')).toMatch(/is cast/);
    expect(await voteFor('voter2', 'voter2')).toMatch(/is cast/);
    w.clock.now = new Date(v.election.votingCloseAt.getTime() - 23 * 3600_000);
    await w.tick();
    w.clock.now = new Date(w.clock.now.getTime() + 10 * 60_000);
    await w.tick();
    const closing = async (u: string) => (await w.inbox(`web:${u}`)).filter((t) => /closes in 24 hours/.test(t)).length;
    expect(await closing('voter1')).toBe(0);
    expect(await closing('voter2')).toBe(0);
    expect(await closing('voter3')).toBe(1);
    expect(await closing('voter6')).toBe(1);
    expect(await closing('officer')).toBe(1);
    expect((await w.inbox('web:room:announce')).filter((t) => /closes in 24 hours/.test(t))).toHaveLength(0);
  });

  it('a person who linked two accounts is one voter', async () => {
    // voter5 votes from a second account that is, at first, a separate person and member
    const code = /code=([0-9A-F]{10})/.exec(await w.ask('officer', 'invite create uses=1'))![1];
    await w.ask('voter5-phone', `join code=${code}`);
    expect(await voteFor('voter5-phone', 'voter3')).toMatch(/is cast/);
    const linkCode = /\b([A-Z2-9]{8})\b/.exec(await w.ask('voter5', 'link'))![1];
    await w.ask('voter5-phone', `link with ${linkCode}`);
    // now one person: having voted from the phone, they have voted
    expect(await w.ask('voter5', 'vote Board')).toMatch(/already voted/);
    expect(await w.db.electionRoll.count()).toBe(await storedBallots(w.db));
  });
});
