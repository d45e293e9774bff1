/**
 * Discord part of bench:adapters: 1,000 slash commands through the Discord stand-in, timed from
 * the gateway dispatch of INTERACTION_CREATE to the bot's reply reaching the stand-in's REST API.
 * forumbot (discord.js adapter + core + database, answering "/who represents us on …?" from the
 * demo register) against bare discord.js clients answering the same command, with a fixed text,
 * and from the database with the least work the answer needs (register-floor.ts). And 1,000
 * autocompletes of the partnership option of "/who represents" as someone types ("h", "he", …
 * "health bo"), answered from the database, against the bare client answering a fixed list.
 * Run alone: node scripts/bench/run.mjs adapters-discord
 */
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { DbRefStore } from '../../adapters/discord/db-store.ts';
import { DiscordAdapter } from '../../adapters/discord/discord-adapter.ts';
import { slashCommandsFor } from '../../adapters/discord/slash-commands.ts';
import { createApp } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openDatabase } from '../../src/db/client.ts';
import { seedDemo } from '../../src/features/forums/demo.ts';
import { DiscordStandIn } from '../../test/platforms/discord/discord-stand-in.ts';
import { testDatabase } from '../../test/support/database.ts';
import { registerFloor } from './register-floor.ts';
import { latencyRow, report, sampleInBlocks, type Row } from './stats.ts';

const N = 1000;
const WARM = 50;
const BLOCK = 100;
const PARTNERSHIP = 'Health and Social Care Board';
/** the text the adapter makes of the typed command, for the core-alone case */
const TEXT = `who represents partnership="${PARTNERSHIP}"`;

/** One slash command: dispatched over the gateway, timed until the reply reaches the stand-in. */
async function command(stand: DiscordStandIn): Promise<string> {
  const p = stand.typedSlash('Amira Khan', ['who', 'represents'], { partnership: PARTNERSHIP }, 'general');
  const answered = stand.answerOf(p.id);
  await stand.dispatchInteraction(p);
  await answered;
  return p.id as string;
}

/** what a person has typed so far, keystroke by keystroke */
const TYPING = ['', 'h', 'he', 'hea', 'heal', 'healt', 'health', 'health ', 'health b', 'health bo', 'comm', 'child', 'env', 'powys'];
const FIXED = ['Health and Social Care Board', 'Community Safety Partnership', 'Children and Young People Partnership', 'Environment Partnership', 'Powys Local Service Board'];

/** One autocomplete: dispatched over the gateway, timed until the choices reach the stand-in. */
async function autocomplete(stand: DiscordStandIn, n: number): Promise<string> {
  const p = stand.typedSlash('Amira Khan', ['who', 'represents'], { partnership: TYPING[n % TYPING.length] }, 'general', 'partnership');
  const answered = stand.answerOf(p.id);
  await stand.dispatchInteraction(p);
  await answered;
  return p.id as string;
}

const time = async (fn: () => Promise<unknown>) => {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};

/** The bare SDK app: a discord.js client that answers every slash command with `answer` (by the interaction's id), or not when that gives null. */
async function bare(answer: (interactionId: string) => Promise<string | null>) {
  const stand = await DiscordStandIn.start();
  stand.callbackDeadlineMs = 60_000;
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: stand.apiUrl } });
  client.on(Events.InteractionCreate, async (i) => {
    if (i.isAutocomplete()) return i.respond(FIXED.map((name) => ({ name, value: name })));
    if (!i.isChatInputCommand()) return;
    const content = await answer(i.id);
    if (content) await i.reply({ content, flags: MessageFlags.Ephemeral });
  });
  const ready = new Promise<void>((r) => client.once(Events.ClientReady, () => r()));
  await client.login(stand.token);
  await ready;
  let typed = 0;
  return {
    stand,
    run: () => command(stand),
    complete: () => autocomplete(stand, typed++),
    async close() {
      await client.destroy();
      await stand.close();
    },
  };
}

