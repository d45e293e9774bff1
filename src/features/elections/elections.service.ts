import crypto from 'node:crypto';
import type { Db, Tx } from '../../db/client.ts';
import type { Candidate, Election, ElectionPhase, Franchise } from '../../generated/prisma/client.ts';
import { AppError } from '../../core/errors.ts';
import { pickByName } from '../../core/names.ts';
import { DAY_MS } from '../forums/coverage.ts';
import { findMember, findPartnership, forumCoverage } from '../forums/forums.service.ts';
import type { CountMethod } from './counting/index.ts';
import type { MessageKey } from '../../core/i18n.ts';

export const METHODS = ['scottish-stv', 'meek-stv', 'av', 'fptp', 'block'] as const;
export const STATEMENT_MAX = 1500;
export const RON_NAME = 'RON';
const LIVE: ElectionPhase[] = ['DRAFT', 'NOMINATIONS', 'NOMINATIONS_CLOSED', 'VOTING', 'COUNTING'];

export interface OpenInput {
  title: string;
  partnership: string;
  seats?: string[];
  method?: CountMethod;
  start: Date;
  nominationDays: number;
  gapDays: number;
  votingDays: number;
  franchise?: Franchise;
  seconderRequired: boolean;
  ron: boolean;
}

/**
 * Makes an election in the draft phase for seats of one partnership: the named seats, or else
 * every seat that is vacant or whose term ends within the coverage report's horizon.
 */
export async function createElection(db: Db, forumId: string, officerId: string, input: OpenInput, now: Date) {
  const forum = await db.forum.findUniqueOrThrow({ where: { id: forumId } });
  const partnership = await findPartnership(db, forumId, input.partnership);
  const all = await db.seat.findMany({ where: { partnershipId: partnership.id }, orderBy: { label: 'asc' } });
  let seats = all;
  if (input.seats?.length) {
    seats = input.seats.map((label) => {
      const q = label.trim().toLowerCase();
      const found = all.filter((s) => s.label.toLowerCase() === q || s.label.toLowerCase().includes(q));
      if (found.length !== 1) throw new AppError('elections.seat.notFound', { label, partnership: partnership.name });
      return found[0];
    });
  } else {
    const coverage = await forumCoverage(db, forumId, now);
    const due = new Set([...coverage.vacant, ...coverage.endingSoon].map((s) => s.seatId));
    seats = all.filter((s) => due.has(s.id));
  }
  if (seats.length === 0) throw new AppError('elections.seat.none', { partnership: partnership.name });
  if (new Set(seats.map((s) => s.id)).size !== seats.length) throw new AppError('elections.seat.twice');
  const method: CountMethod = input.method ?? (seats.length > 1 ? 'scottish-stv' : 'av');
  if ((method === 'av' || method === 'fptp') && seats.length > 1) throw new AppError('elections.method.oneSeat', { method, seats: seats.length });
  const busy = await db.election.findFirst({ where: { forumId, phase: { in: LIVE }, seatIds: { hasSome: seats.map((s) => s.id) } } });
  if (busy) throw new AppError('elections.seat.busy', { title: busy.title });
  const nominationsOpenAt = input.start < now ? now : input.start;
  const nominationsCloseAt = new Date(nominationsOpenAt.getTime() + input.nominationDays * DAY_MS);
  const votingOpenAt = new Date(nominationsCloseAt.getTime() + input.gapDays * DAY_MS);
  const votingCloseAt = new Date(votingOpenAt.getTime() + input.votingDays * DAY_MS);
  return db.$transaction(async (tx) => {
    const election = await tx.election.create({
      data: {
        forumId,
        partnershipId: partnership.id,
        title: input.title,
        seatIds: seats.map((s) => s.id),
        method,
        franchise: input.franchise ?? forum.franchise,
        seconderRequired: input.seconderRequired,
        ronCandidate: input.ron,
        nominationsOpenAt,
        nominationsCloseAt,
        votingOpenAt,
        votingCloseAt,
        tieSeed: crypto.randomBytes(16).toString('hex'),
        createdById: officerId,
      },
    });
    if (input.ron) await tx.candidate.create({ data: { electionId: election.id, name: RON_NAME, isRon: true, accepted: true } });
    return { election, seats, partnership };
  });
}

