/**
 * Forgiving input through the whole bot on a real database: names without quotes, UK dates,
 * straight apostrophes in Welsh, and "did you mean" for near misses (table tests in
 * src/core/input.test.ts and src/core/dates.test.ts cover the rules one by one).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-12-05T10:00:00Z' }); // a Saturday
  await h.ask('officer', 'forum create Powys Third Sector Forum cvc="PAVO"');
  await h.ask('officer', 'partnership add Health and Social Care Board');
  await h.ask('officer', 'partnership add Regional Partnership Board');
  await h.ask('officer', 'seat add partnership="Health and Social Care Board" Mental health seat');
  const invite = await h.ask('officer', 'invite create uses=5');
  const code = /code=([0-9A-F]{10})/.exec(invite)![1];
  for (const who of ['amira', 'bryn', 'siân']) await h.ask(who, `join code=${code}`);
});
afterAll(async () => h?.close());

describe('quotes are optional where a name can be found', () => {
  it('an election opens with an unquoted partnership and a UK date', async () => {
    const answer = await h.ask('officer', 'election open Health Board 2027 partnership=Health and Social Care Board start=05/12/2026 nominations=14');
    expect(answer).toMatch(/Election “Health Board 2027” set up for Health and Social Care Board/);
    expect(answer).toMatch(/19 December 2026/); // nominations close 14 days on
  });

  it('nominate takes the longest known election title, then the person, then the statement', async () => {
    expect(await h.ask('amira', 'nominate Health Board 2027 statement=I have run Brecon Mind for ten years')).toMatch(/You are nominated in “Health Board 2027”/);
    const row = await h.app.services.db.candidate.findFirstOrThrow({ where: { statement: { not: null } } });
    expect(row.statement).toBe('I have run Brecon Mind for ten years');
    expect(await h.ask('amira', 'nominate health board 2027 bryn')).toMatch(/bryn is nominated in “Health Board 2027”/);
    expect(await h.ask('amira', 'nominate Health Board 2027 sian')).toMatch(/siân is nominated/); // no accent typed
    expect(await h.ask('bryn', 'election show Health Board 2027')).toMatch(/amira .*\n  “I have run Brecon Mind for ten years”/);
  });

  it('quoted names still work as before', async () => {
    expect(await h.ask('officer', 'election show "Health Board 2027"')).toMatch(/Health Board 2027/);
  });
});

describe('dates and times as typed in the UK', () => {
  it.each([
    ['meeting add Health and Social Care Board date=15/01/2027 start=14:00 place=County Hall', /15 January 2027/],
    ['meeting add Health and Social Care Board date=22 Jan 2027 start=2pm', /22 January 2027/],
    ['meeting add Regional Partnership Board date=next Friday start=10.30am', /11 December 2026/],
    ['meeting add Regional Partnership Board date=tomorrow start=noon', /6 December 2026/],
  ])('%s', async (text, when) => {
    expect(await h.ask('officer', text)).toMatch(when);
  });

  it('Welsh dates and a Welsh officer', async () => {
    await h.ask('officer', 'iaith cy');
    expect(await h.ask('officer', 'cyfarfod ychwanegu Regional Partnership Board date=dydd Gwener nesaf start=2pm')).toMatch(/11 Rhagfyr 2026/);
    expect(await h.ask('officer', 'cyfarfod ychwanegu Regional Partnership Board date=15 Ionawr 2027 start=14:00')).toMatch(/15 Ionawr 2027/);
    expect(await h.ask('officer', 'cyfarfod ychwanegu Regional Partnership Board date=yfory start=3yh')).toMatch(/6 Rhagfyr 2026/);
    await h.ask('officer', 'iaith en');
  });

  it('a date that is not one says how to write one, and nothing is stored', async () => {
    const before = await h.app.services.db.meeting.count();
    expect(await h.ask('officer', 'meeting add Regional Partnership Board date=31/02/2027 start=2pm')).toMatch(/date must be a date such as 15\/01\/2027, 15 Jan 2027 or tomorrow/);
    expect(await h.app.services.db.meeting.count()).toBe(before);
  });
});

describe('Welsh apostrophes and accents', () => {
  it.each(['pwy sy’n cynrychioli ni ar Health and Social Care Board?', "pwy sy'n cynrychioli ni ar Health and Social Care Board?", "PWY SY'N CYNRYCHIOLI Health and Social Care Board"])('%s', async (text) => {
    expect(await h.ask('siân', text)).toMatch(/Mental health seat/);
  });
});

describe('did you mean', () => {
  it('a partnership typed by the words people use is found', async () => {
    expect(await h.ask('amira', 'who represents health board')).toMatch(/Health and Social Care Board[\s\S]*Mental health seat/);
  });

  it.each([
    ['nominte Health Board 2027', /Did you mean “nominate Health Board 2027”/],
    ['electoin show Health Board 2027', /Did you mean “election show Health Board 2027”/],
    ['who represnets health board', /Did you mean “who represents health board”/],
  ])('a mistyped command: %s', async (text, answer) => {
    expect(await h.ask('amira', text)).toMatch(answer);
  });

  it.each([
    ['election show Helth Board 2027', /no election called “Helth Board 2027”[\s\S]*Did you mean “Health Board 2027”/],
    ['who represents us on Helth and Social Care Bord', /Did you mean “Health and Social Care Board”/],
    ['nominate Health Board 2027 Amria', /Did you mean “amira”/],
  ])('a mistyped name: %s', async (text, answer) => {
    expect(await h.ask('bryn', text)).toMatch(answer);
  });

  it('in Welsh too', async () => {
    await h.ask('siân', 'iaith cy');
    expect(await h.ask('siân', 'enwbeu Health Board 2027')).toMatch(/Oeddech chi’n golygu “enwebu Health Board 2027”/);
  });
});

describe('Welsh as people type it: option words everywhere, mutated names found', () => {
  it('an officer answers options with Welsh words, and names a Welsh partnership as Welsh mutates it', async () => {
    await h.ask('officer', 'iaith cy');
    onTestFinished(async () => void (await h.ask('officer', 'language en')));
    expect(await h.ask('officer', 'partneriaeth ychwanegu Bwrdd Gwasanaethau Lleol Powys')).not.toMatch(/Oeddech chi’n golygu|angen/);
    // “ar Fwrdd…”: the seat is added to “Bwrdd…”, quotes optional
    expect(await h.ask('officer', 'sedd ychwanegu partnership=Fwrdd Gwasanaethau Lleol Powys Sedd y trydydd sector')).toBe(
      'Ychwanegwyd y sedd “Sedd y trydydd sector” ar y bartneriaeth “Bwrdd Gwasanaethau Lleol Powys”, gyda thymor o 24 mis.',
    );
    expect(await h.ask('siân', "pwy sy'n cynrychioli ni ar Fwrdd Gwasanaethau Lleol Powys?")).toMatch(/Pwy sy’n cynrychioli’r sector: Bwrdd Gwasanaethau Lleol Powys[\s\S]*Sedd y trydydd sector/);
    // yes/no as Welsh answers them, beyond ie/na, in any command that takes an option
    const opened = await h.ask('officer', 'etholiad agor Lles 2027 partnership=Fwrdd Gwasanaethau Lleol Powys seconder=oes ron=nac oes franchise=unigolyn');
    expect(opened).toMatch(/Mae’r etholiad “Lles 2027” wedi’i sefydlu ar gyfer Bwrdd Gwasanaethau Lleol Powys/);
    const e = await h.app.services.db.election.findFirstOrThrow({ where: { title: 'Lles 2027' } });
    expect(e.seconderRequired).toBe(true);
    expect(await h.app.services.db.candidate.count({ where: { electionId: e.id, isRon: true } })).toBe(0);
    expect(await h.ask('officer', 'fforwm gosodiadau onecandidate=oes franchise=unigolyn')).toMatch(/iaith Saesneg; un bleidlais i bob aelod unigol; un ymgeisydd i bob mudiad: ie\./);
    expect(await h.ask('officer', 'fforwm gosodiadau onecandidate=naddo')).toMatch(/un ymgeisydd i bob mudiad: na\./);
    // a word that is no option is still refused, in Welsh
    expect(await h.ask('officer', 'fforwm gosodiadau onecandidate=efallai')).toMatch(/onecandidate: dewiswch un o’r rhain: yes, no/);
  });
});

describe('help people can scan', () => {
  it('shows first what is open for you now, with buttons, then the groups by name with a button each', async () => {
    await h.ask('amira', 'language en');
    const [reply] = await h.say('amira', 'help');
    const text = reply.message.text;
    expect(text).toMatch(/Open for you now\n• Election “Health Board 2027”: nominations are open until/);
    const buttons = (reply.message.blocks ?? []).flatMap((b) => (b.type === 'buttons' ? b.buttons : []));
    expect(buttons.find((b) => b.label === 'Nominate myself')?.action).toMatchObject({ command: 'nominate', args: { election: expect.any(String) } });
    expect(buttons.map((b) => b.label)).toEqual(expect.arrayContaining(['Elections', 'Forums, members and the register']));
    // a member sees no officer's commands, and the wall of sixty rows is gone: names only, by group
    expect(text).not.toMatch(/partnership add|election open/);
    expect(text.split('\n').length).toBeLessThan(30);
  });

  it('the button and “help <group>” give the group’s commands with what each does; a visitor sees nothing open', async () => {
    const [pressed] = await h.press('amira', 'help', { command: 'elections' });
    expect(pressed.message.text).toMatch(/^Elections\n• elections: .*\n• election show: /);
    expect(await h.ask('amira', 'help Elections')).toBe(pressed.message.text);
    expect(await h.ask('officer', 'help elections')).toMatch(/election open: /);
    expect(await h.ask('visitor', 'help')).not.toMatch(/Open for you now/);
    expect(await h.ask('amira', 'help nominte')).toMatch(/Did you mean “help nominate”/);
    expect(await h.ask('amira', 'help nominate')).toMatch(/Usage: nominate/);
  });
});

describe('known names are kept between commands, and a name written here is known at once', () => {
  it('an election just opened is named in the very next command, though the titles were read a moment before', async () => {
    await h.ask('officer', 'seat add partnership=Regional Partnership Board Carers seat');
    // "election show" reads the forum's election titles, which the bot then keeps (NameCache)
    expect(await h.ask('bryn', 'election show Health Board 2027')).toMatch(/Health Board 2027/);
    expect(await h.ask('officer', 'election open Health Board 2027 Carers partnership=Regional Partnership Board start=05/12/2026')).toMatch(
      /Election “Health Board 2027 Carers” set up for Regional Partnership Board/,
    );
    // the longest known title is the new one; with the titles kept from before, “Carers bryn” would be taken for the person
    expect(await h.ask('amira', 'nominate Health Board 2027 Carers bryn')).toMatch(/bryn is nominated in “Health Board 2027 Carers”/);
  });
});
