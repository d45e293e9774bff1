import type { ConversationRef, IncomingEvent } from './events.ts';
import type { OutgoingMessage, Reply } from './messages.ts';

/** What a platform can show natively; the core falls back to numbered text for the rest. */
export interface Capabilities {
  buttons: boolean;
  selects: boolean;
  forms: boolean;
  ballots: boolean;
  ephemeral: boolean;
  direct: boolean;
}

export interface SendOptions {
  /** the same key on a retry means the same message: a platform that can dedupe does */
  idempotencyKey?: string;
  /**
   * Set on a later attempt of a delivery: an earlier attempt may have reached the platform
   * (its sender died, or the answer was lost) at any time since this instant. An adapter that
   * can find its own earlier post (Slack, by message metadata) skips what is already there.
   */
  maybeSentSince?: Date;
}

/**
 * An adapter connects one platform. Required: name, start, stop, send. The core decides
 * fallbacks from `capabilities`; an adapter never silently drops a message it cannot render.
 */
export interface ChatAdapter {
  /** the platform prefix of its conversation refs: "slack", "discord", "teams", "web" */
  readonly name: string;
  readonly capabilities: Capabilities;
  start(handler: EventHandler): Promise<void>;
  stop(): Promise<void>;
  /** sends to a channel or a direct-message conversation */
  send(conversation: ConversationRef, message: OutgoingMessage, options?: SendOptions): Promise<void>;
}

/** The core's entry point an adapter calls for each event; answers the replies to deliver. */
export type EventHandler = (event: IncomingEvent) => Promise<Reply[]>;

/** Raised by an adapter when the platform asked it to slow down or failed for a while. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** The adapters running in this process, found by the platform prefix of a conversation ref. */
export class AdapterSet {
  private readonly adapters = new Map<string, ChatAdapter>();

  add(adapter: ChatAdapter): void {
    this.adapters.set(adapter.name, adapter);
  }

  get(platform: string): ChatAdapter | undefined {
    return this.adapters.get(platform);
  }

  all(): ChatAdapter[] {
    return [...this.adapters.values()];
  }
}
