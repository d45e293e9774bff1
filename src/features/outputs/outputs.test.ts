import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../test/support/harness.ts';
import { seedDemo } from '../forums/demo.ts';
import { forumStatistics } from '../breaches/reports.service.ts';
import type { OutgoingMessage, Table } from '../../core/messages.ts';
import { outputsReport, parsePeriod, periodOfDate } from './outputs.service.ts';

const tableOf = (msg: OutgoingMessage, caption: string): Table => {
  const found = (msg.blocks ?? []).flatMap((b) => (b.type === 'table' ? [b.table] : [])).find((x) => x.caption === caption);
  if (!found) throw new Error(`no table “${caption}”`);
  return found;
};

/**
 * The outputs report of the demo forum for 2026-27 (the demo's clock: 22 November 2026), figure by
 * figure against what the demo seeded, in chat (officers only, English and Welsh, as table blocks)
 * and as the service's data the public page and exports are built from.
 */
let h: Harness;
let forumId: string;
const NOW = '2026-11-22T10:00:00Z';

beforeAll(async () => {
  h = await createHarness({ now: NOW });
  const db = h.app.services.db;
  await seedDemo(db, new Date(NOW));
  forumId = (await db.forum.findUniqueOrThrow({ where: { slug: 'demo-county-forum' } })).id;
  // the demo's officer and a member who holds no seat, reachable through the test platform
  for (const [user, name] of [['officer', 'Carys Officer'], ['tom', 'Tom Williams']] as const) {
    const person = await db.person.findFirstOrThrow({ where: { displayName: name } });
    await db.account.create({ data: { personId: person.id, platform: 'fake', platformUserId: user, displayName: name, dmRef: `fake:dm:${user}` } });
  }
}, 120_000);
afterAll(async () => h?.close());

describe('periods', () => {
  it('financial years, London time; anything else is refused', () => {
    expect(parsePeriod('2026-27')).toEqual({ label: '2026-27', from: new Date('2026-03-31T23:00:00Z'), to: new Date('2027-03-31T23:00:00Z') });
    expect(parsePeriod('2026/2027')?.label).toBe('2026-27');
    expect(parsePeriod('2099-00')?.label).toBe('2099-00');
    for (const bad of ['2026', '2026-28', '27-28', 'last year', '2026-27; drop table']) expect(parsePeriod(bad), bad).toBeNull();
    expect(periodOfDate(new Date('2027-03-31T22:59:59Z')).label).toBe('2026-27');
    expect(periodOfDate(new Date('2027-03-31T23:00:00Z')).label).toBe('2027-28'); // midnight on 1 April, BST
  });
});

