/**
 * The three real UK files (test/data/ocds-real), imported and checked release by release
 * against the source, on a fixed clock: the day each file was published.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../../core/i18n.ts';
import { createHarness, dm, type Harness } from '../../../test/support/harness.ts';
import { importOcds, type ImportReport } from './tenders.import.ts';
import { alertMessage, formatMoney } from './tenders.render.ts';

const DIR = new URL('../../../test/data/ocds-real', import.meta.url).pathname;
type Json = Record<string, any>;
const load = (name: string): Json => JSON.parse(readFileSync(`${DIR}/${name}`, 'utf8'));
const FILES = {
  contractsFinder: { name: '01-contracts-finder-search-2025-01-23.json', now: '2025-01-24T00:00:00Z' },
  sell2wales: { name: '03-sell2wales-2025.json', now: '2025-02-24T00:00:00Z' },
  scotland: { name: '04-public-contracts-scotland-2019-no-release-ids.json', now: '2019-04-29T00:00:00Z' },
};

let h: Harness;
let forumId: string;
const reports: Record<string, ImportReport> = {};

async function flush() {
  await h.app.services.broadcasts.idle();
  await h.app.services.broadcasts.deliverDue();
}

/** What the source says, read independently of the importer. */
function expected(r: Json, now: Date) {
  const t = r.tender ?? {};
  const live = (r.awards ?? []).filter((a: Json) => !['cancelled', 'unsuccessful'].includes(a.status));
  const deadline = t.tenderPeriod?.endDate ? new Date(t.tenderPeriod.endDate) : null;
  const planning = r.tag.includes('planning') || ['planning', 'planned'].includes(t.status);
  const status = live.length ? 'awarded' : t.status === 'complete' ? 'closed' : planning || !deadline ? 'pipeline' : deadline <= now ? 'closed' : 'open';
  const ends = (ps: Json[]) => ps.map((p) => p?.endDate).filter(Boolean).map((d: string) => new Date(d).getTime()).sort((a, b) => a - b);
  const renewal = [ends((r.awards ?? []).map((a: Json) => a.contractPeriod)), ends([t.contractPeriod]), ends((t.lots ?? []).map((l: Json) => l.contractPeriod))].find((e) => e.length)?.[0];
  return { status, deadline, renewal: renewal === undefined ? null : new Date(renewal), awards: live };
}

beforeAll(async () => {
  h = await createHarness({ now: FILES.scotland.now });
  await h.ask('officer', 'forum create Real Feeds Forum cvc="Test CVC"');
  forumId = (await h.app.services.db.forum.findFirstOrThrow()).id;
  await h.ask('officer', 'organisation add Test Trust');
  const code = /code=([0-9A-F]{10})/.exec(await h.ask('officer', 'invite create Test Trust uses=3'))![1];
  for (const who of ['ffion', 'gwen', 'huw']) await h.ask(who, `join code=${code}`);
  await h.ask('ffion', 'tenders subscribe'); // every open alert
  expect(await h.ask('gwen', 'tenders subscribe renewals=yes')).toMatch(/early notice/); // and the pipeline
  await flush();
  h.adapter.sent.length = 0;
}, 120_000);
afterAll(async () => h?.close());

