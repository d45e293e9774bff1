import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DiscordStandIn } from './discord-stand-in.ts';

const root = path.resolve(import.meta.dirname, '../../..');
let stand: DiscordStandIn;
let child: ChildProcess | undefined;
let dataDir: string;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'ignore' });
  stand = await DiscordStandIn.start();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-discord-'));
});
afterAll(async () => {
  child?.kill('SIGTERM');
  await stand.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('`forumbot start` with DISCORD_TOKEN and DISCORD_APPLICATION_ID connects, registers its slash commands and answers one', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(p));
    });
  });
  const env = { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', WEB_CHAT: 'off', DISCORD_TOKEN: stand.token, DISCORD_APPLICATION_ID: stand.applicationId, DISCORD_API_URL: stand.apiUrl, DISCORD_GUILD_IDS: stand.guildId, LOG_LEVEL: 'error' };
  child = spawn(process.execPath, ['bin/forumbot.js', 'start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  // a fresh embedded database is migrated first; on a loaded shared machine that alone has taken over a minute
  const until = Date.now() + 150_000;
  while (!stand.commands.has(stand.guildId) && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  expect(child.exitCode, err).toBeNull();
  const names = stand.commands.get(stand.guildId)!.map((c) => c.name);
  expect(names).toEqual(expect.arrayContaining(['forumbot', 'help', 'forum', 'seat', 'join', 'sedd']));
  expect(names.length).toBeLessThanOrEqual(100);
  stand.callbackDeadlineMs = 30_000; // the embedded database's first query on a shared machine
  const p = stand.slash('Officer', 'help', '');
  await stand.dispatchInteraction(p);
  while (!stand.answersTo(p.id).length && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  const text = JSON.stringify(stand.answersTo(p.id).map((a) => a.body));
  expect(text).toMatch(/who represents/);
}, 180_000);

it('Discord settings are checked at start: server ids must be numeric', async () => {
  const { loadConfig } = await import('../../../src/config.ts');
  expect(() => loadConfig({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1', DISCORD_GUILD_IDS: '12,abc' })).toThrow(/DISCORD_GUILD_IDS must be numeric server \(guild\) ids/);
  expect(loadConfig({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1', DISCORD_GUILD_IDS: '12,34', DISCORD_API_URL: 'http://127.0.0.1:9/api' }).DISCORD_GUILD_IDS).toBe('12,34');
});
