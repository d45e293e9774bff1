/**
 * Builds a forum with many members and an election in its voting phase straight through the
 * database and the services: for the concurrency test and the benchmark.
 */
import crypto from 'node:crypto';
import type { BotServices } from '../../core/context.ts';
import type { Db } from '../../db/client.ts';
import { advanceElection } from './elections.jobs.ts';
import { createElection, nominate } from './elections.service.ts';

const DAY = 24 * 3600_000;

export async function seedVotingElection(services: BotServices, db: Db, voters: number, now: Date) {
  const forum = await db.forum.create({ data: { slug: `load-${crypto.randomBytes(4).toString('hex')}`, name: 'Load Forum', cvcName: 'CVC', franchise: 'INDIVIDUAL' } });
  const people = Array.from({ length: voters + 1 }, (_, i) => ({ id: crypto.randomUUID(), name: i === 0 ? 'Officer' : `Member ${i}`, user: i === 0 ? 'load-officer' : `load-${i}` }));
  for (let i = 0; i < people.length; i += 500) {
    const chunk = people.slice(i, i + 500);
    await db.person.createMany({ data: chunk.map((p) => ({ id: p.id, displayName: p.name, currentForumId: forum.id })) });
    await db.account.createMany({ data: chunk.map((p) => ({ platform: 'web', platformUserId: p.user, displayName: p.name, dmRef: `web:${p.user}`, personId: p.id })) });
    await db.membership.createMany({
      data: chunk.map((p, j) => ({ personId: p.id, forumId: forum.id, status: 'ACTIVE' as const, roles: i + j === 0 ? ['MEMBER' as const, 'OFFICER' as const, 'RETURNING_OFFICER' as const] : ['MEMBER' as const] })),
    });
  }
  const partnership = await db.partnership.create({ data: { forumId: forum.id, name: 'Board' } });
  for (const label of ['Seat 1', 'Seat 2', 'Seat 3']) await db.seat.create({ data: { partnershipId: partnership.id, label } });
  const { election } = await createElection(
    db, forum.id, people[0].id,
    { title: 'Load', partnership: 'Board', start: now, nominationDays: 1, gapDays: 0, votingDays: 1, seconderRequired: false, ron: true },
    now,
  );
  const open = await advanceElection(services, election, now);
  for (let i = 1; i <= 5; i++) await nominate(db, open, people[i].id, undefined, `Statement ${i}`, now);
  const voting = await advanceElection(services, open, new Date(now.getTime() + DAY + 1000));
  if (voting.phase !== 'VOTING') throw new Error(`election is ${voting.phase}`);
  const candidates = await db.candidate.findMany({ where: { electionId: voting.id }, orderBy: { name: 'asc' } });
  return { forum, election: voting, people: people.slice(1), candidateIds: candidates.map((c) => c.id), votingAt: new Date(now.getTime() + DAY + 60_000) };
}
