import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Capabilities, ChatAdapter, EventHandler, SendOptions } from '../../src/core/adapter.ts';
import type { IncomingEvent } from '../../src/core/events.ts';
import type { OutgoingMessage, Reply } from '../../src/core/messages.ts';
import type { Db } from '../../src/db/client.ts';
import { readBody, sendJson, type Route } from '../../src/web/server.ts';

/**
 * The web chat: a page at "/" and a JSON endpoint. A user's private conversation is
 * "web:<user id>"; a shared room is "web:room:<name>". Messages sent while the page is not
 * asking (broadcasts, direct messages) wait in the WebInbox table until it fetches them.
 */
const ZUser = z.string().trim().min(1).max(64).regex(/^[\w.@-]+$/, 'user must be letters, digits, . _ @ or -');
const ZRequest = z.union([
  z.object({ user: ZUser, name: z.string().trim().min(1).max(80).optional(), room: z.string().max(64).optional(), text: z.string().min(1).max(4000) }),
  z.object({
    user: ZUser,
    name: z.string().trim().min(1).max(80).optional(),
    room: z.string().max(64).optional(),
    action: z.object({
      command: z.string().min(1).max(100),
      args: z.record(z.string(), z.unknown()).default({}),
      values: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
]);

export const webRef = (user: string) => `web:${user}`;
const publicDir = [path.join(path.dirname(fileURLToPath(import.meta.url)), 'public'), path.resolve('adapters/web/public')].find((d) =>
  fs.existsSync(path.join(d, 'index.html')),
);

export class WebChatAdapter implements ChatAdapter {
  readonly name = 'web';
  readonly capabilities: Capabilities = { buttons: true, selects: true, forms: true, ballots: true, ephemeral: true, direct: true };
  private handler: EventHandler | undefined;

  constructor(private readonly db: Db) {}

  async start(handler: EventHandler): Promise<void> {
    this.handler = handler;
  }

  async stop(): Promise<void> {}

  async send(conversation: string, message: OutgoingMessage, options?: SendOptions): Promise<void> {
    // a retried send carries the same key and is stored once; a null key never conflicts
    await this.db.$executeRaw`INSERT INTO "WebInbox" (id, conversation, message, "idempotencyKey", "createdAt")
      VALUES (gen_random_uuid(), ${conversation}, ${JSON.stringify(message)}::jsonb, ${options?.idempotencyKey ?? null}, now())
      ON CONFLICT ("idempotencyKey") DO NOTHING`;
  }

  /** Handles one request of the JSON API: a typed message or a pressed button / submitted form. */
  async handleApi(body: unknown): Promise<{ status: number; body: unknown }> {
    const parsed = ZRequest.safeParse(body);
    if (!parsed.success) {
      return { status: 400, body: { error: 'bad request', problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`) } };
    }
    if (!this.handler) return { status: 503, body: { error: 'not started' } };
    const req = parsed.data;
    const user = { platform: 'web', id: req.user, displayName: req.name ?? req.user, dmRef: webRef(req.user) };
    const conversation = req.room ? `web:room:${req.room}` : webRef(req.user);
    const base = { user, conversation, isDirect: !req.room };
    const event: IncomingEvent =
      'text' in req
        ? { ...base, kind: 'command', text: req.text }
        : req.action.values
          ? { ...base, kind: 'formSubmit', command: req.action.command, args: req.action.args, values: req.action.values }
          : { ...base, kind: 'action', command: req.action.command, args: req.action.args };
    const replies = await this.handler(event);
    return { status: 200, body: { messages: replies.map(toJson) } };
  }

  /** Messages waiting for a user (their direct messages and any room they read), oldest first. */
  async inbox(user: string, room: string | undefined, after: Date) {
    const conversations = [webRef(user), ...(room ? [`web:room:${room}`] : [])];
    const rows = await this.db.webInbox.findMany({ where: { conversation: { in: conversations }, createdAt: { gt: after } }, orderBy: { createdAt: 'asc' }, take: 100 });
    return rows.map((r) => ({ ...(r.message as object), conversation: r.conversation, at: r.createdAt.toISOString() }));
  }

  routes(): Route[] {
    const file = (name: string, type: string): Route => ({
      method: 'GET',
      path: name === 'index.html' ? '/' : `/${name}`,
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
        res.end(fs.readFileSync(path.join(publicDir!, name)));
      },
    });
    return [
      file('index.html', 'text/html; charset=utf-8'),
      file('webchat.js', 'text/javascript; charset=utf-8'),
      file('webchat.css', 'text/css; charset=utf-8'),
      {
        method: 'POST',
        path: '/api/webchat',
        handler: async (req, res) => {
          let body: unknown;
          try {
            body = JSON.parse(await readBody(req));
          } catch {
            return sendJson(res, 400, { error: 'bad request', problems: ['body: must be JSON'] });
          }
          const out = await this.handleApi(body);
          sendJson(res, out.status, out.body);
        },
      },
      {
        method: 'GET',
        path: '/api/webchat/inbox',
        handler: async (_req, res, url) => {
          const user = ZUser.safeParse(url.searchParams.get('user'));
          if (!user.success) return sendJson(res, 400, { error: 'bad request', problems: ['user: required'] });
          const after = new Date(url.searchParams.get('after') ?? 0);
          const room = url.searchParams.get('room') ?? undefined;
          sendJson(res, 200, { messages: await this.inbox(user.data, room, Number.isNaN(after.getTime()) ? new Date(0) : after) });
        },
      },
    ];
  }
}

function toJson(reply: Reply) {
  return { ...reply.message, visibility: reply.visibility };
}
