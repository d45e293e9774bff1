/**
 * The schedule of elections: one job, every few minutes, moves each due election on a phase
 * (or several, when it was down for a while) and sends the reminders. Every move is a
 * conditional update on the phase and every announcement has a dedupe key, so running it
 * twice, or on two instances, changes and says nothing twice.
 */
import type { BotServices } from '../../core/context.ts';
import type { JobDef } from '../../core/feature.ts';
import { formatDate } from '../../core/i18n.ts';
import type { Election, ElectionPhase, Prisma } from '../../generated/prisma/client.ts';
import { announce, quoteTitle } from './announce.ts';
import { declare, reorderForSecrecy } from './counting.service.ts';
import { standingCandidates } from './elections.service.ts';
import { electorate, peopleYetToVote } from './voting.service.ts';

const DAY = 24 * 3600_000;

async function move(services: BotServices, e: Election, to: ElectionPhase, data: Prisma.ElectionUpdateManyMutationInput = {}): Promise<Election | null> {
  const done = await services.db.election.updateMany({ where: { id: e.id, phase: e.phase }, data: { ...data, phase: to } });
  if (done.count !== 1) return null;
  return services.db.election.findUniqueOrThrow({ where: { id: e.id } });
}

/** Moves one election on as far as the clock allows; answers the election as it now stands. */
export async function advanceElection(services: BotServices, start: Election, now: Date): Promise<Election> {
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
      const moved = await move(services, e, 'NOMINATIONS');
      if (moved) {
        const partnership = await db.partnership.findUniqueOrThrow({ where: { id: e.partnershipId } });
        const seats = await db.seat.findMany({ where: { id: { in: e.seatIds } } });
        await announce(services, moved, { kind: 'NOMINATIONS', partnership: partnership.name, seats: seats.map((s) => s.label) }, moved.nominationsCloseAt.getTime());
      }
      return moved;
    }
    case 'NOMINATIONS': {
      if (now < e.nominationsCloseAt) return null;
      const candidates = await standingCandidates(db, e);
      const real = candidates.filter((c) => !c.isRon);
      if (real.length === 0) {
        // nobody stood: nominations re-open for as long again, and the later dates move with them
        const span = Math.max(e.nominationsCloseAt.getTime() - e.nominationsOpenAt.getTime(), DAY);
        const shift = now.getTime() + span - e.nominationsCloseAt.getTime();
        const done = await db.election.updateMany({
          where: { id: e.id, phase: 'NOMINATIONS', nominationsCloseAt: e.nominationsCloseAt },
          data: {
            nominationsOpenAt: now,
            nominationsCloseAt: new Date(now.getTime() + span),
            votingOpenAt: new Date(e.votingOpenAt.getTime() + shift),
            votingCloseAt: new Date(e.votingCloseAt.getTime() + shift),
          },
        });
        if (done.count !== 1) return null;
        const again = await db.election.findUniqueOrThrow({ where: { id: e.id } });
        await announce(services, again, { kind: 'REOPENED' }, again.nominationsCloseAt.getTime());
        return null;
      }
      const moved = await move(services, e, 'NOMINATIONS_CLOSED');
      if (moved) await announce(services, moved, { kind: 'NOMINATIONS_CLOSED', candidates }, moved.votingOpenAt.getTime());
      return moved;
    }
    case 'NOMINATIONS_CLOSED': {
      if (now < e.votingOpenAt) return null;
      const candidates = await standingCandidates(db, e);
      const real = candidates.filter((c) => !c.isRon);
      if (real.length <= e.seatIds.length && !e.ronCandidate && real.length > 0) {
        const declared = await declare(db, e, now, { unopposed: real });
        if (declared) await announce(services, declared.election, { kind: 'DECLARED', result: declared.result });
        return null;
      }
      const moved = await move(services, e, 'VOTING');
      if (moved) {
        await announce(services, moved, { kind: 'VOTING', candidates }, moved.votingCloseAt.getTime());
        await remindOpen(services, moved);
      }
      return moved;
    }
    case 'VOTING': {
      if (now < e.votingCloseAt) {
        if (now.getTime() >= e.votingCloseAt.getTime() - DAY) await remindClosing(services, e);
        return null;
      }
      const voters = (await electorate(db, e)).size;
      return move(services, e, 'COUNTING', { electorate: voters });
    }
    case 'COUNTING': {
      await reorderForSecrecy(db, e.id);
      const declared = await declare(db, e, now);
      if (declared) {
        await announce(services, declared.election, { kind: 'DECLARED', result: declared.result });
        if (declared.result.reopenedAs) {
          const again = await db.election.findUniqueOrThrow({ where: { id: declared.result.reopenedAs } });
          const partnership = await db.partnership.findUniqueOrThrow({ where: { id: again.partnershipId } });
          await announce(services, again, { kind: 'NOMINATIONS', partnership: partnership.name, seats: declared.result.ronSeats }, again.nominationsCloseAt.getTime());
        }
      }
      return null;
    }
    default:
      return null;
  }
}

/** "Voting is open": privately, to everyone who can cast a vote not yet cast. */
async function remindOpen(services: BotServices, e: Election) {
  const people = await peopleYetToVote(services.db, e);
  if (people.length === 0) return;
  await services.broadcasts.broadcast(
    e.forumId,
    'election-reminder',
    (t, locale) => ({ text: t('elections.remind.open', { title: e.title, closes: formatDate(e.votingCloseAt, locale, true), ref: quoteTitle(e.title) }) }),
    { onlyPeople: people, dedupeKey: `election:${e.id}:remind-open:${e.votingOpenAt.getTime()}` },
  );
}

/** "Voting closes in 24 hours": only to those who have not voted. */
async function remindClosing(services: BotServices, e: Election) {
  const key = `election:${e.id}:remind-24h:${e.votingCloseAt.getTime()}`;
  if (await services.db.broadcast.findUnique({ where: { dedupeKey: key } })) return;
  const people = await peopleYetToVote(services.db, e);
  if (people.length === 0) return;
  await services.broadcasts.broadcast(
    e.forumId,
    'election-reminder',
    (t, locale) => ({ text: t('elections.remind.closing', { title: e.title, closes: formatDate(e.votingCloseAt, locale, true), ref: quoteTitle(e.title) }) }),
    { onlyPeople: people, dedupeKey: key },
  );
}

/** Advances every election with something due. */
export async function advanceDueElections(services: BotServices, now: Date): Promise<number> {
  const due = await services.db.election.findMany({
    where: {
      OR: [
        { phase: 'DRAFT', nominationsOpenAt: { lte: now } },
        { phase: 'NOMINATIONS', nominationsCloseAt: { lte: now } },
        { phase: 'NOMINATIONS_CLOSED', votingOpenAt: { lte: now } },
        { phase: 'VOTING', votingCloseAt: { lte: new Date(now.getTime() + DAY) } },
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
    id: 'elections.advance',
    cron: '*/5 * * * *',
    async run(ctx) {
      await advanceDueElections(ctx, ctx.now());
    },
  },
];
