import type { Db, Tx } from '../../db/client.ts';
import type { BotServices } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import type { Locale, Translate } from '../../core/i18n.ts';
import type { Prisma, TenderAlert, TenderSubscription } from '../../generated/prisma/client.ts';
import { matchesSubscription, type MatchableAlert, type ValueBand } from './rules/matching.ts';
import type { Money, TenderChange } from './rules/ocds.ts';
import { alertMessage, amendmentMessage, refOf, type LotValue } from './tenders.render.ts';

export type Services = Pick<BotServices, 'db' | 'broadcasts' | 'now' | 'log'>;

/** What an officer posts (or an OCDS release maps to). */
export interface AlertInput {
  title: string;
  buyer?: string | null;
  description?: string | null;
  currency?: string | null;
  valueAmount?: number | null;
  minValueAmount?: number | null;
  lots?: LotValue[];
  deadline?: Date | null;
  enquiryDeadline?: Date | null;
  route?: string;
  themes?: string[];
  areas?: string[];
  cpv?: string[];
  consortiaWelcome?: boolean | null;
  sme?: boolean | null;
  vcse?: boolean | null;
  link?: string | null;
  renewalDate?: Date | null;
  renewalNote?: string | null;
  ocid?: string | null;
  releaseId?: string | null;
  releaseDate?: Date | null;
  status?: string;
}

const money = (amount: number | null | undefined, currency: string | null | undefined): Money | null =>
  amount == null ? null : { amount, currency: currency ?? 'GBP' };

/** An alert row as the matching rules read it. */
export function matchable(a: TenderAlert): MatchableAlert {
  return {
    title: a.title,
    description: a.description,
    buyer: a.buyer,
    themes: a.themes,
    areas: a.areas,
    value: money(a.valueAmount, a.currency),
    minValue: money(a.minValueAmount, a.currency),
    lots: (a.lots as unknown as LotValue[]) ?? [],
  };
}

export const subscriptionFilter = (s: TenderSubscription) => ({
  themes: s.themes,
  areas: s.areas,
  valueBands: s.valueBands as ValueBand[],
  keywords: s.keywords,
  includeUnvalued: s.includeUnvalued,
});

/** A forum's channel subscriptions and those of its active members. */
export const activeSubscriptions = (forumId: string) => ({
  forumId,
  OR: [{ channelRef: { not: null } }, { person: { memberships: { some: { forumId, status: 'ACTIVE' as const } } } }],
});

/** Finds an alert by "T12", "12" or its id, within a forum when one is given. */
export async function findAlert(db: Tx, ref: string, forumId?: string | null): Promise<TenderAlert> {
  const r = ref.trim();
  const n = /^t?(\d{1,9})$/i.exec(r);
  let alert: TenderAlert | null = null;
  if (n && forumId) alert = await db.tenderAlert.findUnique({ where: { forumId_number: { forumId, number: Number(n[1]) } } });
  else if (/^[0-9a-f-]{36}$/i.test(r)) alert = await db.tenderAlert.findUnique({ where: { id: r.toLowerCase() } });
  if (!alert || (forumId && alert.forumId !== forumId)) throw new AppError('tenders.alert.notFound', { ref: r });
  return alert;
}

function alertData(input: AlertInput) {
  return {
    title: input.title,
    buyer: input.buyer ?? null,
    description: input.description ?? null,
    currency: input.currency ?? (input.valueAmount != null || input.minValueAmount != null ? 'GBP' : null),
    valueAmount: input.valueAmount ?? null,
    minValueAmount: input.minValueAmount ?? null,
    lots: (input.lots ?? []) as unknown as Prisma.InputJsonValue,
    deadline: input.deadline ?? null,
    enquiryDeadline: input.enquiryDeadline ?? null,
    route: input.route ?? 'open',
    themes: input.themes ?? [],
    areas: input.areas ?? [],
    cpv: input.cpv ?? [],
    consortiaWelcome: input.consortiaWelcome ?? null,
    sme: input.sme ?? null,
    vcse: input.vcse ?? null,
    link: input.link ?? null,
    renewalDate: input.renewalDate ?? null,
    renewalNote: input.renewalNote ?? null,
    ocid: input.ocid ?? null,
    releaseId: input.releaseId ?? null,
    releaseDate: input.releaseDate ?? null,
    status: input.status ?? 'open',
  };
}

/**
 * Creates an alert with the forum's next number. Numbers are unique per forum; two officers
 * posting at once both retry on the clash.
 */
