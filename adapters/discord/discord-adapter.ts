import { Client, Events, GatewayIntentBits, type RateLimitData } from 'discord.js';
import type { Capabilities, ChatAdapter, EventHandler, SendOptions } from '../../src/core/adapter.ts';
import type { IncomingEvent } from '../../src/core/events.ts';
import { silentLogger, type Logger } from '../../src/core/logger.ts';
import type { OutgoingMessage, Reply } from '../../src/core/messages.ts';
import { DiscordRest, nonceFor, toDeliveryError, type RetryPolicy } from './client.ts';
import { conversationOf, InteractionType, modalValues, targetOf, userOf, type RawInteraction } from './parse.ts';
import { MemoryRefStore, parseCustomId, type ParsedId, type PendingRefs, type Ref, type RefStore } from './refs.ts';
import { EPHEMERAL, formSteps, matchTypedOptions, nextStepMessage, renderMessage, renderModal, type DiscordMessage } from './render.ts';
import { clip } from './render.ts';
import { SlashCommandSet } from './slash-commands.ts';
import type { NameQuery } from '../../src/core/suggest.ts';

export interface DiscordAdapterOptions {
  token: string;
  applicationId: string;
  /** REST base, e.g. http://127.0.0.1:PORT/api for a stand-in (DISCORD_API_URL); Discord's by default */
  apiUrl?: string;
  /** register the slash commands in these guilds (instant) instead of globally */
  guildIds?: string[];
  /** the slash commands to register at start (derived from the command registry) */
  slashCommands?: () => SlashCommandSet;
  /** the names to offer for an autocomplete: an election, partnership, seat, candidate, person or organisation */
  autocomplete?: (query: NameQuery) => Promise<string[]>;
  /** an autocomplete not answered within this long gets no choices (Discord allows 3 s) */
  autocompleteWithinMs?: number;
  /** stored component refs and per-user ballot and form progress (the database in production) */
  store?: RefStore;
  log?: Logger;
  /** answer within this long or defer (Discord allows 3 s for the first response) */
  deferAfterMs?: number;
  /** 5xx and connection failures: attempts and first backoff */
  retry?: RetryPolicy;
  /** a 429 asking to wait longer than this is handed to the caller instead of waited out */
  maxRateLimitWaitMs?: number;
}

type Visible = { message: DiscordMessage; ephemeral: boolean };
const GONE = '\u0000gone'; // a command name no registry has: the core answers "that button no longer works"

/**
 * Discord through discord.js: the gateway delivers interactions (slash commands, buttons,
 * selects, modal submits); answers go back through the interaction callback within 3 seconds,
 * deferred when the core is slower, with follow-ups after. Broadcasts post to channels and DMs.
 */
export class DiscordAdapter implements ChatAdapter {
  readonly name = 'discord';
  readonly capabilities: Capabilities = { buttons: true, selects: true, forms: true, ballots: true, ephemeral: true, direct: true };
  readonly client: Client;
  readonly api: DiscordRest;
  private handler: EventHandler | undefined;
  private readonly store: RefStore;
  private readonly log: Logger;
  private readonly refCache = new Map<string, Ref>();
  private readonly recent = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private commands: SlashCommandSet | undefined;