describe('the outputs report of the demo forum, 2026-27', () => {
  it('counts what the demo seeded', async () => {
    const db = h.app.services.db;
    const r = await outputsReport(db, forumId, parsePeriod('2026-27')!, new Date(NOW), false);
    // seats: the officer's reserved place (May), Dafydd invited (August), Gwen appointed (October),
    // Amira elected (November); Rhian's and Dafydd's elected seats began in earlier years
    expect(r.seats).toEqual({ total: 7, heldAtEnd: 6, filled: { ELECTED: 1, APPOINTED: 1, RESERVED: 1, INVITED: 1 }, filledTotal: 4 });
    expect(r.elections).toEqual([{ title: 'Equality seat 2026', declared: '2026-11-05', ballots: 5, electorate: 5, turnout: 100, unopposed: false, seats: 1 }]);
    expect(r.turnout).toEqual({ ballots: 5, electorate: 5, percent: 100 });
    // three report-backs due: two filed in time, the Children and Young People one a day late
    expect(r.reportbacks).toEqual({ due: 3, onTime: 2, late: 1, missing: 0, notYetDue: 0, published: 3 });
    expect(r.issues).toEqual({ raised: 2, answered: 1, raisedAndAnswered: 1 });
    expect(r.consultations).toEqual({ posted: 3, short: 1, responded: 1, shortResponded: 0, breachNotices: 0 });
    expect(r.alerts).toEqual({ posted: 3, messagesSent: 0, interested: 2, consortium: 2, alertsWithConsortiumInterest: 1 });
    expect(r.updates.posted).toBe(4);
    // breach notices: the same suppressed statistics as the public breach page, for this year
    const stats = await forumStatistics(db, forumId, 'financial-year');
    expect(r.breaches).toEqual(stats.find((p) => p.period === '2026-27'));
    expect(r.breaches!.total).toEqual({ count: 7, suppressed: false });
    expect(r.breaches!.byCode.find((c) => c.key === 'consultation-policy')).toEqual({ key: 'consultation-policy', count: 4, suppressed: false });
    expect(r.breaches!.byOutcome.find((c) => c.key === 'resolved')).toEqual({ key: 'resolved', count: 4, suppressed: false });
    expect(r.breaches!.medianDaysToResolution).toEqual({ days: 55, suppressed: false });
    // an earlier year: only Rhian's seat (January 2025) began then; no election, no notice
    const before = await outputsReport(db, forumId, parsePeriod('2024-25')!, new Date(NOW), false);
    expect(before.seats.filled).toEqual({ ELECTED: 1, APPOINTED: 0, RESERVED: 0, INVITED: 0 });
    expect(before.reportbacks.due).toBe(0);
    expect(before.breaches).toBeNull();
    expect(before.turnout.percent).toBeNull();
  });

  it('officers ask for it in chat and get table blocks, in English and Welsh; members may not; a bad period is explained', async () => {
    const replies = await h.say('officer', 'outputs report period=2026-27');
    const msg = replies[0].message;
    expect(msg.blocks?.[0]).toEqual({ type: 'header', text: 'Outputs report of Demo County Third Sector Forum, 2026-27 (2026-04-01 to 2027-03-31)' });
    const tables = (msg.blocks ?? []).filter((b) => b.type === 'table');
    expect(tables.length).toBeGreaterThanOrEqual(8);
    expect(msg.text).not.toContain('```');
    const seats = tableOf(msg, 'Seats filled in 2026-27, by how');
    expect(seats.rows).toEqual([['elected', '1'], ['appointed', '1'], ['reserved place', '1'], ['invited', '1'], ['All seats filled', '4']]);
    expect(tableOf(msg, 'Report-backs due in 2026-27').rows).toEqual([['Filed on time', '2'], ['Filed late', '1'], ['Not filed', '0'], ['Not yet due', '0'], ['All due', '3']]);
    expect(tableOf(msg, 'Elections declared in 2026-27').rows[0]).toEqual(['Equality seat 2026', '5 November 2026', '1', '5', '5', '100%']);
    expect(tableOf(msg, 'Compact breach notices filed in 2026-27').rows[0]).toEqual(['Notices', '7']);

    // the officer reads Welsh
    const carys = await h.app.services.db.person.findFirstOrThrow({ where: { displayName: 'Carys Officer' } });
    await h.app.services.db.person.update({ where: { id: carys.id }, data: { locale: 'cy' } });
    const cy = (await h.say('officer', 'adroddiad allbynnau period=2026-27'))[0].message;
    expect(cy.blocks?.[0]).toEqual({ type: 'header', text: 'Adroddiad allbynnau Demo County Third Sector Forum, 2026-27 (2026-04-01 hyd 2027-03-31)' });
    expect(tableOf(cy, 'Adroddiadau yn ddyledus yn 2026-27').rows[0]).toEqual(['Wedi’i gyflwyno mewn pryd', '2']);
    expect(await h.ask('officer', 'adroddiad allbynnau period=llynedd')).toMatch(/^Nid yw “llynedd” yn flwyddyn ariannol/);
    await h.app.services.db.person.update({ where: { id: carys.id }, data: { locale: null } });

    expect(await h.ask('tom', 'outputs report period=2026-27')).toMatch(/officer/i);
    expect(await h.ask('officer', 'outputs report period=2026-28')).toBe('“2026-28” is not a financial year. Give one like 2026-27 (1 April 2026 to 31 March 2027).');
    // no period: the current financial year
    expect((await h.say('officer', 'outputs report'))[0].message.blocks?.[0]).toMatchObject({ text: expect.stringContaining('2026-27') });
  });
});
