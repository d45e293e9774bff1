import crypto from 'node:crypto';
import { directQuery, type Db, type Tx } from '../../db/client.ts';
import type { ChannelMode, Franchise, Role, SelectionMethod } from '../../generated/prisma/client.ts';
import { AppError } from '../../core/errors.ts';
import { pickByName } from '../../core/names.ts';
import { coverageReport, DAY_MS, termEnd, type CoverageReport } from './coverage.ts';

export const slugify = (name: string): string =>
  name.toLowerCase().normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/[\s_]+/g, '-').slice(0, 60);

export async function createForum(
  db: Db,
  input: { name: string; cvcName: string; slug?: string; defaultLocale: 'en' | 'cy'; franchise: Franchise },
  creatorId: string,
) {
  const slug = input.slug ?? slugify(input.name);
  if (await db.forum.findUnique({ where: { slug } })) throw new AppError('forums.forum.exists', { slug });
  return db.$transaction(async (tx) => {
    const forum = await tx.forum.create({ data: { ...input, slug } });
    await tx.membership.create({
      data: { personId: creatorId, forumId: forum.id, status: 'ACTIVE', roles: ['MEMBER', 'OFFICER', 'RETURNING_OFFICER'], decidedAt: new Date() },
    });
    await tx.person.update({ where: { id: creatorId }, data: { currentForumId: forum.id } });
    return forum;
  });
}

export async function findForum(db: Tx, nameOrSlug: string) {
  const forums = await db.forum.findMany();
  const bySlug = forums.find((f) => f.slug === nameOrSlug.trim().toLowerCase());
  return bySlug ?? pickByName(forums, nameOrSlug, (f) => f.name, 'forums.forum.notFound', 'forums.forum.ambiguous');
}

export async function linkChannel(db: Tx, forumId: string, ref: string, mode: ChannelMode, label?: string) {
  return db.channel.upsert({
    where: { forumId_ref: { forumId, ref } },
    create: { forumId, ref, mode, label: label ?? null },
    update: { mode, label: label ?? undefined },
  });
}

export async function addOrganisation(db: Tx, forumId: string, input: { name: string; charityNumber?: string; area?: string; interests: string[] }) {
  const exists = await db.organisation.findFirst({ where: { forumId, name: { equals: input.name, mode: 'insensitive' } } });
  if (exists) throw new AppError('forums.org.exists', { name: input.name });
  return db.organisation.create({ data: { forumId, ...input } });
}

export async function findOrganisation(db: Tx, forumId: string, name: string) {
  const orgs = await db.organisation.findMany({ where: { forumId } });
  return pickByName(orgs, name, (o) => o.name, 'forums.org.notFound', 'forums.org.ambiguous');
}

export async function createInvite(db: Tx, forumId: string, input: { organisationId?: string; uses: number; days: number }, now: Date) {
  const code = crypto.randomBytes(5).toString('hex').toUpperCase();
  await db.inviteCode.create({
    data: { code, forumId, organisationId: input.organisationId ?? null, maxUses: input.uses, expiresAt: new Date(now.getTime() + input.days * DAY_MS) },
  });
  return code;
}

/** A join request, for an officer to approve. */
export async function requestJoin(db: Db, forumId: string, personId: string, organisation?: string) {
  const existing = await db.membership.findUnique({ where: { personId_forumId: { personId, forumId } } });
  if (existing?.status === 'ACTIVE') throw new AppError('forums.join.already');
  if (existing?.status === 'PENDING') throw new AppError('forums.join.pending');
  const data = { status: 'PENDING' as const, roles: ['MEMBER' as Role], requestedOrganisation: organisation ?? null, decidedAt: null, decidedById: null };
  return existing
    ? db.membership.update({ where: { id: existing.id }, data })
    : db.membership.create({ data: { personId, forumId, ...data } });
}

