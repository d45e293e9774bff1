import type { CountResult } from './counting/types.ts';

/**
 * A count as the Universal RCV Tabulator's summary JSON, the file RCVis and similar tools read:
 * `config` (contest, threshold) and `results`, one per stage with each candidate's `tally`, then
 * `tallyResults` saying what happened after that stage (who was elected or eliminated) and where
 * their votes went (`transfers`, with `exhausted` for the non-transferable).
 */
export interface TabulatorSummary {
  config: { contest: string; date: string; jurisdiction: string; office: string; threshold: string };
  results: {
    round: number;
    tally: Record<string, string>;
    tallyResults: TallyResult[];
  }[];
}
type TallyResult = ({ elected: string } | { eliminated: string }) & { transfers: Record<string, string> };

/** Fixed-decimal figures (STV votes are strings of five decimals) subtracted exactly. */
function minus(a: string | number, b: string | number): string {
  const places = Math.max(decimals(a), decimals(b));
  const scale = 10n ** BigInt(places);
  const units = (v: string | number) => {
    const [whole, frac = ''] = String(v).split('.');
    const sign = whole.startsWith('-') ? -1n : 1n;
    return sign * (BigInt(whole.replace('-', '')) * scale + BigInt((frac + '0'.repeat(places)).slice(0, places) || '0'));
  };
  const d = units(a) - units(b);
  const abs = d < 0n ? -d : d;
  const text = places ? `${abs / scale}.${String(abs % scale).padStart(places, '0')}` : String(abs);
  return d < 0n ? `-${text}` : text;
}
const decimals = (v: string | number) => (String(v).split('.')[1] ?? '').length;
const isZero = (v: string) => /^-?0(\.0*)?$/.test(v);

export function tabulatorSummary(count: CountResult, contest: { title: string; date: string; jurisdiction: string; office: string }, label: (name: string) => string = (n) => n): TabulatorSummary {
  const rounds = count.rounds;
  return {
    config: { contest: contest.title, date: contest.date, jurisdiction: contest.jurisdiction, office: contest.office, threshold: String(count.quota ?? '') },
    results: rounds.map((r, i) => {
      const next = rounds[i + 1];
      const tallyResults: TallyResult[] = [];
      // elected at this stage: their surplus, if transferred next, is what moved
      for (const name of r.elected) {
        const moved = next && next.action === 'surplus' && next.candidate === name ? transfers(r, next, name, label) : {};
        tallyResults.push({ elected: label(name), transfers: moved });
      }
      if (next?.action === 'exclusion' && next.candidate) tallyResults.push({ eliminated: label(next.candidate), transfers: transfers(r, next, next.candidate, label) });
      if (next?.action === 'surplus' && next.candidate && !r.elected.includes(next.candidate)) {
        // a surplus transferred later than the stage it arose at (Scottish STV defers small surpluses)
        tallyResults.push({ elected: label(next.candidate), transfers: transfers(r, next, next.candidate, label) });
      }
      return { round: r.round, tally: Object.fromEntries(Object.entries(r.votes).map(([n, v]) => [label(n), String(v)])), tallyResults };
    }),
  };
}

function transfers(from: CountResult['rounds'][number], to: CountResult['rounds'][number], source: string, label: (n: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(to.votes)) {
    if (name === source) continue;
    const d = minus(v, from.votes[name] ?? 0);
    if (!isZero(d)) out[label(name)] = d;
  }
  const lost = minus(to.nonTransferable, from.nonTransferable);
  if (!isZero(lost)) out.exhausted = lost;
  return out;
}
