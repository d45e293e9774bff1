import type { Db } from '../../src/db/client.ts';
import type { SignedIn, WebSessions } from '../../src/web/auth/sessions.ts';

/**
 * Signs test people in to the web through the real session code: a person with a web chat account
 * "web:<userId>" (made on first use, as the demo seed makes its personas), a real `WebSession` row,
 * and the cookie a browser would carry.
 */
export class WebSignIns {
  private readonly tokens = new Map<string, string>();

  constructor(
    private readonly db: Db,
    readonly sessions: WebSessions,
  ) {}

  /** The person behind web account `userId`, made on first use. */
  async personFor(userId: string, name = userId): Promise<string> {
    const where = { platform_platformUserId: { platform: 'web', platformUserId: userId } };
    const found = await this.db.account.findUnique({ where, select: { personId: true } });
    if (found) return found.personId;
    const made = await this.db.account.create({
      data: { platform: 'web', platformUserId: userId, displayName: name, dmRef: `web:${userId}`, person: { create: { displayName: name } } },
      select: { personId: true },
    });
    return made.personId;
  }

  /** The session token (cookie value) for `userId`, signing them in on first use. */
  async tokenFor(userId: string, name = userId): Promise<string> {
    const known = this.tokens.get(userId);
    if (known) return known;
    const { token } = await this.sessions.open(await this.personFor(userId, name));
    this.tokens.set(userId, token);
    return token;
  }

  /** The Cookie header a signed-in browser of `userId` sends. */
  async cookieFor(userId: string, name = userId): Promise<string> {
    return `${this.sessions.cookieName}=${await this.tokenFor(userId, name)}`;
  }

  /** Who the server takes `userId` to be, read back from their session. */
  async signedIn(userId: string, name = userId): Promise<SignedIn> {
    const who = await this.sessions.personOfToken(await this.tokenFor(userId, name));
    if (!who) throw new Error(`no session for ${userId}`);
    return who;
  }
}
