/** Shared helpers for benchmark scripts: percentiles, timing, and the output format of BENCHMARKS.md. */
export interface Row {
  case: string;
  db: 'pglite' | 'postgres' | null;
  unit: string;
  better: 'lower' | 'higher';
  value: number;
  baseline: number | null;
  baselineName: string | null;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

/**
 * Times several cases turn about (one run of each, then the next round), so that a machine
 * getting busier or quieter during the run weighs on every case alike.
 */
export async function timeInterleaved(n: number, cases: Array<(i: number) => Promise<unknown>>): Promise<number[][]> {
  const out = cases.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < cases.length; c++) {
      const t = process.hrtime.bigint();
      await cases[c](i);
      out[c].push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  return out;
}

/**
 * Samples several cases in blocks, turn about (a block of one, then a block of the next, and so
 * on), so that a busy spell on a shared machine weighs on every case alike while each case runs
 * warm, as a bot serving a stream of requests does. Each case times itself and returns its ms.
 */
export async function sampleInBlocks(n: number, block: number, cases: Array<() => Promise<number>>): Promise<number[][]> {
  const out = cases.map(() => [] as number[]);
  for (let done = 0; done < n; done += block) {
    for (let c = 0; c < cases.length; c++) {
      for (let i = 0; i < Math.min(block, n - done); i++) out[c].push(await cases[c]());
    }
  }
  return out;
}

/** A latency row: the p-th percentile of `samples` (ms) against the same percentile of `baseline`. */
export function latencyRow(name: string, db: Row['db'], p: number, samples: number[], baseline: number[], baselineName: string): Row {
  return { case: name, db, unit: 'ms', better: 'lower', value: round(percentile(samples, p)), baseline: round(percentile(baseline, p)), baselineName };
}

export const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export function report(bench: string, rows: Row[]): void {
  const header = ['case', 'db', 'value', 'unit', 'baseline', 'ratio'];
  const lines = rows.map((r) => [r.case, r.db ?? '-', String(r.value), r.unit, r.baseline === null ? '-' : `${r.baseline} (${r.baselineName})`, r.baseline ? `${round(r.value / r.baseline, 2)}x` : '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
  console.log(JSON.stringify({ bench, rows }));
}