export async function createAlert(
  db: Db,
  forumId: string,
  input: AlertInput,
  postedById: string | null,
  now: Date,
  /** more to commit with the new alert (its awards, its announcement); not run when another import made it first */
  within?: (tx: Tx, alert: TenderAlert) => Promise<void>,
): Promise<TenderAlert> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const last = await tx.tenderAlert.aggregate({ where: { forumId }, _max: { number: true } });
        const alert = await tx.tenderAlert.create({ data: { forumId, number: (last._max.number ?? 0) + 1, postedById, createdAt: now, ...alertData(input) } });
        if (within) await within(tx, alert);
        return alert;
      });
    } catch (err) {
      if ((err as { code?: string }).code !== 'P2002' || attempt >= 5) throw err;
      if (input.ocid) {
        const existing = await db.tenderAlert.findUnique({ where: { forumId_ocid: { forumId, ocid: input.ocid } } });
        if (existing) return existing;
      }
    }
  }
}

export interface Recipients {
  /** channels that get it now */
  channels: string[];
  /** channels in digest mode that matched */
  digestChannels: string[];
  /** members who get it by direct message now */
  people: string[];
  /** members who asked for a digest */
  digestPeople: string[];
}

/**
 * Who an alert goes to. A linked channel with no tender filter takes every alert (a muted one
 * none); a channel's filter narrows it. Members get direct messages only if they subscribed,
 * and only while their membership is active.
 */
export async function recipients(db: Tx, alert: TenderAlert, opts: { earlyNotice?: boolean } = {}): Promise<Recipients> {
  const [channels, subs] = await Promise.all([
    db.channel.findMany({ where: { forumId: alert.forumId } }),
    db.tenderSubscription.findMany({ where: activeSubscriptions(alert.forumId) }),
  ]);
  const m = matchable(alert);
  const byChannel = new Map(subs.filter((s) => s.channelRef).map((s) => [s.channelRef as string, s]));
  const out: Recipients = { channels: [], digestChannels: [], people: [], digestPeople: [] };
  for (const c of channels) {
    const sub = byChannel.get(c.ref);
    if (sub?.muted || (opts.earlyNotice && !sub?.earlyNotice)) continue;
    if (sub && !matchesSubscription(m, subscriptionFilter(sub))) continue;
    (c.mode === 'DIGEST' ? out.digestChannels : out.channels).push(c.ref);
  }
  for (const s of subs) {
    if (!s.personId || s.muted || (opts.earlyNotice && !s.earlyNotice)) continue;
    if (!matchesSubscription(m, subscriptionFilter(s))) continue;
    (s.mode === 'digest' ? out.digestPeople : out.people).push(s.personId);
  }
  return out;
}

/**
 * Sends a new alert to the channels and members whose filters match; once per alert. With `tx`,
 * recorded in the transaction that stores the alert.
 */
export async function announceAlert(s: Services, alert: TenderAlert, tx?: Tx): Promise<Recipients> {
  const to = await recipients(tx ?? s.db, alert);
  if (to.channels.length || to.people.length) {
    await s.broadcasts.broadcast(alert.forumId, 'tender-alert', (t, locale) => alertMessage(alert, t, locale), {
      dedupeKey: `tenders:alert:${alert.id}`,
      onlyChannels: to.channels,
      onlyPeople: to.people,
      tx,
    });
  }
  return to;
}

/**
 * Sends a pipeline notice (a planning notice, or a tender with no deadline yet) to the channels
 * and members who asked for early notice and whose filters match; once per alert.
 */
export async function announcePipeline(s: Services, alert: TenderAlert, tx?: Tx): Promise<Recipients> {
  const to = await recipients(tx ?? s.db, alert, { earlyNotice: true });
  if (to.channels.length || to.people.length) {
    await s.broadcasts.broadcast(alert.forumId, 'tender-pipeline', (t, locale) => alertMessage(alert, t, locale, { headerKey: 'tenders.pipeline.header' }), {
      dedupeKey: `tenders:pipeline:${alert.id}`,
      onlyChannels: to.channels,
      onlyPeople: to.people,
      tx,
    });
  }
  return to;
}

/** Posts an alert and sends it. */
export async function postAlert(s: Services, forumId: string, input: AlertInput, postedById: string | null) {
  if (input.deadline && input.deadline.getTime() <= s.now().getTime()) throw new AppError('tenders.post.deadlinePast');
  if (input.enquiryDeadline && input.deadline && input.enquiryDeadline > input.deadline) throw new AppError('tenders.post.enquiryAfter');
  let to: Recipients | undefined;
  // the alert and its announcement commit together
  const alert = await createAlert(s.db, forumId, input, postedById, s.now(), async (tx, made) => {
    to = await announceAlert(s, made, tx);
  });
  s.broadcasts.kick();
  return { alert, recipients: to! };
}

/** Interested members of an alert. */
export async function interestedPeople(db: Tx, alertId: string): Promise<string[]> {
  const rows = await db.tenderInterest.findMany({ where: { alertId }, select: { personId: true } });
  return rows.map((r) => r.personId);
}

