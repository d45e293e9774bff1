/**
 * Casting, replacing and checking ballots. The secrecy design is described in secrecy.ts.
 */
import crypto from 'node:crypto';
import { directQuery, type Db, type Tx } from '../../db/client.ts';
import type { Candidate, Election, Membership } from '../../generated/prisma/client.ts';
import { AppError } from '../../core/errors.ts';
import { utcDates } from '../../core/event-context.ts';
import { findElection, isStanding } from './elections.service.ts';
import { ballotSlot, newReceipt, normaliseReceipt, organisationVoter, personVoter } from './secrecy.ts';

export interface Voter {
  voterKey: string;
  /** the organisation whose vote this is, under the organisation franchise */
  organisationName?: string;
}

/**
 * Who this person votes as: themself (one vote per member), or their organisation when they are
 * its designated voter, the delegate for this election, or any member of an organisation with
 * neither. Throws "not on the roll" otherwise.
 */
export async function voterFor(db: Tx, e: Election, personId: string, known?: Membership | null): Promise<Voter> {
  // the core has already read the asker's membership of this forum: one query fewer per ballot
  if (e.franchise === 'INDIVIDUAL' && known && known.personId === personId && known.forumId === e.forumId) {
    if (known.status !== 'ACTIVE') throw new AppError('elections.vote.notOnRoll');
    return { voterKey: personVoter(personId) };
  }
  const m = await db.membership.findUnique({ where: { personId_forumId: { personId, forumId: e.forumId } }, include: { organisation: true } });
  if (!m || m.status !== 'ACTIVE') throw new AppError('elections.vote.notOnRoll');
  if (e.franchise === 'INDIVIDUAL') return { voterKey: personVoter(personId) };
  const delegated = await db.voteDelegation.findFirst({ where: { electionId: e.id, delegateId: personId } });
  if (delegated) {
    const org = await db.organisation.findUniqueOrThrow({ where: { id: delegated.organisationId } });
    return { voterKey: organisationVoter(org.id), organisationName: org.name };
  }
  const org = m.organisation;
  if (!org) throw new AppError('elections.vote.noOrganisation');
  const delegation = await db.voteDelegation.findUnique({ where: { electionId_organisationId: { electionId: e.id, organisationId: org.id } } });
  if (delegation && delegation.delegateId !== personId) throw new AppError('elections.vote.delegated', { organisation: org.name });
  if (!delegation && org.designatedVoterId && org.designatedVoterId !== personId) {
    const designated = await db.membership.findUnique({ where: { personId_forumId: { personId: org.designatedVoterId, forumId: e.forumId } } });
    if (designated?.status === 'ACTIVE') throw new AppError('elections.vote.notDesignated', { organisation: org.name });
  }
  return { voterKey: organisationVoter(org.id), organisationName: org.name };
}

export async function hasVoted(db: Tx, electionId: string, voterKey: string): Promise<boolean> {
  return (await db.electionRoll.count({ where: { electionId, voterKey } })) > 0;
}

/** The designated voter hands this election's vote to another member of the same organisation. */
export async function delegateVote(db: Db, e: Election, personId: string, delegateName: string) {
  if (e.franchise !== 'ORGANISATION') throw new AppError('elections.delegate.individual');
  if (!['DRAFT', 'NOMINATIONS', 'NOMINATIONS_CLOSED', 'VOTING'].includes(e.phase)) throw new AppError('elections.vote.closed', { title: e.title });
  const m = await db.membership.findUnique({ where: { personId_forumId: { personId, forumId: e.forumId } }, include: { organisation: true } });
  const org = m?.status === 'ACTIVE' ? m.organisation : null;
  if (!org) throw new AppError('elections.vote.noOrganisation');
  if (org.designatedVoterId !== personId) throw new AppError('elections.delegate.notDesignated', { organisation: org.name });
  const members = await db.membership.findMany({ where: { forumId: e.forumId, organisationId: org.id, status: 'ACTIVE' }, include: { person: true } });
  const q = delegateName.trim().toLowerCase();
  const exact = members.filter((x) => x.person.displayName.toLowerCase() === q);
  const found = exact.length ? exact : members.filter((x) => x.person.displayName.toLowerCase().includes(q));
  if (found.length !== 1 || found[0].personId === personId) throw new AppError('elections.delegate.notColleague', { name: delegateName, organisation: org.name });
  await db.voteDelegation.upsert({
    where: { electionId_organisationId: { electionId: e.id, organisationId: org.id } },
    create: { electionId: e.id, organisationId: org.id, delegateId: found[0].personId },
    update: { delegateId: found[0].personId },
  });
  return { delegate: found[0].person.displayName, organisation: org.name };
}

