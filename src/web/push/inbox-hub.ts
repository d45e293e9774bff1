import type { Listen } from '../../db/client.ts';
import type { Logger } from '../../core/logger.ts';

/** The channel the `WebInbox` insert trigger notifies, with the conversation ref as payload. */
export const INBOX_CHANNEL = 'forumbot_web_inbox';

/**
 * Wakes this process's open event streams when a message is stored for one of their
 * conversations, on whichever instance stored it: one `LISTEN` per process (PostgreSQL), or
 * PGlite's in-process notifications on the embedded database. A stream registers the
 * conversations it shows and a wake function; a notification carries only the conversation, and
 * the stream reads what is new itself.
 *
 * While nobody writes, nothing happens: no timer, no query. If the listening connection was lost
 * and remade, every stream is woken once, since notifications may have been missed meanwhile.
 */
export class InboxHub {
  private readonly byConversation = new Map<string, Set<() => void>>();
  private stopListening?: () => Promise<void>;
  /** notifications heard, and wakes delivered (for tests and the benchmark) */
  readonly counts = { notifications: 0, wakes: 0 };

  constructor(
    private readonly listen: Listen,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.stopListening ??= await this.listen(
      INBOX_CHANNEL,
      (conversation) => this.notify(conversation),
      () => {
        this.log.info('web inbox listener reconnected; waking every stream');
        this.wakeAll();
      },
    );
  }

  async stop(): Promise<void> {
    const stop = this.stopListening;
    this.stopListening = undefined;
    await stop?.();
  }

  /** Calls `wake` whenever a message arrives for one of `conversations`; answers the unsubscribe. */
  subscribe(conversations: string[], wake: () => void): () => void {
    for (const c of conversations) {
      let set = this.byConversation.get(c);
      if (!set) this.byConversation.set(c, (set = new Set()));
      set.add(wake);
    }
    return () => {
      for (const c of conversations) {
        const set = this.byConversation.get(c);
        set?.delete(wake);
        if (set?.size === 0) this.byConversation.delete(c);
      }
    };
  }

  /** How many streams are open in this process. */
  get streams(): number {
    const all = new Set<() => void>();
    for (const set of this.byConversation.values()) for (const w of set) all.add(w);
    return all.size;
  }

  private notify(conversation: string): void {
    this.counts.notifications++;
    const set = this.byConversation.get(conversation);
    if (!set) return;
    for (const wake of set) {
      this.counts.wakes++;
      wake();
    }
  }

  private wakeAll(): void {
    const all = new Set<() => void>();
    for (const set of this.byConversation.values()) for (const w of set) all.add(w);
    for (const wake of all) wake();
  }
}
