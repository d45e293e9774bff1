import { App, LogLevel, SocketModeReceiver, webApi, type Logger as SlackLogger, type Receiver } from '@slack/bolt';
import { DeliveryError, type Capabilities, type ChatAdapter, type EventHandler, type SendOptions } from '../../src/core/adapter.ts';
import type { IncomingEvent } from '../../src/core/events.ts';
import type { Logger } from '../../src/core/logger.ts';
import type { OutgoingMessage, Reply } from '../../src/core/messages.ts';
import type { WebRoutes } from '../../src/web/server.ts';
import { defaultPolicy, SlackCaller, type RetryPolicy } from './client.ts';
import { Packer } from './pack.ts';
import { isUserId, parseAction, parseCommand, parseHomeOpened, parseMessageEvent, parseRef, parseViewSubmission, slackRef, type Parsed, type ReplyContext } from './parse.ts';
import { RouteReceiver } from './receiver.ts';
import { ballotView, formView, homeTab, renderMessage, type SlackMessage } from './render.ts';

export interface SlackAdapterOptions {
  botToken: string;
  /** HTTP mode: requests to /slack/events are checked with it */
  signingSecret?: string;
  /** Socket Mode when set (xapp-…) */
  appToken?: string;
  /** the Web API's base, e.g. http://127.0.0.1:PORT/api/ for a stand-in */
  apiUrl?: string;
  log: Logger;
  retry?: Partial<RetryPolicy>;
  /** a trigger_id is good for 3 s; past this age a form is offered as a button instead of opened */
  triggerFreshMs?: number;
}

const USER_CACHE_MS = 60 * 60 * 1000;

/**
 * Slack through Bolt. Every listener acks at once (Slack wants it within 3 s) and the work runs
 * after: replies go to the response_url or through chat.postMessage / chat.postEphemeral, forms
 * and ballots open as modals (views.open with the interaction's trigger_id), direct messages go
 * through conversations.open. Retried deliveries carry the same event id, so the core runs them once.
 */
export class SlackAdapter implements ChatAdapter {
  readonly name = 'slack';
  readonly capabilities: Capabilities = { buttons: true, selects: true, forms: true, ballots: true, ephemeral: true, direct: true };
  readonly packer = new Packer();
  private app: App | undefined;
  private caller: SlackCaller | undefined;
  private receiver: RouteReceiver | undefined;
  private handler: EventHandler | undefined;
  private botUserId: string | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly dmChannels = new Map<string, string>();
  private readonly names = new Map<string, { name: string; at: number }>();
  private readonly sentKeys = new Set<string>();
  private readonly slackLog: SlackLogger;

  constructor(private readonly options: SlackAdapterOptions) {
    if (!options.signingSecret && !options.appToken) throw new Error('Slack needs SLACK_SIGNING_SECRET (HTTP events) or SLACK_APP_TOKEN (Socket Mode)');
    this.slackLog = bridgeLogger(options.log);
    if (!options.appToken) this.receiver = new RouteReceiver(options.signingSecret!, this.slackLog);
  }

  get socketMode(): boolean {
    return !!this.options.appToken;
  }

  /** The HTTP endpoint Slack posts events, commands and interactions to (none in Socket Mode). */
  routes(): WebRoutes[] {
    return this.receiver ? [this.receiver.route()] : [];
  }