/** Joins with an invite code: an active membership at once, for the code's organisation if any. */
export async function joinWithCode(db: Db, personId: string, code: string, now: Date) {
  return db.$transaction(async (tx) => {
    // claim one use atomically, so a code for one cannot admit two
    const claimed = await tx.inviteCode.updateMany({
      where: { code: code.trim().toUpperCase(), uses: { lt: tx.inviteCode.fields.maxUses }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      data: { uses: { increment: 1 } },
    });
    if (claimed.count !== 1) throw new AppError('forums.invite.bad');
    const invite = await tx.inviteCode.findUniqueOrThrow({ where: { code: code.trim().toUpperCase() } });
    const existing = await tx.membership.findUnique({ where: { personId_forumId: { personId, forumId: invite.forumId } } });
    if (existing?.status === 'ACTIVE') throw new AppError('forums.join.already');
    const data = { status: 'ACTIVE' as const, organisationId: invite.organisationId, decidedAt: now, roles: ['MEMBER' as Role] };
    const membership = existing
      ? await tx.membership.update({ where: { id: existing.id }, data })
      : await tx.membership.create({ data: { personId, forumId: invite.forumId, ...data } });
    await tx.person.update({ where: { id: personId }, data: { currentForumId: invite.forumId } });
    return membership;
  });
}

/**
 * Approves or rejects a pending request. The update only matches a request still pending, so
 * two officers pressing "approve" at once make one membership and the second is told.
 */
export async function decideJoin(db: Db, forumId: string, membershipId: string, officerId: string, approve: boolean, now: Date, organisationId?: string) {
  const decided = await db.membership.updateMany({
    where: { id: membershipId, forumId, status: 'PENDING' },
    data: { status: approve ? 'ACTIVE' : 'REJECTED', decidedById: officerId, decidedAt: now, ...(organisationId ? { organisationId } : {}) },
  });
  if (decided.count === 0) {
    const m = await db.membership.findFirst({ where: { id: membershipId, forumId } });
    throw new AppError(m ? 'forums.request.decided' : 'forums.request.notFound');
  }
  return db.membership.findUniqueOrThrow({ where: { id: membershipId }, include: { person: true, organisation: true } });
}

export async function findMember(db: Tx, forumId: string, name: string) {
  const members = await db.membership.findMany({ where: { forumId, status: 'ACTIVE' }, include: { person: true, organisation: true } });
  return pickByName(members, name, (m) => m.person.displayName, 'forums.member.notFound', 'forums.member.ambiguous');
}

export async function setRole(db: Db, forumId: string, name: string, role: Role, add: boolean) {
  const m = await findMember(db, forumId, name);
  const roles = add ? [...new Set([...m.roles, role])] : m.roles.filter((r) => r !== role);
  if (!add && role === 'OFFICER') {
    const officers = await peopleWithRole(db, forumId, 'OFFICER');
    if (officers.length <= 1 && m.roles.includes('OFFICER')) throw new AppError('forums.role.lastOfficer');
  }
  return db.membership.update({ where: { id: m.id }, data: { roles }, include: { person: true } });
}

export async function addPartnership(db: Tx, forumId: string, input: { name: string; parent?: string; description?: string }) {
  const parent = input.parent ? await findPartnership(db, forumId, input.parent) : null;
  const exists = await db.partnership.findFirst({ where: { forumId, name: { equals: input.name, mode: 'insensitive' } } });
  if (exists) throw new AppError('forums.partnership.exists', { name: input.name });
  return db.partnership.create({ data: { forumId, name: input.name, description: input.description ?? null, parentId: parent?.id ?? null } });
}

export async function findPartnership(db: Tx, forumId: string, name: string) {
  const all = await db.partnership.findMany({ where: { forumId } });
  return pickByName(all, name, (p) => p.name, 'forums.partnership.notFound', 'forums.partnership.ambiguous');
}

export async function addSeat(
  db: Tx,
  forumId: string,
  input: { partnership: string; label: string; interestArea?: string; roleDescription?: string; selectionMethod: SelectionMethod; termMonths: number },
) {
  const partnership = await findPartnership(db, forumId, input.partnership);
  const exists = await db.seat.findFirst({ where: { partnershipId: partnership.id, label: { equals: input.label, mode: 'insensitive' } } });
  if (exists) throw new AppError('forums.seat.exists', { label: input.label, partnership: partnership.name });
  const { partnership: _p, ...rest } = input;
  return db.seat.create({ data: { partnershipId: partnership.id, ...rest }, include: { partnership: true } });
}

export async function findSeat(db: Tx, forumId: string, partnershipName: string, label: string) {
  const partnership = await findPartnership(db, forumId, partnershipName);
  const seats = await db.seat.findMany({ where: { partnershipId: partnership.id }, include: { partnership: true } });
  return pickByName(seats, label, (s) => s.label, 'forums.seat.notFound', 'forums.seat.ambiguous');
}

/** Puts a member in a seat for the seat's term; a seat has one holder at a time. */
export async function fillSeat(
  db: Db,
  forumId: string,
  input: { partnership: string; seat: string; person: string; filledBy: SelectionMethod; startsOn: Date },
) {
  return db.$transaction(async (tx) => {
    const seat = await findSeat(tx, forumId, input.partnership, input.seat);
    const member = await findMember(tx, forumId, input.person);
    const current = await tx.seatHolding.findFirst({ where: { seatId: seat.id, endsOn: { gt: input.startsOn }, startsOn: { lte: input.startsOn } } });
    if (current) throw new AppError('forums.seat.occupied', { label: seat.label });
    const holding = await tx.seatHolding.create({
      data: {
        seatId: seat.id,
        personId: member.personId,
        organisationId: member.organisationId,
        startsOn: input.startsOn,
        endsOn: termEnd(input.startsOn, seat.termMonths),
        filledBy: input.filledBy,
      },
    });
    if (!member.roles.includes('REPRESENTATIVE')) {
      await tx.membership.update({ where: { id: member.id }, data: { roles: [...member.roles, 'REPRESENTATIVE'] } });
    }
    return { holding, seat, member };
  });
}

export async function vacateSeat(db: Db, forumId: string, partnership: string, label: string, now: Date) {
  const seat = await findSeat(db, forumId, partnership, label);
  const ended = await db.seatHolding.updateMany({ where: { seatId: seat.id, endsOn: { gt: now }, startsOn: { lte: now } }, data: { endsOn: now, endedOn: now } });
  if (ended.count === 0) throw new AppError('forums.seat.alreadyVacant', { label: seat.label });
  return seat;
}

export interface Register {
  id: string;
  name: string;
  /** the sub-groups' names */
  children: string[];
  seats: { label: string; interestArea: string | null; holder: { name: string; organisation: string | null; filledBy: SelectionMethod; endsOn: Date } | null }[];
}

/** The register: a partnership's seats and who holds them now, with its sub-groups (one query, see its migration). */
export async function whoRepresents(db: Tx, forumId: string, partnershipName: string, now: Date): Promise<Register> {
  // the full name, as most people type it, in one go; otherwise the closest match
  const exact = await register(db, forumId, null, partnershipName, now);
  if (exact) return exact;
  const partnership = await findPartnership(db, forumId, partnershipName);
  return (await register(db, forumId, partnership.id, null, now))!;
}

async function register(db: Tx, forumId: string, id: string | null, name: string | null, now: Date): Promise<Register | null> {
  const [row] = await directQuery(db)<{ register: Register | null }>('SELECT forumbot_who_represents($1, $2, $3, $4::timestamp(3)) AS register', [forumId, id, name, now.toISOString()]);
  const found = row?.register;
  if (!found) return null;
  for (const seat of found.seats) if (seat.holder) seat.holder.endsOn = new Date(`${seat.holder.endsOn as unknown as string}Z`);
  return found;
}

export async function seatsHeldBy(db: Tx, forumId: string, personName: string, now: Date) {
  const member = await findMember(db, forumId, personName);
  const holdings = await db.seatHolding.findMany({
    where: { personId: member.personId, startsOn: { lte: now }, endsOn: { gt: now }, seat: { partnership: { forumId } } },
    include: { seat: { include: { partnership: true } } },
    orderBy: { endsOn: 'asc' },
  });
  return { member, holdings };
}

export async function forumCoverage(db: Tx, forumId: string, now: Date): Promise<CoverageReport> {
  const seats = await db.seat.findMany({
    where: { partnership: { forumId } },
    include: { partnership: true, holdings: { where: { endsOn: { gt: now }, startsOn: { lte: now } }, include: { person: true } } },
  });
  return coverageReport(
    seats.map((s) => ({
      seatId: s.id,
      partnership: s.partnership.name,
      label: s.label,
      selectionMethod: s.selectionMethod,
      holdings: s.holdings.map((h) => ({ personId: h.personId, personName: h.person.displayName, endsOn: h.endsOn, filledBy: h.filledBy })),
    })),
    now,
  );
}

/**
 * Active members holding a role. Raw SQL because the embedded database's driver adapter
 * mis-sends a `has` filter on an enum array.
 */
export async function peopleWithRole(db: Tx, forumId: string, role: Role): Promise<string[]> {
  const rows = await db.$queryRaw<{ personId: string }[]>`
    SELECT "personId" FROM "Membership"
    WHERE "forumId" = ${forumId} AND status = 'ACTIVE' AND ${role}::"Role" = ANY(roles)`;
  return rows.map((r) => r.personId);
}