/** Tells interested members what changed; `key` makes it once per change. With `tx`, recorded in the transaction that makes the change. */
export async function notifyChange(s: Services, alert: TenderAlert, changes: TenderChange[], key: string, tx?: Tx): Promise<number> {
  if (changes.length === 0) return 0;
  const people = await interestedPeople(tx ?? s.db, alert.id);
  if (people.length === 0) return 0;
  await s.broadcasts.broadcast(alert.forumId, 'tender-amendment', (t, locale) => amendmentMessage(alert, changes, t, locale), {
    dedupeKey: `tenders:change:${alert.id}:${key}`,
    onlyPeople: people,
    tx,
  });
  return people.length;
}

export interface Amendment {
  deadline?: Date;
  enquiryDeadline?: Date;
  valueAmount?: number;
  minValueAmount?: number;
  cancel?: boolean;
}

/** What an amendment changes on an alert, as the OCDS rules name changes. */
export function changesOf(a: TenderAlert, next: Amendment): TenderChange[] {
  const out: TenderChange[] = [];
  if (next.deadline && a.deadline && next.deadline.getTime() !== a.deadline.getTime()) {
    out.push({ kind: 'deadline-moved', field: 'deadline', from: a.deadline.toISOString(), to: next.deadline.toISOString() });
  }
  if (next.enquiryDeadline && a.enquiryDeadline && next.enquiryDeadline.getTime() !== a.enquiryDeadline.getTime()) {
    out.push({ kind: 'deadline-moved', field: 'enquiryDeadline', from: a.enquiryDeadline.toISOString(), to: next.enquiryDeadline.toISOString() });
  }
  const cur = a.currency ?? 'GBP';
  if (next.valueAmount != null && a.valueAmount != null && next.valueAmount !== a.valueAmount) {
    out.push({ kind: 'value-changed', field: 'value', from: { amount: a.valueAmount, currency: cur }, to: { amount: next.valueAmount, currency: cur } });
  }
  if (next.minValueAmount != null && a.minValueAmount != null && next.minValueAmount !== a.minValueAmount) {
    out.push({ kind: 'value-changed', field: 'minValue', from: { amount: a.minValueAmount, currency: cur }, to: { amount: next.minValueAmount, currency: cur } });
  }
  if (next.cancel && a.status !== 'cancelled') out.push({ kind: 'cancelled' });
  return out;
}

/** An officer amends an alert; interested members hear what changed. */
export async function amendAlert(s: Services, alert: TenderAlert, next: Amendment) {
  if (alert.status !== 'open') throw new AppError('tenders.alert.notOpen', { ref: refOf(alert) });
  if (next.deadline && next.deadline.getTime() <= s.now().getTime()) throw new AppError('tenders.post.deadlinePast');
  const changes = changesOf(alert, next);
  // the change and the notice of it commit together
  const done = await s.db.$transaction(async (tx) => {
    const updated = await tx.tenderAlert.update({
      where: { id: alert.id },
      data: {
        deadline: next.deadline ?? undefined,
        enquiryDeadline: next.enquiryDeadline ?? undefined,
        valueAmount: next.valueAmount ?? undefined,
        minValueAmount: next.minValueAmount ?? undefined,
        ...(next.valueAmount != null && !alert.currency ? { currency: 'GBP' } : {}),
        status: next.cancel ? 'cancelled' : undefined,
      },
    });
    const told = await notifyChange(s, updated, changes, `${updated.updatedAt.getTime()}`, tx);
    return { alert: updated, changes, told };
  });
  s.broadcasts.kick();
  return done;
}

/** Moves a merged person's tender rows onto the person they became. */
export async function mergeTenderPerson(tx: Tx, from: string, to: string): Promise<void> {
  const theirs = await tx.tenderInterest.findMany({ where: { personId: from } });
  for (const i of theirs) {
    const mine = await tx.tenderInterest.findUnique({ where: { alertId_personId: { alertId: i.alertId, personId: to } } });
    if (!mine) {
      await tx.tenderInterest.update({ where: { id: i.id }, data: { personId: to } });
      continue;
    }
    await tx.tenderInterest.update({
      where: { id: mine.id },
      data: {
        consortium: mine.consortium || i.consortium,
        consent: mine.consent ?? i.consent,
        consentAskedAt: mine.consentAskedAt ?? i.consentAskedAt,
        introducedAt: mine.introducedAt ?? i.introducedAt,
        organisationId: mine.organisationId ?? i.organisationId,
      },
    });
    await tx.tenderInterest.delete({ where: { id: i.id } });
  }
  const subs = await tx.tenderSubscription.findMany({ where: { personId: from } });
  for (const sub of subs) {
    const mine = await tx.tenderSubscription.findUnique({ where: { forumId_personId: { forumId: sub.forumId, personId: to } } });
    if (mine) await tx.tenderSubscription.delete({ where: { id: sub.id } });
    else await tx.tenderSubscription.update({ where: { id: sub.id }, data: { personId: to } });
  }
  await tx.tenderAlert.updateMany({ where: { postedById: from }, data: { postedById: to } });
}

export type { Locale, Translate };
