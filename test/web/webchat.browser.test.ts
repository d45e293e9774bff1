import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { WebChatAdapter, webRef } from '../../adapters/web/web-adapter.ts';
import { createApp, type App } from '../../src/app.ts';
import { arg, defineCommand, type CommandDef } from '../../src/core/commands.ts';
import type { Feature } from '../../src/core/feature.ts';
import type { MessageKey } from '../../src/core/i18n.ts';
import { createLogger } from '../../src/core/logger.ts';
import type { OutgoingMessage } from '../../src/core/messages.ts';
import { seedDemo } from '../../src/features/forums/demo.ts';
import { features } from '../../src/features/index.ts';
import { smtpMailer } from '../../src/web/auth/mailer.ts';
import { sessionRoutes } from '../../src/web/auth/session.routes.ts';
import { WebSessions } from '../../src/web/auth/sessions.ts';
import { signInRoutes } from '../../src/web/auth/sign-in.routes.ts';
import { inboxEventRoutes } from '../../src/web/push/inbox-events.routes.ts';
import { InboxHub } from '../../src/web/push/inbox-hub.ts';
import { WebServer } from '../../src/web/server.ts';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { testDatabase } from '../support/database.ts';
import { linkAndCode, localSmtp } from '../support/smtp.ts';

/**
 * The web chat page in a real browser (Chromium from test/support/browser.ts, driven by playwright-core) against the
 * real app on a fresh database: typed commands, and a test-only feature whose message has a form,
 * a ranked ballot, buttons and a select, with submit commands that echo what they received.
 */

const SCREENSHOTS = path.resolve('test-results');

// ------------------------------------------------------------------ a test-only feature

const anything = (name: string) => arg(name, z.unknown().optional(), 'demo.arg');
const echo = (en: string, cy: string, summary: MessageKey, argNames: string[], label: string, ephemeral = false): CommandDef =>
  defineCommand({
    names: { en, cy },
    group: 'demo',
    summary,
    args: argNames.map(anything),
    examples: { en: [], cy: [] },
    permission: 'anyone',
    needsForum: false,
    hidden: true,
    async run(_ctx, args) {
      const message: OutgoingMessage = { text: `${label}: ${JSON.stringify(args)}` };
      return ephemeral ? { visibility: 'ephemeral', message } : message;
    },
  });

const demoMessage: OutgoingMessage = {
  text: 'A demo form, ballot and buttons',
  blocks: [
    { type: 'header', text: 'Demo: project report and vote' },
    { type: 'section', text: 'Fill in the **report** below.\nThen rank the candidates.' },
    { type: 'fields', fields: [{ label: 'Deadline', value: '1 December 2026' }, { label: 'Forum', value: 'Test Forum' }] },
    {
      type: 'form',
      form: {
        id: 'report',
        title: 'Project report',
        submitLabel: 'Send report',
        fields: [
          { kind: 'text', name: 'title', label: 'Title', required: true, maxLength: 80, placeholder: 'e.g. Winter food drive' },
          { kind: 'textarea', name: 'notes', label: 'Notes', maxLength: 200 },
          { kind: 'number', name: 'people', label: 'People reached', required: true, min: 0, max: 500 },
          { kind: 'date', name: 'when', label: 'Date of the meeting' },
          { kind: 'select', name: 'area', label: 'Interest area', options: [{ label: 'Health', value: 'health' }, { label: 'Environment', value: 'environment' }] },
          { kind: 'text', name: 'extra', label: 'Anything else' },
          { kind: 'checkbox', name: 'public', label: 'Publish on the forum website' },
        ],
        submit: { command: 'demo echo form', args: { form: 'report' } },
      },
    },
    { type: 'divider' },
    {
      type: 'ballot',
      ballot: {
        id: 'chair',
        title: 'Election: Chair',
        instructions: 'Put 1 next to your first choice, 2 next to your second, and so on.',
        candidates: [
          { id: 'c-alys', name: 'Alys Jones', statement: 'I have chaired the **food bank** for six years.\nI will listen.' },
          { id: 'c-bryn', name: 'Bryn Davies', statement: 'Carers need a louder voice.' },
          { id: 'c-ceri', name: 'Ceri Evans' },
        ],
        submitLabel: 'Cast my vote',
        submit: { command: 'demo echo vote', args: { election: 'e1' } },
      },
    },
    { type: 'divider' },
    {
      type: 'buttons',
      buttons: [
        { label: 'Approve', style: 'primary', action: { command: 'demo echo press', args: { choice: 'approve' } } },
        { label: 'Withdraw', style: 'danger', action: { command: 'demo echo press', args: { choice: 'withdraw' } } },
        { label: 'Later', action: { command: 'demo echo press', args: { choice: 'later' } } },
      ],
    },
    {
      type: 'select',
      id: 'colour',
      label: 'Favourite colour',
      placeholder: 'Choose a colour',
      options: [{ label: 'Green', value: 'green' }, { label: 'Purple', value: 'purple', description: 'the forum colour' }],
      action: { command: 'demo echo choice', args: { from: 'select' } },
      argName: 'colour',
    },
  ],
};

