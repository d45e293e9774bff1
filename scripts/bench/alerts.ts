/**
 * bench:alerts: one tender alert matched against every subscription of a forum and sent to
 * 10,000 subscribers (channels and direct messages) through the real BroadcastService, against
 * a platform stand-in that allows 1 message a second per conversation and 50 a second overall,
 * answering a 429 (DeliveryError with retryAfterMs) beyond that. The baseline is the rate-limit
 * floor: the least time the stand-in lets 10,000 messages through. On the embedded database
 * and, with DATABASE_URL set, on PostgreSQL. ALERTS_N=… changes the size (for a quick try).
 */
import crypto from 'node:crypto';
import { createApp } from '../../src/app.ts';
import { DeliveryError, type Capabilities, type ChatAdapter } from '../../src/core/adapter.ts';
import { createLogger, silentLogger } from '../../src/core/logger.ts';
import type { OutgoingMessage } from '../../src/core/messages.ts';
import { openDatabase, type Db } from '../../src/db/client.ts';
import { postAlert } from '../../src/features/tenders/tenders.service.ts';
import { testDatabase } from '../../test/support/database.ts';
import { report, round, type Row } from './stats.ts';

const N = Number(process.env.ALERTS_N ?? 10_000);
const CHANNELS = Math.max(1, Math.round(N / 100)); // 1% channels, the rest direct messages
const NON_MATCHING = Math.round(N / 5); // subscribers whose filters do not match: matched, not sent
const GLOBAL_PER_SEC = 50;
const PER_CONVERSATION_PER_SEC = 1;
const rows: Row[] = [];

/** A platform that enforces its limits the way Discord and Slack do: a 429 with retry-after. */
class RateLimitedPlatform implements ChatAdapter {
  readonly name = 'bench';
  readonly capabilities: Capabilities = { buttons: true, selects: true, forms: true, ballots: true, ephemeral: true, direct: true };
  private readonly window: number[] = []; // times of accepted sends in the last second
  private readonly lastTo = new Map<string, number[]>();
  readonly received = new Map<string, number>();
  accepted = 0;
  throttled = 0;
  firstAt = 0;
  lastAt = 0;

  async start() {}
  async stop() {}

  reset() {
    this.window.length = 0;
    this.lastTo.clear();
    this.received.clear();
    this.accepted = this.throttled = 0;
  }

  async send(to: string, _m: OutgoingMessage) {
    const now = performance.now();
    while (this.window.length && this.window[0] <= now - 1000) this.window.shift();
    const mine = (this.lastTo.get(to) ?? []).filter((t) => t > now - 1000);
    if (this.window.length >= GLOBAL_PER_SEC) {
      this.throttled++;
      throw new DeliveryError('429 global rate limit', Math.max(1, Math.ceil(this.window[0] + 1000 - now)));
    }
    if (mine.length >= PER_CONVERSATION_PER_SEC) {
      this.throttled++;
      throw new DeliveryError('429 channel rate limit', Math.max(1, Math.ceil(mine[0] + 1000 - now)));
    }
    this.window.push(now);
    mine.push(now);
    this.lastTo.set(to, mine);
    this.received.set(to, (this.received.get(to) ?? 0) + 1);
    if (this.accepted++ === 0) this.firstAt = now;
    this.lastAt = now;
  }
}

async function seed(db: Db, forumId: string) {
  const chunk = 2_000;
  await db.channel.createMany({ data: Array.from({ length: CHANNELS }, (_, i) => ({ forumId, ref: `bench:channel:${i}`, mode: 'IMMEDIATE' as const })) });
  // channels 0..9 narrow to a theme the alert lacks: they are matched and skipped
  await db.tenderSubscription.createMany({ data: Array.from({ length: Math.min(10, CHANNELS) }, (_, i) => ({ forumId, channelRef: `bench:channel:${i}`, themes: ['housing'] })) });
  const matchingPeople = N - (CHANNELS - Math.min(10, CHANNELS));
  const total = matchingPeople + NON_MATCHING;
  for (let start = 0; start < total; start += chunk) {
    const ids = Array.from({ length: Math.min(chunk, total - start) }, () => crypto.randomUUID());
    await db.person.createMany({ data: ids.map((id, j) => ({ id, displayName: `member ${start + j}` })) });
    await db.account.createMany({ data: ids.map((id, j) => ({ personId: id, platform: 'bench', platformUserId: `u${start + j}`, displayName: `member ${start + j}`, dmRef: `bench:dm:${start + j}` })) });
    await db.membership.createMany({ data: ids.map((id) => ({ personId: id, forumId, status: 'ACTIVE' as const, roles: ['MEMBER' as const] })) });
    await db.tenderSubscription.createMany({
      data: ids.map((id, j) => {
        const k = start + j;
        if (k >= matchingPeople) return { forumId, personId: id, themes: ['youth'], valueBands: ['under-5k'] };
        const variant = k % 4;
        return variant === 0
          ? { forumId, personId: id, themes: ['health'] }
          : variant === 1
            ? { forumId, personId: id, valueBands: ['25k-100k', 'over-100k'] }
            : variant === 2
              ? { forumId, personId: id, keywords: ['respite', 'care'] }
              : { forumId, personId: id, areas: ['powys'], themes: ['older people', 'health'] };
      }),
    });
  }
  return { channelsSent: CHANNELS - Math.min(10, CHANNELS), peopleSent: matchingPeople };
}

