import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { testDatabase } from '../../../test/support/database.ts';
import { createHarness, dm, type Harness } from '../../../test/support/harness.ts';
import { tendersCli } from './tenders-cli.ts';
import { importOcds } from './tenders.import.ts';
import { pollFeeds } from './tenders.feeds.ts';

const SAMPLES = new URL('../../../test/data/ocds', import.meta.url).pathname;
const sample = (name: string) => readFileSync(`${SAMPLES}/ocds-213czf-000-00001-${name}.json`, 'utf8');
const tender = sample('02-tender');
const amendment = sample('03-tenderAmendment');
const award = sample('04-award');

let h: Harness;
let forumId: string;
const announce = 'fake:channel:announce';

async function flush() {
  await h.app.services.broadcasts.idle();
  await h.app.services.broadcasts.deliverDue();
}

beforeAll(async () => {
  h = await createHarness({ now: '2010-03-16T10:00:00Z' });
  await h.ask('officer', 'forum create Barnet Voluntary Forum cvc="Barnet CVS"');
  forumId = (await h.app.services.db.forum.findFirstOrThrow()).id;
  await h.ask('officer', 'channel link', { conversation: announce });
  await h.ask('officer', 'organisation add Barnet Cycling Trust');
  const code = /code=([0-9A-F]{10})/.exec(await h.ask('officer', 'invite create Barnet Cycling Trust uses=2'))![1];
  await h.ask('ffion', `join code=${code}`);
  await h.ask('gwen', `join code=${code}`);
  await h.ask('ffion', 'tenders subscribe keywords="cycle lanes" bands=over-100k');
  await h.ask('gwen', 'tenders subscribe bands=under-5k');
  await flush();
  h.adapter.sent.length = 0;
});
afterAll(async () => h?.close());

describe('OCDS import of the sample contracting process', () => {
  it('the tender creates an alert and sends it to matching subscribers', async () => {
    const report = await importOcds(h.app.services, forumId, tender, { areas: ['barnet'] });
    expect(report.errors).toEqual([]);
    expect(report.releases).toMatchObject([{ index: 0, ocid: 'ocds-213czf-000-00001', outcome: 'created', ref: 'T1', notified: 2, errors: [] }]);
    const alert = await h.app.services.db.tenderAlert.findFirstOrThrow({ where: { ocid: 'ocds-213czf-000-00001' } });
    expect(alert).toMatchObject({
      title: 'Planned cycle lane improvements',
      buyer: 'London Borough of Barnet',
      valueAmount: 1_100_000,
      minValueAmount: 600_000,
      currency: 'GBP',
      route: 'open',
      cpv: ['45233130', '45233162'],
      areas: ['barnet'],
      status: 'open',
    });
    expect(alert.deadline?.toISOString()).toBe('2010-04-01T18:00:00.000Z');
    expect(alert.enquiryDeadline?.toISOString()).toBe('2010-03-14T17:30:00.000Z');
    await flush();
    expect(h.adapter.sent.map((s) => s.to).sort()).toEqual([announce, dm('ffion')]); // gwen wants under £5k only
    expect(h.adapter.to(dm('ffion'))[0]).toMatch(/T1: Planned cycle lane improvements[\s\S]*£600,000 to £1,100,000/);
  });

  it('importing it again changes nothing and sends nothing', async () => {
    h.adapter.sent.length = 0;
    const report = await importOcds(h.app.services, forumId, tender);
    expect(report.releases[0].outcome).toBe('unchanged');
    await flush();
    expect(h.adapter.sent).toEqual([]);
    expect(await h.app.services.db.tenderAlert.count()).toBe(1);
  });

  it('the amendment updates the alert and tells the interested members', async () => {
    expect(await h.ask('ffion', 'tender interested T1')).toMatch(/interested in T1/);
    h.adapter.sent.length = 0;
    const report = await importOcds(h.app.services, forumId, amendment);
    expect(report.releases).toMatchObject([{ outcome: 'updated', ref: 'T1', changes: ['deadline-moved'], notified: 1 }]);
    const alert = await h.app.services.db.tenderAlert.findFirstOrThrow();
    expect(alert.deadline?.toISOString()).toBe('2010-04-08T18:00:00.000Z');
    expect(alert.status).toBe('open');
    await flush();
    expect(h.adapter.sent.map((s) => s.to)).toEqual([dm('ffion')]);
    expect(h.adapter.to(dm('ffion'))[0]).toMatch(/Change to T1[\s\S]*deadline moved from 1 April 2010 at 19:00 to 8 April 2010 at 19:00/);
    // an older release arriving late is skipped
    expect((await importOcds(h.app.services, forumId, tender)).releases[0].outcome).toBe('skipped');
  });

  it('the award closes the alert and tells the interested members who won', async () => {
    h.adapter.sent.length = 0;
    h.clock.now = new Date('2010-05-11T10:00:00Z');
    const report = await importOcds(h.app.services, forumId, award);
    expect(report.releases).toMatchObject([{ outcome: 'closed', ref: 'T1', changes: ['awarded-changed'], notified: 1 }]);
    expect(report.releases[0].warnings).toEqual(['tender.tenderPeriod.endDate: no deadline']);
    const alert = await h.app.services.db.tenderAlert.findFirstOrThrow();
    expect(alert.status).toBe('awarded');
    expect(alert.deadline?.toISOString()).toBe('2010-04-08T18:00:00.000Z'); // not restated, so kept
    await flush();
    expect(h.adapter.to(dm('ffion'))).toEqual([expect.stringMatching(/awarded to AnyCorp Cycle Provision for £\d[\d,]*; the alert is closed/)]);
    expect(await h.ask('ffion', 'tender interested T1')).toMatch(/no longer open/);
  });
});

