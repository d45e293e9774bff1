import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/support/database.ts';
import type { Database } from '../../db/client.ts';
import { searchReportbacks } from './reportbacks.service.ts';

/**
 * Report-back search on its own: two forums, each with a partnership meeting monthly through
 * 2026 and a report-back after each meeting, so order, the page size, the forum boundary and the
 * date bounds can be checked; and the word match is one the searchText index can serve.
 */
let database: Database;
const forums: string[] = [];
const partnerships: string[] = [];
const TOPICS = ['carers transport', 'housing', 'carers funding', 'youth transport'];

beforeAll(async () => {
  database = await testDatabase();
  const db = database.prisma;
  const person = await db.person.create({ data: { displayName: 'Alys' } });
  for (const slug of ['north', 'south']) {
    const forum = await db.forum.create({ data: { slug, name: `${slug} forum`, cvcName: 'CVC' } });
    const partnership = await db.partnership.create({ data: { forumId: forum.id, name: 'Health Board' } });
    forums.push(forum.id);
    partnerships.push(partnership.id);
    for (let month = 0; month < 12; month++) {
      const startsAt = new Date(Date.UTC(2026, month, 10, 14));
      const meeting = await db.meeting.create({ data: { partnershipId: partnership.id, startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000), createdById: person.id } });
      const summary = `${slug} ${month + 1}: the board discussed ${TOPICS[month % TOPICS.length]}.`;
      await db.reportback.create({
        data: { id: crypto.randomUUID(), meetingId: meeting.id, authorId: person.id, summary, decisions: [], issuesForSector: [], searchText: summary, publishedAt: meeting.endsAt, editableUntil: meeting.endsAt },
      });
    }
  }
});
afterAll(async () => database?.close());

const summaries = async (q: Parameters<typeof searchReportbacks>[2], take?: number, forum = 0) =>
  (await searchReportbacks(database.prisma, forums[forum], q, take)).map((r) => r.summary.split(':')[0]);

describe('report-back search', () => {
  it('gives the latest meetings first, a page at a time, from this forum only', async () => {
    expect(await summaries({})).toEqual(['north 12', 'north 11', 'north 10', 'north 9', 'north 8', 'north 7', 'north 6', 'north 5', 'north 4', 'north 3']);
    expect(await summaries({}, 3, 1)).toEqual(['south 12', 'south 11', 'south 10']);
    const found = await searchReportbacks(database.prisma, forums[0], { partnershipId: partnerships[0] }, 1);
    expect(found[0].meeting.partnership.name).toBe('Health Board');
    expect(found[0].author.displayName).toBe('Alys');
    expect(await summaries({ partnershipId: partnerships[1] })).toEqual([]);
  });

  it('matches every word, in any order, with the date bounds inclusive', async () => {
    expect(await summaries({ words: 'transport carers' })).toEqual(['north 9', 'north 5', 'north 1']);
    expect(await summaries({ words: 'TRANSPORT' }, 2)).toEqual(['north 12', 'north 9']);
    expect(await summaries({ words: 'carers', from: '2026-05-10', to: '2026-11-10' })).toEqual(['north 11', 'north 9', 'north 7', 'north 5']);
    expect(await summaries({ words: 'ferries' })).toEqual([]);
    expect(await summaries({ words: "carers' & | !" })).toEqual(['north 11', 'north 9', 'north 7', 'north 5', 'north 3', 'north 1']);
  });

  it('the word match can be served by the searchText index', async () => {
    const db = database.prisma;
    const plan = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN SELECT r.id FROM "Reportback" r WHERE to_tsvector('simple', r."searchText") @@ plainto_tsquery('simple', 'carers')`,
      );
    });
    expect(plan.map((l) => l['QUERY PLAN']).join('\n')).toMatch(/Reportback_searchText_words_idx/);
  });
});
