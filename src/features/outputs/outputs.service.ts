import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import { forumStatistics } from '../breaches/reports.service.ts';
import type { PeriodStatistics } from '../breaches/rules/statistics.ts';

/**
 * The outputs report funders ask for (DOMAIN.md "What funders ask to be counted"), for one
 * financial year: seats filled and how, turnout, report-backs filed on time, issues raised and
 * answered, consultations posted, flagged short and responded to, breach notices by code, outcome
 * and time to resolve (the public statistics, small numbers held back), alerts sent and the
 * interest members marked. Counts only: nobody is named.
 */
export const SEAT_METHODS = ['ELECTED', 'APPOINTED', 'RESERVED', 'INVITED'] as const;
const HOUR = 3_600_000;

export interface Period {
  /** "2026-27": 1 April 2026 to 31 March 2027, London time */
  label: string;
  from: Date;
  /** exclusive */
  to: Date;
}

/** A UK financial year as "2026-27" (also "2026/27", "2026-2027"); null when it is not one. */
export function parsePeriod(text: string): Period | null {
  const m = /^\s*(\d{4})\s*[-/–]\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!m) return null;
  const start = Number(m[1]);
  const end = m[2].length === 2 ? Math.floor(start / 100) * 100 + Number(m[2]) + (Number(m[2]) < start % 100 ? 100 : 0) : Number(m[2]);
  if (end !== start + 1 || start < 2000 || start > 2100) return null;
  // 1 April is always in British Summer Time (it starts on the last Sunday of March): midnight is 23:00 UTC the day before
  return { label: `${start}-${String(end % 100).padStart(2, '0')}`, from: new Date(Date.UTC(start, 3, 1) - HOUR), to: new Date(Date.UTC(end, 3, 1) - HOUR) };
}

/** The financial year a moment falls in. */
export function periodOfDate(at: Date): Period {
  const shifted = new Date(at.getTime() + HOUR);
  const y = shifted.getUTCMonth() >= 3 ? shifted.getUTCFullYear() : shifted.getUTCFullYear() - 1;
  return parsePeriod(`${y}-${y + 1}`)!;
}

export function periodOrThrow(text: string | undefined, now: Date): Period {
  if (!text) return periodOfDate(now);
  const p = parsePeriod(text);
  if (!p) throw new AppError('outputs.badPeriod', { period: text.slice(0, 20) });
  return p;
}

export interface OutputsReport {
  forum: string;
  period: { label: string; from: string; to: string };
  seats: { total: number; heldAtEnd: number; filled: Record<(typeof SEAT_METHODS)[number], number>; filledTotal: number };
  elections: { title: string; declared: string; ballots: number; electorate: number; turnout: number; unopposed: boolean; seats: number }[];
  turnout: { ballots: number; electorate: number; percent: number | null };
  reportbacks: { due: number; onTime: number; late: number; missing: number; notYetDue: number; published: number };
  issues: { raised: number; answered: number; raisedAndAnswered: number };
  consultations: { posted: number; short: number; responded: number; shortResponded: number; breachNotices: number };
  breaches: PeriodStatistics | null;
  alerts: { posted: number; messagesSent: number; interested: number; consortium: number; alertsWithConsortiumInterest: number };
  updates: { posted: number };
}

/**
 * Builds the report. `publicOnly` leaves out partnerships whose record is for members only (the
 * public page); the officers' chat command counts every partnership.
 */
