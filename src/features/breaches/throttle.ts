import crypto from 'node:crypto';
import { londonDay } from '../../core/london-time.ts';

/**
 * Throttles anonymous filing and receipt guessing without identifying anyone.
 *
 * Counters are kept under HMAC-SHA256(dayKey, account id). The day key is random, lives only in
 * this process's memory and is replaced (with every counter) when the London date changes, so
 * nothing written anywhere, and nothing kept past the day, can be turned back into an account.
 * The price: with several bot instances each one counts separately, and a restart resets the
 * counts; the limits are about slowing abuse, not a hard quota.
 */
export interface ThrottleLimits {
  /** anonymous notices one account may file per day */
  filingsPerDay: number;
  /** wrong receipt codes allowed before each further try must wait */
  freeGuesses: number;
  /** first wait after the free guesses; doubles each time, capped at a day */
  baseWaitMs: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = { filingsPerDay: 5, freeGuesses: 5, baseWaitMs: 60_000 };

interface Counter {
  filings: number;
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
    if (!c) this.counters.set(bucket, (c = { filings: 0, misses: 0, blockedUntil: 0 }));
    return c;
  }

  /** True (and counted) if this account may file another anonymous notice today. */
  takeFiling(accountId: string, now: Date): boolean {
    const c = this.counter(accountId, now);
    if (c.filings >= this.limits.filingsPerDay) return false;
    c.filings++;
    return true;
  }

  /** Gives back a filing slot when the filing did not go through (bad input). */
  returnFiling(accountId: string, now: Date): void {
    const c = this.counter(accountId, now);
    if (c.filings > 0) c.filings--;
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
