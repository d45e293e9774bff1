import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandList, WebChatAdapter } from '../../adapters/web/web-adapter.ts';
import { createApp, type App } from '../../src/app.ts';
import { createLogger } from '../../src/core/logger.ts';
import { seedDemo } from '../../src/features/forums/demo.ts';
import { consoleMailer } from '../../src/web/auth/mailer.ts';
import { sessionRoutes } from '../../src/web/auth/session.routes.ts';
import { WebSessions } from '../../src/web/auth/sessions.ts';
import { signInRoutes } from '../../src/web/auth/sign-in.routes.ts';
import { inboxEventRoutes } from '../../src/web/push/inbox-events.routes.ts';
import { InboxHub } from '../../src/web/push/inbox-hub.ts';
import { WebServer } from '../../src/web/server.ts';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { testDatabase } from '../support/database.ts';

/**
 * The web chat for a person who uses only the keyboard, or a screen reader, in a real Chromium
 * against the real app on the demo forum: sign in, ask, press a button, fill a form, cast a
 * ballot (a wrong one first), switch to Welsh, and as an officer approve one of two requests at
 * 200% zoom. After each step: where the focus is, and that nothing hides it; the language each
 * message is marked with; repeated controls' names; and axe-core (WCAG 2.2 A and AA) at a desktop
 * and a phone size, in light and dark mode. Screenshots go to test-results/webchat-keyboard/: the home
 * view, help and a ballot in English and Welsh (home-en, help-en, ballot-en, home-cy, help-cy, ballot-cy)
 * on a desktop, and a few on a phone.
 */

const SHOTS = path.resolve('test-results/webchat-keyboard');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let database: Awaited<ReturnType<typeof testDatabase>> | undefined;
let app: App | undefined;
let server: WebServer | undefined;
let hub: InboxHub | undefined;
let launched: TestBrowser | undefined;
let page: Page;
let base = '';
const problems: string[] = [];

beforeAll(async () => {
  // the page's script is bundled from adapters/web/client by the build
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'ignore' });
  database = await testDatabase();
  const db = database.prisma;
  await seedDemo(db, new Date());
  const log = createLogger('error');
  const sessions = new WebSessions(db);
  const web = new WebChatAdapter(db, { sessions, commands: () => commandList(app!.bot.registry.all(), app!.services.i18n) });
  app = createApp({ db, adapters: [web], log });
  hub = new InboxHub(database.listen, log);
  await hub.start();
  server = new WebServer(log);
  server.add(
    ...web.routes(),
    sessionRoutes(sessions, { demo: true }),
    signInRoutes({ db, sessions, mailer: consoleMailer(() => undefined), baseUrl: () => base, demo: true }),
    inboxEventRoutes({ db, hub, sessions, log, mayRead: (personId, room) => web.mayRead(personId, room) }),
  );
  await web.start((e) => app!.bot.handle(e, web.capabilities));
  base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/`;
  launched = await launchBrowser({ viewport: DESKTOP, locale: 'en-GB', reducedMotion: 'reduce' });
  page = launched.context.pages()[0] ?? (await launched.context.newPage());
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (err) => problems.push(String(err)));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  fs.mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await launched?.close();
  await hub?.stop();
  await server?.close();
  if (app) {
    await app.services.broadcasts.stop();
    await app.services.broadcasts.idle();
  }
  await database?.close();
});

// ------------------------------------------------------------------ keyboard helpers

/** The bot's replies (not inbox notices, which may arrive at any moment). */
const botMessages = () => page.locator('#log .msg-bot:not(.is-notice)');
const focused = (target: Locator) => target.evaluate((el) => el === document.activeElement);
/** What has the focus, for a readable failure: tag, id and accessible words. */
const focusIs = () => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null;
  return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 60)}` : 'nothing';
});

