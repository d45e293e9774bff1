import crypto from 'node:crypto';
import type { Db, Tx } from '../../db/client.ts';
import type { BroadcastService, Render } from '../../core/broadcast.ts';
import { AppError } from '../../core/errors.ts';
import type { BreachMode, BreachNotice, Prisma } from '../../generated/prisma/client.ts';
import { applyStep, deadlineFor, isOpen, type CaseState, type DeadlineRules } from './rules/case-flow.ts';
import { londonDay } from '../../core/london-time.ts';
import type { AnonymousThrottle } from './throttle.ts';

// ---------- receipt codes ----------

/** Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RECEIPT_CHARS = 20; // 20 × 5 bits = 100 bits

/** A new receipt code: 100 random bits, shown once as XXXXX-XXXXX-XXXXX-XXXXX. */
export function newReceipt(): string {
  const bytes = crypto.randomBytes(RECEIPT_CHARS);
  const chars = [...bytes].map((b) => ALPHABET[b % 32]); // 256 is a multiple of 32: no bias
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/** The code as typed, tidied: case, spaces and dashes ignored; I and L read as 1, O as 0. */
export function normaliseReceipt(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

export const looksLikeReceipt = (text: string) => /^[0-9A-Z]{20}$/.test(normaliseReceipt(text));
export const hashReceipt = (code: string) => crypto.createHash('sha256').update(normaliseReceipt(code)).digest('hex');

// ---------- filing ----------

export interface NoticeInput {
  compactId: string;
  partyId: string;
  codeId: string;
  commitmentId?: string;
  aspect: 'principle' | 'spirit';
  whatHappened: string;
  happenedOn?: string;
  expected?: string;
  actual?: string;
  evidence?: string;
  outcomeWanted: string;
  /** the consultation this notice was drafted from (see draftNoticeFromConsultation) */
  consultationId?: string;
}

export type Filer =
  | { mode: 'NAMED'; personId: string; organisationId: string }
  | { mode: 'ON_BEHALF'; officerId: string; organisationId: string }
  | { mode: 'ANONYMOUS' };

/** Evidence is links: one per line or separated by commas or spaces; each must be http(s). */
export function parseEvidence(text: string | undefined): string[] {
  const links = (text ?? '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  for (const link of links) {
    let ok = false;
    try {
      const u = new URL(link);
      ok = u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      ok = false;
    }
    if (!ok) throw new AppError('breaches.file.badLink', { link: link.slice(0, 80) });
  }
  if (links.length > 20) throw new AppError('breaches.file.tooManyLinks');
  return links;
}

export const rulesOf = (compact: { acknowledgeDays: number | null; liaisonDays: number | null }): Partial<DeadlineRules> => ({
  acknowledgeWithin: compact.acknowledgeDays,
  liaisonWithin: compact.liaisonDays,
});

/** The start of a London calendar date as an instant that is still that date in London. */
const dayInstant = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);

/**
 * Files a notice, named or on behalf of an organisation: numbered and stored at once (officers are
 * told by the caller). Anonymous notices go through holdAnonymousNotice instead.
 */
export async function fileNotice(db: Db, forumId: string, input: NoticeInput, filer: Exclude<Filer, { mode: 'ANONYMOUS' }>, now: Date): Promise<{ notice: BreachNotice }> {
  const { data, consultationId } = await noticeData(db, forumId, input, filer, now);
  const notice = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM "Forum" WHERE id = ${forumId} FOR UPDATE`;
    const last = await tx.breachNotice.aggregate({ where: { forumId }, _max: { number: true } });
    const created = await tx.breachNotice.create({ data: { ...data, number: (last._max.number ?? 0) + 1 } });
    if (consultationId) await linkConsultation(tx, forumId, consultationId, created.id);
    return created;
  });
  return { notice };
}

/**
 * Files an anonymous notice: checked now, then HELD (in `AnonymousHeld`, which keeps no person,
 * account or time) until the mixing job publishes it with the other notices held that minute, in
 * random order, numbered then (publishHeldAnonymous). So the notice's row is written in the job's
 * transaction, not the filer's: its xmin, its number and its place in the table file name a batch,
 * never the filer's request. Answers the receipt code (shown once; only its hash is kept).
 */
export async function holdAnonymousNotice(db: Db, forumId: string, input: NoticeInput, now: Date): Promise<string> {
  const { data, consultationId } = await noticeData(db, forumId, input, { mode: 'ANONYMOUS' }, now);
  const receipt = newReceipt();
  const receiptHash = hashReceipt(receipt);
  const held: HeldNotice = { ...data, receiptHash, stateSince: data.stateSince.toISOString(), consultationId: consultationId ?? null };
  await db.anonymousHeld.create({ data: { id: crypto.randomUUID(), kind: 'notice', forumId, receiptHash, data: held as never } });
  return receipt;
}

type NoticeData = Omit<Prisma.BreachNoticeUncheckedCreateInput, 'number' | 'stateSince'> & { stateSince: Date };
type HeldNotice = Omit<NoticeData, 'stateSince'> & { stateSince: string; consultationId: string | null };

/** Checks a notice and answers the row to store (all but its number). An anonymous notice has no person, organisation or time of day. */
async function noticeData(db: Db, forumId: string, input: NoticeInput, filer: Filer, now: Date): Promise<{ data: NoticeData; consultationId?: string }> {
  const evidence = parseEvidence(input.evidence);
  if (input.happenedOn && input.happenedOn > londonDay(now)) throw new AppError('breaches.file.future');
  const compact = await db.compact.findFirst({
    where: { id: input.compactId, forumId },
    include: { parties: true, codes: { include: { commitments: true } } },
  });
  if (!compact) throw new AppError('breaches.compact.gone');
  if (!compact.parties.some((p) => p.id === input.partyId)) throw new AppError('breaches.file.badParty');
  const code = compact.codes.find((c) => c.id === input.codeId);
  if (!code) throw new AppError('breaches.file.badCode');
  if (input.commitmentId && !code.commitments.some((m) => m.id === input.commitmentId)) {
    throw new AppError('breaches.file.commitmentElsewhere', { code: code.name });
  }
  const filedOn = londonDay(now);
  const anonymous = filer.mode === 'ANONYMOUS';
  const since = anonymous ? dayInstant(filedOn) : now;
  const deadline = deadlineFor('filed', since, rulesOf(compact));
  const data: NoticeData = {
    forumId,
    compactId: compact.id,
    partyId: input.partyId,
    codeId: code.id,
    commitmentId: input.commitmentId ?? null,
    aspect: input.aspect,
    whatHappened: input.whatHappened,
    happenedOn: input.happenedOn ?? null,
    expected: input.expected ?? null,
    actual: input.actual ?? null,
    evidence,
    outcomeWanted: input.outcomeWanted,
    mode: filer.mode as BreachMode,
    organisationId: filer.mode === 'ANONYMOUS' ? null : filer.organisationId,
    filerPersonId: filer.mode === 'NAMED' ? filer.personId : null,
    filedById: filer.mode === 'ON_BEHALF' ? filer.officerId : null,
    receiptHash: null,
    filedOn,
    state: 'filed',
    stateSince: since,
    dueKind: deadline?.kind ?? null,
    dueOn: deadline?.due ?? null,
    officersTold: !anonymous,
  };
  return { data, consultationId: input.consultationId };
}

async function linkConsultation(tx: Tx, forumId: string, consultationId: string, noticeId: string) {
  await tx.consultation.updateMany({ where: { id: consultationId, forumId, breachNoticeId: null }, data: { breachNoticeId: noticeId } });
}

/** Fisher-Yates with crypto randomness: the batch's order tells nothing of the order things were held in. */
function shuffled<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * The mixing job's move (`breaches.mix`, every minute; see ANONYMITY.md): publishes everything held
 * for anonymous filers in ONE transaction: the notices, numbered in random order; the filers'
 * messages (in the order each filer sent them, notices in random order); the "seen" counts. Then
 * empties the holding table with TRUNCATE, which gives it new, empty files, so no held row version
 * (written in a filer's own transaction) is left in any table file. Answers how many were moved.
 */
export async function publishHeldAnonymous(db: Db): Promise<number> {
  const [{ held }] = await db.$queryRaw<{ held: boolean }[]>`SELECT EXISTS (SELECT 1 FROM "AnonymousHeld") AS held`;
  if (!held) return 0;
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('LOCK TABLE "AnonymousHeld" IN ACCESS EXCLUSIVE MODE');
    const rows = shuffled(await tx.anonymousHeld.findMany());
    const notices = rows.filter((r) => r.kind === 'notice');
    for (const forumId of new Set(notices.map((n) => n.forumId))) {
      await tx.$executeRaw`SELECT 1 FROM "Forum" WHERE id = ${forumId} FOR UPDATE`;
      const last = await tx.breachNotice.aggregate({ where: { forumId }, _max: { number: true } });
      let number = (last._max.number ?? 0) + 1;
      for (const n of notices.filter((x) => x.forumId === forumId)) {
        const { consultationId, stateSince, ...data } = n.data as unknown as HeldNotice;
        const created = await tx.breachNotice.create({ data: { ...data, forumId, stateSince: new Date(stateSince), number: number++ } });
        if (consultationId) await linkConsultation(tx, forumId, consultationId, created.id);
      }
    }
    const messages = rows.filter((r) => r.kind === 'message');
    for (const noticeId of new Set(messages.map((m) => m.noticeId!))) {
      const mine = messages.filter((m) => m.noticeId === noticeId).map((m) => m.data as { body: string; on: string; order: number }).sort((a, b) => a.order - b.order);
      const last = await tx.breachMessage.aggregate({ where: { noticeId }, _max: { seq: true } });
      let seq = (last._max.seq ?? 0) + 1;
      for (const m of mine) {
        await tx.breachMessage.create({ data: { noticeId, seq: seq++, fromOfficer: false, byPersonId: null, body: m.body, on: m.on, officersTold: false } });
      }
    }
    for (const s of rows.filter((r) => r.kind === 'seen')) {
      const seen = (s.data as { seen: number }).seen;
      await tx.$executeRaw`UPDATE "BreachNotice" SET "filerSeen" = GREATEST("filerSeen", ${seen}) WHERE id = ${s.noticeId}`;
    }
    await tx.$executeRawUnsafe('TRUNCATE "AnonymousHeld"');
    return rows.length;
  });
}

// ---------- people to tell ----------

/** Active officers of a forum (raw SQL: the adapter cannot filter enum arrays with `has`). */
export async function officerIds(db: Tx, forumId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ personId: string }[]>`
    SELECT "personId" FROM "Membership" WHERE "forumId" = ${forumId} AND status = 'ACTIVE' AND 'OFFICER' = ANY(roles)`;
  return rows.map((r) => r.personId);
}

/**
 * Who hears of a step on the filer's side, by direct message: the named filer, the members of the
 * organisation an officer filed for, or an anonymous filer who revealed themselves. An anonymous
 * filer who has not is told nothing directly: the news waits on the case for their receipt.
 */
export async function filerSideIds(db: Tx, notice: BreachNotice): Promise<string[]> {
  if (notice.filerPersonId) return [notice.filerPersonId];
  if (notice.mode === 'ON_BEHALF' && notice.organisationId) {
    const members = await db.membership.findMany({ where: { forumId: notice.forumId, organisationId: notice.organisationId, status: 'ACTIVE' }, select: { personId: true } });
    return members.map((m) => m.personId);
  }
  return [];
}

export async function tellPeople(broadcasts: BroadcastService, forumId: string, people: string[], kind: string, render: Render, dedupeKey: string) {
  if (people.length === 0) return;
  await broadcasts.broadcast(forumId, kind, render, { onlyPeople: people, dedupeKey });
}

// ---------- finding cases ----------

const caseInclude = {
  party: true,
  code: true,
  commitment: true,
  compact: true,
  steps: { orderBy: { at: 'asc' } },
  messages: { orderBy: { seq: 'asc' } },
} as const;

export async function findCase(db: Tx, forumId: string, number: number) {
  const n = await db.breachNotice.findUnique({ where: { forumId_number: { forumId, number } }, include: caseInclude });
  if (!n) throw new AppError('breaches.case.notFound', { number });
  return n;
}
export type CaseView = Awaited<ReturnType<typeof findCase>>;

/**
 * The case a receipt code belongs to. A wrong code and an unknown code get the same answer;
 * after a few misses each try must wait longer. Which code was tried is never recorded.
 */
export async function findByReceipt(db: Tx, throttle: AnonymousThrottle, accountId: string, receipt: string, now: Date): Promise<CaseView> {
  const wait = throttle.waitBeforeGuess(accountId, now);
  if (wait > 0) throw new AppError('breaches.receipt.slowDown', { minutes: Math.ceil(wait / 60_000) });
  const hash = looksLikeReceipt(receipt) ? hashReceipt(receipt) : null;
  const n = hash ? await db.breachNotice.findUnique({ where: { receiptHash: hash }, include: caseInclude }) : null;
  if (!n) {
    // still held: received, and published (numbered) by the mixing job within the minute
    if (hash && (await db.anonymousHeld.findUnique({ where: { receiptHash: hash }, select: { id: true } }))) throw new AppError('breaches.receipt.held');
    throttle.recordMiss(accountId, now);
    throw new AppError('breaches.receipt.unknown');
  }
  return n;
}

/** Steps and officers' messages: what the filer is told of. */
export const filerEntries = (c: CaseView) => c.steps.length + c.messages.filter((m) => m.fromOfficer).length;

/**
 * Marks what an anonymous filer has now been shown (a count, never a time). Held, like the notice,
 * for the mixing job to write: the filer's own transaction never touches the notice's row. Nothing
 * is written when there was nothing new.
 */
export async function markSeen(db: Tx, c: CaseView): Promise<void> {
  const seen = filerEntries(c);
  if (seen <= c.filerSeen) return;
  await db.anonymousHeld.create({ data: { id: crypto.randomUUID(), kind: 'seen', forumId: c.forumId, noticeId: c.id, data: { seen } } });
}

/**
 * An anonymous filer's message on their case: held for the mixing job (it numbers and stores it,
 * in the job's transaction), keeping no person and no time of day. `order` keeps one filer's
 * messages of the same minute in the order they were sent.
 */
export async function holdFilerMessage(db: Db, c: { id: string; forumId: string }, body: string, now: Date): Promise<void> {
  const order = await db.anonymousHeld.count({ where: { noticeId: c.id, kind: 'message' } });
  await db.anonymousHeld.create({ data: { id: crypto.randomUUID(), kind: 'message', forumId: c.forumId, noticeId: c.id, data: { body, on: londonDay(now), order } } });
}

// ---------- workflow ----------

/** Moves a case one step, by an officer, with a note; returns the step and the updated notice. */
export async function stepCase(db: Db, forumId: string, number: number, to: CaseState, note: string, officerId: string, now: Date) {
  return db.$transaction(async (tx) => {
    const found = await findCase(tx, forumId, number);
    await tx.$executeRaw`SELECT 1 FROM "BreachNotice" WHERE id = ${found.id} FOR UPDATE`;
    const current = await tx.breachNotice.findUniqueOrThrow({ where: { id: found.id }, include: { compact: true } });
    const at = now < current.stateSince ? current.stateSince : now;
    const snapshot = {
      state: current.state as CaseState,
      since: current.stateSince,
      deadline: current.dueKind && current.dueOn ? { kind: current.dueKind as never, due: current.dueOn } : null,
    };
    const moved = applyStep(snapshot, to, at, rulesOf(current.compact));
    if (!moved.ok) throw new AppError('breaches.step.notAllowed', { from: current.state, to });
    const step = await tx.breachStep.create({ data: { noticeId: current.id, fromState: current.state, toState: to, note, byPersonId: officerId, at } });
    const closed = !isOpen(to);
    const notice = await tx.breachNotice.update({
      where: { id: current.id },
      data: {
        state: to,
        stateSince: at,
        dueKind: moved.case.deadline?.kind ?? null,
        dueOn: moved.case.deadline?.due ?? null,
        resolvedOn: closed ? londonDay(at) : null,
      },
      include: { compact: true, party: true, code: true },
    });
    return { step, notice };
  });
}

/** Adds a message to a case. A filer's message keeps no person and no time of day. */
export async function addMessage(db: Db, noticeId: string, body: string, from: { officerId: string } | { filer: true; anonymous: boolean }, now: Date) {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM "BreachNotice" WHERE id = ${noticeId} FOR UPDATE`;
    const last = await tx.breachMessage.aggregate({ where: { noticeId }, _max: { seq: true } });
    const officer = 'officerId' in from;
    return tx.breachMessage.create({
      data: {
        noticeId,
        seq: (last._max.seq ?? 0) + 1,
        fromOfficer: officer,
        byPersonId: officer ? from.officerId : null,
        body,
        on: londonDay(now),
        // an anonymous filer's message is told to officers by the hourly job, not now
        officersTold: officer || !from.anonymous,
      },
    });
  });
}

/** An anonymous filer chooses to say who they are: the case gains them (and their organisation). */
export async function revealFiler(db: Db, noticeId: string, personId: string, organisationId: string | null) {
  return db.breachNotice.update({ where: { id: noticeId }, data: { filerPersonId: personId, organisationId } });
}
