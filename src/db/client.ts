import fs from 'node:fs';
import path from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client.ts';
import { acquireDataLock } from './data-lock.ts';
import { applyMigrations } from './migrations.ts';

export { PrismaClient };
export type Db = PrismaClient;
/** A client or an interactive transaction: services accept either, so transactions compose. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/** One SQL statement with $1… parameters, answered as rows of objects. */
export type SqlQuery = <T>(text: string, params: unknown[]) => Promise<T[]>;

// Each client's own driver (the PGlite instance, or the pg pool Prisma uses), for the few calls
// made on every event, where Prisma's own work per query would cost as much as the query.
const drivers = new WeakMap<PrismaClient, SqlQuery>();

/**
 * Runs one statement on the driver under this client, without Prisma's per-query work; for a
 * transaction or a client made elsewhere, through Prisma. Only for statements whose results need no mapping to
 * models (a database function answering JSON, say).
 */
export function directQuery(db: Tx): SqlQuery {
  return drivers.get(db as PrismaClient) ?? (<T>(text: string, params: unknown[]) => db.$queryRawUnsafe<T[]>(text, ...params));
}

export interface DatabaseOptions {
  /** postgresql://… for a shared PostgreSQL server; unset for the embedded database */
  url?: string;
  /** folder of the embedded database; "memory://" keeps it in memory (tests) */
  dataDir?: string;
  /** apply pending migrations before returning (default true) */
  migrate?: boolean;
}

export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgres';
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** migrations applied by this open */
  applied: string[];
  close(): Promise<void>;
}

/** Opens the database: PGlite in a folder when no URL is given, PostgreSQL otherwise. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const { factory, kind, closeDriver, query } = options.url
    ? await postgresFactory(options.url)
    : await pgliteFactory(options.dataDir ?? './data');
  try {
    const applied = options.migrate === false ? [] : await applyMigrations(factory);
    const prisma = new PrismaClient({ adapter: factory });
    drivers.set(prisma, query);
    return {
      prisma,
      kind,
      factory,
      applied,
      async close() {
        await prisma.$disconnect();
        await closeDriver();
      },
    };
  } catch (err) {
    await closeDriver().catch(() => {});
    throw err;
  }
}

async function postgresFactory(url: string) {
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => {}); // an idle connection dropped: the next query opens another
  const factory = wholeScripts(new PrismaPg(pool));
  const query: SqlQuery = async <T>(text: string, params: unknown[]) => (await pool.query(text, params)).rows as T[];
  return { factory, kind: 'postgres' as const, query, closeDriver: () => pool.end() };
}

type ScriptRunner = { executeScript(script: string): Promise<void>; underlyingDriver(): { query(sql: string): Promise<unknown> } };

/**
 * Prisma's PostgreSQL adapter runs a migration script by cutting it at every ";", which breaks
 * any statement holding one (a function body, a string). PostgreSQL runs a whole script sent as
 * one simple query itself, as one transaction, so the adapters made here send it so.
 */
function wholeScripts<F extends SqlMigrationAwareDriverAdapterFactory>(factory: F): F {
  const patch = <A>(adapter: A): A => {
    const runner = adapter as unknown as ScriptRunner & { onError(err: unknown): never };
    runner.executeScript = async (script: string) => {
      try {
        await runner.underlyingDriver().query(script);
      } catch (err) {
        runner.onError(err);
      }
    };
    return adapter;
  };
  const connect = factory.connect.bind(factory);
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connect = async () => patch(await connect());
  factory.connectToShadowDb = async () => patch(await connectToShadowDb());
  return factory;
}

async function pgliteFactory(dataDir: string) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  let lock: { release(): void } | undefined;
  if (!dataDir.startsWith('memory://')) {
    fs.mkdirSync(path.resolve(dataDir), { recursive: true });
    lock = acquireDataLock(dataDir);
  }
  try {
    const pglite = new PGlite(dataDir);
    await pglite.waitReady;
    const query: SqlQuery = async <T>(text: string, params: unknown[]) => (await pglite.query<T>(text, params)).rows;
    return {
      factory: new PrismaPGlite(pglite),
      kind: 'pglite' as const,
      query,
      closeDriver: async () => {
        await pglite.close();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
