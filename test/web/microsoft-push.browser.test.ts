import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebChatAdapter } from '../../adapters/web/web-adapter.ts';
import { createApp, type App } from '../../src/app.ts';
import { createLogger } from '../../src/core/logger.ts';
import type { Database } from '../../src/db/client.ts';
import { MicrosoftSignIn } from '../../src/web/auth/microsoft.ts';
import { microsoftRoutes } from '../../src/web/auth/microsoft.routes.ts';
import { sessionRoutes } from '../../src/web/auth/session.routes.ts';
import { WebSessions } from '../../src/web/auth/sessions.ts';
import { inboxEventRoutes } from '../../src/web/push/inbox-events.routes.ts';
import { InboxHub } from '../../src/web/push/inbox-hub.ts';
import { WebServer } from '../../src/web/server.ts';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { testDatabase } from '../support/database.ts';
import { freePort, startOpenIdProvider, type TestOpenIdProvider } from '../support/openid-provider.ts';

/**
 * In Chromium: the sign-in screen's "Sign in with Microsoft" button, through a real OpenID
 * provider and back, signed in; then a direct message stored for the person appears on the page,
 * pushed over the event stream, while the page asks the inbox nothing.
 */
const SCREENSHOTS = path.resolve('test-results');
let database: Database;
let provider: TestOpenIdProvider;
let server: WebServer;
let hub: InboxHub;
let web: WebChatAdapter;
let app: App;
let base = '';
let launched: TestBrowser | undefined;
let page: Page;

beforeAll(async () => {
  // the page's script is bundled from adapters/web/client by the build
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'ignore' });
  database = await testDatabase();
  const log = createLogger('error');
  const db = database.prisma;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startOpenIdProvider(`${base}/auth/microsoft/callback`);
  const sessions = new WebSessions(db);
  web = new WebChatAdapter(db, { sessions });
  app = createApp({ db, adapters: [web], log });
  hub = new InboxHub(database.listen, log);
  await hub.start();
  const microsoft = new MicrosoftSignIn({ issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret }, log);
  server = new WebServer(log);
  server.add(
    ...web.routes(),
    sessionRoutes(sessions, { microsoft: true }),
    microsoftRoutes(microsoft, sessions, { db, log }),
    inboxEventRoutes({ db, hub, sessions, log, mayRead: (personId, room) => web.mayRead(personId, room) }),
  );
  await web.start((e) => app.bot.handle(e, web.capabilities));
  await server.listen(port, '127.0.0.1');
  launched = await launchBrowser({ viewport: { width: 390, height: 844 }, locale: 'en-GB', reducedMotion: 'reduce' });
  page = launched.context.pages()[0] ?? (await launched.context.newPage());
  page.setDefaultTimeout(15_000);
}, 120_000);

afterAll(async () => {
  await launched?.close();
  await server?.close();
  await hub?.stop();
  await web?.stop();
  await app?.services.broadcasts.stop();
  await provider?.close();
  await database?.close();
});

describe('Sign in with Microsoft and pushed messages, in a browser', () => {
  it('signs in with the button, then shows a message pushed over the event stream without polling', async () => {
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(String(err)));
    const inboxRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/webchat/inbox')) inboxRequests.push(r.url());
    });
    provider.signInAs({ sub: 'gwen', oid: '00000000-0000-0000-0000-00000000e5e5', tid: '9188040d-6c67-4c5b-b112-36a304b66dad', name: 'Gwen Morgan' });

    await page.goto(`${base}/`);
    const button = page.getByRole('link', { name: /Sign in with Microsoft/ });
    await button.waitFor();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'microsoft-sign-in.png'), fullPage: true });
    await button.click();
    // out to the provider and back: the chat, signed in as the directory user
    await page.locator('#chat-screen').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('#whoami-text').innerText()).toContain('Gwen Morgan');
    expect(page.url()).toBe(`${base}/`);

    // the page holds an event stream; a direct message stored for Gwen arrives on it
    await expect.poll(() => hub.streams, { timeout: 15_000 }).toBe(1);
    const account = await database.prisma.account.findFirstOrThrow({ where: { platform: 'web', person: { accounts: { some: { platform: 'microsoft' } } } } });
    const inboxBefore = inboxRequests.length;
    await web.send(`web:${account.platformUserId}`, { text: 'Your report-back for the Health Board is due on Friday.' });
    await page.locator('#log .msg-bot', { hasText: 'Your report-back for the Health Board is due on Friday.' }).waitFor();
    // nothing asked the inbox meanwhile: the message was pushed
    expect(inboxRequests.length).toBe(inboxBefore);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'microsoft-push.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('falls back to asking the inbox where no event stream can be held', async () => {
    const other = await launched!.context.newPage();
    const problems: string[] = [];
    other.on('pageerror', (err) => problems.push(String(err)));
    // a proxy that will not pass event streams
    await other.route('**/api/webchat/events*', (route) => route.fulfill({ status: 502, contentType: 'text/plain', body: 'no streams here' }));
    const inboxRequests: string[] = [];
    other.on('request', (r) => {
      if (r.url().includes('/api/webchat/inbox')) inboxRequests.push(r.url());
    });
    await other.goto(`${base}/`); // same browser: still signed in
    await other.locator('#chat-screen').waitFor({ state: 'visible' });
    await expect.poll(() => inboxRequests.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const account = await database.prisma.account.findFirstOrThrow({ where: { platform: 'web', person: { accounts: { some: { platform: 'microsoft' } } } } });
    await web.send(`web:${account.platformUserId}`, { text: 'Asked for, not pushed.' });
    await other.locator('#log .msg-bot', { hasText: 'Asked for, not pushed.' }).waitFor();
    expect(problems).toEqual([]);
    await other.close();
  });
});