export async function outputsReport(db: Db, forumId: string, period: Period, now: Date, publicOnly: boolean): Promise<OutputsReport> {
  const { from, to } = period;
  const inPeriod = { gte: from, lt: to };
  const partnership = { forumId, ...(publicOnly ? { membersOnly: false } : {}) };
  const end = to < now ? new Date(to.getTime() - 1) : now;
  const [forum, seats, held, filled, elections, requests, raised, answered, raisedAndAnswered, consultations, stats, alerts, deliveries, interests, updates] = await Promise.all([
    db.forum.findUniqueOrThrow({ where: { id: forumId }, select: { name: true } }),
    db.seat.count({ where: { partnership } }),
    db.seat.count({ where: { partnership, holdings: { some: { startsOn: { lte: end }, endsOn: { gt: end }, OR: [{ endedOn: null }, { endedOn: { gt: end } }] } } } }),
    db.seatHolding.groupBy({ by: ['filledBy'], where: { seat: { partnership }, startsOn: inPeriod }, _count: { _all: true } }),
    db.election.findMany({ where: { forumId, phase: 'DECLARED', declaredAt: inPeriod, ...(publicOnly ? { partnershipId: { in: (await db.partnership.findMany({ where: partnership, select: { id: true } })).map((p) => p.id) } } : {}) }, select: { title: true, declaredAt: true, result: true, seatIds: true }, orderBy: { declaredAt: 'asc' } }),
    db.reportbackRequest.findMany({ where: { dueAt: inPeriod, meeting: { partnership } }, select: { dueAt: true, reportback: { select: { publishedAt: true } } } }),
    db.forumIssue.count({ where: { forumId, partnership, createdAt: inPeriod } }),
    db.forumIssue.count({ where: { forumId, partnership, answeredAt: inPeriod } }),
    db.forumIssue.count({ where: { forumId, partnership, createdAt: inPeriod, answeredAt: { not: null, lt: to } } }),
    db.consultation.findMany({ where: { forumId, update: { postedAt: inPeriod } }, select: { shortConsultation: true, respondedAt: true, breachNoticeId: true } }),
    forumStatistics(db, forumId, 'financial-year'),
    db.tenderAlert.findMany({ where: { forumId, createdAt: inPeriod }, select: { id: true } }),
    db.delivery.count({ where: { status: 'SENT', sentAt: inPeriod, broadcast: { forumId, kind: { in: ['tender-alert', 'tender-pipeline', 'tender-digest', 'tender-reminder'] } } } }),
    db.tenderInterest.findMany({ where: { alert: { forumId }, createdAt: inPeriod }, select: { alertId: true, consortium: true } }),
    db.update.count({ where: { forumId, postedAt: inPeriod } }),
  ]);
  const byMethod = Object.fromEntries(SEAT_METHODS.map((m) => [m, filled.find((f) => f.filledBy === m)?._count._all ?? 0])) as OutputsReport['seats']['filled'];
  const rows = elections.map((e) => {
    const r = e.result as { ballots?: number; electorate?: number; turnout?: number; unopposed?: boolean } | null;
    return { title: e.title, declared: e.declaredAt!.toISOString().slice(0, 10), ballots: r?.ballots ?? 0, electorate: r?.electorate ?? 0, turnout: r?.turnout ?? 0, unopposed: r?.unopposed ?? false, seats: e.seatIds.length };
  });
  const contested = rows.filter((e) => !e.unopposed);
  const ballots = contested.reduce((n, e) => n + e.ballots, 0);
  const electorate = contested.reduce((n, e) => n + e.electorate, 0);
  const rb = { due: requests.length, onTime: 0, late: 0, missing: 0, notYetDue: 0, published: 0 };
  for (const q of requests) {
    const at = q.reportback?.publishedAt;
    if (at) rb.published++;
    if (at && at <= q.dueAt) rb.onTime++;
    else if (at) rb.late++;
    else if (q.dueAt < now) rb.missing++;
    else rb.notYetDue++;
  }
  const consortium = interests.filter((i) => i.consortium);
  return {
    forum: forum.name,
    period: { label: period.label, from: new Date(from.getTime() + HOUR).toISOString().slice(0, 10), to: new Date(to.getTime() + HOUR - 86_400_000).toISOString().slice(0, 10) },
    seats: { total: seats, heldAtEnd: held, filled: byMethod, filledTotal: SEAT_METHODS.reduce((n, m) => n + byMethod[m], 0) },
    elections: rows,
    turnout: { ballots, electorate, percent: electorate ? Math.round((ballots / electorate) * 1000) / 10 : null },
    reportbacks: rb,
    issues: { raised, answered, raisedAndAnswered },
    consultations: {
      posted: consultations.length,
      short: consultations.filter((c) => c.shortConsultation).length,
      responded: consultations.filter((c) => c.respondedAt && c.respondedAt < to).length,
      shortResponded: consultations.filter((c) => c.shortConsultation && c.respondedAt && c.respondedAt < to).length,
      breachNotices: consultations.filter((c) => c.shortConsultation && c.breachNoticeId).length,
    },
    breaches: stats.find((p) => p.period === period.label) ?? null,
    alerts: { posted: alerts.length, messagesSent: deliveries, interested: interests.length, consortium: consortium.length, alertsWithConsortiumInterest: new Set(consortium.map((i) => i.alertId)).size },
    updates: { posted: updates },
  };
}

/** The report as flat rows (section, measure, category, value) for CSV; held-back figures are empty. */
export function outputsRows(r: OutputsReport): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [];
  const add = (section: string, measure: string, category: string, value: number | null) => rows.push([r.period.label, section, measure, category, value]);
  add('seats', 'total', 'all', r.seats.total);
  add('seats', 'heldAtEnd', 'all', r.seats.heldAtEnd);
  for (const m of SEAT_METHODS) add('seats', 'filled', m.toLowerCase(), r.seats.filled[m]);
  for (const e of r.elections) {
    add('elections', 'ballots', e.title, e.ballots);
    add('elections', 'electorate', e.title, e.electorate);
    add('elections', 'turnoutPercent', e.title, e.unopposed ? null : e.turnout);
  }
  add('elections', 'turnoutPercent', 'all contested', r.turnout.percent);
  for (const k of ['due', 'onTime', 'late', 'missing', 'notYetDue'] as const) add('reportbacks', k, 'all', r.reportbacks[k]);
  for (const k of ['raised', 'answered', 'raisedAndAnswered'] as const) add('issues', k, 'all', r.issues[k]);
  for (const k of ['posted', 'short', 'responded', 'shortResponded', 'breachNotices'] as const) add('consultations', k, 'all', r.consultations[k]);
  if (r.breaches) {
    add('breaches', 'notices', 'all', r.breaches.total.count);
    for (const c of r.breaches.byCode) add('breaches', 'byCode', c.key, c.count);
    for (const c of r.breaches.byOutcome) add('breaches', 'byOutcome', c.key, c.count);
    add('breaches', 'medianDaysToResolution', 'resolved', r.breaches.medianDaysToResolution.days);
  } else add('breaches', 'notices', 'all', null); // none filed: zero is a small number, held back like any other
  for (const k of ['posted', 'messagesSent', 'interested', 'consortium', 'alertsWithConsortiumInterest'] as const) add('alerts', k, 'all', r.alerts[k]);
  add('updates', 'posted', 'all', r.updates.posted);
  return rows;
}
export const OUTPUT_COLUMNS = ['period', 'section', 'measure', 'category', 'value'];
