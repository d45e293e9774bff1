/**
 * The one error type. `key` names a catalogue message that is safe to show a user; `params`
 * fill it. Anything else thrown is a fault: logged with an id, and the user gets that id.
 */
import type { MessageKey } from './i18n.ts';

export class AppError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
    readonly code: string = key,
  ) {
    super(key);
    this.name = 'AppError';
  }

  /** A second line said after the message, e.g. "Did you mean …?" */
  hint?: { key: MessageKey; params: Record<string, string | number> };

  withHint(key: MessageKey, params: Record<string, string | number> = {}): this {
    this.hint = { key, params };
    return this;
  }
}

/** The database could not be reached: the user is asked to try again shortly. */
export function isConnectionError(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const o = e as { code?: string; message?: string; cause?: unknown; kind?: string };
    if (o.code && ['P1001', 'P1002', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '08006', '08001', '08003'].includes(o.code)) return true;
    if (o.kind === 'DatabaseNotReachable' || o.kind === 'ConnectionClosed' || o.kind === 'SocketTimeout') return true;
    if (typeof o.message === 'string' && /ECONNREFUSED|Connection terminated|connect ETIMEDOUT|Can't reach database|server closed the connection|timeout exceeded when trying to connect|Connection ended|ECONNRESET/i.test(o.message)) return true;
    e = o.cause;
  }
  return false;
}
