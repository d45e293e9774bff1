/**
 * One mapped OCDS release applied to a forum's alerts. What a release means for members:
 * - a tender whose deadline is still to come: an open alert, announced to matching subscribers;
 * - a planning notice, or a tender with no deadline yet: kept in the pipeline (never in the
 *   open list), announced only to those who asked for early notice; it opens (and is announced)
 *   when a later release gives it a deadline still to come;
 * - a tender whose deadline has passed: stored closed, not announced;
 * - an award first seen: recorded as already awarded, not announced;
 * - a later release of a known process: the alert takes its title and description, whatever
 *   its tag, and what else it restates (releases are partial); interested members hear of a
 *   real change only (a moved deadline or value, a cancellation, an award that differs from the
 *   stored one in status, value or suppliers); an award or cancellation closes the alert.
 */
import type { Tx } from '../../db/client.ts';
import type { Prisma, TenderAlert, TenderAward as AwardRow } from '../../generated/prisma/client.ts';
import { classifyChange, type MappedTender, type TenderAward, type TenderChange } from './rules/ocds.ts';
import { refOf } from './tenders.render.ts';
import { announceAlert, announcePipeline, createAlert, notifyChange, type AlertInput, type Services } from './tenders.service.ts';

export type AlertStatus = 'open' | 'pipeline' | 'cancelled' | 'awarded' | 'closed';
export type ReleaseOutcome = 'created' | 'pipeline' | 'awarded' | 'closed' | 'updated' | 'unchanged' | 'skipped' | 'failed';

export interface Applied {
  ocid: string;
  releaseId: string;
  outcome: ReleaseOutcome;
  /** why, in words, when the outcome needs one */
  reason?: string;
  ref?: string;
  changes?: TenderChange['kind'][];
  notified?: number;
}

const CANCELLED = ['cancelled', 'unsuccessful', 'withdrawn'];
const isLive = (a: TenderAward) => !CANCELLED.includes(a.status ?? '');

/** The alert status a release implies at `now`, with the deadline known for the process. */
export function statusOf(t: MappedTender, now: Date, deadline: string | null = t.deadline): AlertStatus {
  if (t.awards.some(isLive) || t.tags.some((x) => x === 'award' || x === 'contract')) return 'awarded';
  if (CANCELLED.includes(t.status ?? '') || t.tags.includes('tenderCancellation')) return 'cancelled';
  if (t.status === 'complete') return 'closed';
  if (t.planning || !deadline) return 'pipeline';
  return new Date(deadline).getTime() <= now.getTime() ? 'closed' : 'open';
}

function inputOf(t: MappedTender, status: AlertStatus, defaults: { themes?: string[]; areas?: string[] }): AlertInput {
  const currency = t.value?.currency ?? t.minValue?.currency ?? null;
  return {
    title: t.title,
    buyer: t.buyer?.name ?? null,
    description: t.description,
    currency,
    valueAmount: t.value?.amount ?? null,
    minValueAmount: t.minValue && t.minValue.currency === currency ? t.minValue.amount : null,
    lots: t.lots.map((l) => ({ id: l.id, title: l.title, value: l.value })),
    deadline: t.deadline ? new Date(t.deadline) : null,
    enquiryDeadline: t.enquiryDeadline ? new Date(t.enquiryDeadline) : null,
    route: t.route,
    themes: defaults.themes ?? [],
    areas: defaults.areas ?? [],
    cpv: [...t.cpv],
    consortiaWelcome: t.suitability.consortia ?? null,
    sme: t.suitability.sme ?? null,
    vcse: t.suitability.vcse ?? null,
    link: t.link ?? null,
    renewalDate: t.renewalDate ? new Date(t.renewalDate) : null,
    renewalNote: t.renewalNote ?? null,
    ocid: t.ocid,
    releaseId: t.releaseId,
    releaseDate: new Date(t.releaseDate),
    status,
  };
}

const storedAward = (a: AwardRow): TenderAward => ({
  id: a.awardId,
  status: a.status,
  date: a.date?.toISOString() ?? null,
  value: a.valueAmount == null ? null : { amount: a.valueAmount, currency: a.currency ?? 'GBP' },
  suppliers: a.suppliers,
});

