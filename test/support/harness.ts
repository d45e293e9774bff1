import { createApp, type App } from '../../src/app.ts';
import type { Capabilities } from '../../src/core/adapter.ts';
import type { IncomingEvent } from '../../src/core/events.ts';
import { createLogger } from '../../src/core/logger.ts';
import type { Reply } from '../../src/core/messages.ts';
import { testDatabase } from './database.ts';
import { FakeAdapter } from './fake-adapter.ts';

export interface Harness {
  app: App;
  adapter: FakeAdapter;
  clock: { now: Date };
  /** a user types text in a conversation (their DM with the bot by default) */
  say(user: string, text: string, opts?: { conversation?: string; caps?: Capabilities }): Promise<Reply[]>;
  /** text of the replies, joined */
  ask(user: string, text: string, opts?: { conversation?: string; caps?: Capabilities }): Promise<string>;
  press(user: string, command: string, args?: Record<string, unknown>, conversation?: string): Promise<Reply[]>;
  submit(user: string, command: string, values: Record<string, unknown>, args?: Record<string, unknown>): Promise<Reply[]>;
  close(): Promise<void>;
}

export const dm = (user: string) => `fake:dm:${user}`;

/** The whole bot on a real database, driven through a fake platform. */
export async function createHarness(opts: { now?: string; caps?: Capabilities } = {}): Promise<Harness> {
  const database = await testDatabase();
  const clock = { now: new Date(opts.now ?? '2026-11-22T10:00:00Z') };
  const adapter = new FakeAdapter('fake', opts.caps);
  const app = createApp({ db: database.prisma, adapters: [adapter], now: () => clock.now, log: createLogger('error'), delivery: { baseBackoffMs: 10 } });
  const user = (id: string) => ({ platform: 'fake', id, displayName: id, dmRef: dm(id) });
  const base = (id: string, conversation?: string) => ({ user: user(id), conversation: conversation ?? dm(id), isDirect: !conversation });
  const handle = (e: IncomingEvent, caps?: Capabilities) => app.bot.handle(e, caps ?? adapter.capabilities);
  const h: Harness = {
    app,
    adapter,
    clock,
    say: (id, text, o = {}) => handle({ ...base(id, o.conversation), kind: 'command', text }, o.caps),
    ask: async (id, text, o = {}) => (await h.say(id, text, o)).map((r) => r.message.text).join('\n'),
    press: (id, command, args = {}, conversation) => handle({ ...base(id, conversation), kind: 'action', command, args }),
    submit: (id, command, values, args = {}) => handle({ ...base(id), kind: 'formSubmit', command, args, values }),
    async close() {
      await app.services.broadcasts.stop();
      await app.services.broadcasts.idle();
      await database.close();
    },
  };
  return h;
}
