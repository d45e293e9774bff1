import type { Db, Tx } from '../../db/client.ts';
import type { Membership } from '../../generated/prisma/client.ts';
import { AppError } from '../../core/errors.ts';
import { hasRole } from '../../core/permissions.ts';
import { findPartnership } from '../forums/forums.service.ts';
import { londonDay, londonToInstant } from '../../core/london-time.ts';
import { addDays, DAY_MS, nthWeekdayOf, occurrences, type RepeatRule } from './schedule.ts';

/** Meetings are created this far ahead for a recurring pattern. */
export const SERIES_HORIZON_DAYS = 366;

/** People holding a seat on the partnership at an instant. */
export async function holdersAt(db: Tx, partnershipId: string, at: Date): Promise<string[]> {
  const rows = await db.seatHolding.findMany({
    where: { seat: { partnershipId }, startsOn: { lte: at }, endsOn: { gt: at } },
    select: { personId: true },
  });
  return [...new Set(rows.map((r) => r.personId))];
}

/** Officers may enter any partnership's meetings; a representative those of a partnership they sit on. */
async function checkMayManage(db: Tx, partnershipId: string, personId: string, membership: Membership | null, now: Date) {
  if (hasRole(membership, 'OFFICER')) return;
  if ((await holdersAt(db, partnershipId, now)).includes(personId)) return;
  throw new AppError('reportbacks.meeting.notYours');
}

export interface MeetingInput {
  partnership: string;
  day: string;
  start: string;
  end: string;
  place?: string;
  papers?: string;
}

/** How far back a meeting that already happened may be recorded, to file its report-back. */
export const PAST_MEETING_DAYS = 365;

function times(day: string, start: string, end: string, now: Date, past: 'refuse' | 'up to a year' = 'refuse') {
  const startsAt = londonToInstant(day, start);
  const endsAt = londonToInstant(day, end);
  if (past === 'refuse' && startsAt <= now) throw new AppError('reportbacks.meeting.past', { date: day });
  if (startsAt.getTime() < now.getTime() - PAST_MEETING_DAYS * 86_400_000) throw new AppError('reportbacks.meeting.tooOld', { date: day });
  if (endsAt <= startsAt) throw new AppError('reportbacks.meeting.endBeforeStart', { start, end });
  return { startsAt, endsAt };
}

export async function addMeeting(db: Db, forumId: string, personId: string, membership: Membership | null, input: MeetingInput, now: Date) {
  const partnership = await findPartnership(db, forumId, input.partnership);
  await checkMayManage(db, partnership.id, personId, membership, now);
  // a meeting that already happened (up to a year back) may be recorded, so its report-back can be filed
  const { startsAt, endsAt } = times(input.day, input.start, input.end, now, 'up to a year');
  const clash = await db.meeting.findFirst({ where: { partnershipId: partnership.id, startsAt, cancelled: false } });
  if (clash) throw new AppError('reportbacks.meeting.exists', { partnership: partnership.name });
  const meeting = await db.meeting.create({
    data: { partnershipId: partnership.id, startsAt, endsAt, place: input.place ?? null, papersUrl: input.papers ?? null, createdById: personId },
  });
  return { meeting, partnership };
}

export interface SeriesInput {
  partnership: string;
  rule: RepeatRule;
  from: string;
  until?: string;
  start: string;
  end: string;
  place?: string;
  papers?: string;
}

/** A recurring pattern and its meetings for the next year, in one transaction. */
export async function addSeries(db: Db, forumId: string, personId: string, membership: Membership | null, input: SeriesInput, now: Date) {
  const partnership = await findPartnership(db, forumId, input.partnership);
  await checkMayManage(db, partnership.id, personId, membership, now);
  const today = londonDay(now);
  if (input.from < today) throw new AppError('reportbacks.meeting.past', { date: input.from });
  if (input.until && input.until < input.from) throw new AppError('reportbacks.series.untilBeforeFrom', { from: input.from, until: input.until });
  times(addDays(today, 1), input.start, input.end, now); // end after start
  const derived = nthWeekdayOf(input.from);
  const rule = { repeat: input.rule.repeat, nth: input.rule.nth ?? (derived.nth > 4 ? -1 : derived.nth), weekday: input.rule.weekday ?? derived.weekday };
  return db.$transaction(async (tx) => {
    const series = await tx.meetingSeries.create({
      data: {
        partnershipId: partnership.id, repeat: rule.repeat, nth: rule.nth, weekday: rule.weekday, startTime: input.start, endTime: input.end,
        fromDate: new Date(`${input.from}T00:00:00Z`), untilDate: input.until ? new Date(`${input.until}T00:00:00Z`) : null,
        place: input.place ?? null, papersUrl: input.papers ?? null, createdById: personId,
      },
    });
    await materialise(tx, series, now);
    const meetings = await tx.meeting.findMany({ where: { seriesId: series.id }, orderBy: { startsAt: 'asc' } });
    if (meetings.length === 0) throw new AppError('reportbacks.series.none');
    return { series, meetings, partnership };
  });
}