describe('bad releases', () => {
  it('reports each bad release and still imports the good ones', async () => {
    h.clock.now = new Date('2010-03-16T10:00:00Z');
    const base = JSON.parse(tender);
    const good = base.releases[0];
    const release = (ocid: string, change: (r: any) => void) => {
      const r = structuredClone(good);
      r.ocid = ocid;
      r.id = `${ocid}-01`;
      change(r);
      return r;
    };
    const pkg = {
      ...base,
      releases: [
        release('ocds-x-malformed', (r) => delete r.ocid),
        release('ocds-x-nodeadline', (r) => delete r.tender.tenderPeriod),
        release('ocds-x-euro', (r) => (r.tender.value = { amount: 3000, currency: 'EUR' }, delete r.tender.minValue)),
        'not a release',
        release('ocds-x-small', (r) => ((r.tender.value = { amount: 3000, currency: 'GBP' }), delete r.tender.minValue, (r.tender.title = 'Cycle parking'))),
      ],
    };
    h.adapter.sent.length = 0;
    const report = await importOcds(h.app.services, forumId, JSON.stringify(pkg));
    expect(report.releases.map((r) => r.outcome)).toEqual(['failed', 'pipeline', 'created', 'failed', 'created']);
    expect(report.releases[0].errors).toEqual(['ocid: missing']);
    expect(report.releases[1]).toMatchObject({ reason: 'no deadline yet: kept in the pipeline', warnings: ['tender.tenderPeriod.endDate: no deadline'] });
    expect(report.releases[2].warnings).toContain('tender.value is in EUR: kept unconverted, not used for GBP value bands');
    expect(report.releases[3].errors[0]).toMatch(/^release: /);
    expect(report.counts).toMatchObject({ created: 2, pipeline: 1, failed: 2 });
    const euro = await h.app.services.db.tenderAlert.findFirstOrThrow({ where: { ocid: 'ocds-x-euro' } });
    expect([euro.valueAmount, euro.currency]).toEqual([3000, 'EUR']);
    await flush();
    // gwen (under £5k) gets the £3,000 one, not the €3,000 one
    expect(h.adapter.to(dm('gwen'))).toEqual([expect.stringMatching(/Cycle parking/)]);
  });

  it('an import cut off between storing an alert and announcing it leaves neither; the next import stores and announces it once', async () => {
    const pkg = JSON.parse(tender);
    Object.assign(pkg.releases[0], { ocid: 'ocds-x-cutoff', id: 'ocds-x-cutoff-01' });
    pkg.releases[0].tender.title = 'Towpath resurfacing';
    // the instance dies as the announcement is recorded (after the alert and its awards are written)
    const broadcasts = h.app.services.broadcasts;
    const record = broadcasts.broadcast.bind(broadcasts);
    const dies = vi.spyOn(broadcasts, 'broadcast').mockImplementation(async (...args) => {
      if (args[1] === 'tender-alert') throw new Error('the instance died here');
      return record(...args);
    });
    try {
      const cut = await importOcds(h.app.services, forumId, JSON.stringify(pkg));
      expect(cut.releases.map((r) => r.outcome)).toEqual(['failed']);
    } finally {
      dies.mockRestore();
    }
    expect(await h.app.services.db.tenderAlert.count({ where: { ocid: 'ocds-x-cutoff' } })).toBe(0);
    h.adapter.sent.length = 0;
    const again = await importOcds(h.app.services, forumId, JSON.stringify(pkg));
    expect(again.releases).toMatchObject([{ outcome: 'created', notified: 2 }]);
    expect((await importOcds(h.app.services, forumId, JSON.stringify(pkg))).releases).toMatchObject([{ outcome: 'unchanged' }]);
    await flush();
    expect(h.adapter.to(announce).filter((t) => t.includes('Towpath resurfacing'))).toHaveLength(1);
    expect(h.adapter.to(dm('ffion')).filter((t) => t.includes('Towpath resurfacing'))).toHaveLength(1);
  });

  it('a package that is not one is an error, and nothing is stored', async () => {
    const before = await h.app.services.db.tenderAlert.count();
    expect((await importOcds(h.app.services, forumId, '{"releases": ')).errors[0]).toMatch(/^package: not JSON/);
    expect((await importOcds(h.app.services, forumId, { records: 'none' })).errors).toEqual(['package: no records array']);
    expect((await importOcds(h.app.services, forumId, { hello: 'world' })).errors).toEqual(['package: no releases array']);
    expect(await h.app.services.db.tenderAlert.count()).toBe(before);
  });
});

