/**
 * For bench:core: what 1,000 open web chat pages cost while nothing happens, in HTTP requests and
 * database queries per minute: pushed (each page holds a Server-Sent Events stream, woken by
 * LISTEN/NOTIFY) against the baseline, the page asking /api/webchat/inbox every 3 s. Both run
 * against the real routes, with real sessions, on the same database, for the same window; the
 * counts are scaled to a minute. Then one message is sent to one page, to show it still arrives
 * and what a delivery costs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebChatAdapter } from '../../adapters/web/web-adapter.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Database, Db } from '../../src/db/client.ts';
import { hashToken, newToken, WebSessions } from '../../src/web/auth/sessions.ts';
import { inboxEventRoutes } from '../../src/web/push/inbox-events.routes.ts';
import { InboxHub } from '../../src/web/push/inbox-hub.ts';
import { WebServer } from '../../src/web/server.ts';
import { round, type Row } from './stats.ts';

const PAGES = 1000;
const POLL_MS = 3000;
const WINDOW_MS = 9000;
const perMinute = (count: number) => round((count * 60_000) / WINDOW_MS);

export async function idlePages(database: Database, kind: 'pglite' | 'postgres'): Promise<Row[]> {
  // every database operation of the routes under test goes through this counter
  const counter = { queries: 0, requests: 0 };
  const db = database.prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        counter.queries++;
        return query(args);
      },
    },
  }) as unknown as Db;
  const sessions = new WebSessions(db);
  const unlimited = { max: 1_000_000, windowMs: 60_000 };
  const web = new WebChatAdapter(db, { sessions, commandsPerPerson: unlimited, commandsPerAddress: unlimited, inboxPerPerson: unlimited });
  const hub = new InboxHub(database.listen, silentLogger);
  await hub.start();
  const server = new WebServer(silentLogger);
  server.add(...web.routes(), inboxEventRoutes({ db, hub, sessions, log: silentLogger }));
  // and every HTTP request the server receives through this one
  server.app.addHook('onRequest', async () => {
    counter.requests++;
  });
  const port = await server.listen(0, '127.0.0.1');

  // 1,000 signed-in people, each with a web account and a session (what sessions.open makes)
  const expiresAt = new Date(Date.now() + 86_400_000);
  const people = Array.from({ length: PAGES }, (_, i) => ({ id: crypto.randomUUID(), name: `Bench person ${i}`, token: newToken() }));
  await database.prisma.person.createMany({ data: people.map((p) => ({ id: p.id, displayName: p.name })) });
  await database.prisma.account.createMany({ data: people.map((p) => ({ personId: p.id, platform: 'web', platformUserId: p.id, displayName: p.name, dmRef: `web:${p.id}` })) });
  await database.prisma.webSession.createMany({ data: people.map((p) => ({ tokenHash: hashToken(p.token), personId: p.id, expiresAt })) });
  const cookie = (p: (typeof people)[number]) => `${sessions.cookieName}=${p.token}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const get = (path: string, headers: Record<string, string>) =>
    new Promise<http.IncomingMessage>((resolve, reject) => http.get({ host: '127.0.0.1', port, path, headers, agent }, resolve).on('error', reject));
  const since = new Date().toISOString();

  // ---- baseline: every page polls the inbox every 3 s, spread evenly over the interval
  const poll = { requests: 0, failed: 0, inFlight: 0, why: new Map<string, number>() };
  const failed = (why: string) => {
    poll.failed++;
    poll.why.set(why, (poll.why.get(why) ?? 0) + 1);
  };
  const q0 = counter.queries;
  const r0 = counter.requests;
  const stopAt = Date.now() + WINDOW_MS;
  const timers: NodeJS.Timeout[] = [];
  const pollers = people.map(
    (p, i) =>
      new Promise<void>((resolve) => {
        const tick = () => {
          if (Date.now() >= stopAt) return resolve();
          poll.requests++;
          poll.inFlight++;
          get(`/api/webchat/inbox?after=${encodeURIComponent(since)}`, { cookie: cookie(p) })
            .then((res) => {
              if (res.statusCode !== 200) failed(`HTTP ${res.statusCode}`);
              res.on('error', (err) => failed(err.message));
              res.on('close', () => poll.inFlight--);
              res.resume();
            })
            .catch((err: Error) => {
              poll.inFlight--;
              failed(err.message);
            });
          timers.push(setTimeout(tick, POLL_MS));
        };
        timers.push(setTimeout(tick, (i * POLL_MS) / PAGES));
      }),
  );
  await Promise.all(pollers);
  timers.forEach(clearTimeout);
  // every poll sent in the window answered, so its queries are counted (a busy server lags behind)
  while (poll.inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  const pollQueries = counter.queries - q0;
  const pollRequests = counter.requests - r0; // as the server received them: the same as poll.requests
  // on a loaded machine a few polls can be dropped (the server cannot accept them in time): say so
  if (poll.failed) console.log(`${kind}: ${poll.failed} of ${poll.requests} inbox polls failed: ${JSON.stringify([...poll.why])}`);
  if (poll.failed > poll.requests / 4) throw new Error('too many inbox polls failed for a fair baseline');

  // ---- pushed: every page holds one event stream open
  const q1 = counter.queries;
  const streams = await Promise.all(people.map((p) => get('/api/webchat/events', { cookie: cookie(p), accept: 'text/event-stream' })));
  if (streams.some((s) => s.statusCode !== 200)) throw new Error('an event stream was refused');
  const received = new Map<number, string>();
  const dropped = { streams: 0 };
  streams.forEach((s, i) => {
    s.on('data', (chunk: Buffer) => received.set(i, (received.get(i) ?? '') + chunk.toString('utf8')));
    s.on('error', () => dropped.streams++);
  });
  while (hub.streams < PAGES) await new Promise((r) => setTimeout(r, 50));
  const connectQueries = counter.queries - q1;
  const q2 = counter.queries;
  const r2 = counter.requests;
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  const idleQueries = counter.queries - q2;
  const idleRequests = counter.requests - r2;

  // one message to one page still arrives, and costs this many queries
  const q3 = counter.queries;
  await web.send(`web:${people[7].id}`, { text: 'bench: a message arrives' });
  const deadline = Date.now() + 10_000;
  while (!(received.get(7) ?? '').includes('bench: a message arrives')) {
    if (Date.now() > deadline) throw new Error('the pushed message did not arrive');
    await new Promise((r) => setTimeout(r, 20));
  }
  const deliveryQueries = counter.queries - q3 - 1; // less the send itself

  if (dropped.streams) console.log(`${kind}: ${dropped.streams} event streams dropped`);
  for (const s of streams) s.destroy();
  agent.destroy();
  await server.close();
  await hub.stop();

  const baselineName = `the same ${PAGES} pages polling /api/webchat/inbox every 3 s`;
  return [
    { case: `idle cost of ${PAGES} open pages, pushed (SSE): HTTP requests per minute`, db: kind, unit: 'requests/min', better: 'lower', value: perMinute(idleRequests), baseline: perMinute(pollRequests), baselineName },
    { case: `idle cost of ${PAGES} open pages, pushed (SSE): database queries per minute`, db: kind, unit: 'queries/min', better: 'lower', value: perMinute(idleQueries), baseline: perMinute(pollQueries), baselineName },
    { case: `opening ${PAGES} event streams (once per page load): database queries`, db: kind, unit: 'queries', better: 'lower', value: connectQueries, baseline: null, baselineName: null },
    { case: 'one message pushed to one of them: database queries to deliver it', db: kind, unit: 'queries', better: 'lower', value: deliveryQueries, baseline: null, baselineName: null },
  ];
}