/** The stored alert as the release it came from, for classifying what a new release changes. */
function asMapped(a: TenderAlert, awards: AwardRow[]): MappedTender {
  const cur = a.currency ?? 'GBP';
  return {
    ocid: a.ocid ?? '',
    releaseId: a.releaseId ?? '',
    title: a.title,
    description: a.description,
    buyer: a.buyer ? { id: null, name: a.buyer } : null,
    value: a.valueAmount == null ? null : { amount: a.valueAmount, currency: cur },
    ...(a.minValueAmount == null ? {} : { minValue: { amount: a.minValueAmount, currency: cur } }),
    deadline: a.deadline?.toISOString() ?? null,
    ...(a.enquiryDeadline ? { enquiryDeadline: a.enquiryDeadline.toISOString() } : {}),
    procurementMethod: null,
    route: 'other',
    cpv: a.cpv,
    lots: [],
    suitability: {},
    tags: [],
    releaseDate: (a.releaseDate ?? a.createdAt).toISOString(),
    status: a.status === 'cancelled' ? 'cancelled' : 'active',
    awards: awards.map(storedAward),
  };
}

/** Stores the release's awards (value, suppliers, date, status) on the alert. */
async function storeAwards(db: Tx, alertId: string, awards: readonly TenderAward[]): Promise<void> {
  for (const a of awards) {
    const data = {
      status: a.status,
      date: a.date ? new Date(a.date) : null,
      valueAmount: a.value?.amount ?? null,
      currency: a.value?.currency ?? null,
      suppliers: [...a.suppliers],
    };
    await db.tenderAward.upsert({ where: { alertId_awardId: { alertId, awardId: a.id } }, create: { alertId, awardId: a.id, ...data }, update: data });
  }
}

function closedReason(t: MappedTender, status: AlertStatus, deadline: Date | null): string {
  if (status === 'awarded') return 'already awarded when first seen: recorded, not announced';
  if (status === 'cancelled') return 'cancelled when first seen: recorded, not announced';
  if (t.status === 'complete') return 'complete when first seen: recorded, not announced';
  return `deadline ${deadline?.toISOString()} had passed: stored closed, not announced`;
}

