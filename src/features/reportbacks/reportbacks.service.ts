import type { Db, Tx } from '../../db/client.ts';
import { Prisma, type ForumIssue, type IssueBacking, type Reportback } from '../../generated/prisma/client.ts';
import { AppError } from '../../core/errors.ts';
import { parseActions, lines, type ActionProblem } from './actions.ts';
import { findMeeting, holdersAt } from './meetings.service.ts';
import { londonDay, londonDayStart } from '../../core/london-time.ts';
import { addDays, DAY_MS, reportDueAt } from './schedule.ts';

export const SUMMARY_MAX = 1200;
export const EDIT_WINDOW_MS = 48 * 60 * 60 * 1000;
/** Slots in the report-back form for responses to open issues. */
export const RESPONSE_SLOTS = 10;

export async function dueDays(db: Tx, forumId: string): Promise<number> {
  return (await db.reportbackSettings.findUnique({ where: { forumId } }))?.dueDays ?? 10;
}

export async function setDueDays(db: Tx, forumId: string, days: number) {
  return db.reportbackSettings.upsert({ where: { forumId }, create: { forumId, dueDays: days }, update: { dueDays: days } });
}

/** Bad input in a report-back: every problem at once, in the user's language. */
export class ReportProblems extends AppError {
  constructor(readonly problems: ActionProblem[]) {
    super('reportbacks.report.problems');
  }
}

/** The open issues of a partnership, oldest first (the order of the form's response slots). */
export async function openIssues(db: Tx, partnershipId: string, take = 50) {
  return db.forumIssue.findMany({
    where: { partnershipId, status: 'OPEN' },
    include: { _count: { select: { backings: true } } },
    orderBy: { createdAt: 'asc' },
    take,
  });
}

/**
 * Creates the report-back requests of meetings that have ended, for the seat holders at the
 * meeting (the unique (meeting, person) makes a second run create nothing), and answers the
 * requests not yet prompted, by meeting. A few queries whatever the number of meetings.
 */
export async function createDueRequests(db: Db, now: Date, lookbackDays = 14) {
  const meetings = await db.meeting.findMany({
    where: { cancelled: false, endsAt: { lte: now, gt: new Date(now.getTime() - lookbackDays * DAY_MS) } },
    include: { partnership: true, reportbacks: { select: { id: true, joint: true, authorId: true } } },
  });
  if (!meetings.length) return [];
  const holdings = await db.seatHolding.findMany({
    where: { seat: { partnershipId: { in: [...new Set(meetings.map((m) => m.partnershipId))] } } },
    select: { personId: true, startsOn: true, endsOn: true, seat: { select: { partnershipId: true } } },
  });
  const settings = new Map((await db.reportbackSettings.findMany({ where: { forumId: { in: meetings.map((m) => m.partnership.forumId) } } })).map((x) => [x.forumId, x.dueDays]));
  const rows = meetings.flatMap((m) => {
    const holders = new Set(holdings.filter((h) => h.seat.partnershipId === m.partnershipId && h.startsOn <= m.startsAt && h.endsOn > m.startsAt).map((h) => h.personId));
    const dueAt = reportDueAt(m.startsAt, settings.get(m.partnership.forumId) ?? 10);
    const joint = m.reportbacks.find((r) => r.joint);
    return [...holders].map((personId) => {
      // someone who already filed, or is covered by a joint report, is not asked
      const covered = m.reportbacks.find((r) => r.authorId === personId) ?? joint;
      return { meetingId: m.id, personId, dueAt, reportbackId: covered?.id ?? null, promptedAt: covered ? now : null };
    });
  });
  if (rows.length) await db.reportbackRequest.createMany({ data: rows, skipDuplicates: true });
  const waiting = await db.reportbackRequest.findMany({
    where: { meetingId: { in: meetings.map((m) => m.id) }, promptedAt: null, reportbackId: null },
    orderBy: { personId: 'asc' },
  });
  return meetings.flatMap((meeting) => {
    const mine = waiting.filter((r) => r.meetingId === meeting.id);
    return mine.length ? [{ meeting, requests: mine }] : [];
  });
}

export async function markPrompted(db: Db, requestIds: string[], now: Date) {
  await db.reportbackRequest.updateMany({ where: { id: { in: requestIds }, promptedAt: null }, data: { promptedAt: now } });
}

