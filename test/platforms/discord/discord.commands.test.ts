import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordShown, discordWorld, type DiscordWorld } from '../../scenarios/discord-driver.ts';

/**
 * Discord's typed slash commands and autocomplete, end to end: real discord.js against the Discord
 * stand-in, the whole core, a real database. An officer sets a forum up with typed options; names
 * are offered from the database; a typed command answers as its text form does; bad typed input
 * gets the bilingual answer.
 */
describe('Discord typed options and autocomplete', () => {
  let w: DiscordWorld;
  const typed = async (user: string, path: string[], options: Record<string, string | number | boolean>, channel = 'general') =>
    (await w.interact(w.stand.typedSlash(user, path, options, channel))).map((r) => discordShown(r).text).join('\n');
  const text = async (user: string, command: string, channel = 'general') =>
    (await w.interact(w.stand.slash(user, 'forumbot', command, channel))).map((r) => discordShown(r).text).join('\n');
  /** the names offered while `user` types `value` into option `focused` */
  const offered = async (user: string, path: string[], options: Record<string, string>, focused: string, channel = 'general') => {
    const payload = w.stand.typedSlash(user, path, options, channel, focused);
    await w.interact(payload);
    const it = w.stand.interaction(payload.id);
    expect(it?.acknowledged).toBe(true);
    return (it?.choices ?? []).map((c) => c.name);
  };

  beforeAll(async () => {
    w = await discordWorld();
    expect(await typed('carys', ['forum', 'create'], { name: 'Powys Third Sector Forum', cvc: 'PAVO' })).toMatch(/Powys Third Sector Forum/);
    for (const name of ['Health and Social Care Board', 'Community Safety Partnership', 'Children and Young People Partnership']) {
      expect(await typed('carys', ['partnership', 'add'], { name })).toContain(name);
    }
    for (let i = 1; i <= 30; i++) await typed('carys', ['partnership', 'add'], { name: `Area Board ${String(i).padStart(2, '0')}` });
    expect(await typed('carys', ['seat', 'add'], { partnership: 'Health and Social Care Board', label: 'Mental health seat', term: 24, method: 'appointed' })).toMatch(/Mental health seat/);
    expect(await typed('carys', ['channel', 'link'], {})).not.toMatch(/needs fixing|did not understand/i);
    // names that belong to others: a seat of another partnership, candidates of two elections
    expect(await typed('carys', ['seat', 'add'], { partnership: 'Community Safety Partnership', label: 'Mental health advocate', term: 24, method: 'elected' })).toMatch(/Mental health advocate/);
    for (const [title, partnership] of [['Health Board 2027', 'Health and Social Care Board'], ['Safety Partnership 2027', 'Community Safety Partnership']]) {
      expect(await typed('carys', ['election', 'open'], { title, partnership })).toMatch(new RegExp(title));
    }
    const forum = await w.app.services.db.forum.findFirstOrThrow({ where: { name: 'Powys Third Sector Forum' } });
    const byTitle = async (title: string) => (await w.app.services.db.election.findFirstOrThrow({ where: { forumId: forum.id, title } })).id;
    await w.app.services.db.candidate.createMany({
      data: [
        { electionId: await byTitle('Health Board 2027'), name: 'Siân Evans' },
        { electionId: await byTitle('Health Board 2027'), name: 'Simon Price' },
        { electionId: await byTitle('Safety Partnership 2027'), name: 'Sioned Hughes' },
      ],
    });
  }, 120_000);
  afterAll(async () => w?.driver.close());

  it('registers the typed commands the registry derives (and Welsh words as text)', () => {
    const global = w.stand.commands.get('global')!;
    const seat = global.find((c) => c.name === 'seat')!;
    expect((seat.options as { name: string }[]).map((o) => o.name)).toEqual(['add', 'fill', 'vacate']);
    expect(global.find((c) => c.name === 'sedd')!.options).toEqual([expect.objectContaining({ name: 'text' })]);
  });

  it('answers an autocomplete with the forum’s names, forgiving prefixes and words, at most 25', async () => {
    expect(await offered('carys', ['who', 'represents'], { partnership: 'health bo' }, 'partnership')).toEqual(['Health and Social Care Board']);
    expect(await offered('carys', ['who', 'represents'], { partnership: 'comm saf' }, 'partnership')).toEqual(['Community Safety Partnership']);
    expect(await offered('carys', ['who', 'represents'], { partnership: 'partnership' }, 'partnership')).toEqual(['Children and Young People Partnership', 'Community Safety Partnership']);
    const all = await offered('carys', ['who', 'represents'], { partnership: '' }, 'partnership');
    expect(all).toHaveLength(25);
    expect(all[0]).toBe('Area Board 01');
    expect(await offered('carys', ['seat', 'vacate'], { partnership: 'Health and Social Care Board', seat: 'ment' }, 'seat')).toEqual(['Mental health seat']);
    expect(await offered('carys', ['role', 'add'], { role: 'officer', person: 'car' }, 'person')).toEqual([expect.stringMatching(/^carys/i)]);
  });

  it('offers a seat within the partnership already chosen, a candidate within the election', async () => {
    const seats = (partnership?: string) => offered('carys', ['seat', 'vacate'], { ...(partnership === undefined ? {} : { partnership }), seat: 'mental' }, 'seat');
    expect(await seats()).toEqual(['Mental health advocate', 'Mental health seat']);
    expect(await seats('Health and Social Care Board')).toEqual(['Mental health seat']);
    // the partnership as the command reads it: part of its name, or its words
    expect(await seats('comm saf')).toEqual(['Mental health advocate']);
    expect(await seats('Area Board 07')).toEqual([]);
    // a partnership that names none narrows nothing
    expect(await seats('Nowhere Board')).toEqual(['Mental health advocate', 'Mental health seat']);
    expect(await offered('carys', ['seat', 'fill'], { partnership: 'health', seat: '', person: '' }, 'seat')).toEqual(['Mental health seat']);

    const candidates = (election?: string) => offered('carys', ['second'], { ...(election === undefined ? {} : { election }), candidate: 'si' }, 'candidate');
    expect(await candidates()).toEqual(['Siân Evans', 'Simon Price', 'Sioned Hughes']);
    expect(await candidates('Health Board 2027')).toEqual(['Siân Evans', 'Simon Price']);
    expect(await candidates('safety')).toEqual(['Sioned Hughes']);
  });

  it('offers people only to the forum’s members: a stranger in the channel gets partnerships but no names', async () => {
    expect(await offered('eve', ['who', 'represents'], { partnership: 'health' }, 'partnership')).toEqual(['Health and Social Care Board']);
    expect(await offered('eve', ['role', 'add'], { role: 'officer', person: 'c' }, 'person')).toEqual([]);
    expect(await offered('eve', ['voter', 'designate'], { organisation: '' }, 'organisation')).toEqual([]);
  });

  it('a typed command does what its text form does', async () => {
    const viaOptions = await typed('carys', ['who', 'represents'], { partnership: 'Health and Social Care Board' });
    const viaText = await text('carys', 'who represents us on health board?');
    expect(viaOptions).toMatch(/Mental health seat/);
    expect(viaOptions).toBe(viaText);
    const seatsTyped = await typed('carys', ['what', 'seats', 'does'], { person: 'Nobody Here' });
    expect(seatsTyped).toBe(await text('carys', 'what seats does Nobody Here hold?'));
  });

  it('bad typed input gets the clear answer, in English and in Welsh, and changes nothing', async () => {
    const before = await w.app.services.db.seatHolding.count();
    const english = await typed('carys', ['seat', 'fill'], { partnership: 'Health and Social Care Board', seat: 'Mental health seat', person: 'carys', from: '32/13/2027' });
    expect(english).toMatch(/That command needs fixing/);
    expect(english).toMatch(/from must be a date such as 15\/01\/2027/);
    expect(english).not.toMatch(/Error|at .*\.ts|stack/);
    await text('carys', 'language cy');
    const welsh = await typed('carys', ['seat', 'fill'], { partnership: 'Health and Social Care Board', seat: 'Mental health seat', person: 'carys', from: '32/13/2027' });
    expect(welsh).toMatch(/Mae angen cywiro’r gorchymyn hwnnw/);
    expect(welsh).toMatch(/from: rhowch ddyddiad fel 15\/01\/2027/);
    await text('carys', 'iaith en');
    expect(await w.app.services.db.seatHolding.count()).toBe(before);
  });

  it('a UK date typed into a date option is read as the text form reads it', async () => {
    const answer = await typed('carys', ['seat', 'fill'], { partnership: 'health board', seat: 'Mental health seat', person: 'carys', from: '15/01/2027' });
    expect(answer).toMatch(/Mental health seat/);
    expect(answer).not.toMatch(/needs fixing/);
    const holding = await w.app.services.db.seatHolding.findFirstOrThrow({ where: { seat: { label: 'Mental health seat' } } });
    expect(holding.startsOn.toISOString().slice(0, 10)).toBe('2027-01-15');
  });
});
