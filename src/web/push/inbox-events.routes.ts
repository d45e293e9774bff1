import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { Logger } from '../../core/logger.ts';
import type { Db } from '../../db/client.ts';
import type { WebSessions } from '../auth/sessions.ts';
import { sendError, type WebRoutes } from '../server.ts';
import type { InboxHub } from './inbox-hub.ts';

/**
 * `GET /api/webchat/events`: the signed-in person's new web chat messages (their direct messages,
 * and a room's when `?room=` names one they may read) as Server-Sent Events, instead of the page
 * asking `/api/webchat/inbox` every few seconds.
 *
 * Each event's `id` is a cursor (the message's time and id), so a browser that reconnects sends
 * `Last-Event-ID` and gets exactly what it missed, even from another instance. A new stream starts
 * after `?after=` (the time of the newest message the page shows) or, without it, after the newest
 * message stored. Between messages a stream costs no query: it sleeps until the hub wakes it. A
 * comment line every 25 s keeps proxies from closing it; after `maxAgeMs` the server ends it and
 * the browser reconnects, which checks the session again (a sign-out also ends it at the next wake).
 */
export interface InboxEventsOptions {
  db: Db;
  hub: InboxHub;
  sessions: WebSessions;
  log: Logger;
  /** may this person read this room (web chat rooms are linked to forums)? Without it, rooms are refused. */
  mayRead?: (personId: string, room: string) => Promise<boolean>;
  /** streams one person may hold open at once (tabs, devices); default 10 */
  perPerson?: number;
  /** how long one stream lasts before the browser is asked to reconnect; default 15 minutes */
  maxAgeMs?: number;
  heartbeatMs?: number;
}

export const INBOX_EVENTS = '/api/webchat/events';
const BATCH = 100;
const ZQuery = z.strictObject({
  room: z.string().min(1).max(64).regex(/^[\w.-]+$/, 'room must be letters, digits, . _ or -').optional(),
  after: z.iso.datetime({ offset: true }).optional(),
});
const ZLastEventId = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z_[0-9a-f-]{36}$/);

interface Cursor {
  at: Date;
  /** the id of the last message at `at` already sent; without it, everything at `at` was */
  id?: string;
}
const cursorId = (at: Date, id: string) => `${at.toISOString()}_${id}`;

export function inboxEventRoutes(options: InboxEventsOptions): WebRoutes {
  const { db, hub, sessions, log } = options;
  const perPerson = options.perPerson ?? 10;
  const maxAgeMs = options.maxAgeMs ?? 15 * 60_000;
  const open = new Map<string, number>();
  const streams = new Set<PassThrough>();

  const newer = (conversations: string[], c: Cursor) =>
    db.webInbox.findMany({
      where: { conversation: { in: conversations }, ...(c.id ? { OR: [{ createdAt: { gt: c.at } }, { createdAt: c.at, id: { gt: c.id } }] } : { createdAt: { gt: c.at } }) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: BATCH,
    });

  return async (app) => {
    const heartbeat = setInterval(() => {
      for (const s of streams) s.write(': ping\n\n');
    }, options.heartbeatMs ?? 25_000);
    heartbeat.unref();
    app.addHook('onClose', async () => {
      clearInterval(heartbeat);
      for (const s of streams) s.end();
    });

    app.get(INBOX_EVENTS, { preHandler: sessions.requirePerson }, async (req, reply) => {
      const who = req.signedIn!;
      const q = ZQuery.safeParse(req.query);
      if (!q.success) return sendError(reply, 400, 'web.error.badRequest', {}, q.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`));
      const room = q.data.room;
      if (room && !(options.mayRead && (await options.mayRead(who.personId, room)))) return sendError(reply, 403, 'web.error.forbidden');
      if ((open.get(who.personId) ?? 0) >= perPerson) {
        reply.header('retry-after', '30');
        return sendError(reply, 429, 'web.error.tooMany', { seconds: 30 });
      }

      const conversations = [`web:${who.webUserId}`, ...(room ? [`web:room:${room}`] : [])];
      const lastEventId = req.headers['last-event-id'];
      let cursor: Cursor;
      if (typeof lastEventId === 'string' && ZLastEventId.safeParse(lastEventId).success) {
        const cut = lastEventId.indexOf('_');
        cursor = { at: new Date(lastEventId.slice(0, cut)), id: lastEventId.slice(cut + 1) };
      } else if (q.data.after) {
        cursor = { at: new Date(q.data.after) };
      } else {
        const newest = await db.webInbox.findFirst({ where: { conversation: { in: conversations } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { createdAt: true, id: true } });
        cursor = newest ? { at: newest.createdAt, id: newest.id } : { at: new Date(0) };
      }

      const stream = new PassThrough();
      let closed = false;
      let running = false;
      let again = false;
      const token = req.cookies?.[sessions.cookieName];

      const drain = async () => {
        for (;;) {
          const rows = await newer(conversations, cursor);
          for (const r of rows) {
            const message = { ...(r.message as object), conversation: r.conversation, at: r.createdAt.toISOString() };
            stream.write(`id: ${cursorId(r.createdAt, r.id)}\ndata: ${JSON.stringify(message)}\n\n`);
            cursor = { at: r.createdAt, id: r.id };
          }
          if (rows.length < BATCH || closed) return;
        }
      };
      const pump = async (sessionJustChecked = false) => {
        if (closed) return;
        if (running) {
          again = true;
          return;
        }
        running = true;
        try {
          do {
            again = false;
            // signed out (here or elsewhere) or deleted since the stream opened: stop here
            if (!sessionJustChecked && !(await sessions.personOfToken(token))) return close();
            sessionJustChecked = false;
            await drain();
          } while (again && !closed);
        } catch (err) {
          log.warn('web inbox stream failed to read', { error: String(err) });
          close();
        } finally {
          running = false;
        }
      };
      const unsubscribe = hub.subscribe(conversations, () => void pump());
      const maxAge = setTimeout(() => close(), maxAgeMs);
      maxAge.unref();
      function close() {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearTimeout(maxAge);
        streams.delete(stream);
        const left = (open.get(who.personId) ?? 1) - 1;
        if (left > 0) open.set(who.personId, left);
        else open.delete(who.personId);
        stream.end();
      }
      open.set(who.personId, (open.get(who.personId) ?? 0) + 1);
      streams.add(stream);
      reply.raw.on('close', close);

      // what arrived between the cursor and now (a reconnect's gap), then whatever comes
      stream.write('retry: 3000\n\n');
      // (read after subscribing, so a message stored meanwhile is not missed; the session was just checked)
      void pump(true);
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-accel-buffering', 'no')
        .send(stream);
    });
  };
}
