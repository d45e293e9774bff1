import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ballotSlot, newReceipt, organisationVoter } from '../../src/features/elections/secrecy.ts';
import { crawl, DEMO, publicSite } from './public-site.ts';

/**
 * The public site of the seeded demo forum, over HTTP: every page and export reached by following
 * links from the forum's home, in English and Welsh, then searched for what must never be public.
 */
let site: Awaited<ReturnType<typeof publicSite>>;
beforeAll(async () => {
  site = await publicSite();
}, 120_000);
afterAll(async () => site?.close());

describe('the public site', () => {
  it('privacy crawl: no non-seat-holder, voter, vote, filer, anonymous raiser or e-mail on any page or export', async () => {
    const { db } = site;
    const forum = await db.forum.findUniqueOrThrow({ where: { slug: DEMO } });
    const members = await db.membership.findMany({ where: { forumId: forum.id }, include: { person: { include: { accounts: true, seatHoldings: true } }, organisation: true } });
    const noSeat = members.filter((m) => m.person.seatHoldings.length === 0);
    expect(noSeat.map((m) => m.person.displayName)).toEqual(['Tom Williams']); // the demo's member who holds no seat
    const elections = await db.election.findMany({ where: { forumId: forum.id } });
    const candidates = await db.candidate.findMany({ where: { electionId: { in: elections.map((e) => e.id) } } });
    const roll = await db.electionRoll.findMany({ where: { electionId: { in: elections.map((e) => e.id) } } });
    const issues = await db.forumIssue.findMany({ where: { forumId: forum.id }, include: { raisedBy: true } });
    const backings = await db.issueBacking.findMany({ where: { issue: { forumId: forum.id } }, include: { person: true } });
    const views = await db.consultationView.findMany({ where: { consultation: { forumId: forum.id } } });
    expect(views.length).toBeGreaterThan(0);
    const notices = await db.breachNotice.findMany({ where: { forumId: forum.id } });
    expect(notices.length).toBeGreaterThan(0);
    const anonymousRaisers = issues.filter((i) => !i.organisationId);
    expect(anonymousRaisers.length).toBeGreaterThan(0);

    let pages = 0;
    const leaks: string[] = [];
    for (const lang of ['en', 'cy'] as const) {
      const all = await crawl(site.base, lang);
      for (const [path, { status, body }] of all) {
        expect(status, path).toBe(200);
        pages++;
        const election = elections.find((e) => path.includes(`/elections/${e.id}`));
        // candidates stood in public: their names may appear on their own election's pages only
        const allowed = new Set(election ? candidates.filter((c) => c.electionId === election.id).map((c) => c.name) : []);
        const forbidden: [string, string][] = [
          ...noSeat.filter((m) => !allowed.has(m.person.displayName)).map((m) => [m.person.displayName, 'member holding no seat'] as [string, string]),
          ...members.flatMap((m) => m.person.accounts.map((a) => [a.platformUserId, 'account id'] as [string, string])),
          ...noSeat.map((m) => [m.personId, 'person id of a member holding no seat'] as [string, string]),
          ...roll.map((r) => [r.voterKey, 'voter on the roll'] as [string, string]),
          ...roll.map((r) => [r.voterKey.split(':')[1], 'voter id'] as [string, string]),
          ...backings.map((b) => [b.person.displayName, 'issue backer'] as [string, string]),
          ...views.map((v) => [v.text, 'a member’s view on a consultation'] as [string, string]),
          ...notices.map((n) => [n.whatHappened, 'a breach notice’s text'] as [string, string]),
        ];
        if (path.includes('/issues')) {
          for (const i of anonymousRaisers) {
            forbidden.push([i.raisedBy.displayName, 'anonymous issue raiser']);
            const org = members.find((m) => m.personId === i.raisedById)?.organisation?.name;
            if (org) forbidden.push([org, 'organisation of an issue raised without a name']);
          }
        }
        for (const [needle, what] of forbidden) if (needle && body.includes(needle)) leaks.push(`${path}: ${what} (${needle})`);
        if (/[\w.+-]+@[\w-]+\.[\w.]+/.test(body.replace(/https?:\/\/\S+/g, ''))) leaks.push(`${path}: an e-mail address`);
      }
      // every section and export was reached
      for (const part of ['/coverage', '/elections', '/reportbacks', '/issues', '/breaches', '/people/', '.csv', '.json', '.atom', '.blt', '/summary.json', '/meetings', '/meetings.csv', '/consultations', '/consultations.json', '/updates.atom', '/updates.csv', '/opportunities', '/opportunities.csv', '/outputs', '/outputs.csv', '/outputs.json']) {
        expect([...all.keys()].some((p) => p.includes(part)), `${lang}: nothing under ${part}`).toBe(true);
      }
    }
    expect(leaks).toEqual([]);
    expect(pages).toBeGreaterThan(30);
  });

  it('the demo shows real data in every section', async () => {
    const get = async (p: string) => (await fetch(site.base + p)).text();
    const home = await get(`/f/${DEMO}`);
    expect(home).toMatch(/Rhian Powell/);
    expect(home).toMatch(/Equality seat 2026/); // the election that filled the Equality seat
    const election = await (await fetch(`${site.base}/f/${DEMO}/elections.json`)).json();
    const declared = election.find((e: { phase: string }) => e.phase === 'declared');
    const page = await get(`/f/${DEMO}/elections/${declared.id}`);
    expect(page).toMatch(/<svg aria-hidden="true"/);
    expect(page).toMatch(/<table>[\s\S]*Amira Khan/);
    const summary = await (await fetch(`${site.base}/f/${DEMO}/elections/${declared.id}/summary.json`)).json();
    expect(summary.results.length).toBeGreaterThan(0);
    // Gwen Morgan's ballot moves to Amira Khan once Gwen is excluded: the count has stages to chart
    expect(summary.results[0].tally['Amira Khan']).toBe('2.00000');
    expect(summary.results.length).toBeGreaterThan(1);
    expect(summary.results.at(-1).tally['Amira Khan']).toBe('3.00000');
    expect(await get(`/f/${DEMO}/reportbacks?q=winter`)).toMatch(/winter pressures plan/);
    expect(await get(`/f/${DEMO}/reportbacks?q=zzzznothing`)).toMatch(/No report-backs match/);
    expect(await get(`/f/${DEMO}/reportbacks`)).toMatch(/Overdue/);
    expect(await get(`/f/${DEMO}/issues`)).toMatch(/Llandrindod Wells Food Bank/);

    // consultations: open ones with closing dates, the short one flagged, the joint response published
    const consultations = await get(`/f/${DEMO}/consultations`);
    const open = consultations.slice(consultations.indexOf('id="open-h"'), consultations.indexOf('id="short-h"'));
    expect(open).toMatch(/Day centres for older people[\s\S]*Short: 40 days[\s\S]*Well-being assessment 2027/);
    expect(open).not.toMatch(/Community transport strategy/);
    expect(consultations).toMatch(/evening services to rural youth clubs/);
    expect(consultations).toMatch(/draft well-being priorities published/);
    const rows = await (await fetch(`${site.base}/f/${DEMO}/consultations.json`)).json();
    expect(rows.map((r: { title: string; shortOfCompact: string; open: string }) => [r.title, r.shortOfCompact, r.open]).sort()).toEqual([
      ['Community transport strategy', 'no', 'no'],
      ['Day centres for older people: review of provision', 'yes', 'yes'],
      ['Well-being assessment 2027', 'no', 'yes'],
    ]);
    const atom = await get(`/f/${DEMO}/updates.atom`);
    expect(atom).toMatch(/<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    expect(atom).toMatch(/The forum’s response: Community transport strategy/);
    // open opportunities: the two open alerts, not the closed one
    const opportunities = await get(`/f/${DEMO}/opportunities`);
    expect(opportunities).toMatch(/T2: <a[^>]*>Warm spaces grants 2026-27[\s\S]*T1: <a[^>]*>Community mental health support services/);
    expect(opportunities).not.toMatch(/Youth outreach/);
    expect(await get(`/f/${DEMO}/opportunities.csv`)).toMatch(/^ref,title,buyer,route,currency,value,minValue,deadline/);
    // meetings: the calendar linked, past meetings with their report-backs
    const meetings = await get(`/f/${DEMO}/meetings`);
    expect(meetings).toMatch(/href="\/calendar\/demo-county-forum.ics"/);
    expect(meetings).toMatch(/Health and Social Care Board[\s\S]*href="\/f\/demo-county-forum\/reportbacks\/[0-9a-f-]{36}"/);
    expect((await fetch(`${site.base}/calendar/${DEMO}.ics`)).status).toBe(200);
    expect((await (await fetch(`${site.base}/f/${DEMO}/meetings.json`)).json()).length).toBe(5); // three past, two ahead

    // the outputs report for funders: charts beside tables of the same figures, CSV and JSON
    const outputs = await get(`/f/${DEMO}/outputs?period=2026-27`);
    expect(outputs).toMatch(/<h1>Outputs report, 2026-27<\/h1>/);
    expect(outputs.match(/<div class="chart-and-table"><figure class="chart"><div class="chart-box"><svg aria-hidden="true"/g)?.length).toBe(5);
    expect(outputs).toMatch(/<caption>Report-backs due in 2026-27<\/caption>[\s\S]*?<th scope="row">Filed on time<\/th><td class="num">2<\/td>/);
    expect(outputs).toMatch(/<option value="2026-27" selected>/);
    expect(Buffer.byteLength(outputs)).toBeLessThan(100_000);
    const csv = await get(`/f/${DEMO}/outputs.csv?period=2026-27`);
    expect(csv).toMatch(/^period,section,measure,category,value\n/);
    expect(csv).toContain('2026-27,reportbacks,onTime,all,2\n');
    expect(csv).toContain('2026-27,seats,filled,elected,1\n');
    expect(csv).toContain('2026-27,breaches,notices,all,7\n');
    const json = await (await fetch(`${site.base}/f/${DEMO}/outputs.json?period=2026-27`)).json();
    expect(json.consultations).toEqual({ posted: 3, short: 1, responded: 1, shortResponded: 0, breachNotices: 0 });
    expect((await get(`/f/${DEMO}/outputs?period=nonsense`))).toMatch(/<h1>Outputs report, 2026-27<\/h1>\n<p role="alert" class="overdue">That is not a financial year: showing the current one\.<\/p>/);
    expect(await get(`/f/${DEMO}/outputs?period=2026-27&lang=cy`)).toMatch(/<h1>Adroddiad allbynnau, 2026-27<\/h1>/);
  });

  it('a voter checks their receipt on the election page, and learns nothing else', async () => {
    const { db } = site;
    const forum = await db.forum.findUniqueOrThrow({ where: { slug: DEMO } });
    const e = await db.election.findFirstOrThrow({ where: { forumId: forum.id, phase: 'DECLARED' } });
    const candidates = await db.candidate.findMany({ where: { electionId: e.id } });
    // a ballot whose receipt this test knows, cast as the voting machinery does
    const receipt = newReceipt();
    const voter = organisationVoter('00000000-0000-4000-8000-000000000001');
    const slot = ballotSlot(receipt, e.id, voter);
    const amira = candidates.find((c) => c.name === 'Amira Khan')!;
    const tom = candidates.find((c) => c.name === 'Tom Williams')!;
    await db.electionRoll.create({ data: { electionId: e.id, voterKey: voter } });
    await db.electionBallot.create({ data: { id: randomUUID(), electionId: e.id, slot, ranking: [tom.id, amira.id] } });
    const check = async (r: string, lang = 'en') => {
      const res = await fetch(`${site.base}/f/${DEMO}/elections/${e.id}?lang=${lang}&receipt=${encodeURIComponent(r)}`);
      return { status: res.status, cache: res.headers.get('cache-control'), body: await res.text() };
    };
    const found = await check(receipt.toLowerCase().replace(/-/g, ' '));
    expect(found.status).toBe(200);
    expect(found.cache).toBe('no-store');
    expect(found.body).toMatch(/This receipt’s ballot was counted as cast: Tom Williams › Amira Khan\./);
    expect(found.body).toContain(slot.slice(0, 16));
    expect(found.body).not.toContain(voter);
    expect(found.body).not.toContain(receipt); // only echoed in the form as the reader typed it
    expect((await check(slot.slice(0, 20))).body).toMatch(/counted as cast: Tom Williams › Amira Khan/);
    expect((await check(newReceipt())).body).toMatch(/No ballot has this receipt/);
    const bad = await check('<script>x</script>');
    expect(bad.status).toBe(200);
    expect(bad.body).toMatch(/A receipt code is four groups/);
    expect(bad.body).not.toContain('<script>x');
    expect((await check('nonsense', 'cy')).body).toMatch(/Mae cod derbynneb yn bedwar grŵp/);
    // the form is on the page without a receipt too, and reads without JavaScript (a GET form)
    expect(await (await fetch(`${site.base}/f/${DEMO}/elections/${e.id}`)).text()).toMatch(/<form class="search" method="get" action="\/f\/demo-county-forum\/elections\/[0-9a-f-]{36}#check">/);
    await db.electionBallot.deleteMany({ where: { slot } });
    await db.electionRoll.deleteMany({ where: { voterKey: voter } });
  });

  it('language: Accept-Language by default, ?lang= to switch, a switch on every page', async () => {
    const cy = await (await fetch(`${site.base}/f/${DEMO}/elections`, { headers: { 'accept-language': 'cy-GB,cy;q=0.9,en;q=0.5' } })).text();
    expect(cy).toMatch(/<html lang="cy">/);
    expect(cy).toMatch(/<h1>Etholiadau<\/h1>/);
    expect(cy).toMatch(/hreflang="en"[^>]*>English</);
    const en = await (await fetch(`${site.base}/f/${DEMO}/elections?lang=en`, { headers: { 'accept-language': 'cy' } })).text();
    expect(en).toMatch(/<html lang="en">/);
    expect(en).toMatch(/href="\/f\/demo-county-forum\/coverage\?lang=en"/);
  });

  it('pages carry an ETag and Last-Modified; a matching conditional request gets 304', async () => {
    const url = `${site.base}/f/${DEMO}/reportbacks`;
    const first = await fetch(url);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('last-modified')).toBeTruthy();
    expect((await fetch(url, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'if-modified-since': first.headers.get('last-modified')! } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('a members-only partnership is left out of the public meetings, their exports and the calendar feed', async () => {
    const board = await site.db.partnership.findFirstOrThrow({ where: { name: 'Health and Social Care Board' } });
    const text = async (p: string) => (await fetch(site.base + p)).text();
    expect(await text(`/calendar/${DEMO}.ics`)).toMatch(/SUMMARY:Health and Social Care Board/);
    await site.db.partnership.update({ where: { id: board.id }, data: { membersOnly: true } });
    try {
      expect(await text(`/calendar/${DEMO}.ics`)).not.toMatch(/Health and Social Care Board/);
      expect(await text(`/f/${DEMO}/meetings`)).not.toMatch(/Health and Social Care Board/);
      expect(await text(`/f/${DEMO}/meetings.csv`)).not.toMatch(/Health and Social Care Board/);
      expect(await text(`/f/${DEMO}/reportbacks`)).not.toMatch(/winter pressures plan/);
    } finally {
      await site.db.partnership.update({ where: { id: board.id }, data: { membersOnly: false } });
    }
  });

  it('unknown forums, people and elections are a 404 page; text from the database is escaped', async () => {
    for (const p of ['/f/nope', `/f/${DEMO}/people/00000000-0000-0000-0000-000000000000`, `/f/${DEMO}/elections/zzz`, `/f/${DEMO}/register.xml`]) {
      expect((await fetch(site.base + p)).status, p).toBe(404);
    }
    const p = await site.db.partnership.findFirstOrThrow({ where: { name: 'Environment Partnership' } });
    await site.db.partnership.update({ where: { id: p.id }, data: { description: '<script>alert(1)</script>' } });
    const home = await (await fetch(`${site.base}/f/${DEMO}`)).text();
    expect(home).not.toContain('<script>alert(1)');
    expect(home).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