  async start(handler: EventHandler): Promise<void> {
    this.handler = handler;
    const o = this.options;
    const clientOptions = {
      ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    };
    const receiver: Receiver = o.appToken
      ? new SocketModeReceiver({ appToken: o.appToken, logger: this.slackLog, installerOptions: { clientOptions } })
      : this.receiver!;
    // our calls go through one WebClient with our retry rules; auth.test says who the bot is
    const client = new webApi.WebClient(o.botToken, { ...clientOptions, logger: this.slackLog });
    this.caller = new SlackCaller(client, o.log, { ...defaultPolicy, ...o.retry });
    const auth = await this.caller.call<{ user_id?: string; bot_id?: string }>('auth.test', {}).catch((err: Error) => {
      throw new Error(`Slack refused the bot token or could not be reached (${err.message}). Check SLACK_BOT_TOKEN${o.apiUrl ? ' and SLACK_API_URL' : ''}.`);
    });
    this.botUserId = auth.user_id;
    const app = new App({
      token: o.botToken,
      receiver,
      clientOptions,
      logger: this.slackLog,
      tokenVerificationEnabled: false,
      botId: auth.bot_id,
      botUserId: auth.user_id,
      ...(o.appToken ? { socketMode: true, appToken: o.appToken } : {}),
    });
    this.app = app;

    app.command(/.*/, async ({ ack, body }) => {
      await ack();
      this.later(() => this.run(parseCommand(body, Date.now())));
    });
    app.event('message', async ({ body }) => {
      const parsed = parseMessageEvent(body, this.botUserId, Date.now());
      if (parsed) this.later(() => this.run(parsed));
    });
    app.event('app_mention', async ({ body }) => {
      const parsed = parseMessageEvent(body, this.botUserId, Date.now());
      if (parsed) this.later(() => this.run(parsed));
    });
    // the member's Home tab: their home view, published afresh each time they open it
    app.event('app_home_opened', async ({ body }) => {
      const opened = parseHomeOpened(body);
      if (opened) this.later(() => this.publishHome(opened.team, opened.user, opened.channel, opened.eventId));
    });
    app.action(/^fb:/, async ({ ack, body }) => {
      await ack();
      const parsed = parseAction(body, this.packer, Date.now());
      if (parsed) this.later(() => this.run(parsed));
    });
    app.view(/^fb:/, async ({ ack, body }) => {
      await ack();
      const parsed = parseViewSubmission(body, this.packer, Date.now());
      if (parsed) this.later(() => this.run(parsed));
    });
    app.error(async (err) => {
      o.log.error('slack listener failed', { error: String(err?.stack ?? err) });
    });
    await app.start();
  }

  async stop(): Promise<void> {
    await this.idle();
    if (this.app) await this.app.stop();
    this.app = undefined;
  }

  /** Resolves when the work started by events received so far (replies included) is done. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private later(work: () => Promise<void>): void {
    const p = work().catch((err) => this.options.log.error('slack event failed', { error: String((err as Error)?.stack ?? err) }));
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private get call(): SlackCaller {
    if (!this.caller) throw new Error('the Slack adapter is not started');
    return this.caller;
  }

  /** One parsed Slack event: open a modal, or run it through the core and deliver the replies. */
  private async run(parsed: Parsed): Promise<void> {
    const { ctx } = parsed;
    if (parsed.open) {
      const open = parsed.open as { k: string };
      if ((open.k === 'form' || open.k === 'ballot') && ctx.triggerId) {
        const home = !!ctx.fromHome;
        const view = parsed.open.k === 'form' ? formView(parsed.open.form, this.packer, ctx.conversation, home) : ballotView(parsed.open.ballot, this.packer, ctx.conversation, home);
        await this.call.call('views.open', { trigger_id: ctx.triggerId, view });
        return;
      }
      // the form's definition is gone (the bot restarted since the message): the core says so
      parsed = { ...parsed, event: { kind: 'action', command: '', args: {}, conversation: ctx.conversation, isDirect: ctx.isDirect } };
    }
    if (!parsed.event || !this.handler) return;
    const user = { platform: 'slack', id: ctx.user, displayName: await this.displayName(ctx.team, ctx.user, parsed.nameHint), dmRef: slackRef(ctx.team, ctx.user) };
    const replies = await this.handler({ ...parsed.event, user } as IncomingEvent);
    await this.deliver(replies, ctx);
    // done from the Home tab (a vote cast, a nomination made): the tab shows what is left
    if (ctx.fromHome && replies.length) await this.publishHome(ctx.team, ctx.user, undefined, undefined, user.displayName);
  }

