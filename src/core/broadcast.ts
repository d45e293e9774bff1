import type { Db, Tx } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { AdapterSet, DeliveryError } from './adapter.ts';
import { platformOf } from './events.ts';
import { isLocale, type I18n, type Locale, type Translate } from './i18n.ts';
import type { Logger } from './logger.ts';
import type { OutgoingMessage } from './messages.ts';

/** Builds a message in one language; called once per language a broadcast needs. */
export type Render = (t: Translate, locale: Locale) => OutgoingMessage;

export interface BroadcastOptions {
  /** a feature's key making the broadcast happen once, e.g. "election:E1:opened" */
  dedupeKey?: string;
  /** also send to members who opted in to direct messages (default true) */
  includeDirect?: boolean;
  /** include channels set to the weekly digest (default false: they get the digest instead) */
  includeDigestChannels?: boolean;
  /** send only to these people privately, not to channels (unless `onlyChannels` names some) */
  onlyPeople?: string[];
  /** only channels in this mode, e.g. 'DIGEST' for the weekly digest itself (overrides includeDigestChannels) */
  channelMode?: 'IMMEDIATE' | 'DIGEST';
  /** send only to these of the forum's channels (refs), whatever their mode: a feature chose them */
  onlyChannels?: string[];
  /**
   * Record the broadcast in the caller's transaction, with the change it announces: both are
   * committed or neither, so an instance dying in between loses no announcement. Delivery starts
   * at the next pass after the commit (within a second).
   */
  tx?: Tx;
}

interface ClaimedDelivery {
  id: string;
  target: string;
  locale: string;
  attempts: number;
  message: unknown;
  /** when the broadcast was recorded: no earlier post can be this delivery */
  queuedAt: Date;
  /** wall-clock ms when this process claimed it */
  claimedAt: number;
  /** wall-clock ms when this process last claimed or renewed its lease */
  renewedAt: number;
  /** the lease this process holds: its writes apply only while the row is still under it */
  leaseUntil: Date;
}

interface DeliveryTarget {
  target: string;
  locale: Locale;
}

export interface DeliveryTuning {
  leaseMs: number;
  maxAttempts: number;
  baseBackoffMs: number;
  concurrency: number;
  /**
   * A platform's "slow down" (a DeliveryError with retryAfterMs) up to this long is waited out
   * in place: the platform's sends pause, then the same claimed row is sent again, with no
   * attempt counted. A longer wait releases the row to be retried later.
   */
  maxInlineWaitMs: number;
}

const defaults: DeliveryTuning = { leaseMs: 15_000, maxAttempts: 12, baseBackoffMs: 1_000, concurrency: 64, maxInlineWaitMs: 2_000 };
const CREATE_CHUNK = 5_000;

/**
 * Sends a message to all of a forum's channels and opted-in members. Every delivery is a row:
 * claimed with a lease before sending and marked sent after, and sent with its row id as the
 * idempotency key, so a retry or a restart neither skips nor repeats anyone.
 */
export class BroadcastService {
  private readonly tuning: DeliveryTuning;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  /** per platform, the wall-clock time (ms) before which it asked us not to send */
  private readonly pausedUntil = new Map<string, number>();
  private readonly sentMarks: { id: string; resolve(): void; reject(err: unknown): void }[] = [];
  private writingMarks = false;
  /** every row this process has claimed and not yet marked or handed back: its leases are renewed */
  private readonly held = new Map<string, ClaimedDelivery>();
  private heartbeat: NodeJS.Timeout | undefined;
  /** deliveries this process took over from an instance that stopped before finishing them */
  takenOver = 0;
  private stopping = false;

  constructor(
    private readonly db: Db,
    private readonly adapters: AdapterSet,
    private readonly i18n: I18n,
    private readonly log: Logger,
    private readonly now: () => Date,
    tuning: Partial<DeliveryTuning> = {},
  ) {
    this.tuning = { ...defaults, ...tuning };
  }

