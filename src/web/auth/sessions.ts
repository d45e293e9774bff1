import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Db } from '../../db/client.ts';
import { sendError } from '../server.ts';

/**
 * Web sessions: who is asking on the web is decided here, by a cookie, and never by a field the
 * caller sends. The cookie holds a random token; the `WebSession` table keeps only its SHA-256, so
 * several instances sharing a database share the sessions, and a copy of the table signs nobody in.
 *
 *   const sessions = new WebSessions(db, { publicUrl: config.PUBLIC_URL });
 *   await sessions.createSession(personId, reply);          // after a link, code or OpenID sign-in
 *   app.get('/x', { preHandler: sessions.requirePerson }, async (req) => req.signedIn!.personId);
 *   const who = await sessions.personOf(req);               // null when not signed in
 *
 * A lookup is cached in this process for `cacheMs` (default 3 s), so the web chat's round trip costs
 * no extra query; signing out here drops the cache entry at once, a sign-out on another instance
 * (or a deleted person) takes effect here within `cacheMs`.
 */
export interface SignedIn {
  personId: string;
  displayName: string;
  /** the person's web chat account id: their direct messages are in conversation "web:<webUserId>" */
  webUserId: string;
  /** SHA-256 of this browser's token (the `WebSession` row) */
  tokenHash: string;
  expiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** set by `WebSessions.requirePerson` */
    signedIn?: SignedIn;
  }
}

export interface WebSessionOptions {
  /** the bot's public address: the cookie is `Secure` (and `__Host-` named) when it is https */
  publicUrl?: string;
  /** how long a lookup is trusted without asking the database again (ms, default 3000) */
  cacheMs?: number;
  /** how long a session lasts (ms, default 30 days) */
  lifetimeMs?: number;
  now?: () => Date;
}

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const CACHE_MAX = 10_000;

export const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');
/** a fresh random token (256 bits, URL-safe) */
export const newToken = (): string => crypto.randomBytes(32).toString('base64url');

export class WebSessions {
  readonly cookieName: string;
  readonly secure: boolean;
  readonly cacheMs: number;
  private readonly lifetimeMs: number;
  private readonly now: () => Date;
  private readonly cache = new Map<string, { value: SignedIn | null; until: number }>();

  constructor(
    private readonly db: Db,
    options: WebSessionOptions = {},
  ) {
    this.secure = options.publicUrl?.startsWith('https:') ?? false;
    // "__Host-": the browser keeps it only if Secure, for this host and path "/"
    this.cookieName = this.secure ? '__Host-forumbot_session' : 'forumbot_session';
    this.cacheMs = options.cacheMs ?? 3000;
    this.lifetimeMs = options.lifetimeMs ?? SESSION_LIFETIME_MS;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Opens a session for a person and answers the cookie's value (the token). Makes sure the person
   * has a web chat account, so their web direct messages have a conversation of their own.
   */
  async open(personId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = newToken();
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.lifetimeMs);
    await this.db.$transaction(async (tx) => {
      const person = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: { displayName: true } });
      const web = await tx.account.findFirst({ where: { personId, platform: 'web' }, select: { id: true } });
      if (!web) {
        await tx.account.create({ data: { personId, platform: 'web', platformUserId: personId, displayName: person.displayName, dmRef: `web:${personId}` } });
      }
      await tx.webSession.create({ data: { tokenHash: hashToken(token), personId, expiresAt } });
      // sessions past their end are of no use to anyone
      await tx.webSession.deleteMany({ where: { personId, expiresAt: { lt: now } } });
    });
    return { token, expiresAt };
  }

  /** Signs a person in on this browser: a new session and its cookie on the reply. */
  async createSession(personId: string, reply: FastifyReply): Promise<void> {
    const { token, expiresAt } = await this.open(personId);
    reply.setCookie(this.cookieName, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: this.secure, expires: expiresAt });
  }

  /** The signed-in person behind a request's cookie, or null (no cookie, unknown, expired, deleted). */
  async personOf(request: FastifyRequest): Promise<SignedIn | null> {
    return this.personOfToken(request.cookies?.[this.cookieName]);
  }

  /** The signed-in person behind a cookie's value, or null. */
  async personOfToken(token: string | undefined): Promise<SignedIn | null> {
    if (!token || token.length > 100) return null;
    return this.lookup(hashToken(token));
  }

  /** A preHandler: 401 unless signed in; sets `request.signedIn`. */
  readonly requirePerson: preHandlerAsyncHookHandler = async (request, reply) => {
    const who = await this.personOf(request);
    if (!who) {
      reply.clearCookie(this.cookieName, { path: '/' });
      return sendError(reply, 401, 'web.error.signIn');
    }
    request.signedIn = who;
  };

  /** Ends this browser's session and clears its cookie. */
  async signOut(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = request.cookies?.[this.cookieName];
    if (token && token.length <= 100) {
      const tokenHash = hashToken(token);
      await this.db.webSession.deleteMany({ where: { tokenHash } });
      this.cache.delete(tokenHash);
    }
    reply.clearCookie(this.cookieName, { path: '/' });
  }

  /** Ends every session of a person (every browser, every instance within `cacheMs`). */
  async signOutEverywhere(personId: string, reply?: FastifyReply): Promise<number> {
    const { count } = await this.db.webSession.deleteMany({ where: { personId } });
    for (const [key, entry] of this.cache) if (entry.value?.personId === personId) this.cache.delete(key);
    reply?.clearCookie(this.cookieName, { path: '/' });
    return count;
  }

  /** Forgets cached lookups (a test that deletes people behind the server's back, say). */
  forget(): void {
    this.cache.clear();
  }

  private async lookup(tokenHash: string): Promise<SignedIn | null> {
    const nowMs = this.now().getTime();
    const wall = Date.now(); // the cache runs on the real clock, expiry on the app's
    const hit = this.cache.get(tokenHash);
    if (hit && hit.until > wall && (!hit.value || hit.value.expiresAt.getTime() > nowMs)) return hit.value;
    const row = await this.db.webSession.findUnique({
      where: { tokenHash },
      select: { personId: true, expiresAt: true, person: { select: { displayName: true, accounts: { where: { platform: 'web' }, select: { platformUserId: true }, orderBy: { createdAt: 'asc' }, take: 1 } } } },
    });
    const web = row?.person.accounts[0];
    const value: SignedIn | null =
      row && web && row.expiresAt.getTime() > nowMs ? { personId: row.personId, displayName: row.person.displayName, webUserId: web.platformUserId, tokenHash, expiresAt: row.expiresAt } : null;
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(tokenHash, { value, until: wall + this.cacheMs });
    return value;
  }
}
