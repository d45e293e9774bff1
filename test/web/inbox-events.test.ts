import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebChatAdapter } from '../../adapters/web/web-adapter.ts';
import { createLogger } from '../../src/core/logger.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { sessionRoutes } from '../../src/web/auth/session.routes.ts';
import { WebSessions } from '../../src/web/auth/sessions.ts';
import { inboxEventRoutes } from '../../src/web/push/inbox-events.routes.ts';
import { InboxHub } from '../../src/web/push/inbox-hub.ts';
import { WebServer } from '../../src/web/server.ts';
import { testDatabase } from '../support/database.ts';
import { WebSignIns } from '../support/web-sign-in.ts';

/**
 * New web chat messages pushed over Server-Sent Events. On PostgreSQL there are two bot instances
 * on one database: messages are stored through instance A's web adapter and must arrive on a
 * stream held open on instance B, woken by LISTEN/NOTIFY. On the embedded database (one process by
 * design) the same instance stores and streams, woken in-process.
 */
let database: Database & { url?: string };
let second: Database;
let serverB: WebServer;
let hubB: InboxHub;
let baseB = '';
let senderA: WebChatAdapter;
let people: WebSignIns;
let sessionsB: WebSessions;

beforeAll(async () => {
  database = await testDatabase();
  second = database.url ? await openDatabase({ url: database.url }) : database;
  const log = createLogger('error');
  senderA = new WebChatAdapter(database.prisma, { sessions: new WebSessions(database.prisma) });
  people = new WebSignIns(database.prisma, new WebSessions(database.prisma));
  sessionsB = new WebSessions(second.prisma, { cacheMs: 0 });
  hubB = new InboxHub(second.listen, log);
  await hubB.start();
  serverB = new WebServer(log);
  const mayRead = async (_personId: string, room: string) => room === 'open-room';
  serverB.add(sessionRoutes(sessionsB), inboxEventRoutes({ db: second.prisma, hub: hubB, sessions: sessionsB, log, mayRead, heartbeatMs: 200 }));
  baseB = `http://127.0.0.1:${await serverB.listen(0, '127.0.0.1')}`;
});
afterAll(async () => {
  await serverB?.close();
  await hubB?.stop();
  if (second && second !== database) await second.close();
  await database?.close();
});

interface SseEvent {
  id?: string;
  data: { text?: string; conversation?: string; at?: string };
}

/** An EventSource, as far as the wire goes: reads the stream and parses its events. */
async function openStream(path: string, cookie: string, lastEventId?: string) {
  const controller = new AbortController();
  const res = await fetch(`${baseB}${path}`, { headers: { cookie, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: controller.signal });
  const events: SseEvent[] = [];
  let comments = 0;
  let ended = false;
  const waiters: (() => void)[] = [];
  if (res.ok) {
    void (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const lines = block.split('\n');
            if (lines.every((l) => l.startsWith(':'))) comments++;
            const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
            if (data.length) events.push({ id: lines.find((l) => l.startsWith('id: '))?.slice(4), data: JSON.parse(data.join('\n')) as SseEvent['data'] });
            waiters.splice(0).forEach((w) => w());
          }
        }
      } catch {
        // aborted by the test
      }
      ended = true;
      waiters.splice(0).forEach((w) => w());
    })();
  }
  const until = async (check: () => boolean, what: string, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; have ${JSON.stringify(events.map((e) => e.data.text))}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  return {
    res,
    events,
    comments: () => comments,
    ended: () => ended,
    until,
    close: () => controller.abort(),
  };
}

const send = (conversation: string, text: string) => senderA.send(conversation, { text });

