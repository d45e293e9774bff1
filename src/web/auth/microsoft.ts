import * as oidc from 'openid-client';
import type { Db } from '../../db/client.ts';
import type { Logger } from '../../core/logger.ts';

/**
 * Sign in with Microsoft (Entra ID, OpenID Connect): the authorization code flow with PKCE, state
 * and nonce, through `openid-client`. The provider is found by discovery from its issuer address,
 * on first use (so a bot starts even while Microsoft is unreachable, and tries again next time).
 *
 * The ID token's signature is checked against the provider's published keys
 * (`enableNonRepudiationChecks`): openid-client would otherwise trust the token endpoint's TLS alone,
 * and a token that did not come from the provider must never sign anyone in.
 *
 * Who signed in is the token's `oid` claim (the directory object id, the same for every app in the
 * tenant), not `sub` (which differs per app): Teams reports the same id as `aadObjectId`, so a
 * Microsoft sign-in and a Teams account are one person whichever came first. The `email` claim is
 * never used to match people: Entra ID does not verify it.
 */
export interface MicrosoftOptions {
  /** e.g. https://login.microsoftonline.com/<tenant id>/v2.0 */
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** What the browser keeps between leaving for the provider and coming back (in an HttpOnly cookie). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
}

/** The signed-in directory user, from a verified ID token. */
export interface MicrosoftUser {
  oid: string;
  tid?: string;
  name: string;
}

/** Why a sign-in was refused; each has a bilingual message `microsoft.error.<reason>`. */
export type MicrosoftFailure = 'state' | 'token' | 'denied' | 'noOid' | 'unavailable' | 'badRequest';

export class MicrosoftSignInError extends Error {
  constructor(
    readonly reason: MicrosoftFailure,
    detail: string,
  ) {
    super(detail);
  }
}

const GUIDISH = /^[0-9a-zA-Z-]{1,64}$/;

/** Plain http is allowed only for a provider on this machine (a test's, or a developer's). */
const isLoopback = (url: URL) => url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

export class MicrosoftSignIn {
  private discovered?: Promise<oidc.Configuration>;

  constructor(
    private readonly options: MicrosoftOptions,
    private readonly log: Logger,
  ) {}

  private configuration(): Promise<oidc.Configuration> {
    if (!this.discovered) {
      const issuer = new URL(this.options.issuer);
      const execute = [oidc.enableNonRepudiationChecks, ...(isLoopback(issuer) ? [oidc.allowInsecureRequests] : [])];
      this.discovered = oidc.discovery(issuer, this.options.clientId, { id_token_signed_response_alg: 'RS256' }, oidc.ClientSecretPost(this.options.clientSecret), { execute, timeout: 10 }).catch((err: unknown) => {
        this.discovered = undefined; // try again on the next sign-in
        throw new MicrosoftSignInError('unavailable', `discovery of ${issuer.href} failed: ${String((err as Error)?.message ?? err)}`);
      });
    }
    return this.discovered;
  }

  /** Where to send the browser, and what to remember until it comes back. */
  async begin(redirectUri: string): Promise<{ url: string; pending: PendingSignIn }> {
    const config = await this.configuration();
    const pending: PendingSignIn = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, pending };
  }

  /**
   * Checks the provider's answer (`callbackUrl`: the redirect address with the query the browser
   * brought back), redeems the code with the PKCE verifier, and verifies the ID token: signature,
   * issuer, audience, expiry, nonce.
   */
  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<MicrosoftUser> {
    const config = await this.configuration();
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      throw classify(err);
    }
    const oid = claims?.oid;
    if (typeof oid !== 'string' || !GUIDISH.test(oid)) throw new MicrosoftSignInError('noOid', 'the ID token has no oid claim');
    const name = [claims?.name, claims?.preferred_username].find((v): v is string => typeof v === 'string' && v.trim() !== '')?.trim().slice(0, 200) ?? 'Microsoft user';
    const tid = typeof claims?.tid === 'string' ? claims.tid : undefined;
    this.log.debug('microsoft sign-in verified', { tid });
    return { oid, name, ...(tid ? { tid } : {}) };
  }
}

function classify(err: unknown): MicrosoftSignInError {
  if (err instanceof MicrosoftSignInError) return err;
  const e = err as { name?: string; code?: string; message?: string; error?: string; cause?: unknown };
  const detail = `${e.name ?? 'Error'} ${e.code ?? ''}: ${e.message ?? String(err)}`;
  // the provider said no (the person cancelled, or is not allowed in this app)
  if (err instanceof oidc.AuthorizationResponseError) return new MicrosoftSignInError('denied', `${e.error}: ${e.message}`);
  // the token endpoint refused the code (expired, reused, wrong verifier)
  if (err instanceof oidc.ResponseBodyError) return new MicrosoftSignInError('token', detail);
  // no answer at all from the provider
  if (e.name === 'TypeError' && /fetch failed/.test(e.message ?? '')) return new MicrosoftSignInError('unavailable', detail);
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new MicrosoftSignInError('unavailable', detail);
  // anything else is a check that failed: signature, issuer, audience, nonce, state, expiry
  return new MicrosoftSignInError('token', detail);
}

/**
 * The person a verified Microsoft user is. In order: the person who signed in with this directory
 * user before; else the person whose Teams account carries the same object id; else the person
 * already signed in on this browser (they are adding Microsoft as a way in); else a new person.
 * The Microsoft account is recorded in one transaction (platform "microsoft", id = oid).
 */
export async function personForMicrosoftUser(db: Db, user: MicrosoftUser, signedInPersonId?: string): Promise<{ personId: string; isNew: boolean }> {
  const where = { platform_platformUserId: { platform: 'microsoft', platformUserId: user.oid } };
  const attempt = () =>
    db.$transaction(async (tx) => {
      const known = await tx.account.findUnique({ where, select: { id: true, personId: true, displayName: true } });
      if (known) {
        if (known.displayName !== user.name) await tx.account.update({ where: { id: known.id }, data: { displayName: user.name } });
        return { personId: known.personId, isNew: false };
      }
      const teams = await tx.account.findFirst({ where: { aadObjectId: user.oid }, select: { personId: true }, orderBy: { createdAt: 'asc' } });
      let personId = teams?.personId ?? signedInPersonId;
      const isNew = !personId;
      if (!personId) personId = (await tx.person.create({ data: { displayName: user.name }, select: { id: true } })).id;
      await tx.account.create({ data: { platform: 'microsoft', platformUserId: user.oid, aadObjectId: user.oid, displayName: user.name, personId } });
      return { personId, isNew };
    });
  try {
    return await attempt();
  } catch (err) {
    // two first sign-ins at once: the other one recorded the account, so this one finds it
    if ((err as { code?: string }).code === 'P2002') return attempt();
    throw err;
  }
}