/**
 * Reads a voter's choices into candidate ids, first preference first. `ranking` is ids in
 * order; `ranks` is "id=rank" pairs (what a ballot with a number box per candidate sends).
 * Anything wrong is refused with what to fix: a candidate ranked twice, a rank given twice or
 * skipped, a candidate not on the ballot or withdrawn, too many choices.
 */
export function readChoices(e: Election, all: Candidate[], standing: Candidate[], input: { ranking?: string; ranks?: string }): string[] {
  const ids = choiceIds(input);
  const byId = new Map(all.map((c) => [c.id, c]));
  const onBallot = new Set(standing.map((c) => c.id));
  const seen = new Set<string>();
  for (const id of ids) {
    const c = byId.get(id);
    if (!c) throw new AppError('elections.ballot.unknownCandidate');
    if (c.withdrawn) throw new AppError('elections.ballot.withdrawn', { name: c.name });
    if (!onBallot.has(id)) throw new AppError('elections.ballot.notStanding', { name: c.name });
    if (seen.has(id)) throw new AppError('elections.ballot.rankedTwice', { name: c.name });
    seen.add(id);
  }
  const max = e.method === 'fptp' ? 1 : e.method === 'block' ? e.seatIds.length : standing.length;
  if (ids.length > max) throw new AppError('elections.ballot.tooMany', { max });
  return ids;
}

/** The candidate ids a ballot names, first preference first, before checking them against the election. */
function choiceIds(input: { ranking?: string; ranks?: string }): string[] {
  let ids: string[];
  if (input.ranks) {
    const pairs = input.ranks.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
      const [id, rank] = p.split(/[=:]/);
      const n = Number(rank);
      if (!id || !Number.isInteger(n) || n < 1) throw new AppError('elections.ballot.badRank', { value: p });
      return { id: id.trim(), rank: n };
    });
    const seenRanks = new Map<number, number>();
    for (const p of pairs) seenRanks.set(p.rank, (seenRanks.get(p.rank) ?? 0) + 1);
    const repeated = [...seenRanks].filter(([, n]) => n > 1).map(([r]) => r);
    if (repeated.length) throw new AppError('elections.ballot.rankRepeated', { ranks: repeated.join(', ') });
    for (let r = 1; r <= pairs.length; r++) if (!seenRanks.has(r)) throw new AppError('elections.ballot.rankSkipped', { rank: r });
    ids = pairs.sort((a, b) => a.rank - b.rank).map((p) => p.id);
  } else {
    ids = (input.ranking ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  }
  if (ids.length === 0) throw new AppError('elections.ballot.empty');
  return ids;
}

export interface CastResult {
  receipt: string;
  replaced: boolean;
}

const isOpen = (e: Election, now: Date) => e.phase === 'VOTING' && now < e.votingCloseAt;

/**
 * Casts (or, with the receipt of the earlier ballot, replaces) a ballot. Marking the roll and
 * dropping the ballot into the holding box (BallotBox) are one SQL statement, so one transaction:
 * both or neither. The statement holds a share lock on the election row while it checks voting is
 * still open, so closing (an update of that row) waits for ballots being cast and none slips past
 * the count. The mixing job (moveHeldBallots) later moves held ballots into ElectionBallot.
 *
 * A replacement writes only to the box: the held ballot it replaces is deleted there, or, if that
 * ballot was already moved, the new one records the old slot in `replaces` and the move deletes
 * the old one from ElectionBallot, so no counted row is touched by the voter's own transaction.
 */
