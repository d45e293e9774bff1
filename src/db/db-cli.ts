import { loadConfigOrExplain } from '../config.ts';
import { openDatabase } from './client.ts';
import { askRunningBot, DataDirBusy } from './data-lock.ts';
import { createMigration } from './migrations.ts';

/** `forumbot db migrate` and `forumbot db new-migration NAME`. */
export async function dbCli(args: string[]): Promise<number> {
  const [sub, name] = args;
  if (sub === 'migrate') {
    const db = await openOrExplain();
    if (!db) return 1;
    try {
      const { applied } = db;
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    } finally {
      await db.close();
    }
  }
  if (sub === 'new-migration') {
    if (!name || !/^[a-z0-9_-]+$/i.test(name)) {
      console.error('Give the migration a name of letters, digits and underscores, e.g.: npm run db:migration -- add_elections');
      return 2;
    }
    // diffs the migrations folder against schema.prisma on a throwaway in-memory database
    const { PGlite } = await import('@electric-sql/pglite');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    const folder = await createMigration(new PrismaPGlite(new PGlite()), name);
    console.log(folder ? `Wrote prisma/migrations/${folder}/migration.sql` : 'No changes in prisma/schema.prisma: nothing to write.');
    return 0;
  }
  console.error('Usage: forumbot db migrate | forumbot db new-migration NAME');
  return 2;
}

/** `forumbot seed --demo` */
export async function seedCli(args: string[]): Promise<number> {
  if (!args.includes('--demo')) {
    console.error('Usage: forumbot seed --demo');
    return 2;
  }
  const config = loadConfigOrExplain();
  if (!config) return 1;
  // the bot is running on this folder: it seeds, so the folder is opened by one process only
  const asked = config.DATABASE_URL ? null : await askRunningBot(config.DATA_DIR, 'seed-demo');
  if (asked?.ok && typeof asked.reply.summary === 'string') {
    console.log(asked.reply.summary);
    return 0;
  }
  const db = await openOrExplain();
  if (!db) return 1;
  try {
    const { seedDemo } = await import('../features/forums/demo.ts');
    const summary = await seedDemo(db.prisma, new Date(), `http://localhost:${Number(process.env.PORT) || 3000}`);
    console.log(summary);
    return 0;
  } finally {
    await db.close();
  }
}

/** Opens the configured database (migrating it), or explains in plain words why it could not. */
export async function openOrExplain() {
  const config = loadConfigOrExplain();
  if (!config) return null;
  try {
    return await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  } catch (err) {
    console.error(describeOpenFailure(err, config.DATABASE_URL));
    return null;
  }
}

/**
 * A PostgreSQL connection failure that may pass by itself: the server starting or restarting
 * (refused, reset, "starting up"), slow to answer (the connect timeout), out of connection slots,
 * another instance migrating (the migration lock not had within 10 s: Prisma's "reached but timed
 * out"), or its name not yet resolvable. A wrong password, a missing database or a bad address are not.
 */
export function isTransientConnectFailure(err: unknown): boolean {
  const codes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE', '57P03', '53300']);
  const words = /reached but timed out|timeout expired|timeout exceeded|connection timeout|Connection terminated|terminating connection|the database system is (starting up|shutting down)|too many clients/i;
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && (codes.has(e.code) || e.code.startsWith('08'))) return true;
    if (typeof e.message === 'string' && words.test(e.message)) return true;
  }
  return false;
}

/**
 * Connects to PostgreSQL once and asks it something, with the pool's connect timeout: what a start
 * tries before opening the database, since errors through the migration engine arrive without
 * their cause (an "External error").
 */
export async function probePostgres(url: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => {});
  }
}

export function describeOpenFailure(err: unknown, url?: string): string {
  if (err instanceof DataDirBusy) {
    return `The embedded database in ${err.dir} is in use by a running forumbot (process ${err.holder.pid}); it serves one process at a time.\nStop that bot first (Ctrl+C), or use PostgreSQL (DATABASE_URL) to run several processes.`;
  }
  const detail = String((err as Error)?.message ?? err).split('\n')[0];
  if (url) {
    const safe = url.replace(/\/\/[^@/]*@/, '//…@');
    return `Cannot reach the PostgreSQL database at ${safe}: ${detail}\nCheck that the server is running and DATABASE_URL is right, or unset DATABASE_URL to use the embedded database.`;
  }
  return `Cannot open the embedded database: ${detail}\nIf another forumbot is running with the same DATA_DIR, stop it first (the embedded database serves one process).`;
}