  /** Records a broadcast and its deliveries in one transaction (or the caller's), then starts delivering. */
  async broadcast(forumId: string, kind: string, render: Render, options: BroadcastOptions = {}): Promise<string> {
    const db = options.tx ?? this.db;
    if (options.dedupeKey) {
      const existing = await db.broadcast.findUnique({ where: { dedupeKey: options.dedupeKey } });
      if (existing) return existing.id;
    }
    const forum = await db.forum.findUniqueOrThrow({ where: { id: forumId } });
    const targets = await this.targets(db, forumId, forum.defaultLocale as Locale, options);
    const message = {
      en: render(this.i18n.translator('en'), 'en'),
      cy: render(this.i18n.translator('cy'), 'cy'),
    } as unknown as Prisma.InputJsonValue;
    const record = async (tx: Tx) => {
      const b = await tx.broadcast.create({ data: { forumId, kind, message, dedupeKey: options.dedupeKey ?? null } });
      // one JSON parameter per chunk: a 20,000-member forum is a few statements, not 20,000 rows of parameters
      const now = this.now();
      for (let i = 0; i < targets.length; i += CREATE_CHUNK) {
        const chunk = JSON.stringify(targets.slice(i, i + CREATE_CHUNK));
        await tx.$executeRaw`
          INSERT INTO "Delivery" (id, "broadcastId", target, locale, "nextAttemptAt")
          SELECT gen_random_uuid()::text, ${b.id}, x.target, x.locale, ${now}
          FROM jsonb_to_recordset(${chunk}::jsonb) AS x(target text, locale text)
          ON CONFLICT ("broadcastId", target) DO NOTHING`;
      }
      return b.id;
    };
    // in the caller's transaction: its commit makes the deliveries due, and the next pass sends them
    if (options.tx) return record(options.tx);
    let id: string;
    try {
      id = await this.db.$transaction(record);
    } catch (err) {
      // the same dedupe key raced in from another instance: that one stands
      const existing = options.dedupeKey && (await this.db.broadcast.findUnique({ where: { dedupeKey: options.dedupeKey } }));
      if (existing) return existing.id;
      throw err;
    }
    this.kick();
    return id;
  }

