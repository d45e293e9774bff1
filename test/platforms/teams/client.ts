import crypto from 'node:crypto';
import type { TeamsConnectorStandIn } from './connector.ts';

/**
 * Teams' side of the conversation: posts activities to the bot's /api/messages the way Teams
 * does (messages with @mentions in channels, Action.Execute invokes, Action.Submit messages,
 * installs), with the stand-in connector as their serviceUrl. Can deliver an activity twice.
 */
export const TENANT = 'tenant-cvc';
export const BOT = { id: '28:forumbot-app', name: 'Forumbot' };

export interface Where {
  conversation: { id: string; conversationType: 'personal' | 'channel' | 'groupChat'; tenantId: string; isGroup?: boolean };
  channelData: Record<string, unknown>;
}

export interface Posted {
  status: number;
  body: unknown;
}

export const userId = (name: string) => `29:${name}`;

export class TeamsClient {
  constructor(
    readonly botUrl: string,
    readonly connector: TeamsConnectorStandIn,
  ) {}

  personal(user: string): Where {
    return { conversation: { id: `a:personal-${userId(user)}`, conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } } };
  }

  channel(name: string, thread?: string): Where {
    const id = `19:${name}@thread.tacv2`;
    return {
      conversation: { id: thread ? `${id};messageid=${thread}` : id, conversationType: 'channel', tenantId: TENANT, isGroup: true },
      channelData: { tenant: { id: TENANT }, team: { id: `19:team-${name}@thread.tacv2` }, channel: { id } },
    };
  }

  private envelope(user: string, where: Where, extra: Record<string, unknown>) {
    return {
      id: `f:${crypto.randomUUID()}`,
      timestamp: new Date().toISOString(),
      serviceUrl: this.connector.url,
      channelId: 'msteams',
      from: { id: userId(user), name: user, aadObjectId: crypto.createHash('md5').update(user).digest('hex') },
      recipient: BOT,
      locale: 'en-GB',
      ...where,
      ...extra,
    };
  }

  /** Posts one activity; `times` > 1 delivers the very same activity again at once (Teams retrying). */
  async post(activity: Record<string, unknown>, times = 1): Promise<Posted[]> {
    const once = async (): Promise<Posted> => {
      const res = await fetch(`${this.botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        /* plain text */
      }
      return { status: res.status, body };
    };
    return Promise.all(Array.from({ length: times }, once));
  }

  /** A typed message; in a channel it starts a new thread and @mentions the bot, as Teams requires. */
  message(user: string, text: string, where: Where) {
    const inChannel = where.conversation.conversationType !== 'personal';
    const id = `f:${crypto.randomUUID()}`;
    const newThread = where.conversation.conversationType === 'channel' && !where.conversation.id.includes(';messageid=');
    const w = newThread ? { ...where, conversation: { ...where.conversation, id: `${where.conversation.id};messageid=${id}` } } : where;
    return this.envelope(user, w, {
      id,
      type: 'message',
      text: inChannel ? `<at>${BOT.name}</at> ${text}` : text,
      textFormat: 'plain',
      entities: inChannel ? [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }] : [],
    });
  }

  /** Pressing an Action.Execute button: an invoke whose HTTP response carries the answer. */
  execute(user: string, where: Where, replyToId: string, data: Record<string, unknown>) {
    return this.envelope(user, where, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId,
      value: { action: { type: 'Action.Execute', verb: data.verb ?? 'forumbot', data }, trigger: 'manual' },
    });
  }

  /** Pressing an Action.Submit button (older clients): a message with the data as its value. */
  submit(user: string, where: Where, replyToId: string, data: Record<string, unknown>) {
    return this.envelope(user, where, { type: 'message', replyToId, value: data });
  }

  /** The app installed in a team or a personal scope: the bot is among the members added. */
  install(user: string, where: Where) {
    return this.envelope(user, where, { type: 'conversationUpdate', membersAdded: [BOT], channelData: { ...where.channelData, eventType: 'teamMemberAdded' } });
  }

  uninstall(user: string, where: Where) {
    return this.envelope(user, where, { type: 'conversationUpdate', membersRemoved: [BOT], channelData: { ...where.channelData, eventType: 'teamMemberRemoved' } });
  }
}
