/**
 * For the elections tests: the whole bot on a real database behind the web chat adapter, with
 * a settable clock and the log lines captured.
 */
import { WebChatAdapter } from '../../adapters/web/web-adapter.ts';
import { testDatabase } from '../support/database.ts';
import { WebSignIns } from '../support/web-sign-in.ts';
import { WebSessions } from '../../src/web/auth/sessions.ts';
import { createApp, type App } from '../../src/app.ts';
import { createLogger } from '../../src/core/logger.ts';
import type { Block } from '../../src/core/messages.ts';
import type { Db } from '../../src/db/client.ts';
import { electionJobs } from '../../src/features/elections/elections.jobs.ts';

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
  const sessions = new WebSessions(db);
  const people = new WebSignIns(db, sessions);
  const web = new WebChatAdapter(db, { sessions });
  const app: App = createApp({ db, adapters: [web], now: () => clock.now, log, delivery: { baseBackoffMs: 10 } });
  await web.start((e) => app.bot.handle(e, web.capabilities));

  // as `user` signed in on the web: a real WebSession row, read back as the server reads a cookie
  const api = async (user: string, body: unknown): Promise<WebMessage[]> => {
    const out = await web.handleApi(await people.signedIn(user), body);
    if (out.status !== 200) throw new Error(`webchat answered ${out.status}: ${JSON.stringify(out.body)}`);
    return (out.body as { messages: WebMessage[] }).messages;
  };
  const say = (user: string, text: string, room?: string) => api(user, { text, ...(room ? { room } : {}) });
  const ask = async (user: string, text: string, room?: string) => (await say(user, text, room)).map((m) => m.text).join('\n');
  const press = (user: string, command: string, args: Record<string, unknown>) => api(user, { action: { command, args } });
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

/** Ballots stored (held in the box or already moved into the counted table), of one election or all. */
export async function storedBallots(db: Db, electionId?: string) {
  const where = electionId ? { electionId } : {};
  return (await db.electionBallot.count({ where })) + (await db.ballotBox.count({ where }));
}

export const receiptIn = (text: string) => /([A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5})/.exec(text)?.[1];

/**
 * Opens "Board" for the two seats with candidates voter1, voter2, voter3 (voter4 nominated and
 * withdrawn) and moves the clock into voting. Answers the election id and candidate ids.
 */
export async function toVoting(w: ElectionsWorld, extra = '') {
  const DAY = 24 * 3600_000;
  await w.ask('officer', `election open Board partnership="Health Board" nominations=7 gap=0 voting=7 ${extra}`);
  for (const v of ['voter1', 'voter2', 'voter3', 'voter4']) await w.ask(v, 'nominate Board');
  await w.ask('voter4', 'nomination withdraw Board');
  w.clock.now = new Date(w.clock.now.getTime() + 7 * DAY + 60_000);
  await w.tick();
  const e = await w.db.election.findFirstOrThrow({ where: { title: 'Board' } });
  if (e.phase !== 'VOTING') throw new Error(`election is ${e.phase}`);
  const candidates = await w.db.candidate.findMany({ where: { electionId: e.id } });
  const id = (name: string) => candidates.find((c) => c.name === name)!.id;
  return { election: e, id, ron: candidates.find((c) => c.isRon)?.id };
}
