import crypto from 'node:crypto';
import type { BroadcastService } from '../../core/broadcast.ts';
import { AppError } from '../../core/errors.ts';
import type { I18n, Locale, Translate } from '../../core/i18n.ts';
import type { Db, Tx } from '../../db/client.ts';
import type { ChannelMode, Consultation, Update, UpdateSource } from '../../generated/prisma/client.ts';
import { checkConsultationDates, consultationLength, isClosed, LIMITS, resolveTheme, STANDARD_THEMES, themeKeyOf } from './rules.ts';
import { renderUpdate } from './updates.render.ts';

export type UpdateWithConsultation = Update & { consultation: Consultation | null };

/** The themes a forum's updates can carry: the standard ones and its own, with their names in both languages. */
export async function forumThemes(db: Tx, i18n: I18n, forumId: string): Promise<{ key: string; names: string[] }[]> {
  const own = await db.updateTheme.findMany({ where: { forumId }, orderBy: { createdAt: 'asc' } });
  return [
    ...STANDARD_THEMES.map((key) => ({ key, names: [i18n.t('en', `updates.theme.${key}`), i18n.t('cy', `updates.theme.${key}`)] })),
    ...own.map((o) => ({ key: o.key, names: [o.name] })),
  ];
}

/** Theme names or keys typed by a person → keys; an unknown one is a clear error listing the choices. */
export async function resolveThemes(db: Tx, i18n: I18n, forumId: string, input: string[]): Promise<string[]> {
  const labels = await forumThemes(db, i18n, forumId);
  const keys: string[] = [];
  for (const raw of input) {
    const key = resolveTheme(raw, labels);
    if (!key) throw new AppError('updates.theme.unknown', { theme: raw, options: labels.map((l) => l.key).join(', ') });
    if (!keys.includes(key)) keys.push(key);
  }
  if (keys.length === 0) throw new AppError('updates.theme.none', { options: labels.map((l) => l.key).join(', ') });
  return keys;
}

export async function addTheme(db: Tx, forumId: string, name: string) {
  const key = themeKeyOf(name);
  if (!key || (STANDARD_THEMES as readonly string[]).includes(key) || (await db.updateTheme.findUnique({ where: { forumId_key: { forumId, key } } }))) {
    throw new AppError('updates.theme.exists', { name });
  }
  return db.updateTheme.create({ data: { forumId, key, name } });
}

export interface ConsultationInput {
  runBy: string;
  opensOn: Date;
  closesOn: Date;
  link?: string;
}

export interface UpdateInput {
  title: string;
  body?: string;
  link?: string;
  themes: string[];
  partnership?: string;
  source?: UpdateSource;
  sourceKey?: string;
  feedId?: string;
  authorId?: string;
  quiet?: boolean;
  consultation?: ConsultationInput;
}

/** Checks lengths and dates before anything is written; throws the first problem as an AppError. */
export function validateUpdate(input: UpdateInput, now: Date): void {
  const over = (field: string, value: string | undefined, max: number) => {
    if (value && value.length > max) throw new AppError('updates.tooLong', { field, max, length: value.length });
  };
  if (!input.title.trim()) throw new AppError('updates.titleMissing');
  over('title', input.title, LIMITS.title);
  over('body', input.body, LIMITS.body);
  over('link', input.link, LIMITS.link);
  if (input.consultation) {
    const c = input.consultation;
    if (!c.runBy.trim()) throw new AppError('updates.consultation.runByMissing');
    over('by', c.runBy, LIMITS.runBy);
    over('link', c.link, LIMITS.link);
    const problem = checkConsultationDates(c.opensOn, c.closesOn, now);
    if (problem) throw new AppError(problem);
  }
}

/**
 * Stores an update (and its consultation) in one transaction; answers null when an update with
 * the same source key is already stored, so a feed item or webhook retry is never posted twice.
 */
export async function storeUpdate(db: Db, forumId: string, input: UpdateInput, now: Date): Promise<UpdateWithConsultation | null> {
  validateUpdate(input, now);
  if (input.sourceKey) {
    const existing = await db.update.findUnique({ where: { forumId_sourceKey: { forumId, sourceKey: input.sourceKey } } });
    if (existing) return null;
  }
  try {
    return await db.$transaction(async (tx) => {
      const update = await tx.update.create({
        data: {
          forumId,
          title: input.title.trim(),
          body: input.body?.trim() || null,
          link: input.link ?? null,
          themes: input.themes,
          partnership: input.partnership ?? null,
          source: input.source ?? 'OFFICER',
          sourceKey: input.sourceKey ?? null,
          feedId: input.feedId ?? null,
          authorId: input.authorId ?? null,
          quiet: input.quiet ?? false,
          postedAt: now,
        },
      });
      let consultation: Consultation | null = null;
      if (input.consultation) {
        const c = input.consultation;
        consultation = await tx.consultation.create({
          data: { updateId: update.id, forumId, runBy: c.runBy.trim(), opensOn: c.opensOn, closesOn: c.closesOn, link: c.link ?? null, ...consultationLength(c.opensOn, c.closesOn) },
        });
      }
      return { ...update, consultation };
    });
  } catch (err) {
    // the same item raced in from another poll or delivery: that one stands
    if ((err as { code?: string }).code === 'P2002' && input.sourceKey) return null;
    throw err;
  }
}

