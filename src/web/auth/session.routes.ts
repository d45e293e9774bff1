import type { WebRoutes } from '../server.ts';
import type { WebSessions } from './sessions.ts';

/**
 * Who am I, sign out, sign out everywhere. The ways in (emailed link and code, chat link, demo
 * personas, Microsoft) each end in `sessions.createSession(personId, reply)`.
 */
export function sessionRoutes(sessions: WebSessions, extra: { demo?: boolean; microsoft?: boolean } = {}): WebRoutes {
  return async (app) => {
    app.get('/api/auth/me', async (req, reply) => {
      const who = await sessions.personOf(req);
      reply.header('cache-control', 'no-store');
      if (!who) return { signedIn: false, demo: !!extra.demo, microsoft: !!extra.microsoft };
      return { signedIn: true, demo: !!extra.demo, microsoft: !!extra.microsoft, name: who.displayName, webUserId: who.webUserId, expiresAt: who.expiresAt.toISOString() };
    });
    app.post('/api/auth/sign-out', async (req, reply) => {
      await sessions.signOut(req, reply);
      return reply.header('cache-control', 'no-store').send({ signedIn: false });
    });
    app.post('/api/auth/sign-out-everywhere', { preHandler: sessions.requirePerson }, async (req, reply) => {
      const ended = await sessions.signOutEverywhere(req.signedIn!.personId, reply);
      return reply.header('cache-control', 'no-store').send({ signedIn: false, ended });
    });
  };
}
