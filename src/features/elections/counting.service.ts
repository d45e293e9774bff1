/**
 * Closing, counting and declaring. Counting is deterministic: ballots are grouped in a fixed
 * order, candidates in name order, and lots are drawn from the election's recorded seed, so a
 * count re-run after a restart during counting gives the same result.
 */
import type { Db, Tx } from '../../db/client.ts';
import type { Candidate, Election, Prisma } from '../../generated/prisma/client.ts';
import { termEnd } from '../forums/coverage.ts';
import { countElection, toBlt, type BallotGroup, type CountMethod, type CountResult, type ParsedElection } from './counting/index.ts';
import { RON_NAME, standingCandidates } from './elections.service.ts';
import { electorate, moveHeldBallots } from './voting.service.ts';

export interface DeclaredResult {
  count: CountResult | null;
  unopposed: boolean;
  ballots: number;
  electorate: number;
  /** ballots over eligible voters, percent to one decimal */
  turnout: number;
  winners: { candidateId: string; name: string; votes: string | number; seatId: string; seatLabel: string; startsOn: string; endsOn: string }[];
  /** seats left vacant because RON was elected */
  ronSeats: string[];
  reopenedAs: string | null;
}

/** The election as the counting functions see it. */
export async function parsedElection(db: Db, e: Election): Promise<{ parsed: ParsedElection; candidates: Candidate[] }> {
  const candidates = await standingCandidates(db, e);
  const index = new Map(candidates.map((c, i) => [c.id, i]));
  const rows = await db.electionBallot.findMany({ where: { electionId: e.id }, select: { ranking: true } });
  const groups = new Map<string, BallotGroup>();
  for (const r of rows) {
    const prefs = r.ranking.map((id) => index.get(id)).filter((i): i is number => i !== undefined);
    const key = prefs.join(' ');
    const g = groups.get(key);
    if (g) g.weight++;
    else groups.set(key, { weight: 1, prefs });
  }
  const ballots = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  const names = candidates.map((c) => (c.isRon ? RON_NAME : c.name));
  return { parsed: { candidates: names, seats: e.seatIds.length, withdrawn: [], ballots, title: e.title }, candidates };
}

export async function exportBlt(db: Db, e: Election): Promise<string> {
  const { parsed } = await parsedElection(db, e);
  return toBlt(parsed);
}

/**
 * Closing's secrecy work, before counting: moves the last held ballots into ElectionBallot itself
 * (so counting waits for no mixing job), then rewrites the election's ballots in slot order and
 * its roll in voter-key order, so the physical order of rows no longer follows the order they
 * were cast, and rewrites the tables' files (secrecy.ts).
 */
export async function reorderForSecrecy(db: Db, electionId: string): Promise<void> {
  // voting is closed (the phase is COUNTING): every cast of this election has committed
  await moveHeldBallots(db);
  const done = await db.$transaction(async (tx) => {
    // one instance at a time, and only while the election is being counted
    const counting = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Election" WHERE id = ${electionId} AND phase = 'COUNTING' FOR UPDATE`;
    if (counting.length === 0) return false;
    await tx.$executeRaw`CREATE TEMP TABLE election_ballots_shuffle ON COMMIT DROP AS
      SELECT id, "electionId", slot, ranking FROM "ElectionBallot" WHERE "electionId" = ${electionId}`;
    await tx.$executeRaw`DELETE FROM "ElectionBallot" WHERE "electionId" = ${electionId}`;
    await tx.$executeRaw`INSERT INTO "ElectionBallot" (id, "electionId", slot, ranking)
      SELECT id, "electionId", slot, ranking FROM election_ballots_shuffle ORDER BY slot`;
    await tx.$executeRaw`CREATE TEMP TABLE election_roll_shuffle ON COMMIT DROP AS
      SELECT "electionId", "voterKey" FROM "ElectionRoll" WHERE "electionId" = ${electionId}`;
    await tx.$executeRaw`DELETE FROM "ElectionRoll" WHERE "electionId" = ${electionId}`;
    await tx.$executeRaw`INSERT INTO "ElectionRoll" ("electionId", "voterKey")
      SELECT "electionId", "voterKey" FROM election_roll_shuffle ORDER BY md5("voterKey")`;
    return true;
  });
  if (!done) return;
  // rewrite both tables into new files, so no older row version (with its cast-time xmin) is left
  // in them: a plain VACUUM only frees the space, and the old bytes stay readable in the files
  // (test/secrecy/ballot-files.test.ts). Locks the two tables for the moment it takes.
  await db.$executeRawUnsafe('VACUUM FULL "ElectionBallot", "ElectionRoll"');
}

/** Counts the ballots and works out the winners; the same ballots always give the same answer. */
export async function countBallots(db: Db, e: Election) {
  const { parsed, candidates } = await parsedElection(db, e);
  const count = countElection(parsed, e.method as CountMethod, { seed: e.tieSeed });
  const byName = new Map(candidates.map((c) => [c.isRon ? RON_NAME : c.name, c]));
  const elected = count.elected.map((w) => ({ candidate: byName.get(w.name)!, votes: w.votes }));
  return { count, elected, ballots: parsed.ballots.reduce((a, g) => a + g.weight, 0) };
}