  constructor(private readonly options: DiscordAdapterOptions) {
    this.log = options.log ?? silentLogger;
    this.store = options.store ?? new MemoryRefStore();
    const maxWait = options.maxRateLimitWaitMs ?? 5_000;
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: {
        ...(options.apiUrl ? { api: options.apiUrl } : {}),
        retries: 0,
        rejectOnRateLimit: (data: RateLimitData) => data.retryAfter > maxWait,
      },
    });
    this.client.rest.setToken(options.token);
    this.api = new DiscordRest(this.client.rest, options.applicationId, options.retry ?? { attempts: 4, baseMs: 250 }, this.log);
  }

  async start(handler: EventHandler): Promise<void> {
    this.handler = handler;
    this.client.ws.on('INTERACTION_CREATE' as never, (data: RawInteraction) => this.onInteraction(data));
    this.client.on(Events.ShardResume, () => this.log.info('discord gateway resumed'));
    this.client.on(Events.ShardReconnecting, () => this.log.warn('discord gateway reconnecting'));
    this.client.on(Events.Error, (err) => this.log.error('discord client error', { error: err.message }));
    // discord.js's own logging, through our logger and its redaction filter
    this.client.on(Events.Debug, (detail) => this.log.debug('discord sdk', { source: 'discord.js', detail }));
    this.client.on(Events.Warn, (detail) => this.log.warn('discord sdk', { source: 'discord.js', detail }));
    this.client.rest.on('restDebug', (detail: string) => this.log.debug('discord sdk', { source: 'discord.js rest', detail }));
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    await this.client.login(this.options.token);
    await ready;
    await this.registerCommands();
  }

  private async registerCommands(): Promise<void> {
    this.commands = this.options.slashCommands?.();
    const commands = this.commands?.payload ?? [];
    if (!commands.length) return;
    const scopes = this.options.guildIds?.length ? this.options.guildIds : [undefined];
    for (const guildId of scopes) {
      try {
        await this.api.registerCommands(commands, guildId);
        this.log.info('discord slash commands registered', { count: commands.length, guild: guildId ?? 'global' });
      } catch (err) {
        this.log.error('discord slash commands not registered', { guild: guildId ?? 'global', error: (err as Error).message });
      }
    }
  }

  async stop(): Promise<void> {
    await this.idle();
    await this.client.destroy();
  }

  /** Waits until every interaction received so far is answered (tests, benchmarks, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  async send(conversation: string, message: OutgoingMessage, options?: SendOptions): Promise<void> {
    try {
      const target = targetOf(conversation);
      const messages = await this.render(message);
      const channelId = 'channelId' in target ? target.channelId : await this.api.dmChannel(target.userId);
      for (const [part, m] of messages.entries()) {
        await this.api.postMessage(channelId, m, options?.idempotencyKey ? nonceFor(options.idempotencyKey, part) : undefined);
      }
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  /** Renders a message and stores the refs its components name before it can be clicked. */
  private async render(message: OutgoingMessage): Promise<DiscordMessage[]> {
    const pending: PendingRefs = { toStore: new Map() };
    const out = renderMessage(message, pending);
    await this.storeRefs(pending);
    return out;
  }

  private async storeRefs(pending: PendingRefs): Promise<void> {
    for (const [hash, ref] of pending.toStore) {
      if (this.refCache.has(hash)) continue;
      await this.store.set(`discord:ref:${hash}`, ref);
      this.refCache.set(hash, ref);
    }
  }

  private async resolve(id: ParsedId): Promise<Ref | undefined> {
    if (id.inline) return id.inline;
    const hash = id.hash!;
    const ref = this.refCache.get(hash) ?? (await this.store.get<Ref>(`discord:ref:${hash}`));
    if (ref) this.refCache.set(hash, ref);
    return ref;
  }

  private onInteraction(raw: RawInteraction): void {
    // the gateway may deliver an interaction twice (a resumed session replays); answer it once
    const now = Date.now();
    if (this.recent.has(raw.id)) return this.log.info('discord duplicate interaction ignored', { interaction: raw.id });
    this.recent.set(raw.id, now);
    if (this.recent.size > 5_000) for (const [k, at] of this.recent) if (now - at > 15 * 60_000 || this.recent.size > 4_000) this.recent.delete(k);
    const job: Promise<void> = this.handleInteraction(raw)
      .catch((err) => this.log.error('discord interaction failed', { interaction: raw.id, type: raw.type, error: (err as Error)?.stack ?? String(err) }))
      .finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }

  private async handleInteraction(i: RawInteraction): Promise<void> {
    const user = userOf(i);
    const where = conversationOf(i);
    const base = { user, ...where, eventId: i.id };
    const dispatch = (event: IncomingEvent) => this.answer(i, where.isDirect, () => this.handler!(event));
    const gone = () => dispatch({ ...base, kind: 'action', command: GONE, args: {} });

    if (i.type === InteractionType.Autocomplete) return this.autocomplete(i, { user, conversation: where.conversation });
    if (i.type === InteractionType.Command) return dispatch({ ...base, kind: 'command', text: (this.commands ?? EMPTY).textOf(i.data ?? {}) });
    if (i.type !== InteractionType.Component && i.type !== InteractionType.ModalSubmit) return;

    const id = parseCustomId(i.data?.custom_id ?? '');
    const ref = id && (await this.resolve(id));
    if (!id || !ref) return gone();
    const kind = id.kind;

    if (ref.t === 'action') return dispatch({ ...base, kind: 'action', command: ref.action.command, args: { ...ref.action.args } });
    if (ref.t === 'select') {
      const picked = i.data?.values?.[0];
      if (picked === undefined) return this.api.callback(i.id, i.token, { type: 6 });
      const value = ref.values ? ref.values[Number(picked)] : picked;
      return dispatch({ ...base, kind: 'action', command: ref.action.command, args: { ...ref.action.args, [ref.argName]: value } });
    }
    if (ref.t === 'form') {
      const form = ref.form;
      const step = Number(kind.slice(1)) || 0;
      const progressKey = `discord:form:${id.hash ?? form.id}:${user.id}`;
      if (kind.startsWith('f')) {
        const pending: PendingRefs = { toStore: new Map() };
        const modal = renderModal(form, step, pending);
        await this.storeRefs(pending);
        return this.api.callback(i.id, i.token, { type: 9, data: modal });
      }
      const values = matchTypedOptions(form, { ...((step > 0 && (await this.store.get<Record<string, unknown>>(progressKey))) || {}), ...modalValues(i.data?.components) });
      if (step + 1 < formSteps(form)) {
        await this.store.set(progressKey, values);
        const pending: PendingRefs = { toStore: new Map() };
        const next = nextStepMessage(form, step + 1, pending);
        await this.storeRefs(pending);
        return this.api.callback(i.id, i.token, { type: 4, data: { ...next, flags: EPHEMERAL } });
      }
      await this.store.delete(progressKey);
      return dispatch({ ...base, kind: 'formSubmit', command: form.submit.command, args: { ...form.submit.args }, values });
    }
    // a ranked ballot: each rank's select records a pick, the cast button sends the ranking
    const ballot = ref.ballot;
    const picksKey = `discord:ballot:${id.hash ?? ballot.id}:${user.id}`;
    const picks = (await this.store.get<Record<string, string>>(picksKey)) ?? {};
    if (kind.startsWith('b')) {
      const [rank, chunk] = kind.slice(1).split('_').map(Number);
      const picked = i.data?.values?.[0];
      const inChunk = (cid: string | undefined) => cid !== undefined && Math.floor(ballot.candidates.findIndex((c) => c.id === cid) / 25) === chunk;
      if (picked !== undefined) picks[rank] = ballot.candidates[Number(picked)]?.id;
      else if (inChunk(picks[rank])) delete picks[rank];
      await this.store.set(picksKey, picks);
      return this.api.callback(i.id, i.token, { type: 6 });
    }
    const ranking = Object.keys(picks)
      .map(Number)
      .sort((a, b) => a - b)
      .map((r) => picks[r])
      .filter(Boolean);
    await this.store.delete(picksKey);
    return dispatch({ ...base, kind: 'action', command: ballot.submit.command, args: { ...ballot.submit.args, ranking: ranking.join(',') } });
  }

  /** Offers names for the option being typed: at most 25, each at most 100 characters, within Discord's 3 s. */
  private async autocomplete(i: RawInteraction, who: Pick<NameQuery, 'user' | 'conversation'>): Promise<void> {
    const focused = this.commands?.focusedOf(i.data ?? {});
    let names: string[] = [];
    if (focused && this.options.autocomplete) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), this.options.autocompleteWithinMs ?? 2_500)));
      const found = this.options.autocomplete({ ...who, ...focused }).catch((err) => {
        this.log.error('discord autocomplete failed', { interaction: i.id, error: (err as Error)?.message ?? String(err) });
        return [];
      });
      names = await Promise.race([found, late]);
      clearTimeout(timer);
    }
    const choices = names.slice(0, 25).map((n) => ({ name: clip(n, 100), value: clip(n, 100) }));
    await this.api.callback(i.id, i.token, { type: 8, data: { choices } });
  }

  /** Runs the core, answering within Discord's 3 seconds: directly if it is quick, else defer and follow up. */
  private async answer(i: RawInteraction, isDirect: boolean, work: () => Promise<Reply[]>): Promise<void> {
    const job = work();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.options.deferAfterMs ?? 1_500)));
    const first = await Promise.race([job, late]);
    clearTimeout(timer);
    if (first !== 'late') return this.respond(i, isDirect, first, false);
    await this.api.callback(i.id, i.token, { type: 5, data: { flags: isDirect ? 0 : EPHEMERAL } });
    return this.respond(i, isDirect, await job, true);
  }

  private async respond(i: RawInteraction, isDirect: boolean, replies: Reply[], deferred: boolean): Promise<void> {
    const user = userOf(i);
    const visible: Visible[] = [];
    const direct: OutgoingMessage[] = [];
    for (const reply of replies) {
      if (reply.visibility === 'direct' && !isDirect) {
        direct.push(reply.message);
        continue;
      }
      for (const message of await this.render(reply.message)) visible.push({ message, ephemeral: reply.visibility !== 'conversation' && !isDirect });
    }
    for (const m of direct) await this.send(`discord:dm:${user.id}`, m);
    // a private message sent elsewhere still answers the interaction, so the user knows where it went
    if (!visible.length && direct.length) for (const message of await this.render(direct[0])) visible.push({ message, ephemeral: true });

    if (!deferred) {
      if (!visible.length) {
        if (i.type === InteractionType.Component) await this.api.callback(i.id, i.token, { type: 6 });
        return;
      }
      const [head, ...rest] = visible;
      await this.api.callback(i.id, i.token, { type: 4, data: withFlags(head) });
      for (const v of rest) await this.api.followUp(i.token, withFlags(v));
      return;
    }
    // deferred: the "thinking" message (ephemeral in a channel) becomes the first private reply
    const firstPrivate = isDirect ? visible[0] : visible.find((v) => v.ephemeral);
    if (firstPrivate) await this.api.editOriginal(i.token, firstPrivate.message);
    else await this.api.deleteOriginal(i.token);
    const channelId = i.channel_id ?? i.channel?.id;
    for (const v of visible) {
      if (v === firstPrivate) continue;
      if (firstPrivate || !channelId) await this.api.followUp(i.token, withFlags(v));
      else await this.api.postMessage(channelId, v.message);
    }
  }
}

const EMPTY = new SlashCommandSet([], (() => '') as never);
const withFlags = (v: Visible): DiscordMessage => (v.ephemeral ? { ...v.message, flags: EPHEMERAL } : v.message);

