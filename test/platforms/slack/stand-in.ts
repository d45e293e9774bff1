import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { blockKitProblems, homeViewProblems, viewProblems } from './block-kit.ts';

/**
 * A local Slack: the Web API (answering each method in its documented shape and recording the
 * call), response_url endpoints, and delivery of events, slash commands and interactions to the
 * bot, signed as Slack signs them (HTTP) or as Socket Mode envelopes. Faults on demand: slow
 * answers, 429 with Retry-After, 5xx, dropped connections, duplicate deliveries.
 */
export interface Recorded {
  method: string;
  body: Record<string, unknown>;
  at: number;
  /** performance.now() when it arrived, for latency measurements */
  hr?: number;
  /** for response_url posts: which one */
  responseUrl?: string;
  /** what the stand-in answered */
  answer?: Record<string, unknown>;
}

export type Fault = { delayMs: number } | { status: 429; retryAfter: number } | { status: number } | { drop: true };
interface ArmedFault {
  method: string;
  fault: Fault;
  times: number;
}

export interface Delivery {
  status: number;
  /** the body of the HTTP answer (an ack may carry a response) */
  answer: string;
  /** the retries Slack made because no 2xx came within 3 s */
  retries: number;
  triggerId?: string;
  responseUrl?: string;
}

const TEAM = 'T0FORUM';
const hash = (s: string, n = 10) => crypto.createHash('sha1').update(s).digest('hex').slice(0, n).toUpperCase();

export class SlackStandIn {
  readonly team = TEAM;
  readonly botUserId = 'U0FORUMBOT';
  readonly botId = 'B0FORUMBOT';
  readonly calls: Recorded[] = [];
  /** every request the stand-in delivered to the bot, with its answer status */
  readonly deliveries: { kind: string; status: number; retryNum: number }[] = [];
  /** where the bot listens for HTTP events (set after the bot's server is up) */
  botUrl = '';
  /** how long a trigger_id stays good for views.open (3 s on Slack) */
  triggerLifetimeMs = 3_000;
  /** how long Slack waits for an ack before retrying (3 s on Slack) */
  ackTimeoutMs = 3_000;
  /** every Web API answer takes this long (a real network's round trip) */
  latencyMs = 0;
  /** until this wall-clock time, every chat.postMessage meets this fault (an outage, not a count) */
  outage: { until: number; fault: Fault } | undefined;
  /** wall-clock times of the calls the outage turned away */
  readonly turnedAway: number[] = [];
  private readonly faults: ArmedFault[] = [];
  private readonly users = new Map<string, string>(); // id -> display name
  private readonly triggers = new Map<string, { user: string; at: number }>();
  /** each user's published Home tab, as views.publish stored it */
  readonly homes = new Map<string, Record<string, unknown>>();
  private readonly waiters: { test: (r: Recorded) => boolean; resolve: (r: Recorded) => void }[] = [];
  private server: http.Server | undefined;
  private wss: WebSocketServer | undefined;
  private socket: WebSocket | undefined;
  private readonly socketAcks = new Map<string, (payload: unknown) => void>();
  private socketReady: Promise<void> | undefined;
  private base = '';
  private seq = 0;

