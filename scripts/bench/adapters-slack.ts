/**
 * Slack's part of bench:adapters: 1,000 slash commands through the Slack stand-in, timed from the
 * moment the stand-in sends the signed request to the moment the bot's reply reaches the
 * stand-in's response_url. Baselines, in the same run and interleaved in blocks: a bare Bolt app
 * (its own HTTPReceiver) answering the same command through respond(), with a fixed text, and
 * from the database with the least work the answer needs (register-floor.ts).
 * On the embedded database and, when DATABASE_URL is set, on PostgreSQL too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { SlackAdapter } from '../../adapters/slack/slack-adapter.ts';
import { createApp } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openDatabase } from '../../src/db/client.ts';
import { WebServer } from '../../src/web/server.ts';
import { testDatabase } from '../../test/support/database.ts';
import { SlackStandIn } from '../../test/platforms/slack/stand-in.ts';
import { registerFloor } from './register-floor.ts';
import { latencyRow, report, sampleInBlocks, type Row } from './stats.ts';

const N = 1000;
const BLOCK = 100;
const WARMUP = 50;
const COMMAND = 'who represents us on Health and Social Care Board?';

/** One command's round trip: the signed request out, the reply in at the response_url. */
async function roundTrip(standIn: SlackStandIn, user: string, text: string): Promise<number> {
  const mark = standIn.calls.length;
  const t0 = performance.now();
  const d = await standIn.slashCommand(user, text);
  if (d.status !== 200) throw new Error(`the bot answered ${d.status}`);
  const path = new URL(d.responseUrl!).pathname;
  const reply = await standIn.waitFor((c) => c.method === 'response_url' && c.responseUrl === path, mark);
  return reply.hr! - t0;
}

/** A bare Bolt app answering the command with `answer` (by its trigger id), or nothing when that gives null. */
async function bareBolt(standIn: SlackStandIn, answer: (triggerId: string) => Promise<string | null>): Promise<{ url: string; stop: () => Promise<void> }> {
  const app = new App({
    token: standIn.botToken,
    signingSecret: standIn.signingSecret,
    clientOptions: { slackApiUrl: standIn.apiUrl },
    tokenVerificationEnabled: false,
    botId: standIn.botId,
    botUserId: standIn.botUserId,
    logLevel: LogLevel.ERROR,
  });
  app.command('/forumbot', async ({ ack, respond, command }) => {
    await ack();
    const text = await answer(command.trigger_id);
    if (text) await respond({ response_type: 'ephemeral', text });
  });
  const server = (await app.start(0)) as http.Server;
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, stop: () => app.stop() as Promise<void> };
}

async function benchOn(kind: 'pglite' | 'postgres'): Promise<Row[]> {
  const database = kind === 'pglite' ? await openDatabase({ dataDir: 'memory://' }) : await testDatabase();
  const standIn = new SlackStandIn();
  await standIn.start();
  const adapter = new SlackAdapter({ botToken: standIn.botToken, signingSecret: standIn.signingSecret, apiUrl: standIn.apiUrl, log: silentLogger });
  const app = createApp({ db: database.prisma, adapters: [adapter], log: silentLogger });
  const server = new WebServer(silentLogger);
  server.add(...adapter.routes());
  const ours = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/slack/events`;
  await adapter.start((e) => app.bot.handle(e, adapter.capabilities));
  // the adapter alone: the same Slack adapter whose handler answers the fixed text without the core
  const fixedAdapter = new SlackAdapter({ botToken: standIn.botToken, signingSecret: standIn.signingSecret, apiUrl: standIn.apiUrl, log: silentLogger });
  const fixedServer = new WebServer(silentLogger);
  fixedServer.add(...fixedAdapter.routes());
  const fixed = `http://127.0.0.1:${await fixedServer.listen(0, '127.0.0.1')}/slack/events`;
  await fixedAdapter.start(async () => [{ visibility: 'ephemeral', message: { text: 'Health and Social Care Board: 2 seats' } }]);
  const bare = await bareBolt(standIn, async () => 'Health and Social Care Board: 2 seats');
  let floor: Awaited<ReturnType<typeof bareBolt>> | undefined;
  try {
    standIn.botUrl = ours;
    for (const setup of ['forum create Bench Forum cvc="Bench CVC"', 'partnership add Health and Social Care Board', 'seat add partnership="Health and Social Care Board" Health seat']) {
      await roundTrip(standIn, 'officer', setup);
    }
    const check = standIn.calls.at(-1)!;
    await roundTrip(standIn, 'officer', COMMAND);
    if (!JSON.stringify(standIn.calls.at(-1)!.body).includes('Health seat')) throw new Error(`unexpected answer: ${JSON.stringify(check.body)}`);

    const forum = await database.prisma.forum.findFirstOrThrow();
    const fromDb = registerFloor(database.prisma, forum.id, 'Health and Social Care Board');
    floor = await bareBolt(standIn, (trigger) => fromDb(`slack:cmd:${trigger}`));
    standIn.botUrl = floor.url;
    await roundTrip(standIn, 'officer', COMMAND);
    if (!JSON.stringify(standIn.calls.at(-1)!.body).includes('Health seat')) throw new Error(`unexpected floor answer: ${JSON.stringify(standIn.calls.at(-1)!.body)}`);
    const urls = [ours, fixed, bare.url, floor.url];
    const cases = urls.map((url) => () => {
      standIn.botUrl = url;
      return roundTrip(standIn, 'officer', COMMAND);
    });
    await sampleInBlocks(WARMUP, WARMUP, cases);
    // interleaved in blocks, so a busy spell on the machine falls on all four alike
    const [mine, adapterOnly, base, floorSamples] = await sampleInBlocks(N, BLOCK, cases);
    const row = (what: string, samples: number[], p: number, baseline: number[], baselineName: string) =>
      latencyRow(`slack: ${N} slash commands, ${what}, p${p} request to reply`, kind, p, samples, baseline, baselineName);
    const FIXED = 'bare Bolt app answering a fixed text';
    const FLOOR = 'bare Bolt app answering from the database: event record + register read';
    return [
      row('the bot (who represents…)', mine, 50, base, FIXED),
      row('the bot (who represents…)', mine, 99, base, FIXED),
      row('the bot (who represents…)', mine, 50, floorSamples, FLOOR),
      row('the bot (who represents…)', mine, 99, floorSamples, FLOOR),
      row('the Slack adapter answering a fixed text', adapterOnly, 50, base, FIXED),
      row('the Slack adapter answering a fixed text', adapterOnly, 99, base, FIXED),
    ];
  } finally {
    await floor?.stop();
    await bare.stop();
    await fixedAdapter.stop();
    await fixedServer.close();
    await app.services.broadcasts.stop();
    await adapter.stop();
    await server.close();
    await standIn.close();
    await database.close();
  }
}

/** Slack's rows for bench:adapters. */
export async function benchPlatform(): Promise<Row[]> {
  const rows = await benchOn('pglite');
  if (process.env.DATABASE_URL) rows.push(...(await benchOn('postgres')));
  return rows;
}

// run alone: node scripts/bench/run.mjs adapters-slack
if (process.argv[2] === 'adapters-slack') {
  report('adapters-slack', await benchPlatform());
  process.exit(0);
}
