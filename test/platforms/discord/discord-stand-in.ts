import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { choiceProblems, messageProblems, modalProblems } from './discord-rules.ts';

/**
 * A local Discord: the REST API the bot calls (interaction callbacks, webhooks for follow-ups,
 * channel messages, DMs, command registration) and the gateway that delivers interactions
 * (hello, identify, heartbeat, READY, resume). It records what the bot sent, checks it against
 * Discord's limits, and makes faults happen on demand: slow answers, 429 with Retry-After, 5xx,
 * a dropped gateway connection, duplicate deliveries.
 */
type Json = Record<string, any>;

export interface Recorded {
  id: string;
  channelId: string;
  /** the interaction this message answers, if any */
  interactionId?: string;
  via: 'callback' | 'followup' | 'channel';
  ephemeral: boolean;
  body: Json;
  /** a deferred answer still "thinking" */
  loading?: boolean;
  deleted?: boolean;
  /** the nonce the bot sent with it, if any */
  nonce?: string;
  at: number;
}

export interface Fault {
  method?: string;
  path?: RegExp;
  /** answer with this status (429 gets Retry-After); none: pass through after the delay */
  status?: number;
  /** seconds, for 429 */
  retryAfter?: number;
  delayMs?: number;
  /** how many requests it hits (default 1) */
  times?: number;
}

interface InteractionState {
  id: string;
  token: string;
  payload: Json;
  at: number;
  acknowledged: boolean;
  deferredEphemeral?: boolean;
  original?: Recorded;
  modal?: Json;
  /** an autocomplete's answer: the choices offered */
  choices?: { name: string; value: string | number }[];
}

export interface RequestLog {
  method: string;
  path: string;
  status: number;
  at: number;
  body?: unknown;
}

const EPHEMERAL = 64;
let snowflake = 1_100_000_000_000_000_000n;
const nextId = () => String(++snowflake);

export class DiscordStandIn {
  readonly token = 'stand-in-bot-token';
  readonly applicationId = '1000000000000000001';
  readonly guildId = '1000000000000000002';
  readonly bot = { id: this.applicationId, username: 'forumbot', global_name: 'forumbot', bot: true, discriminator: '0', avatar: null };
  readonly messages: Recorded[] = [];
  readonly requests: RequestLog[] = [];
  readonly commands = new Map<string, Json[]>();
  readonly gatewayLog: { op: number; t?: string; at: number }[] = [];
  identifies = 0;
  resumes = 0;
  /** emits 'answer' (interaction id) when a visible answer to an interaction arrives */
  readonly events = new EventEmitter();
  /** how long after its dispatch an interaction may still get its first answer (Discord: 3 s) */
  callbackDeadlineMs = 3_000;
  /** every REST answer takes this long (a real network's round trip) */
  latencyMs = 0;
  /** until this wall-clock time, every channel message post meets this fault (an outage, not a count) */
  outage: { until: number; status: number; retryAfter?: number } | undefined;
  /** how long Discord remembers a nonce sent with enforce_nonce ("the past few minutes") */
  nonceWindowMs = 5 * 60_000;

  private readonly interactions = new Map<string, InteractionState>();
  private readonly faults: (Fault & { left: number })[] = [];
  private readonly users = new Map<string, Json>();
  private readonly channels = new Map<string, string>();
  private readonly dmChannels = new Map<string, string>();
  private readonly nonces = new Map<string, Recorded>();
  private sockets = new Set<WebSocket>();
  private live: WebSocket | undefined;
  private sessionId = '';
  private seq = 0;
  private readonly sent: Json[] = [];
  private readyWaiters: (() => void)[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly wss: WebSocketServer,
  ) {}

