import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { z } from 'zod';
import type { Capabilities, ChatAdapter, EventHandler, SendOptions } from '../../src/core/adapter.ts';
import type { IncomingEvent } from '../../src/core/events.ts';
import type { OutgoingMessage, Reply } from '../../src/core/messages.ts';
import type { Db } from '../../src/db/client.ts';
import { errorBody, sendError, type WebRoutes } from '../../src/web/server.ts';

/**
 * The web chat: a page at "/" and a JSON endpoint. A user's private conversation is
 * "web:<user id>"; a shared room is "web:room:<name>". Messages sent while the page is not
 * asking (broadcasts, direct messages) wait in the WebInbox table until it fetches them.
 */
const ZUser = z.string().trim().min(1).max(64).regex(/^[\w.@-]+$/, 'user must be letters, digits, . _ @ or -');
const ZRoom = z.string().min(1).max(64).regex(/^[\w.-]+$/, 'room must be letters, digits, . _ or -');
const ZRequest = z.union([
  z.object({ user: ZUser, name: z.string().trim().min(1).max(80).optional(), room: ZRoom.optional(), text: z.string().min(1).max(4000) }),
  z.object({
    user: ZUser,
    name: z.string().trim().min(1).max(80).optional(),
    room: ZRoom.optional(),
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
      return { status: 400, body: errorBody('web.error.badRequest', {}, problemsOf(parsed.error)) };
    }
    if (!this.handler) return { status: 503, body: errorBody('web.error.notStarted') };
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

  /** The page (static files) and the JSON API, as one Fastify plugin. */
  routes(): WebRoutes[] {
    const ZInbox = z.object({ user: ZUser, room: ZRoom.optional(), after: z.string().max(40).optional() });
    const plugin: WebRoutes = async (app) => {
      await app.register(fastifyStatic, { root: publicDir!, wildcard: false, index: 'index.html', cacheControl: false, setHeaders: (res) => res.header('cache-control', 'no-cache') });
      app.post('/api/webchat', async (req, reply) => {
        const out = await this.handleApi(req.body);
        return reply.code(out.status).header('cache-control', 'no-store').send(out.body);
      });
      app.get('/api/webchat/inbox', async (req, reply) => {
        const q = ZInbox.safeParse(req.query);
        if (!q.success) return sendError(reply, 400, 'web.error.badRequest', {}, problemsOf(q.error));
        const after = new Date(q.data.after ?? 0);
        const messages = await this.inbox(q.data.user, q.data.room, Number.isNaN(after.getTime()) ? new Date(0) : after);
        return reply.header('cache-control', 'no-store').send({ messages });
      });
    };
    return [plugin];
  }
}

const problemsOf = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);

function toJson(reply: Reply) {
  return { ...reply.message, visibility: reply.visibility };
}
