import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { I18n, type Locale } from '../../core/i18n.ts';
import type { Logger } from '../../core/logger.ts';
import { html } from '../pages/html.ts';
import type { WebRoutes } from '../server.ts';
import { microsoftCatalogues } from './microsoft.i18n.ts';
import { MicrosoftSignInError, personForMicrosoftUser, type MicrosoftFailure, type MicrosoftSignIn, type PendingSignIn } from './microsoft.ts';
import type { WebSessions } from './sessions.ts';

/**
 * `GET /auth/microsoft` sends the browser to the provider; `GET /auth/microsoft/callback` is where
 * it comes back (the default `query` response mode, so the cross-site POST guard never meets it).
 * Between the two, the state, nonce and PKCE verifier wait in a short-lived HttpOnly, SameSite=Lax
 * cookie on the browser that started: an answer brought by any other browser fails the state check.
 * The cookie needs no signature: its values are random, and no other site can read or set it.
 */
export const MICROSOFT_START = '/auth/microsoft';
export const MICROSOFT_CALLBACK = '/auth/microsoft/callback';
const FLOW_LIFETIME_S = 10 * 60;

const i18n = new I18n();
i18n.register(microsoftCatalogues);

const ZPending = z.object({ state: z.string().min(16).max(200), nonce: z.string().min(16).max(200), verifier: z.string().min(43).max(128) });
/** What the provider may add to the callback address; anything longer than this is not an answer from it. */
const ZCallbackQuery = z.record(z.string().max(40), z.string().max(4096));

const STATUS: Record<MicrosoftFailure, number> = { state: 400, token: 400, denied: 403, noOid: 400, unavailable: 503, badRequest: 400 };

export interface MicrosoftRouteOptions {
  db: Db;
  log: Logger;
  /** PUBLIC_URL: the callback address registered with the provider is `${publicUrl}/auth/microsoft/callback` */
  publicUrl?: string;
}

export function microsoftRoutes(signIn: MicrosoftSignIn, sessions: WebSessions, options: MicrosoftRouteOptions): WebRoutes {
  const cookieName = sessions.secure ? '__Host-forumbot_microsoft' : 'forumbot_microsoft';
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: sessions.secure };
  const base = (req: FastifyRequest) => (options.publicUrl ? options.publicUrl.replace(/\/+$/, '') : `${req.protocol}://${req.host}`);
  const rateLimit = { max: 30, timeWindow: '1 minute' };

  const refuse = (req: FastifyRequest, reply: FastifyReply, err: MicrosoftSignInError) => {
    options.log.warn('microsoft sign-in refused', { reason: err.reason, detail: err.message.slice(0, 300) });
    reply.clearCookie(cookieName, { path: '/' });
    const reason = err.reason === 'denied' ? err.message.split(':')[0].slice(0, 60) : '';
    return reply
      .code(STATUS[err.reason])
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(errorPage(`web.microsoft.error.${err.reason}`, { reason }, preferred(req)).value);
  };

  return async (app) => {
    app.get(MICROSOFT_START, { config: { rateLimit } }, async (req, reply) => {
      try {
        const { url, pending } = await signIn.begin(`${base(req)}${MICROSOFT_CALLBACK}`);
        reply.setCookie(cookieName, Buffer.from(JSON.stringify(pending)).toString('base64url'), { ...cookieOptions, maxAge: FLOW_LIFETIME_S });
        return reply.header('cache-control', 'no-store').redirect(url, 302);
      } catch (err) {
        if (err instanceof MicrosoftSignInError) return refuse(req, reply, err);
        throw err;
      }
    });

    app.get(MICROSOFT_CALLBACK, { config: { rateLimit } }, async (req, reply) => {
      const query = ZCallbackQuery.safeParse(req.query);
      if (!query.success) return refuse(req, reply, new MicrosoftSignInError('badRequest', 'callback query too long or malformed'));
      const pending = readPending(req.cookies?.[cookieName]);
      const state = query.data.state;
      if (!pending || !state || !sameText(state, pending.state)) {
        return refuse(req, reply, new MicrosoftSignInError('state', pending ? 'state differs from the one this browser sent' : 'no sign-in in progress on this browser'));
      }
      if (!query.data.code && !query.data.error) return refuse(req, reply, new MicrosoftSignInError('badRequest', 'no code in the callback'));
      const callbackUrl = new URL(`${base(req)}${MICROSOFT_CALLBACK}`);
      for (const [k, v] of Object.entries(query.data)) callbackUrl.searchParams.set(k, v);
      try {
        const user = await signIn.finish(callbackUrl, pending);
        const already = await sessions.personOf(req);
        const { personId, isNew } = await personForMicrosoftUser(options.db, user, already?.personId);
        await sessions.createSession(personId, reply);
        options.log.info('microsoft sign-in', { personId, isNew });
        reply.clearCookie(cookieName, { path: '/' });
        return reply.header('cache-control', 'no-store').redirect('/', 303);
      } catch (err) {
        if (err instanceof MicrosoftSignInError) return refuse(req, reply, err);
        throw err;
      }
    });
  };
}

function readPending(value: string | undefined): PendingSignIn | null {
  if (!value || value.length > 1000) return null;
  try {
    const parsed = ZPending.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

const preferred = (req: FastifyRequest): Locale => (/^\s*cy\b/i.test(req.headers['accept-language'] ?? '') ? 'cy' : 'en');

/** A refusal as a small page in both languages (the reader's first), with the way back. */
function errorPage(key: string, params: Record<string, string>, first: Locale) {
  const order: Locale[] = first === 'cy' ? ['cy', 'en'] : ['en', 'cy'];
  const t = (l: Locale, k: string) => i18n.t(l, k, params);
  return html`<!doctype html>
<html lang="${first}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t(first, 'web.microsoft.title')}</title>
</head>
<body>
<main>
${order.map(
  (l) => html`<section lang="${l}">
<h1>${t(l, 'web.microsoft.title')}</h1>
<p role="alert">${t(l, key)}</p>
<p><a href="/">${t(l, 'web.microsoft.back')}</a></p>
</section>`,
)}
</main>
</body>
</html>`;
}