/** Open requests whose reminder day has come: three days before the due day, and the due day. */
export async function requestsToRemind(db: Db, now: Date) {
  const open = await db.reportbackRequest.findMany({
    where: { reportbackId: null, dueAt: { gt: now, lte: new Date(now.getTime() + 4 * DAY_MS) }, meeting: { cancelled: false } },
    include: { meeting: { include: { partnership: true } } },
  });
  const today = londonDay(now);
  return open.flatMap((r): { request: (typeof open)[number]; kind: 'due' | 'soon'; dueDay: string }[] => {
    const dueDay = londonDay(new Date(r.dueAt.getTime() - 1));
    if (today === dueDay) return [{ request: r, kind: 'due', dueDay }];
    if (today >= addDays(dueDay, -3) && today < dueDay) return [{ request: r, kind: 'soon', dueDay }];
    return [];
  });
}

export async function overdueRequests(db: Tx, forumId: string, now: Date) {
  return db.reportbackRequest.findMany({
    where: { reportbackId: null, dueAt: { lte: now }, meeting: { cancelled: false, partnership: { forumId } } },
    include: { person: true, meeting: { include: { partnership: true } } },
    orderBy: { dueAt: 'asc' },
  });
}

/** The meeting a person is to report on: the one named, or their oldest open request's. */
export async function meetingToReport(db: Tx, forumId: string, personId: string, meetingId: string | undefined, partnershipName: string | undefined, now: Date) {
  if (meetingId) return findMeeting(db, forumId, meetingId);
  const open = await db.reportbackRequest.findFirst({
    where: {
      personId, reportbackId: null,
      meeting: { partnership: { forumId, ...(partnershipName ? { name: { contains: partnershipName.trim(), mode: 'insensitive' } } : {}) } },
    },
    include: { meeting: { include: { partnership: true } } },
    orderBy: { dueAt: 'asc' },
  });
  if (open) return open.meeting;
  if (partnershipName) {
    const last = await db.meeting.findFirst({
      where: { partnership: { forumId, name: { contains: partnershipName.trim(), mode: 'insensitive' } }, startsAt: { lte: now }, cancelled: false },
      include: { partnership: true },
      orderBy: { startsAt: 'desc' },
    });
    if (last) return last;
    const partnership = await db.partnership.findFirst({ where: { forumId, name: { contains: partnershipName.trim(), mode: 'insensitive' } } });
    if (partnership) throw new AppError('reportbacks.report.noMeeting', { partnership: partnership.name });
  }
  throw new AppError('reportbacks.report.nothingDue');
}

/** A seat holder at the meeting, or someone the bot asked, may file; nobody files twice. */
export async function checkMayFile(db: Tx, meeting: { id: string; partnershipId: string; startsAt: Date }, personId: string, now: Date) {
  if (meeting.startsAt > now) throw new AppError('reportbacks.report.notYet');
  const request = await db.reportbackRequest.findUnique({ where: { meetingId_personId: { meetingId: meeting.id, personId } } });
  const holders = await holdersAt(db, meeting.partnershipId, meeting.startsAt);
  if (!request && !holders.includes(personId)) throw new AppError('reportbacks.report.notYours');
  if (request?.reportbackId) throw new AppError('reportbacks.report.already');
  return holders;
}

/** The words a search looks in: the report's text and its actions. */
function searchTextOf(r: { summary: string; decisions: string[]; issuesForSector: string[]; interests: string | null }, actions: { what: string; who: string }[]): string {
  return [r.summary, ...r.decisions, ...r.issuesForSector, r.interests ?? '', ...actions.map((a) => `${a.what} ${a.who}`)].join('\n');
}

export interface ReportInput {
  summary: string;
  decisions?: string;
  actions?: string;
  sector?: string;
  interests?: string;
  papers?: string;
  joint: boolean;
  /** issue id → response */
  responses: { issueId: string; text: string }[];
}

async function resolveOwners(db: Tx, forumId: string, names: string[]) {
  const members = await db.membership.findMany({ where: { forumId, status: 'ACTIVE' }, include: { person: true } });
  return names.map((n) => {
    const hits = members.filter((m) => m.person.displayName.toLowerCase() === n.trim().toLowerCase());
    return hits.length === 1 ? hits[0].personId : null;
  });
}

/**
 * Files a report-back: stored with its actions, the requests it fulfils (every representative's
 * for a joint report) and the responses it records, all in one transaction. Answers what to
 * publish and whom to tell.
 */