/** Announces an update as it happens: to the forum's "as it happens" channels and to members subscribed to its themes. */
export async function announceUpdate(db: Db, broadcasts: BroadcastService, update: UpdateWithConsultation): Promise<void> {
  if (update.quiet) return;
  const forum = await db.forum.findUniqueOrThrow({ where: { id: update.forumId } });
  const ownThemes = await db.updateTheme.findMany({ where: { forumId: forum.id } });
  const render = (t: Translate, locale: Locale) => renderUpdate(update, t, locale, ownThemes);
  await broadcasts.broadcast(forum.id, 'update', render, { includeDirect: false, channelMode: 'IMMEDIATE', dedupeKey: `update:${update.id}:channels` });
  const people = await subscribersFor(db, forum.id, update.themes, 'IMMEDIATE');
  if (people.length) await broadcasts.broadcast(forum.id, 'update', render, { onlyPeople: people, dedupeKey: `update:${update.id}:people` });
}

/** Members subscribed to any of these themes (or to all), hearing in the given way. */
export async function subscribersFor(db: Tx, forumId: string, themes: string[], mode?: ChannelMode): Promise<string[]> {
  const subs = await db.updateSubscription.findMany({ where: { forumId, ...(mode ? { mode } : {}) }, select: { personId: true, allThemes: true, themes: true } });
  return subs.filter((s) => s.allThemes || s.themes.some((t) => themes.includes(t))).map((s) => s.personId);
}

export async function subscribe(db: Tx, forumId: string, personId: string, choice: { all: boolean; themes: string[]; mode?: ChannelMode }) {
  return db.updateSubscription.upsert({
    where: { forumId_personId: { forumId, personId } },
    create: { forumId, personId, allThemes: choice.all, themes: choice.themes, mode: choice.mode ?? 'IMMEDIATE' },
    update: { allThemes: choice.all, themes: choice.themes, ...(choice.mode ? { mode: choice.mode } : {}) },
  });
}

export async function unsubscribe(db: Tx, forumId: string, personId: string): Promise<boolean> {
  const r = await db.updateSubscription.deleteMany({ where: { forumId, personId } });
  return r.count > 0;
}

export async function settingsOf(db: Tx, forumId: string) {
  return db.updateSettings.upsert({ where: { forumId }, create: { forumId }, update: {} });
}

