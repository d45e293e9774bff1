import { ConversationStore } from '../../src/core/conversation.ts';
import type { Db } from '../../src/db/client.ts';
import type { RefStore } from './refs.ts';

/**
 * Stored component refs and ballot/form progress in the database (the core's conversation state
 * table, under keys starting "discord:"), so a button still works after a restart and on
 * another instance sharing the database.
 */
export class DbRefStore implements RefStore {
  private readonly states: ConversationStore;

  constructor(db: Db, now: () => Date = () => new Date(), ttlMs = 30 * 24 * 60 * 60 * 1000) {
    this.states = new ConversationStore(db, now, ttlMs);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const state = await this.states.get<T>(key);
    return state?.data ?? undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.states.set(key, { flow: 'discord', step: 0, data: value });
  }

  async delete(key: string): Promise<void> {
    await this.states.clear(key);
  }
}