export async function fileReportback(db: Db, forumId: string, personId: string, meetingId: string, input: ReportInput, now: Date, announce?: (tx: Tx, filed: Filed) => Promise<void>) {
  const meeting = await findMeeting(db, forumId, meetingId);
  const holders = await checkMayFile(db, meeting, personId, now);
  const parsed = parseActions(input.actions, londonDay(meeting.startsAt));
  if (parsed.problems.length) throw new ReportProblems(parsed.problems);
  const owners = await resolveOwners(db, forumId, parsed.actions.map((a) => a.who));
  const dueAt = reportDueAt(meeting.startsAt, await dueDays(db, forumId));
  const result = await db.$transaction(async (tx) => {
    const text = { summary: input.summary.trim(), decisions: lines(input.decisions), issuesForSector: lines(input.sector), interests: input.interests?.trim() || null };
    const report = await tx.reportback.create({
      data: {
        meetingId: meeting.id, authorId: personId, joint: input.joint, ...text, searchText: searchTextOf(text, parsed.actions),
        papersUrl: input.papers || meeting.papersUrl, publishedAt: now, editableUntil: new Date(now.getTime() + EDIT_WINDOW_MS),
      },
    });
    await tx.reportbackAction.createMany({
      data: parsed.actions.map((a, i) => ({ reportbackId: report.id, what: a.what, ownerName: a.who, ownerId: owners[i], dueOn: new Date(`${a.dueOn}T00:00:00Z`), position: i })),
    });
    const covered = input.joint ? [...new Set([personId, ...holders])] : [personId];
    for (const p of covered) {
      // a request already fulfilled by someone else's report stays with that one
      await tx.reportbackRequest.upsert({
        where: { meetingId_personId: { meetingId: meeting.id, personId: p } },
        create: { meetingId: meeting.id, personId: p, dueAt, reportbackId: report.id },
        update: {},
      });
      await tx.reportbackRequest.updateMany({ where: { meetingId: meeting.id, personId: p, reportbackId: null }, data: { reportbackId: report.id } });
    }
    const answered: string[] = [];
    for (const r of input.responses) {
      const done = await tx.forumIssue.updateMany({
        where: { id: r.issueId, partnershipId: meeting.partnershipId, status: 'OPEN' },
        data: { status: 'ANSWERED', response: r.text.trim(), reportbackId: report.id, answeredAt: now },
      });
      if (done.count) answered.push(r.issueId);
    }
    const issues = await tx.forumIssue.findMany({ where: { id: { in: answered } }, include: { backings: true } });
    const filed: Filed = { report, meeting, issues, actions: parsed.actions.length };
    // the publication and its announcements commit together: a crash between them loses neither
    if (announce) await announce(tx, filed);
    return filed;
  });
  return result;
}

/** A report-back just filed: what to publish and whom to tell. */
export interface Filed {
  report: Reportback;
  meeting: Awaited<ReturnType<typeof findMeeting>>;
  issues: (ForumIssue & { backings: IssueBacking[] })[];
  /** how many actions it records */
  actions: number;
}

export async function reportbackDetail(db: Tx, forumId: string, id: string) {
  const r = /^[0-9a-f-]{36}$/i.test(id)
    ? await db.reportback.findFirst({
        where: { id, meeting: { partnership: { forumId } } },
        include: {
          author: true,
          meeting: { include: { partnership: true } },
          actions: { orderBy: { position: 'asc' } },
          responses: { orderBy: { number: 'asc' } },
          requests: { include: { person: true } },
          edits: { orderBy: { editedAt: 'asc' } },
        },
      })
    : null;
  if (!r) throw new AppError('reportbacks.report.notFound');
  return r;
}

