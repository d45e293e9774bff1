/**
 * The schedule of elections: one job, every few minutes, moves each due election on a phase
 * (or several, when it was down for a while) and sends the reminders. Every move is a
 * conditional update on the phase and every announcement has a dedupe key, so running it
 * twice, or on two instances, changes and says nothing twice.
 */
import crypto from 'node:crypto';
import type { BotServices } from '../../core/context.ts';
import type { JobDef } from '../../core/feature.ts';
import type { Tx } from '../../db/client.ts';
import { formatDate } from '../../core/i18n.ts';
import type { Election, ElectionPhase, Prisma } from '../../generated/prisma/client.ts';
import { announce, quoteTitle, type Announcement } from './announce.ts';
import { declare, reorderForSecrecy, type DeclaredResult } from './counting.service.ts';
import { standingCandidates } from './elections.service.ts';
import { electorate, moveHeldBallots, peopleYetToVote } from './voting.service.ts';

const DAY = 24 * 3600_000;

async function move(
  services: BotServices,
  e: Election,
  to: ElectionPhase,
  data: Prisma.ElectionUpdateManyMutationInput = {},
  announcement?: (moved: Election) => { a: Announcement; stamp: number },
): Promise<Election | null> {
  // the phase and its announcement commit together: an instance dying between them loses neither
  return services.db.$transaction(async (tx) => {
    const done = await tx.election.updateMany({ where: { id: e.id, phase: e.phase }, data: { ...data, phase: to } });
    if (done.count !== 1) return null;
    const moved = await tx.election.findUniqueOrThrow({ where: { id: e.id } });
    if (announcement) {
      const { a, stamp } = announcement(moved);
      await announce(services, moved, a, stamp, tx);
    }
    return moved;
  });
}

/**
 * The result, and for seats re-opening nominations (RON won them) the new election's call for
 * nominations, recorded in the transaction that declares it.
 */
async function announceDeclared(services: BotServices, declared: { election: Election; result: DeclaredResult }, tx: Tx): Promise<void> {
  await announce(services, declared.election, { kind: 'DECLARED', result: declared.result }, '', tx);
  if (declared.result.reopenedAs) {
    const again = await tx.election.findUniqueOrThrow({ where: { id: declared.result.reopenedAs } });
    const partnership = await tx.partnership.findUniqueOrThrow({ where: { id: again.partnershipId } });
    await announce(services, again, { kind: 'NOMINATIONS', partnership: partnership.name, seats: declared.result.ronSeats }, again.nominationsCloseAt.getTime(), tx);
  }
}

/** Moves one election on as far as the clock allows; answers the election as it now stands. */
export async function advanceElection(services: BotServices, start: Election, now: Date): Promise<Election> {
  try {
    return await advance(services, start, now);
  } finally {
    services.broadcasts.kick(); // announcements recorded in the moves' transactions go out now
  }
}

async function advance(services: BotServices, start: Election, now: Date): Promise<Election> {
  let e: Election | null = start;
  for (let guard = 0; e && guard < 8; guard++) {
    const next = await step(services, e, now);
    if (!next) {
      // nothing to do, or another instance moved it first: read what is there now
      return (await services.db.election.findUniqueOrThrow({ where: { id: start.id } })) ?? e;
    }
    e = next;
  }
  return e ?? start;
}

async function step(services: BotServices, e: Election, now: Date): Promise<Election | null> {
  const { db } = services;
  switch (e.phase) {
    case 'DRAFT': {
      if (now < e.nominationsOpenAt) return null;
      const partnership = await db.partnership.findUniqueOrThrow({ where: { id: e.partnershipId } });
      const seats = await db.seat.findMany({ where: { id: { in: e.seatIds } } });
      return move(services, e, 'NOMINATIONS', {}, (moved) => ({
        a: { kind: 'NOMINATIONS', partnership: partnership.name, seats: seats.map((s) => s.label) },
        stamp: moved.nominationsCloseAt.getTime(),
      }));
    }
    case 'NOMINATIONS': {
      if (now < e.nominationsCloseAt) return null;
      const candidates = await standingCandidates(db, e);
      const real = candidates.filter((c) => !c.isRon);
      if (real.length === 0) {
        // nobody stood: nominations re-open for as long again, and the later dates move with them
        const span = Math.max(e.nominationsCloseAt.getTime() - e.nominationsOpenAt.getTime(), DAY);
        const shift = now.getTime() + span - e.nominationsCloseAt.getTime();
        // the new dates and their announcement commit together
        await db.$transaction(async (tx) => {
          const done = await tx.election.updateMany({
            where: { id: e.id, phase: 'NOMINATIONS', nominationsCloseAt: e.nominationsCloseAt },
            data: {
              nominationsOpenAt: now,
              nominationsCloseAt: new Date(now.getTime() + span),
              votingOpenAt: new Date(e.votingOpenAt.getTime() + shift),
              votingCloseAt: new Date(e.votingCloseAt.getTime() + shift),
            },
          });
          if (done.count !== 1) return;
          const again = await tx.election.findUniqueOrThrow({ where: { id: e.id } });
          await announce(services, again, { kind: 'REOPENED' }, again.nominationsCloseAt.getTime(), tx);
        });
        return null;
      }
      return move(services, e, 'NOMINATIONS_CLOSED', {}, (moved) => ({ a: { kind: 'NOMINATIONS_CLOSED', candidates }, stamp: moved.votingOpenAt.getTime() }));
    }
    case 'NOMINATIONS_CLOSED': {
      if (now < e.votingOpenAt) return null;
      const candidates = await standingCandidates(db, e);
      const real = candidates.filter((c) => !c.isRon);
      if (real.length <= e.seatIds.length && !e.ronCandidate && real.length > 0) {
        await declare(db, e, now, { unopposed: real }, (tx, declared) => announceDeclared(services, declared, tx));
        return null;
      }
      const moved = await move(services, e, 'VOTING', {}, (m) => ({ a: { kind: 'VOTING', candidates }, stamp: m.votingCloseAt.getTime() }));
      // the reminders are sent (or finished) on every later run while voting is open
      if (moved) await remindOpen(services, moved);
      return moved;
    }
    case 'VOTING': {
      if (now < e.votingCloseAt) {
        // an open reminder that failed part-way is finished here
        if (now.getTime() < e.votingCloseAt.getTime() - DAY) await remindOpen(services, e);
        else await remindClosing(services, e);
        return null;
      }
      const voters = (await electorate(db, e)).size;
      return move(services, e, 'COUNTING', { electorate: voters });
    }
    case 'COUNTING': {
      await reorderForSecrecy(db, e.id);
      await declare(db, e, now, {}, (tx, declared) => announceDeclared(services, declared, tx));
      return null;
    }
    default:
      return null;
  }
}