  static async start(): Promise<DiscordStandIn> {
    const server = http.createServer();
    const wss = new WebSocketServer({ server });
    const s = new DiscordStandIn(server, wss);
    server.on('request', (req, res) => void s.onRequest(req, res));
    wss.on('connection', (ws) => s.onSocket(ws));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return s;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** the value for DISCORD_API_URL / discord.js `rest.api` */
  get apiUrl(): string {
    return `${this.url}/api`;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  // ---- faults ----

  fault(f: Fault): void {
    this.faults.push({ ...f, left: f.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Cuts the gateway connection as a network failure would (no close frame). */
  dropGateway(): void {
    this.live = undefined;
    for (const ws of this.sockets) ws.terminate();
  }

  // ---- people and places ----

  user(name: string): Json {
    let u = this.users.get(name);
    if (!u) {
      u = { id: nextId(), username: name.toLowerCase().replace(/[^a-z0-9_.]/g, '_'), global_name: name, discriminator: '0', avatar: null };
      this.users.set(name, u);
    }
    return u;
  }

  channelId(name: string): string {
    let id = this.channels.get(name);
    if (!id) this.channels.set(name, (id = nextId()));
    return id;
  }

  /** the name given to a guild channel, or undefined for a DM channel */
  channelNameOf(channelId: string): string | undefined {
    return [...this.channels].find(([, id]) => id === channelId)?.[0];
  }

  dmChannelId(userId: string): string {
    let id = this.dmChannels.get(userId);
    if (!id) this.dmChannels.set(userId, (id = nextId()));
    return id;
  }

  // ---- interactions, as Discord dispatches them ----

  private base(user: string, channel?: string): Json {
    const u = this.user(user);
    const where = channel
      ? { guild_id: this.guildId, channel_id: this.channelId(channel), channel: { id: this.channelId(channel), type: 0, guild_id: this.guildId, name: channel }, member: { user: u, roles: [], nick: null, permissions: '2248473465835073', joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 }, guild_locale: 'en-GB', context: 0 }
      : { channel_id: this.dmChannelId(u.id), channel: { id: this.dmChannelId(u.id), type: 1 }, user: u, context: 1 };
    return { id: nextId(), application_id: this.applicationId, token: crypto.randomBytes(24).toString('base64url'), version: 1, locale: 'en-GB', app_permissions: '2248473465835073', entitlements: [], authorizing_integration_owners: { '0': this.guildId }, attachment_size_limit: 8388608, ...where };
  }

  /** A slash command: `/name text:<text>`. */
  slash(user: string, name: string, text: string, channel?: string): Json {
    const options = text ? [{ name: 'text', type: 3, value: text }] : [];
    return { ...this.base(user, channel), type: 2, data: { id: nextId(), name, type: 1, options } };
  }

  /**
   * A slash command with typed options, as Discord delivers it: `path` is the command and its
   * subcommand (group) names (["seat", "fill"]), `options` the values given (name → value).
   * `focused` names the option being typed: an autocomplete interaction (type 4) instead.
   */
  typedSlash(user: string, path: string[], options: Record<string, string | number | boolean>, channel?: string, focused?: string): Json {
    const registered = [...this.commands.values()].flat().find((c) => c.name === path[0]);
    let level = (registered?.options as Json[] | undefined) ?? [];
    for (const name of path.slice(1)) level = ((level.find((o) => o.name === name)?.options as Json[] | undefined) ?? []);
    const typeOf = (name: string) => (level.find((o) => o.name === name)?.type as number | undefined) ?? 3;
    let nested: Json[] = Object.entries(options).map(([name, value]) => ({ name, type: typeOf(name), value, ...(name === focused ? { focused: true } : {}) }));
    for (let k = path.length - 1; k >= 1; k--) nested = [{ name: path[k], type: k === path.length - 1 ? 1 : 2, options: nested }];
    return { ...this.base(user, channel), type: focused ? 4 : 2, data: { id: registered?.id ?? nextId(), name: path[0], type: 1, options: nested } };
  }

  /** A button press or select choice on a message the bot sent. */
  component(user: string, message: Recorded, customId: string, values?: string[]): Json {
    const channel = this.channelNameOf(message.channelId);
    const data = values ? { custom_id: customId, component_type: 3, values } : { custom_id: customId, component_type: 2 };
    return { ...this.base(user, channel), type: 3, message: { id: message.id, channel_id: message.channelId, ...message.body, flags: message.ephemeral ? EPHEMERAL : 0 }, data };
  }

  /** A modal submission: field custom_id → value (string for inputs and selects, boolean for checkboxes). */
  modalSubmit(user: string, modal: Json, values: Record<string, string | boolean>, channel?: string): Json {
    const components = (modal.components as Json[]).map((label) => {
      const c = label.component as Json;
      const v = values[c.custom_id];
      const inner = c.type === 4 ? { type: 4, custom_id: c.custom_id, value: String(v ?? '') } : c.type === 23 ? { type: 23, custom_id: c.custom_id, value: v === true || v === 'true' } : { type: 3, custom_id: c.custom_id, values: v === undefined || v === '' ? [] : [String(v)] };
      return { type: 18, id: 0, component: inner };
    });
    return { ...this.base(user, channel), type: 5, data: { custom_id: modal.custom_id, components } };
  }

  /** Delivers an interaction over the gateway (waiting for a live session); `times` > 1 delivers duplicates. */
  async dispatchInteraction(payload: Json, times = 1): Promise<void> {
    this.interactions.set(payload.id, { id: payload.id, token: payload.token, payload, at: Date.now(), acknowledged: false });
    for (let k = 0; k < times; k++) await this.dispatch('INTERACTION_CREATE', payload);
  }

  async dispatch(t: string, d: unknown): Promise<void> {
    await this.ready();
    const frame = { op: 0, t, s: ++this.seq, d };
    this.sent.push(frame);
    if (this.sent.length > 500) this.sent.shift();
    this.live!.send(JSON.stringify(frame));
  }

  /** Resolves when a gateway session is identified or resumed. */
  ready(): Promise<void> {
    if (this.live) return Promise.resolve();
    return new Promise((r) => this.readyWaiters.push(r));
  }

  // ---- what the bot sent ----

  interaction(id: string) {
    return this.interactions.get(id);
  }

  /** Messages answering an interaction (callback, edits, follow-ups), as they stand now. */
  answersTo(interactionId: string): Recorded[] {
    return this.messages.filter((m) => m.interactionId === interactionId && !m.deleted && !m.loading);
  }

  channelMessages(channelId: string): Recorded[] {
    return this.messages.filter((m) => m.channelId === channelId && m.via === 'channel' && !m.deleted);
  }

  // ---- gateway ----

  private send(ws: WebSocket, frame: Json): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      if (this.live === ws) this.live = undefined;
    });
    ws.on('error', () => {});
    this.send(ws, { op: 10, d: { heartbeat_interval: 41_250 } });
    ws.on('message', (raw) => {
      let frame: Json;
      try {
        frame = JSON.parse(String(raw));
      } catch {
        return ws.close(4002, 'Decode error');
      }
      this.gatewayLog.push({ op: frame.op, at: Date.now() });
      if (frame.op === 1) return this.send(ws, { op: 11 });
      if (frame.op === 2) {
        if (frame.d?.token !== this.token && frame.d?.token !== `Bot ${this.token}`) return ws.close(4004, 'Authentication failed');
        this.identifies++;
        this.sessionId = crypto.randomBytes(16).toString('hex');
        this.seq = 0;
        this.sent.length = 0;
        this.goLive(ws);
        const ready = { v: 10, user: this.bot, guilds: [], session_id: this.sessionId, resume_gateway_url: `ws://127.0.0.1:${this.port}`, shard: [0, 1], application: { id: this.applicationId, flags: 0 } };
        const frameOut = { op: 0, t: 'READY', s: ++this.seq, d: ready };
        this.send(ws, frameOut);
        return;
      }
      if (frame.op === 6) {
        if (frame.d?.session_id !== this.sessionId || frame.d?.token !== this.token) return this.send(ws, { op: 9, d: false });
        this.resumes++;
        for (const missed of this.sent.filter((f) => f.s > (frame.d.seq ?? 0))) this.send(ws, missed);
        this.send(ws, { op: 0, t: 'RESUMED', s: ++this.seq, d: {} });
        this.goLive(ws);
      }
    });
  }

  private goLive(ws: WebSocket): void {
    this.live = ws;
    const waiters = this.readyWaiters.splice(0);
    for (const w of waiters) w();
  }

  // ---- REST ----

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: Json = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = {};
    }
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/^\/api(\/v\d+)?/, '');
    const reply = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method, path, status, at: Date.now(), body: text ? body : undefined });
      res.writeHead(status, json === undefined ? headers : { 'content-type': 'application/json', ...headers });
      res.end(json === undefined ? '' : JSON.stringify(json));
    };

    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const down = this.outage && Date.now() < this.outage.until && method === 'POST' && /^\/channels\/\d+\/messages$/.test(path) ? ({ ...this.outage, left: 1 } as Fault & { left: number }) : undefined;
    const fault = down ?? this.faults.find((f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(path)));
    if (fault) {
      fault.left--;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.status === 429) {
        const after = fault.retryAfter ?? 1;
        return reply(429, { message: 'You are being rate limited.', retry_after: after, global: false }, { 'retry-after': String(after), 'x-ratelimit-scope': 'user' });
      }
      if (fault.status) return reply(fault.status, { message: `stand-in fault ${fault.status}`, code: 0 });
    }
    const isBot = req.headers.authorization === `Bot ${this.token}`;
    const m = (re: RegExp) => re.exec(path);
    let r: RegExpExecArray | null;

    if (method === 'GET' && (path === '/gateway/bot' || path === '/gateway')) {
      return reply(200, { url: `ws://127.0.0.1:${this.port}`, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } });
    }
    if ((r = m(/^\/interactions\/(\d+)\/([^/]+)\/callback$/)) && method === 'POST') return this.onCallback(r[1], r[2], body, reply);
    if ((r = m(/^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/))) return this.onWebhook(method, r[2], r[3], body, reply);
    if (!isBot) return reply(401, { message: '401: Unauthorized', code: 0 });
    if (method === 'GET' && path === '/users/@me') return reply(200, this.bot);
    if (method === 'POST' && path === '/users/@me/channels') {
      const recipient = [...this.users.values()].find((u) => u.id === body.recipient_id);
      if (!recipient) return reply(400, { message: 'Invalid Recipient(s)', code: 50033 });
      return reply(200, { id: this.dmChannelId(recipient.id), type: 1, recipients: [recipient], last_message_id: null });
    }
    if ((r = m(/^\/channels\/(\d+)\/messages$/)) && method === 'POST') {
      const channelId = r[1];
      const problems = messageProblems(body);
      if (problems.length) return reply(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
      const nonceKey = body.enforce_nonce && body.nonce ? `${channelId}:${body.nonce}` : undefined;
      // Discord: with enforce_nonce, a nonce seen from the same author in the past few minutes
      // returns that message and creates none
      const earlier = nonceKey && this.nonces.get(nonceKey);
      if (earlier && Date.now() - earlier.at < this.nonceWindowMs) return reply(200, this.asMessage(earlier));
      const rec = this.record({ channelId, via: 'channel', ephemeral: false, body: strip(body), ...(typeof body.nonce === 'string' ? { nonce: body.nonce } : {}) });
      if (nonceKey) this.nonces.set(nonceKey, rec);
      return reply(200, this.asMessage(rec));
    }
    if ((r = m(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/)) && method === 'PUT') {
      const list = (body as unknown as Json[]).map((c) => ({ ...c, id: nextId(), application_id: this.applicationId, version: nextId() }));
      this.commands.set(r[2] ?? 'global', list);
      return reply(200, list);
    }
    return reply(404, { message: '404: Not Found', code: 0 });
  }

  private answered(interactionId: string): void {
    this.events.emit('answer', interactionId);
  }

  /** Resolves when the first visible answer to the interaction reaches the stand-in. */
  answerOf(interactionId: string, timeoutMs = 30_000): Promise<void> {
    const it = this.interactions.get(interactionId);
    if (this.answersTo(interactionId).length || it?.modal || it?.choices) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('answer', on);
        reject(new Error(`no answer to interaction ${interactionId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const on = (id: string) => {
        if (id !== interactionId) return;
        clearTimeout(timer);
        this.events.off('answer', on);
        resolve();
      };
      this.events.on('answer', on);
    });
  }

  private record(r: Omit<Recorded, 'id' | 'at'>): Recorded {
    const rec = { ...r, id: nextId(), at: Date.now() };
    this.messages.push(rec);
    return rec;
  }

  private asMessage(r: Recorded): Json {
    return { id: r.id, channel_id: r.channelId, author: this.bot, type: 0, content: '', embeds: [], components: [], ...r.body, flags: r.ephemeral ? EPHEMERAL : 0, timestamp: new Date(r.at).toISOString(), tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], pinned: false };
  }

  private onCallback(id: string, token: string, body: Json, reply: (s: number, j?: unknown) => void): void {
    const it = this.interactions.get(id);
    if (!it || it.token !== token) return reply(404, { message: 'Unknown interaction', code: 10062 });
    if (it.acknowledged) return reply(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    if (Date.now() - it.at > this.callbackDeadlineMs) return reply(404, { message: 'Unknown interaction', code: 10062 });
    const channelId = it.payload.channel_id as string;
    const data = (body.data ?? {}) as Json;
    if (it.payload.type === 4 && body.type !== 8) return reply(400, { message: 'An autocomplete is answered with choices (type 8)', code: 50035 });
    switch (body.type) {
      case 8: {
        if (it.payload.type !== 4) return reply(400, { message: 'Interaction response type not allowed', code: 50035 });
        const choices = ((data.choices as Json[] | undefined) ?? []) as { name: string; value: string | number }[];
        const problems = choiceProblems(choices);
        if (problems.length) return reply(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
        it.choices = choices;
        break;
      }
      case 4: {
        const problems = messageProblems(data);
        if (problems.length) return reply(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
        it.original = this.record({ channelId, interactionId: id, via: 'callback', ephemeral: !!((data.flags ?? 0) & EPHEMERAL), body: strip(data) });
        this.answered(id);
        break;
      }
      case 5:
        it.deferredEphemeral = !!((data.flags ?? 0) & EPHEMERAL);
        it.original = this.record({ channelId, interactionId: id, via: 'callback', ephemeral: it.deferredEphemeral, body: {}, loading: true });
        break;
      case 6:
        if (it.payload.type !== 3 && it.payload.type !== 5) return reply(400, { message: 'Interaction response type not allowed', code: 50035 });
        break;
      case 9: {
        if (it.payload.type === 5) return reply(400, { message: 'A modal cannot answer a modal', code: 50035 });
        const problems = modalProblems(data);
        if (problems.length) return reply(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
        it.modal = data;
        break;
      }
      default:
        return reply(400, { message: `unsupported callback type ${String(body.type)}`, code: 50035 });
    }
    it.acknowledged = true;
    reply(204);
    if (body.type === 9 || body.type === 8) this.answered(id);
  }

  private onWebhook(method: string, token: string, messageId: string | undefined, body: Json, reply: (s: number, j?: unknown) => void): void {
    const it = [...this.interactions.values()].find((x) => x.token === token);
    if (!it || !it.acknowledged) return reply(404, { message: 'Unknown Webhook', code: 10015 });
    const channelId = it.payload.channel_id as string;
    if (method === 'POST' && !messageId) {
      const problems = messageProblems(body);
      if (problems.length) return reply(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
      // the first follow-up after a deferral fills the "thinking" message, keeping its visibility
      if (it.original?.loading) {
        Object.assign(it.original, { loading: false, body: strip(body), at: Date.now() });
        reply(200, this.asMessage(it.original));
        return this.answered(it.id);
      }
      const rec = this.record({ channelId, interactionId: it.id, via: 'followup', ephemeral: !!((body.flags ?? 0) & EPHEMERAL), body: strip(body) });
      reply(200, this.asMessage(rec));
      return this.answered(it.id);
    }
    const target = messageId === '@original' ? it.original : this.messages.find((x) => x.id === messageId && x.interactionId === it.id);
    if (!target || target.deleted) return reply(404, { message: 'Unknown Message', code: 10008 });
    if (method === 'PATCH') {
      const merged = { ...target.body, ...strip(body) };
      const problems = messageProblems(merged);
      if (problems.length) return reply(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
      Object.assign(target, { loading: false, body: merged });
      reply(200, this.asMessage(target));
      return this.answered(it.id);
    }
    if (method === 'DELETE') {
      target.deleted = true;
      return reply(204);
    }
    reply(405, { message: '405: Method Not Allowed', code: 0 });
  }
}

/** The visible parts of a message body. */
function strip(body: Json): Json {
  const out: Json = {};
  for (const k of ['content', 'embeds', 'components']) if (body[k] !== undefined) out[k] = body[k];
  return out;
}
