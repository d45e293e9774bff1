import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot as root } from '../../src/db/paths.ts';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';

/**
 * The public record as a newcomer first sees it: the real bot started (`forumbot start --demo`, so
 * the web chat offers the demo's people), `forumbot seed --demo` run beside it, then every section of /f/demo-county-forum opened in
 * Chromium, in English and Welsh, at a desktop and a phone size: screenshots saved under
 * test-results/public/, and axe-core run in the page, failing on any serious or critical
 * violation. Then the STV result of the demo election in the web chat, which must be an HTML table.
 * The embedded database; with DATABASE_URL, a fresh PostgreSQL database made for the run.
 */
const SHOTS = path.resolve(root, 'test-results/public');
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const DEMO = 'demo-county-forum';
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let bot: ChildProcess | undefined;
let base = '';
let browser: TestBrowser | undefined;
let page: Page;
let dropDatabase: (() => Promise<void>) | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-public-'));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** With DATABASE_URL, a database of its own for this run (dropped after); else the embedded one in a temporary folder. */
async function databaseEnv(): Promise<Record<string, string>> {
  const url = process.env.DATABASE_URL;
  if (!url) return {};
  const name = `forumbot_b_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
  const own = new URL(url);
  own.pathname = `/${name}`;
  return { DATABASE_URL: own.toString() };
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dir, WEB_CHAT: 'on', LOG_LEVEL: 'error', PORT: String(await freePort()) };
  delete env.DATABASE_URL;
  Object.assign(env, await databaseEnv());
  base = `http://127.0.0.1:${env.PORT}`;
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'ignore' });
  bot = spawn(process.execPath, ['bin/forumbot.js', 'start', '--demo'], { cwd: root, env, stdio: 'ignore' });
  let up = false;
  for (let i = 0; i < 600 && !up; i++) {
    await new Promise((r) => setTimeout(r, 100));
    up = await fetch(`${base}/health`).then((r) => r.ok).catch(() => false);
  }
  if (!up) throw new Error('the bot did not start within a minute');
  const seed = () => spawnSync(process.execPath, ['bin/forumbot.js', 'seed', '--demo'], { cwd: root, env, encoding: 'utf8' });
  let seeded = seed();
  // a shared PostgreSQL server under load can refuse a first connection: one more try, then fail
  if (/Cannot reach the PostgreSQL database/.test(seeded.stderr + seeded.stdout)) seeded = seed();
  expect(seeded.stdout + seeded.stderr).toMatch(/Created the demo forum/);
  browser = await launchBrowser({ viewport: SIZES.desktop, locale: 'en-GB', reducedMotion: 'reduce', bypassCSP: true });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(20_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (bot && bot.exitCode === null) {
    bot.kill('SIGTERM');
    await new Promise((r) => bot!.once('exit', r));
  }
  await dropDatabase?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core in the page, WCAG 2.0–2.2 A and AA rules: the serious and critical violations. */
async function axe(): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Violation[] }> } }).axe.run;
    return (await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}

/** The demo forum's public pages, one of each kind, found by following its own links. */
async function demoPages(): Promise<[string, string][]> {
  const f = `/f/${DEMO}`;
  const home = await (await fetch(base + f)).text();
  const person = /href="(\/f\/demo-county-forum\/people\/[0-9a-f-]{36})"/.exec(home)![1];
  const elections = (await (await fetch(`${base}${f}/elections.json`)).json()) as { id: string; phase: string }[];
  const declared = elections.find((e) => e.phase === 'declared')!.id;
  const reports = (await (await fetch(`${base}${f}/reportbacks.json`)).json()) as { id: string }[];
  return [
    ['register', f],
    ['representative', person],
    ['coverage', `${f}/coverage`],
    ['elections', `${f}/elections`],
    ['election', `${f}/elections/${declared}`],
    ['receipt-check', `${f}/elections/${declared}?receipt=ABCDE-FGH23-JKL45-MNP67`],
    ['meetings', `${f}/meetings`],
    ['reportbacks', `${f}/reportbacks`],
    ['reportback', `${f}/reportbacks/${reports[0].id}`],
    ['issues', `${f}/issues`],
    ['consultations', `${f}/consultations`],
    ['breaches', `${f}/breaches`],
    ['opportunities', `${f}/opportunities`],
    ['outputs', `${f}/outputs`],
  ];
}

