/**
 * bench:adapters: 1,000 slash commands per platform through its stand-in, p50 and p99 from the
 * platform's request to the bot's reply reaching the stand-in, against a bare SDK app answering the
 * same command with a fixed text. Each platform's part lives in adapters-<platform>.ts.
 */
import { report, type Row } from './stats.ts';

const parts: Array<[string, () => Promise<{ benchPlatform(): Promise<Row[]> }>]> = [
  ['slack', () => import('./adapters-slack.ts')],
  ['discord', () => import('./adapters-discord.ts')],
  ['teams', () => import('./adapters-teams.ts')],
];

const only = process.argv[3];
const rows: Row[] = [];
for (const [name, load] of parts) {
  if (only && only !== name) continue;
  console.log(`— ${name}`);
  rows.push(...(await (await load()).benchPlatform()));
}
report('adapters', rows);
process.exit(0);
