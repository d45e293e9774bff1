/**
 * The one-statement path for a first ballot (quickCast): it stores what the ordinary path would,
 * with the slot computed inside SQL matching ballotSlot; a platform's repeat of the same
 * delivery has no second effect; and whenever it cannot do the whole job it changes nothing, so
 * the ordinary path runs and explains.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { electionsWorld, receiptIn, toVoting, type ElectionsWorld } from '../../../test/elections/world.ts';
import crypto from 'node:crypto';
import { ballotSlot, normaliseReceipt, personVoter, slotKeys } from './secrecy.ts';
import { quickCast } from './voting.service.ts';

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
  ballots: await w.db.electionBallot.count(),
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

it('the slot made in SQL is HMAC-SHA256 of the receipt, as ballotSlot makes it', async () => {
  for (let i = 0; i < 20; i++) {
    const receipt = normaliseReceipt(crypto.randomBytes(20).toString('hex').slice(0, 20).toUpperCase().replace(/[01IO]/g, 'A'))!;
    const voterKey = personVoter(crypto.randomUUID());
    const electionId = crypto.randomUUID();
    const { inner, outer } = slotKeys(receipt);
    const [row] = await w.db.$queryRaw<{ slot: string }[]>`
      SELECT encode(sha256(${outer}::bytea || sha256(${inner}::bytea || convert_to(${electionId}::text || '|' || ${voterKey}::text, 'UTF8'))), 'hex') AS slot`;
    expect(row.slot).toBe(ballotSlot(receipt, electionId, voterKey));
  }
});

it('a first ballot is stored under the slot its receipt and voter give, and the receipt checks', async () => {
  const before = await counts();
  const user = { platform: 'web', id: 'voter1', displayName: 'voter1' };
  const answer = await quickCast(w.db, user, v.election.id, { ranking: `${v.id('voter2')},${v.id('voter1')}` }, w.clock.now, undefined);
  if (!answer || answer === 'duplicate') throw new Error(`the quick path did not cast: ${answer}`);
  const receipt = receiptIn(answer.receipt ?? '')!;
  expect(receipt).toBeTruthy();
  const slot = ballotSlot(receipt, v.election.id, personVoter(await personOf('voter1')));
  const ballot = await w.db.electionBallot.findFirstOrThrow({ where: { slot } });
  expect(ballot.ranking).toEqual([v.id('voter2'), v.id('voter1')]);
  expect(await counts()).toEqual({ ...before, roll: before.roll + 1, ballots: before.ballots + 1 });
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

it('when it cannot do the whole job it changes nothing, and the ordinary path answers', async () => {
  const before = await counts();
  const quick = (user: string, ranking: string) => quickCast(w.db, { platform: 'web', id: user, displayName: user }, v.election.id, { ranking }, w.clock.now, `web:q-${user}`);
  expect(await quick('outsider', v.id('voter1'))).toBeNull();
  expect(await quick('voter5', v.id('voter4'))).toBeNull(); // withdrawn
  expect(await quick('voter5', '6f1c0c3e-0000-4000-8000-000000000000')).toBeNull(); // not a candidate
  expect(await counts()).toEqual(before);
  // not a member: the quick statement finds no voter, records no event; the ordinary path does
  const outsider = await w.app.bot.handle(castEvent('outsider', 'ev-3', v.id('voter1')));
  expect(outsider[0].message.text).toMatch(/Only active members/);
  expect(await counts()).toEqual({ ...before, events: before.events + 1 });
  // a withdrawn candidate: likewise refused with the reason, nothing stored
  expect((await w.app.bot.handle(castEvent('voter4', 'ev-4', v.id('voter4'))))[0].message.text).toMatch(/voter4 has withdrawn/);
  expect(await counts()).toEqual({ ...before, events: before.events + 2 });
});