describe('web inbox pushed over Server-Sent Events', () => {
  it(`delivers a message stored on ${process.env.DATABASE_URL ? 'instance A to a stream held on instance B (LISTEN/NOTIFY)' : 'this instance to its stream (in-process)'}, and only the reader's own`, async () => {
    const nia = await people.signedIn('nia', 'Nia Rees');
    const stream = await openStream('/api/webchat/events', await people.cookieFor('nia'));
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toContain('text/event-stream');
    await stream.until(() => hubB.streams === 1, 'the stream to subscribe');

    const before = hubB.counts.notifications;
    await send(`web:${nia.webUserId}`, 'first for Nia');
    await send('web:someone-else', 'not for Nia');
    await send(`web:${nia.webUserId}`, 'second for Nia');
    await stream.until(() => stream.events.length >= 2, 'two messages');
    expect(stream.events.map((e) => e.data.text)).toEqual(['first for Nia', 'second for Nia']);
    expect(stream.events.every((e) => e.data.conversation === `web:${nia.webUserId}`)).toBe(true);
    expect(stream.events[0].id).toMatch(/^\d{4}-.*Z_[0-9a-f-]{36}$/);
    // it was the notification that woke B: three inserts, three notifications heard on B
    await stream.until(() => hubB.counts.notifications >= before + 3, 'notifications');
    // heartbeats keep it open while nothing happens
    await stream.until(() => stream.comments() >= 1, 'a heartbeat');
    stream.close();
    await stream.until(() => hubB.streams === 0, 'the stream to close');
  });

  it('resumes from Last-Event-ID after a reconnect: exactly what was missed, in order', async () => {
    const owain = await people.signedIn('owain', 'Owain Hughes');
    const cookie = await people.cookieFor('owain');
    const first = await openStream('/api/webchat/events', cookie);
    await first.until(() => hubB.streams === 1, 'subscribe');
    await send(`web:${owain.webUserId}`, 'one');
    await first.until(() => first.events.length === 1, 'message one');
    const seen = first.events[0].id!;
    first.close();
    await first.until(() => hubB.streams === 0, 'close');

    // while the page is away (a train tunnel), three more arrive
    for (const text of ['two', 'three', 'four']) await send(`web:${owain.webUserId}`, text);
    const again = await openStream('/api/webchat/events', cookie, seen);
    await again.until(() => again.events.length >= 3, 'the missed messages');
    await send(`web:${owain.webUserId}`, 'five');
    await again.until(() => again.events.length >= 4, 'a new one after the gap');
    expect(again.events.map((e) => e.data.text)).toEqual(['two', 'three', 'four', 'five']);

    // a fresh page without Last-Event-ID starts after ?after= (what it already shows) …
    const fromTime = await openStream(`/api/webchat/events?after=${encodeURIComponent(first.events[0].data.at!)}`, cookie);
    await fromTime.until(() => fromTime.events.length >= 4, 'messages after the time');
    expect(fromTime.events.map((e) => e.data.text)).toEqual(['two', 'three', 'four', 'five']);
    // … or, with neither, after the newest message stored: nothing old is repeated
    const fresh = await openStream('/api/webchat/events', cookie);
    await fresh.until(() => hubB.streams === 3, 'subscribe');
    await send(`web:${owain.webUserId}`, 'six');
    await fresh.until(() => fresh.events.length >= 1, 'six');
    expect(fresh.events.map((e) => e.data.text)).toEqual(['six']);
    for (const s of [again, fromTime, fresh]) s.close();
    await fresh.until(() => hubB.streams === 0, 'close');
  });

  it('refuses strangers, other rooms and bad input; a sign-out ends the stream', async () => {
    expect((await fetch(`${baseB}/api/webchat/events`)).status).toBe(401);
    const cookie = await people.cookieFor('pat', 'Pat Jones');
    const pat = await people.signedIn('pat');
    expect((await fetch(`${baseB}/api/webchat/events?room=closed-room`, { headers: { cookie } })).status).toBe(403);
    for (const q of ['?after=yesterday', '?room=%00', '?user=nia', '?room=a/b']) {
      const res = await fetch(`${baseB}/api/webchat/events${q}`, { headers: { cookie } });
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { errorCy?: string }).errorCy).toBeTruthy();
    }
    // a garbled Last-Event-ID is ignored, not an error
    const room = await openStream('/api/webchat/events?room=open-room', cookie, "'; DROP TABLE x; --");
    expect(room.res.status).toBe(200);
    await room.until(() => hubB.streams === 1, 'subscribe');
    await send('web:room:open-room', 'to the room');
    await room.until(() => room.events.length === 1, 'the room message');
    expect(room.events[0].data.conversation).toBe('web:room:open-room');

    // signed out elsewhere: the next wake finds no session and ends the stream, sending nothing
    await fetch(`${baseB}/api/auth/sign-out`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    await send(`web:${pat.webUserId}`, 'after sign-out');
    await room.until(() => room.ended(), 'the stream to end');
    expect(room.events.map((e) => e.data.text)).toEqual(['to the room']);
    expect(hubB.streams).toBe(0);
  });
});
