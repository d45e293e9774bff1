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
  const { factory, kind, closeDriver } = options.url
    ? await postgresFactory(options.url)
    : await pgliteFactory(options.dataDir ?? './data');
  try {
    const applied = options.migrate === false ? [] : await applyMigrations(factory);
    const prisma = new PrismaClient({ adapter: factory });
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
  const factory = wholeScripts(new PrismaPg({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 }));
  return { factory, kind: 'postgres' as const, closeDriver: async () => {} };
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
    return {
      factory: new PrismaPGlite(pglite),
      kind: 'pglite' as const,
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
