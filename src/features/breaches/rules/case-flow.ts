/**
 * The compact breach case state machine and its deadlines.
 *
 * filed → acknowledged → liaison (discussed at the compact liaison group) → resolved;
 * acknowledged | liaison → mediation → resolved | unresolved;
 * liaison | mediation | unresolved → escalated → resolved | unresolved;
 * any open state → withdrawn.
 *
 * `unresolved` is an outcome, not an open state: nothing is due and it cannot be
 * withdrawn, but it can still be escalated (e.g. to the Third Sector Partnership
 * Council) — so an escalated case that ends unresolved may be escalated again.
 *
 * Deadlines are counted in working days of England and Wales (see working-days.ts):
 * the day the case entered a state does not count, and `due` is the last London
 * calendar day on which the next step is on time.
 */
import { londonDay } from '../../../core/london-time.ts';
import { addWorkingDays, workingDaysBetween, type IsoDate } from './working-days.ts';

/** Every state a breach case can be in. */
export const CASE_STATES = [
  'filed',
  'acknowledged',
  'liaison',
  'mediation',
  'escalated',
  'resolved',
  'unresolved',
  'withdrawn',
] as const;

/** A state of a breach case. */
export type CaseState = (typeof CASE_STATES)[number];

/** States in which the case is still being handled (something is expected to happen next). */
export const OPEN_STATES: readonly CaseState[] = ['filed', 'acknowledged', 'liaison', 'mediation', 'escalated'];

const TRANSITIONS: Readonly<Record<CaseState, readonly CaseState[]>> = {
  filed: ['acknowledged', 'withdrawn'],
  acknowledged: ['liaison', 'mediation', 'withdrawn'],
  liaison: ['resolved', 'mediation', 'escalated', 'withdrawn'],
  mediation: ['resolved', 'unresolved', 'escalated', 'withdrawn'],
  escalated: ['resolved', 'unresolved', 'withdrawn'],
  resolved: [],
  unresolved: ['escalated'],
  withdrawn: [],
};

/** What the next deadline is for. */
export type DeadlineKind = 'acknowledge' | 'liaison' | 'liaison-outcome' | 'mediation-outcome' | 'escalation-outcome';

/** The next step of a case and the last London calendar day on which it is on time. */
export interface Deadline {
  readonly kind: DeadlineKind;
  readonly due: IsoDate;
}

/**
 * Working-day limits, configurable per compact. `null` means no deadline.
 * The sources give none; the defaults are the ones in DOMAIN.md.
 */
export interface DeadlineRules {
  /** Acknowledge within N working days of filing. */
  readonly acknowledgeWithin: number | null;
  /** Discuss at the liaison group within N working days of acknowledgement. */
  readonly liaisonWithin: number | null;
  /** Outcome (resolved, mediation or escalation) within N working days of the liaison discussion. */
  readonly liaisonOutcomeWithin: number | null;
  /** Mediation outcome within N working days of entering mediation. */
  readonly mediationWithin: number | null;
  /** Outcome within N working days of escalation. */
  readonly escalationWithin: number | null;
}

/** Default deadlines: acknowledge within 5 working days, liaison discussion within 20. */
export const DEFAULT_DEADLINE_RULES: DeadlineRules = Object.freeze({
  acknowledgeWithin: 5,
  liaisonWithin: 20,
  liaisonOutcomeWithin: null,
  mediationWithin: null,
  escalationWithin: null,
});

const RULE_FOR_STATE: Partial<Record<CaseState, readonly [keyof DeadlineRules, DeadlineKind]>> = {
  filed: ['acknowledgeWithin', 'acknowledge'],
  acknowledged: ['liaisonWithin', 'liaison'],
  liaison: ['liaisonOutcomeWithin', 'liaison-outcome'],
  mediation: ['mediationWithin', 'mediation-outcome'],
  escalated: ['escalationWithin', 'escalation-outcome'],
};

/** The minimum a stored case must carry for the flow: its state, when it entered it, and what is due. */
export interface CaseSnapshot {
  readonly state: CaseState;
  /** The instant the case entered `state`. */
  readonly since: Date;
  readonly deadline: Deadline | null;
}

/** Result of {@link applyStep}: the case with its new state and next deadline, or why the step is refused. */
export type StepResult<T extends CaseSnapshot> = { ok: true; case: T } | { ok: false; error: string };

/** True for the states in which work on the case is still expected. */
export function isOpen(state: CaseState): boolean {
  return OPEN_STATES.includes(state);
}

/** The states a case may move to from `state` (empty for resolved and withdrawn). */
export function nextStates(state: CaseState): CaseState[] {
  return [...(TRANSITIONS[state] ?? [])];
}