describe('scheduled poll of configured feeds', () => {
  it('imports each feed and keeps its report; a broken feed is reported, not fatal', async () => {
    const pkg = JSON.parse(tender);
    pkg.releases[0].ocid = 'ocds-poll-1';
    pkg.releases[0].id = 'ocds-poll-1-01';
    const server = http.createServer((req, res) => {
      if (req.url === '/ocds.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(pkg));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await h.ask('officer', `tender feed add ${base}/ocds.json themes=transport`)).toMatch(/every two hours/);
      await h.ask('officer', `tender feed add ${base}/gone.json`);
      expect(await pollFeeds(h.app.services, h.clock.now)).toBe(2);
      expect(await pollFeeds(h.app.services, h.clock.now)).toBe(2); // again: nothing new
      const polled = await h.app.services.db.tenderAlert.findMany({ where: { ocid: 'ocds-poll-1' } });
      expect(polled).toHaveLength(1);
      expect(polled[0].themes).toEqual(['transport']);
      const feeds = await h.ask('officer', 'tender feeds');
      expect(feeds).toMatch(/ocds\.json\n {2}last polled .*: 0 announced open, 0 kept in the pipeline, 0 recorded already awarded, 0 closed, 0 updated, 1 unchanged/);
      expect(feeds).toMatch(/gone\.json\n {2}last polled .*: error: fetch: .* answered HTTP 404/);
    } finally {
      server.close();
    }
  });
});

describe('npx forumbot tenders import', () => {
  it('imports a file into the configured database and prints the report', async () => {
    const saved = { url: process.env.DATABASE_URL, dir: process.env.DATA_DIR };
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'tenders-cli-'));
    let database: Awaited<ReturnType<typeof testDatabase>> | undefined;
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
    try {
      if (saved.url) {
        database = await testDatabase();
        process.env.DATABASE_URL = database.url;
      } else {
        database = await openDatabase({ dataDir: tmp });
        process.env.DATA_DIR = tmp;
      }
      await database.prisma.forum.create({ data: { slug: 'barnet', name: 'Barnet', cvcName: 'Barnet CVS' } });
      if (!saved.url) await database.close();
      expect(await tendersCli(['import', `${SAMPLES}/ocds-213czf-000-00001-02-tender.json`, '--areas', 'barnet'])).toBe(0);
      expect(await tendersCli(['import', `${SAMPLES}/ocds-213czf-000-00001-03-tenderAmendment.json`])).toBe(0);
      // the command runs on today's clock: the 2010 deadline has passed, so nothing is announced
      expect(out.join('\n')).toMatch(/releases\[0\] ocds-213czf-000-00001 tender: closed T1: deadline 2010-04-01T18:00:00.000Z had passed: stored closed, not announced\n0 announced open, 0 kept in the pipeline, 0 recorded already awarded, 1 closed/);
      expect(out.join('\n')).toMatch(/releases\[0\] ocds-213czf-000-00001 tenderAmendment: updated T1 \(deadline-moved\)/);
      expect(await tendersCli(['import', '/no/such/file.json'])).toBe(1);
      expect(await tendersCli(['export'])).toBe(2);
    } finally {
      log.mockRestore();
      process.env.DATABASE_URL = saved.url;
      if (saved.url === undefined) delete process.env.DATABASE_URL;
      if (saved.dir === undefined) delete process.env.DATA_DIR;
      else process.env.DATA_DIR = saved.dir;
      if (saved.url) await database?.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