export async function castBallot(
  db: Db,
  forumId: string,
  ref: string,
  personId: string,
  choices: { ranking?: string; ranks?: string },
  oldReceipt: string | undefined,
  now: Date,
  membership?: Membership | null,
): Promise<CastResult & { election: Election }> {
  const { e, all } = await ballotPaper(db, forumId, ref);
  if (!isOpen(e, now)) throw new AppError('elections.vote.closed', { title: e.title });
  const voter = await voterFor(db, e, personId, membership);
  const standing = all.filter((c) => isStanding(e, c));
  const ranking = `{${readChoices(e, all, standing, choices).join(',')}}`; // candidate ids (checked): an array literal
  const receipt = newReceipt();
  const slot = ballotSlot(receipt, e.id, voter.voterKey);
  const id = crypto.randomUUID();
  // the statements go straight to the driver (one exchange, prepared once): this is the hot path
  const sql = directQuery(db);
  const gate = `WITH gate AS (SELECT id FROM "Election" WHERE id = $1 AND phase = 'VOTING' AND "votingCloseAt" > $2::timestamp FOR SHARE)`;
  const open = [e.id, now.toISOString()];
  const stored = async (text: string, params: unknown[]) => (await sql<{ one: number }>(`${gate}, ${text} RETURNING 1 AS one`, [...open, ...params])).length === 1;
  if (oldReceipt === undefined) {
    const cast = await stored(
      `roll AS (INSERT INTO "ElectionRoll" ("electionId", "voterKey") SELECT id, $3 FROM gate ON CONFLICT DO NOTHING RETURNING "electionId")
      INSERT INTO "BallotBox" (id, "electionId", slot, ranking) SELECT $4, "electionId", $5, $6::text[] FROM roll`,
      [voter.voterKey, id, slot, ranking],
    );
    if (cast) return { receipt, replaced: false, election: e };
    await refuseClosed(db, e, now);
    throw new AppError('elections.vote.already');
  }
  const old = normaliseReceipt(oldReceipt);
  if (!old) throw new AppError('elections.receipt.malformed');
  // the old ballot is still held (delete it, keeping what it replaced) or already counted and not
  // yet being replaced (the unique `replaces` refuses a second replacement racing this one)
  const replaced = await stored(
    `held AS (DELETE FROM "BallotBox" WHERE slot = $3 AND "electionId" IN (SELECT id FROM gate) RETURNING "electionId", replaces),
    counted AS (
      SELECT b."electionId", b.slot AS replaces FROM "ElectionBallot" b
      WHERE b.slot = $3 AND b."electionId" IN (SELECT id FROM gate) AND NOT EXISTS (SELECT 1 FROM "BallotBox" x WHERE x.replaces = b.slot))
    INSERT INTO "BallotBox" (id, "electionId", slot, ranking, replaces)
    SELECT $4, "electionId", $5, $6::text[], replaces FROM (SELECT * FROM held UNION ALL SELECT * FROM counted) old
    ON CONFLICT DO NOTHING`,
    [ballotSlot(old, e.id, voter.voterKey), id, slot, ranking],
  );
  if (replaced) return { receipt, replaced: true, election: e };
  await refuseClosed(db, e, now);
  throw new AppError('elections.receipt.notFound');
}

/** After a cast stored nothing: "voting is closed" if that is why (it closed meanwhile). */
async function refuseClosed(db: Db, e: Election, now: Date) {
  const fresh = await db.election.findUniqueOrThrow({ where: { id: e.id } });
  if (!isOpen(fresh, now)) throw new AppError('elections.vote.closed', { title: e.title });
}

/**
 * The election a ballot is cast in, with all its candidates: by id (as a ballot's button sends it)
 * in one round trip, the cast's only read; by title (typed by hand) through findElection.
 */
async function ballotPaper(db: Db, forumId: string, ref: string): Promise<{ e: Election; all: Candidate[] }> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref.trim())) {
    const [row] = await directQuery(db)<{ election: Record<string, unknown>; candidates: Record<string, unknown>[] | null }>(
      `SELECT row_to_json(e) AS election, (SELECT json_agg(c) FROM "Candidate" c WHERE c."electionId" = e.id) AS candidates
       FROM "Election" e WHERE e.id = $1 AND e."forumId" = $2`,
      [ref.trim(), forumId],
    );
    if (row) {
      const e = utcDates(row.election, 'nominationsOpenAt', 'nominationsCloseAt', 'votingOpenAt', 'votingCloseAt', 'declaredAt', 'createdAt') as unknown as Election;
      const all = (row.candidates ?? []).map((c) => utcDates(c, 'createdAt') as unknown as Candidate);
      return { e, all };
    }
  }
  const e = await findElection(db, forumId, ref);
  return { e, all: await db.candidate.findMany({ where: { electionId: e.id } }) };
}

/**
 * The mixing job's work (every minute, on every instance, and by close before counting): moves
 * every held ballot into ElectionBallot in one transaction, in random order, deleting the counted
 * ballots they replace, then empties the box with TRUNCATE. Each moved row's xmin is that one
 * transaction's, shared by the whole batch and by no roll row; TRUNCATE gives the box new, empty
 * files, so the held row versions (which shared their xmin with a roll row) are not left in any
 * table file. The exclusive lock makes casts wait for the few milliseconds a move takes.
 * Answers how many ballots were moved.
 */
