import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAccount } from '../../src/core/identity.ts';
import { createLogger } from '../../src/core/logger.ts';
import type { Database } from '../../src/db/client.ts';
import { MicrosoftSignIn } from '../../src/web/auth/microsoft.ts';
import { microsoftRoutes } from '../../src/web/auth/microsoft.routes.ts';
import { sessionRoutes } from '../../src/web/auth/session.routes.ts';
import { hashToken, WebSessions } from '../../src/web/auth/sessions.ts';
import { WebServer } from '../../src/web/server.ts';
import { testDatabase } from '../support/database.ts';
import { freePort, startOpenIdProvider, type DirectoryUser, type TestOpenIdProvider } from '../support/openid-provider.ts';

/**
 * Sign in with Microsoft, over HTTP, against a real OpenID provider (oidc-provider) on this
 * machine: the whole round trip (our start page → the provider's authorization and login → our
 * callback → the token endpoint → a session cookie), the Teams link by object id, and the attacks:
 * a forged or unsigned ID token, a wrong or missing state, a cancelled sign-in, garbage.
 */
const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const alys: DirectoryUser = { sub: 'alys', oid: '00000000-0000-0000-0000-00000000a1a1', tid: TENANT, name: 'Alys Jones' };
const bryn: DirectoryUser = { sub: 'bryn', oid: '00000000-0000-0000-0000-00000000b2b2', tid: TENANT, name: 'Bryn Davies' };
const ceri: DirectoryUser = { sub: 'ceri', oid: '00000000-0000-0000-0000-00000000c3c3', tid: TENANT, name: 'Ceri Evans' };
const mallory: DirectoryUser = { sub: 'mallory', oid: '00000000-0000-0000-0000-0000000000ff', tid: TENANT, name: 'Mallory' };

let database: Database;
let provider: TestOpenIdProvider;
let server: WebServer;
let base = '';
let sessions: WebSessions;

beforeAll(async () => {
  database = await testDatabase();
  const log = createLogger('error');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startOpenIdProvider(`${base}/auth/microsoft/callback`);
  sessions = new WebSessions(database.prisma, { cacheMs: 0 });
  const microsoft = new MicrosoftSignIn({ issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret }, log);
  server = new WebServer(log);
  server.add(sessionRoutes(sessions), microsoftRoutes(microsoft, sessions, { db: database.prisma, log }));
  await server.listen(port, '127.0.0.1');
});
afterAll(async () => {
  await server?.close();
  await provider?.close();
  await database?.close();
});

/** A browser, as far as cookies and redirects go: one cookie jar for the app and the provider. */
class Browser {
  readonly jar = new Map<string, string>();
  readonly visited: string[] = [];

  async get(url: string, maxHops = 12): Promise<{ status: number; url: string; body: string; headers: Headers }> {
    let next = url;
    for (let hop = 0; hop < maxHops; hop++) {
      this.visited.push(next);
      const res = await fetch(next, { redirect: 'manual', headers: { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'accept-language': 'en-GB' } });
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attrs] = line.split(';');
        const [name, ...value] = pair.split('=');
        const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && new Date(a.split('=')[1]) < new Date()));
        if (gone || value.join('=') === '') this.jar.delete(name.trim());
        else this.jar.set(name.trim(), value.join('='));
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        next = new URL(location, next).href;
        // stop where the provider hands back to us, so a test can look at (or tamper with) it
        if (next.startsWith(`${base}/auth/microsoft/callback`) && this.stopAtCallback) return { status: res.status, url: next, body: '', headers: res.headers };
        continue;
      }
      return { status: res.status, url: next, body: await res.text(), headers: res.headers };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  stopAtCallback = false;
  session = () => this.jar.get('forumbot_session');
}

async function signIn(user: DirectoryUser | null, browser = new Browser()) {
  provider.signInAs(user);
  const end = await browser.get(`${base}/auth/microsoft`);
  return { browser, end };
}

const me = async (browser: Browser) =>
  (await (await fetch(`${base}/api/auth/me`, { headers: { cookie: `forumbot_session=${browser.session() ?? ''}` } })).json()) as { signedIn: boolean; name?: string };

