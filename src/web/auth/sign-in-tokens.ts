import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from '../../db/client.ts';
import type { Mailer } from './mailer.ts';
import { hashToken, newToken } from './sessions.ts';

/**
 * One-time ways in: an emailed link plus a six-digit code (for a mail read on another device), and a
 * link asked for in chat. Rows in `SignInToken` hold only the link's SHA-256 and the code's scrypt
 * hash; each is used once and lasts 15 minutes. Five wrong codes lock the address for 15 minutes:
 * no new code is sent to it and none is checked until then.
 */
export const SIGN_IN_TTL_MS = 15 * 60 * 1000;
export const MAX_WRONG_CODES = 5;
export const LOCK_MS = 15 * 60 * 1000;

/** A refusal the person is told about, in their language (a `web.*` catalogue key). */
export class SignInRefused extends Error {
  constructor(
    readonly key: string,
    readonly status: number,
    readonly params: Record<string, string | number> = {},
    cause?: unknown,
  ) {
    super(key, { cause });
  }
}

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** scrypt with a fresh salt: a copy of the table does not give the code back within its 15 minutes */
async function hashCode(code: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  return `${salt.toString('base64url')}:${(await scrypt(code, salt, 32)).toString('base64url')}`;
}
async function codeMatches(code: string, stored: string): Promise<boolean> {
  const [salt, hash] = stored.split(':');
  const given = await scrypt(code, Buffer.from(salt, 'base64url'), 32);
  return crypto.timingSafeEqual(given, Buffer.from(hash, 'base64url'));
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
const minutesLeft = (until: Date, now: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));

/** The address the page signs in with: `#signin=<token>` stays in the browser, never in a server log. */
export const signInLink = (baseUrl: string, token: string): string => `${baseUrl.replace(/\/+$/, '')}/#signin=${token}`;

/**
 * Emails a link and a code to `email`. If the mail cannot be sent, nothing is left behind and the
 * person is asked to try again. The answer never says whether the address is known.
 */
export async function sendEmailSignIn(db: Db, mailer: Mailer, input: { email: string; name?: string; baseUrl: string; now: Date }): Promise<void> {
  const email = normaliseEmail(input.email);
  const { now } = input;
  const live = await db.signInToken.findUnique({ where: { email } });
  if (live?.lockedUntil && live.lockedUntil > now) throw new SignInRefused('web.signIn.locked', 429, { minutes: minutesLeft(live.lockedUntil, now) });
  const token = newToken();
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
  const row = { linkHash: hashToken(token), email, codeHash: await hashCode(code), displayName: input.name ?? null, expiresAt: new Date(now.getTime() + SIGN_IN_TTL_MS) };
  // one live request per address: a new one replaces the old
  await db.$transaction([db.signInToken.deleteMany({ where: { email } }), db.signInToken.create({ data: row })]);
  try {
    await mailer.sendSignIn({ to: email, link: signInLink(input.baseUrl, token), code });
  } catch (err) {
    await db.signInToken.deleteMany({ where: { linkHash: row.linkHash } });
    throw new SignInRefused('web.signIn.mailDown', 503, {}, err);
  }
}

/** Redeems a link (emailed or from chat): answers the person to sign in, made on first sign-in by email. */
export async function redeemLink(db: Db, token: string, now: Date): Promise<string> {
  const row = await db.signInToken.findUnique({ where: { linkHash: hashToken(token) } });
  if (!row) throw new SignInRefused('web.signIn.linkUsed', 400);
  // whoever deletes the row is the one who signs in: a link pressed twice signs in once
  const { count } = await db.signInToken.deleteMany({ where: { linkHash: row.linkHash } });
  if (count === 0) throw new SignInRefused('web.signIn.linkUsed', 400);
  if (row.expiresAt <= now) throw new SignInRefused('web.signIn.linkExpired', 400);
  return personFor(db, row);
}

/** Checks a typed code for an address; a wrong one counts towards the lock. */
export async function redeemCode(db: Db, emailGiven: string, code: string, now: Date): Promise<string> {
  const email = normaliseEmail(emailGiven);
  const row = await db.signInToken.findUnique({ where: { email } });
  if (row?.lockedUntil && row.lockedUntil > now) throw new SignInRefused('web.signIn.locked', 429, { minutes: minutesLeft(row.lockedUntil, now) });
  if (!row || !row.codeHash) throw new SignInRefused('web.signIn.noCode', 400);
  if (row.expiresAt <= now) {
    await db.signInToken.deleteMany({ where: { linkHash: row.linkHash } });
    throw new SignInRefused('web.signIn.codeExpired', 400);
  }
  if (!(await codeMatches(code, row.codeHash))) {
    // counted in the database, so parallel guesses and other instances count too
    const [after] = await db.$queryRaw<{ failedCodes: number }[]>`
      UPDATE "SignInToken" SET "failedCodes" = "failedCodes" + 1 WHERE "linkHash" = ${row.linkHash} RETURNING "failedCodes"`;
    const failed = after?.failedCodes ?? MAX_WRONG_CODES;
    if (failed >= MAX_WRONG_CODES) {
      const lockedUntil = new Date(now.getTime() + LOCK_MS);
      // the code is spent; the row stays only to hold the lock
      await db.signInToken.updateMany({ where: { linkHash: row.linkHash }, data: { lockedUntil, codeHash: null, expiresAt: lockedUntil } });
      throw new SignInRefused('web.signIn.locked', 429, { minutes: minutesLeft(lockedUntil, now) });
    }
    throw new SignInRefused('web.signIn.badCode', 400, { tries: MAX_WRONG_CODES - failed });
  }
  const { count } = await db.signInToken.deleteMany({ where: { linkHash: row.linkHash, failedCodes: { lt: MAX_WRONG_CODES } } });
  if (count === 0) throw new SignInRefused('web.signIn.noCode', 400);
  return personFor(db, row);
}

async function personFor(db: Db, row: { email: string | null; personId: string | null; displayName: string | null }): Promise<string> {
  if (row.personId) {
    const person = await db.person.findUnique({ where: { id: row.personId }, select: { id: true } });
    if (!person) throw new SignInRefused('web.signIn.linkUsed', 400);
    return person.id;
  }
  const email = row.email!;
  const known = await db.person.findUnique({ where: { email }, select: { id: true } });
  if (known) return known.id;
  try {
    return (await db.person.create({ data: { email, displayName: row.displayName || email.split('@')[0] }, select: { id: true } })).id;
  } catch (err) {
    const again = await db.person.findUnique({ where: { email }, select: { id: true } });
    if (again) return again.id;
    throw err;
  }
}
