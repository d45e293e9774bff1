/**
 * For the elections tests: the whole bot on a real database behind the web chat adapter, with
 * a settable clock and the log lines captured.
 */
import { WebChatAdapter } from '../../../adapters/web/web-adapter.ts';
import { testDatabase } from '../../../test/support/database.ts';
import { createApp, type App } from '../../app.ts';
import { createLogger } from '../../core/logger.ts';
import type { Block } from '../../core/messages.ts';
import { electionJobs } from './elections.jobs.ts';

export interface WebMessage {
  text: string;
  blocks?: Block[];
  visibility: string;
}

export async function electionsWorld(opts: { now?: string; url?: string } = {}) {
  const database = opts.url ? null : await testDatabase();
  const db = database!.prisma;
  const clock = { now: new Date(opts.now ?? '2026-11-23T09:00:00Z') };
  const logs: string[] = [];
  const log = createLogger('debug', (line) => logs.push(line));
  const web = new WebChatAdapter(db);
  const app: App = createApp({ db, adapters: [web], now: () => clock.now, log, delivery: { baseBackoffMs: 10 } });
  await web.start((e) => app.bot.handle(e, web.capabilities));

  const api = async (body: unknown): Promise<WebMessage[]> => {
    const out = await web.handleApi(body);
    if (out.status !== 200) throw new Error(`webchat answered ${out.status}: ${JSON.stringify(out.body)}`);
    return (out.body as { messages: WebMessage[] }).messages;
  };
  const say = (user: string, text: string, room?: string) => api({ user, text, ...(room ? { room } : {}) });
  const ask = async (user: string, text: string, room?: string) => (await say(user, text, room)).map((m) => m.text).join('\n');
  const press = (user: string, command: string, args: Record<string, unknown>) => api({ user, action: { command, args } });
  const pressText = async (user: string, command: string, args: Record<string, unknown>) => (await press(user, command, args)).map((m) => m.text).join('\n');
  const inbox = async (conversation: string) => {
    await app.services.broadcasts.idle();
    await app.services.broadcasts.deliverDue();
    const rows = await db.webInbox.findMany({ where: { conversation }, orderBy: { createdAt: 'asc' } });
    return rows.map((r) => (r.message as { text: string }).text);
  };
  const tick = async () => {
    for (const job of electionJobs) await app.scheduler.runDue(job, clock.now);
    await app.services.broadcasts.idle();
  };
  /** A forum of `n` members (voter1…voterN) and an officer, one vote per individual. */
  const setUp = async (n: number, franchise: 'individual' | 'organisation' = 'individual') => {
    await ask('officer', `forum create Powys Forum cvc="PAVO" franchise=${franchise}`);
    await ask('officer', 'channel link', 'announce');
    await ask('officer', 'partnership add Health Board');
    await ask('officer', 'seat add partnership="Health Board" Seat A');
    await ask('officer', 'seat add partnership="Health Board" Seat B');
    const invite = await ask('officer', `invite create uses=${n + 5}`);
    const code = /code=([0-9A-F]{10})/.exec(invite)![1];
    for (let i = 1; i <= n; i++) await ask(`voter${i}`, `join code=${code}`);
    return code;
  };
  return {
    app, db, web, clock, logs, api, say, ask, press, pressText, inbox, tick, setUp,
    async close() {
      await app.services.broadcasts.stop();
      await app.services.broadcasts.idle();
      await database?.close();
    },
  };
}

export type ElectionsWorld = Awaited<ReturnType<typeof electionsWorld>>;

/** The ranked ballot in a reply: its candidates by name, and the action it submits. */
export function ballotIn(messages: WebMessage[]) {
  for (const m of messages) {
    for (const b of m.blocks ?? []) {
      if (b.type === 'ballot') {
        const byName = new Map(b.ballot.candidates.map((c) => [c.name, c.id]));
        return { ballot: b.ballot, byName, order: b.ballot.candidates.map((c) => c.name), submit: b.ballot.submit };
      }
    }
  }
  throw new Error(`no ballot in: ${messages.map((m) => m.text).join(' | ')}`);
}

export const receiptIn = (text: string) => /([A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5})/.exec(text)?.[1];