const demoForm = defineCommand({
  names: { en: 'demo form', cy: 'demo ffurflen' },
  group: 'demo',
  summary: 'demo.cmd.form',
  args: [],
  examples: { en: ['demo form'], cy: ['demo ffurflen'] },
  permission: 'anyone',
  needsForum: false,
  async run() {
    return demoMessage;
  },
});

const demoFeature: Feature = {
  id: 'demo',
  catalogues: {
    en: { 'demo.cmd.form': 'Show a demo form and ballot', 'demo.cmd.echo': 'Echo what was received', 'demo.arg': 'any value', 'core.help.group.demo': 'Demo' },
    cy: { 'demo.cmd.form': 'Dangos ffurflen a phapur pleidleisio enghreifftiol', 'demo.cmd.echo': 'Adleisio’r hyn a dderbyniwyd', 'demo.arg': 'unrhyw werth', 'core.help.group.demo': 'Enghraifft' },
  },
  commands: [
    demoForm,
    echo('demo echo form', 'demo adlais ffurflen', 'demo.cmd.echo', ['form', 'title', 'notes', 'people', 'when', 'area', 'extra', 'public'], 'Form received'),
    echo('demo echo vote', 'demo adlais pleidlais', 'demo.cmd.echo', ['election', 'ranks'], 'Vote received'),
    echo('demo echo press', 'demo adlais botwm', 'demo.cmd.echo', ['choice'], 'Pressed', true),
    echo('demo echo choice', 'demo adlais dewis', 'demo.cmd.echo', ['from', 'colour'], 'Chosen'),
  ],
};

// ------------------------------------------------------------------ the app and the browser

let database: Awaited<ReturnType<typeof testDatabase>> | undefined;
let app: App | undefined;
let web: WebChatAdapter | undefined;
let server: WebServer | undefined;
let page: Page;
let baseUrl = '';
let launched: TestBrowser | undefined;
let launchError: Error | undefined;
let hub: InboxHub | undefined;
let smtp: Awaited<ReturnType<typeof localSmtp>> | undefined;

