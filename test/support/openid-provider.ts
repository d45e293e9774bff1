import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider (`oidc-provider`) on a random local port, standing in for Microsoft
 * Entra ID: discovery, JWKS, authorization with PKCE, token endpoint, ID tokens carrying Entra's
 * `oid`, `tid` and `name` claims. Its login screen is replaced by `signInAs(user)`: the next
 * person who reaches the provider's login step is that user (as if they typed their password).
 *
 * It sits behind a small front server so a test can play an attacker on the wire:
 * `tamper` rewrites the ID token in the token endpoint's answer (re-signed with another key, or
 * unsigned) before the client sees it.
 */
export interface DirectoryUser {
  /** the provider's subject */
  sub: string;
  oid: string;
  tid: string;
  name: string;
}

export type Tamper = 'none' | 'forged' | 'unsigned';

export interface TestOpenIdProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  signInAs(user: DirectoryUser | null): void;
  /** change the next token answers' ID tokens; `claims` are merged into the payload */
  tamper(mode: Tamper, claims?: Record<string, unknown>): void;
  /** how many token requests reached the provider */
  tokenRequests(): number;
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A port nobody listens on just now, for an app that must be registered with the provider before it starts. */
export async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

export async function startOpenIdProvider(redirectUri: string): Promise<TestOpenIdProvider> {
  const clientId = crypto.randomUUID();
  const clientSecret = crypto.randomBytes(24).toString('base64url');
  const signing = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const attacker = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...signing.privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

  let current: DirectoryUser | null = null;
  const users = new Map<string, DirectoryUser>();
  let mode: Tamper = 'none';
  let extraClaims: Record<string, unknown> = {};
  let tokens = 0;

  const front = http.createServer();
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [redirectUri],
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], profile: ['name', 'oid', 'tid', 'preferred_username'] },
    // Entra puts the profile claims in the ID token itself
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ sub, oid: user.oid, tid: user.tid, name: user.name, preferred_username: `${user.sub}@example.org` }) };
    },
  });
  const handle = provider.callback();
  const inner = http.createServer(async (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      try {
        // the provider's login page, answered by the test's current user
        const details = await provider.interactionDetails(req, res);
        if (!current) {
          await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user cancelled' }, { mergeWithLastSubmission: false });
          return;
        }
        users.set(current.sub, current);
        const grant = new provider.Grant({ accountId: current.sub, clientId: String(details.params.client_id) });
        grant.addOIDCScope(String(details.params.scope));
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId: current.sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
      } catch (err) {
        res.statusCode = 500;
        res.end(String(err));
      }
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((resolve) => inner.listen(0, '127.0.0.1', resolve));
  const innerPort = (inner.address() as AddressInfo).port;

  // the front: passes everything to the provider; on the token endpoint, the attacker may rewrite
  front.on('request', (req, res) => {
    const isToken = req.method === 'POST' && (req.url ?? '').split('?')[0] === '/token';
    if (isToken) tokens++;
    const upstream = http.request({ host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers: req.headers }, (up) => {
      if (!isToken || mode === 'none') {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id_token?: string };
        if (body.id_token) body.id_token = rewrite(body.id_token);
        const text = JSON.stringify(body);
        const headers = { ...up.headers, 'content-length': String(Buffer.byteLength(text)) };
        res.writeHead(up.statusCode ?? 502, headers);
        res.end(text);
      });
    });
    req.pipe(upstream);
  });

  function rewrite(idToken: string): string {
    const [h, p] = idToken.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    const payload = { ...(JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>), ...extraClaims };
    if (mode === 'unsigned') return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.`;
    // same header (same kid), signed with a key the provider never published
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature = crypto.sign('sha256', Buffer.from(signingInput), attacker.privateKey);
    return `${signingInput}.${b64url(signature)}`;
  }

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(user) {
      current = user;
      if (user) users.set(user.sub, user);
    },
    tamper(next, claims = {}) {
      mode = next;
      extraClaims = claims;
    },
    tokenRequests: () => tokens,
    async close() {
      front.closeAllConnections();
      inner.closeAllConnections();
      await new Promise((r) => front.close(r));
      await new Promise((r) => inner.close(r));
    },
  };
}
