/**
 * bench:adapters, Teams: 1,000 commands typed to the bot through the Teams stand-in (the register,
 * "who represents us on …?", the command the Slack and Discord parts time too), timed from
 * Teams' POST to /api/messages to the bot's reply reaching the stand-in connector, p50 and p99.
 * Baselines: bare teams-ai apps on the same HTTP server answering the same message, with a fixed
 * text, and from the database with the least work the answer needs (register-floor.ts). For
 * reference, the Teams adapter alone, its handler answering the fixed text without the core.
 * On the embedded database and, with DATABASE_URL set, on PostgreSQL.
 */
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import { TeamsChatAdapter } from '../../adapters/teams/teams-adapter.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Db } from '../../src/db/client.ts';
import { seedDemo } from '../../src/features/forums/demo.ts';
import { WebServer } from '../../src/web/server.ts';
import { TeamsClient } from '../../test/platforms/teams/client.ts';
import { TeamsConnectorStandIn } from '../../test/platforms/teams/connector.ts';
import { startTeamsBot } from '../../test/scenarios/teams-driver.ts';
import { registerFloor } from './register-floor.ts';
import { latencyRow, report, sampleInBlocks, type Row } from './stats.ts';

const N = 1000;
const WARMUP = 50;
const BLOCK = 100;
const COMMAND = 'who represents us on Health and Social Care Board?';
const FIXED = 'Health and Social Care Board: Rhian Powell';

/** Times one message from Teams' POST until the reply is recorded by the stand-in connector. */
async function timeCommand(client: TeamsClient, connector: TeamsConnectorStandIn, user: string): Promise<number> {
  let arrived = 0;
  connector.onRecord = () => (arrived ||= performance.now());
  const start = performance.now();
  const [res] = await client.post(client.message(user, COMMAND, client.personal(user)));
  connector.onRecord = undefined;
  if (res.status !== 200 || !arrived) throw new Error(`no reply (HTTP ${res.status})`);
  return arrived - start;
}

/** The Teams adapter alone: the same adapter, its handler answering the fixed text without the core. */
async function fixedAdapter(connector: TeamsConnectorStandIn, db: Db) {
  const teams = new TeamsChatAdapter({ db, log: silentLogger });
  await teams.start(async () => [{ visibility: 'ephemeral', message: { text: FIXED } }]);
  const server = new WebServer(silentLogger);
  server.add(...teams.routes());
  const port = await server.listen(0, '127.0.0.1');
  return {
    client: new TeamsClient(`http://127.0.0.1:${port}`, connector),
    close: async () => {
      await teams.stop();
      await server.close();
    },
  };
}

/** teams-ai on botbuilder answering with `answer` (by the activity's id), or not when that gives null, nothing else. */
async function bareApp(connector: TeamsConnectorStandIn, answer: (activityId: string) => Promise<string | null>) {
  const adapter = new TeamsAdapter({});
  const app = new Application({ adapter, startTypingTimer: false });
  app.activity('message', async (ctx) => {
    const text = await answer(ctx.activity.id!);
    if (text) await ctx.sendActivity(text);
  });
  const server = new WebServer(silentLogger);
  server.add(async (http) => {
    http.post('/api/messages', async (req, reply) => {
      let status = 200;
      const shim = { status: (c: number) => void (status = c), header() {}, send() {}, end() {} };
      await adapter.process({ method: 'POST', headers: req.headers, body: req.body } as never, shim as never, async (ctx) => {
        await app.run(ctx);
      });
      return reply.code(status).send();
    });
  });
  const port = await server.listen(0, '127.0.0.1');
  return { client: new TeamsClient(`http://127.0.0.1:${port}`, connector), close: () => server.close() };
}

async function benchOn(db: 'pglite' | 'postgres'): Promise<Row[]> {
  if (db === 'postgres' && !process.env.DATABASE_URL) return [];
  if (db === 'pglite') delete process.env.DATABASE_URL;
  const bot = await startTeamsBot();
  const bare = await bareApp(bot.connector, async () => FIXED);
  const fixed = await fixedAdapter(bot.connector, bot.db);
  let floor: Awaited<ReturnType<typeof bareApp>> | undefined;
  try {
    await seedDemo(bot.db, bot.clock.now);
    const forum = await bot.db.forum.findFirstOrThrow();
    const fromDb = registerFloor(bot.db, forum.id, 'Health and Social Care Board', () => bot.clock.now);
    floor = await bareApp(bot.connector, (id) => fromDb(`teams:${id}`));
    await bot.client.post(bot.client.install('bench-user', bot.client.personal('bench-user')));
    for (const client of [bot.client, floor.client]) {
      const check = bot.connector.activities.length;
      await timeCommand(client, bot.connector, 'bench-user');
      const answer = JSON.stringify(bot.connector.activities.slice(check));
      if (!answer.includes('Rhian Powell')) throw new Error(`register answer is wrong: ${answer.slice(0, 300)}`);
    }
    const cases = [bot.client, fixed.client, bare.client, floor.client].map((client) => () => timeCommand(client, bot.connector, 'bench-user'));
    await sampleInBlocks(WARMUP, WARMUP, cases);
    // interleaved in blocks, so a busy spell on the machine falls on all four alike
    const [ours, alone, base, floorSamples] = await sampleInBlocks(N, BLOCK, cases);
    const row = (what: string, samples: number[], p: number, baseline: number[], baselineName: string) =>
      latencyRow(`teams: ${N} "who represents…" messages, ${what}, request to reply at the connector, p${p}`, db, p, samples, baseline, baselineName);
    const FIXED_APP = 'bare teams-ai app answering a fixed text';
    const FLOOR_APP = 'bare teams-ai app answering from the database: event record + register read';
    return [
      row('the bot', ours, 50, base, FIXED_APP),
      row('the bot', ours, 99, base, FIXED_APP),
      row('the bot', ours, 50, floorSamples, FLOOR_APP),
      row('the bot', ours, 99, floorSamples, FLOOR_APP),
      row('the Teams adapter answering a fixed text', alone, 50, base, FIXED_APP),
      row('the Teams adapter answering a fixed text', alone, 99, base, FIXED_APP),
    ];
  } finally {
    await floor?.close();
    await fixed.close();
    await bare.close();
    await bot.close();
  }
}

export async function benchPlatform(): Promise<Row[]> {
  const url = process.env.DATABASE_URL;
  const rows = await benchOn('pglite');
  if (url) {
    process.env.DATABASE_URL = url;
    rows.push(...(await benchOn('postgres')));
  }
  return rows;
}

// run on its own: node scripts/bench/run.mjs adapters-teams
if (process.argv[2] === 'adapters-teams') report('adapters-teams', await benchPlatform());
