import type { Table } from '../../src/core/messages.ts';

/** A round-by-round table of `stages` stages and `candidates` candidates, with figures right-aligned. */
export function countTable(candidates: number, stages: number): Table {
  return {
    caption: 'Quota: 1,001; valid ballots: 4,000',
    columns: [{ label: 'Candidate' }, ...Array.from({ length: stages }, (_, s) => ({ label: `Stage ${s + 1}`, align: 'right' as const }))],
    rows: Array.from({ length: candidates }, (_, c) => [`Candidate ${c + 1}`, ...Array.from({ length: stages }, (_, s) => (1000 + c * 7 + s * 13).toFixed(5))]),
    notes: ['Tie at stage 2: Candidate 3, decided by lot (seed 42).'],
  };
}
