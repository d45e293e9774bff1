import type { AddressInfo } from 'node:net';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyPluginAsync, type FastifyReply } from 'fastify';
import { I18n } from '../core/i18n.ts';
import type { Logger } from '../core/logger.ts';
import { webCatalogues } from './web.i18n.ts';

/**
 * The bot's one web server (Fastify). Adapters and features hand it plugins: the web chat, the
 * Slack and Teams endpoints, the calendar feed, webhooks, the public site. A plugin registers its
 * routes with Fastify's own API, e.g.
 *
 *   const pages: WebRoutes = async (app) => { app.get('/f/:slug', async (req, reply) => …) };
 *   server.add(pages);
 *
 * A feature offers its plugins through `Feature.routes(services)`; `src/main.ts` adds them all.
 * Every answer carries the security headers (helmet, strict Content-Security-Policy); bodies over
 * the limit are 413, malformed ones 400 with what to fix, in English and Welsh; a 500 only for a
 * fault of ours, logged with its stack and never shown.
 */
export type WebRoutes = FastifyPluginAsync;

export interface WebServerOptions {
  /** the largest body a route takes unless it says otherwise (256 KB) */
  bodyLimit?: number;
  /** behind a reverse proxy: take the client address from X-Forwarded-For */
  trustProxy?: boolean;
  /** the bot's public address (PUBLIC_URL): a state-changing request from this origin is accepted */
  publicUrl?: string;
}

/** Methods that change nothing; every other method is refused when sent from another site. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const DEFAULT_BODY_LIMIT = 256 * 1024;

const i18n = new I18n();
i18n.register(webCatalogues);

/** An error answer as JSON: English first (`error`), Welsh beside it, and the problems to fix. */
export function errorBody(key: string, params: Record<string, string | number> = {}, problems?: string[]) {
  return { error: i18n.t('en', key, params), errorCy: i18n.t('cy', key, params), ...(problems?.length ? { problems } : {}) };
}

/** A message for the page, English (`message`) and Welsh (`messageCy`). */
export function messageBody(key: string, params: Record<string, string | number> = {}) {
  return { message: i18n.t('en', key, params), messageCy: i18n.t('cy', key, params) };
}

/** Sends an error answer (see `errorBody`). */
export function sendError(reply: FastifyReply, status: number, key: string, params: Record<string, string | number> = {}, problems?: string[]) {
  return reply.code(status).header('cache-control', 'no-store').send(errorBody(key, params, problems));
}

/** What a client error from Fastify itself (body parsing, routing) means, in words. */
function describeClientError(err: FastifyError): { key: string; problems?: string[] } {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { key: 'web.error.tooLarge' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { key: 'web.error.mediaType' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { key: 'web.error.badRequest', problems: ['body: must be JSON, and is empty'] };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { key: 'web.error.badRequest', problems: ['body: must be JSON'] };
    default:
      if (err instanceof SyntaxError) return { key: 'web.error.badRequest', problems: ['body: must be JSON'] };
      if (err.validation) return { key: 'web.error.badRequest', problems: err.validation.map((v) => `${v.instancePath || err.validationContext || 'request'}: ${v.message}`) };
      return { key: 'web.error.badRequest', problems: [err.message] };
  }
}

export class WebServer {
  readonly app: FastifyInstance;

  constructor(
    private readonly log: Logger,
    options: WebServerOptions = {},
  ) {
    this.app = Fastify({
      logger: false,
      bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
      trustProxy: options.trustProxy ?? false,
      // open event streams must not hold a shutdown up
      forceCloseConnections: true,
      return503OnClosing: true,
    });
    void this.app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
      // the calendar feed and webhooks are read by other sites' servers, not their pages
      crossOriginResourcePolicy: { policy: 'same-site' },
    });
    // routes opt in with `config: { rateLimit: { max, timeWindow, keyGenerator } }`; 429 carries Retry-After
    void this.app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, ...errorBody('web.error.tooMany', { seconds: Math.ceil(ctx.ttl / 1000) }) }),
    });
    void this.app.register(cookie);
    // cross-site requests change nothing: a browser names the page's origin on every POST (and says
    // "cross-site" in Sec-Fetch-Site); other servers (Slack, Teams, scripts) send neither
    const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
    this.app.addHook('onRequest', async (req, reply) => {
      if (SAFE_METHODS.has(req.method)) return;
      const origin = req.headers.origin;
      const crossSite = req.headers['sec-fetch-site'] === 'cross-site';
      if (crossSite || (origin !== undefined && origin !== publicOrigin && origin !== `${req.protocol}://${req.host}`)) {
        return sendError(reply, 403, 'web.error.crossSite');
      }
    });
    // JSON only: a cross-site "simple" request (text/plain, a form) is never parsed (415)
    this.app.removeContentTypeParser('text/plain');
    this.app.setNotFoundHandler((_req, reply) => sendError(reply, 404, 'web.error.notFound'));
    this.app.setErrorHandler((err: FastifyError, req, reply) => {
      const status = err.statusCode ?? 500;
      if (status === 429) return reply.code(429).send(err);
      if (status >= 400 && status < 500) {
        const { key, problems } = describeClientError(err);
        return sendError(reply, status, key, {}, problems);
      }
      this.log.error('http handler failed', { method: req.method, path: req.url.split('?')[0], error: String(err?.stack ?? err) });
      return sendError(reply, 500, 'web.error.internal');
    });
  }

  /** Adds route plugins (an adapter's or a feature's); call before `listen`. */
  add(...plugins: WebRoutes[]): void {
    for (const plugin of plugins) void this.app.register(plugin);
  }

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    await this.app.listen({ port, host });
    return (this.app.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