type Series = Awaited<ReturnType<Db['meetingSeries']['create']>>;

/** Creates the pattern's meetings still to come, up to the horizon; repeated runs add nothing twice. */
async function materialise(tx: Tx, s: Series, now: Date): Promise<number> {
  const from = [londonDay(s.fromDate), addDays(londonDay(now), 0)].sort()[1];
  const horizon = addDays(londonDay(now), SERIES_HORIZON_DAYS);
  const until = s.untilDate && londonDay(s.untilDate) < horizon ? londonDay(s.untilDate) : horizon;
  const days = occurrences({ repeat: s.repeat, nth: s.nth, weekday: s.weekday }, from, until);
  const data = days
    .map((day) => ({ day, startsAt: londonToInstant(day, s.startTime), endsAt: londonToInstant(day, s.endTime) }))
    .filter((m) => m.startsAt > now)
    .map((m) => ({ partnershipId: s.partnershipId, seriesId: s.id, startsAt: m.startsAt, endsAt: m.endsAt, place: s.place, papersUrl: s.papersUrl, createdById: s.createdById }));
  if (!data.length) return 0;
  const r = await tx.meeting.createMany({ data, skipDuplicates: true });
  return r.count;
}

/** The daily top-up of every pattern's meetings. */
export async function extendAllSeries(db: Db, now: Date): Promise<number> {
  const all = await db.meetingSeries.findMany({ where: { OR: [{ untilDate: null }, { untilDate: { gte: new Date(now.getTime() - DAY_MS) } }] } });
  let added = 0;
  for (const s of all) added += await materialise(db, s, now);
  return added;
}

export async function findMeeting(db: Tx, forumId: string, id: string) {
  const m = /^[0-9a-f-]{36}$/i.test(id)
    ? await db.meeting.findFirst({ where: { id, partnership: { forumId } }, include: { partnership: true } })
    : null;
  if (!m) throw new AppError('reportbacks.meeting.notFound');
  return m;
}

export async function cancelMeeting(db: Db, forumId: string, personId: string, membership: Membership | null, id: string, now: Date) {
  const m = await findMeeting(db, forumId, id);
  await checkMayManage(db, m.partnershipId, personId, membership, now);
  if (m.startsAt <= now) throw new AppError('reportbacks.meeting.past', { date: londonDay(m.startsAt) });
  return db.meeting.update({ where: { id: m.id }, data: { cancelled: true }, include: { partnership: true } });
}

export async function upcomingMeetings(db: Tx, forumId: string, now: Date, partnership?: string, take = 15) {
  const p = partnership ? await findPartnership(db, forumId, partnership) : null;
  return db.meeting.findMany({
    where: { partnership: { forumId }, ...(p ? { partnershipId: p.id } : {}), endsAt: { gt: now }, cancelled: false },
    include: { partnership: true },
    orderBy: { startsAt: 'asc' },
    take,
  });
}

/** Every meeting of a forum's partnerships for its calendar feed: a year back and all to come. */
export async function calendarMeetings(db: Tx, slug: string, now: Date) {
  const forum = await db.forum.findUnique({ where: { slug } });
  if (!forum) return null;
  const meetings = await db.meeting.findMany({
    // public: a members-only partnership's meetings stay off the feed, as off the public pages
    where: { partnership: { forumId: forum.id, membersOnly: false }, startsAt: { gte: new Date(now.getTime() - 366 * DAY_MS) } },
    include: { partnership: true },
    orderBy: { startsAt: 'asc' },
  });
  return { forum, meetings };
}
