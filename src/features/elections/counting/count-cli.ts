/**
 * `forumbot count FILE.blt [--method M] [--json] [--seed S]`: counts a BLT file and prints the
 * result. Kept free of heavy imports (database, validation libraries) because the whole process
 * must start, count 200,000 ballots and exit in well under half a second.
 */
import { readFileSync } from 'node:fs';
import { BltSyntaxError, parseBlt } from './blt.ts';
import { countElection, isCountMethod } from './index.ts';
import { COUNT_METHODS, CountError, type CountMethod, type CountResult } from './types.ts';

const USAGE = `usage: forumbot count FILE.blt [--method ${COUNT_METHODS.join('|')}] [--json] [--seed TEXT]

Counts the ballots in a BLT file. The default method is scottish-stv (The Scottish Local
Government Elections Order 2007). --json prints one JSON object instead of a table. --seed sets
the seed for drawing lots, should a tie need one.
`;

const METHOD_TITLES: Record<CountMethod, string> = {
  'scottish-stv': 'Scottish STV',
  'meek-stv': 'Meek STV',
  av: 'Alternative vote',
  fptp: 'First past the post',
  block: 'Block vote',
};

interface CliOptions {
  file?: string;
  method: string;
  json: boolean;
  seed?: string;
  help: boolean;
}

function parseArgs(argv: string[]): CliOptions | string {
  const args = argv[0] === 'count' ? argv.slice(1) : argv;
  const options: CliOptions = { method: 'scottish-stv', json: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--json') options.json = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag === '--method' || flag === '-m') {
      const v = value();
      if (v === undefined) return '--method needs a value';
      options.method = v;
    } else if (flag === '--seed') {
      const v = value();
      if (v === undefined) return '--seed needs a value';
      options.seed = v;
    } else if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
    else if (options.file === undefined) options.file = arg;
    else return `unexpected argument ${arg}: give one file`;
  }
  return options;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** Renders a count as a table: a row per candidate, a column per round. */
export function formatCountTable(result: CountResult, title = ''): string {
  const lines: string[] = [];
  const heading = title ? `${title} — ` : '';
  lines.push(`${heading}${METHOD_TITLES[result.method]}, ${result.seats} seat${result.seats === 1 ? '' : 's'}`);
  const quota = result.quota === null ? '' : `   Quota: ${result.quota}`;
  lines.push(`Valid papers: ${result.ballots}${quota}`, '');
  const names = Object.keys(result.rounds[0]?.votes ?? {});
  const nameWidth = Math.max(16, ...names.map((n) => n.length));
  const widths = result.rounds.map((r) =>
    Math.max(10, String(r.round).length + 6, r.action.length, (r.candidate ?? '').slice(0, 14).length, ...names.map((n) => String(r.votes[n]).length)),
  );
  const row = (label: string, values: string[]): string =>
    [pad(label, nameWidth), ...values.map((v, i) => pad(v, widths[i], true))].join('  ').trimEnd();
  lines.push(row('Round', result.rounds.map((r) => String(r.round))));
  lines.push(row('Action', result.rounds.map((r) => r.action)));
  lines.push(row('', result.rounds.map((r) => (r.candidate ?? '').slice(0, 14))));
  if (result.rounds.some((r) => r.transferValue)) lines.push(row('Transfer value', result.rounds.map((r) => r.transferValue ?? '')));
  lines.push('-'.repeat(nameWidth + widths.reduce((a, w) => a + w + 2, 0)));
  for (const name of names) lines.push(row(name, result.rounds.map((r) => String(r.votes[name]))));
  lines.push(row('Non-transferable', result.rounds.map((r) => String(r.nonTransferable))));
  lines.push('', 'Elected:');
  result.elected.forEach((e, i) => {
    const at = result.rounds.find((r) => r.elected.includes(e.name))?.round;
    lines.push(`  ${i + 1}. ${e.name} (${e.votes} votes, round ${at})`);
  });
  for (const t of result.tieBreaks) {
    const how = t.resolvedBy === 'lot' ? `by lot (seed "${t.seed}", draw ${t.draw})` : `by the totals at round ${t.decidingRound}`;
    lines.push(`Tie at round ${t.round} (${t.purpose}) between ${t.candidates.join(', ')}: ${t.chosen}, decided ${how}.`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Runs `forumbot count`; returns the exit code: 0 done, 1 the BLT file is malformed,
 * 2 the command was used wrongly (unknown method, missing file, method unfit for the election).
 */
export async function runCountCli(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`forumbot count: ${parsed}\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!isCountMethod(parsed.method)) {
    process.stderr.write(`forumbot count: unknown method "${parsed.method}": use one of ${COUNT_METHODS.join(', ')}\n`);
    return 2;
  }
  if (parsed.file === undefined) {
    process.stderr.write(`forumbot count: no BLT file given\n${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(parsed.file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    process.stderr.write(`forumbot count: cannot read ${parsed.file}: ${why}\n`);
    return 2;
  }
  try {
    const election = parseBlt(text);
    const result = countElection(election, parsed.method, parsed.seed === undefined ? {} : { seed: parsed.seed });
    process.stdout.write(parsed.json ? JSON.stringify(result) + '\n' : formatCountTable(result, election.title));
    return 0;
  } catch (error) {
    if (error instanceof BltSyntaxError) {
      process.stderr.write(`forumbot count: ${parsed.file}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof CountError) {
      process.stderr.write(`forumbot count: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
