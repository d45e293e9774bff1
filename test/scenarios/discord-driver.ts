import { DbRefStore } from '../../adapters/discord/db-store.ts';
import { DiscordAdapter, type DiscordAdapterOptions } from '../../adapters/discord/discord-adapter.ts';
import { CATCH_ALL, slashCommandsFor, TEXT_OPTION } from '../../adapters/discord/slash-commands.ts';
import { createApp, type App } from '../../src/app.ts';
import type { Feature } from '../../src/core/feature.ts';
import { createLogger, type Logger } from '../../src/core/logger.ts';
import type { Db } from '../../src/db/client.ts';
import { DiscordStandIn, type Recorded } from '../platforms/discord/discord-stand-in.ts';
import { testDatabase } from '../support/database.ts';
import type { ScenarioDriver, Shown } from './driver.ts';

type Json = Record<string, any>;
const ZW = '\u200b';

const componentsOf = (body: Json): Json[] => ((body.components as Json[] | undefined) ?? []).flatMap((row) => (row.components as Json[]) ?? []);
const hashOf = (customId: string) => customId.slice(customId.indexOf(':') + 1);

/** What Discord shows for one message the bot sent: content, embeds, buttons and selects. */
export function discordShown(rec: Recorded, formFields: string[] = []): Shown {
  const b = rec.body;
  const lines: string[] = [];
  if (b.content) lines.push(b.content);
  for (const e of (b.embeds as Json[] | undefined) ?? []) {
    if (e.title) lines.push(e.title);
    if (e.description) lines.push(e.description);
    for (const f of (e.fields as Json[] | undefined) ?? []) lines.push(f.name === ZW ? f.value : `${f.name}: ${f.value}`);
    if (e.footer?.text) lines.push(e.footer.text);
  }
  const buttons: string[] = [];
  const candidates: string[] = [];
  for (const c of componentsOf(b)) {
    if (c.type === 2) buttons.push(c.label);
    if (c.type === 3 && String(c.custom_id).startsWith('b')) {
      for (const o of c.options) if (!candidates.includes(o.label)) candidates.push(o.label);
    } else if (c.type === 3) buttons.push(...c.options.map((o: Json) => o.label));
  }
  return { text: lines.join('\n'), buttons, formFields, candidates, raw: rec };
}

/** What a modal shows: its title and its fields' labels. */
function modalShown(modal: Json): Shown {
  const labels = (modal.components as Json[]).map((c) => c.label as string);
  return { text: [modal.title, ...labels].join('\n'), buttons: [], formFields: (modal.components as Json[]).map((c) => c.component.custom_id), candidates: [], raw: { modal } };
}

export interface DiscordWorld {
  driver: ScenarioDriver;
  stand: DiscordStandIn;
  adapter: DiscordAdapter;
  app: App;
  /** delivers an interaction built with the stand-in, waits until it is answered, returns the answers */
  interact(payload: Json): Promise<Recorded[]>;
}

