import { describe, expect, it } from 'vitest';
import {
  applyStep,
  canMove,
  CASE_STATES,
  deadlineFor,
  dueSoon,
  nextStates,
  openCase,
  overdue,
  resolveDeadlineRules,
  type CaseSnapshot,
  type CaseState,
} from './case-flow.ts';

const at = (iso: string): Date => new Date(iso);

describe('nextStates', () => {
  it.each<[CaseState, CaseState[]]>([
    ['filed', ['acknowledged', 'withdrawn']],
    ['acknowledged', ['liaison', 'mediation', 'withdrawn']],
    ['liaison', ['resolved', 'mediation', 'escalated', 'withdrawn']],
    ['mediation', ['resolved', 'unresolved', 'escalated', 'withdrawn']],
    ['escalated', ['resolved', 'unresolved', 'withdrawn']],
    ['unresolved', ['escalated']],
    ['resolved', []],
    ['withdrawn', []],
  ])('%s → %j', (state, expected) => {
    expect(nextStates(state)).toEqual(expected);
  });

  it('returns a copy', () => {
    nextStates('filed').push('resolved');
    expect(nextStates('filed')).not.toContain('resolved');
  });
});

describe('canMove: every pair', () => {
  const allowed = new Set([
    'filed>acknowledged', 'filed>withdrawn',
    'acknowledged>liaison', 'acknowledged>mediation', 'acknowledged>withdrawn',
    'liaison>resolved', 'liaison>mediation', 'liaison>escalated', 'liaison>withdrawn',
    'mediation>resolved', 'mediation>unresolved', 'mediation>escalated', 'mediation>withdrawn',
    'escalated>resolved', 'escalated>unresolved', 'escalated>withdrawn',
    'unresolved>escalated',
  ]);
  const pairs = CASE_STATES.flatMap((from) => CASE_STATES.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s', (from, to) => {
    expect(canMove(from, to)).toBe(allowed.has(`${from}>${to}`));
  });
});

describe('openCase and deadlines', () => {
  it.each([
    ['2025-06-16T09:00:00Z', '2025-06-23', 'Monday filing: due next Monday'],
    ['2025-06-21T10:00:00Z', '2025-06-27', 'Saturday filing: due Friday'],
    ['2025-06-20T23:30:00Z', '2025-06-27', 'late Friday UTC is Saturday 00:30 in London'],
    ['2026-04-02T12:00:00Z', '2026-04-13', 'Thursday before Easter skips Good Friday and Easter Monday'],
  ])('filed %s → acknowledge by %s (%s)', (filed, due) => {
    expect(openCase(at(filed)).deadline).toEqual({ kind: 'acknowledge', due });
  });

  it('uses per-compact overrides', () => {
    expect(openCase(at('2025-06-16T09:00:00Z'), { acknowledgeWithin: 2 }).deadline?.due).toBe('2025-06-18');
    expect(openCase(at('2025-06-16T09:00:00Z'), { acknowledgeWithin: null }).deadline).toBeNull();
  });

  it.each<[CaseState, string | null]>([
    ['filed', 'acknowledge'],
    ['acknowledged', 'liaison'],
    ['liaison', null],
    ['mediation', null],
    ['escalated', null],
    ['resolved', null],
    ['unresolved', null],
    ['withdrawn', null],
  ])('default deadline on entering %s: %s', (state, kind) => {
    expect(deadlineFor(state, at('2025-06-16T09:00:00Z'))?.kind ?? null).toBe(kind);
  });

  it('optional deadlines apply when a compact sets them', () => {
    const rules = { liaisonOutcomeWithin: 10, mediationWithin: 30, escalationWithin: 40 };
    const t = at('2025-06-16T09:00:00Z');
    expect(deadlineFor('liaison', t, rules)).toEqual({ kind: 'liaison-outcome', due: '2025-06-30' });
    expect(deadlineFor('mediation', t, rules)).toEqual({ kind: 'mediation-outcome', due: '2025-07-28' });
    expect(deadlineFor('escalated', t, rules)).toEqual({ kind: 'escalation-outcome', due: '2025-08-11' });
    expect(deadlineFor('resolved', t, rules)).toBeNull();
  });

  it.each([{ acknowledgeWithin: -1 }, { liaisonWithin: 2.5 }, { mediationWithin: Number.NaN }])('rejects rules %o', (bad) => {
    expect(() => resolveDeadlineRules(bad)).toThrow(RangeError);
  });

  it('ignores undefined overrides rather than wiping defaults', () => {
    expect(resolveDeadlineRules({ acknowledgeWithin: undefined }).acknowledgeWithin).toBe(5);
  });
});

