import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      for (const part of ['/coverage', '/elections', '/reportbacks', '/issues', '/breaches', '/people/', '.csv', '.json', '.atom', '.blt', '/summary.json']) {
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
    expect(summary.results[0].tally['Amira Khan']).toBe('3.00000');
    expect(await get(`/f/${DEMO}/reportbacks?q=winter`)).toMatch(/winter pressures plan/);
    expect(await get(`/f/${DEMO}/reportbacks?q=zzzznothing`)).toMatch(/No report-backs match/);
    expect(await get(`/f/${DEMO}/reportbacks`)).toMatch(/Overdue/);
    expect(await get(`/f/${DEMO}/issues`)).toMatch(/Llandrindod Wells Food Bank/);
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