/** The bot with its Discord adapter (discord.js) running against the Discord stand-in. */
export async function discordWorld(options: Partial<DiscordAdapterOptions> = {}, features?: Feature[]): Promise<DiscordWorld> {
  const database = await testDatabase();
  const db: Db = database.prisma;
  const clock = { now: new Date('2026-11-22T10:00:00Z') };
  const stand = await DiscordStandIn.start();
  // the 3-second rule is tested on its own (test/platforms/discord); here a busy shared machine
  // stalling the embedded database's first queries must not fail a scenario
  stand.callbackDeadlineMs = 15_000;
  const log = options.log ?? createLogger('error');
  let app: App | undefined;
  const adapter = new DiscordAdapter({
    token: stand.token,
    applicationId: stand.applicationId,
    apiUrl: stand.apiUrl,
    store: new DbRefStore(db),
    log,
    retry: { attempts: 4, baseMs: 20 },
    slashCommands: () => slashCommandsFor(app!.bot.registry.all(), app!.services.i18n.translator('en'), app!.services.i18n.translator('cy')),
    autocomplete: (q) => app!.suggestions.suggest(q),
    ...options,
  });
  app = createApp({ db, adapters: [adapter], now: () => clock.now, log, delivery: { baseBackoffMs: 10 }, ...(features ? { features } : {}) });
  await adapter.start((e) => app!.bot.handle(e, adapter.capabilities));
  const seen = new Set<string>();

  /** Sends an interaction, waits until the bot has answered it, and reads the answers. */
  const interact = async (payload: Json): Promise<Recorded[]> => {
    const channelId = payload.channel_id as string;
    const from = stand.messages.length;
    await stand.dispatchInteraction(payload);
    const until = Date.now() + 10_000;
    while (!stand.interaction(payload.id)?.acknowledged && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
    await adapter.idle();
    const posted = stand.messages.slice(from).filter((m) => m.via === 'channel' && m.channelId === channelId && !m.deleted);
    for (const m of posted) seen.add(m.id);
    return [...stand.answersTo(payload.id), ...posted];
  };

  const shownAll = async (user: string, recs: Recorded[]): Promise<Shown[]> => {
    const out: Shown[] = [];
    for (const rec of recs) {
      const opener = componentsOf(rec.body).find((c) => c.type === 2 && /^f\d+:/.test(c.custom_id));
      if (!opener) {
        out.push(discordShown(rec));
        continue;
      }
      // a form: look at its modal to know its fields, as a person opening it would
      const payload = stand.component(user, rec, opener.custom_id);
      await interact(payload);
      const modal = stand.interaction(payload.id)?.modal;
      out.push(discordShown(rec, modal ? modalShown(modal).formFields : []));
    }
    return out;
  };

  const recordOf = (shown: Shown): Recorded => {
    const raw = shown.raw as Recorded | { modal: Json };
    if (!('body' in raw)) throw new Error(`not a message: ${shown.text}`);
    return raw;
  };
  const channelOf = (rec: Recorded) => stand.channelNameOf(rec.channelId);

  const driver: ScenarioDriver = {
    platform: 'discord',
    app: app!,
    db,
    clock,
    async command(user, text, channel) {
      // typed as text: a Welsh word's own command takes the rest as its text; anything else goes to /forumbot
      const takesText = new Set((stand.commands.get('global') ?? []).filter((c) => (c.options as Json[]).some((o) => o.name === TEXT_OPTION)).map((c) => c.name as string));
      const [first = '', ...rest] = text.trim().split(/\s+/);
      const word = first.toLowerCase();
      const payload = takesText.has(word) && word !== CATCH_ALL ? stand.slash(user, word, rest.join(' '), channel) : stand.slash(user, CATCH_ALL, text.trim(), channel);
      return shownAll(user, await interact(payload));
    },
    async press(user, shown, label) {
      const rec = recordOf(shown);
      for (const c of componentsOf(rec.body)) {
        if (c.type === 2 && c.label === label) {
          const payload = stand.component(user, rec, c.custom_id);
          const answers = await interact(payload);
          const modal = stand.interaction(payload.id)?.modal;
          return modal ? [modalShown(modal)] : shownAll(user, answers);
        }
        const option = c.type === 3 ? (c.options as Json[]).find((o) => o.label === label) : undefined;
        if (option) return shownAll(user, await interact(stand.component(user, rec, c.custom_id, [option.value])));
      }
      throw new Error(`no button or option “${label}” in: ${shown.text}`);
    },
    async submit(user, shown, values) {
      const raw = shown.raw as Recorded | { modal: Json };
      let modal: Json | undefined = 'modal' in raw ? raw.modal : undefined;
      let rec: Recorded | undefined = 'body' in raw ? raw : undefined;
      for (let guard = 0; guard < 20; guard++) {
        if (!modal) {
          const opener = rec && componentsOf(rec.body).find((c) => c.type === 2 && /^f\d+:/.test(c.custom_id));
          if (!rec || !opener) throw new Error(`no form in: ${shown.text}`);
          const open = stand.component(user, rec, opener.custom_id);
          await interact(open);
          modal = stand.interaction(open.id)?.modal;
          if (!modal) throw new Error('the form did not open');
        }
        const answers = await interact(stand.modalSubmit(user, modal, values, rec ? channelOf(rec) : undefined));
        modal = undefined;
        const next = answers.find((a) => componentsOf(a.body).some((c) => c.type === 2 && /^f\d+:/.test(c.custom_id)));
        if (!next) return answers.map((a) => discordShown(a));
        rec = next;
      }
      throw new Error('form never finished');
    },
    async rank(user, shown, names) {
      const rec = recordOf(shown);
      const ballotIds = componentsOf(rec.body).filter((c) => /^(b\d+_\d+|c):/.test(c.custom_id)).map((c) => hashOf(c.custom_id));
      if (!ballotIds.length) throw new Error(`no ballot in: ${shown.text}`);
      const hash = ballotIds[0];
      const parts = stand.messages.filter((m) => componentsOf(m.body).some((c) => hashOf(String(c.custom_id ?? '')) === hash));
      const selects = parts.flatMap((m) => componentsOf(m.body).filter((c) => c.type === 3 && hashOf(c.custom_id) === hash).map((c) => ({ m, c })));
      for (const [i, name] of names.entries()) {
        const choice = selects
          .filter(({ c }) => String(c.custom_id).startsWith(`b${i + 1}_`))
          .map(({ m, c }) => ({ m, c, o: (c.options as Json[]).find((o) => o.label === name) }))
          .find((x) => x.o);
        if (!choice) throw new Error(`no candidate “${name}” at rank ${i + 1}`);
        await interact(stand.component(user, choice.m, choice.c.custom_id, [choice.o!.value]));
      }
      const cast = parts.flatMap((m) => componentsOf(m.body).filter((c) => c.type === 2 && String(c.custom_id).startsWith('c:')).map((c) => ({ m, c })))[0];
      if (!cast) throw new Error('no cast button');
      return shownAll(user, await interact(stand.component(user, cast.m, cast.c.custom_id)));
    },
    async inbox(user) {
      const dm = stand.dmChannelId(stand.user(user).id);
      const fresh = stand.channelMessages(dm).filter((m) => !seen.has(m.id));
      for (const m of fresh) seen.add(m.id);
      return fresh.map((m) => discordShown(m));
    },
    async channelPosts(channel) {
      const fresh = stand.channelMessages(stand.channelId(channel)).filter((m) => !seen.has(m.id));
      for (const m of fresh) seen.add(m.id);
      return fresh.map((m) => discordShown(m));
    },
    async settle() {
      await app!.services.broadcasts.idle();
      await app!.services.broadcasts.deliverDue();
      await adapter.idle();
    },
    async advance(ms) {
      clock.now = new Date(clock.now.getTime() + ms);
      await app!.scheduler.catchUp(clock.now);
      await app!.services.broadcasts.idle();
      await app!.services.broadcasts.deliverDue();
      await adapter.idle();
    },
    async close() {
      await app!.services.broadcasts.stop();
      await app!.services.broadcasts.idle();
      await adapter.stop();
      await stand.close();
      await database.close();
    },
  };
  return { driver, stand, adapter, app, interact };
}

export async function discordDriver(options: { log?: Logger } = {}): Promise<ScenarioDriver> {
  return (await discordWorld(options)).driver;
}
