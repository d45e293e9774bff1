import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebChatAdapter } from '../../adapters/web/web-adapter.ts';
import { createApp, type App } from '../../src/app.ts';
import { createLogger } from '../../src/core/logger.ts';
import type { Database } from '../../src/db/client.ts';
import { smtpMailer } from '../../src/web/auth/mailer.ts';
import { sessionRoutes } from '../../src/web/auth/session.routes.ts';
import { WebSessions } from '../../src/web/auth/sessions.ts';
import { signInRoutes } from '../../src/web/auth/sign-in.routes.ts';
import { WebServer } from '../../src/web/server.ts';
import { testDatabase } from '../support/database.ts';
import { linkAndCode, localSmtp } from '../support/smtp.ts';
import { WebSignIns } from '../support/web-sign-in.ts';

/**
 * The attacks from issue 14, each made over real HTTP against the web chat and sign-in on a real
 * database, with mail through a real local SMTP server. Each must be refused and change nothing.
 */
let database: Database;
let app: App;
let server: WebServer;
let base = '';
let smtp: Awaited<ReturnType<typeof localSmtp>>;
let people: WebSignIns;
let sessions: WebSessions;
const clock = { now: new Date('2026-12-05T10:00:00Z') };
let officerCookie = '';

type Json = Record<string, unknown> & { error?: string; errorCy?: string; problems?: string[]; messages?: { text: string; conversation?: string }[] };

