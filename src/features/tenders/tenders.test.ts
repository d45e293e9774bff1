import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, dm, type Harness } from '../../../test/support/harness.ts';
import { sendDigests, sendReminders } from './tenders.jobs.ts';

let h: Harness;
const ch = (name: string) => `fake:channel:${name}`;

async function member(name: string, organisation: string) {
  await h.ask('officer', `organisation add ${organisation}`);
  const code = /code=([0-9A-F]{10})/.exec(await h.ask('officer', `invite create ${organisation}`))![1];
  expect(await h.ask(name, `join code=${code}`)).toMatch(/Welcome/);
}

async function flush() {
  await h.app.services.broadcasts.idle();
  await h.app.services.broadcasts.deliverDue();
}

const at = (iso: string) => (h.clock.now = new Date(iso));

beforeAll(async () => {
  h = await createHarness({ now: '2026-12-01T10:00:00Z' });
  await h.ask('officer', 'forum create Powys Third Sector Forum cvc="PAVO"');
  await h.ask('officer', 'channel link', { conversation: ch('announce') });
  await h.ask('officer', 'channel link', { conversation: ch('health') });
  await h.ask('officer', 'channel link digest', { conversation: ch('weekly') });
  await h.ask('officer', 'channel link', { conversation: ch('quiet') });
  expect(await h.ask('officer', 'tenders channel themes=health', { conversation: ch('health') })).toMatch(/Themes: health/);
  expect(await h.ask('officer', 'tenders channel off', { conversation: ch('quiet') })).toMatch(/no tender alerts/);
  await member('alys', 'Brecon Mind');
  await member('bryn', 'Llandrindod Food Bank');
  await member('carys', 'Ystradgynlais Youth Club');
  await member('dai', 'Radnor Carers');
  expect(await h.ask('alys', 'tenders subscribe themes=health bands="5k-25k, 25k-100k"')).toMatch(/direct message as they are posted/);
  await h.ask('bryn', 'tenders subscribe keywords="food, meals"');
  await h.ask('carys', 'tenders subscribe themes=youth');
  await h.ask('dai', 'tenders subscribe themes=health mode=digest');
  await flush();
  h.adapter.sent.length = 0;
});
afterAll(async () => h?.close());

describe('posting an alert', () => {
  it('goes to matching channels and members now, and to digest subscribers later', async () => {
    const answer = await h.ask(
      'officer',
      'tender post Domiciliary care in Radnorshire buyer="Powys County Council" value=20000-60000 deadline=2026-12-20 eoi="2026-12-10 12:00" route=open themes="health, older people" areas=Radnorshire consortia=yes link=https://www.sell2wales.gov.wales/notice/1',
    );
    expect(answer).toMatch(/Posted T1\. Sent now to 2 channels and 1 member; 2 will see it in their digest/);
    await flush();
    const targets = h.adapter.sent.map((s) => s.to).sort();
    expect(targets).toEqual([dm('alys'), ch('announce'), ch('health')].sort());
    const card = h.adapter.sent[0].message;
    expect(card.text).toContain('T1: Domiciliary care in Radnorshire');
    expect(card.text).toContain('£20,000 to £60,000');
    expect(card.blocks?.some((b) => b.type === 'buttons')).toBe(true);

    h.adapter.sent.length = 0;
    await sendDigests(h.app.services, new Date('2026-12-07T08:30:00Z'));
    await sendDigests(h.app.services, new Date('2026-12-07T08:30:00Z')); // a re-run sends nothing new
    await flush();
    expect(h.adapter.sent.map((s) => s.to).sort()).toEqual([dm('dai'), ch('weekly')].sort());
    expect(h.adapter.to(ch('weekly'))[0]).toMatch(/Tenders and funding this week \(1\)\n• T1: Domiciliary care/);
  });

  it('bad input gets a clear answer and stores nothing', async () => {
    const before = await h.app.services.db.tenderAlert.count();
    const answer = await h.ask('officer', 'tender post X value=lots deadline=2026-02-30 route=auction link=ftp://x');
    expect(answer).toContain('title must be at least 2 characters');
    expect(answer).toContain('value must be an amount in pounds');
    expect(answer).toContain('deadline must be a real date');
    expect(answer).toContain('route must be one of: open, restricted, invitation, framework, approved-list, grant');
    expect(answer).toContain('link must be a web address');
    expect(await h.ask('officer', 'tender post Old news deadline=2026-11-01')).toMatch(/already passed/);
    expect(await h.ask('alys', 'tender post Not an officer deadline=2027-01-01')).toMatch(/officer/i);
    expect(await h.app.services.db.tenderAlert.count()).toBe(before);
  });

  it('speaks Welsh to a Welsh speaker', async () => {
    await h.ask('carys', 'iaith cy');
    expect(await h.ask('carys', 'tendrau')).toMatch(/Tendrau a chyllid ar agor \(Powys Third Sector Forum\)\n• T1: Domiciliary care/);
    expect(await h.ask('carys', 'tendr dangos T99')).toMatch(/Ni allwn ddod o hyd i’r tendr “T99”/);
    await h.ask('carys', 'language en');
  });
});

