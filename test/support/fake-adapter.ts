import type { Capabilities, ChatAdapter, EventHandler, SendOptions } from '../../src/core/adapter.ts';
import { DeliveryError } from '../../src/core/adapter.ts';
import type { OutgoingMessage } from '../../src/core/messages.ts';

/** A platform in a test: records what the bot sends; can be told to fail. */
export class FakeAdapter implements ChatAdapter {
  readonly sent: { to: string; message: OutgoingMessage; key?: string }[] = [];
  private readonly seenKeys = new Set<string>();
  failNext = 0;
  failWith: () => Error = () => new DeliveryError('platform 500');

  constructor(
    readonly name = 'fake',
    readonly capabilities: Capabilities = { buttons: true, selects: true, forms: true, ballots: true, ephemeral: true, direct: true },
  ) {}

  async start(_handler: EventHandler): Promise<void> {}
  async stop(): Promise<void> {}

  async send(to: string, message: OutgoingMessage, options?: SendOptions): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw this.failWith();
    }
    if (options?.idempotencyKey) {
      if (this.seenKeys.has(options.idempotencyKey)) return;
      this.seenKeys.add(options.idempotencyKey);
    }
    this.sent.push({ to, message, key: options?.idempotencyKey });
  }

  to(target: string) {
    return this.sent.filter((s) => s.to === target).map((s) => s.message.text);
  }
}
