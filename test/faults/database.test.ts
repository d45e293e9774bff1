import { execFileSync, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openDatabase } from '../../src/db/client.ts';
import { testDatabase } from '../support/database.ts';
import { DbProxy, freePort } from './fleet.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('database faults', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'ignore' });
  });

  it('unreachable at start: tried again for DATABASE_START_TIMEOUT_SECONDS, then a clear message and exit code 1', () => {
    const r = spawnSync(process.execPath, ['bin/forumbot.js', 'start'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/forumbot', PORT: '39123', DATABASE_START_TIMEOUT_SECONDS: '2' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    // refused (as while a server restarts): tried again after 1 s; the next wait (2 s) would pass the bound
    expect(r.stderr.match(/PostgreSQL not answering at start; trying again/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/"attempt":1,"retryInMs":1000.*ECONNREFUSED/);
    expect(r.stderr).toContain('Cannot reach the PostgreSQL database at postgresql://…@127.0.0.1:1/forumbot');
    expect(r.stderr).toContain('Check that the server is running');
  });

  it('bad configuration at start: every problem listed, exit code 1', () => {
    const r = spawnSync(process.execPath, ['bin/forumbot.js', 'start'], {
      cwd: root,
      env: { ...process.env, PORT: 'x', DISCORD_TOKEN: 'abc' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/PORT:/);
    expect(r.stderr).toContain('DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set');
  });

  describe.skipIf(!process.env.DATABASE_URL)('PostgreSQL slow or refusing at start', () => {
    let database: Awaited<ReturnType<typeof testDatabase>>;
    let proxy: DbProxy;
    beforeAll(async () => {
      database = await testDatabase();
      proxy = new DbProxy(new URL(database.url!));
      await proxy.start();
    });
    afterAll(async () => {
      await proxy?.close();
      await database?.close();
    });

    it('a first connection that times out, then is refused: the bot tries again with backoff, logs each try, and starts when PostgreSQL answers', async () => {
      proxy.hang = true; // accepts and never answers: the first connection times out (5 s)
      const port = await freePort();
      const child = spawn(process.execPath, ['bin/forumbot.js', 'start'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: proxy.url(), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      try {
        const until = async (what: () => boolean | Promise<boolean>, ms: number) => {
          for (const end = Date.now() + ms; !(await what()); await new Promise((r) => setTimeout(r, 100))) {
            if (Date.now() > end || child.exitCode !== null) throw new Error(`not so after ${ms} ms (exit ${child.exitCode}):\n${stderr}`);
          }
        };
        await until(() => /trying again.*timeout/i.test(stderr), 30_000);
        // then refused (a restarting server), for a couple of tries
        proxy.hang = false;
        proxy.cut();
        await until(() => (stderr.match(/trying again/g) ?? []).length >= 3, 30_000);
        proxy.restore();
        await until(() => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false), 60_000);
        const tries = stderr.split('\n').filter((l) => l.includes('PostgreSQL not answering at start; trying again')).map((l) => JSON.parse(l) as { attempt: number; retryInMs: number; error: string });
        expect(tries.map((t) => t.attempt)).toEqual(tries.map((_, i) => i + 1));
        expect(tries.map((t) => t.retryInMs)).toEqual(tries.map((_, i) => Math.min(1000 * 2 ** i, 10_000)));
        expect(tries[0].error).toMatch(/timeout/i);
        expect(tries.some((t) => /terminated|ECONNRESET/i.test(t.error))).toBe(true);
        expect(stderr).toContain('PostgreSQL answered; starting');
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    }, 150_000);

    it('a database that does not exist is not tried again: the clear message at once', async () => {
      const url = new URL(database.url!);
      url.pathname = '/forumbot_no_such_database';
      const r = spawnSync(process.execPath, ['bin/forumbot.js', 'start'], { cwd: root, env: { ...process.env, DATABASE_URL: url.toString(), PORT: '39124' }, encoding: 'utf8', timeout: 30_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('Cannot reach the PostgreSQL database');
      expect(r.stderr).not.toContain('trying again');
    });
  });

  describe.skipIf(!process.env.DATABASE_URL)('PostgreSQL going away while running', () => {
    let database: Awaited<ReturnType<typeof testDatabase>>;
    let proxy: net.Server;
    let sockets: net.Socket[] = [];
    let open = true;

    beforeAll(async () => {
      database = await testDatabase();
      const target = new URL(database.url!);
      proxy = net.createServer((client) => {
        if (!open) return client.destroy();
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        sockets.push(client, upstream);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    });
    afterAll(async () => {
      proxy?.close();
      await database?.close();
    });

    it('says "try again shortly", then recovers without a restart', async () => {
      const port = (proxy.address() as net.AddressInfo).port;
      const url = new URL(database.url!);
      url.host = `127.0.0.1:${port}`;
      const viaProxy = await openDatabase({ url: url.toString(), migrate: false });
      const app = createApp({ db: viaProxy.prisma, log: silentLogger });
      const ask = async (text: string) =>
        (await app.bot.handle({ kind: 'command', text, user: { platform: 'web', id: 'u', displayName: 'U' }, conversation: 'web:u', isDirect: true }))
          .map((r) => r.message.text)
          .join();
      expect(await ask('help')).toContain('What you can do');
      open = false;
      for (const s of sockets) s.destroy();
      sockets = [];
      expect(await ask('help')).toBe('The forum database is not answering just now. Please try again shortly.');
      open = true;
      expect(await ask('help')).toContain('What you can do');
      await viaProxy.close();
    });
  });
});
