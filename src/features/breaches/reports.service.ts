import type { Db } from '../../db/client.ts';
import { AppError } from '../../core/errors.ts';
import { listCompacts, PARTY_KINDS, DEFAULT_CODES } from './catalogue.service.ts';
import { breachStatistics, type PeriodKind, type PeriodStatistics } from './rules/statistics.ts';
import { londonDay } from '../../core/london-time.ts';
import { assertIsoDate, calendarDaysBetween } from './rules/working-days.ts';

const OUTCOMES = ['resolved', 'unresolved', 'withdrawn', 'open'];
const outcomeOf = (state: string) => (['resolved', 'unresolved', 'withdrawn'].includes(state) ? state : 'open');

/**
 * Public statistics of a forum's notices: by code, kind of body and outcome, with the median
 * days to resolution, per period. Only the code key, the body's kind and the outcome are read,
 * so no body's name can reach the output; small numbers are suppressed by the rules.
 */
export async function forumStatistics(db: Db, forumId: string, period: PeriodKind): Promise<PeriodStatistics[]> {
  const rows = await db.breachNotice.findMany({
    where: { forumId },
    select: { filedOn: true, resolvedOn: true, state: true, code: { select: { key: true } }, party: { select: { kind: true } } },
  });
  const extraCodes = (await db.compactCode.findMany({ where: { compact: { forumId } }, select: { key: true }, distinct: ['key'] })).map((c) => c.key);
  const codes = [...new Set([...DEFAULT_CODES.map((c) => c.key), ...extraCodes])];
  return breachStatistics(
    rows.map((r) => ({ code: r.code.key, bodyKind: r.party.kind, outcome: outcomeOf(r.state), filedOn: r.filedOn, resolvedOn: r.resolvedOn })),
    { period, categories: { codes, bodyKinds: [...PARTY_KINDS], outcomes: OUTCOMES } },
  );
}

/** A consultation as the updates feature knows it. */
export interface ConsultationFacts {
  /** the public body running it, by name (matched against the compact's parties) */
  body: string;
  title: string;
  /** YYYY-MM-DD */
  opensOn: string;
  closesOn: string;
  link?: string;
  /** the consultation as the updates feature stored it: the notice filed from the draft is linked to it */
  consultationId?: string;
}

/** A notice ready for an officer or member to confirm in the filing form. */
export interface NoticeDraft {
  compactId: string;
  partyId?: string;
  codeId: string;
  commitmentId?: string;
  aspect: 'principle';
  happenedOn: string;
  expectedDays: number;
  actualDays: number;
  title: string;
  body: string;
  opensOn: string;
  closesOn: string;
  evidence?: string;
  consultationId?: string;
}

/**
 * Pre-fills a breach notice from a consultation shorter than the compact's standard (12 weeks):
 * the body, the Consultation code and its 12-week commitment, the dates, and expected against
 * actual days. Nothing is filed: the result goes into the form for someone to confirm.
 */
export async function draftNoticeFromConsultation(db: Db, forumId: string, facts: ConsultationFacts, now?: Date): Promise<NoticeDraft> {
  try {
    assertIsoDate(facts.opensOn);
    assertIsoDate(facts.closesOn);
  } catch {
    throw new AppError('breaches.draft.badDates');
  }
  const actualDays = calendarDaysBetween(facts.opensOn, facts.closesOn);
  if (actualDays < 0) throw new AppError('breaches.draft.badDates');
  const compacts = await listCompacts(db, forumId);
  const q = facts.body.trim().toLowerCase();
  const withParty = compacts.find((c) => c.parties.some((p) => p.name.toLowerCase() === q)) ?? compacts.find((c) => c.parties.some((p) => p.name.toLowerCase().includes(q) || q.includes(p.name.toLowerCase())));
  const compact = withParty ?? compacts[0];
  const party = compact.parties.find((p) => p.name.toLowerCase() === q) ?? compact.parties.find((p) => p.name.toLowerCase().includes(q) || q.includes(p.name.toLowerCase()));
  const code = compact.codes.find((c) => c.key === 'consultation-policy') ?? compact.codes.find((c) => c.commitments.some((m) => m.standardDays === 84));
  if (!code) throw new AppError('breaches.draft.noConsultationCode', { compact: compact.name });
  const commitment = code.commitments.find((m) => m.standardDays != null && m.standardDays <= 366) ?? undefined;
  const expectedDays = commitment?.standardDays ?? 84;
  if (actualDays >= expectedDays) throw new AppError('breaches.draft.longEnough', { days: actualDays, expected: expectedDays });
  return {
    compactId: compact.id,
    partyId: party?.id,
    codeId: code.id,
    commitmentId: commitment?.id,
    aspect: 'principle',
    // a consultation announced before it opens broke the standard the day it was announced
    happenedOn: now && facts.opensOn > londonDay(now) ? londonDay(now) : facts.opensOn,
    expectedDays,
    actualDays,
    title: facts.title,
    body: party?.name ?? facts.body,
    opensOn: facts.opensOn,
    closesOn: facts.closesOn,
    evidence: facts.link,
    ...(facts.consultationId ? { consultationId: facts.consultationId } : {}),
  };
}
