import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { createHarness, dm, type Harness } from '../../../test/support/harness.ts';
import { pollDueFeeds, requestFailure } from './feeds.service.ts';
import { updatesJobs } from './updates.jobs.ts';

/** A partner's web site in the test: serves whatever each path is set to. */
const files = new Map<string, { status: number; type: string; body: string }>();
let server: http.Server;
let base: string;
let h: Harness;
const logs: { level: string; msg: string; error?: string; failures?: number }[] = [];

const rss = (items: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Wiltshire LSB</title>${items}</channel></rss>`;
const rssItem = (guid: string, title: string, date: string) =>
  `<item><title>${title}</title><link>https://example.org/lsb/${guid}</link><guid isPermaLink="false">${guid}</guid><description>&lt;p&gt;About ${title}&lt;/p&gt;</description><pubDate>${new Date(date).toUTCString()}</pubDate></item>`;
const atom = (entries: string) => `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Health board</title>${entries}</feed>`;
const atomEntry = (id: string, title: string, date: string) =>
  `<entry><title>${title}</title><link href="https://example.org/hb/${id}"/><id>urn:hb:${id}</id><updated>${date}</updated><summary>${title} in brief</summary></entry>`;

const serve = (path: string, body: string, status = 200, type = 'application/xml') => files.set(path, { status, type, body });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const f = files.get(req.url ?? '');
    if (!f) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(f.status, { 'content-type': f.type }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  h = await createHarness({ now: '2026-11-22T10:00:00Z' });
  await h.ask('officer', 'forum create Wiltshire Assembly cvc="Community First"');
  await h.ask('officer', 'channel link', { conversation: 'fake:channel:news' });
  await h.ask('officer', 'updates subscribe all');
});
afterAll(async () => {
  await h?.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const services = () => ({
  ...h.app.services,
  log: createLogger('debug', (line) => logs.push(JSON.parse(line))),
});
const titles = async () => (await h.app.services.db.update.findMany({ orderBy: { postedAt: 'asc' } })).map((u) => u.title);
const announced = async () => {
  await h.app.services.broadcasts.idle();
  await h.app.services.broadcasts.deliverDue();
  return h.adapter.to('fake:channel:news').map((t) => t.split('\n')[0]);
};

describe('feed import from a local HTTP server', () => {
  it('officers add RSS and Atom feeds; the first poll imports their items; old items are kept quiet', async () => {
    serve('/lsb.rss', rss(rssItem('lsb-1', 'SIP priorities agreed', '2026-11-20T09:00:00Z') + rssItem('lsb-0', 'Last year’s annual report', '2025-10-01T09:00:00Z')));
    serve('/hb.atom', atom(atomEntry('w1', 'Winter pressures plan', '2026-11-21T09:00:00Z')));
    serve('/broken.xml', '<rss><channel><item><title>Half a feed</title></channel>');
    expect(await h.ask('officer', `update feed add ${base}/lsb.rss themes=sip label="Wiltshire LSB"`)).toMatch(/I will check .*lsb.rss/);
    expect(await h.ask('officer', `update feed add ${base}/hb.atom themes="health and social care"`)).toMatch(/I will check/);
    expect(await h.ask('officer', `update feed add ${base}/broken.xml themes=health`)).toMatch(/I will check/);
    expect(await h.ask('officer', 'update feed add ftp://example.org/feed themes=health')).toContain('url must be a web link');
    expect(await h.ask('officer', `update feed add ${base}/x.rss themes=potholes`)).toMatch(/not one of the forum’s themes/);
    expect(await h.app.services.db.updateFeed.count()).toBe(3);

    const results = await pollDueFeeds(services(), h.clock.now);
    expect(results.map((r) => [r.ok, r.added])).toEqual([
      [true, 2],
      [true, 1],
      [false, 0],
    ]);
    expect((await titles()).sort()).toEqual(['Last year’s annual report', 'SIP priorities agreed', 'Winter pressures plan']);
    expect((await announced()).sort()).toEqual(['Update: SIP priorities agreed', 'Update: Winter pressures plan']);
    const item = await h.app.services.db.update.findFirstOrThrow({ where: { title: 'SIP priorities agreed' } });
    expect([item.source, item.body, item.link, item.themes]).toEqual(['FEED', 'About SIP priorities agreed', 'https://example.org/lsb/lsb-1', ['sip']]);
  });

  it('a malformed feed is logged and retried with backoff, never a crash', async () => {
    const failed = logs.filter((l) => l.msg === 'feed poll failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 'warn', failures: 1, error: expect.stringMatching(/^unexpected close tag \(line 1\)$/) });
    const broken = await h.app.services.db.updateFeed.findFirstOrThrow({ where: { url: `${base}/broken.xml` } });
    expect(broken.nextPollAt.toISOString()).toBe('2026-11-22T10:15:00.000Z');
    // an unreachable feed too
    serve('/hb.atom', 'Service Unavailable', 503, 'text/plain');
    h.clock.now = new Date('2026-11-22T10:15:00Z');
    const second = await pollDueFeeds(services(), h.clock.now);
    expect(second.map((r) => [r.ok, r.error])).toEqual([
      [true, undefined],
      [false, 'HTTP 503'],
      [false, expect.stringMatching(/close tag/)],
    ]);
    const again = await h.app.services.db.updateFeed.findFirstOrThrow({ where: { url: `${base}/broken.xml` } });
    expect([again.failures, again.nextPollAt.toISOString()]).toEqual([2, '2026-11-22T10:45:00.000Z']);
    // stored twice: in English for the log, and as the officers' message with its line or status
    const down = await h.app.services.db.updateFeed.findFirstOrThrow({ where: { url: `${base}/hb.atom` } });
    expect([again.lastError, again.lastProblem]).toEqual(['unexpected close tag (line 1)', { key: 'updates.feed.error.xml', params: { line: 1 } }]);
    expect([down.lastError, down.lastProblem]).toEqual(['HTTP 503', { key: 'updates.feed.error.http', params: { status: 503 } }]);
    // the parser's and the site's own words are put in the officer's language, line and status kept
    const english = await h.ask('officer', 'update feeds');
    expect(english).toMatch(/broken\.xml: failing \(2 times: the feed is not well-formed XML \(line 1\)\)/);
    expect(english).toMatch(/hb\.atom: failing \(1 time: the site answered with HTTP error 503\)/);
    await h.ask('officer', 'language cy');
    const welsh = await h.ask('officer', 'diweddariad ffrydiau');
    expect(welsh).toMatch(/broken\.xml: yn methu \(2 waith: nid yw’r ffrwd yn XML dilys \(llinell 1\)\)/);
    expect(welsh).toMatch(/hb\.atom: yn methu \(1 gwaith: gwall HTTP gan y wefan: 503\)/);
    expect(welsh).not.toMatch(/close tag|HTTP 503|failing/);
    await h.ask('officer', 'iaith en');
    // before the backoff is over, the broken feed is left alone
    h.clock.now = new Date('2026-11-22T10:30:00Z');
    expect((await pollDueFeeds(services(), h.clock.now)).map((r) => r.feedId)).not.toContain(again.id);
  });

  it('a repeat: items already imported are not posted again, by guid/id or by link', async () => {
    const before = await h.app.services.db.update.count();
    const sent = (await announced()).length;
    // the LSB feed again, with one new item; the Atom feed back, same entry; the same LSB item in the broken feed, now fixed
    serve('/lsb.rss', rss(rssItem('lsb-2', 'Partnership meeting dates for 2027', '2026-11-22T10:40:00Z') + rssItem('lsb-1', 'SIP priorities agreed', '2026-11-20T09:00:00Z')));
    serve('/hb.atom', atom(atomEntry('w1', 'Winter pressures plan', '2026-11-21T09:00:00Z')));
    serve('/broken.xml', rss(rssItem('lsb-1', 'SIP priorities agreed', '2026-11-20T09:00:00Z')));
    h.clock.now = new Date('2026-11-22T10:45:00Z');
    const job = updatesJobs.find((j) => j.id === 'updates.feeds')!;
    expect(await h.app.scheduler.runDue(job)).toBe('ran');
    expect(await h.app.scheduler.runDue(job)).toBe('skipped');
    h.clock.now = new Date('2026-11-22T11:00:00Z');
    expect(await h.app.scheduler.runDue(job)).toBe('ran');
    expect(await h.app.services.db.update.count()).toBe(before + 1);
    expect((await titles()).filter((t) => t === 'SIP priorities agreed')).toHaveLength(1);
    const now = await announced();
    expect(now.slice(sent)).toEqual(['Update: Partnership meeting dates for 2027']);
    expect(h.adapter.to(dm('officer')).filter((t) => t.startsWith('Update: SIP priorities agreed'))).toHaveLength(1);
    const feeds = await h.app.services.db.updateFeed.findMany({ orderBy: { createdAt: 'asc' } });
    expect(feeds.map((f) => f.failures)).toEqual([0, 0, 0]);
  });
});

describe('what an officer is told about a failing feed', () => {
  /** Adds these feeds, polls them once, and answers `update feeds` in English and Welsh; then removes them. */
  async function failing(urls: string[]): Promise<{ english: string; welsh: string; rows: { url: string; lastError: string | null; lastProblem: unknown }[] }> {
    for (const url of urls) expect(await h.ask('officer', `update feed add ${url} themes=health`)).toMatch(/I will check/);
    try {
      const results = await pollDueFeeds(services(), h.clock.now);
      expect(results.map((r) => r.ok)).toEqual(urls.map(() => false));
      const english = await h.ask('officer', 'update feeds');
      await h.ask('officer', 'language cy');
      const welsh = await h.ask('officer', 'diweddariad ffrydiau');
      await h.ask('officer', 'iaith en');
      const rows = await h.app.services.db.updateFeed.findMany({ where: { url: { in: urls } }, select: { url: true, lastError: true, lastProblem: true } });
      return { english, welsh, rows };
    } finally {
      await h.app.services.db.updateFeed.deleteMany({ where: { url: { in: urls } } });
    }
  }

  it('an XML error reads as the XML problem with its line, however the parser words its message', async () => {
    serve('/reworded.xml', '<rss>\n<channel>\n<item><title>Half a feed</title></channel></rss>');
    // as if a new saxes said "line 3, column 20: ..." where this one says "3:20: ..."
    const reword = vi.spyOn(SaxesParser.prototype, 'makeError').mockImplementation(function (this: SaxesParser, message: string) {
      return new Error(`line ${this.line}, column ${this.column}: ${message}`);
    });
    let told: Awaited<ReturnType<typeof failing>>;
    try {
      told = await failing([`${base}/reworded.xml`]);
    } finally {
      reword.mockRestore();
    }
    expect(logs.at(-1)).toMatchObject({ msg: 'feed poll failed', error: expect.stringMatching(/^line 3, column \d+: unexpected close tag\.$/) });
    expect(told.english).toMatch(/reworded\.xml: failing \(1 time: the feed is not well-formed XML \(line 3\)\)/);
    expect(told.welsh).toMatch(/reworded\.xml: yn methu \(1 gwaith: nid yw’r ffrwd yn XML dilys \(llinell 3\)\)/);
  });

  it('each way a site fails is stored as its own message: HTTP status, too large, not a feed, empty, unreachable', async () => {
    serve('/big.xml', `<rss>${' '.repeat(2 * 1024 * 1024)}</rss>`);
    serve('/page.html', '<!DOCTYPE html><html><head><title>Home</title></head><body></body></html>', 200, 'text/html');
    serve('/empty.xml', '');
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const nobody = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/feed.xml`;
    await new Promise((r) => closed.close(r));
    const told = await failing([`${base}/gone.xml`, `${base}/big.xml`, `${base}/page.html`, `${base}/empty.xml`, nobody]);
    expect(Object.fromEntries(told.rows.map((r) => [r.url.replace(/^http:\/\/127\.0\.0\.1:\d+/, ''), r.lastProblem]))).toEqual({
      '/gone.xml': { key: 'updates.feed.error.http', params: { status: 404 } },
      '/big.xml': { key: 'updates.feed.error.tooLarge', params: {} },
      '/page.html': { key: 'updates.feed.error.notFeed', params: {} },
      '/empty.xml': { key: 'updates.feed.error.empty', params: {} },
      '/feed.xml': { key: 'updates.feed.error.unreachable', params: {} },
    });
    expect(told.english).toMatch(/gone\.xml: failing \(1 time: the site answered with HTTP error 404\)/);
    expect(told.english).toMatch(/big\.xml: failing \(1 time: the feed is too large\)/);
    expect(told.english).toMatch(/page\.html: failing \(1 time: the address gives no RSS or Atom feed\)/);
    expect(told.english).toMatch(/empty\.xml: failing \(1 time: the feed is empty\)/);
    expect(told.english).toMatch(/\/feed\.xml: failing \(1 time: the site could not be reached or read\)/);
    expect(told.welsh).toMatch(/gone\.xml: yn methu \(1 gwaith: gwall HTTP gan y wefan: 404\)/);
    expect(told.welsh).toMatch(/big\.xml: yn methu \(1 gwaith: mae’r ffrwd yn rhy fawr\)/);
    expect(told.welsh).toMatch(/page\.html: yn methu \(1 gwaith: nid yw’r cyfeiriad yn rhoi ffrwd RSS nac Atom\)/);
    expect(told.welsh).toMatch(/empty\.xml: yn methu \(1 gwaith: mae’r ffrwd yn wag\)/);
    expect(told.welsh).toMatch(/\/feed\.xml: yn methu \(1 gwaith: nid oedd modd cyrraedd na darllen y wefan\)/);
  });

  it('a timeout is told as one, ours or undici’s; any other request failure as unreachable', () => {
    expect(requestFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toMatchObject({
      message: 'The operation was aborted due to timeout',
      problem: { key: 'updates.feed.error.timeout' },
    });
    expect(requestFailure(new TypeError('fetch failed', { cause: Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }) })).problem.key).toBe('updates.feed.error.timeout');
    expect(requestFailure(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })).problem.key).toBe('updates.feed.error.unreachable');
  });

  it('a feed that failed before its problem was stored is "could not be reached or read" until its next poll', async () => {
    const feed = await h.app.services.db.updateFeed.create({
      data: { forumId: (await h.app.services.db.forum.findFirstOrThrow()).id, url: `${base}/old.xml`, themes: ['health'], failures: 3, lastError: 'unexpected close tag (line 4)', nextPollAt: new Date('2026-11-23T10:00:00Z') },
    });
    try {
      expect(await h.ask('officer', 'update feeds')).toMatch(/old\.xml: failing \(3 times: the site could not be reached or read\)/);
    } finally {
      await h.app.services.db.updateFeed.delete({ where: { id: feed.id } });
    }
  });
});
