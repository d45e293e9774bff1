/**
 * Discord part of bench:adapters: 1,000 slash commands through the Discord stand-in, timed from
 * the gateway dispatch of INTERACTION_CREATE to the bot's reply reaching the stand-in's REST API.
 * forumbot (discord.js adapter + core + database, answering "/who represents us on …?" from the
 * demo register) against a bare discord.js client answering the same command with a fixed text.
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
import { percentile, report, round, timeEach, type Row } from './stats.ts';

const N = 1000;
const WARM = 50;
const TEXT = 'represents us on Health and Social Care Board?';

/** Times N slash commands from dispatch to the reply reaching the stand-in. */
async function timeCommands(stand: DiscordStandIn, check?: (answer: string) => void): Promise<number[]> {
  const one = async () => {
    const p = stand.slash('Amira Khan', 'who', TEXT, 'general');
    const answered = stand.answerOf(p.id);
    await stand.dispatchInteraction(p);
    await answered;
    return p.id as string;
  };
  for (let i = 0; i < WARM; i++) await one();
  if (check) check(JSON.stringify(stand.answersTo(await one()).map((a) => a.body)));
  return timeEach(N, one);
}

/** The bare SDK app: a discord.js client that answers every slash command with a fixed text. */
async function bare(): Promise<number[]> {
  const stand = await DiscordStandIn.start();
  stand.callbackDeadlineMs = 60_000;
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: stand.apiUrl } });
  client.on(Events.InteractionCreate, (i) => {
    if (i.isChatInputCommand()) void i.reply({ content: 'Health and Social Care Board: Rhian Powell', flags: MessageFlags.Ephemeral });
  });
  const ready = new Promise<void>((r) => client.once(Events.ClientReady, () => r()));
  await client.login(stand.token);
  await ready;
  const samples = await timeCommands(stand);
  await client.destroy();
  await stand.close();
  return samples;
}

async function forumbot(kind: 'pglite' | 'postgres'): Promise<{ samples: number[]; core: number[] }> {
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
    slashCommands: () => slashCommandsFor(app!.bot.registry.all(), app!.services.i18n.translator('en')),
  });
  app = createApp({ db, adapters: [adapter], log: silentLogger });
  await adapter.start((e) => app!.bot.handle(e, adapter.capabilities));
  // the demo's people are web accounts; this Discord user is a newcomer asking the public register
  const forum = await db.forum.findFirstOrThrow();
  await db.channel.create({ data: { forumId: forum.id, ref: `discord:${stand.guildId}:${stand.channelId('general')}` } }).catch(() => undefined);
  const samples = await timeCommands(stand, (answer) => {
    if (!answer.includes('Rhian Powell')) throw new Error(`register answer is wrong: ${answer.slice(0, 300)}`);
  });
  // the same command straight into the core, to show what the Discord path adds
  const user = { platform: 'discord', id: stand.user('Amira Khan').id, displayName: 'Amira Khan', dmRef: `discord:dm:${stand.user('Amira Khan').id}` };
  const conversation = `discord:${stand.guildId}:${stand.channelId('general')}`;
  let n = 0;
  const core = await timeEach(N, () => app!.bot.handle({ kind: 'command', text: `who ${TEXT}`, user, conversation, isDirect: false, eventId: `core-${n++}` }, adapter.capabilities));
  await adapter.stop();
  await stand.close();
  await database.close();
  return { samples, core };
}

export async function benchPlatform(): Promise<Row[]> {
  const rows: Row[] = [];
  const kinds: ('pglite' | 'postgres')[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    const base = await bare();
    const { samples: ours, core } = await forumbot(kind);
    for (const p of [50, 99]) {
      rows.push({
        case: `discord: ${N} slash commands "/who represents…", p${p} dispatch → reply at the stand-in`,
        db: kind,
        unit: 'ms',
        better: 'lower',
        value: round(percentile(ours, p)),
        baseline: round(percentile(base, p)),
        baselineName: 'bare discord.js client replying with a fixed text',
      });
    }
    rows.push({
      case: `discord: ${N} slash commands "/who represents…", p50 through Discord vs the core alone`,
      db: kind,
      unit: 'ms',
      better: 'lower',
      value: round(percentile(ours, 50)),
      baseline: round(percentile(core, 50)),
      baselineName: 'the same command straight into the core (no Discord)',
    });
  }
  return rows;
}

if (process.argv[2] === 'adapters-discord') report('adapters-discord', await benchPlatform());
