import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { DataDirBusy } from '../../src/db/data-lock.ts';
import { describeOpenFailure } from '../../src/db/db-cli.ts';
import { projectRoot as root } from '../../src/db/paths.ts';

/** The embedded database serves one process: a second one is told so, or hands its work over. */
describe('one process per embedded data folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-lock-'));
  let bot: ChildProcess | undefined;
  let port = 0;
  let console_ = ''; // what the bot prints
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dir, WEB_CHAT: 'on', LOG_LEVEL: 'error' };
  delete env.DATABASE_URL;

  beforeAll(async () => {
    env.PORT = String(await freePort());
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'ignore' });
    bot = spawn(process.execPath, ['bin/forumbot.js', 'start', '--demo'], { cwd: root, env, stdio: ['ignore', 'pipe', 'ignore'] });
    bot.stdout!.on('data', (chunk: Buffer) => (console_ += chunk.toString()));
    for (let i = 0; i < 600 && !port; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        port = JSON.parse(fs.readFileSync(path.join(dir, 'forumbot.lock'), 'utf8')).port ?? 0;
      } catch {
        // not yet
      }
    }
    if (!port) throw new Error('the bot did not start');
  }, 90_000);
  afterAll(async () => {
    if (bot && bot.exitCode === null) {
      bot.kill('SIGTERM');
      await new Promise((r) => bot!.once('exit', r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opening the folder while the bot runs fails with a plain explanation', async () => {
    const err = await openDatabase({ dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataDirBusy);
    expect(describeOpenFailure(err)).toMatch(/in use by a running forumbot \(process \d+\).*\n.*Stop that bot first/);
    const r = spawnSync(process.execPath, ['bin/forumbot.js', 'db', 'migrate'], { cwd: root, env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/in use by a running forumbot/);
  });

  it('seed --demo beside a running bot asks the bot to seed, and the bot then answers from it', async () => {
    const r = spawnSync(process.execPath, ['bin/forumbot.js', 'seed', '--demo'], { cwd: root, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Created the demo forum/);
    expect(r.stdout).toContain(`http://localhost:${port}/`); // the running bot's own address
    // demo mode: a demo person is picked with one click (a real session), then asks as them
    const picked = await fetch(`http://127.0.0.1:${port}/api/auth/demo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona: 'demo-amira' }) });
    expect(await picked.json()).toEqual({ signedIn: true, name: 'Amira Khan' });
    const cookie = picked.headers.get('set-cookie')!.split(';')[0];
    const res = await fetch(`http://127.0.0.1:${port}/api/webchat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ text: 'who represents us on Health and Social Care Board?' }),
    });
    expect(JSON.stringify(await res.json())).toMatch(/Rhian Powell/);
  });

  it('officer add beside a running bot makes an officer, who then signs in by the link printed on the console', async () => {
    const r = spawnSync(process.execPath, ['bin/forumbot.js', 'officer', 'add', 'Clerc@Example.org', '--forum', 'demo-county-forum'], { cwd: root, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/clerc@example.org is now an officer of “Demo County Third Sector Forum”/);
    const none = spawnSync(process.execPath, ['bin/forumbot.js', 'officer', 'add', 'clerc@example.org', '--forum', 'no-such-forum'], { cwd: root, env, encoding: 'utf8' });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/There is no forum “no-such-forum”. Forums: demo-county-forum/);

    // no SMTP_URL: the link and code are printed on the bot's console
    const asked = await fetch(`http://127.0.0.1:${port}/api/auth/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'clerc@example.org' }) });
    expect(asked.status).toBe(200);
    let printed: RegExpExecArray | null = null;
    for (let i = 0; i < 50 && !printed; i++) {
      printed = /Sign-in for clerc@example.org .*?(http:\/\/localhost:\d+\/#signin=([\w-]{43}))\s+code (\d{6})/.exec(console_);
      if (!printed) await new Promise((r) => setTimeout(r, 100));
    }
    expect(printed, console_).not.toBeNull();
    expect(printed![1].startsWith(`http://localhost:${port}/`)).toBe(true);
    const signed = await fetch(`http://127.0.0.1:${port}/api/auth/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'clerc@example.org', code: printed![3] }) });
    expect(await signed.json()).toEqual({ signedIn: true, name: 'clerc' });
    const cookie = signed.headers.get('set-cookie')!.split(';')[0];
    const invite = await fetch(`http://127.0.0.1:${port}/api/webchat`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ text: 'invite create' }) });
    expect(JSON.stringify(await invite.json())).toMatch(/code=[0-9A-F]{10}/);
  });

  it('the admin endpoint refuses a request without the token', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/admin/seed-demo`, { method: 'POST' });
    expect(res.status).toBe(403);
  });

  it('a lock left by a process that has gone does not stop the next start', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-stale-'));
    fs.writeFileSync(path.join(other, 'forumbot.lock'), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    const db = await openDatabase({ dataDir: other });
    await db.close();
    expect(fs.existsSync(path.join(other, 'forumbot.lock'))).toBe(false);
    fs.rmSync(other, { recursive: true, force: true });
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