describe('interest, reminders and amendments', () => {
  it('reminds interested members 7 days and 1 day before, once each', async () => {
    expect(await h.ask('bryn', 'tender interested T1')).toMatch(/interested in T1/);
    await h.press('carys', 'tender interested', { ref: (await h.app.services.db.tenderAlert.findFirstOrThrow()).id });
    h.adapter.sent.length = 0;
    const s = h.app.services;
    expect(await sendReminders(s, new Date('2026-12-12T10:00:00Z'))).toBe(0); // 8 days before
    at('2026-12-14T00:05:00Z');
    await sendReminders(s, h.clock.now);
    await sendReminders(s, h.clock.now); // idempotent
    await flush();
    expect(h.adapter.sent.map((x) => x.to).sort()).toEqual([dm('bryn'), dm('carys')]);
    expect(h.adapter.to(dm('bryn'))[0]).toMatch(/one week left for T1/);
    await sendReminders(s, new Date('2026-12-20T00:05:00Z'));
    await sendReminders(s, new Date('2026-12-20T00:35:00Z'));
    await flush();
    expect(h.adapter.to(dm('bryn'))).toHaveLength(2);
    expect(h.adapter.to(dm('bryn'))[1]).toMatch(/deadline for T1 .* is tomorrow/);
  });

  it('a moved deadline and a changed value go to the interested members, with fresh reminders', async () => {
    at('2026-12-20T01:00:00Z');
    h.adapter.sent.length = 0;
    expect(await h.ask('officer', 'tender amend T1 deadline=2027-01-10 value=20000-70000')).toMatch(/Updated T1; 2 interested members were told/);
    await flush();
    const told = h.adapter.to(dm('bryn'))[0];
    expect(told).toMatch(/Change to T1/);
    expect(told).toMatch(/deadline moved from 20 December 2026.* to 10 January 2027/);
    expect(told).toMatch(/value changed from £60,000 to £70,000/);
    expect(h.adapter.to(dm('alys'))).toEqual([]); // subscribed, but not interested
    await sendReminders(h.app.services, new Date('2027-01-04T00:05:00Z'));
    await flush();
    expect(h.adapter.to(dm('bryn')).at(-1)).toMatch(/one week left for T1/);
  });

  it('a cancellation tells them too, and the alert takes no more interest', async () => {
    at('2026-12-20T09:00:00Z');
    await h.ask('officer', 'tender post Youth work in Brecon buyer="Powys County Council" value=4000 deadline=2027-02-01 themes=youth');
    await h.ask('carys', 'tender interested T2');
    await flush();
    h.adapter.sent.length = 0;
    expect(await h.ask('officer', 'tender cancel T2')).toMatch(/Cancelled T2; 1 interested member was told/);
    await flush();
    expect(h.adapter.to(dm('carys'))).toEqual([expect.stringMatching(/Change to T2: Youth work in Brecon\n• The opportunity has been cancelled/)]);
    expect(await h.ask('bryn', 'tender interested T2')).toMatch(/T2 is no longer open/);
  });
});

