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
 * models (a database function answering JSON, say), and whose text is fixed: each distinct text is
 * prepared on the connection and kept for its life, so values must go in as parameters.
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
  /**
   * Hears `NOTIFY channel` from every instance sharing this database (PostgreSQL: one connection of
   * its own, remade with backoff if lost, `onReconnect` then called since notifications may have
   * been missed; PGlite: in this process). Answers a function that stops listening.
   */
  listen(channel: string, onMessage: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type Listen = Database['listen'];

/** Opens the database: PGlite in a folder when no URL is given, PostgreSQL otherwise. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const { factory, kind, closeDriver, query, listen } = options.url
    ? await postgresFactory(options.url)
    : await pgliteFactory(options.dataDir ?? './data');
  try {
    const applied = options.migrate === false ? [] : options.url ? await migratePostgres(options.url) : await applyMigrations(factory);
    const prisma = new PrismaClient({ adapter: factory });
    drivers.set(prisma, query);
    return {
      prisma,
      kind,
      factory,
      applied,
      listen,
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
  const query: SqlQuery = async <T>(text: string, params: unknown[]) => (await pool.query({ name: statementName(text), text, values: params })).rows as T[];
  const listeners = new Set<() => Promise<void>>();
  const listen: Listen = (channel, onMessage, onReconnect) => listenOnPostgres(pg, url, channel, onMessage, onReconnect, listeners);
  const closeDriver = async () => {
    await Promise.all([...listeners].map((stop) => stop()));
    await pool.end();
  };
  return { factory, kind: 'postgres' as const, query, listen, closeDriver };
}

/**
 * Migrations on PostgreSQL, on a pool of one connection closed afterwards. The schema engine takes
 * an advisory lock, waits 10 s for it, and releases it in a later statement: on the shared pool that
 * statement could run on another connection, leaving the lock held by a connection the bot went on
 * using, so a second instance starting beside a busy one waited 10 s and gave up.
 */
async function migratePostgres(url: string): Promise<string[]> {
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => {});
  try {
    return await applyMigrations(wholeScripts(new PrismaPg(pool)));
  } finally {
    await pool.end();
  }
}

/** A connection of its own that LISTENs (a pooled one would be handed to other queries). */
async function listenOnPostgres(
  pg: typeof import('pg').default,
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  onReconnect: (() => void) | undefined,
  listeners: Set<() => Promise<void>>,
): Promise<() => Promise<void>> {
  let client: import('pg').Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let delay = 500;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    c.on('notification', (n) => n.channel === channel && onMessage(n.payload ?? ''));
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    await c.connect();
    await c.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    client = c;
    delay = 500;
  };
  const lost = (c: import('pg').Client) => {
    if (stopped || client !== c || retry) return;
    client = undefined;
    c.end().catch(() => {});
    const again = () => {
      retry = setTimeout(() => {
        retry = undefined;
        if (stopped) return;
        connect().then(
          () => onReconnect?.(),
          () => {
            delay = Math.min(delay * 2, 30_000);
            again();
          },
        );
      }, delay);
      retry.unref();
    };
    again();
  };
  await connect();
  const stop = async () => {
    stopped = true;
    listeners.delete(stop);
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => {});
  };
  listeners.add(stop);
  return stop;
}

type PGliteLike = import('@electric-sql/pglite').PGlite;

/**
 * The name a statement is prepared under, the same for the same text: the few statements sent
 * this way are prepared once per connection and then only bound and run. Parsing and planning
 * "SELECT f($1, …)" afresh, with the parameters' types to infer, cost more than running it.
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `forumbot_${statementNames.size + 1}`));
  return name;
}

/**
 * One statement on PGlite as a single exchange with the database (bind, execute and sync sent
 * together, after the parse the first time). PGlite's own query() makes six exchanges, one per
 * protocol message, and parses every time. Parameters go as text, which PostgreSQL reads as the
 * types it infers (so a statement casts any it cannot infer); rows come back parsed by PGlite's own
 * parsers. Waits its turn behind PGlite's queries and transactions, as query() does.
 */
async function oneExchange(pglite: PGliteLike): Promise<SqlQuery> {
  const { protocol } = await import('@electric-sql/pglite');
  const { serialize } = protocol;
  const tail = [serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()];
  const prepared = new Set<string>();
  const asText = (v: unknown): string | null => {
    if (v === null || v === undefined) return null;
    if (v instanceof Date) return v.toISOString();
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  };
  const exclusive = pglite as unknown as { _runExclusiveTransaction<R>(f: () => Promise<R>): Promise<R>; _runExclusiveQuery<R>(f: () => Promise<R>): Promise<R> };
  return <T>(text: string, params: unknown[]) =>
    exclusive._runExclusiveTransaction(() =>
      exclusive._runExclusiveQuery(async () => {
        const name = statementName(text);
        const fresh = !prepared.has(name);
        // a statement not known to be prepared is closed first: a failed exchange may have left it half made
        const head = fresh ? [serialize.close({ type: 'S', name }), serialize.parse({ name, text })] : [];
        const parts = [...head, serialize.bind({ statement: name, values: params.map(asText) }), ...tail];
        const message = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          message.set(p, at);
          at += p.length;
        }
        const { messages } = await pglite.execProtocol(message, { syncToFs: true });
        if (fresh) prepared.add(name);
        let fields: { name: string; dataTypeID: number }[] = [];
        const rows: T[] = [];
        for (const m of messages) {
          if (m.name === 'rowDescription') fields = (m as unknown as { fields: typeof fields }).fields;
          else if (m.name === 'dataRow') {
            const values = (m as unknown as { fields: (string | null)[] }).fields;
            const row: Record<string, unknown> = {};
            fields.forEach((f, i) => {
              const v = values[i];
              const parse = pglite.parsers[f.dataTypeID];
              row[f.name] = v === null ? null : parse ? parse(v, f.dataTypeID) : v;
            });
            rows.push(row as T);
          }
        }
        return rows;
      }),
    );
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
    const query = await oneExchange(pglite);
    // one process holds the embedded database, so a NOTIFY is heard in this process only
    const listen: Listen = async (channel, onMessage) => pglite.listen(channel, onMessage);
    return {
      factory: new PrismaPGlite(pglite),
      kind: 'pglite' as const,
      query,
      listen,
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