/** Finds an election of the forum by id or title (the newest first when titles repeat). */
export async function findElection(db: Tx, forumId: string, ref: string): Promise<Election> {
  const q = ref.trim();
  if (/^[0-9a-f-]{36}$/i.test(q)) {
    const byId = await db.election.findFirst({ where: { id: q, forumId } });
    if (byId) return byId;
  }
  const all = await db.election.findMany({ where: { forumId }, orderBy: { createdAt: 'desc' } });
  // the most recent election of each title, found as any name is (pickByName: case, accents, words)
  const latest = [...new Map(all.toReversed().map((e) => [e.title, e])).values()].toReversed();
  return pickByName(latest, q, (e) => e.title, 'elections.election.notFound', 'elections.election.ambiguous');
}

/** A candidate on the ballot: accepted, seconded where needed, not withdrawn. */
export const isStanding = (e: Election, c: Candidate) => !c.withdrawn && (c.isRon || (c.accepted && (!e.seconderRequired || !!c.seconderId)));

export async function standingCandidates(db: Tx, e: Election) {
  const all = await db.candidate.findMany({ where: { electionId: e.id } });
  return all.filter((c) => isStanding(e, c)).sort(candidateOrder);
}

/** Names in alphabetical order, RON last: the order of the count and of the BLT export. */
export const candidateOrder = (a: Candidate, b: Candidate) => Number(a.isRon) - Number(b.isRon) || a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id);

// ---------------------------------------------------------------- nominations

function needPhase(e: Election, phase: ElectionPhase, key: MessageKey) {
  if (e.phase !== phase) throw new AppError(key, { title: e.title });
}

/**
 * Nominates a member (the nominator themself, or another member who must then accept). The
 * forum's rule of one candidate per organisation is checked against candidates still standing.
 */
export async function nominate(db: Db, e: Election, nominatorId: string, nomineeName: string | undefined, statement: string | undefined, now: Date) {
  needPhase(e, 'NOMINATIONS', 'elections.nominations.notOpen');
  if (now >= e.nominationsCloseAt) throw new AppError('elections.nominations.notOpen', { title: e.title });
  if (statement && statement.length > STATEMENT_MAX) throw new AppError('elections.statement.tooLong', { max: STATEMENT_MAX, length: statement.length });
  const nominee = nomineeName
    ? await findMember(db, e.forumId, nomineeName)
    : await db.membership.findFirst({ where: { personId: nominatorId, forumId: e.forumId, status: 'ACTIVE' }, include: { person: true, organisation: true } });
  if (!nominee) throw new AppError('elections.nominee.notMember');
  const self = nominee.personId === nominatorId;
  const forum = await db.forum.findUniqueOrThrow({ where: { id: e.forumId } });
  return db.$transaction(async (tx) => {
    const existing = await tx.candidate.findUnique({ where: { electionId_personId: { electionId: e.id, personId: nominee.personId } } });
    if (existing && !existing.withdrawn) throw new AppError('elections.nominee.already', { name: nominee.person.displayName });
    if (forum.oneCandidatePerOrganisation && nominee.organisationId) {
      const sameOrg = await tx.candidate.findFirst({ where: { electionId: e.id, organisationId: nominee.organisationId, withdrawn: false, personId: { not: nominee.personId } } });
      if (sameOrg) throw new AppError('elections.nominee.sameOrganisation', { organisation: nominee.organisation?.name ?? '', name: sameOrg.name });
    }
    const data = {
      name: nominee.person.displayName,
      organisationId: nominee.organisationId,
      statement: statement ?? null,
      nominatedById: nominatorId,
      seconderId: null,
      accepted: self,
      withdrawn: false,
    };
    const candidate = existing
      ? await tx.candidate.update({ where: { id: existing.id }, data })
      : await tx.candidate.create({ data: { electionId: e.id, personId: nominee.personId, ...data } });
    return { candidate, self };
  });
}

async function ownCandidacy(db: Tx, e: Election, personId: string) {
  const c = await db.candidate.findUnique({ where: { electionId_personId: { electionId: e.id, personId } } });
  if (!c || c.withdrawn) throw new AppError('elections.candidate.notNominated', { title: e.title });
  return c;
}

