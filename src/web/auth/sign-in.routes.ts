import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { messageBody, sendError, type WebRoutes } from '../server.ts';
import { addressOf, limitBy, type Limit } from './limits.ts';
import type { Mailer } from './mailer.ts';
import type { WebSessions } from './sessions.ts';
import { normaliseEmail, redeemCode, redeemLink, sendEmailSignIn, SignInRefused } from './sign-in-tokens.ts';

/**
 * The ways in over HTTP: ask for an emailed link and code, type the code, open a link (emailed or
 * from chat), and, only in demo mode, pick a demo person. Each is rate limited per address and, where
 * an email address is given, per email address (429 with Retry-After).
 */
export interface SignInRouteOptions {
  db: Db;
  sessions: WebSessions;
  mailer: Mailer;
  /** the address put in sign-in mails: PUBLIC_URL, never the request's Host header (which a caller chooses) */
  baseUrl: string | (() => string);
  /** `forumbot start --demo`: the demo forum's people can be picked with one click */
  demo?: boolean;
  now?: () => Date;
  limits?: Partial<Record<'mailsPerAddress' | 'mailsPerEmail' | 'codesPerAddress' | 'codesPerEmail' | 'linksPerAddress', Limit>>;
}

const MINUTE = 60_000;
const DEFAULT_LIMITS = {
  mailsPerAddress: { max: 10, windowMs: 15 * MINUTE },
  mailsPerEmail: { max: 3, windowMs: 15 * MINUTE },
  codesPerAddress: { max: 20, windowMs: 15 * MINUTE },
  codesPerEmail: { max: 10, windowMs: 15 * MINUTE },
  linksPerAddress: { max: 20, windowMs: 15 * MINUTE },
};

const ZEmail = z.string().trim().max(254).pipe(z.email('email: must be an email address such as name@example.org'));
const ZAskMail = z.strictObject({ email: ZEmail, name: z.string().trim().min(1).max(80).optional() });
const ZCode = z.strictObject({ email: ZEmail, code: z.string().transform((c) => c.replace(/\s+/g, '')).pipe(z.string().regex(/^\d{6}$/, 'code: must be the six digits from the mail')) });
const ZLink = z.strictObject({ token: z.string().regex(/^[\w-]{43}$/, 'token: must be the part of the link after #signin=') });
const ZPersona = z.strictObject({ persona: z.string().regex(/^demo-[a-z]{1,30}$/, 'persona: must be a demo person such as demo-officer') });

const problemsOf = (error: z.ZodError) => error.issues.map((i) => (i.message.includes(':') ? i.message : `${i.path.join('.') || 'body'}: ${i.message}`));
const emailOf = (req: FastifyRequest): string | undefined => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.length <= 254 ? normaliseEmail(email) : undefined;
};

export function signInRoutes(options: SignInRouteOptions): WebRoutes {
  const { db, sessions, mailer } = options;
  const now = options.now ?? (() => new Date());
  const baseUrl = () => (typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };

  const refused = (reply: FastifyReply, err: unknown) => {
    if (!(err instanceof SignInRefused)) throw err;
    if (err.status === 429 && typeof err.params.minutes === 'number') reply.header('retry-after', String(err.params.minutes * 60));
    return sendError(reply, err.status, err.key, err.params);
  };
  const signedIn = async (reply: FastifyReply, personId: string) => {
    await sessions.createSession(personId, reply);
    const person = await db.person.findUniqueOrThrow({ where: { id: personId }, select: { displayName: true } });
    return reply.header('cache-control', 'no-store').send({ signedIn: true, name: person.displayName });
  };

  return async (app) => {
    const mailsPerAddress = limitBy(app, 'mail-address', limits.mailsPerAddress, addressOf);
    const mailsPerEmail = limitBy(app, 'mail-email', limits.mailsPerEmail, emailOf);
    const codesPerAddress = limitBy(app, 'code-address', limits.codesPerAddress, addressOf);
    const codesPerEmail = limitBy(app, 'code-email', limits.codesPerEmail, emailOf);
    const linksPerAddress = limitBy(app, 'link-address', limits.linksPerAddress, addressOf);

    app.post('/api/auth/email', { preHandler: [mailsPerAddress, mailsPerEmail] }, async (req, reply) => {
      const body = ZAskMail.safeParse(req.body);
      if (!body.success) return sendError(reply, 400, 'web.error.badRequest', {}, problemsOf(body.error));
      try {
        await sendEmailSignIn(db, mailer, { email: body.data.email, name: body.data.name, baseUrl: baseUrl(), now: now() });
      } catch (err) {
        if (err instanceof SignInRefused && err.key === 'web.signIn.mailDown') req.log.warn?.({ err: String(err.cause) }, 'sign-in mail not sent');
        return refused(reply, err);
      }
      return reply.header('cache-control', 'no-store').send({ sent: true, ...messageBody('web.signIn.sent', { email: normaliseEmail(body.data.email) }) });
    });

    app.post('/api/auth/code', { preHandler: [codesPerAddress, codesPerEmail] }, async (req, reply) => {
      const body = ZCode.safeParse(req.body);
      if (!body.success) return sendError(reply, 400, 'web.error.badRequest', {}, problemsOf(body.error));
      try {
        return await signedIn(reply, await redeemCode(db, body.data.email, body.data.code, now()));
      } catch (err) {
        return refused(reply, err);
      }
    });

    app.post('/api/auth/link', { preHandler: [linksPerAddress] }, async (req, reply) => {
      const body = ZLink.safeParse(req.body);
      if (!body.success) return sendError(reply, 400, 'web.error.badRequest', {}, problemsOf(body.error));
      try {
        return await signedIn(reply, await redeemLink(db, body.data.token, now()));
      } catch (err) {
        return refused(reply, err);
      }
    });

    // demo mode only: the demo forum's people, one click each (the page says loudly it is a demo)
    app.get('/api/auth/demo', async (_req, reply) => {
      if (!options.demo) return reply.header('cache-control', 'no-store').send({ demo: false, personas: [] });
      const accounts = await db.account.findMany({ where: { platform: 'web', platformUserId: { startsWith: 'demo-' } }, orderBy: { createdAt: 'asc' }, select: { platformUserId: true, displayName: true } });
      return reply.header('cache-control', 'no-store').send({ demo: true, personas: accounts.map((a) => ({ persona: a.platformUserId, name: a.displayName })) });
    });
    app.post('/api/auth/demo', async (req, reply) => {
      if (!options.demo) return sendError(reply, 404, 'web.signIn.demoOnly');
      const body = ZPersona.safeParse(req.body);
      if (!body.success) return sendError(reply, 400, 'web.error.badRequest', {}, problemsOf(body.error));
      const account = await db.account.findUnique({ where: { platform_platformUserId: { platform: 'web', platformUserId: body.data.persona } }, select: { personId: true } });
      if (!account) return sendError(reply, 400, 'web.error.badRequest', {}, ['persona: no such demo person (run npx forumbot seed --demo)']);
      return signedIn(reply, account.personId);
    });
  };
}