/** Edits by the author within 48 hours; the text before the edit is kept. */
export async function editReportback(db: Db, forumId: string, personId: string, id: string, input: Omit<ReportInput, 'joint' | 'responses'>, now: Date) {
  const r = await reportbackDetail(db, forumId, id);
  if (r.authorId !== personId) throw new AppError('reportbacks.edit.notAuthor');
  if (now > r.editableUntil) throw new AppError('reportbacks.edit.closed');
  const parsed = input.actions === undefined ? null : parseActions(input.actions, londonDay(r.meeting.startsAt));
  if (parsed?.problems.length) throw new ReportProblems(parsed.problems);
  const owners = parsed ? await resolveOwners(db, forumId, parsed.actions.map((a) => a.who)) : [];
  const previous = {
    summary: r.summary, decisions: r.decisions, issuesForSector: r.issuesForSector, interests: r.interests, papersUrl: r.papersUrl,
    actions: r.actions.map((a) => ({ what: a.what, who: a.ownerName, dueOn: a.dueOn.toISOString().slice(0, 10) })),
  };
  return db.$transaction(async (tx) => {
    await tx.reportbackEdit.create({ data: { reportbackId: r.id, editorId: personId, editedAt: now, previous } });
    if (parsed) {
      await tx.reportbackAction.deleteMany({ where: { reportbackId: r.id } });
      await tx.reportbackAction.createMany({
        data: parsed.actions.map((a, i) => ({ reportbackId: r.id, what: a.what, ownerName: a.who, ownerId: owners[i], dueOn: new Date(`${a.dueOn}T00:00:00Z`), position: i })),
      });
    }
    const text = {
      summary: input.summary.trim(),
      decisions: input.decisions !== undefined ? lines(input.decisions) : r.decisions,
      issuesForSector: input.sector !== undefined ? lines(input.sector) : r.issuesForSector,
      interests: input.interests !== undefined ? input.interests.trim() || null : r.interests,
    };
    const actions = parsed ? parsed.actions : r.actions.map((a) => ({ what: a.what, who: a.ownerName }));
    return tx.reportback.update({
      where: { id: r.id },
      data: { ...text, searchText: searchTextOf(text, actions), ...(input.papers !== undefined ? { papersUrl: input.papers || null } : {}) },
    });
  });
}

/**
 * Report-backs by partnership, meeting dates and words (all of them, in any field), the latest
 * meetings first. The page's ids come from one query, then only those report-backs are loaded.
 * The words are looked up first, through the searchText index, whatever the planner's statistics
 * say: reading every report's text to match them (as it may choose when the tables have not been
 * analysed) costs a tenth of a millisecond a report.
 */
