import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';

export interface FlowState<T = unknown> {
  flow: string;
  step: number;
  data: T;
}

/**
 * State of multi-step conversations, kept in the database so a restart does not lose a
 * half-finished form. Keyed by conversation and user.
 */
export class ConversationStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
  ) {}

  static key(conversation: string, platform: string, userId: string): string {
    return `${conversation}|${platform}:${userId}`;
  }

  async get<T>(key: string): Promise<FlowState<T> | null> {
    const row = await this.db.conversationState.findUnique({ where: { key } });
    if (!row) return null;
    if (row.expiresAt < this.now()) {
      await this.clear(key);
      return null;
    }
    return { flow: row.flow, step: row.step, data: row.data as T };
  }

  async set<T>(key: string, state: FlowState<T>): Promise<void> {
    const expiresAt = new Date(this.now().getTime() + this.ttlMs);
    const data = state.data as Prisma.InputJsonValue;
    await this.db.conversationState.upsert({
      where: { key },
      create: { key, flow: state.flow, step: state.step, data, expiresAt },
      update: { flow: state.flow, step: state.step, data, expiresAt },
    });
  }

  async clear(key: string): Promise<void> {
    await this.db.conversationState.deleteMany({ where: { key } });
  }
}
