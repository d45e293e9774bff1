import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import { ActivityTypes, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { DeliveryError, type Capabilities, type ChatAdapter, type EventHandler, type SendOptions } from '../../src/core/adapter.ts';
import type { EventUser, IncomingEvent } from '../../src/core/events.ts';
import type { Logger } from '../../src/core/logger.ts';
import type { OutgoingMessage, Reply } from '../../src/core/messages.ts';
import type { Db } from '../../src/db/client.ts';
import { sendError, type WebRoutes } from '../../src/web/server.ts';
import { TeamsConversations, type StoredConversation } from './conversations.ts';
import { conversationRef, dmRef, isPersonal, messageEvent, submissionEvent } from './parse.ts';
import { cardActivity, emptyCard, packCards, renderMessage, SUMMARY_MAX, textUnits, VERB, type AdaptiveCard, type MessageActivity } from './render.ts';

export interface TeamsOptions {
  db: Db;
  log: Logger;
  /** the bot's Microsoft app id and secret; with neither, no authentication either way (local use) */
  appId?: string;
  appPassword?: string;
  /** the app's home tenant, for a single-tenant app registration */
  tenantId?: string;
  /** retries of a reply that failed inside the turn, after the SDK's own three (default 5, from 2 s doubling) */
  replyRetries?: { attempts: number; baseMs: number };
}

type ConnectorLike = { conversations: { sendToConversation(id: string, activity: Partial<Activity>): Promise<unknown> } };

/**
 * Microsoft Teams through @microsoft/teams-ai on botbuilder. Teams posts activities to
 * POST /api/messages; the bot answers through the Bot Connector at the activity's serviceUrl
 * (the SDK retries 429 after their Retry-After, 5xx and dropped connections with backoff), or, for
 * Action.Execute, in the HTTP body. Broadcasts and direct messages go out proactively from the
 * conversation references stored in TeamsConversation.
 */
export class TeamsChatAdapter implements ChatAdapter {
  readonly name = 'teams';
  /** Teams has no ephemeral messages: private replies go to the person's chat with the bot, or replace the card they pressed */
  readonly capabilities: Capabilities = { buttons: true, selects: true, forms: true, ballots: true, ephemeral: false, direct: true };
  readonly conversations: TeamsConversations;
  private readonly adapter: TeamsAdapter;
  private readonly app: Application;
  private readonly appId: string;
  private readonly log: Logger;
  private readonly retries: { attempts: number; baseMs: number };
  private handler: EventHandler | undefined;
  private readonly pending = new Set<Promise<void>>();
  /** parts of messages already sent, by idempotency key: a retried send skips them */
  private readonly sentParts = new Set<string>();

  constructor(options: TeamsOptions) {
    this.log = options.log;
    this.appId = options.appId ?? '';
    this.retries = options.replyRetries ?? { attempts: 5, baseMs: 2_000 };
    this.conversations = new TeamsConversations(options.db);
    const auth = options.appId
      ? {
          MicrosoftAppId: options.appId,
          MicrosoftAppPassword: options.appPassword,
          MicrosoftAppType: options.tenantId ? 'SingleTenant' : 'MultiTenant',
          ...(options.tenantId ? { MicrosoftAppTenantId: options.tenantId } : {}),
        }
      : {};
    this.adapter = new TeamsAdapter(auth);
    this.app = new Application({ adapter: this.adapter, botAppId: this.appId, startTypingTimer: false, removeRecipientMention: true, longRunningMessages: false });
    this.routeActivities();
  }

  async start(handler: EventHandler): Promise<void> {
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
    await this.idle();
  }

  /** Waits for replies being retried in the background (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** POST /api/messages (a Fastify plugin): a JSON activity of at most 1 MB. */
  routes(): WebRoutes[] {
    const plugin: WebRoutes = async (app) => {
      app.post('/api/messages', { bodyLimit: 1024 * 1024 }, async (req, reply) => {
        if (!req.body || typeof req.body !== 'object') return sendError(reply, 400, 'web.error.badRequest', {}, ['body: must be a JSON activity']);
        const out = await this.process(req.method, req.headers, req.body);
        if (out.body === undefined || out.body === null) return reply.code(out.status).headers(out.headers).send();
        if (typeof out.body === 'string') return reply.code(out.status).headers(out.headers).type('text/plain; charset=utf-8').send(out.body);
        return reply.code(out.status).headers(out.headers).type('application/json; charset=utf-8').send(JSON.stringify(out.body));
      });
    };
    return [plugin];
  }

  /** One POST from Teams: authenticated by botbuilder when an app id is set, then run as a turn. */
  async process(method: string, headers: Record<string, unknown>, body: unknown): Promise<{ status: number; body: unknown; headers: Record<string, string> }> {
    const out = { status: 200, body: undefined as unknown, headers: {} as Record<string, string> };
    if (!this.handler) return { ...out, status: 503, body: { error: 'not started' } };
    const shim = {
      status: (code: number) => void (out.status = code),
      header: (name: string, value: string) => void (out.headers[name] = value),
      send: (b: unknown) => void (out.body = b),
      end: () => {},
    };
    await this.adapter.process({ method, headers, body } as never, shim as never, async (ctx) => {
      await this.app.run(ctx);
    });
    return out;
  }

  private routeActivities(): void {
    this.app.turn('beforeTurn', async (ctx) => {
      await this.conversations.remember(ctx.activity);
      return true;
    });
    this.app.conversationUpdate('membersRemoved', async (ctx) => {
      const a = ctx.activity;
      if (a.membersRemoved?.some((m) => m.id === a.recipient.id)) await this.conversations.forget(conversationRef(a));
    });
    this.app.conversationUpdate('membersAdded', async () => {}); // installed: the reference is stored before the turn
    this.app.adaptiveCards.actionExecute<Record<string, unknown>>(VERB, async (ctx, _state, data) => {
      const event = submissionEvent(ctx.activity, data);
      if (!event) return ' ';
      return this.runTurn(ctx, event, true);
    });
    this.app.adaptiveCards.actionSubmit<Record<string, unknown>>(VERB, async (ctx, _state, data) => {
      const event = submissionEvent(ctx.activity, data);
      if (event) await this.runTurn(ctx, event, false);
    });
    this.app.activity(ActivityTypes.Message, async (ctx) => {
      const text = (ctx.activity.text ?? '').trim();
      if (text) await this.runTurn(ctx, messageEvent(ctx.activity, text), false);
    });
    this.app.error(async (_ctx, err) => {
      this.log.error('teams turn failed', { error: String(err?.stack ?? err) });
      throw err; // a 500 makes Teams deliver again; the event id makes the retry safe
    });
  }

  /**
   * Runs the core and delivers its replies. Public replies go to the conversation (in a channel,
   * the thread); private ones to the person's chat with the bot, or, for a pressed card, into that
   * card for that person alone (the Action.Execute response).
   */
  private async runTurn(ctx: TurnContext, event: IncomingEvent, invoke: boolean): Promise<AdaptiveCard | string> {
    const replies: Reply[] = await this.handler!(event);
    const personal = isPersonal(ctx.activity);
    const inTurn: MessageActivity[] = [];
    const privately: MessageActivity[][] = [];
    const forInteractor: OutgoingMessage[] = [];
    for (const r of replies) {
      if (r.visibility === 'conversation' || personal) inTurn.push(...renderMessage(r.message));
      else if (r.visibility === 'ephemeral' && invoke) forInteractor.push(r.message);
      else privately.push(renderMessage(r.message));
    }
    let card: AdaptiveCard | undefined;
    if (forInteractor.length) {
      const [first, ...rest] = forInteractor.flatMap(cardsOf);
      card = first;
      // more than one card's worth: the rest follows in the person's chat with the bot
      if (rest.length) privately.push(rest.map((c) => cardActivity(c, forInteractor[0].text)));
    }
    await this.replyInTurn(ctx, inTurn);
    for (const m of privately) await this.sendPrivately(event.user, m);
    if (!invoke) return ' ';
    if (card) return card;
    const summary = replies[0]?.message.text ?? '';
    return summary ? summary.slice(0, SUMMARY_MAX) : ' ';
  }

  /** Sends replies in the turn, one by one; what fails (after the SDK's retries) is retried later, in order. */
  private async replyInTurn(ctx: TurnContext, activities: MessageActivity[]): Promise<void> {
    for (let i = 0; i < activities.length; i++) {
      try {
        await ctx.sendActivity(activities[i]);
      } catch (err) {
        const rest = activities.slice(i);
        const reference = TurnContext.getConversationReference(ctx.activity);
        this.log.warn('teams reply failed, retrying', { error: describe(err), conversation: conversationRef(ctx.activity) });
        this.later('reply', async () => {
          await this.adapter.continueConversationAsync(this.appId, reference as ConversationReference, async (c) => {
            while (rest.length) {
              await c.sendActivity(rest[0]);
              rest.shift();
            }
          });
        });
        return;
      }
    }
  }

  private async sendPrivately(user: EventUser, activities: MessageActivity[]): Promise<void> {
    const send = () => this.sendActivities(dmRef(user.id), activities);
    try {
      await send();
    } catch (err) {
      const e = toDeliveryError(err);
      this.log.warn('teams private reply failed', { error: e.message, permanent: e.permanent });
      if (!e.permanent) this.later('private reply', send);
      else this.log.error('teams private reply failed for good', { error: e.message });
    }
  }

  /** Retries in the background with backoff (or the platform's Retry-After); logs what finally fails. */
  private later(what: string, attempt: () => Promise<void>): void {
    const run = (async () => {
      let wait = this.retries.baseMs;
      for (let n = 1; n <= this.retries.attempts; n++) {
        await new Promise((r) => setTimeout(r, wait));
        try {
          await attempt();
          return;
        } catch (err) {
          const e = toDeliveryError(err);
          if (e.permanent || n === this.retries.attempts) {
            this.log.error(`teams ${what} failed for good`, { attempts: n, error: e.message });
            return;
          }
          wait = e.retryAfterMs ?? wait * 2;
        }
      }
    })();
    const tracked = run.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Posts a message unprompted (broadcasts, direct messages) as new posts in the stored conversation. */
  async send(conversation: string, message: OutgoingMessage, options?: SendOptions): Promise<void> {
    await this.sendActivities(conversation, renderMessage(message), options?.idempotencyKey);
  }

  private async sendActivities(ref: string, activities: MessageActivity[], key?: string): Promise<void> {
    const row = await this.conversations.find(ref);
    if (!row) throw new DeliveryError(`no Teams conversation stored for ${ref}: the bot must be installed there or addressed first`, undefined, true);
    try {
      const target = row.conversationId ? (row as StoredConversation & { conversationId: string }) : await this.openPersonalChat(row);
      await this.adapter.continueConversationAsync(this.appId, TeamsConversations.reference(target) as ConversationReference, async (ctx) => {
        const connector = ctx.turnState.get(ctx.adapter.ConnectorClientKey) as ConnectorLike;
        for (const [i, activity] of activities.entries()) {
          const part = key ? `${key}#${i}` : undefined;
          if (part && this.sentParts.has(part)) continue;
          await connector.conversations.sendToConversation(target.conversationId, {
            ...activity,
            channelId: 'msteams',
            from: { id: target.botId, name: target.botName ?? '' },
            conversation: { id: target.conversationId, isGroup: target.conversationType !== 'personal', conversationType: target.conversationType, name: '' },
          } as Partial<Activity>);
          if (part) this.markSent(part);
        }
      });
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  private markSent(part: string): void {
    this.sentParts.add(part);
    if (this.sentParts.size > 10_000) this.sentParts.delete(this.sentParts.values().next().value!);
  }

  /** Creates the person's chat with the bot (Teams allows it once the app is installed for them). */
  private async openPersonalChat(row: StoredConversation): Promise<StoredConversation & { conversationId: string }> {
    if (!row.userId) throw new DeliveryError(`no user for ${row.ref}`, undefined, true);
    let id: string | undefined;
    await this.adapter.createConversationAsync(
      this.appId,
      'msteams',
      row.serviceUrl,
      this.appId ? 'https://api.botframework.com' : '',
      {
        isGroup: false,
        bot: { id: row.botId, name: row.botName ?? '' },
        members: [{ id: row.userId, name: '' }],
        tenantId: row.tenantId ?? undefined,
        channelData: row.tenantId ? { tenant: { id: row.tenantId } } : undefined,
      } as never,
      async (ctx) => {
        id = ctx.activity.conversation?.id;
      },
    );
    if (!id) throw new DeliveryError(`Teams did not open a chat for ${row.ref}`);
    const opened = { ...row, conversationId: id };
    await this.conversations.save(opened);
    return opened;
  }
}

/** A message as cards only (an Action.Execute response is one card). */
function cardsOf(message: OutgoingMessage): AdaptiveCard[] {
  return renderMessage(message).flatMap((a) => a.attachments?.map((x) => x.content) ?? (a.text ? packCards(textUnits(a.text)) : [emptyCard()]));
}

function describe(err: unknown): string {
  const e = err as { statusCode?: number; message?: string; code?: string };
  return [e?.statusCode, e?.code, e?.message].filter(Boolean).join(' ') || String(err);
}

/** The connector's answer as the core's delivery error: 429/503 wait, other 4xx are final, the rest retry. */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { statusCode?: number; response?: { status?: number; headers?: { get?(n: string): string | undefined } } };
  const status = e?.statusCode ?? e?.response?.status;
  const retryAfter = Number(e?.response?.headers?.get?.('retry-after'));
  const message = `Teams connector: ${describe(err)}`;
  if (status === 429 || status === 503) return new DeliveryError(message, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
  if (status && status >= 400 && status < 500 && status !== 408) return new DeliveryError(message, undefined, true);
  return new DeliveryError(message);
}