  /**
   * Publishes a member's Home tab: the core's `home` for them (the same view as the command), as
   * Block Kit on the home surface (views.publish). Its buttons come back as block_actions from a
   * view, answered in the member's DM; forms and ballots open as modals.
   */
  private async publishHome(team: string, userId: string, channel?: string, eventId?: string, name?: string): Promise<void> {
    if (!this.handler) return;
    const user = { platform: 'slack', id: userId, displayName: name ?? (await this.displayName(team, userId)), dmRef: slackRef(team, userId) };
    const conversation = slackRef(team, channel ?? userId);
    const replies = await this.handler({ kind: 'action', command: 'home', args: {}, conversation, isDirect: true, user, ...(eventId ? { eventId } : {}) });
    const home = replies.find((r) => r.message.blocks?.length);
    if (!home) return; // a retried delivery of the same opening: already published
    await this.call.call('views.publish', { user_id: userId, view: homeTab(home.message, this.packer) });
  }

  /** Sends each reply where its visibility says; one form or ballot may open as a modal. */
  private async deliver(replies: Reply[], ctx: ReplyContext): Promise<void> {
    let triggerUsed = false;
    for (const reply of replies) {
      const fresh = !triggerUsed && !!ctx.triggerId && Date.now() - ctx.receivedAt < (this.options.triggerFreshMs ?? 2_500);
      let rendered = renderMessage(reply.message, this.packer, fresh ? { modalFor: { conversation: ctx.conversation, home: ctx.fromHome } } : {});
      if (rendered.modal) {
        triggerUsed = true;
        try {
          await this.call.call('views.open', { trigger_id: ctx.triggerId, view: rendered.modal });
        } catch (err) {
          this.options.log.warn('slack modal could not open; offering a button', { error: (err as Error).message });
          rendered = renderMessage(reply.message, this.packer);
        }
      }
      for (const m of rendered.messages) {
        try {
          await this.post(reply.visibility, m, ctx);
        } catch (err) {
          this.options.log.error('slack reply failed', { visibility: reply.visibility, error: (err as Error).message });
        }
      }
    }
  }

  private async post(visibility: Reply['visibility'], m: SlackMessage, ctx: ReplyContext): Promise<void> {
    if (visibility === 'direct' || (!ctx.channel && !ctx.responseUrl)) return this.postTo(ctx.team, ctx.user, m);
    if (ctx.responseUrl) {
      try {
        return await this.call.respond(ctx.responseUrl, { ...m, response_type: visibility === 'ephemeral' ? 'ephemeral' : 'in_channel', replace_original: false });
      } catch (err) {
        // a response_url is good for 30 minutes and 5 answers: past that, the Web API still works
        this.options.log.warn('slack response_url failed; posting through the Web API', { error: (err as Error).message });
        if (!ctx.channel) return this.postTo(ctx.team, ctx.user, m);
      }
    }
    if (visibility === 'ephemeral' && !ctx.isDirect) {
      await this.call.call('chat.postEphemeral', { channel: ctx.channel, user: ctx.user, ...m });
    } else {
      await this.call.call('chat.postMessage', { channel: ctx.channel, ...m });
    }
  }

  /** Posts to a channel, or to a user's DM (opened with conversations.open, remembered). */
  private async postTo(team: string, id: string, m: SlackMessage, extra: Record<string, unknown> = {}): Promise<void> {
    const channel = await this.channelOf(team, id);
    await this.call.call('chat.postMessage', { channel, ...m, ...extra });
  }

