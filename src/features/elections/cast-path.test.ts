/**
 * A ballot from the ballot form goes the way every command goes: the event's context, the
 * command's permission check, then the voting service. A first ballot is stored under the slot
 * its receipt and voter give; a platform's repeat of the same delivery has no second effect; a
 * refusal changes nothing and says why.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { electionsWorld, receiptIn, storedBallots, toVoting, type ElectionsWorld } from '../../../test/elections/world.ts';
import { ballotSlot, personVoter } from './secrecy.ts';
import { moveHeldBallots } from './voting.service.ts';

let w: ElectionsWorld;
let v: Awaited<ReturnType<typeof toVoting>>;
beforeAll(async () => {
  w = await electionsWorld();
  await w.setUp(5);
  v = await toVoting(w);
}, 300_000);
afterAll(async () => w?.close());

const personOf = async (name: string) => (await w.db.person.findFirstOrThrow({ where: { displayName: name } })).id;
const counts = async () => ({
  roll: await w.db.electionRoll.count(),
  ballots: await storedBallots(w.db),
  events: await w.db.processedEvent.count(),
});
const castEvent = (user: string, eventId: string, ranking: string) => ({
  kind: 'action' as const,
  command: 'ballot cast',
  args: { election: v.election.id, ranking },
  user: { platform: 'web', id: user, displayName: user, dmRef: `web:${user}` },
  conversation: `web:${user}`,
  isDirect: true,
  eventId,
});

it('a first ballot is stored under the slot its receipt and voter give, and the receipt checks', async () => {
  const before = await counts();
  const answer = await w.app.bot.handle(castEvent('voter1', 'ev-0', `${v.id('voter2')},${v.id('voter1')}`));
  expect(answer).toHaveLength(1);
  expect(answer[0].visibility).toBe('ephemeral');
  const receipt = receiptIn(answer[0].message.text ?? '')!;
  expect(receipt).toBeTruthy();
  const slot = ballotSlot(receipt, v.election.id, personVoter(await personOf('voter1')));
  const ballot = await w.db.ballotBox.findFirstOrThrow({ where: { slot } });
  expect(ballot.ranking).toEqual([v.id('voter2'), v.id('voter1')]);
  expect(await counts()).toEqual({ roll: before.roll + 1, ballots: before.ballots + 1, events: before.events + 1 });
  expect(await w.ask('voter1', `receipt check Board ${receipt}`)).toMatch(/voter2/);
});

it('the same delivery twice: one ballot, one reply; a new delivery after it is told it has voted', async () => {
  const before = await counts();
  const first = await w.app.bot.handle(castEvent('voter3', 'ev-1', v.id('voter1')));
  expect(first[0].message.text).toMatch(/is cast/);
  expect(await w.app.bot.handle(castEvent('voter3', 'ev-1', v.id('voter1')))).toEqual([]);
  expect(await counts()).toEqual({ roll: before.roll + 1, ballots: before.ballots + 1, events: before.events + 1 });
  const again = await w.app.bot.handle(castEvent('voter3', 'ev-2', v.id('voter2')));
  expect(again[0].message.text).toMatch(/already voted/);
  expect(await counts()).toEqual({ roll: before.roll + 1, ballots: before.ballots + 1, events: before.events + 2 });
});

it('a refusal changes nothing and says why: not a member, a withdrawn candidate, not a candidate', async () => {
  const before = await counts();
  // not a member: the command's permission check refuses before the voting service runs
  const outsider = await w.app.bot.handle(castEvent('outsider', 'ev-3', v.id('voter1')));
  expect(outsider[0].message.text).toMatch(/Only active members/);
  expect(await counts()).toEqual({ ...before, events: before.events + 1 });
  // a withdrawn candidate: refused with the reason, nothing stored
  expect((await w.app.bot.handle(castEvent('voter5', 'ev-4', v.id('voter4'))))[0].message.text).toMatch(/voter4 has withdrawn/);
  // not a candidate of this election
  const stranger = await w.app.bot.handle(castEvent('voter5', 'ev-5', '6f1c0c3e-0000-4000-8000-000000000000'));
  expect(stranger[0].message.text).not.toMatch(/is cast/);
  expect(await counts()).toEqual({ ...before, events: before.events + 3 });
  // and voter5 can still vote
  expect((await w.app.bot.handle(castEvent('voter5', 'ev-6', v.id('voter1'))))[0].message.text).toMatch(/is cast/);
});

it('a ballot is held in the box until the mixing job moves it; replacing works held or moved, once per receipt', async () => {
  const voter = await personOf('voter2');
  const slotOf = (receipt: string) => ballotSlot(receipt, v.election.id, personVoter(voter));
  const cast = async (eventId: string, ranking: string, receipt?: string) => {
    const e = castEvent('voter2', eventId, ranking);
    const answer = await w.app.bot.handle(receipt ? { ...e, args: { ...e.args, receipt } } : e);
    return answer[0].message.text ?? '';
  };
  const first = receiptIn(await cast('ev-r1', v.id('voter1')))!;
  expect(await w.db.ballotBox.findUnique({ where: { slot: slotOf(first) } })).toBeTruthy();
  expect(await w.db.electionBallot.findUnique({ where: { slot: slotOf(first) } })).toBeNull();
  // replaced while still held: the held ballot goes, the new one is held
  const second = receiptIn(await cast('ev-r2', v.id('voter2'), first))!;
  expect(await w.ask('voter2', `receipt check Board ${first}`)).toMatch(/No ballot of yours/);
  expect(await w.ask('voter2', `receipt check Board ${second}`)).toMatch(/voter2/);
  expect(await moveHeldBallots(w.db)).toBeGreaterThanOrEqual(1);
  expect(await w.db.ballotBox.count()).toBe(0);
  const counted = await w.db.electionBallot.count();
  expect(await w.db.electionBallot.findUnique({ where: { slot: slotOf(second) } })).toMatchObject({ ranking: [v.id('voter2')] });
  expect(await w.ask('voter2', `receipt check Board ${second}`)).toMatch(/voter2/);
  // replaced after the move: the counted ballot stays until the next move, but checks as replaced
  const third = receiptIn(await cast('ev-r3', v.id('voter3'), second))!;
  expect(await w.ask('voter2', `receipt check Board ${second}`)).toMatch(/No ballot of yours/);
  expect(await w.ask('voter2', `receipt check Board ${third}`)).toMatch(/voter3/);
  // the same old receipt again, as a second replacement racing the first: refused
  expect(await cast('ev-r4', v.id('voter1'), second)).toMatch(/No ballot of yours/);
  await moveHeldBallots(w.db);
  expect(await w.db.electionBallot.findUnique({ where: { slot: slotOf(second) } })).toBeNull();
  expect(await w.db.electionBallot.findUnique({ where: { slot: slotOf(third) } })).toMatchObject({ ranking: [v.id('voter3')] });
  expect(await w.db.electionBallot.count()).toBe(counted);
  expect(await storedBallots(w.db)).toBe(await w.db.electionRoll.count());
});

it('no database function casts ballots any more: the one path is the command', async () => {
  const rows = await w.db.$queryRaw<{ proname: string }[]>`SELECT proname FROM pg_proc WHERE proname LIKE 'forumbot_%' ORDER BY proname`;
  expect(rows.map((r) => r.proname)).not.toContain('forumbot_cast_ballot');
  expect(rows.map((r) => r.proname)).toContain('forumbot_event_context');
});