/** Finds an update by the short reference shown in posts (the first characters of its id). */
export async function findUpdate(db: Tx, forumId: string, ref: string): Promise<UpdateWithConsultation> {
  const q = ref.trim().toLowerCase().replace(/^#/, '');
  if (!/^[0-9a-f-]{6,36}$/.test(q)) throw new AppError('updates.notFound', { ref });
  const rows = await db.update.findMany({ where: { forumId, id: { startsWith: q } }, include: { consultation: true }, take: 2 });
  if (rows.length !== 1) throw new AppError('updates.notFound', { ref });
  return rows[0];
}

export async function findConsultation(db: Tx, forumId: string, ref: string) {
  const update = await findUpdate(db, forumId, ref);
  if (!update.consultation) throw new AppError('updates.consultation.notOne', { ref });
  return { update, consultation: update.consultation };
}

export const shortRef = (id: string): string => id.slice(0, 8);

/** A member's view on a consultation; one each, replaced when they send another. Refused after it closes. */
export async function addView(db: Tx, forumId: string, ref: string, personId: string, input: { text: string; organisation?: string }, now: Date) {
  const { update, consultation } = await findConsultation(db, forumId, ref);
  if (isClosed(consultation.closesOn, now)) throw new AppError('updates.view.closed', { title: update.title });
  const text = input.text.trim();
  if (!text) throw new AppError('updates.view.empty');
  if (text.length > LIMITS.view) throw new AppError('updates.tooLong', { field: 'view', max: LIMITS.view, length: text.length });
  const organisation = input.organisation?.trim() || null;
  const existing = await db.consultationView.findUnique({ where: { consultationId_personId: { consultationId: consultation.id, personId } } });
  const view = await db.consultationView.upsert({
    where: { consultationId_personId: { consultationId: consultation.id, personId } },
    create: { consultationId: consultation.id, personId, organisation, text, createdAt: now, updatedAt: now },
    update: { organisation, text, updatedAt: now },
  });
  return { update, consultation, view, replaced: !!existing };
}

/** Records the council's published outcome; answers who gave views, to be told. */
export async function recordOutcome(db: Db, forumId: string, ref: string, personId: string, input: { text: string; link?: string }, now: Date) {
  const { update, consultation } = await findConsultation(db, forumId, ref);
  if (input.text.length > LIMITS.outcome) throw new AppError('updates.tooLong', { field: 'text', max: LIMITS.outcome, length: input.text.length });
  if (consultation.opensOn.getTime() > now.getTime()) throw new AppError('updates.outcome.notOpened');
  const saved = await db.consultation.update({ where: { id: consultation.id }, data: { outcome: input.text.trim(), outcomeLink: input.link ?? null, outcomeAt: now, outcomeById: personId } });
  const views = await db.consultationView.findMany({ where: { consultationId: consultation.id }, select: { personId: true } });
  return { update, consultation: saved, respondents: views.map((v) => v.personId) };
}

/** Publishes the forum's joint response (a summary and a link to it in full) on the public record; replaces an earlier one. */
export async function publishResponse(db: Db, forumId: string, ref: string, input: { summary: string; link?: string }, now: Date) {
  const { update, consultation } = await findConsultation(db, forumId, ref);
  const summary = input.summary.trim();
  if (!summary) throw new AppError('updates.response.empty');
  if (summary.length > LIMITS.outcome) throw new AppError('updates.tooLong', { field: 'summary', max: LIMITS.outcome, length: summary.length });
  if (consultation.opensOn.getTime() > now.getTime()) throw new AppError('updates.response.notOpened');
  const saved = await db.consultation.update({ where: { id: consultation.id }, data: { responseSummary: summary, responseLink: input.link ?? null, respondedAt: now } });
  return { update, consultation: saved };
}

/**
 * Short consultations (under the Compact's 12 weeks) with no breach notice drafted yet, newest
 * first: what the breach-notice feature offers officers to draft from. It sets `breachNoticeId`
 * on the consultation when it drafts one.
 */
export async function shortConsultationsAwaitingNotice(db: Tx, forumId: string) {
  return db.consultation.findMany({
    where: { forumId, shortConsultation: true, breachNoticeId: null },
    include: { update: true },
    orderBy: { update: { postedAt: 'desc' } },
  });
}

/** Creates (or replaces) the forum's webhook secret; only its hash is kept, the secret is shown once. */
export async function newWebhookSecret(db: Tx, forumId: string): Promise<string> {
  const secret = crypto.randomBytes(24).toString('base64url');
  await db.updateSettings.upsert({ where: { forumId }, create: { forumId, webhookSecretHash: hashSecret(secret) }, update: { webhookSecretHash: hashSecret(secret) } });
  return secret;
}

export const hashSecret = (secret: string): string => crypto.createHash('sha256').update(secret, 'utf8').digest('hex');

const DUMMY_HASH = hashSecret('no webhook is configured');

/** Compares a presented secret with the stored hash in constant time (both sides are 32-byte hashes). */
export function secretMatches(presented: string | undefined, storedHash: string | null | undefined): boolean {
  const given = Buffer.from(hashSecret(presented ?? ''), 'hex');
  const stored = Buffer.from(storedHash && /^[0-9a-f]{64}$/.test(storedHash) ? storedHash : DUMMY_HASH, 'hex');
  const same = crypto.timingSafeEqual(given, stored);
  return same && !!storedHash && presented !== undefined;
}

/** Person records merged (a linked account): subscriptions join up, views move unless the other record has one. */
export async function mergeUpdatesPerson(tx: Tx, fromPersonId: string, toPersonId: string): Promise<void> {
  const subs = await tx.updateSubscription.findMany({ where: { personId: fromPersonId } });
  for (const s of subs) {
    const other = await tx.updateSubscription.findUnique({ where: { forumId_personId: { forumId: s.forumId, personId: toPersonId } } });
    if (other) {
      await tx.updateSubscription.update({
        where: { id: other.id },
        data: { allThemes: other.allThemes || s.allThemes, themes: [...new Set([...other.themes, ...s.themes])] },
      });
      await tx.updateSubscription.delete({ where: { id: s.id } });
    } else {
      await tx.updateSubscription.update({ where: { id: s.id }, data: { personId: toPersonId } });
    }
  }
  const views = await tx.consultationView.findMany({ where: { personId: fromPersonId } });
  for (const v of views) {
    const other = await tx.consultationView.findUnique({ where: { consultationId_personId: { consultationId: v.consultationId, personId: toPersonId } } });
    if (other && other.updatedAt >= v.updatedAt) await tx.consultationView.delete({ where: { id: v.id } });
    else {
      if (other) await tx.consultationView.delete({ where: { id: other.id } });
      await tx.consultationView.update({ where: { id: v.id }, data: { personId: toPersonId } });
    }
  }
  await tx.update.updateMany({ where: { authorId: fromPersonId }, data: { authorId: toPersonId } });
  await tx.consultation.updateMany({ where: { outcomeById: fromPersonId }, data: { outcomeById: toPersonId } });
}