beforeAll(async () => {
  // the page's script is bundled from adapters/web/client by the build
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'ignore' });
  database = await testDatabase();
  smtp = await localSmtp();
  const log = createLogger('error');
  const db = database.prisma;
  const sessions = new WebSessions(db);
  web = new WebChatAdapter(db, { sessions });
  app = createApp({ db, adapters: [web], log, features: [...features, demoFeature] });
  server = new WebServer(log);
  const mailer = smtpMailer(smtp.url, 'forumbot <bot@forum.test>');
  // new messages pushed to the page, as src/main.ts mounts them
  hub = new InboxHub(database.listen, log);
  await hub.start();
  const reader = web;
  server.add(
    ...web.routes(),
    sessionRoutes(sessions),
    signInRoutes({ db, sessions, mailer, baseUrl: () => baseUrl }),
    inboxEventRoutes({ db, hub, sessions, log, mayRead: (personId, room) => reader.mayRead(personId, room) }),
  );
  const adapter = web;
  await adapter.start((e) => app!.bot.handle(e, adapter.capabilities));
  const port = await server.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${port}/`;
  app.services.webUrl = baseUrl; // "web" in chat answers links to this server

  try {
    launched = await launchBrowser({ viewport: { width: 1280, height: 2000 }, locale: 'en-GB', reducedMotion: 'reduce' });
  } catch (err) {
    launchError = err as Error;
    return;
  }
  const context = launched.context;
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(String(err)));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  (page as Page & { problems?: string[] }).problems = problems;
}, 120_000);

afterAll(async () => {
  await launched?.close();
  await hub?.stop();
  await server?.close();
  await web?.stop();
  if (app) {
    await app.services.broadcasts.stop();
    await app.services.broadcasts.idle();
  }
  await database?.close();
  await smtp?.close();
});

const pageProblems = () => (page as Page & { problems?: string[] }).problems ?? [];
/** The bot's replies (not inbox notices, which may arrive at any moment). */
const botMessages = () => page.locator('#log .msg-bot:not(.is-notice)');

/** Types a line, presses Send, and answers the text of the first bot message that follows. */
async function say(text: string): Promise<string> {
  const before = await botMessages().count();
  await page.getByLabel('Message / Neges').fill(text);
  await page.getByRole('button', { name: 'Send / Anfon' }).click();
  const reply = botMessages().nth(before);
  await reply.waitFor({ timeout: 15_000 });
  return reply.innerText();
}

/** Runs an action in the page (click, submit) and answers the text of the next bot message. */
async function after(action: () => Promise<void>): Promise<string> {
  const before = await botMessages().count();
  await action();
  const reply = botMessages().nth(before);
  await reply.waitFor({ timeout: 15_000 });
  return reply.innerText();
}

function requireBrowser() {
  if (launchError) throw launchError;
}

describe('web chat in a browser', () => {
  it('signs a new person in by the link in a mail from a real SMTP server, then chats', async () => {
    requireBrowser();
    await page.goto(baseUrl);
    expect(await page.title()).toBe('forumbot web chat / Sgwrs ar y we forumbot');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    // the sign-in screen, keyboard only; not a demo, so no banner and no demo people
    const email = page.getByLabel('Email address / Cyfeiriad e-bost');
    await email.waitFor();
    expect(await page.locator('#demo-banner').isHidden()).toBe(true);
    expect(await page.locator('#chat-screen').isHidden()).toBe(true);
    await email.fill('sian@example.org');
    await page.getByLabel('Your name, if you are new here / Eich enw, os ydych chi’n newydd yma').fill('Siân Evans');
    await page.getByLabel('Your name, if you are new here / Eich enw, os ydych chi’n newydd yma').press('Enter');
    await page.getByLabel('The six-digit code from the mail / Y cod chwe digid o’r e-bost').waitFor();
    expect(await page.locator('#signin-message').innerText()).toContain('a link and a six-digit code are on their way');
    expect(await page.locator('#signin-message').innerText()).toContain('dolen a chod chwe digid');

    const mail = await smtp!.mailTo('sian@example.org');
    expect(mail.subject).toBe('Your forumbot sign-in link / Eich dolen fewngofnodi forumbot');
    const { link } = linkAndCode(mail);
    expect(link.startsWith(`${baseUrl}#signin=`)).toBe(true);
    await page.goto(link);
    await page.locator('#chat-screen').waitFor();
    expect(await page.locator('#whoami-text').innerText()).toBe('Signed in as / Wedi mewngofnodi fel Siân Evans');
    expect(page.url()).toBe(baseUrl); // the token is gone from the address bar and history
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('text');
    // the cookie is not readable by scripts
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const person = await database!.prisma.person.findUniqueOrThrow({ where: { email: 'sian@example.org' } });
    expect(person.displayName).toBe('Siân Evans');

    // the same link a second time signs nobody in
    await page.goto(link);
    await page.locator('#signin-error').filter({ hasText: 'already been used' }).waitFor();
    expect(await page.locator('#chat-screen').isHidden()).toBe(true);
    // (the browser logs the refused request; nothing else went wrong)
    expect(pageProblems().splice(0).filter((p) => !/status of 400/.test(p))).toEqual([]);
    // …but this browser's session is still there
    await page.goto(baseUrl);
    await page.locator('#chat-screen').waitFor();

    const log = page.getByRole('log');
    expect(await log.getAttribute('aria-live')).toBe('polite');

    const help = await say('help');
    expect(help).toContain('What you can do');
    expect(help).toContain('forum create');
    const helpMessage = botMessages().last();
    expect(await helpMessage.locator('h2').first().innerText()).toBe('What you can do');
    expect(await helpMessage.locator('.blk-buttons button').count()).toBeGreaterThan(3); // a button per group of commands
    expect(await helpMessage.locator('strong').count()).toBeGreaterThan(0); // **group** headings

    expect(await say('forum create Test Forum cvc="Test CVC"')).toMatch(/Forum “Test Forum” created/);
    expect(await say('partnership add Test LSB')).toMatch(/Added the partnership Test LSB/);
    expect(await say('seat add partnership="Test LSB" Carers seat interest=carers')).toMatch(/Added the seat “Carers seat”/);

    // text from the server is text, never markup
    const odd = await say('<img src=x onerror="window.hacked=1"> **hi**');
    expect(odd).toContain('<img src=x');
    expect(await page.locator('#log img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
    expect(await botMessages().last().innerText()).toContain('Only you can see this / Dim ond chi sy’n gallu gweld hwn');
  });

  it('renders a form, a ranked ballot, buttons and a select, and posts them', async () => {
    requireBrowser();
    await say('demo form');
    const demo = botMessages().nth((await botMessages().count()) - 1);
    expect(await demo.locator('h2').innerText()).toBe('Demo: project report and vote');
    expect(await demo.locator('p.blk-section strong').innerText()).toBe('report');
    expect(await demo.locator('p.blk-section br').count()).toBe(1);
    expect(await demo.locator('dl dt').allInnerTexts()).toEqual(['Deadline', 'Forum']);
    expect(await demo.locator('hr').count()).toBe(2);
    expect(await demo.locator('form.blk-form fieldset legend').innerText()).toBe('Project report');

    // every form control has a label
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLInputElement>('input, select, textarea'))
        .filter((c) => !Array.from(c.labels ?? []).some((l) => l.textContent!.trim()))
        .map((c) => c.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    const title = page.getByLabel('Title');
    const notes = page.getByLabel('Notes');
    const people = page.getByLabel('People reached');
    const when = page.getByLabel('Date of the meeting');
    const area = page.getByLabel('Interest area');
    const publish = page.getByLabel('Publish on the forum website');
    expect(await title.getAttribute('required')).toBe('');
    expect(await title.getAttribute('maxlength')).toBe('80');
    expect(await notes.evaluate((n) => n.tagName)).toBe('TEXTAREA');
    expect(await notes.getAttribute('maxlength')).toBe('200');
    expect(await people.getAttribute('type')).toBe('number');
    expect([await people.getAttribute('min'), await people.getAttribute('max')]).toEqual(['0', '500']);
    expect(await when.getAttribute('type')).toBe('date');
    expect(await area.evaluate((n) => n.tagName)).toBe('SELECT');
    expect(await publish.getAttribute('type')).toBe('checkbox');
    for (const c of ['Alys Jones', 'Bryn Davies', 'Ceri Evans']) {
      const rank = page.getByLabel(`Rank for ${c}`);
      expect(await rank.locator('option').allInnerTexts()).toEqual(['–', '1', '2', '3']);
    }
    expect(await page.getByLabel('Favourite colour').count()).toBe(1);
    expect(await demo.locator('details summary').count()).toBe(2); // Ceri has no statement
    expect(await page.getByText('Statement by Alys Jones / Datganiad gan Alys Jones').count()).toBe(1);

    // the screenshot: help above, the rendered form below
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.getByLabel('Title').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'webchat.png'), fullPage: true });

    // the browser refuses an incomplete form: nothing is posted
    const count = await botMessages().count();
    await page.getByRole('button', { name: 'Send report' }).click();
    expect(await title.evaluate((n) => (n as HTMLInputElement).validity.valueMissing)).toBe(true);
    expect(await botMessages().count()).toBe(count);

    // filled in with the keyboard where it matters
    await title.fill('Winter food drive');
    await people.fill('42');
    await when.fill('2026-12-01');
    await area.selectOption('health');
    await publish.focus();
    await page.keyboard.press('Space');
    expect(await publish.isChecked()).toBe(true);
    const echoed = await after(() => page.getByRole('button', { name: 'Send report' }).click());
    const received = JSON.parse(echoed.slice(echoed.indexOf('{'), echoed.lastIndexOf('}') + 1));
    // typed values: a number, a boolean; empty optional fields left out; the submit's args merged
    expect(received).toEqual({ form: 'report', title: 'Winter food drive', people: 42, when: '2026-12-01', area: 'health', public: true });

    // the ballot: the ranks go as chosen, a repeat too; whether they are right is the server's to say
    await page.getByLabel('Rank for Alys Jones').selectOption('1');
    await page.getByLabel('Rank for Bryn Davies').selectOption('1');
    const repeated = await after(() => page.getByRole('button', { name: 'Cast my vote' }).click());
    expect(repeated).toContain('Vote received: {"election":"e1","ranks":"c-alys=1,c-bryn=1"}');
    // a statement opens with the keyboard
    await demo.locator('summary').first().focus();
    await page.keyboard.press('Enter');
    expect(await demo.locator('details').first().getAttribute('open')).toBe('');
    expect(await demo.locator('details .statement strong').first().innerText()).toBe('food bank');

    await page.getByLabel('Rank for Alys Jones').selectOption('2');
    await page.getByLabel('Rank for Bryn Davies').selectOption('3');
    await page.getByLabel('Rank for Ceri Evans').selectOption('1');
    const vote = await after(() => page.getByRole('button', { name: 'Cast my vote' }).click());
    expect(vote).toContain('Vote received: {"election":"e1","ranks":"c-alys=2,c-bryn=3,c-ceri=1"}');
    expect(await page.locator('#log .msg-user').last().innerText()).toContain('1. Ceri Evans, 2. Alys Jones, 3. Bryn Davies');

    // buttons: styled, and pressing one posts its action
    const approve = page.getByRole('button', { name: 'Approve' });
    expect(await approve.getAttribute('class')).toContain('primary');
    expect(await page.getByRole('button', { name: 'Withdraw' }).getAttribute('class')).toContain('danger');
    await approve.focus();
    const pressed = await after(() => page.keyboard.press('Enter'));
    expect(pressed).toContain('Pressed: {"choice":"approve"}');
    expect(pressed).toContain('Only you can see this');

    // the select posts its choice as the named argument
    await page.getByLabel('Favourite colour').selectOption('purple');
    const chosen = await after(() => page.getByRole('button', { name: 'Choose / Dewis' }).click());
    expect(chosen).toContain('Chosen: {"from":"select","colour":"purple"}');
  });

  it('shows broadcasts and direct messages from the inbox', async () => {
    requireBrowser();
    const user = await page.evaluate(() => fetch('api/auth/me').then((r) => r.json()).then((me: { webUserId: string }) => me.webUserId));
    await web!.send(webRef(user), { text: 'Nominations for **Chair** open on Monday.', blocks: [{ type: 'header', text: 'Test Forum notice' }, { type: 'section', text: 'Nominations for **Chair** open on Monday.' }] });
    const notice = page.locator('#log .msg-bot', { hasText: 'Test Forum notice' });
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.locator('strong').innerText()).toBe('Chair');
    expect(await notice.innerText()).toContain('Notice');
    await page.waitForTimeout(3_500); // one more poll: it is not shown twice
    expect(await page.locator('#log .msg-bot', { hasText: 'Test Forum notice' }).count()).toBe(1);

    // Welsh, through the bot's own command; the page keeps working
    expect(await say('language cy')).toContain('yn Gymraeg');
    expect(await say('help')).toContain('Beth allwch chi ei wneud');

    await page.screenshot({ path: path.join(SCREENSHOTS, 'webchat-end.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel('Rank for Alys Jones').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'webchat-mobile.png') });
    expect(pageProblems()).toEqual([]);
  });

  it('signs out, then in again by typing the code from the mail; works at phone width', async () => {
    requireBrowser();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Sign out / Allgofnodi', exact: true }).click();
    await page.locator('#signin-screen').waitFor();
    expect(await page.locator('#signin-message').innerText()).toContain('You are signed out.');
    const res = await page.evaluate(() => fetch('api/webchat/inbox').then((r) => r.status));
    expect(res).toBe(401);
    pageProblems().splice(0); // the 401 just asked for

    await page.getByLabel('Email address / Cyfeiriad e-bost').fill('sian@example.org');
    await page.getByRole('button', { name: /Email me a sign-in link/ }).click();
    const { code } = linkAndCode(await smtp!.mailTo('sian@example.org'));
    const codeBox = page.getByLabel('The six-digit code from the mail / Y cod chwe digid o’r e-bost');
    await codeBox.fill(`${code.slice(0, 3)} ${code.slice(3)}`);
    await codeBox.press('Enter');
    await page.locator('#chat-screen').waitFor();
    expect(await page.locator('#whoami-text').innerText()).toContain('Siân Evans');
    // nothing is wider than the phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // the same person as before: they chose Welsh, and the bot remembers
    expect(await say('help')).toContain('Beth allwch chi ei wneud');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'webchat-signed-in-mobile.png') });
    await page.setViewportSize({ width: 1280, height: 2000 });
    expect(pageProblems()).toEqual([]);
  });

  it('signs a person from another platform in by the link "web" gives in a direct message', async () => {
    requireBrowser();
    const slackUser = { platform: 'slack', id: 'U0LLINOS', displayName: 'Llinos Parry', dmRef: 'slack:T1:D0LLINOS' };
    const replies = await app!.bot.handle({ kind: 'command', text: 'web', user: slackUser, conversation: 'slack:T1:D0LLINOS', isDirect: true });
    const text = replies.map((r) => r.message.text).join('\n');
    const link = /(http\S+#signin=[\w-]{43})/.exec(text)![1];
    expect(link.startsWith(baseUrl)).toBe(true);

    await page.getByRole('button', { name: 'Sign out / Allgofnodi', exact: true }).click();
    await page.locator('#signin-screen').waitFor();
    await page.goto(link);
    await page.locator('#chat-screen').waitFor();
    expect(await page.locator('#whoami-text').innerText()).toContain('Llinos Parry');
    // the same person as on Slack: one person, a Slack account and a web account
    const slack = await database!.prisma.account.findUniqueOrThrow({ where: { platform_platformUserId: { platform: 'slack', platformUserId: 'U0LLINOS' } } });
    const accounts = await database!.prisma.account.findMany({ where: { personId: slack.personId } });
    expect(accounts.map((a) => a.platform).sort()).toEqual(['slack', 'web']);
    expect(await say('language cy')).toContain('yn Gymraeg');
    expect(pageProblems()).toEqual([]);
  });

  it('in demo mode (start --demo) says loudly that it is a demo and offers the demo people with one click', async () => {
    requireBrowser();
    const db = database!.prisma;
    await seedDemo(db, new Date());
    const sessions = new WebSessions(db);
    const demoServer = new WebServer(createLogger('error'));
    demoServer.add(
      ...web!.routes(),
      sessionRoutes(sessions, { demo: true }),
      signInRoutes({ db, sessions, mailer: smtpMailer(smtp!.url, 'bot@forum.test'), baseUrl, demo: true }),
      inboxEventRoutes({ db, hub: hub!, sessions, log: createLogger('error') }),
    );
    const demoBase = `http://127.0.0.1:${await demoServer.listen(0, '127.0.0.1')}/`;
    try {
      await page.goto(demoBase);
      const banner = page.locator('#demo-banner');
      await banner.waitFor();
      expect(await banner.innerText()).toContain('DEMO — anyone who can open this page can act as any demo person');
      // still signed in as Llinos from the last test (a cookie is per host, whatever the port): sign out
      await page.locator('#chat-screen').waitFor();
      await page.getByRole('button', { name: 'Sign out / Allgofnodi', exact: true }).click();
      await page.getByRole('button', { name: 'Sign in as Carys Officer / Mewngofnodi fel Carys Officer' }).click();
      await page.locator('#chat-screen').waitFor();
      expect(await page.locator('#whoami-text').innerText()).toContain('Carys Officer');
      expect(await banner.isVisible()).toBe(true); // still there while chatting
      expect(await say('who represents us on Health and Social Care Board?')).toContain('Rhian Powell');
      expect(pageProblems()).toEqual([]);
    } finally {
      await demoServer.close();
    }
  });
});
