import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { sendError } from '../server.ts';

/** At most `max` requests in `windowMs` per key. */
export interface Limit {
  max: number;
  windowMs: number;
}

/**
 * A preHandler counting requests per key (an address, an account, an email address) with
 * @fastify/rate-limit's store; past the limit it answers 429 with Retry-After and a bilingual
 * message. Several can guard one route (per address and per account), which the plugin's own
 * route option cannot do. A key of undefined is not counted.
 */
export function limitBy(app: FastifyInstance, name: string, limit: Limit, key: (req: FastifyRequest) => string | undefined): preHandlerAsyncHookHandler {
  const check = app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs, keyGenerator: (req) => `${name}:${key(req)}` });
  return async (req, reply) => {
    if (key(req) === undefined) return;
    const result = await check(req);
    if (result.isAllowed || !result.isExceeded) return;
    const seconds = Math.max(1, result.ttlInSeconds);
    reply.header('retry-after', String(seconds));
    return sendError(reply, 429, 'web.error.tooMany', { seconds });
  };
}

/** The client's address (X-Forwarded-For is believed only with TRUST_PROXY=on). */
export const addressOf = (req: FastifyRequest): string => req.ip;
