import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { TeamsClient } from '../../test/platforms/teams/client.ts';
import { TeamsConnectorStandIn } from '../../test/platforms/teams/connector.ts';

const root = path.resolve(import.meta.dirname, '../..');
const APP_ID = '6f1c2f7e-4b1a-4c1e-9d4a-2a6b7c8d9e0f';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

describe('Teams configuration', () => {
  it('takes the app id and password together, or neither (local use)', () => {
    expect(problems({ TEAMS: 'on' })).toEqual([]);
    expect(problems({ TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 's3cret' })).toEqual([]);
    expect(problems({ TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 's3cret', TEAMS_APP_TENANT_ID: APP_ID })).toEqual([]);
    expect(problems({ TEAMS_APP_ID: APP_ID })).toContain('TEAMS_APP_ID and TEAMS_APP_PASSWORD go together: set both, or neither for local use');
    expect(problems({ TEAMS_APP_TENANT_ID: APP_ID })).toContain('TEAMS_APP_ID is required when TEAMS_APP_TENANT_ID is set');
    expect(problems({ TEAMS_APP_ID: 'forumbot', TEAMS_APP_PASSWORD: 'x' })).toContain('TEAMS_APP_ID must be the Microsoft app id, a GUID such as 00000000-0000-0000-0000-000000000000');
    expect(problems({ TEAMS: 'off', TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 'x' })).toContain('TEAMS=off contradicts TEAMS_APP_ID: unset one of them');
  });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

describe('forumbot start with TEAMS=on', () => {
  it('serves POST /api/messages on the web server and answers through the activity’s serviceUrl', async () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'ignore' });
    const connector = new TeamsConnectorStandIn();
    await connector.start();
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-teams-'));
    const child = spawn(process.execPath, ['bin/forumbot.js', 'start'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', TEAMS: 'on', WEB_CHAT: 'off', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no start: ${out}`)), 150_000);
        child.stdout.on('data', () => out.includes('Teams messaging endpoint') && (clearTimeout(t), resolve()));
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      expect(out).toContain('(no authentication: local use only)');
      const client = new TeamsClient(`http://127.0.0.1:${port}`, connector);
      const [res] = await client.post(client.message('siân', 'help', client.personal('siân')));
      expect(res.status).toBe(200);
      expect(connector.to('a:personal-29:siân')).toHaveLength(1);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await connector.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('the Teams app manifest', () => {
  it('names a bot in every scope, with commands within Teams’ limits', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'adapters/teams/manifest.json'), 'utf8'));
    expect(manifest.manifestVersion).toBe('1.17');
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    const [bot] = manifest.bots;
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot.botId).toMatch(/^[0-9a-f-]{36}$/);
    for (const list of bot.commandLists) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(32);
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
    }
  });
});
