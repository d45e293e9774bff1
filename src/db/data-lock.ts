import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The embedded database serves one process. A lock file in its folder says which process has it
 * and, once the bot is listening, on which port, so a command run beside it (seed --demo) can ask
 * the running bot to do the work instead of opening the folder a second time.
 */
export interface LockInfo {
  pid: number;
  /** set by a running bot: its web server's port and a token for its local admin endpoint */
  port?: number;
  token?: string;
}

export class DataDirBusy extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockInfo,
  ) {
    super(`the embedded database in ${dir} is in use by another forumbot (process ${holder.pid})`);
    this.name = 'DataDirBusy';
  }
}

const lockFile = (dir: string) => path.join(path.resolve(dir), 'forumbot.lock');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export function readLock(dir: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(lockFile(dir), 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

/**
 * Asks the bot running on this embedded database folder to do a command's work through its local
 * admin endpoint (`POST /admin/<action>`), so the folder is opened by one process only. Answers the
 * bot's JSON reply, or null when no bot holds the folder (or it does not answer): open it then.
 */
export async function askRunningBot(dataDir: string, action: string, body?: unknown): Promise<{ ok: boolean; reply: Record<string, unknown> } | null> {
  const holder = readLock(dataDir);
  if (!holder?.port || !holder.token) return null;
  try {
    const res = await fetch(`http://127.0.0.1:${holder.port}/admin/${action}`, {
      method: 'POST',
      headers: { 'x-forumbot-token': holder.token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { ok: res.ok, reply: (await res.json()) as Record<string, unknown> };
  } catch {
    return null;
  }
}

/** Takes the folder for this process, or throws DataDirBusy naming the live process that has it. */
export function acquireDataLock(dir: string): { release(): void } {
  const file = lockFile(dir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid }), { flag: 'wx', mode: 0o600 });
      return {
        release() {
          if (readLock(dir)?.pid === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(dir);
      if (holder && holder.pid !== process.pid && alive(holder.pid)) throw new DataDirBusy(dir, holder);
      fs.rmSync(file, { force: true }); // left by a process that has gone
    }
  }
  throw new Error(`cannot take the lock ${file}`);
}

/** A running bot records its port and a fresh admin token; returns the token. */
export function announceBot(dir: string, port: number): string {
  const token = crypto.randomBytes(24).toString('hex');
  fs.writeFileSync(lockFile(dir), JSON.stringify({ pid: process.pid, port, token } satisfies LockInfo), { mode: 0o600 });
  return token;
}
