import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.ts';
import type { Database } from '../../src/db/client.ts';
import { sessionRoutes } from '../../src/web/auth/session.routes.ts';
import { hashToken, SESSION_LIFETIME_MS, WebSessions } from '../../src/web/auth/sessions.ts';
import { WebServer, type WebRoutes } from '../../src/web/server.ts';
import { testDatabase } from '../support/database.ts';
import { WebSignIns } from '../support/web-sign-in.ts';

/** Web sessions over real HTTP on a real database: the cookie, who am I, expiry, sign-out (here and everywhere). */
let database: Database;
let server: WebServer;
let base = '';
const clock = { now: new Date('2026-12-05T10:00:00Z') };
let sessions: WebSessions;
let people: WebSignIns;

beforeAll(async () => {
  database = await testDatabase();
  sessions = new WebSessions(database.prisma, { now: () => clock.now, cacheMs: 1000 });
  people = new WebSignIns(database.prisma, sessions);
  server = new WebServer(createLogger('error'));
  // a way in for the test: what every real way in ends with
  const signInAs: WebRoutes = async (app) => {
    app.post('/test/sign-in', async (req, reply) => {
      await sessions.createSession((req.body as { personId: string }).personId, reply);
      return { ok: true };
    });
  };
  server.add(sessionRoutes(sessions), signInAs);
  base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const me = async (cookie?: string) => (await fetch(`${base}/api/auth/me`, { headers: cookie ? { cookie } : {} })).json() as Promise<{ signedIn: boolean; name?: string; webUserId?: string }>;
const post = (path: string, cookie?: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...headers }, body: '{}' });

describe('web sessions', () => {
  it('sets an HttpOnly, SameSite=Lax cookie for 30 days; only the token hash is stored', async () => {
    const person = await database.prisma.person.create({ data: { displayName: 'Nia Rees' } });
    const res = await fetch(`${base}/test/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ personId: person.id }) });
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/^forumbot_session=[\w-]{43}; /);
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Lax');
    expect(set).not.toContain('Secure');
    const token = /forumbot_session=([\w-]+)/.exec(set)![1];
    const expires = new Date(/Expires=([^;]+)/.exec(set)![1]);
    expect(Math.round((expires.getTime() - clock.now.getTime()) / 86_400_000)).toBe(30);
    const rows = await database.prisma.webSession.findMany({ where: { personId: person.id } });
    expect(rows.map((r) => r.tokenHash)).toEqual([hashToken(token)]);
    expect(JSON.stringify(rows)).not.toContain(token);
    // a web chat account was made for the person: their direct messages are "web:<person id>"
    expect(await me(`forumbot_session=${token}`)).toMatchObject({ signedIn: true, name: 'Nia Rees', webUserId: person.id });
  });

  it('is Secure and __Host- named when PUBLIC_URL is https', () => {
    const s = new WebSessions(database.prisma, { publicUrl: 'https://forum.example.org' });
    expect([s.secure, s.cookieName]).toEqual([true, '__Host-forumbot_session']);
  });

  it('nobody is signed in without a cookie, with a forged one, or one past its 30 days', async () => {
    expect((await me()).signedIn).toBe(false);
    expect((await me('forumbot_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).signedIn).toBe(false);
    const cookie = await people.cookieFor('old-session', 'Old Session');
    expect((await me(cookie)).signedIn).toBe(true);
    clock.now = new Date(clock.now.getTime() + SESSION_LIFETIME_MS + 1000);
    try {
      expect((await me(cookie)).signedIn).toBe(false);
    } finally {
      clock.now = new Date('2026-12-05T10:00:00Z');
    }
  });

  it('sign-out ends this browser only; sign-out everywhere ends every browser', async () => {
    const personId = await people.personFor('gareth', 'Gareth Lloyd');
    const cookies = await Promise.all([1, 2, 3].map(async () => `${sessions.cookieName}=${(await sessions.open(personId)).token}`));
    for (const c of cookies) expect((await me(c)).name).toBe('Gareth Lloyd');

    const out = await post('/api/auth/sign-out', cookies[0]);
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/forumbot_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await me(cookies[0])).signedIn).toBe(false);
    expect((await me(cookies[1])).signedIn).toBe(true);

    expect((await post('/api/auth/sign-out-everywhere')).status).toBe(401);
    const all = await post('/api/auth/sign-out-everywhere', cookies[1]);
    expect(await all.json()).toEqual({ signedIn: false, ended: 2 });
    for (const c of cookies) expect((await me(c)).signedIn).toBe(false);
    expect(await database.prisma.webSession.count({ where: { personId } })).toBe(0);
  });

  it("a deleted person's cookie signs nobody in (after the short cache)", async () => {
    const cookie = await people.cookieFor('leaver', 'Leaver');
    expect((await me(cookie)).signedIn).toBe(true);
    await database.prisma.person.delete({ where: { id: await people.personFor('leaver') } });
    await new Promise((r) => setTimeout(r, sessions.cacheMs + 50));
    expect((await me(cookie)).signedIn).toBe(false);
  });

  it('a state-changing request from another site is refused, whatever its cookie', async () => {
    const cookie = await people.cookieFor('victim', 'Victim');
    const evil = await post('/api/auth/sign-out-everywhere', cookie, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: string }).error).toMatch(/another website/);
    expect((await post('/api/auth/sign-out-everywhere', cookie, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await me(cookie)).signedIn).toBe(true);
    // the page's own origin is accepted
    expect((await post('/api/auth/sign-out', cookie, { origin: base })).status).toBe(200);
  });
});