/** Everything a refused sign-in must leave as it was. */
const snapshot = async () => ({
  people: await database.prisma.person.count(),
  accounts: await database.prisma.account.findMany({ select: { platform: true, platformUserId: true, personId: true }, orderBy: { id: 'asc' } }),
  sessions: await database.prisma.webSession.count(),
});

describe('Sign in with Microsoft against a real OpenID provider', () => {
  it('signs a new person in: PKCE, state and nonce on the way out, a session cookie at the end', async () => {
    const { browser, end } = await signIn(alys);
    const toProvider = new URL(browser.visited.find((u) => u.startsWith(`${provider.issuer}/auth?`))!);
    expect(toProvider.searchParams.get('code_challenge_method')).toBe('S256');
    expect(toProvider.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(toProvider.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(toProvider.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(toProvider.searchParams.get('redirect_uri')).toBe(`${base}/auth/microsoft/callback`);
    // the round trip went through the provider's login and back to our callback, then home
    expect(browser.visited.some((u) => u.startsWith(`${base}/auth/microsoft/callback?code=`))).toBe(true);
    expect(end.url).toBe(`${base}/`);
    expect(browser.session()).toMatch(/^[\w-]{43}$/);
    expect(browser.jar.has('forumbot_microsoft')).toBe(false); // the flow cookie is spent

    expect(await me(browser)).toMatchObject({ signedIn: true, name: 'Alys Jones' });
    const account = await database.prisma.account.findUniqueOrThrow({ where: { platform_platformUserId: { platform: 'microsoft', platformUserId: alys.oid } } });
    const row = await database.prisma.webSession.findUniqueOrThrow({ where: { tokenHash: hashToken(browser.session()!) } });
    expect(row.personId).toBe(account.personId);
    expect(account.aadObjectId).toBe(alys.oid);

    // signing in again is the same person, not a second one
    const again = await signIn(alys);
    const row2 = await database.prisma.webSession.findUniqueOrThrow({ where: { tokenHash: hashToken(again.browser.session()!) } });
    expect(row2.personId).toBe(account.personId);
    expect(await database.prisma.account.count({ where: { platform: 'microsoft' } })).toBe(1);
  });

  it('is the same person as the Teams account with the same object id, whichever came first', async () => {
    // Teams first: Bryn has written to the bot in Teams
    const teams = await resolveAccount(database.prisma, { platform: 'teams', id: '29:1bryn', displayName: 'Bryn Davies (Teams)', dmRef: 'teams:dm:29:1bryn', aadObjectId: bryn.oid });
    const { browser } = await signIn(bryn);
    const row = await database.prisma.webSession.findUniqueOrThrow({ where: { tokenHash: hashToken(browser.session()!) } });
    expect(row.personId).toBe(teams.personId);
    expect(await me(browser)).toMatchObject({ signedIn: true, name: 'Bryn Davies (Teams)' });

    // Microsoft first: Ceri signs in on the web, then writes from Teams
    const first = await signIn(ceri);
    const ceriPerson = (await database.prisma.webSession.findUniqueOrThrow({ where: { tokenHash: hashToken(first.browser.session()!) } })).personId;
    const later = await resolveAccount(database.prisma, { platform: 'teams', id: '29:1ceri', displayName: 'Ceri Evans', dmRef: 'teams:dm:29:1ceri', aadObjectId: ceri.oid });
    expect(later.personId).toBe(ceriPerson);
    // and someone else in Teams is someone else
    const other = await resolveAccount(database.prisma, { platform: 'teams', id: '29:1dafydd', displayName: 'Dafydd', aadObjectId: '00000000-0000-0000-0000-00000000d4d4' });
    expect([teams.personId, ceriPerson]).not.toContain(other.personId);
  });

  for (const attack of ['forged', 'unsigned'] as const) {
    it(`refuses a ${attack} ID token claiming to be someone else, bilingually, and changes nothing`, async () => {
      await signIn(alys); // Alys exists
      const before = await snapshot();
      const tokenCalls = provider.tokenRequests();
      provider.tamper(attack, { oid: alys.oid, name: 'Alys Jones' });
      try {
        const { browser, end } = await signIn(mallory);
        expect(provider.tokenRequests()).toBe(tokenCalls + 1); // it got as far as the token endpoint
        expect(end.status).toBe(400);
        expect(end.headers.get('content-type')).toContain('text/html');
        expect(end.body).toContain('could not be verified, so nobody was signed in');
        expect(end.body).toContain('Nid oedd modd gwirio ateb Microsoft');
        expect(browser.session()).toBeUndefined();
        expect(await me(browser)).toMatchObject({ signedIn: false });
      } finally {
        provider.tamper('none');
      }
      expect(await snapshot()).toEqual(before);
    });
  }

  it('refuses a callback whose state is not the one this browser sent, or that another browser brings', async () => {
    const before = await snapshot();
    const victim = new Browser();
    victim.stopAtCallback = true;
    provider.signInAs(mallory);
    const handBack = await victim.get(`${base}/auth/microsoft`);
    const callback = new URL(handBack.url);
    expect(callback.searchParams.get('code')).toBeTruthy();

    // login CSRF: the attacker's own code and state, brought by a browser that never started a sign-in
    const stranger = new Browser();
    const csrf = await stranger.get(callback.href);
    expect(csrf.status).toBe(400);
    expect(csrf.body).toContain('did not start on this browser');
    expect(csrf.body).toContain('Ni ddechreuodd y mewngofnodi hwn ar y porwr hwn');
    expect(stranger.session()).toBeUndefined();

    // the right browser, a wrong state
    const wrong = new URL(callback.href);
    wrong.searchParams.set('state', 'x'.repeat(43));
    const tampered = await victim.get(wrong.href);
    expect(tampered.status).toBe(400);
    expect(tampered.body).toContain('did not start on this browser');
    expect(victim.session()).toBeUndefined();
    // the flow cookie went with the refusal: the genuine answer cannot be used afterwards either
    expect((await victim.get(callback.href)).status).toBe(400);
    expect(victim.session()).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  it('answers a cancelled sign-in, a broken callback and garbage clearly, never with a 500', async () => {
    const before = await snapshot();
    const cancelled = await signIn(null);
    expect(cancelled.end.status).toBe(403);
    expect(cancelled.end.body).toContain('Microsoft did not sign you in (access_denied)');
    expect(cancelled.end.body).toContain('Ni wnaeth Microsoft eich mewngofnodi (access_denied)');

    const started = new Browser();
    started.stopAtCallback = true;
    provider.signInAs(alys);
    const handBack = new URL((await started.get(`${base}/auth/microsoft`)).url);
    const noCode = new URL(`${base}/auth/microsoft/callback`);
    noCode.searchParams.set('state', handBack.searchParams.get('state')!);
    expect((await started.get(noCode.href)).status).toBe(400);

    for (const path of ['/auth/microsoft/callback', `/auth/microsoft/callback?code=${'a'.repeat(5000)}&state=b`, '/auth/microsoft/callback?state=%00&code=%00', '/auth/microsoft/callback?code[]=1&state[x]=2']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(400);
      expect(await res.text()).toContain('Mewngofnodi gyda Microsoft');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('says Microsoft cannot be reached when the provider is down', async () => {
    const log = createLogger('error');
    const down = new MicrosoftSignIn({ issuer: `http://127.0.0.1:${await freePort()}`, clientId: 'x', clientSecret: 'y' }, log);
    const other = new WebServer(log);
    other.add(microsoftRoutes(down, sessions, { db: database.prisma, log }));
    const port = await other.listen(0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/auth/microsoft`, { redirect: 'manual', headers: { 'accept-language': 'cy' } });
      expect(res.status).toBe(503);
      const body = await res.text();
      expect(body.indexOf('Nid oes modd cyrraedd mewngofnodi Microsoft')).toBeLessThan(body.indexOf('Microsoft sign-in cannot be reached'));
      expect(body).toContain('<html lang="cy">');
    } finally {
      await other.close();
    }
  });
});