/** A request from a client address (behind the proxy): a fresh one each time unless `from` is given. */
async function call(path: string, init: { method?: string; cookie?: string; body?: string | object; type?: string; headers?: Record<string, string>; from?: string } = {}) {
  const from = init.from ?? `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
  const headers: Record<string, string> = { 'x-forwarded-for': from, ...(init.headers ?? {}) };
  if (init.cookie) headers.cookie = init.cookie;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] = init.type ?? 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // not JSON (a page)
  }
  return { status: res.status, json, text, headers: res.headers };
}
const cookieOf = (setCookie: string | null) => setCookie!.split(';')[0];
const inviteCount = () => database.prisma.inviteCode.count();

/** Signs an email address in through the real mail: asks for a mail, reads it from the SMTP server, opens the link. */
async function signInByMail(email: string, name: string): Promise<string> {
  expect((await call('/api/auth/email', { body: { email, name } })).status).toBe(200);
  const { token } = linkAndCode(await smtp.mailTo(email));
  const res = await call('/api/auth/link', { body: { token } });
  expect(res.status).toBe(200);
  return cookieOf(res.headers.get('set-cookie'));
}

beforeAll(async () => {
  database = await testDatabase();
  smtp = await localSmtp();
  const db = database.prisma;
  const log = createLogger('error');
  sessions = new WebSessions(db, { now: () => clock.now, cacheMs: 200 });
  people = new WebSignIns(db, sessions);
  const web = new WebChatAdapter(db, { sessions, commandsPerPerson: { max: 15, windowMs: 60_000 } });
  app = createApp({ db, adapters: [web], log, now: () => clock.now });
  server = new WebServer(log, { trustProxy: true });
  const mailer = smtpMailer(smtp.url, 'forumbot <bot@forum.test>');
  server.add(...web.routes(), sessionRoutes(sessions), signInRoutes({ db, sessions, mailer, baseUrl: 'http://forum.test', now: () => clock.now }));
  await web.start((e) => app.bot.handle(e, web.capabilities));
  base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  app.services.webUrl = 'http://forum.test';

  // an officer with a forum and an announcement room
  officerCookie = await people.cookieFor('carys-officer', 'Carys Officer');
  const say = async (text: string, room?: string) => {
    const res = await call('/api/webchat', { cookie: officerCookie, body: { text, ...(room ? { room } : {}) } });
    expect(res.status).toBe(200);
    return res.json.messages!.map((m) => m.text).join('\n');
  };
  expect(await say('forum create Powys Forum cvc="PAVO" slug=powys')).toMatch(/created/);
  expect(await say('channel link', 'announcements')).toMatch(/announcement/i);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await app?.services.broadcasts.stop();
  await database?.close();
  await smtp?.close();
});

describe('attacks on the web chat, over HTTP', () => {
  it('acting as another user: no cookie is 401, a "user" field is 400, and nothing happens', async () => {
    const before = await database.prisma.membership.findMany({ select: { personId: true, roles: true } });
    const anon = await call('/api/webchat', { body: { user: 'carys-officer', text: 'role add officer mallory' } });
    expect(anon.status).toBe(401);
    expect([anon.json.error, anon.json.errorCy]).toEqual(['Please sign in first.', 'Mewngofnodwch yn gyntaf.']);

    const mallory = await signInByMail('mallory@evil.example', 'Mallory');
    const named = await call('/api/webchat', { cookie: mallory, body: { user: 'carys-officer', name: 'Carys Officer', text: 'invite create' } });
    expect(named.status).toBe(400);
    expect(named.json.problems!.join()).toMatch(/user/);
    // as herself, an officer's command is refused by the bot
    const own = await call('/api/webchat', { cookie: mallory, body: { text: 'invite create' } });
    expect(own.status).toBe(200);
    expect(own.json.messages![0].text).not.toMatch(/code=/);
    expect(await inviteCount()).toBe(0);
    expect(await database.prisma.membership.findMany({ select: { personId: true, roles: true } })).toEqual(before);
  });

  it("reading another's inbox: 401 without a session, 400 with a user field, 403 for a room of a forum one is not in", async () => {
    // Mallory asks to join: the officers are told privately
    const mallory = await signInByMail('mallory2@evil.example', 'Mallory Two');
    expect((await call('/api/webchat', { cookie: mallory, body: { text: 'join powys' } })).json.messages![0].text).toMatch(/has gone to the forum officers/);
    await app.services.broadcasts.idle();
    await app.services.broadcasts.deliverDue();
    const officerOwn = await call('/api/webchat/inbox', { cookie: officerCookie });
    expect(officerOwn.status).toBe(200);
    expect(JSON.stringify(officerOwn.json)).toContain('Mallory Two');

    expect((await call('/api/webchat/inbox?user=carys-officer&room=announcements')).status).toBe(401);
    // the command list offered as you type is for signed-in people only, like the inbox
    expect((await call('/api/webchat/commands')).status).toBe(401);
    expect((await call('/api/webchat/commands', { cookie: 'forumbot_session=forged' })).status).toBe(401);
    expect((await call('/api/webchat/commands', { cookie: mallory })).status).toBe(200);
    const withUser = await call('/api/webchat/inbox?user=carys-officer', { cookie: mallory });
    expect(withUser.status).toBe(400);
    const room = await call('/api/webchat/inbox?room=announcements', { cookie: mallory });
    expect(room.status).toBe(403);
    expect(room.json.errorCy).toMatch(/perthyn i rywun arall/);
    const hers = await call('/api/webchat/inbox', { cookie: mallory });
    expect(hers.status).toBe(200);
    expect(JSON.stringify(hers.json)).not.toContain('Mallory Two wants'); // only her own messages
    const herDm = `web:${(await sessions.personOfToken(mallory.split('=')[1]))!.webUserId}`;
    expect(hers.json.messages!.every((m) => m.conversation === herDm)).toBe(true);
    // the officer, a member, reads the room
    expect((await call('/api/webchat/inbox?room=announcements', { cookie: officerCookie })).status).toBe(200);
  });

  it('a cross-site POST (Origin evil.example, text/plain) is refused and creates no invite', async () => {
    const evil = await call('/api/webchat', { cookie: officerCookie, body: '{"text":"invite create uses=50"}', type: 'text/plain', headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.json.error).toMatch(/another website/);
    const fetchMeta = await call('/api/webchat', { cookie: officerCookie, body: { text: 'invite create uses=50' }, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(fetchMeta.status).toBe(403);
    // same origin but not JSON (what a plain HTML form can send): 415
    expect((await call('/api/webchat', { cookie: officerCookie, body: '{"text":"invite create"}', type: 'text/plain' })).status).toBe(415);
    expect((await call('/api/webchat', { cookie: officerCookie, body: 'text=invite+create', type: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect(await inviteCount()).toBe(0);
    // the same command from the page itself works
    const ok = await call('/api/webchat', { cookie: officerCookie, body: { text: 'invite create' }, headers: { origin: base } });
    expect(ok.json.messages![0].text).toMatch(/code=/);
    expect(await inviteCount()).toBe(1);
  });

  it('a reused link, an expired link and a forged link sign nobody in', async () => {
    await call('/api/auth/email', { body: { email: 'nerys@example.org' } });
    const { token } = linkAndCode(await smtp.mailTo('nerys@example.org'));
    const first = await call('/api/auth/link', { body: { token } });
    expect(first.status).toBe(200);
    const sessionsAfterFirst = await database.prisma.webSession.count();
    const again = await call('/api/auth/link', { body: { token } });
    expect(again.status).toBe(400);
    expect(again.json.error).toMatch(/already been used/);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await database.prisma.webSession.count()).toBe(sessionsAfterFirst);

    await call('/api/auth/email', { body: { email: 'late@example.org' } });
    const late = linkAndCode(await smtp.mailTo('late@example.org'));
    clock.now = new Date(clock.now.getTime() + 16 * 60_000);
    try {
      const expired = await call('/api/auth/link', { body: { token: late.token } });
      expect([expired.status, expired.json.error]).toEqual([400, expect.stringMatching(/expired/)]);
      expect(expired.json.errorCy).toMatch(/wedi dod i ben/);
    } finally {
      clock.now = new Date('2026-12-05T10:00:00Z');
    }
    expect(await database.prisma.person.count({ where: { email: 'late@example.org' } })).toBe(0);

    const forged = await call('/api/auth/link', { body: { token: 'A'.repeat(43) } });
    expect(forged.status).toBe(400);
    // only hashes are stored: neither the link's token nor the code is in the table
    await call('/api/auth/email', { body: { email: 'stored@example.org' } });
    const stored = linkAndCode(await smtp.mailTo('stored@example.org'));
    const rows = JSON.stringify(await database.prisma.signInToken.findMany());
    expect(rows).not.toContain(stored.token);
    expect(rows).not.toContain(stored.code);
  });

  it('a forged code is refused; five wrong codes lock the address (429, Retry-After), even for the right code', async () => {
    await call('/api/auth/email', { body: { email: 'target@example.org' } });
    const { code } = linkAndCode(await smtp.mailTo('target@example.org'));
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await call('/api/auth/code', { body: { email: 'target@example.org', code: wrong } });
    expect([first.status, first.json.error]).toEqual([400, 'That code is not right. Tries left before the address is locked: 4.']);
    for (let i = 0; i < 3; i++) expect((await call('/api/auth/code', { body: { email: 'target@example.org', code: wrong } })).status).toBe(400);
    const fifth = await call('/api/auth/code', { body: { email: 'target@example.org', code: wrong } });
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers.get('retry-after'))).toBe(15 * 60);
    expect(fifth.json.error).toMatch(/locked for 15 minutes/);
    expect(fifth.json.errorCy).toMatch(/wedi’i gloi am 15 munud/);
    const right = await call('/api/auth/code', { body: { email: 'target@example.org', code } });
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    // and no fresh code can be asked for to start the count again
    const fresh = await call('/api/auth/email', { body: { email: 'target@example.org' } });
    expect(fresh.status).toBe(429);
    expect(await database.prisma.person.count({ where: { email: 'target@example.org' } })).toBe(0);
  });

  it('guessing codes for many addresses from one address is rate limited (429, Retry-After)', async () => {
    const statuses: number[] = [];
    const from = '203.0.113.66';
    for (let i = 0; i < 21; i++) statuses.push((await call('/api/auth/code', { from, body: { email: `spray${i}@example.org`, code: '123456' } })).status);
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const limited = await call('/api/auth/code', { from, body: { email: 'spray99@example.org', code: '123456' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.json.errorCy).toMatch(/Gormod o geisiadau/);
  });

  it('asking for mails to one address again and again is rate limited, from whatever client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call('/api/auth/email', { body: { email: 'flooded@example.org' } })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(smtp.mails.filter((m) => m.to === 'flooded@example.org')).toHaveLength(3);
  });

  it('commands are rate limited per account (429, Retry-After)', async () => {
    const cookie = await people.cookieFor('chatterbox', 'Chatterbox');
    const statuses: number[] = [];
    for (let i = 0; i < 17; i++) statuses.push((await call('/api/webchat', { cookie, body: { text: 'help' } })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(15);
    const last = await call('/api/webchat', { cookie, body: { text: 'help' } });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    // another person is not held up
    expect((await call('/api/webchat', { cookie: await people.cookieFor('quiet', 'Quiet'), body: { text: 'help' } })).status).toBe(200);
  });

  it("a deleted person's cookie, a forged cookie and a signed-out cookie are all 401", async () => {
    const cookie = await signInByMail('gone@example.org', 'Gone');
    expect((await call('/api/webchat', { cookie, body: { text: 'help' } })).status).toBe(200);
    await database.prisma.person.delete({ where: { email: 'gone@example.org' } });
    await new Promise((r) => setTimeout(r, sessions.cacheMs + 50));
    expect((await call('/api/webchat', { cookie, body: { text: 'help' } })).status).toBe(401);
    expect(await database.prisma.account.count({ where: { displayName: 'Gone' } })).toBe(0); // not re-made
    expect((await call('/api/webchat', { cookie: `${sessions.cookieName}=${'x'.repeat(43)}`, body: { text: 'help' } })).status).toBe(401);
    const leaving = await signInByMail('leaving@example.org', 'Leaving');
    await call('/api/auth/sign-out', { cookie: leaving, body: {} });
    expect((await call('/api/webchat/inbox', { cookie: leaving })).status).toBe(401);
  });

  it('demo people cannot be picked outside demo mode', async () => {
    const res = await call('/api/auth/demo', { body: { persona: 'demo-officer' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect((await call('/api/auth/demo')).json).toEqual({ demo: false, personas: [] });
  });

  it('oversized bodies are 413, malformed ones 400 with what to fix, NUL bytes 400: never a 500', async () => {
    const big = await call('/api/webchat', { cookie: officerCookie, body: JSON.stringify({ text: 'x'.repeat(10 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
    expect(big.json.errorCy).toMatch(/rhy fawr/);
    for (const bad of ['{not json', '', '[1,2]', '{"text":42}', '{"text":""}', '{"action":{"command":5}}']) {
      const res = await call('/api/webchat', { cookie: officerCookie, body: bad });
      expect(res.status, bad).toBe(400);
      expect(res.json.error).toMatch(/fix what is listed/);
    }
    expect((await call('/api/webchat/inbox?room=ann%00ouncements', { cookie: officerCookie })).status).toBe(400);
    expect((await call('/api/webchat/inbox?after=%00', { cookie: officerCookie })).status).not.toBe(500);
    expect((await call('/api/auth/email', { body: { email: 'a\u0000@example.org' } })).status).toBe(400);
    expect((await call('/api/auth/code', { body: { email: 'x@example.org', code: '12\u00003456' } })).status).toBe(400);
    expect((await call('/api/auth/link', { body: { token: `${'A'.repeat(42)}\u0000` } })).status).toBe(400);
    const nulText = await call('/api/webchat', { cookie: officerCookie, body: { text: 'help\u0000me' } });
    expect(nulText.status).not.toBe(500);
    expect((await call('/api/auth/email', { body: { email: 'not an address' } })).json.problems).toEqual(['email: must be an email address such as name@example.org']);
  });

  it('with the SMTP server refusing mail, the person is told to try again and nothing is left behind', async () => {
    smtp.control.refuse = true;
    try {
      const res = await call('/api/auth/email', { body: { email: 'unlucky@example.org', name: 'Unlucky' } });
      expect(res.status).toBe(503);
      expect(res.json.error).toMatch(/could not be sent just now. Please try again/);
      expect(res.json.errorCy).toMatch(/Rhowch gynnig arall arni/);
    } finally {
      smtp.control.refuse = false;
    }
    expect(await database.prisma.signInToken.count({ where: { email: 'unlucky@example.org' } })).toBe(0);
    expect(await database.prisma.person.count({ where: { email: 'unlucky@example.org' } })).toBe(0);
  });

  it('"web" / "gwe" answers a sign-in link only in a direct message', async () => {
    const cookie = await people.cookieFor('dm-person', 'DM Person');
    const inRoom = await call('/api/webchat', { cookie, body: { text: 'gwe', room: 'announcements' } });
    expect(inRoom.json.messages![0].text).not.toMatch(/#signin=/);
    const direct = await call('/api/webchat', { cookie, body: { text: 'web' } });
    const token = /#signin=([\w-]{43})/.exec(direct.json.messages![0].text)![1];
    const res = await call('/api/auth/link', { body: { token } });
    expect(res.json).toEqual({ signedIn: true, name: 'DM Person' });
  });

  it('every page and answer carries the security headers', async () => {
    for (const path of ['/', '/api/auth/me', '/api/webchat/inbox']) {
      const res = await call(path);
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});
