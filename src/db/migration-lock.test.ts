import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testDatabase } from '../../test/support/database.ts';
import { openDatabase } from './client.ts';

/**
 * Two instances on one PostgreSQL: the second starts (and migrates) while the first is busy. The
 * migration's advisory lock must not outlive the migration on a connection the first goes on using,
 * or the second waits 10 s for it and gives up (seen in the fault suite: a bot restarted beside a
 * busy one exited with "The database server was reached but timed out").
 */
describe.skipIf(!process.env.DATABASE_URL)('the migration lock on PostgreSQL', () => {
  let first: Awaited<ReturnType<typeof testDatabase>>;
  let admin: pg.Client;

  beforeAll(async () => {
    first = await testDatabase();
    admin = new pg.Client({ connectionString: first.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await first.close();
  });

  const advisoryLocks = async () =>
    (await admin.query<{ pid: number }>(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)).rows;

  it('is not held once the database is open', async () => {
    expect(await advisoryLocks()).toEqual([]);
  });

  it('a second instance opens while every connection of the first stays busy', async () => {
    let busy = true;
    // ten loops keep all ten of the first instance's pooled connections in use, none idle long
    // enough for the pool to close it
    const loops = Array.from({ length: 10 }, async () => {
      while (busy) await first.prisma.$queryRawUnsafe('SELECT pg_sleep(0.02)::text AS slept');
    });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const second = await openDatabase({ url: first.url });
      expect(second.applied).toEqual([]);
      expect(await second.prisma.forum.count()).toBe(0);
      await second.close();
      expect(await advisoryLocks()).toEqual([]);
    } finally {
      busy = false;
      await Promise.all(loops);
    }
  }, 60_000);
});