  /** The channel to post in: the id itself, or a user's DM channel. */
  private async channelOf(team: string, id: string): Promise<string> {
    if (!isUserId(id)) return id;
    const key = `${team}:${id}`;
    let channel = this.dmChannels.get(key) ?? '';
    if (!channel) {
      const opened = await this.call.call<{ channel?: { id: string } }>('conversations.open', { users: id });
      channel = opened.channel!.id;
      this.dmChannels.set(key, channel);
    }
    return channel;
  }

  /**
   * The parts of a delivery already in the conversation: the bot's posts since `since` whose
   * metadata names the delivery (conversations.history, at most 5 pages of 200).
   */
  private async partsAlreadyPosted(team: string, id: string, delivery: string, since: Date): Promise<Set<number>> {
    const channel = await this.channelOf(team, id);
    const found = new Set<number>();
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const r = await this.call.call<{ messages?: { metadata?: { event_type?: string; event_payload?: { delivery?: string; part?: number } } }[]; response_metadata?: { next_cursor?: string } }>(
        'conversations.history',
        { channel, oldest: (since.getTime() / 1000 - 60).toFixed(6), limit: 200, include_all_metadata: true, ...(cursor ? { cursor } : {}) },
      );
      for (const m of r.messages ?? []) {
        if (m.metadata?.event_type === 'forumbot_delivery' && m.metadata.event_payload?.delivery === delivery) found.add(Number(m.metadata.event_payload.part ?? 0));
      }
      cursor = r.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return found;
  }

  async send(conversation: string, message: OutgoingMessage, options?: SendOptions): Promise<void> {
    const ref = parseRef(conversation);
    if (!ref) throw new DeliveryError(`not a Slack conversation: ${conversation}`, undefined, true);
    const { messages } = renderMessage(message, this.packer);
    // a later attempt looks in the conversation first: another instance may have posted it before it died
    const posted =
      options?.idempotencyKey && options.maybeSentSince ? await this.partsAlreadyPosted(ref.team, ref.id, options.idempotencyKey, options.maybeSentSince) : new Set<number>();
    for (let i = 0; i < messages.length; i++) {
      // a retried delivery skips the parts that already went out
      const key = options?.idempotencyKey ? `${options.idempotencyKey}#${i}` : undefined;
      if (key && (this.sentKeys.has(key) || posted.has(i))) continue;
      // message metadata marks a delivery (a broadcast), so it can be told from a reply
      const metadata = options?.idempotencyKey ? { metadata: { event_type: 'forumbot_delivery', event_payload: { delivery: options.idempotencyKey, part: i } } } : {};
      await this.postTo(ref.team, ref.id, messages[i], metadata);
      if (key) {
        if (this.sentKeys.size > 20_000) this.sentKeys.delete(this.sentKeys.values().next().value!);
        this.sentKeys.add(key);
      }
    }
  }

  /** The user's display name (users.info, cached for an hour); the payload's name if Slack cannot say. */
  private async displayName(team: string, user: string, hint?: string): Promise<string> {
    const key = `${team}:${user}`;
    const cached = this.names.get(key);
    if (cached && Date.now() - cached.at < USER_CACHE_MS) return cached.name;
    try {
      const info = await this.call.call<{ user?: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } } }>('users.info', { user });
      const u = info.user;
      const name = u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name || hint || user;
      this.names.set(key, { name, at: Date.now() });
      return name;
    } catch (err) {
      this.options.log.warn('slack users.info failed', { error: (err as Error).message });
      return cached?.name ?? hint ?? user;
    }
  }
}

function bridgeLogger(log: Logger): SlackLogger {
  let level = LogLevel.WARN;
  const fields = (msgs: unknown[]) => ({ source: 'bolt', detail: msgs.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ') });
  return {
    debug: (...m: unknown[]) => log.debug('slack sdk', fields(m)),
    info: (...m: unknown[]) => log.info('slack sdk', fields(m)),
    warn: (...m: unknown[]) => log.warn('slack sdk', fields(m)),
    error: (...m: unknown[]) => log.error('slack sdk', fields(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