describe('the public record in Chromium', () => {
  it('every section shows the demo’s data, reads without scripts, and axe finds nothing serious, in both languages at both sizes', async () => {
    const pages = await demoPages();
    const problems: string[] = [];
    let checked = 0;
    for (const [name, url] of pages) {
      for (const lang of ['en', 'cy'] as const) {
        for (const [size, viewport] of Object.entries(SIZES)) {
          await page.setViewportSize(viewport);
          const res = await page.goto(`${base}${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
          expect(res?.status(), `${name} ${lang}`).toBe(200);
          expect(await page.locator('html').getAttribute('lang')).toBe(lang);
          expect(await page.locator('script').count(), `${name}: no scripts`).toBe(0);
          expect(await page.locator('h1').isVisible()).toBe(true);
          // nothing wider than the window: no sideways scrolling of the page itself
          const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (wide > 1) problems.push(`${name} ${lang} ${size}: the page is ${wide}px wider than the window`);
          for (const v of await axe()) problems.push(`${name} ${lang} ${size}: ${v}`);
          if (lang === 'en' || name === 'register' || name === 'outputs') await page.screenshot({ path: path.join(SHOTS, `${name}-${lang}-${size}.png`), fullPage: true });
          checked++;
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBe(pages.length * 4);
    // the check itself can fail: an image without a text alternative and an unlabelled field, added to the last page
    await page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<img src="/f/_/site.css"><input type="text">'));
    const caught = await axe();
    expect(caught.some((v) => v.startsWith('image-alt (critical)'))).toBe(true);
    expect(caught.some((v) => v.startsWith('label (critical)'))).toBe(true);
  }, 600_000);

  it('each section carries the demo’s real record', async () => {
    const text = async (url: string) => {
      await page.setViewportSize(SIZES.desktop);
      await page.goto(base + url);
      return page.locator('main').innerText();
    };
    const f = `/f/${DEMO}`;
    expect(await text(f)).toMatch(/Amira Khan[\s\S]*Equality seat 2026[\s\S]*Rhian Powell/);
    expect(await text(`${f}/coverage`)).toMatch(/Older people/);
    const election = (await demoPages()).find(([n]) => n === 'election')![1];
    expect(await text(election)).toMatch(/Amira Khan/);
    expect(await page.locator('figure.chart svg').count()).toBe(1);
    expect(await page.locator('table caption').first().innerText()).toMatch(/Quota/);
    expect(await text(`${f}/meetings`)).toMatch(/Health and Social Care Board/);
    expect(await text(`${f}/reportbacks`)).toMatch(/winter pressures plan/);
    expect(await text(`${f}/issues`)).toMatch(/Food bank referrals/);
    expect(await text(`${f}/consultations`)).toMatch(/Day centres for older people[\s\S]*evening services to rural youth clubs/);
    expect(await text(`${f}/breaches`)).toMatch(/Consultation and Policy Appraisal/);
    expect(await text(`${f}/opportunities`)).toMatch(/Community mental health support services/);
    expect(await text(`${f}/outputs`)).toMatch(/Filed on time/);
    expect(await page.locator('figure.chart svg').count()).toBe(5);
    // the receipt check, by keyboard: a code no ballot has
    await page.goto(base + election);
    await page.getByLabel('Receipt code').fill('ABCDE-FGH23-JKL45-MNP67');
    await page.getByLabel('Receipt code').press('Enter');
    await page.waitForURL(/receipt=/);
    expect(await page.getByRole('status').innerText()).toMatch(/No ballot has this receipt/);
  }, 120_000);

  it('the STV result in the web chat is an HTML table, not fenced text', async () => {
    await page.setViewportSize(SIZES.desktop);
    await page.goto(`${base}/`);
    // demo mode: sign in as a demo person with one click
    await page.getByRole('button', { name: /Amira Khan/ }).first().click();
    await page.locator('#chat-screen').waitFor();
    const before = await page.locator('#log .msg-bot:not(.is-notice)').count();
    await page.getByLabel('Message / Neges').fill('election result "Equality seat 2026"');
    await page.getByRole('button', { name: 'Send / Anfon' }).click();
    const reply = page.locator('#log .msg-bot:not(.is-notice)').nth(before);
    await reply.waitFor();
    const table = reply.locator('table.blk-table');
    await table.waitFor();
    // a column per stage of the count (three here: Gwen Morgan's ballot moves at the third), however wide
    expect(await table.locator('thead th').allInnerTexts()).toEqual(['Candidate', 'Stage 1: first', 'Stage 2: −RON (re-open nominations)', 'Stage 3: −Gwen Morgan']);
    expect(await table.locator('tbody th[scope="row"]').allInnerTexts()).toEqual(expect.arrayContaining(['Amira Khan', 'Tom Williams']));
    expect(await reply.innerText()).not.toContain('```');
    await page.screenshot({ path: path.join(SHOTS, 'webchat-stv-result.png'), fullPage: true });
  }, 120_000);
});
