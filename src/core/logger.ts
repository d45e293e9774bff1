import { format } from 'node:util';
import { redactSecrets } from './redact.ts';

/**
 * Structured JSON log lines on stderr. Never log message text, ballots or secrets; and as a second
 * line of defence every line passes through one redaction filter (`redact.ts`), the chat SDKs'
 * own loggers included, since they are bridged into this one.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: Level = 'info', write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const emit = (lvl: Level) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (order[lvl] < order[level]) return;
    write(redactSecrets(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Routes what libraries print on their own (Prisma's warnings, botbuilder's turn errors, anything
 * else on `console`) through the same redaction filter. What is printed keeps its place (stdout or
 * stderr) and its form; only secrets in it are replaced. Answers a function that undoes it.
 */
export function redactConsole(target: Pick<Console, (typeof consoleMethods)[number]> = console): () => void {
  const originals = consoleMethods.map((m) => [m, target[m]] as const);
  for (const [m, original] of originals) {
    target[m] = (...args: unknown[]) => original.call(target, redactSecrets(format(...args)));
  }
  return () => {
    for (const [m, original] of originals) target[m] = original;
  };
}
