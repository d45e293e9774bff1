import crypto from 'node:crypto';
import { londonDay } from '../../core/london-time.ts';
import type { Db } from '../../db/client.ts';

/**
 * The daily limit on anonymous notices, per PERSON (all their linked accounts, on every platform
 * and every bot instance sharing the database), kept without storing who.
 *
 * The count is held in `AnonymousCount` under HMAC-SHA256(the day's key, person id). The day's key
 * is 256 random bits in `AnonymousDayKey`, made by the first filing of the London day; the key and
 * its counts are deleted by the first filing of the next day (and by the hourly `breaches.anonymous`
 * job), after which nothing left can be turned back into a person. The count is taken in its own
 * transaction before the notice is written, so the notice's row never shares a transaction with it.
 * Limit (stated in ANONYMITY.md): while the day lasts, someone holding the database can recompute the
 * buckets for every person and learn who has filed anonymously that day, and how often; not which notice.
 */
export async function takeAnonymousFiling(db: Db, personId: string, now: Date, perDay: number = DEFAULT_LIMITS.filingsPerDay): Promise<boolean> {
  const day = londonDay(now);
  const bucket = await bucketOf(db, personId, day);
  const taken = await db.$queryRaw<{ filings: number }[]>`
    INSERT INTO "AnonymousCount" (day, bucket, filings) VALUES (${day}, ${bucket}, 1)
    ON CONFLICT (day, bucket) DO UPDATE SET filings = "AnonymousCount".filings + 1 WHERE "AnonymousCount".filings < ${perDay}
    RETURNING filings`;
  return taken.length > 0;
}

/** Gives back a filing taken for a notice that was not filed (bad input). */
export async function returnAnonymousFiling(db: Db, personId: string, now: Date): Promise<void> {
  const day = londonDay(now);
  const bucket = await bucketOf(db, personId, day);
  await db.$executeRaw`UPDATE "AnonymousCount" SET filings = filings - 1 WHERE day = ${day} AND bucket = ${bucket} AND filings > 0`;
}

/** Deletes every key and count of a day other than today's (the hourly job, and each filing). */
export async function discardOldAnonymousCounts(db: Db, now: Date): Promise<void> {
  await discardOtherDays(db, londonDay(now));
}

async function discardOtherDays(db: Db, day: string): Promise<void> {
  await db.$executeRaw`DELETE FROM "AnonymousCount" WHERE day <> ${day}`;
  await db.$executeRaw`DELETE FROM "AnonymousDayKey" WHERE day <> ${day}`;
}

async function bucketOf(db: Db, personId: string, day: string): Promise<string> {
  await discardOtherDays(db, day);
  await db.$executeRaw`INSERT INTO "AnonymousDayKey" (day, key) VALUES (${day}, ${crypto.randomBytes(32)}) ON CONFLICT (day) DO NOTHING`;
  const [row] = await db.$queryRaw<{ key: Uint8Array }[]>`SELECT key FROM "AnonymousDayKey" WHERE day = ${day}`;
  return crypto.createHmac('sha256', row.key).update(personId).digest('base64url');
}

/**
 * Throttles receipt guessing without identifying anyone.
 *
 * Counters are kept under HMAC-SHA256(dayKey, account id). The day key is random, lives only in
 * this process's memory and is replaced (with every counter) when the London date changes, so
 * nothing written anywhere, and nothing kept past the day, can be turned back into an account.
 * The price: with several bot instances each one counts separately, and a restart resets the
 * counts; the limits are about slowing abuse, not a hard quota.
 */
export interface ThrottleLimits {
  /** anonymous notices one person may file per day (counted in the database, see takeAnonymousFiling) */
  filingsPerDay: number;
  /** wrong receipt codes allowed before each further try must wait */
  freeGuesses: number;
  /** first wait after the free guesses; doubles each time, capped at a day */
  baseWaitMs: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = { filingsPerDay: 5, freeGuesses: 5, baseWaitMs: 60_000 };

interface Counter {
  misses: number;
  blockedUntil: number;
}

export class AnonymousThrottle {
  private day = '';
  private key = Buffer.alloc(0);
  private counters = new Map<string, Counter>();

  constructor(readonly limits: ThrottleLimits = DEFAULT_LIMITS) {}

  private counter(accountId: string, now: Date): Counter {
    const today = londonDay(now);
    if (today !== this.day) {
      this.day = today;
      this.key = crypto.randomBytes(32);
      this.counters = new Map();
    }
    const bucket = crypto.createHmac('sha256', this.key).update(accountId).digest('base64url');
    let c = this.counters.get(bucket);
    if (!c) this.counters.set(bucket, (c = { misses: 0, blockedUntil: 0 }));
    return c;
  }

  /** Milliseconds this account must wait before trying a receipt code again (0: go ahead). */
  waitBeforeGuess(accountId: string, now: Date): number {
    return Math.max(0, this.counter(accountId, now).blockedUntil - now.getTime());
  }

  /** Records a receipt code that matched nothing (which code is not recorded). */
  recordMiss(accountId: string, now: Date): void {
    const c = this.counter(accountId, now);
    c.misses++;
    if (c.misses >= this.limits.freeGuesses) {
      const wait = Math.min(this.limits.baseWaitMs * 2 ** (c.misses - this.limits.freeGuesses), 86_400_000);
      c.blockedUntil = now.getTime() + wait;
    }
  }

  /** How many buckets are held (for tests: nothing is keyed by the account itself). */
  buckets(): string[] {
    return [...this.counters.keys()];
  }
}

const perDatabase = new WeakMap<object, AnonymousThrottle>();

/** One throttle per bot (keyed by its database client), so tests with separate bots do not share counts. */
export function throttleFor(db: object): AnonymousThrottle {
  let t = perDatabase.get(db);
  if (!t) perDatabase.set(db, (t = new AnonymousThrottle()));
  return t;
}
