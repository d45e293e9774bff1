import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { DiscordStandIn } from '../platforms/discord/discord-stand-in.ts';
import { SlackStandIn } from '../platforms/slack/stand-in.ts';
import { TeamsConnectorStandIn } from '../platforms/teams/connector.ts';
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import { nonceFor } from '../../adapters/discord/client.ts';
import type { Db } from '../../src/db/client.ts';
import { testDatabase } from '../support/database.ts';
import { freePort } from '../support/openid-provider.ts';

export { freePort };

/**
 * Two (or more) real bot processes (`bin/forumbot.js start`) on one PostgreSQL database, each
 * platform on its stand-in, and a TCP proxy of ours between the bots and PostgreSQL so the test can
 * cut the database off and bring it back without touching the shared server. Members are seeded
 * straight into the database; what each stand-in received is counted against the Delivery rows.
 */
export const root = path.resolve(import.meta.dirname, '../..');
const TEAMS_BOT = '28:forumbot';

/** A seeded random number in [0, 1), so a failing run can be repeated by its seed. */
export function seeded(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => unsafeUniformIntDistribution(0, 999_999, generator) / 1_000_000;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP proxy to PostgreSQL that can cut every connection and refuse new ones for a while. */
export class DbProxy {
  private server: net.Server | undefined;
  private sockets = new Set<net.Socket>();
  open = true;
  /** accept connections and never answer (a server too loaded to reply): the client's connect times out */
  hang = false;
  port = 0;

  constructor(private readonly target: URL) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      if (!this.open) return client.destroy();
      if (this.hang) {
        this.sockets.add(client);
        client.on('close', () => this.sockets.delete(client));
        client.on('error', () => {});
        return;
      }
      const upstream = net.connect(Number(this.target.port || 5432), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** The database "restarts": every connection is dropped and new ones refused until restore(). */
  cut(): void {
    this.open = false;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.open = true;
  }

  url(): string {
    const u = new URL(this.target);
    u.host = `127.0.0.1:${this.port}`;
    return u.toString();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}

export interface BotProcess {
  name: string;
  child: ChildProcess;
  port: number;
  /** what the bot wrote on stderr (its JSON log lines) */
  log: string[];
  exited: Promise<number | null>;
  /** the test is killing or stopping it (an exit now is expected) */
  stopping: boolean;
}

export interface Member {
  personId: string;
  platform: 'slack' | 'discord' | 'teams' | 'web';
  /** the Delivery target of their direct messages */
  dmRef: string;
  /** where a post to them lands on the stand-in (channel id, conversation id, or web conversation) */
  landsIn: string;
}

export class Fleet {
  readonly slack = new SlackStandIn();
  discord!: DiscordStandIn;
  readonly teams = new TeamsConnectorStandIn();
  database!: Awaited<ReturnType<typeof testDatabase>>;
  proxy!: DbProxy;
  readonly bots = new Map<string, BotProcess>();
  forumId = '';
  members: Member[] = [];
  /** the forum's linked channels, one per platform: ref and where posts land */
  channels: { ref: string; landsIn: string }[] = [];
  env: Record<string, string> = {};

  get db(): Db {
    return this.database.prisma;
  }

  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    this.database = await testDatabase();
    this.proxy = new DbProxy(new URL(this.database.url!));
    await this.proxy.start();
    await this.slack.start();
    this.discord = await DiscordStandIn.start();
    await this.teams.start();
    this.env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: this.proxy.url(),
      HOST: '127.0.0.1',
      WEB_CHAT: 'on',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'on',
      SLACK_BOT_TOKEN: this.slack.botToken,
      SLACK_SIGNING_SECRET: this.slack.signingSecret,
      SLACK_API_URL: this.slack.apiUrl,
      DISCORD_TOKEN: this.discord.token,
      DISCORD_APPLICATION_ID: this.discord.applicationId,
      DISCORD_API_URL: this.discord.apiUrl,
      TEAMS: 'on',
      ...extraEnv,
    };
  }

  /** A forum with a linked channel on each platform and `perPlatform` opted-in members on each. */
  async seed(perPlatform: number): Promise<void> {
    const db = this.db;
    const forum = await db.forum.create({ data: { slug: 'fault-forum', name: 'Fault Forum', cvcName: 'Fault CVC' } });
    this.forumId = forum.id;
    const slackChannel = this.slack.channelId('announcements');
    const discordChannel = this.discord.channelId('announcements');
    const teamsChannel = '19:announcements@thread.tacv2';
    this.channels = [
      { ref: `slack:${this.slack.team}:${slackChannel}`, landsIn: slackChannel },
      { ref: `discord:${this.discord.guildId}:${discordChannel}`, landsIn: discordChannel },
      { ref: `teams:${teamsChannel}`, landsIn: teamsChannel },
      { ref: 'web:room:announcements', landsIn: 'web:room:announcements' },
    ];
    await db.channel.createMany({ data: this.channels.map((c) => ({ forumId: forum.id, ref: c.ref })) });
    await db.teamsConversation.create({ data: { ref: `teams:${teamsChannel}`, conversationId: teamsChannel, conversationType: 'channel', serviceUrl: this.teams.url, botId: TEAMS_BOT } });
    const members: Member[] = [];
    for (const platform of ['slack', 'discord', 'teams', 'web'] as const) {
      for (let i = 0; i < perPlatform; i++) {
        const personId = crypto.randomUUID();
        const name = `${platform} member ${i}`;
        let dmRef: string;
        let landsIn: string;
        let platformUserId: string;
        if (platform === 'slack') {
          platformUserId = this.slack.userId(name);
          dmRef = `slack:${this.slack.team}:${platformUserId}`;
          landsIn = this.slack.dmChannelOf(platformUserId);
        } else if (platform === 'discord') {
          platformUserId = this.discord.user(name).id as string;
          dmRef = `discord:dm:${platformUserId}`;
          landsIn = this.discord.dmChannelId(platformUserId);
        } else if (platform === 'teams') {
          platformUserId = `29:${platform}-${i}`;
          dmRef = `teams:dm:${platformUserId}`;
          landsIn = `a:personal-${i}`;
        } else {
          platformUserId = personId;
          dmRef = `web:${personId}`;
          landsIn = dmRef;
        }
        members.push({ personId, platform, dmRef, landsIn, platformUserId, name } as Member & { platformUserId: string; name: string });
      }
    }
    const all = members as (Member & { platformUserId: string; name: string })[];
    await db.person.createMany({ data: all.map((m) => ({ id: m.personId, displayName: m.name })) });
    await db.account.createMany({ data: all.map((m) => ({ personId: m.personId, platform: m.platform, platformUserId: m.platformUserId, displayName: m.name, dmRef: m.dmRef })) });
    await db.membership.createMany({ data: all.map((m) => ({ personId: m.personId, forumId: forum.id, status: 'ACTIVE' as const, roles: ['MEMBER' as const], dmOptIn: true })) });
    await db.teamsConversation.createMany({
      data: all.filter((m) => m.platform === 'teams').map((m) => ({ ref: m.dmRef, conversationId: m.landsIn, conversationType: 'personal', serviceUrl: this.teams.url, botId: TEAMS_BOT, userId: m.platformUserId })),
    });
    this.members = members;
  }

  /**
   * Starts `bin/forumbot.js start` and waits until its /health answers (a first PostgreSQL
   * connection that times out on a loaded machine is tried again by the bot itself).
   */
  async startBot(name: string, env: Record<string, string> = {}): Promise<BotProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/forumbot.js', 'start'], { cwd: root, env: { ...this.env, PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean)));
    child.stderr!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      log.push(...lines);
    });
    const bot: BotProcess = { name, child, port, log, exited: Promise.resolve(null), stopping: false };
    bot.exited = new Promise<number | null>((r) =>
      child.once('exit', (code, signal) => {
        // a bot that dies on its own (not killed or stopped by the test) says why, in the test's output
        if (!bot.stopping) console.error(`[fault] bot ${name} exited by itself (code ${code}, signal ${signal}); its last log lines:\n${log.slice(-40).join('\n')}`);
        r(code);
      }),
    );
    this.bots.set(name, bot);
    for (let i = 0; i < 1_200; i++) {
      if (child.exitCode !== null) {
        this.bots.delete(name);
        throw new Error(`bot ${name} exited at start (${child.exitCode}):\n${log.join('\n')}`);
      }
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (ok) return bot;
      await sleep(100);
    }
    bot.stopping = true;
    child.kill('SIGKILL');
    this.bots.delete(name);
    throw new Error(`bot ${name} did not start:\n${log.join('\n')}`);
  }

  /** SIGKILL: no handing back, no last writes. */
  async kill(name: string): Promise<void> {
    const bot = this.bots.get(name)!;
    bot.stopping = true;
    bot.child.kill('SIGKILL');
    await bot.exited;
    this.bots.delete(name);
  }

  async stopAll(): Promise<void> {
    for (const bot of this.bots.values()) {
      bot.stopping = true;
      if (bot.child.exitCode === null) bot.child.kill('SIGTERM');
    }
    await Promise.all([...this.bots.values()].map((b) => Promise.race([b.exited, sleep(10_000).then(() => b.child.kill('SIGKILL'))])));
    this.bots.clear();
  }

  async close(): Promise<void> {
    await this.stopAll();
    await this.slack.close();
    await this.discord?.close();
    await this.teams.stop();
    await this.proxy?.close();
    await this.database?.close();
  }

  /** Where the stand-ins stand now: posts after these marks belong to what follows. */
  mark() {
    return { slack: this.slack.calls.length, discord: this.discord.messages.length, teams: this.teams.activities.length, at: new Date() };
  }

  /**
   * What the stand-ins received since a mark, by delivery where the platform carries its id
   * (Slack: message metadata; Discord: the nonce; web: the inbox key), by conversation for Teams
   * (nothing in a Teams post names its delivery).
   */
  async received(since: ReturnType<Fleet['mark']>, deliveryIds: string[]) {
    const byDelivery = new Map<string, number>();
    const add = (k: string) => byDelivery.set(k, (byDelivery.get(k) ?? 0) + 1);
    const byNonce = new Map(deliveryIds.map((id) => [nonceFor(id, 0), id]));
    let stray = 0;
    for (const c of this.slack.since(since.slack)) {
      if (c.method !== 'chat.postMessage') continue;
      const meta = (typeof c.body.metadata === 'string' ? JSON.parse(c.body.metadata) : c.body.metadata) as { event_payload?: { delivery?: string; part?: number } } | undefined;
      if (meta?.event_payload?.delivery && !meta.event_payload.part) add(meta.event_payload.delivery);
      else if (!meta?.event_payload?.delivery) stray++;
    }
    for (const m of this.discord.messages.slice(since.discord)) {
      if (m.via !== 'channel') continue;
      const id = m.nonce && byNonce.get(m.nonce);
      if (id) add(id);
      else if (!m.nonce) stray++;
    }
    const web = await this.db.webInbox.findMany({ where: { createdAt: { gte: since.at }, idempotencyKey: { in: deliveryIds } }, select: { idempotencyKey: true } });
    for (const w of web) add(w.idempotencyKey!);
    const teams = new Map<string, number>();
    for (const a of this.teams.activities.slice(since.teams)) if (a.method === 'POST') teams.set(a.conversationId, (teams.get(a.conversationId) ?? 0) + 1);
    return { byDelivery, teams, stray };
  }

  /** Waits until no delivery of these broadcasts is left to do (or the time runs out). */
  async settled(broadcastIds: string[], timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const open = await this.db.delivery.count({ where: { broadcastId: { in: broadcastIds }, status: { in: ['PENDING', 'SENDING'] } } });
      if (open === 0) return;
      if (Date.now() > until) {
        // what is left, by platform, state and last error, to say why
        const rows = await this.db.delivery.findMany({ where: { broadcastId: { in: broadcastIds }, status: { in: ['PENDING', 'SENDING'] } }, select: { target: true, status: true, attempts: true, lastError: true, nextAttemptAt: true } });
        const by = new Map<string, number>();
        for (const r of rows) {
          const k = `${r.target.split(':')[0]} ${r.status} attempts ${r.attempts} next in ${Math.round((r.nextAttemptAt.getTime() - Date.now()) / 1000)} s: ${r.lastError ?? '-'}`;
          by.set(k, (by.get(k) ?? 0) + 1);
        }
        throw new Error(`${open} deliveries still open after ${timeoutMs} ms:\n${[...by].map(([k, n]) => `${n} × ${k}`).slice(0, 20).join('\n')}`);
      }
      await sleep(250);
    }
  }

  /** Where a delivery target's posts land on its stand-in. */
  landsIn(target: string): string {
    const m = this.members.find((x) => x.dmRef === target) ?? this.channels.find((c) => c.ref === target);
    if (!m) throw new Error(`unknown target ${target}`);
    return m.landsIn;
  }

  /**
   * The count: for each delivery of these broadcasts, what its platform received. Sent means the
   * database marked it sent; lost, a delivery not received (or never marked sent); doubled, posts
   * beyond one. Teams is counted per conversation: posts beyond the deliveries sent there are
   * doubles, deliveries beyond the posts are losses.
   */
  async tally(scenario: string, broadcastIds: string[], since: ReturnType<Fleet['mark']>): Promise<Tally> {
    const rows = await this.db.delivery.findMany({ where: { broadcastId: { in: broadcastIds } }, select: { id: true, target: true, status: true } });
    const got = await this.received(since, rows.map((r) => r.id));
    const t: Tally = { scenario, deliveries: rows.length, sent: 0, received: {}, lost: {}, doubled: {} };
    const bump = (r: Record<string, number>, platform: string, n: number) => (r[platform] = (r[platform] ?? 0) + n);
    const teamsExpected = new Map<string, number>();
    for (const r of rows) {
      const platform = r.target.split(':')[0];
      if (r.status === 'SENT') t.sent++;
      if (platform === 'teams') {
        const where = this.landsIn(r.target);
        teamsExpected.set(where, (teamsExpected.get(where) ?? 0) + 1);
        if (r.status !== 'SENT') bump(t.lost, platform, 1);
        continue;
      }
      const n = got.byDelivery.get(r.id) ?? 0;
      bump(t.received, platform, n);
      bump(t.lost, platform, n === 0 || r.status !== 'SENT' ? 1 : 0);
      bump(t.doubled, platform, Math.max(0, n - 1));
    }
    for (const [where, expected] of teamsExpected) {
      const n = got.teams.get(where) ?? 0;
      got.teams.delete(where);
      bump(t.received, 'teams', n);
      bump(t.lost, 'teams', Math.max(0, expected - n));
      bump(t.doubled, 'teams', Math.max(0, n - expected));
    }
    // posts nobody asked for: to a Teams conversation with no delivery, or with no delivery id at all
    const stray = got.stray + [...got.teams.values()].reduce((a, b) => a + b, 0);
    if (stray) t.doubled.stray = stray;
    for (const p of ['slack', 'discord', 'teams', 'web']) for (const r of [t.received, t.lost, t.doubled]) r[p] ??= 0;
    return t;
  }

  /** How many deliveries the bots' logs say were taken over from a stopped instance. */
  takeovers(): number {
    let n = 0;
    for (const bot of this.bots.values()) for (const line of bot.log) if (line.includes('deliveries taken over')) n += Number(/"count":(\d+)/.exec(line)?.[1] ?? 0);
    return n;
  }
}

export interface Tally {
  scenario: string;
  deliveries: number;
  sent: number;
  received: Record<string, number>;
  lost: Record<string, number>;
  doubled: Record<string, number>;
  note?: string;
}

export function printTally(t: Tally): void {
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const per = (r: Record<string, number>) => ['slack', 'discord', 'teams', 'web'].map((p) => `${p} ${r[p] ?? 0}`).join(', ');
  console.log(
    `[fault] ${t.scenario}: deliveries ${t.deliveries}, sent ${t.sent}; received ${per(t.received)}; lost ${sum(t.lost)} (${per(t.lost)}); doubled ${sum(t.doubled)} (${per(t.doubled)})${t.note ? `; ${t.note}` : ''}`,
  );
}