describe('applyStep', () => {
  const filed = { id: 'c1', code: 'funding', ...openCase(at('2025-06-16T09:00:00Z')) };

  it('acknowledging sets the 20-working-day liaison deadline and keeps other fields', () => {
    const r = applyStep(filed, 'acknowledged', at('2025-06-18T14:00:00Z'));
    expect(r).toEqual({
      ok: true,
      case: {
        id: 'c1',
        code: 'funding',
        state: 'acknowledged',
        since: at('2025-06-18T14:00:00Z'),
        deadline: { kind: 'liaison', due: '2025-07-16' },
      },
    });
    expect(filed.state).toBe('filed');
  });

  it('walks the full mediation and escalation route', () => {
    let c: CaseSnapshot = filed;
    const steps: Array<[CaseState, string]> = [
      ['acknowledged', '2025-06-17T09:00:00Z'],
      ['liaison', '2025-07-01T09:00:00Z'],
      ['mediation', '2025-07-02T09:00:00Z'],
      ['unresolved', '2025-08-01T09:00:00Z'],
      ['escalated', '2025-08-05T09:00:00Z'],
      ['resolved', '2025-09-01T09:00:00Z'],
    ];
    for (const [to, when] of steps) {
      const r = applyStep(c, to, at(when));
      expect(r.ok, `${c.state} → ${to}`).toBe(true);
      if (r.ok) c = r.case;
    }
    expect(c).toMatchObject({ state: 'resolved', deadline: null });
  });

  it.each<[CaseState, CaseState]>([
    ['filed', 'resolved'],
    ['filed', 'liaison'],
    ['acknowledged', 'resolved'],
    ['resolved', 'withdrawn'],
    ['withdrawn', 'filed'],
    ['unresolved', 'withdrawn'],
  ])('refuses %s → %s', (from, to) => {
    const r = applyStep({ state: from, since: at('2025-06-16T09:00:00Z'), deadline: null }, to, at('2025-06-17T09:00:00Z'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(`Cannot move from ${from} to ${to}`);
  });

  it('refuses a step dated before the current state began', () => {
    const r = applyStep(filed, 'acknowledged', at('2025-06-15T09:00:00Z'));
    expect(r).toMatchObject({ ok: false });
  });

  it('refuses an unknown state and an invalid time', () => {
    expect(applyStep(filed, 'closed' as CaseState, at('2025-06-17T09:00:00Z')).ok).toBe(false);
    expect(applyStep(filed, 'acknowledged', new Date('nope')).ok).toBe(false);
  });

  it('applies compact overrides to the new deadline', () => {
    const r = applyStep(filed, 'acknowledged', at('2025-06-18T14:00:00Z'), { liaisonWithin: 10 });
    expect(r.ok && r.case.deadline).toEqual({ kind: 'liaison', due: '2025-07-02' });
  });
});

describe('overdue and dueSoon', () => {
  const mk = (id: string, state: CaseState, due: string | null): CaseSnapshot & { id: string } => ({
    id,
    state,
    since: at('2025-06-01T09:00:00Z'),
    deadline: due ? { kind: 'acknowledge', due } : null,
  });
  const cases = [
    mk('a', 'filed', '2025-06-20'),
    mk('b', 'acknowledged', '2025-06-10'),
    mk('c', 'filed', '2025-06-23'),
    mk('d', 'liaison', null),
    mk('e', 'resolved', '2025-06-01'), // stale deadline on a closed case must be ignored
    mk('f', 'filed', '2025-06-25'),
  ];

  it.each([
    ['2025-06-20T22:00:00Z', [['b', 8]], 'a is on time on its due day (23:00 London on the 20th)'],
    ['2025-06-20T23:30:00Z', [['b', 8], ['a', 0]], 'Saturday 00:30 London: a is late, by no working day yet'],
    ['2025-06-23T09:00:00Z', [['b', 9], ['a', 1]], 'Monday'],
    ['2025-06-24T09:00:00Z', [['b', 10], ['a', 2], ['c', 1]], 'Tuesday'],
  ])('at %s → %j (%s)', (now, expected) => {
    expect(overdue(cases, at(now)).map((o) => [o.case.id, o.workingDaysLate])).toEqual(expected);
  });

  it('dueSoon lists open cases due today or within N working days, soonest first', () => {
    expect(dueSoon(cases, at('2025-06-20T09:00:00Z'), 1).map((d) => d.case.id)).toEqual(['a', 'c']);
    expect(dueSoon(cases, at('2025-06-20T09:00:00Z'), 3).map((d) => d.case.id)).toEqual(['a', 'c', 'f']);
    expect(dueSoon(cases, at('2025-06-20T09:00:00Z'), 0).map((d) => d.case.id)).toEqual(['a']);
  });
});
