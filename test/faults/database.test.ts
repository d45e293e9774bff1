import { execFileSync, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openDatabase } from '../../src/db/client.ts';
import { testDatabase } from '../support/database.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('database faults', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'ignore' });
  });

  it('unreachable at start: a clear message and exit code 1', () => {
    const r = spawnSync(process.execPath, ['bin/forumbot.js', 'start'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/forumbot', PORT: '39123' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
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