export async function moveHeldBallots(db: Db): Promise<number> {
  const [{ held }] = await db.$queryRaw<{ held: boolean }[]>`SELECT EXISTS (SELECT 1 FROM "BallotBox") AS held`;
  if (!held) return 0;
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('LOCK TABLE "BallotBox" IN ACCESS EXCLUSIVE MODE');
    await tx.$executeRaw`DELETE FROM "ElectionBallot" WHERE slot IN (SELECT replaces FROM "BallotBox" WHERE replaces IS NOT NULL)`;
    const moved = await tx.$executeRaw`INSERT INTO "ElectionBallot" (id, "electionId", slot, ranking)
      SELECT id, "electionId", slot, ranking FROM "BallotBox" ORDER BY random()`;
    await tx.$executeRawUnsafe('TRUNCATE "BallotBox"');
    return moved;
  });
}

/**
 * The ballot stored under a receipt for this person (as themself or their organisation), whether
 * still held in the box or already moved (and not being replaced).
 */
export async function checkReceipt(db: Tx, e: Election, personId: string, receiptText: string) {
  const receipt = normaliseReceipt(receiptText);
  if (!receipt) throw new AppError('elections.receipt.malformed');
  const keys = [personVoter(personId)];
  const orgs = await db.membership.findMany({ where: { personId, forumId: e.forumId, organisationId: { not: null } } });
  for (const m of orgs) keys.push(organisationVoter(m.organisationId!));
  const delegations = await db.voteDelegation.findMany({ where: { electionId: e.id, delegateId: personId } });
  for (const d of delegations) keys.push(organisationVoter(d.organisationId));
  const slots = keys.map((k) => ballotSlot(receipt, e.id, k));
  const [ballot] = await db.$queryRaw<{ slot: string; ranking: string[] }[]>`
    SELECT slot, ranking FROM "BallotBox" WHERE "electionId" = ${e.id} AND slot = ANY(${slots}::text[])
    UNION ALL
    SELECT b.slot, b.ranking FROM "ElectionBallot" b WHERE b."electionId" = ${e.id} AND b.slot = ANY(${slots}::text[])
      AND NOT EXISTS (SELECT 1 FROM "BallotBox" x WHERE x.replaces = b.slot)
    LIMIT 1`;
  if (!ballot) throw new AppError('elections.receipt.notFound');
  const candidates = new Map((await db.candidate.findMany({ where: { electionId: e.id } })).map((c) => [c.id, c.name]));
  return { slot: ballot.slot, names: ballot.ranking.map((id) => candidates.get(id) ?? '?') };
}

/** Everyone who may vote in this election, as voter keys with the people who can cast each. */
export async function electorate(db: Tx, e: Election): Promise<Map<string, string[]>> {
  const members = await db.membership.findMany({ where: { forumId: e.forumId, status: 'ACTIVE' }, include: { organisation: true } });
  const out = new Map<string, string[]>();
  if (e.franchise === 'INDIVIDUAL') {
    for (const m of members) out.set(personVoter(m.personId), [m.personId]);
    return out;
  }
  const delegations = new Map((await db.voteDelegation.findMany({ where: { electionId: e.id } })).map((d) => [d.organisationId, d.delegateId]));
  const active = new Set(members.map((m) => m.personId));
  for (const m of members) {
    if (!m.organisation) continue;
    const key = organisationVoter(m.organisation.id);
    const delegate = delegations.get(m.organisation.id);
    const designated = m.organisation.designatedVoterId && active.has(m.organisation.designatedVoterId) ? m.organisation.designatedVoterId : null;
    const who = delegate ? [delegate] : designated ? [designated] : [...(out.get(key) ?? []), m.personId];
    out.set(key, [...new Set(who)]);
  }
  return out;
}

/** The people who can still cast a vote that has not been cast (for reminders). */
export async function peopleYetToVote(db: Tx, e: Election): Promise<string[]> {
  const all = await electorate(db, e);
  const voted = new Set((await db.electionRoll.findMany({ where: { electionId: e.id }, select: { voterKey: true } })).map((r) => r.voterKey));
  const people = new Set<string>();
  for (const [key, who] of all) if (!voted.has(key)) for (const p of who) people.add(p);
  return [...people];
}
