import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { testDatabase } from '../../test/support/database.ts';
import { FakeAdapter } from '../../test/support/fake-adapter.ts';
import { silentLogger } from './logger.ts';
import { DeliveryError, type ChatAdapter } from './adapter.ts';
import type { OutgoingMessage } from './messages.ts';

let database: Awaited<ReturnType<typeof testDatabase>>;
let forumId: string;
const clock = { now: new Date('2026-11-22T10:00:00Z') };

beforeAll(async () => {
  database = await testDatabase();
  const db = database.prisma;
  const forum = await db.forum.create({ data: { slug: 'b', name: 'B', cvcName: 'B CVC' } });
  forumId = forum.id;
  for (let i = 0; i < 20; i++) await db.channel.create({ data: { forumId, ref: `fake:channel:${i}` } });
  for (let i = 0; i < 30; i++) {
    const p = await db.person.create({ data: { displayName: `m${i}`, accounts: { create: { platform: 'fake', platformUserId: `m${i}`, displayName: `m${i}`, dmRef: `fake:dm:m${i}` } } } });
    await db.membership.create({ data: { personId: p.id, forumId, status: 'ACTIVE', roles: ['MEMBER'], dmOptIn: i % 3 !== 0 } });
  }
});
afterAll(async () => database?.close());

/** The platform both "processes" talk to: it records every message it receives, with no dedupe. */
class Platform {
  received: string[] = [];
}

class CrashingAdapter implements ChatAdapter {
  readonly name = 'fake';
  readonly capabilities = { buttons: true, selects: true, forms: true, ballots: true, ephemeral: true, direct: true };
  sends = 0;
  private reachedHang!: () => void;
  /** settles when the send that never returns has begun */
  readonly hung = new Promise<void>((resolve) => (this.reachedHang = resolve));
  constructor(private readonly platform: Platform, private readonly hangAt = Infinity) {}
  async start() {}
  async stop() {}
  async send(to: string, _m: OutgoingMessage) {
    if (++this.sends === this.hangAt) {
      this.reachedHang();
      return new Promise<void>(() => {}); // the process dies mid-send
    }
    this.platform.received.push(to);
  }
}

