import crypto from 'node:crypto';
import http from 'node:http';

/**
 * A stand-in for Teams' Bot Connector service (the activity's serviceUrl): records every
 * activity the bot posts, creates personal chats, and misbehaves on demand (slow answers,
 * 429 with Retry-After, 5xx, dropped connections) the way the real service can.
 */
export interface RecordedActivity {
  /** the id the connector gave the activity */
  id: string;
  method: 'POST' | 'PUT' | 'DELETE';
  conversationId: string;
  /** set when the bot replied to an activity (POST …/activities/{replyToId}) */
  replyToId?: string;
  activity: Record<string, unknown>;
  at: number;
}

export interface Attempt {
  method: string;
  path: string;
  at: number;
  /** what the stand-in did instead of answering normally */
  fault?: string;
}

export type Fault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  | { kind: 'slow'; ms: number }
  | { kind: 'drop' };

export class TeamsConnectorStandIn {
  readonly activities: RecordedActivity[] = [];
  readonly attempts: Attempt[] = [];
  readonly createdConversations: { id: string; parameters: Record<string, unknown> }[] = [];
  private readonly faults: { fault: Fault; left: number; match?: (path: string) => boolean }[] = [];
  private server: http.Server | undefined;
  private waiters: (() => void)[] = [];
  url = '';
  /** every answer takes this long (a real network's round trip) */
  latencyMs = 0;
  /** until this wall-clock time, every activity post meets this fault (an outage, not a count) */
  outage: { until: number; fault: Fault } | undefined;
  /** called as each activity is recorded (benchmarks time the arrival with it) */
  onRecord: ((r: RecordedActivity) => void) | undefined;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${addr.port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next `times` requests (whose path matches, if given) get this fault instead of an answer. */
  inject(fault: Fault, times = 1, match?: (path: string) => boolean): void {
    this.faults.push({ fault, left: times, match });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Activities posted to a conversation (a channel's threads included), from index `from`. */
  to(conversationId: string, from = 0): RecordedActivity[] {
    return this.activities.slice(from).filter((a) => a.conversationId === conversationId || a.conversationId.startsWith(`${conversationId};messageid=`));
  }

  /** Resolves when `test` holds, checking after every recorded activity; rejects after `ms`. */
  async waitFor(test: () => boolean, ms = 20_000): Promise<void> {
    if (test()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the Teams stand-in did not receive what was expected in time')), ms);
      const check = () => {
        if (test()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private notify(): void {
    this.onRecord?.(this.activities.at(-1)!);
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  private takeFault(path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => f.left > 0 && (!f.match || f.match(path)));
    if (i < 0) return undefined;
    const f = this.faults[i];
    if (--f.left === 0) this.faults.splice(i, 1);
    return f.fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const attempt: Attempt = { method: req.method ?? '', path, at: Date.now() };
    this.attempts.push(attempt);
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const fault = this.outage && Date.now() < this.outage.until && path.endsWith('/activities') ? this.outage.fault : this.takeFault(path);
    if (fault?.kind === 'drop') {
      attempt.fault = 'drop';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      attempt.fault = String(fault.status);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      res.writeHead(fault.status, headers);
      res.end(JSON.stringify({ error: { code: fault.status === 429 ? 'TooManyRequests' : 'ServiceError', message: 'injected by the stand-in' } }));
      return;
    }
    if (fault?.kind === 'slow') {
      attempt.fault = `slow ${fault.ms}`;
      await new Promise((r) => setTimeout(r, fault.ms));
    }
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let body: Record<string, unknown> = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      return json(400, { error: { code: 'BadSyntax', message: 'body is not JSON' } });
    }
    // POST /v3/conversations: open a chat (the bot's 1:1 chat with a user)
    if (req.method === 'POST' && path === '/v3/conversations') {
      const members = (body.members as { id: string }[] | undefined) ?? [];
      if (!members.length) return json(400, { error: { code: 'BadArgument', message: 'members required' } });
      const id = `a:personal-${members[0].id}`;
      this.createdConversations.push({ id, parameters: body });
      return json(201, { id, activityId: undefined, serviceUrl: this.url });
    }
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (!m) return json(404, { error: { code: 'NotFound', message: `no route ${req.method} ${path}` } });
    const conversationId = decodeURIComponent(m[1]);
    const activityId = m[2] ? decodeURIComponent(m[2]) : undefined;
    if (req.method === 'POST') {
      const size = text.length * 2; // Teams counts the message as UTF-16, and documents 40 KB
      if (size > 40 * 1024) return json(413, { error: { code: 'MessageSizeTooBig', message: `message is ${size} bytes` } });
      const id = crypto.randomUUID();
      this.activities.push({ id, method: 'POST', conversationId, replyToId: activityId, activity: body, at: Date.now() });
      this.notify();
      return json(201, { id });
    }
    if ((req.method === 'PUT' || req.method === 'DELETE') && activityId) {
      this.activities.push({ id: activityId, method: req.method, conversationId, activity: body, at: Date.now() });
      this.notify();
      return json(200, { id: activityId });
    }
    json(405, { error: { code: 'MethodNotAllowed', message: String(req.method) } });
  }
}
