/**
 * Bad ballots are refused with a clear message and nothing is stored: a rank repeated, a rank
 * skipped, a candidate ranked twice, a withdrawn candidate, after close, not on the roll.
 * Also: nominations' eligibility rules, and the organisation franchise with its delegate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotIn, electionsWorld, receiptIn, storedBallots, toVoting, type ElectionsWorld } from '../../../test/elections/world.ts';

let w: ElectionsWorld;
let v: Awaited<ReturnType<typeof toVoting>>;
beforeAll(async () => {
  w = await electionsWorld();
  await w.setUp(6);
  v = await toVoting(w);
}, 300_000);
afterAll(async () => w?.close());

const stored = async () => ({ roll: await w.db.electionRoll.count(), ballots: await storedBallots(w.db) });
const cast = (user: string, args: Record<string, string>) => w.pressText(user, 'ballot cast', { election: v.election.id, ...args });

describe('bad ballots are refused and store nothing', () => {
  it.each([
    ['a rank repeated', () => ({ ranks: `${v.id('voter1')}=1,${v.id('voter2')}=1` }), /Rank 1 is given to more than one candidate/],
    ['a rank skipped', () => ({ ranks: `${v.id('voter1')}=1,${v.id('voter2')}=3` }), /Rank 2 is missing/],
    ['a candidate ranked twice', () => ({ ranking: `${v.id('voter1')},${v.id('voter1')}` }), /You ranked voter1 more than once/],
    ['a withdrawn candidate', () => ({ ranking: `${v.id('voter1')},${v.id('voter4')}` }), /voter4 has withdrawn/],
    ['someone not a candidate', () => ({ ranking: '6f1c0c3e-0000-4000-8000-000000000000' }), /not a candidate in this election/],
    ['no choice at all', () => ({ ranking: '' }), /has no choices/],
  ])('%s', async (_, args, message) => {
    const before = await stored();
    expect(await cast('voter5', args())).toMatch(message);
    expect(await stored()).toEqual(before);
  });

  it('someone not on the roll', async () => {
    const before = await stored();
    expect(await cast('outsider', { ranking: v.id('voter1') })).toMatch(/Only active members/);
    await w.db.membership.updateMany({ where: { person: { displayName: 'voter6' } }, data: { status: 'LAPSED' } });
    expect(await cast('voter6', { ranking: v.id('voter1') })).toMatch(/Only active members/);
    expect(await stored()).toEqual(before);
  });

  it('a good ballot is stored once; a second without the receipt is refused', async () => {
    const ok = await cast('voter5', { ranks: `${v.id('voter2')}=2,${v.id('voter1')}=1` });
    expect(receiptIn(ok)).toBeTruthy();
    expect(await stored()).toEqual({ roll: 1, ballots: 1 });
    expect(await cast('voter5', { ranking: v.id('voter3') })).toMatch(/already voted/);
    expect(await cast('voter5', { ranking: v.id('voter3'), receipt: 'ABCDE-FGHJK-LMNPQ-RSTUV' })).toMatch(/No ballot of yours matches/);
    expect(await cast('voter5', { ranking: v.id('voter3'), receipt: 'nonsense' })).toMatch(/not a receipt code/);
    expect(await stored()).toEqual({ roll: 1, ballots: 1 });
  });

  it('after close, even before the schedule has moved the election on', async () => {
    const b = ballotIn(await w.say('voter3', 'vote Board'));
    w.clock.now = new Date(v.election.votingCloseAt.getTime() + 1000);
    const before = await stored();
    expect(await w.pressText('voter3', b.submit.command, { ...b.submit.args, ranking: v.id('voter3') })).toMatch(/Voting in “Board” is not open/);
    expect(await stored()).toEqual(before);
    await w.tick();
    expect((await w.db.election.findUniqueOrThrow({ where: { id: v.election.id } })).phase).toBe('DECLARED');
    expect(await w.pressText('voter3', b.submit.command, { ...b.submit.args, ranking: v.id('voter3') })).toMatch(/not open/);
    expect(await stored()).toEqual(before);
  });
});

describe('eligibility and franchise', () => {
  let o: ElectionsWorld;
  beforeAll(async () => {
    o = await electionsWorld();
    await o.ask('officer', 'forum create Org Forum cvc="PAVO"');
    await o.ask('officer', 'partnership add Health Board');
    await o.ask('officer', 'seat add partnership="Health Board" Seat A');
    await o.ask('officer', 'organisation add Brecon Mind');
    await o.ask('officer', 'organisation add Food Bank');
    const invite = (org: string) => o.ask('officer', `invite create ${org} uses=5`).then((t) => /code=([0-9A-F]{10})/.exec(t)![1]);
    const mind = await invite('Brecon Mind');
    const food = await invite('Food Bank');
    for (const u of ['rhian', 'sian']) await o.ask(u, `join code=${mind}`);
    for (const u of ['tom', 'gwen']) await o.ask(u, `join code=${food}`);
    await o.ask('officer', 'voter designate organisation="Brecon Mind" rhian');
  }, 300_000);
  afterAll(async () => o?.close());

  it('one candidate per organisation; statements at most 1,500 characters', async () => {
    expect(await o.ask('officer', 'election open Board partnership="Health Board" method=fptp gap=0 ron=no')).toMatch(/first past the post/);
    expect(await o.ask('rhian', 'nominate Board')).toMatch(/You are nominated/);
    expect(await o.ask('sian', 'nominate Board')).toMatch(/rhian already stands for Brecon Mind/);
    expect(await o.ask('tom', 'nominate Board')).toMatch(/You are nominated/);
    expect(await o.ask('gwen', `nominate Board statement="${'y'.repeat(1600)}"`)).toMatch(/at most 1,500/);
    expect(await o.db.candidate.count({ where: { isRon: false } })).toBe(2);
  });

  it('the organisation’s vote: designated voter, delegation to a colleague, one vote each', async () => {
    o.clock.now = new Date(o.clock.now.getTime() + 15 * 24 * 3600_000);
    await o.tick();
    expect(await o.ask('sian', 'vote Board')).toMatch(/cast by its designated voter/);
    expect(await o.ask('rhian', 'vote delegate Board tom')).toMatch(/not another active member of Brecon Mind/);
    expect(await o.ask('rhian', 'vote delegate Board sian')).toMatch(/sian will cast Brecon Mind’s vote/);
    expect(await o.ask('rhian', 'vote Board')).toMatch(/delegated to another member/);
    const replies = await o.say('sian', 'vote Board');
    const buttons = replies.flatMap((r) => r.blocks ?? []).find((b) => b.type === 'buttons');
    expect(buttons && buttons.type === 'buttons' && buttons.buttons.map((b) => b.label).sort()).toEqual(['rhian', 'tom']);
    const tomButton = buttons!.type === 'buttons' ? buttons!.buttons.find((b) => b.label === 'tom')! : null;
    expect(await o.pressText('sian', tomButton!.action.command, tomButton!.action.args!)).toMatch(/You are voting|is cast/);
    // Food Bank has no designated voter: any of its members, once
    expect(await o.pressText('gwen', tomButton!.action.command, tomButton!.action.args!)).toMatch(/is cast/);
    expect(await o.pressText('tom', tomButton!.action.command, tomButton!.action.args!)).toMatch(/already voted/);
    expect(await o.db.electionRoll.count()).toBe(2);
    expect(await o.ask('officer', 'election close Board')).toMatch(/result declared/);
    expect(await o.ask('tom', 'election result Board')).toMatch(/tom is elected to Seat A \(votes: 2\).*\n.*Ballots: 2 of 2 eligible voters \(turnout 100%\)/);
  });
});