  constructor(
    readonly signingSecret = 'stand-in-signing-secret',
    readonly botToken = 'xoxb-stand-in',
    readonly appToken?: string,
  ) {}

  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    if (this.appToken) {
      this.wss = new WebSocketServer({ server: this.server, path: '/socket' });
      this.socketReady = new Promise((resolve) => {
        this.wss!.on('connection', (ws) => {
          this.socket = ws;
          ws.on('message', (data) => {
            const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
            if (msg.envelope_id) this.socketAcks.get(msg.envelope_id)?.(msg.payload);
          });
          ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'stand-in' }, connection_info: { app_id: 'A0FORUM' } }));
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.socket?.close();
    this.wss?.close();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  // ---- people and places ----

  userId(key: string): string {
    const id = `U${hash(key)}`;
    this.users.set(id, key);
    return id;
  }
  channelId(name: string): string {
    return `C${hash(`channel:${name}`)}`;
  }
  dmChannelOf(userId: string): string {
    return `D${hash(`dm:${userId}`)}`;
  }

  // ---- faults ----

  /** The next `times` calls of `method` ('*' for any, 'response_url' for response URLs) meet the fault. */
  inject(method: string, fault: Fault, times = 1): void {
    this.faults.push({ method, fault, times });
  }

  /** how many injected faults for a method have not fired yet */
  faultsLeft(method: string): number {
    return this.faults.filter((x) => x.method === method).reduce((n, x) => n + x.times, 0);
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  private takeFault(method: string): Fault | undefined {
    const f = this.faults.find((x) => x.times > 0 && (x.method === method || x.method === '*'));
    if (!f) return undefined;
    f.times--;
    return f.fault;
  }

  // ---- what the bot sent ----

  since(index: number): Recorded[] {
    return this.calls.slice(index);
  }

  /** Resolves with the first call (already made or still to come) that `test` accepts. */
  waitFor(test: (r: Recorded) => boolean, fromIndex = 0): Promise<Recorded> {
    const found = this.calls.slice(fromIndex).find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  private record(r: Recorded): void {
    r.hr = performance.now();
    this.calls.push(r);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].test(r)) {
        this.waiters[i].resolve(r);
        this.waiters.splice(i, 1);
      }
    }
  }