  private async targets(db: Tx, forumId: string, forumLocale: Locale, options: BroadcastOptions): Promise<DeliveryTarget[]> {
    const out = new Map<string, DeliveryTarget>();
    if (options.onlyChannels) {
      const channels = await db.channel.findMany({ where: { forumId, ref: { in: options.onlyChannels } } });
      for (const c of channels) out.set(c.ref, { target: c.ref, locale: forumLocale });
    } else if (!options.onlyPeople) {
      const channels = await db.channel.findMany({
        where: { forumId, ...(options.channelMode ? { mode: options.channelMode } : options.includeDigestChannels ? {} : { mode: 'IMMEDIATE' }) },
      });
      for (const c of channels) out.set(c.ref, { target: c.ref, locale: forumLocale });
    }
    if (options.onlyPeople || options.includeDirect !== false) {
      // each person's accounts that can be reached privately, oldest first
      const rows = options.onlyPeople
        ? await db.$queryRaw<{ personId: string; locale: string | null; platform: string; dmRef: string }[]>`
            SELECT p.id AS "personId", p.locale, a.platform, a."dmRef"
            FROM "Person" p JOIN "Account" a ON a."personId" = p.id
            WHERE p.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(options.onlyPeople)}::jsonb)) AND a."dmRef" IS NOT NULL
            ORDER BY p.id, a."createdAt", a.id`
        : await db.$queryRaw<{ personId: string; locale: string | null; platform: string; dmRef: string }[]>`
            SELECT p.id AS "personId", p.locale, a.platform, a."dmRef"
            FROM "Person" p JOIN "Account" a ON a."personId" = p.id
            WHERE a."dmRef" IS NOT NULL AND EXISTS (
              SELECT 1 FROM "Membership" m WHERE m."personId" = p.id AND m."forumId" = ${forumId} AND m.status = 'ACTIVE' AND m."dmOptIn")
            ORDER BY p.id, a."createdAt", a.id`;
      const byPerson = new Map<string, typeof rows>();
      for (const r of rows) byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r]);
      for (const accounts of byPerson.values()) {
        // the oldest account on a platform this instance runs, else the oldest
        const account = accounts.find((a) => this.adapters.get(a.platform)) ?? accounts[0];
        out.set(account.dmRef, { target: account.dmRef, locale: (account.locale as Locale) ?? forumLocale });
      }
    }
    return [...out.values()];
  }

  /** Starts a background loop that delivers due messages (retries included). */
  start(intervalMs = 1_000): void {
    this.timer ??= setInterval(() => this.kick(), intervalMs);
    // leases are short so a dead instance's work is taken over in seconds; a live one renews its own
    this.heartbeat ??= setInterval(() => void this.renewLeases().catch((err) => this.log.warn('lease renewal failed', { error: String(err) })), this.tuning.leaseMs / 3);
    this.kick();
  }

  /**
   * Stops delivering: sends already begun finish and are marked; rows claimed but not begun are
   * handed back at once, so a restart or a deploy never waits for a lease to run out.
   */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopping = true;
    await this.running;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /**
   * Extends the lease of every row this process holds, while it still holds it (the lease it
   * knows is the one in the row); a row whose lease another instance has taken is left alone.
   */
  async renewLeases(): Promise<void> {
    const byLease = new Map<number, ClaimedDelivery[]>();
    for (const d of this.held.values()) {
      const group = byLease.get(d.leaseUntil.getTime()) ?? [];
      group.push(d);
      byLease.set(d.leaseUntil.getTime(), group);
    }
    for (const [old, rows] of byLease) {
      const renewed = new Date(this.now().getTime() + this.tuning.leaseMs);
      const kept = await this.db.$queryRaw<{ id: string }[]>`
        UPDATE "Delivery" SET "leaseUntil" = ${renewed}
        WHERE id IN (${Prisma.join(rows.map((r) => r.id))}) AND status = 'SENDING' AND "leaseUntil" = ${new Date(old)}
        RETURNING id`;
      const at = Date.now();
      for (const { id } of kept) {
        const d = this.held.get(id);
        if (d) {
          d.leaseUntil = renewed;
          d.renewedAt = at;
        }
      }
    }
  }

  /** Delivers now in the background; overlapping calls coalesce. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.deliverDue()
      .catch((err) => {
        this.log.error('delivery loop failed', { error: String(err) });
        return 0;
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Waits for the current delivery pass (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Claims and sends every delivery that is due; answers how many were sent. Workers take rows
   * from one queue that is topped up before it runs dry, so sending never stops for a claim.
   */
  async deliverDue(): Promise<number> {
    let sent = 0;
    const queue: ClaimedDelivery[] = [];
    let exhausted = false;
    let refilling: Promise<void> | undefined;
    const refill = () =>
      (refilling ??= this.claim(this.tuning.concurrency * 4)
        .then((rows) => {
          if (rows.length === 0) exhausted = true;
          queue.push(...rows);
        })
        .finally(() => {
          refilling = undefined;
        }));
    const next = async (): Promise<ClaimedDelivery | undefined> => {
      for (;;) {
        if (this.stopping) return undefined;
        if (!exhausted && queue.length <= this.tuning.concurrency) void refill().catch(() => {});
        const d = queue.shift();
        if (d) return d;
        if (exhausted) return undefined;
        await refill();
      }
    };
    const workers = Array.from({ length: this.tuning.concurrency }, async () => {
      for (let d = await next(); d; d = await next()) if (await this.sendOne(d)) sent++;
    });
    // a pass ends when every worker has: one failing must not leave the others running unseen
    const failed = (await Promise.allSettled(workers)).find((r) => r.status === 'rejected');
    // rows claimed but not reached: handed back when stopping, else left to their leases
    if (refilling) await (refilling as Promise<void>).catch(() => {});
    for (const d of queue) this.held.delete(d.id);
    if (this.stopping && queue.length) {
      await this.db.$executeRaw`UPDATE "Delivery" SET status = 'PENDING', "leaseUntil" = NULL, attempts = attempts - 1
        WHERE id IN (${Prisma.join(queue.map((d) => d.id))}) AND status = 'SENDING'`;
    }
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return sent;
  }

  /** Claims due deliveries for the platforms this process runs (another instance may run the rest). */
  private async claim(limit: number) {
    const platforms = this.adapters.all().map((a) => a.name);
    if (platforms.length === 0) return [];
    const now = this.now();
    const leaseUntil = new Date(now.getTime() + this.tuning.leaseMs);
    const rows = await this.db.$queryRaw<(Omit<ClaimedDelivery, 'claimedAt' | 'leaseUntil'> & { was: string })[]>`
      WITH picked AS (
        SELECT id, status AS was FROM "Delivery"
        WHERE ((status = 'PENDING' AND "nextAttemptAt" <= ${now}) OR (status = 'SENDING' AND "leaseUntil" < ${now}))
          AND split_part(target, ':', 1) IN (${Prisma.join(platforms)})
        ORDER BY "nextAttemptAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      UPDATE "Delivery" d SET status = 'SENDING', "leaseUntil" = ${leaseUntil}, attempts = d.attempts + 1
      FROM picked p, "Broadcast" b
      WHERE d.id = p.id AND b.id = d."broadcastId"
      RETURNING d.id, d.target, d.locale, d.attempts, b.message, b."createdAt" AS "queuedAt", p.was::text AS was`;
    const claimedAt = Date.now();
    // a row still SENDING had a lease that ran out: its instance stopped (or stalled) mid-send
    const takenOver = rows.filter((r) => r.was === 'SENDING');
    if (takenOver.length) {
      this.takenOver += takenOver.length;
      this.log.warn('deliveries taken over from an instance that stopped', { count: takenOver.length, deliveries: takenOver.slice(0, 20).map((r) => r.id) });
    }
    const claimed = rows.map(({ was: _was, ...r }) => ({ ...r, claimedAt, renewedAt: claimedAt, leaseUntil }));
    for (const d of claimed) this.held.set(d.id, d);
    return claimed;
  }

  /**
   * Waits while the platform has asked us to slow down; answers false when the row has been held
   * so long that its lease runs short (it is then handed back rather than risk a second sender).
   */
  private async waitForPlatform(platform: string, d: ClaimedDelivery): Promise<boolean> {
    for (;;) {
      if (Date.now() - d.claimedAt > this.tuning.leaseMs / 2) return false;
      const wait = (this.pausedUntil.get(platform) ?? 0) - Date.now();
      if (wait <= 0) return true;
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** Writes to a claimed row only while this process's lease on it stands. */
  private whileLeased(d: ClaimedDelivery) {
    return { id: d.id, status: 'SENDING' as const, leaseUntil: d.leaseUntil };
  }

  /**
   * Marks a delivery sent. While one mark is being written, the next ones gather and are written
   * together when it is done: no wait when sends are few, one statement for many when they are
   * many, so the database does not set the pace of a large broadcast.
   */
  private markSent(id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.sentMarks.push({ id, resolve, reject });
      this.writeSentMarks();
    });
  }

  private writeSentMarks(): void {
    if (this.writingMarks || this.sentMarks.length === 0) return;
    const marks = this.sentMarks.splice(0, 1_000);
    this.writingMarks = true;
    this.db.delivery
      .updateMany({ where: { id: { in: marks.map((m) => m.id) } }, data: { status: 'SENT', sentAt: this.now(), leaseUntil: null, lastError: null } })
      .then(
        () => marks.forEach((m) => m.resolve()),
        (err) => marks.forEach((m) => m.reject(err)),
      )
      .finally(() => {
        this.writingMarks = false;
        this.writeSentMarks();
      });
  }

  private async sendOne(d: ClaimedDelivery): Promise<boolean> {
    try {
      return await this.sendHeld(d);
    } finally {
      this.held.delete(d.id);
    }
  }

  private async sendHeld(d: ClaimedDelivery): Promise<boolean> {
    const platform = platformOf(d.target);
    const adapter = this.adapters.get(platform);
    const byLocale = d.message as Record<string, OutgoingMessage>;
    const lang = isLocale(d.locale) && byLocale[d.locale] ? d.locale : 'en';
    const message: OutgoingMessage = { ...byLocale[lang], lang };
    try {
      if (!adapter) throw new DeliveryError(`no adapter running for ${platform}`, 60_000);
      for (;;) {
        if (!(await this.waitForPlatform(platform, d))) {
          // held back so long its lease runs short: hand it back untouched, no attempt counted
          await this.db.delivery.updateMany({ where: this.whileLeased(d), data: { status: 'PENDING', leaseUntil: null, attempts: { decrement: 1 } } });
          return false;
        }
        // renewals failing (the database unreachable): the lease may lapse and another instance
        // take the row, so it is not sent from here; it goes to whoever holds it next
        if (Date.now() - d.renewedAt > (this.tuning.leaseMs * 2) / 3) return false;
        try {
          // a second attempt may follow a send that went out before its sender died or timed out:
          // a platform that can look (Slack) checks first
          await adapter.send(d.target, message, { idempotencyKey: d.id, ...(d.attempts > 1 ? { maybeSentSince: d.queuedAt } : {}) });
          break;
        } catch (err) {
          // a short "slow down" pauses the platform's sends and retries this row in place,
          // while its lease has time to spare; everything else goes to the retry path below
          const wait = err instanceof DeliveryError && !err.permanent ? err.retryAfterMs : undefined;
          if (wait === undefined || wait > this.tuning.maxInlineWaitMs) throw err;
          this.pausedUntil.set(platform, Math.max(this.pausedUntil.get(platform) ?? 0, Date.now() + wait));
        }
      }
      await this.markSent(d.id);
      return true;
    } catch (err) {
      const e = err instanceof DeliveryError ? err : new DeliveryError(String((err as Error)?.message ?? err));
      const final = e.permanent || d.attempts >= this.tuning.maxAttempts;
      const wait = e.retryAfterMs ?? this.tuning.baseBackoffMs * 2 ** Math.min(d.attempts - 1, 10);
      if (final) this.log.error('delivery failed for good', { delivery: d.id, platform: platformOf(d.target), attempts: d.attempts, error: e.message });
      else this.log.warn('delivery will be retried', { delivery: d.id, platform: platformOf(d.target), attempts: d.attempts, retryInMs: wait, error: e.message });
      await this.db.delivery.updateMany({
        where: this.whileLeased(d),
        data: final
          ? { status: 'FAILED', lastError: e.message, leaseUntil: null }
          : { status: 'PENDING', lastError: e.message, leaseUntil: null, nextAttemptAt: new Date(this.now().getTime() + wait) },
      });
      return false;
    }
  }
}
