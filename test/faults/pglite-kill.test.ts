import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { freePort, root, seeded, sleep } from './fleet.ts';

/**
 * The embedded database's process killed mid-write (SIGKILL while an officer is adding
 * organisations as fast as the bot answers): the bot starts again on the same folder, every write
 * it had acknowledged is there, and the data directory reads and writes cleanly. The kill point
 * comes from FAULT_SEED (printed).
 */
const seed = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
const random = seeded(seed + 1);

describe('the embedded database killed mid-write', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-kill-'));
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dir, WEB_CHAT: 'on', LOG_LEVEL: 'error' };
  delete env.DATABASE_URL;
  let bot: ChildProcess | undefined;

  async function start(): Promise<number> {
    env.PORT = String(await freePort());
    bot = spawn(process.execPath, ['bin/forumbot.js', 'start', '--demo'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    bot.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    for (let i = 0; i < 1_200; i++) {
      if (bot.exitCode !== null) throw new Error(`the bot exited (${bot.exitCode}): ${err}`);
      if (await fetch(`http://127.0.0.1:${env.PORT}/health`).then((r) => r.ok, () => false)) return Number(env.PORT);
      await sleep(100);
    }
    throw new Error(`the bot did not start: ${err}`);
  }
  const stop = async (signal: NodeJS.Signals) => {
    const b = bot!;
    const exited = new Promise((r) => b.once('exit', r));
    b.kill(signal);
    await exited;
  };

  afterAll(async () => {
    if (bot && bot.exitCode === null) await stop('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reopens cleanly with every acknowledged write, and takes new ones', async () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'ignore' });
    let port = await start();
    const seeding = spawnSync(process.execPath, ['bin/forumbot.js', 'seed', '--demo'], { cwd: root, env, encoding: 'utf8' });
    expect(seeding.status, seeding.stderr).toBe(0);
    const signIn = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/auth/demo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona: 'demo-officer' }) });
      return res.headers.get('set-cookie')!.split(';')[0];
    };
    const say = async (cookie: string, text: string) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/webchat`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ text }) });
      return JSON.stringify(await res.json());
    };
    let cookie = await signIn();
    const killAt = 5 + Math.floor(random() * 40);
    console.log(`[fault] seed ${seed}: the embedded database's bot killed after ${killAt} acknowledged writes`);
    const acknowledged: string[] = [];
    let n = 0;
    let killed = false;
    // four writers at once, each adding organisations until the bot is gone
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!killed) {
          const name = `Fault Org ${++n}`;
          try {
            const answer = await say(cookie, `organisation add ${name}`);
            if (new RegExp(name).test(answer) && !killed) acknowledged.push(name);
          } catch {
            return; // the bot is gone
          }
          if (acknowledged.length >= killAt && !killed) {
            killed = true;
            await stop('SIGKILL');
          }
        }
      }),
    );
    expect(killed).toBe(true);

    // the next start on the same folder: the lock left by the dead process does not stop it
    port = await start();
    cookie = await signIn();
    expect(await say(cookie, 'organisation add After The Crash')).toMatch(/After The Crash/);
    await stop('SIGTERM');

    // the folder opens on its own, every table reads, and nothing acknowledged was lost
    const db = await openDatabase({ dataDir: dir });
    const names = new Set((await db.prisma.organisation.findMany({ select: { name: true } })).map((o) => o.name));
    const missing = acknowledged.filter((a) => !names.has(a));
    const tables = await db.prisma.$queryRaw<{ relname: string }[]>`SELECT relname FROM pg_stat_user_tables`;
    for (const { relname } of tables) await db.prisma.$queryRawUnsafe(`SELECT count(*) FROM "${relname}"`);
    await db.close();
    console.log(`[fault] embedded database killed mid-write: ${acknowledged.length} writes acknowledged, ${missing.length} lost; reopened, ${tables.length} tables read, a new write taken`);
    expect(missing).toEqual([]);
    expect(names.has('After The Crash')).toBe(true);
  }, 240_000);
});