/** Presses Tab (or Shift+Tab) until `target` has the focus; answers how many presses it took. */
async function tabTo(target: Locator, { back = false, max = 60 } = {}): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await focused(target)) return i;
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} never reached the control; the focus is on ${await focusIs()}`);
}

/** Tabs forward or back, whichever way `target` lies from the focus. */
async function moveTo(target: Locator): Promise<number> {
  const back = await target.evaluate((el) => !!(document.activeElement && el.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING));
  return tabTo(target, { back });
}

/** Signs out (if signed in) and in again as a demo person, by keyboard; the message box then has the focus. */
async function signInAs(name: string) {
  const out = page.getByRole('button', { name: 'Sign out / Allgofnodi', exact: true });
  if (await out.isVisible()) {
    await out.focus();
    await page.keyboard.press('Enter');
  }
  const person = page.getByRole('button', { name: `Sign in as ${name} / Mewngofnodi fel ${name}` });
  await person.waitFor();
  await tabTo(person);
  await page.keyboard.press('Enter');
  await page.locator('#chat-screen').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'text');
}

/** Waits for the bot's next message after `action`; answers it. */
async function reply(action: () => Promise<void>): Promise<Locator> {
  const before = await botMessages().count();
  await action();
  const next = botMessages().nth(before);
  await next.waitFor();
  // the page has finished with the reply (focus moved) once the sending control is no longer busy
  await page.waitForFunction(() => !document.querySelector('[aria-disabled="true"]'));
  return next;
}

/** Types into the message box (which has the focus) and presses Enter. */
async function ask(text: string): Promise<Locator> {
  expect(await focusIs()).toMatch(/^input#text/);
  return reply(async () => {
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  });
}

/** Is the focused control clear of the fixed message box (entirely above it, and on screen)? */
const focusClearOfComposer = () =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const box = el.getBoundingClientRect();
    const composer = document.getElementById('composer')!.getBoundingClientRect();
    return { clear: box.bottom <= composer.top + 0.5 && box.top >= 0, focus: box.bottom, composerTop: composer.top };
  });

/** axe-core in the page: every violation of the WCAG 2.0–2.2 A and AA rules. */
async function axe(): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Violation[] }> } }).axe.run;
    return (await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] })).violations;
  });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}

/** The contrast ratio of two CSS colours (rgb()/rgba() as computed), by WCAG's relative luminance. */
const contrast = (a: string, b: string) => {
  const lum = (c: string) => {
    const [r, g, bl] = c.match(/[\d.]+/g)!.slice(0, 3).map((x) => Number(x) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

const shot = (name: string, fullPage = false) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });

// ------------------------------------------------------------------ the run

describe('the web chat by keyboard alone', () => {
  it('signs in, asks, presses a button, fills a form and casts a ballot, with the focus where it should be after each step', async () => {
    await page.goto(base);
    // sign in: Tab to Amira, Enter; the message box takes the focus, under her home
    await signInAs('Amira Khan');

    // the home view comes first: what waits for her, in English, with its buttons reachable by keyboard
    const home = botMessages().first();
    expect(await home.innerText()).toContain('Your forum home');
    expect(await home.locator('.msg-body').getAttribute('lang')).toBe('en');
    expect(await home.getByRole('button', { name: 'Vote: Older people seat 2027' }).count()).toBe(1);
    await home.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('home-en');
    const refresh = home.getByRole('button', { name: 'Refresh' });
    await tabTo(refresh, { back: true });
    expect((await focusClearOfComposer()).clear).toBe(true);
    const refreshed = await reply(() => page.keyboard.press('Enter'));
    expect(await refreshed.innerText()).toContain('Your forum home');
    expect(await focused(refresh)).toBe(true);
    await page.locator('#text').focus();
    const helpEn = await ask('help');
    expect(await helpEn.innerText()).toContain('What you can do');
    await helpEn.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('help-en');
    await page.locator('#text').focus();

    // the commands are offered as you type, in both languages, each with what it does
    await page.waitForFunction(() => document.getElementById('text')?.getAttribute('list') === 'command-list');
    const offered = await page.locator('#command-list option').evaluateAll((os) => os.map((o) => `${(o as HTMLOptionElement).value}|${o.getAttribute('lang')}|${(o as HTMLOptionElement).label}`));
    expect(offered).toContain('who represents|en|Who represents the sector on a partnership');
    expect(offered.some((o) => o.startsWith('pwy sy’n cynrychioli|cy|'))).toBe(true);
    expect(offered.some((o) => o.startsWith('ballot cast|'))).toBe(false); // buttons' own commands are not offered

    // ask: the answer is marked English, the focus stays in the message box
    const who = await ask('who represents us on Health and Social Care Board?');
    expect(await who.innerText()).toContain('Rhian Powell');
    expect(await who.locator('.msg-body').getAttribute('lang')).toBe('en');
    expect(await focusIs()).toMatch(/^input#text/);

    // press a button: Shift+Tab back up to it, Enter; the focus stays on the button pressed
    const list = await ask('reportbacks');
    const button = list.getByRole('button', { name: /Health and Social Care Board/ });
    await tabTo(button, { back: true });
    expect((await focusClearOfComposer()).clear).toBe(true);
    const shown = await reply(() => page.keyboard.press('Enter'));
    expect(await shown.innerText()).toContain('winter pressures plan');
    expect(await focused(button)).toBe(true);

    // a form answering my own command takes the focus: type into it straight away
    const consultation = await database!.prisma.update.findFirstOrThrow({ where: { title: { startsWith: 'Well-being' } } });
    await page.locator('#text').focus();
    await ask(`consultation respond ${consultation.id.slice(0, 8)}`);
    const form = page.locator('#log form.blk-form').last();
    const view = form.getByLabel(/Your view, for the forum’s joint response/);
    expect(await focused(view)).toBe(true);
    expect((await focusClearOfComposer()).clear).toBe(true);
    await page.keyboard.type('Rural bus routes matter most to the people we work with.');
    const send = form.getByRole('button', { name: 'Send my view' });
    await tabTo(send);
    const sent = await reply(() => page.keyboard.press('Enter'));
    expect(await sent.innerText()).not.toMatch(/did not understand|needs fixing/);
    expect(await focused(send)).toBe(true);
    const stored = await database!.prisma.consultationView.findMany({ where: { consultationId: (await database!.prisma.consultation.findFirstOrThrow({ where: { updateId: consultation.id } })).id } });
    expect(stored.map((v) => v.text)).toContain('Rural bus routes matter most to the people we work with.');

    // a ballot answering my own command takes the focus on its first rank
    await page.locator('#text').focus();
    await ask('vote "Older people seat 2027"');
    const ballot = page.locator('#log form.blk-ballot').last();
    const gwen = ballot.getByLabel('Rank for Gwen Morgan / Safle ar gyfer Gwen Morgan');
    const tom = ballot.getByLabel('Rank for Tom Williams / Safle ar gyfer Tom Williams');
    expect(await focused(ballot.locator('select').first())).toBe(true);
    // repeated controls say whose they are
    expect(await ballot.getByText('Statement by Tom Williams / Datganiad gan Tom Williams').count()).toBe(1);
    expect(await ballot.getByText('Statement by Gwen Morgan / Datganiad gan Gwen Morgan').count()).toBe(1);
    await ballot.locator('legend').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('ballot-en');
    await page.setViewportSize(PHONE);
    await ballot.locator('legend').scrollIntoViewIfNeeded();
    await shot('ballot-en-phone');
    await page.setViewportSize(DESKTOP);
    await gwen.scrollIntoViewIfNeeded();

    // rank 1 twice: the server says what is wrong; the focus stays on the button
    await moveTo(gwen);
    await page.keyboard.type('1');
    await moveTo(tom);
    await page.keyboard.type('1');
    expect([await gwen.inputValue(), await tom.inputValue()]).toEqual(['1', '1']);
    const cast = ballot.getByRole('button', { name: 'Cast my vote' });
    await tabTo(cast);
    const refused = await reply(() => page.keyboard.press('Enter'));
    expect(await refused.innerText()).toContain('Rank 1 is given to more than one candidate');
    expect(await focused(cast)).toBe(true);

    // Tom 1, Gwen 2: cast
    await moveTo(gwen);
    await page.keyboard.type('2');
    await tabTo(cast);
    const cast2 = await reply(() => page.keyboard.press('Enter'));
    expect(await cast2.innerText()).toMatch(/receipt/i);
    expect(await focused(cast)).toBe(true);
    expect(await page.locator('#log .msg-user').last().innerText()).toContain('1. Tom Williams, 2. Gwen Morgan');

    // the home no longer asks for that vote
    await page.locator('#text').focus();
    const homeAfter = await ask('home');
    expect(await homeAfter.innerText()).toContain('Your forum home');
    expect(await homeAfter.getByRole('button', { name: 'Vote: Older people seat 2027' }).count()).toBe(0);

    // axe: the log with a form, a ballot and buttons, at both sizes and in both colour schemes
    const found: string[] = [];
    for (const [size, viewport] of Object.entries({ desktop: DESKTOP, phone: PHONE })) {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme });
        for (const v of await axe()) found.push(`${size} ${colorScheme}: ${v}`);
      }
    }
    expect(found).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(DESKTOP);
    await shot('keyboard-run-en', true);
    expect(problems).toEqual([]);
  });

  it('marks Welsh messages lang="cy", keeps the Welsh hint on a phone, and the placeholder readable in dark mode', async () => {
    await signInAs('Dafydd Jones');
    const switched = await ask('language cy');
    expect(await switched.locator('.msg-body').getAttribute('lang')).toBe('cy');
    const hafan = await ask('hafan');
    expect(await hafan.innerText()).toContain('Eich hafan yn y fforwm');
    expect(await hafan.locator('.msg-body').getAttribute('lang')).toBe('cy');
    await hafan.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('home-cy');
    expect(await axe()).toEqual([]);
    const help = await ask('help');
    expect(await help.innerText()).toContain('Beth allwch chi ei wneud');
    expect(await help.locator('.msg-body').getAttribute('lang')).toBe('cy');
    // the page around it stays English with its Welsh halves marked
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#composer-hint span[lang="cy"]').count()).toBe(1);
    await help.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('help-cy');
    await ask('pleidleisio "Older people seat 2027"');
    const ballot = page.locator('#log .msg-bot', { has: page.locator('form.blk-ballot') }).last();
    expect(await ballot.locator('.msg-body').getAttribute('lang')).toBe('cy');
    expect(await focused(ballot.locator('select').first())).toBe(true);
    // the page's own English words inside a Welsh message keep their language
    expect(await ballot.locator('.rank-label > span[lang="en"]').count()).toBe(3);
    expect(await ballot.locator('.rank-label > span[lang="cy"]').count()).toBe(3);
    await ballot.locator('legend').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('ballot-cy');

    await page.setViewportSize(PHONE);
    expect(await page.locator('#composer-hint').isVisible()).toBe(true);
    expect(await page.locator('#composer-hint').innerText()).toContain('iaith en');
    await shot('help-cy-phone');

    // the placeholder (the form's organisation field has none; the demo form's text field does) in dark mode
    await page.emulateMedia({ colorScheme: 'dark' });
    const input = page.locator('#text');
    await input.evaluate((el) => el.setAttribute('placeholder', 'Type here'));
    const [placeholder, background] = await input.evaluate((el) => [getComputedStyle(el, '::placeholder').color, getComputedStyle(el).backgroundColor]);
    expect(contrast(placeholder, background)).toBeGreaterThanOrEqual(4.5);
    await shot('phone-dark');
    await input.evaluate((el) => el.removeAttribute('placeholder'));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(DESKTOP);
    expect(problems).toEqual([]);
  });

  it('as an officer at 200% zoom: two requests, each Approve named for its person, never hidden by the message box', async () => {
    // two people ask to join from another platform
    for (const [id, name] of [['U1NIA', 'Nia Newcomer'], ['U1OWAIN', 'Owain Rees']]) {
      const user = { platform: 'slack', id, displayName: name, dmRef: `slack:T1:D${id}` };
      await app!.bot.handle({ kind: 'command', text: 'join demo-county-forum organisation="Brecon Mind"', user, conversation: `slack:T1:D${id}`, isDirect: true });
    }
    // 200% zoom of a 1280×800 window: the page lays out in 640×400 CSS pixels
    await page.setViewportSize({ width: 640, height: 400 });
    await signInAs('Carys Officer');

    const requests = await ask('requests');
    const approveNia = requests.getByRole('button', { name: /^Approve Nia Newcomer asks to join/ });
    const approveOwain = requests.getByRole('button', { name: /^Approve Owain Rees asks to join/ });
    expect(await approveNia.count()).toBe(1);
    expect(await approveOwain.count()).toBe(1);
    // each name holds the visible label ("Approve"), so speech input can press it
    expect(await requests.getByRole('button', { name: /^Turn down Nia Newcomer/ }).count()).toBe(1);

    await tabTo(approveNia, { back: true });
    const where = await focusClearOfComposer();
    expect(where, JSON.stringify(where)).toMatchObject({ clear: true });
    await shot('requests-zoom-200');
    const approved = await reply(() => page.keyboard.press('Enter'));
    expect(await approved.innerText()).toContain('Nia Newcomer is now a member');
    expect(await focused(approveNia)).toBe(true);
    expect((await focusClearOfComposer()).clear).toBe(true);
    expect(await axe()).toEqual([]);
    await page.setViewportSize(DESKTOP);
    expect(problems).toEqual([]);
  });
});
