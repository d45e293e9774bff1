import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.ts';
import { directQuery, type SqlQuery } from './client.ts';

describe('directQuery: statements on the driver, prepared once', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let q: SqlQuery;

  beforeAll(async () => {
    database = await testDatabase();
    q = directQuery(database.prisma);
  });
  afterAll(() => database.close());

  it('answers rows with their types: JSON parsed, booleans, numbers, text and nulls', async () => {
    const rows = await q<{ j: unknown; b: boolean; n: number; t: string; z: null }>(
      `SELECT json_build_object('a', $1::int, 'b', ARRAY[$2::text]) AS j, $3::boolean AS b, $1::int + 1 AS n, $2::text AS t, NULL::text AS z`,
      [41, 'Cymraeg ✓', true],
    );
    expect(rows).toEqual([{ j: { a: 41, b: ['Cymraeg ✓'] }, b: true, n: 42, t: 'Cymraeg ✓', z: null }]);
    // the same statement again, now prepared: other values, same answer shape
    const again = await q<{ n: number }>(`SELECT json_build_object('a', $1::int, 'b', ARRAY[$2::text]) AS j, $3::boolean AS b, $1::int + 1 AS n, $2::text AS t, NULL::text AS z`, [1, 'x', false]);
    expect(again[0]).toMatchObject({ n: 2, b: false, t: 'x' });
  });

  it('a statement that fails to parse raises, and does not spoil the next ones', async () => {
    await expect(q('SELECT nonsense FROM nowhere WHERE $1', [1])).rejects.toThrow(/nowhere/);
    await expect(q('SELECT nonsense FROM nowhere WHERE $1', [1])).rejects.toThrow(/nowhere/);
    expect(await q<{ ok: number }>('SELECT 1 AS ok', [])).toEqual([{ ok: 1 }]);
  });

  it('a statement that fails when run (division by zero), first time or later, runs again with good values', async () => {
    const text = 'SELECT 10 / $1::int AS r';
    await expect(q(text, [0])).rejects.toThrow(/division by zero/);
    expect(await q(text, [2])).toEqual([{ r: 5 }]);
    await expect(q(text, [0])).rejects.toThrow(/division by zero/);
    expect(await q(text, [5])).toEqual([{ r: 2 }]);
  });

  it('runs apart from an open Prisma transaction: a write it makes stays when that transaction rolls back', async () => {
    const db = database.prisma;
    const key = `direct-${Date.now()}`;
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    const tx = db.$transaction(async (t) => {
      await t.processedEvent.create({ data: { key: `${key}-tx` } });
      inside();
      await new Promise((r) => setTimeout(r, 100));
      throw new Error('rolled back');
    });
    await started;
    // on PGlite (one session) the statement waits for the transaction to end, rather than join it
    const written = await q<{ key: string }>('INSERT INTO "ProcessedEvent" (key, "createdAt") VALUES ($1, now()) RETURNING key', [key]);
    expect(written).toEqual([{ key }]);
    await expect(tx).rejects.toThrow('rolled back');
    const kept = await db.processedEvent.findMany({ where: { key: { startsWith: key } } });
    expect(kept.map((r) => r.key)).toEqual([key]);
  });
});