export async function searchReportbacks(db: Tx, forumId: string, q: { partnershipId?: string; from?: string; to?: string; words?: string }, take = 10) {
  const words = q.words?.trim();
  const where = [Prisma.sql`p."forumId" = ${forumId}`];
  if (q.partnershipId) where.push(Prisma.sql`m."partnershipId" = ${q.partnershipId}`);
  if (q.from) where.push(Prisma.sql`m."startsAt" >= ${londonDayStart(q.from)}`);
  if (q.to) where.push(Prisma.sql`m."startsAt" < ${londonDayStart(addDays(q.to, 1))}`);
  const page = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
    ${words ? Prisma.sql`WITH hits AS MATERIALIZED (SELECT id FROM "Reportback" WHERE to_tsvector('simple', "searchText") @@ plainto_tsquery('simple', ${words}))` : Prisma.empty}
    SELECT r.id FROM "Reportback" r
    ${words ? Prisma.sql`JOIN hits ON hits.id = r.id` : Prisma.empty}
    JOIN "Meeting" m ON m.id = r."meetingId" JOIN "Partnership" p ON p.id = m."partnershipId"
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY m."startsAt" DESC, r."publishedAt" DESC, r.id
    LIMIT ${take}`);
  if (!page.length) return [];
  const found = await db.reportback.findMany({ where: { id: { in: page.map((r) => r.id) } }, include: { meeting: { include: { partnership: true } }, author: true } });
  const at = new Map(page.map((r, i) => [r.id, i]));
  return found.sort((a, b) => at.get(a.id)! - at.get(b.id)!);
}

// ---- issues for the next meeting ----

export async function raiseIssue(db: Db, forumId: string, partnershipId: string, personId: string, organisationId: string | null, text: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const last = await tx.forumIssue.findFirst({ where: { forumId }, orderBy: { number: 'desc' }, select: { number: true } });
        return tx.forumIssue.create({
          data: { forumId, number: (last?.number ?? 0) + 1, partnershipId, raisedById: personId, organisationId, text: text.trim() },
          include: { partnership: true },
        });
      });
    } catch (err) {
      // two issues raised at once took the same number: try the next one
      if ((err as { code?: string }).code === 'P2002' && attempt < 5) continue;
      throw err;
    }
  }
}

export async function findIssue(db: Tx, forumId: string, ref: string) {
  const n = Number(String(ref).replace(/^#/, ''));
  const issue = Number.isInteger(n) && n > 0
    ? await db.forumIssue.findUnique({ where: { forumId_number: { forumId, number: n } }, include: { partnership: true } })
    : /^[0-9a-f-]{36}$/i.test(ref) ? await db.forumIssue.findFirst({ where: { id: ref, forumId }, include: { partnership: true } }) : null;
  if (!issue) throw new AppError('reportbacks.issue.notFound', { ref });
  return issue;
}

export async function backIssue(db: Db, forumId: string, personId: string, ref: string) {
  const issue = await findIssue(db, forumId, ref);
  if (issue.status !== 'OPEN') throw new AppError('reportbacks.issue.closed', { number: issue.number });
  if (issue.raisedById === personId) throw new AppError('reportbacks.issue.own', { number: issue.number });
  const r = await db.issueBacking.createMany({ data: [{ issueId: issue.id, personId }], skipDuplicates: true });
  if (r.count === 0) throw new AppError('reportbacks.issue.alreadyBacked', { number: issue.number });
  const backers = await db.issueBacking.count({ where: { issueId: issue.id } });
  return { issue, backers };
}

/** Meetings starting within two days whose representatives have not had the caucus prompt. */
export async function meetingsForCaucus(db: Db, now: Date) {
  return db.meeting.findMany({
    where: { cancelled: false, startsAt: { gt: now, lte: new Date(now.getTime() + 2 * DAY_MS) } },
    include: { partnership: true },
  });
}

// ---- actions ----

export async function actionsToRemind(db: Db, now: Date, daysBefore = 3) {
  const today = londonDay(now);
  return db.reportbackAction.findMany({
    where: {
      doneAt: null, ownerId: { not: null },
      dueOn: { gte: new Date(`${today}T00:00:00Z`), lte: new Date(`${addDays(today, daysBefore)}T00:00:00Z`) },
    },
    include: { reportback: { include: { meeting: { include: { partnership: true } } } } },
  });
}

export async function actionList(db: Tx, forumId: string, partnershipId: string, includeDone = false) {
  return db.reportbackAction.findMany({
    where: { reportback: { meeting: { partnershipId, partnership: { forumId } } }, ...(includeDone ? {} : { doneAt: null }) },
    include: { reportback: { include: { meeting: true } } },
    orderBy: [{ dueOn: 'asc' }, { position: 'asc' }],
    take: 50,
  });
}

export async function markActionDone(db: Db, forumId: string, personId: string, isOfficer: boolean, id: string, now: Date) {
  const a = /^[0-9a-f-]{36}$/i.test(id)
    ? await db.reportbackAction.findFirst({ where: { id, reportback: { meeting: { partnership: { forumId } } } }, include: { reportback: true } })
    : null;
  if (!a) throw new AppError('reportbacks.action.notFound');
  if (!isOfficer && a.ownerId !== personId && a.reportback.authorId !== personId) throw new AppError('reportbacks.action.notYours');
  if (a.doneAt) return a;
  return db.reportbackAction.update({ where: { id: a.id }, data: { doneAt: now }, include: { reportback: true } });
}

/** Two person records became one: their requests, report-backs, actions, issues and backings move. */
export async function mergeReportbackPerson(tx: Tx, from: string, to: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM "ReportbackRequest" a USING "ReportbackRequest" b
    WHERE a."personId" = ${from} AND b."personId" = ${to} AND a."meetingId" = b."meetingId"`;
  await tx.$executeRaw`UPDATE "ReportbackRequest" SET "personId" = ${to} WHERE "personId" = ${from}`;
  await tx.$executeRaw`UPDATE "Reportback" SET "authorId" = ${to} WHERE "authorId" = ${from}`;
  await tx.$executeRaw`UPDATE "ReportbackEdit" SET "editorId" = ${to} WHERE "editorId" = ${from}`;
  await tx.$executeRaw`UPDATE "ReportbackAction" SET "ownerId" = ${to} WHERE "ownerId" = ${from}`;
  await tx.$executeRaw`UPDATE "Meeting" SET "createdById" = ${to} WHERE "createdById" = ${from}`;
  await tx.$executeRaw`UPDATE "MeetingSeries" SET "createdById" = ${to} WHERE "createdById" = ${from}`;
  await tx.$executeRaw`UPDATE "ForumIssue" SET "raisedById" = ${to} WHERE "raisedById" = ${from}`;
  await tx.$executeRaw`DELETE FROM "IssueBacking" a USING "IssueBacking" b
    WHERE a."personId" = ${from} AND b."personId" = ${to} AND a."issueId" = b."issueId"`;
  await tx.$executeRaw`UPDATE "IssueBacking" SET "personId" = ${to} WHERE "personId" = ${from}`;
  // backing one's own issue means nothing
  await tx.$executeRaw`DELETE FROM "IssueBacking" b USING "ForumIssue" i WHERE b."issueId" = i.id AND b."personId" = ${to} AND i."raisedById" = ${to}`;
}