describe('consortia', () => {
  it('asks each organisation, introduces them once two consent, and tells the officer', async () => {
    at('2026-12-21T09:00:00Z');
    await h.ask('officer', 'tender post Carers support service buyer="Powys Teaching Health Board" value=300000 deadline=2027-03-01 themes=health consortia=yes');
    await flush();
    h.adapter.sent.length = 0;
    expect(await h.ask('alys', 'tender consortium T3')).toMatch(/When another organisation says the same/);
    await flush();
    expect(h.adapter.sent).toEqual([]); // one organisation: nobody is asked yet
    expect(await h.ask('dai', 'tender consortium T3')).toMatch(/sent you a private question/);
    await flush();
    expect(h.adapter.sent.map((x) => x.to).sort()).toEqual([dm('alys'), dm('dai')]);
    expect(h.adapter.to(dm('alys'))[0]).toMatch(/1 other organisation would also bid for T3/);
    expect(h.adapter.to(dm('alys'))[0]).not.toMatch(/Radnor Carers|dai/); // no name before consent

    h.adapter.sent.length = 0;
    expect(await h.ask('alys', 'tender consent T3 yes')).toMatch(/as soon as another organisation agrees/);
    await flush();
    expect(h.adapter.sent).toEqual([]);
    const alert = await h.app.services.db.tenderAlert.findFirstOrThrow({ where: { number: 3 } });
    const pressed = await h.press('dai', 'tender consent', { ref: alert.id, answer: 'yes' });
    expect(pressed[0].message.text).toMatch(/introduced you/);
    await flush();
    expect(h.adapter.to(dm('alys'))[0]).toMatch(/Introductions .* T3[\s\S]*dai, Radnor Carers \(on fake\)/);
    expect(h.adapter.to(dm('dai'))[0]).toMatch(/alys, Brecon Mind/);
    expect(h.adapter.to(dm('officer'))[0]).toMatch(/For T3 \(Carers support service\), 2 members agreed/);

    // a third organisation that declines is never named to anyone
    h.adapter.sent.length = 0;
    await h.ask('bryn', 'tender consortium T3');
    await flush();
    expect(h.adapter.to(dm('bryn'))[0]).toMatch(/2 other organisations/);
    expect(await h.ask('bryn', 'tender consent T3 no')).toMatch(/will not be introduced/);
    await flush();
    expect(h.adapter.sent.filter((x) => /Llandrindod|bryn,/.test(x.message.text))).toEqual([]);
    expect(await h.ask('carys', 'tender consent T3 yes')).toMatch(/no consortium question/);
  });
});

describe('merging two person records', () => {
  it('moves interests and subscriptions to the person kept', async () => {
    const db = h.app.services.db;
    const alys = await db.person.findFirstOrThrow({ where: { displayName: 'alys' } });
    const other = await db.person.create({ data: { displayName: 'alys (slack)' } });
    const alert = await db.tenderAlert.findFirstOrThrow({ where: { number: 1 } });
    await db.tenderInterest.create({ data: { alertId: alert.id, personId: other.id, consortium: true } });
    const merge = h.app.features.find((f) => f.id === 'tenders')!.mergePerson!;
    await db.$transaction((tx) => merge(tx, other.id, alys.id));
    const rows = await db.tenderInterest.findMany({ where: { alertId: alert.id, personId: { in: [alys.id, other.id] } } });
    expect(rows.map((r) => [r.personId, r.consortium])).toEqual([[alys.id, true]]);
  });
});