describe.each(Object.entries(FILES))('%s, release by release', (key, file) => {
  const source = load(file.name);
  const now = new Date(file.now);

  it('imports every release it can alert on, failing none', async () => {
    h.clock.now = now;
    h.adapter.sent.length = 0;
    const report = await importOcds(h.app.services, forumId, readFileSync(`${DIR}/${file.name}`));
    reports[key] = report;
    expect(report.errors).toEqual([]);
    expect(report.releases).toHaveLength(source.releases.length);
    expect(report.counts.failed).toBe(0);
    expect(report.counts.skipped).toBe(0);
    if (key === 'scotland') {
      // none of them has a release id: each is made from ocid and date, and the report says so
      const made = report.releases.filter((r) => r.warnings.some((w) => w.startsWith('id: missing: made from ocid and date')));
      expect(made).toHaveLength(90);
      expect(report.counts.created + report.counts.closed + report.counts.pipeline).toBe(90);
    }
  });

  it('stores each alert with the status its latest release implies on the clock', async () => {
    const latest = new Map<string, Json>();
    for (const r of [...source.releases].sort((a: Json, b: Json) => (a.date < b.date ? -1 : 1))) latest.set(r.ocid, r);
    const alerts = await h.app.services.db.tenderAlert.findMany({ where: { ocid: { in: [...latest.keys()] } } });
    expect(alerts).toHaveLength(latest.size);
    for (const a of alerts) expect([a.ocid, a.status]).toEqual([a.ocid, expected(latest.get(a.ocid!)!, now).status]);
    // first sight of each release: the outcome the report gives
    const first = new Set<string>();
    source.releases.forEach((r: Json, i: number) => {
      const rep = reports[key].releases[i];
      expect(rep.ocid).toBe(r.ocid);
      if (first.has(r.ocid)) return;
      first.add(r.ocid);
      const want = { open: 'created', pipeline: 'pipeline', awarded: 'awarded', closed: 'closed', cancelled: 'closed' }[expected(r, now).status];
      if (source.releases.filter((x: Json) => x.ocid === r.ocid).every((x: Json) => x.date >= r.date)) expect([r.ocid, rep.outcome]).toEqual([r.ocid, want]);
    });
  });

  it('announces no alert past its deadline, and every open one to the subscriber; planning notices only to early notice', async () => {
    await flush();
    const alerts = await h.app.services.db.tenderAlert.findMany({ where: { ocid: { in: source.releases.map((r: Json) => r.ocid) } } });
    const byRef = new Map(alerts.map((a) => [`T${a.number}`, a]));
    const refsIn = (user: string) => h.adapter.to(dm(user)).map((text) => /^(?:Coming up: )?(T\d+):/.exec(text)?.[1]);
    const ffion = refsIn('ffion');
    const open = alerts.filter((a) => a.status === 'open');
    expect(ffion.sort()).toEqual(open.map((a) => `T${a.number}`).sort());
    for (const ref of ffion) {
      const a = byRef.get(ref!)!;
      const src = source.releases.find((r: Json) => r.ocid === a.ocid);
      expect(expected(src, now).deadline!.getTime(), a.ocid!).toBeGreaterThan(now.getTime());
    }
    const pipeline = alerts.filter((a) => a.status === 'pipeline').map((a) => `T${a.number}`);
    expect(refsIn('gwen').sort()).toEqual([...open.map((a) => `T${a.number}`), ...pipeline].sort());
    if (key === 'contractsFinder') expect(pipeline.length).toBe(3);
    const list = await h.ask('ffion', 'tenders');
    for (const ref of pipeline) expect(list).not.toContain(`${ref}:`);
  });

  it('shows the renewal date and the award value wherever the source has them', async () => {
    const t = h.app.services.i18n.translator('en');
    let renewals = 0;
    let awardValues = 0;
    for (const r of source.releases as Json[]) {
      const want = expected(r, now);
      const alert = await h.app.services.db.tenderAlert.findFirstOrThrow({ where: { ocid: r.ocid }, include: { awards: true } });
      const text = alertMessage(alert, t, 'en').text;
      if (want.renewal && source.releases.filter((x: Json) => x.ocid === r.ocid).length === 1) {
        expect(alert.renewalDate?.getTime(), r.ocid).toBe(want.renewal.getTime());
        expect(text).toContain(`Contract renewal: ${formatDate(want.renewal, 'en')}`);
        renewals++;
      }
      for (const a of want.awards) {
        if (a.value?.amount == null) continue;
        expect(text, r.ocid).toContain(`${formatMoney(a.value.amount, a.value.currency, 'en')} to ${a.suppliers.map((s: Json) => s.name).join(', ')}`);
        awardValues++;
      }
    }
    expect(renewals).toBeGreaterThan({ contractsFinder: 80, sell2wales: 10, scotland: 10 }[key]!);
    if (key === 'contractsFinder') expect(awardValues).toBeGreaterThan(50);
  });
});

describe('a republished identical award', () => {
  it('tells the interested member once, then nobody', async () => {
    const cf = load(FILES.contractsFinder.name);
    const ocid = 'ocds-b5fd17-56c3a2a3-e39f-494a-9c11-2eb477826ef3';
    const [award, update] = ['award', 'awardUpdate'].map((tag) => cf.releases.find((r: Json) => r.ocid === ocid && r.tag[0] === tag));
    // the same process moved: its tender, open until after the clock, seen before the award
    const other = structuredClone(award);
    for (const r of [other]) r.ocid = `${ocid}-again`;
    const tender = { ...structuredClone(other), id: 'tender-1', tag: ['tender'], date: '2024-11-01T09:00:00Z', awards: undefined };
    tender.tender.status = 'active';
    // (the deadline the award release restates)
    expect(tender.tender.tenderPeriod).toEqual({ endDate: '2024-12-02T12:00:00Z' });
    h.clock.now = new Date('2024-11-02T10:00:00Z');
    const created = await importOcds(h.app.services, forumId, { releases: [tender] });
    expect(created.releases[0]).toMatchObject({ outcome: 'created' });
    expect(await h.ask('huw', `tender interested ${created.releases[0].ref}`)).toMatch(/interested in/);
    await flush();
    h.adapter.sent.length = 0;
    h.clock.now = new Date('2025-01-24T00:00:00Z');
    const awarded = await importOcds(h.app.services, forumId, { releases: [{ ...structuredClone(award), ocid: `${ocid}-again` }] });
    expect(awarded.releases[0]).toMatchObject({ outcome: 'closed', changes: ['awarded-changed'], notified: 1 });
    const republished = await importOcds(h.app.services, forumId, { releases: [{ ...structuredClone(update), ocid: `${ocid}-again` }] });
    expect(republished.releases[0]).toMatchObject({ outcome: 'updated', changes: [], notified: 0 });
    await flush();
    expect(h.adapter.to(dm('huw'))).toEqual([expect.stringMatching(/awarded to Cabinet Office for £34,737; the alert is closed/)]);
    // a real change to the award does tell them
    const changed = { ...structuredClone(update), ocid: `${ocid}-again`, id: 'changed', date: '2025-01-23T18:00:00Z' };
    changed.awards[0].value.amount = 40000;
    const told = await importOcds(h.app.services, forumId, { releases: [changed] });
    expect(told.releases[0]).toMatchObject({ changes: ['awarded-changed'], notified: 1 });
    const rows = await h.app.services.db.tenderAward.findMany({ where: { alert: { ocid: `${ocid}-again` } } });
    expect(rows.map((w) => [w.valueAmount, w.suppliers, w.date?.toISOString()])).toEqual([[40000, ['Cabinet Office'], '2024-12-02T00:00:00.000Z']]);
  });
});