async function benchOn(kind: 'pglite' | 'postgres') {
  const database = kind === 'pglite' ? await openDatabase({ dataDir: 'memory://' }) : await testDatabase();
  const db = database.prisma;
  const forum = await db.forum.create({ data: { slug: 'bench', name: 'Bench Forum', cvcName: 'Bench CVC' } });
  const expected = await seed(db, forum.id);
  const platform = new RateLimitedPlatform();
  const app = createApp({ db, adapters: [platform], log: process.env.ALERTS_LOG ? createLogger('warn') : silentLogger });
  app.services.broadcasts.start(250);
  // warm up every path (query plans, the embedded database's first queries) on a small forum
  const warm = await db.forum.create({ data: { slug: 'warm', name: 'Warm-up', cvcName: 'Bench CVC' } });
  await db.channel.createMany({ data: Array.from({ length: 5 }, (_, i) => ({ forumId: warm.id, ref: `bench:warm:${i}` })) });
  await postAlert(app.services, warm.id, { title: 'Warm-up', deadline: new Date(Date.now() + 86_400_000) }, null);
  while (platform.accepted < 5) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 1_100)); // let the platform's window empty
  platform.reset();

  const t0 = performance.now();
  const { recipients } = await postAlert(
    app.services,
    forum.id,
    {
      title: 'Carers respite service', buyer: 'Powys Teaching Health Board', description: 'Short breaks for unpaid carers across the county.',
      valueAmount: 60_000, minValueAmount: 30_000, deadline: new Date(Date.now() + 30 * 24 * 3600_000), themes: ['health', 'older people'], areas: ['powys'],
    },
    null,
  );
  const queued = performance.now();
  if (recipients.channels.length !== expected.channelsSent || recipients.people.length !== expected.peopleSent) {
    throw new Error(`matched ${recipients.channels.length} channels and ${recipients.people.length} people, expected ${expected.channelsSent} and ${expected.peopleSent}`);
  }
  while (platform.accepted < N) {
    await new Promise((r) => setTimeout(r, 20));
    if (process.env.ALERTS_TRACE) process.stdout.write(`\r${round((performance.now() - t0) / 1000, 1)} s: ${platform.accepted} sent, ${platform.throttled} throttled `);
    if (performance.now() - t0 > 3_000 * N / GLOBAL_PER_SEC + 60_000) throw new Error(`stalled at ${platform.accepted} of ${N}`);
  }
  const done = platform.lastAt;
  await app.services.broadcasts.stop();
  await app.services.broadcasts.idle();
  const twice = [...platform.received.values()].filter((c) => c > 1).length;
  if (platform.received.size !== N || twice) {
    const dups = [...platform.received].filter(([, c]) => c > 1).map(([t]) => t);
    console.error(await db.delivery.findMany({ where: { target: { in: dups } } }));
    throw new Error(`${platform.received.size} targets reached, ${twice} twice`);
  }
  const failed = await db.delivery.count({ where: { status: { not: 'SENT' } } });
  if (failed) throw new Error(`${failed} deliveries not marked sent`);

  const total = (done - t0) / 1000;
  const floor = (Math.ceil(N / GLOBAL_PER_SEC) - 1) / 1; // seconds: a full window of 50 per second after the first
  console.log(
    `${kind}: matched and queued in ${round((queued - t0) / 1000, 2)} s; last message at ${round(total, 2)} s; floor ${floor} s; ${platform.throttled} sends answered 429`,
  );
  rows.push(
    {
      case: `one alert matched and sent to ${N.toLocaleString('en-GB')} subscribers (${expected.channelsSent} channels, ${expected.peopleSent} DMs), 50/s overall, 1/s per channel`,
      db: kind, unit: 's', better: 'lower', value: round(total, 2), baseline: floor, baselineName: 'the rate-limit floor of the stand-in',
    },
    {
      case: `matching ${N + NON_MATCHING + 10} subscriptions and queueing ${N} deliveries`,
      db: kind, unit: 's', better: 'lower', value: round((queued - t0) / 1000, 2), baseline: null, baselineName: null,
    },
  );
  await database.close();
}

await benchOn('pglite');
if (process.env.DATABASE_URL) await benchOn('postgres');
report('alerts', rows);
