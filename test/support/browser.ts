import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type LaunchOptions } from 'playwright-core';

/**
 * One way for every browser test to get a real Chromium, with no manual install step:
 *
 * 1. `CHROMIUM_PATH`, when set (it must exist: a wrong path is an error, not a fallback);
 * 2. a system Chromium (Debian's `/usr/bin/chromium` and its usual siblings), when present;
 * 3. the Chromium shipped brotli-compressed inside the `@sparticuz/chromium` npm package,
 *    unpacked once into `node_modules/.cache/` (a dev dependency, so `npm ci` brings it).
 */

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The flags every test browser gets: headless, no sandbox (we run as root), nothing phoning home. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface FoundChromium {
  path: string;
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

let found: Promise<FoundChromium> | undefined;

/** Where the browser comes from; the npm one is unpacked on first use (a few seconds, once). */
export function findChromium(): Promise<FoundChromium> {
  found ??= locate();
  return found;
}

async function locate(): Promise<FoundChromium> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist`);
    return { path: fromEnv, source: 'CHROMIUM_PATH' };
  }
  const system = SYSTEM_CHROMIUMS.find((p) => fs.existsSync(p));
  if (system) return { path: system, source: 'system' };
  return { path: await unpackNpmChromium(), source: '@sparticuz/chromium' };
}

const require = createRequire(import.meta.url);
const run = promisify(execFile);

/**
 * The package unpacks into `os.tmpdir()` and trusts whatever it finds there, so two test files
 * starting at once could run a half-written binary. Unpack it in a child process whose TMPDIR is
 * a private folder, then rename that folder into place: a rename is atomic, and the loser of a race
 * simply uses the winner's copy.
 */
async function unpackNpmChromium(): Promise<string> {
  const pkgJson = packageJsonOf(require.resolve('@sparticuz/chromium'));
  const { version } = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string };
  const cacheRoot = path.join(path.dirname(pkgJson), '..', '..', '.cache', 'forumbot-chromium');
  const target = path.join(cacheRoot, version);
  const binary = path.join(target, 'chromium');
  if (fs.existsSync(binary)) return binary;

  fs.mkdirSync(cacheRoot, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(cacheRoot, `${version}.partial-`));
  try {
    const script = "import('@sparticuz/chromium').then((c) => c.default.executablePath()).then((p) => process.stdout.write(p))";
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: path.dirname(pkgJson),
      env: { ...process.env, TMPDIR: scratch },
      timeout: 120_000,
    });
    if (path.resolve(stdout.trim()) !== path.join(scratch, 'chromium')) {
      throw new Error(`@sparticuz/chromium unpacked to ${stdout.trim()}, expected ${scratch}/chromium`);
    }
    try {
      fs.renameSync(scratch, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      // another test file won the race: its copy is complete (it was renamed whole)
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (!fs.existsSync(binary)) throw new Error(`@sparticuz/chromium ${version}: no chromium binary in ${target}`);
  return binary;
}

/** The package exports no `package.json`, so walk up from its entry point to find it. */
function packageJsonOf(entry: string): string {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate) && (JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string }).name === '@sparticuz/chromium') return candidate;
  }
  throw new Error(`no package.json for @sparticuz/chromium above ${entry}`);
}

export interface TestBrowser {
  context: BrowserContext;
  chromium: FoundChromium;
  /** Closes the browser and removes its profile folder. */
  close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh profile folder (playwright takes it as launchPersistentContext's
 * userDataDir, which Chromium receives as `--user-data-dir`; playwright refuses the flag itself).
 * Throws with what to do when no browser can be started: browser tests do not skip.
 */
export async function launchBrowser(options: Parameters<typeof chromium.launchPersistentContext>[1] = {}): Promise<TestBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-chromium-'));
  let where: FoundChromium | undefined;
  try {
    where = await findChromium();
    const launch: LaunchOptions = { executablePath: where.path, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 };
    const context = await chromium.launchPersistentContext(userDataDir, { ...launch, ...options, args: [...CHROMIUM_FLAGS, ...(options.args ?? [])] });
    return {
      context,
      chromium: where,
      async close() {
        await context.close().catch(() => undefined);
        fs.rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(
      `Cannot launch Chromium (${where ? `${where.path}, from ${where.source}` : 'none found'}): ${(err as Error).message.split('\n')[0]}\n` +
        'The browser comes from CHROMIUM_PATH, else a system Chromium, else the @sparticuz/chromium dev dependency (run `npm ci`). Browser tests do not skip.',
    );
  }
}