/** forumbot: the Discord adapter and the whole core on a database seeded with the demo forum. */
async function forumbot(kind: 'pglite' | 'postgres') {
  const database = kind === 'pglite' ? await openDatabase({ dataDir: 'memory://' }) : await testDatabase();
  const db = database.prisma;
  await seedDemo(db, new Date());
  const stand = await DiscordStandIn.start();
  stand.callbackDeadlineMs = 60_000; // a stalled shared machine must not lose samples
  let app: ReturnType<typeof createApp> | undefined;
  const adapter = new DiscordAdapter({
    token: stand.token,
    applicationId: stand.applicationId,
    apiUrl: stand.apiUrl,
    store: new DbRefStore(db),
    log: silentLogger,
    slashCommands: () => slashCommandsFor(app!.bot.registry.all(), app!.services.i18n.translator('en'), app!.services.i18n.translator('cy')),
    autocomplete: (q) => app!.suggestions.suggest(q),
  });
  app = createApp({ db, adapters: [adapter], log: silentLogger });
  await adapter.start((e) => app!.bot.handle(e, adapter.capabilities));
  // the channel belongs to the demo forum, so a newcomer can ask its public register there
  const forum = await db.forum.findFirstOrThrow();
  await db.channel.create({ data: { forumId: forum.id, ref: `discord:${stand.guildId}:${stand.channelId('general')}` } });
  const answer = JSON.stringify(stand.answersTo(await command(stand)).map((a) => a.body));
  if (!answer.includes('Rhian Powell')) throw new Error(`register answer is wrong: ${answer.slice(0, 300)}`);
  const user = { platform: 'discord', id: stand.user('Amira Khan').id, displayName: 'Amira Khan', dmRef: `discord:dm:${stand.user('Amira Khan').id}` };
  const conversation = `discord:${stand.guildId}:${stand.channelId('general')}`;
  const offered = stand.interaction(await autocomplete(stand, TYPING.indexOf('health bo')))?.choices?.map((c) => c.name);
  if (JSON.stringify(offered) !== JSON.stringify(['Health and Social Care Board'])) throw new Error(`autocomplete answer is wrong: ${JSON.stringify(offered)}`);
  let n = 0;
  let typed = 0;
  return {
    db,
    forumId: forum.id,
    run: () => command(stand),
    complete: () => autocomplete(stand, typed++),
    /** the same command straight into the core, to show what the Discord path adds */
    core: () => app!.bot.handle({ kind: 'command', text: TEXT, user, conversation, isDirect: false, eventId: `core-${n++}` }, adapter.capabilities),
    async close() {
      await adapter.stop();
      await stand.close();
      await database.close();
    },
  };
}

/** The four are interleaved in blocks, so a shared machine's load falls on all alike. */
async function measure(kind: 'pglite' | 'postgres') {
  const base = await bare(async () => 'Health and Social Care Board: Rhian Powell');
  const ours = await forumbot(kind);
  const fromDb = registerFloor(ours.db, ours.forumId, 'Health and Social Care Board');
  const floor = await bare((id) => fromDb(`discord:${id}`));
  const answer = JSON.stringify(floor.stand.answersTo(await floor.run()).map((a) => a.body));
  if (!answer.includes('Rhian Powell')) throw new Error(`floor answer is wrong: ${answer.slice(0, 300)}`);
  const cases = [base.run, floor.run, ours.run, ours.core, base.complete, ours.complete].map((fn) => () => time(fn));
  await sampleInBlocks(WARM, WARM, cases);
  const [b, f, o, c, ba, oa] = await sampleInBlocks(N, BLOCK, cases);
  await floor.close();
  await ours.close();
  await base.close();
  return { base: b, floor: f, ours: o, core: c, baseComplete: ba, oursComplete: oa };
}

export async function benchPlatform(): Promise<Row[]> {
  const rows: Row[] = [];
  const kinds: ('pglite' | 'postgres')[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    const { base, floor, ours, core, baseComplete, oursComplete } = await measure(kind);
    const what = `discord: ${N} slash commands "/who represents partnership:…"`;
    for (const [baseline, baselineName] of [
      [base, 'bare discord.js client replying with a fixed text'],
      [floor, 'bare discord.js client replying from the database: event record + register read'],
    ] as const) {
      for (const p of [50, 99]) rows.push(latencyRow(`${what}, p${p} dispatch → reply at the stand-in`, kind, p, ours, baseline, baselineName));
    }
    rows.push(latencyRow(`${what}, p50 through Discord vs the core alone`, kind, 50, ours, core, 'the same command straight into the core (no Discord)'));
    for (const p of [50, 99]) {
      rows.push(latencyRow(`discord: ${N} autocompletes of a partnership name, p${p} dispatch → choices at the stand-in`, kind, p, oursComplete, baseComplete, 'bare discord.js client answering a fixed list'));
    }
  }
  return rows;
}

if (process.argv[2] === 'adapters-discord') report('adapters-discord', await benchPlatform());