/**
 * Declares the result in one transaction: the phase moves COUNTING → DECLARED only once (a
 * conditional update), winners take the seats for the seats' terms (starting when a current
 * holder's term ends), and seats RON won go to a new election with nominations open again.
 */
export async function declare(
  db: Db,
  e: Election,
  now: Date,
  opts: { unopposed?: Candidate[] } = {},
  /** records the announcement in the declaring transaction: the result and its announcement commit together */
  announce?: (tx: Tx, declared: { election: Election; result: DeclaredResult }) => Promise<void>,
): Promise<{ election: Election; result: DeclaredResult } | null> {
  let count: CountResult | null = null;
  let elected: { candidate: Candidate; votes: string | number }[];
  let ballots = 0;
  if (opts.unopposed) {
    elected = opts.unopposed.map((candidate) => ({ candidate, votes: '-' }));
  } else {
    const counted = await countBallots(db, e);
    count = counted.count;
    elected = counted.elected;
    ballots = counted.ballots;
  }
  const voters = e.electorate ?? (await electorate(db, e)).size;
  const seats = await db.seat.findMany({ where: { id: { in: e.seatIds } } });
  const seatOrder = e.seatIds.map((id) => seats.find((s) => s.id === id)!);
  return db.$transaction(async (tx) => {
    const winners: DeclaredResult['winners'] = [];
    const free = [...seatOrder];
    for (const w of elected.filter((x) => !x.candidate.isRon)) {
      const seat = free.shift()!;
      const current = await tx.seatHolding.findFirst({ where: { seatId: seat.id, endsOn: { gt: now }, startsOn: { lte: now } }, orderBy: { endsOn: 'desc' } });
      const startsOn = current ? current.endsOn : now;
      const endsOn = termEnd(startsOn, seat.termMonths);
      await tx.seatHolding.create({
        data: { seatId: seat.id, personId: w.candidate.personId!, organisationId: w.candidate.organisationId, startsOn, endsOn, filledBy: 'ELECTED' },
      });
      const m = await tx.membership.findUnique({ where: { personId_forumId: { personId: w.candidate.personId!, forumId: e.forumId } } });
      if (m && !m.roles.includes('REPRESENTATIVE')) await tx.membership.update({ where: { id: m.id }, data: { roles: [...m.roles, 'REPRESENTATIVE'] } });
      winners.push({ candidateId: w.candidate.id, name: w.candidate.name, votes: w.votes, seatId: seat.id, seatLabel: seat.label, startsOn: startsOn.toISOString(), endsOn: endsOn.toISOString() });
    }
    let reopenedAs: string | null = null;
    if (free.length) {
      const span = e.nominationsCloseAt.getTime() - e.nominationsOpenAt.getTime();
      const gap = e.votingOpenAt.getTime() - e.nominationsCloseAt.getTime();
      const voting = e.votingCloseAt.getTime() - e.votingOpenAt.getTime();
      const again = await tx.election.create({
        data: {
          forumId: e.forumId,
          partnershipId: e.partnershipId,
          title: `${e.title} (re-opened)`,
          seatIds: free.map((s) => s.id),
          method: free.length > 1 ? e.method : e.method === 'scottish-stv' || e.method === 'meek-stv' || e.method === 'block' ? 'av' : e.method,
          franchise: e.franchise,
          seconderRequired: e.seconderRequired,
          ronCandidate: e.ronCandidate,
          phase: 'NOMINATIONS',
          nominationsOpenAt: now,
          nominationsCloseAt: new Date(now.getTime() + span),
          votingOpenAt: new Date(now.getTime() + span + gap),
          votingCloseAt: new Date(now.getTime() + span + gap + voting),
          tieSeed: `${e.tieSeed}-r`,
          reopenedFromId: e.id,
          createdById: e.createdById,
        },
      });
      if (e.ronCandidate) await tx.candidate.create({ data: { electionId: again.id, name: RON_NAME, isRon: true, accepted: true } });
      reopenedAs = again.id;
    }
    const result: DeclaredResult = {
      count,
      unopposed: !!opts.unopposed,
      ballots,
      electorate: voters,
      turnout: voters ? Math.round((ballots / voters) * 1000) / 10 : 0,
      winners,
      ronSeats: free.map((s) => s.label),
      reopenedAs,
    };
    const done = await tx.election.updateMany({
      where: { id: e.id, phase: opts.unopposed ? 'NOMINATIONS_CLOSED' : 'COUNTING' },
      data: { phase: 'DECLARED', declaredAt: now, electorate: voters, result: result as unknown as Prisma.InputJsonValue },
    });
    if (done.count !== 1) throw new AlreadyDeclared();
    const declared = { election: await tx.election.findUniqueOrThrow({ where: { id: e.id } }), result };
    if (announce) await announce(tx, declared);
    return declared;
  }).catch((err) => {
    if (err instanceof AlreadyDeclared) return null;
    throw err;
  });
}

class AlreadyDeclared extends Error {}