/** True if the case flow allows moving from `from` to `to`. */
export function canMove(from: CaseState, to: CaseState): boolean {
  return (TRANSITIONS[from] ?? []).includes(to);
}

/**
 * Merges a compact's overrides with the defaults. Throws a RangeError for a limit
 * that is not a non-negative integer or null.
 */
export function resolveDeadlineRules(overrides: Partial<DeadlineRules> = {}): DeadlineRules {
  const rules: DeadlineRules = { ...DEFAULT_DEADLINE_RULES, ...stripUndefined(overrides) };
  for (const [key, value] of Object.entries(rules)) {
    if (value !== null && !(Number.isInteger(value) && value >= 0)) {
      throw new RangeError(`Deadline rule ${key} must be a non-negative integer or null, got ${String(value)}`);
    }
  }
  return rules;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The deadline that starts when a case enters `state` at `enteredAt`, or null if nothing is due. */
export function deadlineFor(state: CaseState, enteredAt: Date, overrides: Partial<DeadlineRules> = {}): Deadline | null {
  const rule = RULE_FOR_STATE[state];
  if (!rule) return null;
  const within = resolveDeadlineRules(overrides)[rule[0]];
  if (within === null) return null;
  return { kind: rule[1], due: addWorkingDays(londonDay(enteredAt), within) };
}

/** A new case, filed at `filedAt`, with its acknowledgement deadline. */
export function openCase(filedAt: Date, overrides: Partial<DeadlineRules> = {}): CaseSnapshot {
  return { state: 'filed', since: filedAt, deadline: deadlineFor('filed', filedAt, overrides) };
}

/**
 * Moves a case to `to` at instant `at`, returning a copy with the new state, `since`
 * and next deadline (other fields of `c` are kept). Refuses moves the flow does not
 * allow and steps dated before the case entered its current state.
 */
export function applyStep<T extends CaseSnapshot>(
  c: T,
  to: CaseState,
  at: Date,
  overrides: Partial<DeadlineRules> = {},
): StepResult<T> {
  if (!CASE_STATES.includes(to)) return { ok: false, error: `Unknown state: ${String(to)}` };
  if (Number.isNaN(at.getTime())) return { ok: false, error: 'Invalid step time' };
  if (!canMove(c.state, to)) {
    const allowed = nextStates(c.state);
    return {
      ok: false,
      error: `Cannot move from ${c.state} to ${to}; allowed: ${allowed.length ? allowed.join(', ') : 'none (closed)'}`,
    };
  }
  if (at.getTime() < c.since.getTime()) {
    return { ok: false, error: `Step at ${at.toISOString()} is before the case entered ${c.state} (${c.since.toISOString()})` };
  }
  return { ok: true, case: { ...c, state: to, since: at, deadline: deadlineFor(to, at, overrides) } };
}

/** A case whose deadline has passed, with how late it is. */
export interface OverdueCase<T extends CaseSnapshot> {
  readonly case: T;
  readonly deadline: Deadline;
  /** Working days after the due date up to and including today (≥ 1 only if a working day has passed; 0 if only a weekend or holiday has). */
  readonly workingDaysLate: number;
}

/**
 * Open cases whose deadline has passed at `now` (the London date is after `due`),
 * most overdue first. Cases without a deadline or not open are never overdue.
 */
export function overdue<T extends CaseSnapshot>(cases: readonly T[], now: Date): OverdueCase<T>[] {
  const today = londonDay(now);
  const late: OverdueCase<T>[] = [];
  for (const c of cases) {
    if (!c.deadline || !isOpen(c.state)) continue;
    if (c.deadline.due < today) {
      late.push({ case: c, deadline: c.deadline, workingDaysLate: workingDaysBetween(c.deadline.due, today) });
    }
  }
  return late.sort((a, b) => (a.deadline.due < b.deadline.due ? -1 : a.deadline.due > b.deadline.due ? 1 : 0));
}

/**
 * Open cases whose deadline is today or within the next `withinWorkingDays` working
 * days, soonest first: the list a reminder job sends.
 */
export function dueSoon<T extends CaseSnapshot>(
  cases: readonly T[],
  now: Date,
  withinWorkingDays: number,
): Array<{ case: T; deadline: Deadline }> {
  const today = londonDay(now);
  const horizon = addWorkingDays(today, withinWorkingDays);
  return cases
    .filter((c): c is T & { deadline: Deadline } => c.deadline !== null && isOpen(c.state))
    .filter((c) => c.deadline.due >= today && c.deadline.due <= horizon)
    .map((c) => ({ case: c, deadline: c.deadline }))
    .sort((a, b) => (a.deadline.due < b.deadline.due ? -1 : a.deadline.due > b.deadline.due ? 1 : 0));
}
