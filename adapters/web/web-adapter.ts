import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { z } from 'zod';
import type { Capabilities, ChatAdapter, EventHandler, SendOptions } from '../../src/core/adapter.ts';
import type { CommandDef } from '../../src/core/commands.ts';
import type { IncomingEvent } from '../../src/core/events.ts';
import { LOCALES, type I18n } from '../../src/core/i18n.ts';
import type { OutgoingMessage, Reply } from '../../src/core/messages.ts';
import type { Db } from '../../src/db/client.ts';
import { addressOf, limitBy, type Limit } from '../../src/web/auth/limits.ts';
import type { WebSessions } from '../../src/web/auth/sessions.ts';
import { errorBody, sendError, type WebRoutes } from '../../src/web/server.ts';
import type { ChatMessage, ChatResponse, CommandList } from './protocol.ts';

/**
 * The web chat: a page at "/" and a JSON endpoint, for signed-in people only. Who is asking is the
 * session's person (see src/web/auth/sessions.ts), never a field of the request. A person's private
 * conversation is "web:<web account id>"; a shared room is "web:room:<name>". Messages sent while
 * the page is not asking (broadcasts, direct messages) wait in the WebInbox table until it fetches them;
 * a room's are shown only to members of the forum the room is linked to.
 */
const ZRoom = z.string().min(1).max(64).regex(/^[\w.-]+$/, 'room must be letters, digits, . _ or -');
const ZRequest = z.union([
  z.strictObject({ room: ZRoom.optional(), text: z.string().min(1).max(4000) }),
  z.strictObject({
    room: ZRoom.optional(),
    action: z.object({
      command: z.string().min(1).max(100),
      args: z.record(z.string(), z.unknown()).default({}),
      values: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
]);

/** Who the web chat acts as: the signed-in person's web account. */
export interface WebAsker {
  webUserId: string;
  displayName: string;
}

export interface WebChatOptions {
  sessions: WebSessions;
  /** commands per signed-in person and per address (default 60 and 300 a minute) */
  commandsPerPerson?: Limit;
  commandsPerAddress?: Limit;
  /** inbox reads per person (default 120 a minute: the page asks every 3 s) */
  inboxPerPerson?: Limit;
  /** the commands the page suggests as the person types (see commandList) */
  commands?: () => CommandList['commands'];
}

/** Every command a person can type (not those only buttons run), by its name in each language, with its summary in that language. */
export function commandList(commands: readonly CommandDef[], i18n: I18n): CommandList['commands'] {
  return commands.filter((c) => !c.hidden).flatMap((c) => LOCALES.map((lang) => ({ name: c.names[lang], summary: i18n.t(lang, c.summary), lang })));
}

const MINUTE = 60_000;
const ROOM_ACCESS_CACHE_MS = 10_000;

export const webRef = (user: string) => `web:${user}`;
/** The project folder, from the sources (adapters/web) or from the bundle (dist/). */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = [path.resolve(here, '../..'), path.resolve(here, '..'), process.cwd()].find((d) => fs.existsSync(path.join(d, 'adapters/web/public/index.html')))!;
/** The page and its style sheet, and its script as scripts/build.mjs bundles it from adapters/web/client. */
const publicDirs = [path.join(root, 'adapters/web/public'), path.join(root, 'dist/public')];

export class WebChatAdapter implements ChatAdapter {
  readonly name = 'web';
  readonly capabilities: Capabilities = { buttons: true, selects: true, forms: true, ballots: true, ephemeral: true, direct: true };
  private handler: EventHandler | undefined;
  private readonly roomAccess = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly options: WebChatOptions,
  ) {}

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

  /** Handles one request of the JSON API as `who`: a typed message or a pressed button / submitted form. */
  async handleApi(who: WebAsker, body: unknown): Promise<{ status: number; body: unknown }> {
    const parsed = ZRequest.safeParse(body);
    if (!parsed.success) {
      return { status: 400, body: errorBody('web.error.badRequest', {}, problemsOf(parsed.error)) };
    }
    if (!this.handler) return { status: 503, body: errorBody('web.error.notStarted') };
    const req = parsed.data;
    const user = { platform: 'web', id: who.webUserId, displayName: who.displayName, dmRef: webRef(who.webUserId) };
    const conversation = req.room ? `web:room:${req.room}` : webRef(who.webUserId);
    const base = { user, conversation, isDirect: !req.room };
    const event: IncomingEvent =
      'text' in req
        ? { ...base, kind: 'command', text: req.text }
        : req.action.values
          ? { ...base, kind: 'formSubmit', command: req.action.command, args: req.action.args, values: req.action.values }
          : { ...base, kind: 'action', command: req.action.command, args: req.action.args };
    const replies = await this.handler(event);
    return { status: 200, body: { messages: replies.map(toJson) } satisfies ChatResponse };
  }

  /** Messages waiting for a person (their direct messages and a room they read), oldest first. */
  async inbox(webUserId: string, room: string | undefined, after: Date): Promise<ChatMessage[]> {
    const conversations = [webRef(webUserId), ...(room ? [`web:room:${room}`] : [])];
    const rows = await this.db.webInbox.findMany({ where: { conversation: { in: conversations }, createdAt: { gt: after } }, orderBy: { createdAt: 'asc' }, take: 100 });
    return rows.map((r) => ({ ...(r.message as unknown as OutgoingMessage), conversation: r.conversation, at: r.createdAt.toISOString() }));
  }

  /** May this person read a room? Only when it is linked to a forum they are an active member of. */
  async mayRead(personId: string, room: string): Promise<boolean> {
    const key = `${personId}|${room}`;
    if ((this.roomAccess.get(key) ?? 0) > Date.now()) return true;
    const linked = await this.db.channel.findFirst({
      where: { ref: `web:room:${room}`, forum: { memberships: { some: { personId, status: 'ACTIVE' } } } },
      select: { id: true },
    });
    if (!linked) return false;
    if (this.roomAccess.size > 10_000) this.roomAccess.clear();
    this.roomAccess.set(key, Date.now() + ROOM_ACCESS_CACHE_MS);
    return true;
  }

  /** The page (static files) and the JSON API, as one Fastify plugin. */
  routes(): WebRoutes[] {
    const ZInbox = z.strictObject({ room: ZRoom.optional(), after: z.string().max(40).optional() });
    const { sessions } = this.options;
    const plugin: WebRoutes = async (app) => {
      await app.register(fastifyStatic, { root: publicDirs, wildcard: false, index: 'index.html', cacheControl: false, setHeaders: (res) => res.header('cache-control', 'no-cache') });
      const perPerson = limitBy(app, 'chat-person', this.options.commandsPerPerson ?? { max: 60, windowMs: MINUTE }, (req) => req.signedIn?.personId);
      const perAddress = limitBy(app, 'chat-address', this.options.commandsPerAddress ?? { max: 300, windowMs: MINUTE }, addressOf);
      const inboxPerPerson = limitBy(app, 'inbox-person', this.options.inboxPerPerson ?? { max: 120, windowMs: MINUTE }, (req) => req.signedIn?.personId);
      app.post('/api/webchat', { preHandler: [perAddress, sessions.requirePerson, perPerson] }, async (req, reply) => {
        const out = await this.handleApi(req.signedIn!, req.body);
        return reply.code(out.status).header('cache-control', 'no-store').send(out.body);
      });
      app.get('/api/webchat/commands', { preHandler: [sessions.requirePerson] }, async (_req, reply) => {
        const body: CommandList = { commands: this.options.commands?.() ?? [] };
        return reply.header('cache-control', 'no-store').send(body);
      });
      app.get('/api/webchat/inbox', { preHandler: [sessions.requirePerson, inboxPerPerson] }, async (req, reply) => {
        const q = ZInbox.safeParse(req.query);
        if (!q.success) return sendError(reply, 400, 'web.error.badRequest', {}, problemsOf(q.error));
        const who = req.signedIn!;
        if (q.data.room && !(await this.mayRead(who.personId, q.data.room))) return sendError(reply, 403, 'web.error.notYours');
        const after = new Date(q.data.after ?? 0);
        const messages = await this.inbox(who.webUserId, q.data.room, Number.isNaN(after.getTime()) ? new Date(0) : after);
        return reply.header('cache-control', 'no-store').send({ messages });
      });
    };
    return [plugin];
  }
}

const problemsOf = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);

function toJson(reply: Reply): ChatMessage {
  return { ...reply.message, visibility: reply.visibility };
}
