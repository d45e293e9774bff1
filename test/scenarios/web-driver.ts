import { WebChatAdapter } from '../../adapters/web/web-adapter.ts';
import { createApp } from '../../src/app.ts';
import { createLogger, type Logger } from '../../src/core/logger.ts';
import type { Block, OutgoingMessage } from '../../src/core/messages.ts';
import { WebServer } from '../../src/web/server.ts';
import { WebSessions } from '../../src/web/auth/sessions.ts';
import { testDatabase } from '../support/database.ts';
import { WebSignIns } from '../support/web-sign-in.ts';
import type { ScenarioDriver, Shown } from './driver.ts';

type WebMessage = OutgoingMessage & { conversation?: string; at?: string };

/** What the web chat page shows for one message. */
export function webShown(m: WebMessage): Shown {
  const blocks: Block[] = m.blocks ?? [];
  const lines = [m.text];
  const buttons: string[] = [];
  let formFields: string[] = [];
  let candidates: string[] = [];
  for (const b of blocks) {
    if (b.type === 'header' || b.type === 'section') lines.push(b.text);
    if (b.type === 'fields') lines.push(...b.fields.map((f) => `${f.label}: ${f.value}`));
    if (b.type === 'table') lines.push(...[b.table.columns.map((c) => c.label), ...b.table.rows].map((r) => r.join(' | ')), ...(b.table.notes ?? []));
    if (b.type === 'buttons') buttons.push(...b.buttons.map((x) => x.label));
    if (b.type === 'select') buttons.push(...b.options.map((o) => o.label));
    if (b.type === 'form') formFields = b.form.fields.map((f) => f.name);
    if (b.type === 'ballot') candidates = b.ballot.candidates.map((c) => c.name);
  }
  return { text: lines.join('\n'), buttons, formFields, candidates, raw: m };
}

/** The web chat through its real HTTP endpoints. */
export async function webDriver(options: { log?: Logger } = {}): Promise<ScenarioDriver> {
  const log = options.log ?? createLogger('error');
  const database = await testDatabase();
  const db = database.prisma;
  const clock = { now: new Date('2026-11-22T10:00:00Z') };
  const sessions = new WebSessions(db);
  const people = new WebSignIns(db, sessions);
  const unlimited = { max: 1_000_000, windowMs: 60_000 }; // scenarios type faster than people
  const web = new WebChatAdapter(db, { sessions, commandsPerPerson: unlimited, commandsPerAddress: unlimited, inboxPerPerson: unlimited });
  const app = createApp({ db, adapters: [web], now: () => clock.now, log, delivery: { baseBackoffMs: 10 } });
  const server = new WebServer(log);
  server.add(...web.routes());
  await web.start((e) => app.bot.handle(e, web.capabilities));
  const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  const seen = new Map<string, string>(); // inbox position per reader

  // each scenario person is signed in with a real session; the request carries only its cookie
  const post = async (user: string, body: object): Promise<Shown[]> => {
    const headers = { 'content-type': 'application/json', cookie: await people.cookieFor(user) };
    const res = await fetch(`${base}/api/webchat`, { method: 'POST', headers, body: JSON.stringify(body) });
    const json = (await res.json()) as { messages?: WebMessage[]; problems?: string[] };
    if (!res.ok) throw new Error(`POST /api/webchat ${res.status}: ${JSON.stringify(json)}`);
    return json.messages!.map(webShown);
  };
  const inRoom = (channel?: string) => (channel ? { room: channel } : {});
  const blocksOf = (shown: Shown) => ((shown.raw as WebMessage).blocks ?? []) as Block[];
  const read = async (user: string, room?: string): Promise<WebMessage[]> => {
    const key = `${user}|${room ?? ''}`;
    const after = seen.get(key) ?? new Date(0).toISOString();
    const q = new URLSearchParams({ after, ...(room ? { room } : {}) });
    const res = await fetch(`${base}/api/webchat/inbox?${q}`, { headers: { cookie: await people.cookieFor(user) } });
    const json = (await res.json()) as { messages: WebMessage[] };
    if (!res.ok) throw new Error(`GET /api/webchat/inbox ${res.status}: ${JSON.stringify(json)}`);
    if (json.messages.length) seen.set(key, json.messages.at(-1)!.at!);
    return json.messages;
  };

  /** A room is read by a member of its forum (the first to join): nobody else may. */
  const roomReader = async (channel: string): Promise<string> => {
    const member = await db.membership.findFirst({
      where: { status: 'ACTIVE', forum: { channels: { some: { ref: `web:room:${channel}` } } }, person: { accounts: { some: { platform: 'web' } } } },
      orderBy: { createdAt: 'asc' },
      select: { person: { select: { accounts: { where: { platform: 'web' }, select: { platformUserId: true }, take: 1 } } } },
    });
    if (!member) throw new Error(`room ${channel} is linked to no forum with a web member`);
    return member.person.accounts[0].platformUserId;
  };

  return {
    platform: 'web',
    app,
    db,
    clock,
    command: (user, text, channel) => post(user, { ...inRoom(channel), text }),
    async press(user, shown, label) {
      for (const b of blocksOf(shown)) {
        if (b.type === 'buttons') {
          const button = b.buttons.find((x) => x.label === label);
          if (button) return post(user, { action: { command: button.action.command, args: button.action.args ?? {} } });
        }
        if (b.type === 'select') {
          const option = b.options.find((o) => o.label === label);
          if (option) return post(user, { action: { command: b.action.command, args: { ...b.action.args, [b.argName]: option.value } } });
        }
      }
      throw new Error(`no button or option “${label}” in: ${shown.text}`);
    },
    async submit(user, shown, values) {
      const form = blocksOf(shown).find((b) => b.type === 'form');
      if (!form) throw new Error(`no form in: ${shown.text}`);
      return post(user, { action: { command: form.form.submit.command, args: form.form.submit.args ?? {}, values } });
    },
    async rank(user, shown, names) {
      const ballot = blocksOf(shown).find((b) => b.type === 'ballot');
      if (!ballot) throw new Error(`no ballot in: ${shown.text}`);
      const ids = names.map((n) => {
        const c = ballot.ballot.candidates.find((x) => x.name === n);
        if (!c) throw new Error(`no candidate “${n}” on the ballot`);
        return c.id;
      });
      return post(user, { action: { command: ballot.ballot.submit.command, args: { ...ballot.ballot.submit.args, ranking: ids.join(',') } } });
    },
    inbox: async (user) => (await read(user)).filter((m) => m.conversation === `web:${user}`).map(webShown),
    channelPosts: async (channel) => (await read(await roomReader(channel), channel)).filter((m) => m.conversation === `web:room:${channel}`).map(webShown),
    async settle() {
      await app.services.broadcasts.idle();
      await app.services.broadcasts.deliverDue();
    },
    async advance(ms) {
      clock.now = new Date(clock.now.getTime() + ms);
      await app.scheduler.catchUp(clock.now);
      await app.services.broadcasts.idle();
      await app.services.broadcasts.deliverDue();
    },
    async close() {
      await app.services.broadcasts.stop();
      await app.services.broadcasts.idle();
      await server.close();
      await database.close();
    },
  };
}