describe('broadcasts', () => {
  it('a restart in the middle of a broadcast: nobody gets it twice, nobody is skipped', async () => {
    const platform = new Platform();
    const crashing = new CrashingAdapter(platform, 15);
    const first = createApp({ db: database.prisma, adapters: [crashing], log: silentLogger, now: () => clock.now, delivery: { concurrency: 1, leaseMs: 30_000 } });
    await first.services.broadcasts.broadcast(forumId, 'test', (t) => ({ text: t('forums.yes') }), { dedupeKey: 'restart-test' });
    await crashing.hung; // the first process has sent 14, hangs on the 15th, and "dies"
    expect(platform.received).toHaveLength(14);

    clock.now = new Date(clock.now.getTime() + 60_000); // the lease of the lost send has run out
    const second = createApp({ db: database.prisma, adapters: [new CrashingAdapter(platform)], log: silentLogger, now: () => clock.now });
    await second.services.broadcasts.deliverDue();
    const expected = 20 + 20; // channels + members who opted in
    expect(platform.received).toHaveLength(expected);
    expect(new Set(platform.received).size).toBe(expected);
    // the same broadcast asked for again (a re-run job) creates nothing new
    await second.services.broadcasts.broadcast(forumId, 'test', (t) => ({ text: t('forums.yes') }), { dedupeKey: 'restart-test' });
    await second.services.broadcasts.deliverDue();
    expect(platform.received).toHaveLength(expected);
  });

  it('a live instance renews its leases so nobody takes its work; a dead one is taken over within a lease, counted and logged', async () => {
    const platform = new Platform();
    const slow = new CrashingAdapter(platform, 1); // its first send never returns: slow, then dead
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (msg: string) => void warnings.push(msg) };
    const a = createApp({ db: database.prisma, adapters: [slow], log: silentLogger, now: () => clock.now, delivery: { concurrency: 1, leaseMs: 15_000 } });
    const b = createApp({ db: database.prisma, adapters: [new CrashingAdapter(platform)], log, now: () => clock.now, delivery: { concurrency: 1, leaseMs: 15_000 } });
    const person = await database.prisma.person.findFirstOrThrow({ where: { displayName: 'm2' } });
    await a.services.broadcasts.broadcast(forumId, 'test', () => ({ text: 'lease' }), { onlyPeople: [person.id] });
    await slow.hung; // A holds the row and is still sending
    for (let i = 0; i < 4; i++) {
      clock.now = new Date(clock.now.getTime() + 10_000); // 40 s in all, well past one lease
      await a.services.broadcasts.renewLeases(); // A's heartbeat
      await b.services.broadcasts.deliverDue();
      expect(platform.received).toHaveLength(0); // B leaves it alone while A renews
    }
    // A dies: no more renewals. Within one lease B takes it over, once
    clock.now = new Date(clock.now.getTime() + 15_001);
    await b.services.broadcasts.deliverDue();
    expect(platform.received).toEqual(['fake:dm:m2']);
    expect(b.services.broadcasts.takenOver).toBe(1);
    expect(warnings).toContain('deliveries taken over from an instance that stopped');
  });

  it('stopping finishes the sends begun and hands back the rest at once, so a restart waits for no lease', async () => {
    const platform = new Platform();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const gated: ChatAdapter = {
      name: 'fake', capabilities: new CrashingAdapter(platform).capabilities, start: async () => {}, stop: async () => {},
      send: async (to: string) => {
        await gate;
        platform.received.push(to);
      },
    };
    const app = createApp({ db: database.prisma, adapters: [gated], log: silentLogger, now: () => clock.now, delivery: { concurrency: 2 } });
    const id = await app.services.broadcasts.broadcast(forumId, 'test', () => ({ text: 'stop' }), { dedupeKey: 'stop-test' });
    await new Promise((r) => setTimeout(r, 200)); // two sends begun, the rest claimed and queued
    const stopped = app.services.broadcasts.stop();
    release();
    await stopped;
    const rows = await database.prisma.delivery.findMany({ where: { broadcastId: id } });
    expect(rows.filter((r) => r.status === 'SENT')).toHaveLength(2);
    expect(platform.received).toHaveLength(2);
    expect(rows.filter((r) => r.status === 'SENDING')).toHaveLength(0); // nothing left to a lease
    expect(rows.filter((r) => r.status === 'PENDING').every((r) => r.attempts === 0)).toBe(true);
    await database.prisma.delivery.deleteMany({ where: { broadcastId: id } }); // the other tests share this forum
  });

  it('retries failures with backoff and honours retry-after', async () => {
    const adapter = new FakeAdapter();
    const app = createApp({ db: database.prisma, adapters: [adapter], log: silentLogger, now: () => clock.now, delivery: { baseBackoffMs: 1_000 } });
    adapter.failNext = 1;
    adapter.failWith = () => new DeliveryError('429 too many requests', 5_000);
    const id = await app.services.broadcasts.broadcast(forumId, 'test', () => ({ text: 'hello' }), { onlyPeople: [(await database.prisma.person.findFirstOrThrow({ where: { displayName: 'm1' } })).id] });
    await app.services.broadcasts.idle(); // the first attempt, started by broadcast(), meets the 429
    await app.services.broadcasts.deliverDue();
    expect(adapter.sent).toHaveLength(0);
    const d = await database.prisma.delivery.findFirstOrThrow({ where: { broadcastId: id } });
    expect(d.status).toBe('PENDING');
    expect(d.nextAttemptAt.getTime() - clock.now.getTime()).toBe(5_000);
    clock.now = new Date(clock.now.getTime() + 4_000);
    await app.services.broadcasts.deliverDue();
    expect(adapter.sent).toHaveLength(0);
    clock.now = new Date(clock.now.getTime() + 1_000);
    await app.services.broadcasts.deliverDue();
    expect(adapter.to('fake:dm:m1')).toEqual(['hello']);
  });

  it('gives up after the last attempt, records it, and never drops it silently', async () => {
    const adapter = new FakeAdapter();
    const app = createApp({ db: database.prisma, adapters: [adapter], log: silentLogger, now: () => clock.now, delivery: { baseBackoffMs: 1, maxAttempts: 3 } });
    adapter.failNext = 3;
    const id = await app.services.broadcasts.broadcast(forumId, 'test', () => ({ text: 'x' }), { onlyPeople: [(await database.prisma.person.findFirstOrThrow({ where: { displayName: 'm2' } })).id] });
    await app.services.broadcasts.idle(); // attempt 1, started by broadcast()
    for (let i = 0; i < 2; i++) {
      clock.now = new Date(clock.now.getTime() + 10_000);
      await app.services.broadcasts.deliverDue();
    }
    const d = await database.prisma.delivery.findFirstOrThrow({ where: { broadcastId: id } });
    expect([d.status, d.attempts, d.lastError]).toEqual(['FAILED', 3, 'platform 500']);
  });
});

/** A platform that allows `perSecond` sends a second and answers a 429 with retry-after beyond that. */
class ThrottlingAdapter implements ChatAdapter {
  readonly name = 'fake';
  readonly capabilities = { buttons: true, selects: true, forms: true, ballots: true, ephemeral: true, direct: true };
  readonly received: string[] = [];
  throttled = 0;
  private readonly window: number[] = [];
  constructor(private readonly perSecond: number) {}
  async start() {}
  async stop() {}
  async send(to: string) {
    const now = Date.now();
    while (this.window.length && this.window[0] <= now - 1000) this.window.shift();
    if (this.window.length >= this.perSecond) {
      this.throttled++;
      throw new DeliveryError('429', this.window[0] + 1000 - now);
    }
    this.window.push(now);
    this.received.push(to);
  }
}

describe('pacing', () => {
  it('waits out a platform’s short slow-downs in place: everyone once, no attempt counted', async () => {
    const adapter = new ThrottlingAdapter(10);
    const app = createApp({ db: database.prisma, adapters: [adapter], log: silentLogger, now: () => clock.now });
    const people = (await database.prisma.person.findMany({ where: { displayName: { in: ['m4', 'm5', 'm7', 'm8', 'm10'] } } })).map((p) => p.id);
    const channels = Array.from({ length: 15 }, (_, i) => `fake:channel:${i}`);
    const id = await app.services.broadcasts.broadcast(forumId, 'test', () => ({ text: 'paced' }), { onlyPeople: people, onlyChannels: channels });
    await app.services.broadcasts.idle();
    expect(adapter.throttled).toBeGreaterThan(0);
    expect(adapter.received).toHaveLength(20);
    expect(new Set(adapter.received).size).toBe(20);
    const rows = await database.prisma.delivery.findMany({ where: { broadcastId: id } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(Array.from({ length: 20 }, () => ['SENT', 1]));
  });
});