/** Applies one mapped release to the forum's alerts. */
export async function applyRelease(s: Services, forumId: string, t: MappedTender, defaults: { themes?: string[]; areas?: string[] }): Promise<Applied> {
  const base = { ocid: t.ocid, releaseId: t.releaseId };
  const now = s.now();
  const existing = await s.db.tenderAlert.findUnique({ where: { forumId_ocid: { forumId, ocid: t.ocid } }, include: { awards: true } });
  if (!existing) {
    const status = statusOf(t, now);
    let applied: Applied | undefined;
    // the alert, its awards and its announcement commit together: an import cut off (an instance
    // dying mid-feed) leaves either all of them or none, and the next import makes what is missing
    const alert = await createAlert(s.db, forumId, inputOf(t, status, defaults), null, now, async (tx, made) => {
      await storeAwards(tx, made.id, t.awards);
      applied = await announceNew(s, tx, t, made, status);
    });
    s.broadcasts.kick();
    return applied ?? { ...base, outcome: 'unchanged', ref: refOf(alert) }; // another import made it first
  }
  if (existing.releaseId === t.releaseId) return { ...base, outcome: 'unchanged', ref: refOf(existing) };
  if (existing.releaseDate && new Date(t.releaseDate) < existing.releaseDate) {
    return { ...base, outcome: 'skipped', reason: 'older than the release already applied', ref: refOf(existing) };
  }

  const deadline = t.deadline ?? existing.deadline?.toISOString() ?? null;
  const implied = statusOf(t, now, deadline);
  // once awarded or cancelled, a later tender release does not reopen it
  const final = ['awarded', 'cancelled'].includes(existing.status) && !['awarded', 'cancelled'].includes(implied);
  const status: AlertStatus = final ? (existing.status as AlertStatus) : implied;
  const input = inputOf(t, status, defaults);
  const changes = classifyChange(asMapped(existing, existing.awards), t);
  // releases are partial: only what a release restates replaces what is stored
  const data: Prisma.TenderAlertUpdateManyMutationInput = {
    releaseId: t.releaseId,
    releaseDate: input.releaseDate,
    status,
    title: t.title,
    ...(input.description ? { description: input.description } : {}),
    ...(input.buyer ? { buyer: input.buyer } : {}),
    ...(input.valueAmount != null ? { valueAmount: input.valueAmount, currency: input.currency } : {}),
    ...(input.minValueAmount != null ? { minValueAmount: input.minValueAmount } : {}),
    ...(input.deadline ? { deadline: input.deadline } : {}),
    ...(input.enquiryDeadline ? { enquiryDeadline: input.enquiryDeadline } : {}),
    ...(input.lots?.length ? { lots: input.lots as unknown as Prisma.InputJsonValue } : {}),
    ...(input.cpv?.length ? { cpv: input.cpv } : {}),
    ...(input.link ? { link: input.link } : {}),
    ...(input.sme != null ? { sme: input.sme } : {}),
    ...(input.vcse != null ? { vcse: input.vcse } : {}),
    ...(input.consortiaWelcome != null ? { consortiaWelcome: input.consortiaWelcome } : {}),
    ...(input.renewalDate ? { renewalDate: input.renewalDate } : {}),
    ...(input.renewalNote ? { renewalNote: input.renewalNote } : {}),
    ...(t.route !== 'other' ? { route: t.route } : {}),
  };
  // the conditional update is the claim: two pollers applying the same release notify once; the
  // change and its notices commit together, so an import cut off loses neither
  const applied = await s.db.$transaction(async (tx): Promise<Applied> => {
    const claimed = await tx.tenderAlert.updateMany({ where: { id: existing.id, releaseId: existing.releaseId }, data });
    if (claimed.count !== 1) return { ...base, outcome: 'unchanged', ref: refOf(existing) };
    await storeAwards(tx, existing.id, t.awards);
    const updated = await tx.tenderAlert.findUniqueOrThrow({ where: { id: existing.id } });
    if (status === 'cancelled' && existing.status !== 'cancelled' && !changes.some((c) => c.kind === 'cancelled')) changes.push({ kind: 'cancelled' });
    const opened = status === 'open' && existing.status !== 'open';
    if (opened && updated.deadline) changes.push({ kind: 'opened', deadline: updated.deadline.toISOString() });
    const notified = await notifyChange(s, updated, changes, t.releaseId, tx);
    const ref = refOf(updated);
    const kinds = changes.map((c) => c.kind);
    if (opened) {
      const to = await announceAlert(s, updated, tx);
      return { ...base, outcome: 'created', reason: `opened from ${existing.status}`, ref, changes: kinds, notified: notified + to.channels.length + to.people.length };
    }
    if (status !== existing.status && ['open', 'pipeline'].includes(existing.status)) return { ...base, outcome: 'closed', reason: `now ${status}`, ref, changes: kinds, notified };
    return { ...base, outcome: 'updated', ref, changes: kinds, notified };
  });
  s.broadcasts.kick();
  return applied;
}

/** What a release first seen means: announced when open, or in the pipeline to those who asked; recorded in `tx`. */
async function announceNew(s: Services, tx: Tx, t: MappedTender, alert: TenderAlert, status: AlertStatus): Promise<Applied> {
  const base = { ocid: t.ocid, releaseId: t.releaseId, ref: refOf(alert) };
  if (status === 'open') {
    const to = await announceAlert(s, alert, tx);
    return { ...base, outcome: 'created', notified: to.channels.length + to.people.length };
  }
  if (status === 'pipeline') {
    const to = await announcePipeline(s, alert, tx);
    const reason = t.planning ? 'a planning notice: kept in the pipeline' : 'no deadline yet: kept in the pipeline';
    return { ...base, outcome: 'pipeline', reason, notified: to.channels.length + to.people.length };
  }
  return { ...base, outcome: status === 'awarded' ? 'awarded' : 'closed', reason: closedReason(t, status, alert.deadline) };
}