  // ---- the Web API ----

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = url.pathname.startsWith('/api/') ? url.pathname.slice(5) : url.pathname.startsWith('/respond/') ? 'response_url' : '';
    if (!method) return json(res, 404, { ok: false, error: 'not_found' });
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const down = method === 'chat.postMessage' && this.outage && Date.now() < this.outage.until;
    if (down) this.turnedAway.push(Date.now());
    const fault = down ? this.outage!.fault : this.takeFault(method);
    if (fault && 'delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault && 'drop' in fault) {
      req.socket.destroy();
      return;
    }
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = 'retryAfter' in fault ? { 'retry-after': String(fault.retryAfter) } : {};
      res.writeHead(fault.status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ ok: false, error: fault.status === 429 ? 'ratelimited' : 'internal_error' }));
      return;
    }
    if (method === 'response_url') {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      this.record({ method, body, at: Date.now(), responseUrl: url.pathname });
      return json(res, 200, { ok: true });
    }
    const body = parseApiBody(raw, req.headers['content-type']);
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || String(body.token ?? '');
    const wanted = method === 'apps.connections.open' ? this.appToken : this.botToken;
    if (!wanted || token !== wanted) return json(res, 200, { ok: false, error: 'invalid_auth' });
    const answer = this.answer(method, body);
    if (answer.ok) this.record({ method, body, at: Date.now(), answer });
    json(res, 200, answer);
  }

  private answer(method: string, b: Record<string, unknown>): Record<string, unknown> {
    const ts = () => `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://forum.slack.test/', team: 'Forum', user: 'forumbot', team_id: TEAM, user_id: this.botUserId, bot_id: this.botId };
      case 'apps.connections.open':
        return { ok: true, url: `${this.base.replace('http', 'ws')}/socket` };
      case 'users.info': {
        const name = this.users.get(String(b.user));
        if (!name) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: b.user, team_id: TEAM, name: name.toLowerCase(), real_name: name, profile: { display_name: name, real_name: name } } };
      }
      case 'conversations.open': {
        const user = String(b.users ?? '');
        if (!this.users.has(user)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: this.dmChannelOf(user) } };
      }
      case 'chat.postMessage':
      case 'chat.postEphemeral': {
        const channel = String(b.channel ?? '');
        if (!/^[CDG][A-Z0-9]+$/.test(channel)) return { ok: false, error: 'channel_not_found' };
        if (!b.text && !b.blocks) return { ok: false, error: 'no_text' };
        if (b.blocks) {
          const problems = blockKitProblems(b.blocks, 'message');
          if (problems.length) return { ok: false, error: 'invalid_blocks', errors: problems };
        }
        if (method === 'chat.postEphemeral') {
          if (!this.users.has(String(b.user))) return { ok: false, error: 'user_not_in_channel' };
          return { ok: true, message_ts: ts() };
        }
        const t = ts();
        return { ok: true, channel, ts: t, message: { type: 'message', user: this.botUserId, bot_id: this.botId, text: b.text, blocks: b.blocks, ts: t } };
      }
      case 'conversations.history': {
        // the bot's own posts in the channel, newest first; metadata only when asked for, as Slack does
        const channel = String(b.channel ?? '');
        const oldest = Number(b.oldest ?? 0);
        const limit = Math.min(Number(b.limit ?? 100) || 100, 999);
        const start = Number(b.cursor ?? 0) || 0;
        const withMeta = b.include_all_metadata === true || b.include_all_metadata === 'true';
        const posts = this.calls
          .filter((r) => r.method === 'chat.postMessage' && r.answer?.channel === channel && Number(r.answer.ts) > oldest)
          .reverse()
          .map((r) => {
            const meta = typeof r.body.metadata === 'string' ? JSON.parse(r.body.metadata) : r.body.metadata;
            return { type: 'message', user: this.botUserId, bot_id: this.botId, text: r.body.text, ts: r.answer!.ts, ...(withMeta && meta ? { metadata: meta } : {}) };
          });
        const page = posts.slice(start, start + limit);
        const more = start + limit < posts.length;
        return { ok: true, messages: page, has_more: more, response_metadata: { next_cursor: more ? String(start + limit) : '' } };
      }
      case 'views.open': {
        const trigger = this.triggers.get(String(b.trigger_id));
        if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
        if (Date.now() - trigger.at > this.triggerLifetimeMs) return { ok: false, error: 'expired_trigger_id' };
        this.triggers.delete(String(b.trigger_id));
        const problems = viewProblems(b.view);
        if (problems.length) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
        const view = b.view as Record<string, unknown>;
        return { ok: true, view: { id: `V${hash(String(b.trigger_id))}`, team_id: TEAM, hash: `${Date.now()}.${hash(String(this.seq++), 8)}`, state: { values: {} }, ...view } };
      }
      case 'views.publish': {
        // docs.slack.dev/reference/methods/views.publish: user_id and a home view; hash guards against races
        const user = String(b.user_id ?? '');
        if (!this.users.has(user)) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['invalid `user_id`'] } };
        const view = (typeof b.view === 'string' ? safeJson(b.view) : b.view) as Record<string, unknown> | undefined;
        const problems = homeViewProblems(view);
        if (problems.length) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
        if (JSON.stringify(view).length > 250_000) return { ok: false, error: 'view_too_large' };
        const current = this.homes.get(user);
        if (b.hash !== undefined && current && b.hash !== current.hash) return { ok: false, error: 'hash_conflict' };
        const id = (current?.id as string | undefined) ?? `V${hash(`home:${user}`)}`;
        const published = { id, team_id: TEAM, type: 'home', close: null, submit: null, private_metadata: '', callback_id: '', external_id: '', state: { values: {} }, hash: `${Date.now()}.${hash(String(this.seq++), 8)}`, root_view_id: id, previous_view_id: null, app_id: 'A0FORUM', bot_id: this.botId, ...view };
        this.homes.set(user, published);
        return { ok: true, view: published };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  // ---- delivering to the bot, as Slack does ----

  private newTrigger(user: string): string {
    const id = `${++this.seq}.${hash(crypto.randomUUID(), 16).toLowerCase()}`;
    this.triggers.set(id, { user, at: Date.now() });
    return id;
  }

  /** Signs a body as Slack does: v0=hex(HMAC-SHA256(secret, "v0:{ts}:{body}")). */
  sign(body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
    const sig = crypto.createHmac('sha256', this.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
    return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${sig}` };
  }

  /**
   * Delivers one request as Slack would: over HTTP, retrying (x-slack-retry-num) while no 2xx
   * comes within the ack timeout, up to 3 retries; or in Socket Mode as an envelope.
   * `duplicate` sends the same request again as a retry even though it was acked.
   */
  async deliver(kind: 'events_api' | 'slash_commands' | 'interactive', payload: Record<string, unknown>, opts: { duplicate?: boolean } = {}): Promise<Delivery> {
    if (this.appToken) return this.deliverSocket(kind, payload, opts);
    const body = kind === 'events_api' ? JSON.stringify(payload) : kind === 'interactive' ? new URLSearchParams({ payload: JSON.stringify(payload) }).toString() : new URLSearchParams(payload as Record<string, string>).toString();
    const type = kind === 'events_api' ? 'application/json' : 'application/x-www-form-urlencoded';
    let retries = 0;
    let last: { status: number; answer: string } = { status: 0, answer: '' };
    for (let attempt = 0; attempt <= 3; attempt++) {
      const retry: Record<string, string> = attempt ? { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': last.status ? 'http_error' : 'http_timeout' } : {};
      last = await this.post(body, type, retry);
      this.deliveries.push({ kind, status: last.status, retryNum: attempt });
      if (last.status >= 200 && last.status < 300) break;
      if (kind !== 'events_api') break; // Slack retries events only; a command just shows the user an error
      retries++;
    }
    if (opts.duplicate) {
      const again = await this.post(body, type, { 'x-slack-retry-num': String(retries + 1), 'x-slack-retry-reason': 'http_timeout' });
      this.deliveries.push({ kind, status: again.status, retryNum: retries + 1 });
      retries++;
    }
    return { ...last, retries };
  }

  private async post(body: string, type: string, extra: Record<string, string>): Promise<{ status: number; answer: string }> {
    try {
      const res = await fetch(this.botUrl, { method: 'POST', headers: { 'content-type': type, ...this.sign(body), ...extra }, body, signal: AbortSignal.timeout(this.ackTimeoutMs) });
      return { status: res.status, answer: await res.text() };
    } catch {
      return { status: 0, answer: '' };
    }
  }

  private async deliverSocket(kind: string, payload: Record<string, unknown>, opts: { duplicate?: boolean }): Promise<Delivery> {
    await this.socketReady;
    const once = async (retryAttempt: number): Promise<number> => {
      const envelope_id = crypto.randomUUID();
      const acked = new Promise<number>((resolve) => {
        this.socketAcks.set(envelope_id, () => resolve(200));
        setTimeout(() => resolve(0), this.ackTimeoutMs);
      });
      this.socket!.send(JSON.stringify({ envelope_id, type: kind, payload, accepts_response_payload: kind !== 'events_api', retry_attempt: retryAttempt, retry_reason: retryAttempt ? 'timeout' : '' }));
      const status = await acked;
      this.socketAcks.delete(envelope_id);
      this.deliveries.push({ kind, status, retryNum: retryAttempt });
      return status;
    };
    const status = await once(0);
    if (opts.duplicate) await once(1);
    return { status, answer: '', retries: opts.duplicate ? 1 : 0 };
  }

  /** A user types `/forumbot text` in a channel (or in their DM with the bot). */
  async slashCommand(user: string, text: string, channel?: string): Promise<Delivery> {
    const userId = this.userId(user);
    const triggerId = this.newTrigger(userId);
    const responseUrl = `${this.base}/respond/${hash(triggerId, 12)}`;
    const channelId = channel ? this.channelId(channel) : this.dmChannelOf(userId);
    const payload = {
      token: 'legacy-verification-token',
      team_id: TEAM,
      team_domain: 'forum',
      channel_id: channelId,
      channel_name: channel ?? 'directmessage',
      user_id: userId,
      user_name: user,
      command: '/forumbot',
      text,
      api_app_id: 'A0FORUM',
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    const d = await this.deliver('slash_commands', payload);
    return { ...d, triggerId, responseUrl };
  }

  /** A user presses a button or picks an option on a message the bot posted. */
  async blockAction(user: string, where: { channel?: string; responseUrl?: string; message?: unknown }, action: Record<string, unknown>): Promise<Delivery> {
    const userId = this.userId(user);
    const triggerId = this.newTrigger(userId);
    const channelId = where.channel ?? this.dmChannelOf(userId);
    const responseUrl = `${this.base}/respond/${hash(triggerId, 12)}`;
    const payload = {
      type: 'block_actions',
      user: { id: userId, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
      api_app_id: 'A0FORUM',
      token: 'legacy-verification-token',
      container: { type: 'message', channel_id: channelId, is_ephemeral: false, message_ts: '1.000001' },
      trigger_id: triggerId,
      team: { id: TEAM, domain: 'forum' },
      channel: { id: channelId, name: channelId.startsWith('D') ? 'directmessage' : 'channel' },
      message: where.message ?? {},
      response_url: responseUrl,
      actions: [{ ...action, action_ts: `${Date.now() / 1000}` }],
      state: { values: {} },
    };
    const d = await this.deliver('interactive', payload);
    return { ...d, triggerId, responseUrl };
  }

  /** A user submits a modal the bot opened; `values` is view.state.values. */
  async viewSubmission(user: string, view: Record<string, unknown>, values: Record<string, Record<string, unknown>>): Promise<Delivery> {
    const userId = this.userId(user);
    const triggerId = this.newTrigger(userId);
    const payload = {
      type: 'view_submission',
      team: { id: TEAM, domain: 'forum' },
      user: { id: userId, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
      api_app_id: 'A0FORUM',
      trigger_id: triggerId,
      view: { ...view, state: { values } },
    };
    const d = await this.deliver('interactive', payload);
    return { ...d, triggerId };
  }

  /**
   * A user opens the bot's App Home (docs.slack.dev/reference/events/app_home_opened): the event
   * names the tab, and carries the Home tab's current view once one has been published.
   */
  async appHomeOpened(user: string, tab: 'home' | 'messages' = 'home', opts: { eventId?: string; duplicate?: boolean } = {}): Promise<Delivery> {
    const userId = this.userId(user);
    const view = this.homes.get(userId);
    const payload = {
      token: 'legacy-verification-token',
      team_id: TEAM,
      api_app_id: 'A0FORUM',
      type: 'event_callback',
      event_id: opts.eventId ?? `Ev${hash(crypto.randomUUID())}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: userId, channel: this.dmChannelOf(userId), tab, event_ts: `${Date.now() / 1000}`, ...(tab === 'home' && view ? { view } : {}) },
    };
    return this.deliver('events_api', payload, { duplicate: opts.duplicate });
  }

  /**
   * A user presses a button on their Home tab: a block_actions payload from a view (container
   * type "view", the view itself, no channel and no response_url), with a trigger_id for a modal.
   */
  async homeAction(user: string, action: Record<string, unknown>): Promise<Delivery> {
    const userId = this.userId(user);
    const view = this.homes.get(userId);
    if (!view) throw new Error(`${user} has no published Home tab`);
    const triggerId = this.newTrigger(userId);
    const payload = {
      type: 'block_actions',
      user: { id: userId, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
      api_app_id: 'A0FORUM',
      token: 'legacy-verification-token',
      container: { type: 'view', view_id: view.id },
      trigger_id: triggerId,
      team: { id: TEAM, domain: 'forum' },
      view,
      actions: [{ ...action, action_ts: `${Date.now() / 1000}` }],
    };
    const d = await this.deliver('interactive', payload);
    return { ...d, triggerId };
  }

  /** A user writes to the bot in its DM (an Events API message.im event). */
  async directMessage(user: string, text: string, opts: { eventId?: string; duplicate?: boolean } = {}): Promise<Delivery> {
    const userId = this.userId(user);
    const channel = this.dmChannelOf(userId);
    const event_id = opts.eventId ?? `Ev${hash(crypto.randomUUID())}`;
    const payload = {
      token: 'legacy-verification-token',
      team_id: TEAM,
      api_app_id: 'A0FORUM',
      type: 'event_callback',
      event_id,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel, channel_type: 'im', user: userId, text, ts: `${Date.now() / 1000}`, team: TEAM },
    };
    return this.deliver('events_api', payload, { duplicate: opts.duplicate });
  }
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The Web API takes form fields (nested values as JSON strings) or a JSON body. */
function parseApiBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (type?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
