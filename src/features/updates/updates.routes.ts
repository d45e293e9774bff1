import { z } from 'zod';
import type { BotServices } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import type { Forum, UpdateSettings } from '../../generated/prisma/client.ts';
import type { WebRoutes } from '../../web/server.ts';
import { LIMITS } from './rules.ts';
import { announceUpdate, resolveThemes, secretMatches, storeUpdate } from './updates.service.ts';

const zDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2027-03-31').refine((s) => !Number.isNaN(Date.parse(s)), 'a real date').transform((s) => new Date(`${s}T00:00:00Z`));

/** What a partner's system posts to the webhook. */
export const ZWebhookUpdate = z.object({
  id: z.string().trim().min(1).max(200).optional(),
  title: z.string().trim().min(1).max(LIMITS.title),
  body: z.string().trim().max(LIMITS.body).optional(),
  link: z.url({ protocol: /^https?$/ }).max(LIMITS.link).optional(),
  themes: z.array(z.string().max(LIMITS.themeName)).min(1).max(10),
  partnership: z.string().trim().max(160).optional(),
  consultation: z
    .object({ runBy: z.string().trim().min(1).max(LIMITS.runBy), opens: zDay, closes: zDay, link: z.url({ protocol: /^https?$/ }).max(LIMITS.link).optional() })
    .optional(),
});

const presentedSecret = (headers: Record<string, string | string[] | undefined>): string | undefined => {
  const direct = headers['x-forumbot-secret'];
  if (typeof direct === 'string') return direct;
  const auth = headers.authorization;
  return typeof auth === 'string' && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '') : undefined;
};

/**
 * POST /hooks/updates/<forum-slug> with the forum's shared secret (header X-Forumbot-Secret or
 * Authorization: Bearer). A wrong or missing secret is 401 and nothing is read or stored; the same
 * item id twice is stored once.
 */
export function updatesRoutes(services: BotServices): WebRoutes[] {
  const { db, log, i18n } = services;
  const plugin: WebRoutes = async (app) => {
    app.post<{ Params: { slug: string } }>('/hooks/updates/:slug', {
      bodyLimit: 64 * 1024,
      // the secret is checked before the body is read: a caller without it gets 401 and nothing is parsed
      onRequest: async (req, reply) => {
        const slug = req.params.slug;
        const forum = /^[a-z0-9-]{2,60}$/.test(slug) ? await db.forum.findUnique({ where: { slug }, include: { updateSettings: true } }) : null;
        if (!secretMatches(presentedSecret(req.headers), forum?.updateSettings?.webhookSecretHash) || !forum) {
          log.warn('webhook refused: wrong secret', { path: req.url });
          return reply.code(401).send({ error: 'wrong or missing secret' });
        }
        (req as typeof req & { forum?: Forum & { updateSettings: UpdateSettings | null } }).forum = forum;
      },
    }, async (req, reply) => {
      const forum = (req as typeof req & { forum: Forum }).forum;
      const parsed = ZWebhookUpdate.safeParse(req.body);
      if (!parsed.success) return reply.code(400).send({ error: 'invalid update', problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      const p = parsed.data;
      const now = services.now();
      try {
        const themes = await resolveThemes(db, i18n, forum.id, p.themes);
        const stored = await storeUpdate(
          db,
          forum.id,
          {
            title: p.title,
            body: p.body,
            link: p.link,
            themes,
            partnership: p.partnership,
            source: 'WEBHOOK',
            sourceKey: p.id ? `hook:${p.id}` : undefined,
            consultation: p.consultation && { runBy: p.consultation.runBy, opensOn: p.consultation.opens, closesOn: p.consultation.closes, link: p.consultation.link },
          },
          now,
        );
        if (!stored) return reply.code(200).send({ duplicate: true });
        await announceUpdate(db, services.broadcasts, stored);
        return reply.code(201).send({ id: stored.id, shortConsultation: stored.consultation?.shortConsultation ?? null, lengthDays: stored.consultation?.lengthDays ?? null });
      } catch (err) {
        if (err instanceof AppError) return reply.code(400).send({ error: i18n.t('en', err.key, err.params), errorCy: i18n.t('cy', err.key, err.params) });
        throw err;
      }
    });
  };
  return [plugin];
}