export async function acceptNomination(db: Db, e: Election, personId: string, statement: string | undefined, now: Date) {
  needPhase(e, 'NOMINATIONS', 'elections.nominations.notOpen');
  if (now >= e.nominationsCloseAt) throw new AppError('elections.nominations.notOpen', { title: e.title });
  if (statement && statement.length > STATEMENT_MAX) throw new AppError('elections.statement.tooLong', { max: STATEMENT_MAX, length: statement.length });
  const c = await ownCandidacy(db, e, personId);
  return db.candidate.update({ where: { id: c.id }, data: { accepted: true, ...(statement ? { statement } : {}) } });
}

/** Seconds a nomination: an active member who is neither the candidate nor the nominator. */
export async function secondNomination(db: Db, e: Election, seconderId: string, candidateName: string, now: Date) {
  needPhase(e, 'NOMINATIONS', 'elections.nominations.notOpen');
  if (now >= e.nominationsCloseAt) throw new AppError('elections.nominations.notOpen', { title: e.title });
  const q = candidateName.trim().toLowerCase();
  const standing = await db.candidate.findMany({ where: { electionId: e.id, withdrawn: false, isRon: false } });
  const exact = standing.filter((c) => c.name.toLowerCase() === q);
  const all = exact.length ? exact : standing.filter((c) => c.name.toLowerCase().includes(q));
  if (all.length !== 1) throw new AppError(all.length ? 'elections.candidate.ambiguous' : 'elections.candidate.notFound', { name: candidateName });
  const c = all[0];
  if (c.personId === seconderId || c.nominatedById === seconderId) throw new AppError('elections.second.own');
  if (c.seconderId) throw new AppError('elections.second.already', { name: c.name });
  const done = await db.candidate.updateMany({ where: { id: c.id, seconderId: null }, data: { seconderId } });
  if (done.count !== 1) throw new AppError('elections.second.already', { name: c.name });
  return c;
}

/** A candidate withdraws; possible until voting opens. */
export async function withdraw(db: Db, e: Election, personId: string) {
  if (!['DRAFT', 'NOMINATIONS', 'NOMINATIONS_CLOSED'].includes(e.phase)) throw new AppError('elections.withdraw.tooLate', { title: e.title });
  const c = await ownCandidacy(db, e, personId);
  return db.candidate.update({ where: { id: c.id }, data: { withdrawn: true } });
}

// ---------------------------------------------------------------- the returning officer

/** Moves the current deadline (and the later ones with it) by some days. */
export async function extendElection(db: Db, e: Election, days: number) {
  const shift = (d: Date) => new Date(d.getTime() + days * DAY_MS);
  let data: { nominationsCloseAt?: Date; votingOpenAt?: Date; votingCloseAt?: Date };
  if (e.phase === 'DRAFT' || e.phase === 'NOMINATIONS') {
    data = { nominationsCloseAt: shift(e.nominationsCloseAt), votingOpenAt: shift(e.votingOpenAt), votingCloseAt: shift(e.votingCloseAt) };
  } else if (e.phase === 'NOMINATIONS_CLOSED') {
    data = { votingOpenAt: shift(e.votingOpenAt), votingCloseAt: shift(e.votingCloseAt) };
  } else if (e.phase === 'VOTING') {
    data = { votingCloseAt: shift(e.votingCloseAt) };
  } else throw new AppError('elections.extend.tooLate', { title: e.title });
  const done = await db.election.updateMany({ where: { id: e.id, phase: e.phase }, data });
  if (done.count !== 1) throw new AppError('elections.changed');
  return db.election.findUniqueOrThrow({ where: { id: e.id } });
}

/** Closes the current phase now: nominations (voting then opens as planned) or voting. */
export async function closeEarly(db: Db, e: Election, now: Date) {
  let data: { nominationsCloseAt?: Date; votingOpenAt?: Date; votingCloseAt?: Date };
  if (e.phase === 'NOMINATIONS') data = { nominationsCloseAt: now, votingOpenAt: e.votingOpenAt < now ? now : e.votingOpenAt };
  else if (e.phase === 'VOTING') data = { votingCloseAt: now };
  else throw new AppError('elections.close.nothing', { title: e.title });
  const done = await db.election.updateMany({ where: { id: e.id, phase: e.phase }, data });
  if (done.count !== 1) throw new AppError('elections.changed');
  return db.election.findUniqueOrThrow({ where: { id: e.id } });
}

