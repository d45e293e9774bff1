import type { Activity, ConversationReference } from 'botbuilder';
import type { Db } from '../../src/db/client.ts';
import { baseConversationId, conversationRef, dmRef, isPersonal } from './parse.ts';

export interface StoredConversation {
  ref: string;
  conversationId: string | null;
  conversationType: string;
  serviceUrl: string;
  tenantId: string | null;
  botId: string;
  botName: string | null;
  userId: string | null;
}

const same = (a: StoredConversation, b: StoredConversation) =>
  a.conversationId === b.conversationId && a.serviceUrl === b.serviceUrl && a.tenantId === b.tenantId && a.botId === b.botId && a.conversationType === b.conversationType;

/**
 * The conversation references the adapter needs to post unprompted, kept in the database (so any
 * instance, and a restarted one, can send) with an in-memory copy so a busy chat writes only
 * when something changed.
 */
export class TeamsConversations {
  private readonly cache = new Map<string, StoredConversation>();

  constructor(private readonly db: Db) {}

  /** Records where an incoming activity came from, and where its sender can be reached privately. */
  async remember(a: Partial<Activity>): Promise<void> {
    if (!a.serviceUrl || !a.conversation?.id || !a.recipient?.id || !a.from?.id) return;
    const tenantId = a.conversation.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? null;
    const common = { serviceUrl: a.serviceUrl, tenantId, botId: a.recipient.id, botName: a.recipient.name ?? null };
    const personal = isPersonal(a);
    const rows: StoredConversation[] = [
      personal
        ? { ref: dmRef(a.from.id), conversationId: a.conversation.id, conversationType: 'personal', userId: a.from.id, ...common }
        : { ref: conversationRef(a), conversationId: baseConversationId(a.conversation.id), conversationType: a.conversation.conversationType ?? 'groupChat', userId: null, ...common },
    ];
    // someone seen only in a channel can still be written to: the chat is created on first use
    if (!personal && a.from.id !== a.recipient.id && a.type !== 'conversationUpdate') {
      const known = this.cache.get(dmRef(a.from.id)) ?? (await this.find(dmRef(a.from.id)));
      if (!known) rows.push({ ref: dmRef(a.from.id), conversationId: null, conversationType: 'personal', userId: a.from.id, ...common });
    }
    for (const row of rows) await this.save(row);
  }

  async save(row: StoredConversation): Promise<void> {
    const cached = this.cache.get(row.ref);
    if (cached && same(cached, row)) return;
    const { ref, ...data } = row;
    await this.db.teamsConversation.upsert({ where: { ref }, create: row, update: data });
    this.cache.set(ref, row);
  }

  async find(ref: string): Promise<StoredConversation | undefined> {
    const cached = this.cache.get(ref);
    if (cached) return cached;
    const row = await this.db.teamsConversation.findUnique({ where: { ref } });
    if (!row) return undefined;
    const found: StoredConversation = {
      ref: row.ref,
      conversationId: row.conversationId,
      conversationType: row.conversationType,
      serviceUrl: row.serviceUrl,
      tenantId: row.tenantId,
      botId: row.botId,
      botName: row.botName,
      userId: row.userId,
    };
    this.cache.set(ref, found);
    return found;
  }

  async forget(ref: string): Promise<void> {
    this.cache.delete(ref);
    await this.db.teamsConversation.deleteMany({ where: { ref } });
  }

  static reference(row: StoredConversation & { conversationId: string }): Partial<ConversationReference> {
    return {
      channelId: 'msteams',
      serviceUrl: row.serviceUrl,
      bot: { id: row.botId, name: row.botName ?? '' },
      conversation: { id: row.conversationId, conversationType: row.conversationType, tenantId: row.tenantId ?? undefined, isGroup: row.conversationType !== 'personal', name: '' },
    };
  }
}