/**
 * Reminders go privately to people who can still cast a vote not yet cast, in 16 fixed groups
 * (by a hash of the person id): each group is its own broadcast with its own dedupe key, so a
 * large electorate is recorded in small transactions, and a group that failed is sent on the
 * next run without repeating the others.
 */
const GROUPS = 16;
const groupOf = (personId: string) => parseInt(crypto.createHash('sha256').update(personId).digest('hex').slice(0, 2), 16) % GROUPS;

async function remind(services: BotServices, e: Election, kind: 'open' | 'closing', stamp: number) {
  const keys = Array.from({ length: GROUPS }, (_, g) => `election:${e.id}:remind-${kind}:${stamp}:${g}`);
  const sent = new Set((await services.db.broadcast.findMany({ where: { dedupeKey: { in: keys } }, select: { dedupeKey: true } })).map((b) => b.dedupeKey));
  if (sent.size === GROUPS) return;
  const people = await peopleYetToVote(services.db, e);
  const key = kind === 'open' ? 'elections.remind.open' : 'elections.remind.closing';
  for (let g = 0; g < GROUPS; g++) {
    if (sent.has(keys[g])) continue;
    const group = people.filter((p) => groupOf(p) === g);
    if (group.length === 0) continue;
    await services.broadcasts.broadcast(
      e.forumId,
      'election-reminder',
      (t, locale) => ({ text: t(key, { title: e.title, closes: formatDate(e.votingCloseAt, locale, true), ref: quoteTitle(e.title) }) }),
      { onlyPeople: group, dedupeKey: keys[g] },
    );
  }
}

/** "Voting is open": privately, to everyone who can cast a vote not yet cast. */
const remindOpen = (services: BotServices, e: Election) => remind(services, e, 'open', e.votingOpenAt.getTime());

/** "Voting closes in 24 hours": only to those who have not voted. */
const remindClosing = (services: BotServices, e: Election) => remind(services, e, 'closing', e.votingCloseAt.getTime());

/** Advances every election with something due. */
export async function advanceDueElections(services: BotServices, now: Date): Promise<number> {
  const due = await services.db.election.findMany({
    where: {
      OR: [
        { phase: 'DRAFT', nominationsOpenAt: { lte: now } },
        { phase: 'NOMINATIONS', nominationsCloseAt: { lte: now } },
        { phase: 'NOMINATIONS_CLOSED', votingOpenAt: { lte: now } },
        { phase: 'VOTING' },
        { phase: 'COUNTING' },
      ],
    },
    orderBy: { createdAt: 'asc' },
  });
  for (const e of due) {
    try {
      await advanceElection(services, e, now);
    } catch (err) {
      services.log.error('election could not advance', { election: e.id, phase: e.phase, error: String((err as Error)?.message ?? err) });
    }
  }
  return due.length;
}

export const electionJobs: JobDef[] = [
  {
    // the mixing job (secrecy.ts): held ballots into the counted table in shuffled batches. Every
    // minute, so a ballot is linkable to its voter through the roll's xmin for at most a minute
    id: 'elections.mix',
    cron: '* * * * *',
    async run(ctx) {
      const moved = await moveHeldBallots(ctx.db);
      if (moved) ctx.log.debug('held ballots moved', { ballots: moved });
    },
  },
  {
    id: 'elections.advance',
    cron: '*/5 * * * *',
    async run(ctx) {
      await advanceDueElections(ctx, ctx.now());
    },
  },
];