/** What `election advance` does from each phase: the step, and the dates it brings to now. */
export const ADVANCE_STEPS = {
  DRAFT: 'openNominations',
  NOMINATIONS: 'openVoting',
  NOMINATIONS_CLOSED: 'openVoting',
  VOTING: 'count',
} as const;
export type AdvanceStep = (typeof ADVANCE_STEPS)[keyof typeof ADVANCE_STEPS];

export const advanceStepOf = (e: Election): AdvanceStep | null => (e.phase in ADVANCE_STEPS ? ADVANCE_STEPS[e.phase as keyof typeof ADVANCE_STEPS] : null);

/**
 * Brings the election's next scheduled step to now: nominations open; nominations close and voting
 * opens; voting closes (the count follows). Only from the phase the officer confirmed, so a
 * repeated press changes nothing; recorded in the election's public log. The caller then runs
 * the usual phase moves (announcements, the count).
 */
export async function advanceNow(db: Db, e: Election, confirmedFrom: string, now: Date): Promise<Election> {
  const step = advanceStepOf(e);
  if (!step) throw new AppError('elections.advance.nothing', { title: e.title });
  if (confirmedFrom !== e.phase) throw new AppError('elections.advance.moved', { title: e.title });
  const later = (d: Date) => (d < now ? now : d);
  const data =
    e.phase === 'DRAFT' ? { nominationsOpenAt: now, nominationsCloseAt: later(e.nominationsCloseAt), votingOpenAt: later(e.votingOpenAt), votingCloseAt: later(e.votingCloseAt) }
      : e.phase === 'VOTING' ? { votingCloseAt: now }
        : { nominationsCloseAt: e.phase === 'NOMINATIONS' ? now : e.nominationsCloseAt, votingOpenAt: now };
  return db.$transaction(async (tx) => {
    const done = await tx.election.updateMany({ where: { id: e.id, phase: e.phase }, data });
    if (done.count !== 1) throw new AppError('elections.advance.moved', { title: e.title });
    const toPhase = e.phase === 'DRAFT' ? 'NOMINATIONS' : e.phase === 'VOTING' ? 'COUNTING' : 'VOTING';
    await tx.electionLog.create({ data: { electionId: e.id, at: now, action: 'advance', fromPhase: e.phase, toPhase } });
    return tx.election.findUniqueOrThrow({ where: { id: e.id } });
  });
}

export async function cancelElection(db: Db, e: Election, reason: string) {
  if (e.phase === 'DECLARED' || e.phase === 'CANCELLED' || e.phase === 'COUNTING') throw new AppError('elections.cancel.tooLate', { title: e.title });
  const done = await db.election.updateMany({ where: { id: e.id, phase: e.phase }, data: { phase: 'CANCELLED', cancelReason: reason } });
  if (done.count !== 1) throw new AppError('elections.changed');
  return db.election.findUniqueOrThrow({ where: { id: e.id } });
}

/** Moves a person's election rows onto the person they were merged into. */
export async function mergeElectionPerson(tx: Tx, from: string, to: string) {
  const fromKey = `person:${from}`;
  const toKey = `person:${to}`;
  // the roll: one voter now; where both had voted both ballots stand (they cannot be told apart,
  // by design), so the second roll entry is kept under a distinct key and counts still agree
  await tx.$executeRaw`UPDATE "ElectionRoll" r SET "voterKey" = CASE
      WHEN EXISTS (SELECT 1 FROM "ElectionRoll" o WHERE o."electionId" = r."electionId" AND o."voterKey" = ${toKey})
      THEN ${`${toKey}#merged:${from}`} ELSE ${toKey} END
    WHERE "voterKey" = ${fromKey}`;
  const theirs = await tx.candidate.findMany({ where: { personId: from } });
  for (const c of theirs) {
    const clash = await tx.candidate.findUnique({ where: { electionId_personId: { electionId: c.electionId, personId: to } } });
    if (clash) await tx.candidate.update({ where: { id: c.id }, data: { withdrawn: true, personId: null } });
    else await tx.candidate.update({ where: { id: c.id }, data: { personId: to } });
  }
  await tx.candidate.updateMany({ where: { nominatedById: from }, data: { nominatedById: to } });
  await tx.candidate.updateMany({ where: { seconderId: from }, data: { seconderId: to } });
  await tx.voteDelegation.updateMany({ where: { delegateId: from }, data: { delegateId: to } });
  await tx.election.updateMany({ where: { createdById: from }, data: { createdById: to } });
}
