import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebChatAdapter } from '../../../adapters/web/web-adapter.ts';
import { testDatabase } from '../../../test/support/database.ts';
import { WebSignIns } from '../../../test/support/web-sign-in.ts';
import { WebSessions } from '../../web/auth/sessions.ts';
import { createApp, type App } from '../../app.ts';
import { createLogger } from '../../core/logger.ts';
import type { Block } from '../../core/messages.ts';
import { WebServer } from '../../web/server.ts';

/** The whole story through the web chat's HTTP API, the jobs run by the scheduler on a fixed clock. */
let app: App;
let server: WebServer;
let base: string;
let closeDb: () => Promise<void>;
let people: WebSignIns;
const clock = { now: new Date('2026-11-22T10:00:00Z') };

interface Msg {
  text: string;
  blocks?: Block[];
}

/** As `user`, signed in with a real session: the request carries only the session cookie. */
async function post(user: string, body: unknown): Promise<Msg[]> {
  const headers = { 'content-type': 'application/json', cookie: await people.cookieFor(user) };
  const res = await fetch(`${base}/api/webchat`, { method: 'POST', headers, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: Msg[] }).messages;
}
const say = async (user: string, text: string, room?: string) => (await post(user, { text, room })).map((m) => m.text).join('\n');
const press = (user: string, command: string, args: Record<string, unknown>, values?: Record<string, unknown>) => post(user, { action: { command, args, values } });
async function inbox(user: string, room?: string): Promise<Msg[]> {
  await app.services.broadcasts.idle();
  await app.services.broadcasts.deliverDue();
  const res = await fetch(`${base}/api/webchat/inbox${room ? `?room=${room}` : ''}`, { headers: { cookie: await people.cookieFor(user) } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: (Msg & { conversation: string })[] }).messages.filter((m) => !room || m.conversation === `web:room:${room}`);
}
const button = (m: Msg, label: RegExp) => {
  for (const b of m.blocks ?? []) if (b.type === 'buttons') for (const x of b.buttons) if (label.test(x.label)) return x.action;
  throw new Error(`no button ${label} in ${m.text}`);
};
const runJob = (id: string) => app.scheduler.runDue(app.features.flatMap((f) => f.jobs ?? []).find((j) => j.id === id)!, clock.now);

beforeAll(async () => {
  const database = await testDatabase();
  closeDb = database.close;
  const sessions = new WebSessions(database.prisma);
  people = new WebSignIns(database.prisma, sessions);
  const web = new WebChatAdapter(database.prisma, { sessions });
  app = createApp({ db: database.prisma, adapters: [web], now: () => clock.now, log: createLogger('error') });
  await web.start((event) => app.bot.handle(event, web.capabilities));
  server = new WebServer(createLogger('error'));
  server.add(...web.routes());
  for (const f of app.features) if (f.routes) server.add(...f.routes(app.services));
  base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
});
afterAll(async () => {
  await server?.close();
  await app?.services.broadcasts.stop();
  await closeDb?.();
});

describe('report-backs end to end through the web chat', () => {
  it('meeting, caucus prompt, prompt, report-back, publishing, issue answered and its supporters told', async () => {
    // set-up: a forum, an announcement room, a partnership with a seat, members
    await say('officer', 'forum create Ceredigion Forum cvc="CAVO" slug=ceredigion');
    expect(await say('officer', 'channel link', 'announce')).toMatch(/announcement/i);
    await say('officer', 'partnership add Public Services Board');
    await say('officer', 'seat add partnership="Public Services Board" Sector seat');
    for (const who of ['alys', 'carys', 'dai']) {
      const invite = await say('officer', 'invite create');
      expect(await say(who, `join code=${/code=([0-9A-F]{10})/.exec(invite)![1]}`)).toMatch(/Welcome/);
    }
    await say('officer', 'seat fill partnership="Public Services Board" seat="Sector seat" alys');

    // 1. a representative enters the meeting; it is in the calendar feed
    expect(await say('alys', 'meeting add Public Services Board date=2026-12-10 start=10:00 end=12:00 place="Penmorfa, Aberaeron"')).toMatch(/added for 10 December 2026 at 10:00/);
    const ics = await (await fetch(`${base}/calendar/ceredigion.ics`)).text();
    expect(ics).toMatch(/SUMMARY:Public Services Board\r\nLOCATION:Penmorfa\\, Aberaeron\r\n/);

    // 2. a member raises an issue, another backs it from the button on the announcement
    expect(await say('carys', 'issue raise partnership="Public Services Board" Rural transport cuts stop volunteers reaching clients')).toMatch(/Issue #1 raised/);
    const raised = (await inbox('officer', 'announce')).find((m) => /Issue #1/.test(m.text))!;
    const back = await press('dai', button(raised, /Back this issue/).command, button(raised, /Back this issue/).args!);
    expect(back[0].text).toMatch(/You back issue #1/);

    // 3. two days before: the caucus prompt with the open issues, run by the scheduler
    clock.now = new Date('2026-12-08T10:05:00Z');
    expect(await runJob('reportbacks.caucus')).toBe('ran');
    const caucus = (await inbox('alys')).filter((m) => /Before the Public Services Board meeting/.test(m.text));
    expect(caucus).toHaveLength(1);
    expect(caucus[0].text).toContain('#1 Rural transport cuts stop volunteers reaching clients (1 backer)');

    // 4. after the meeting: the private prompt, once
    clock.now = new Date('2026-12-10T12:15:00Z');
    expect(await runJob('reportbacks.after-meeting')).toBe('ran');
    expect(await runJob('reportbacks.after-meeting')).toBe('skipped'); // the same due time is claimed once
    clock.now = new Date('2026-12-10T12:30:00Z');
    expect(await runJob('reportbacks.after-meeting')).toBe('ran'); // the next run asks nobody again
    const prompts = (await inbox('alys')).filter((m) => /You represented the sector/.test(m.text));
    expect(prompts).toHaveLength(1);
    expect(await inbox('carys')).not.toContainEqual(expect.objectContaining({ text: expect.stringMatching(/You represented/) }));

    // 5. the report-back: the prompt's button opens the form, the form is submitted
    const open = button(prompts[0], /File report-back/);
    const [formMsg] = await press('alys', open.command, open.args!);
    const form = formMsg.blocks!.flatMap((b) => (b.type === 'form' ? [b.form] : []))[0];
    expect(form.fields.find((f) => f.name === 'response1')?.label).toMatch(/Response to issue #1: Rural transport cuts/);
    const filed = await press('alys', form.submit.command, form.submit.args!, {
      summary: 'The board agreed its wellbeing plan priorities; transport is one of four.',
      decisions: 'Adopt the four wellbeing priorities',
      actions: 'Circulate the transport review terms; alys; 2027-01-08',
      sector: 'Send transport evidence to the forum by January',
      response1: 'The council will consult the sector before any further route cuts.',
    });
    expect(filed[0].text).toMatch(/is published; 1 issue is answered/);

    // 6. published to the forum's room in short form, the full text one button away
    const posted = (await inbox('officer', 'announce')).filter((m) => /^Report-back: Public Services Board, 10 December 2026/.test(m.text));
    expect(posted).toHaveLength(1);
    const readMore = button(posted[0], /Read in full/);
    const [full] = await press('carys', readMore.command, readMore.args!);
    expect(full.text).toMatch(/Circulate the transport review terms: alys, by 8 January 2027/);
    expect(full.text).toMatch(/#1 Rural transport cuts .* → The council will consult the sector/);

    // 7. whoever raised or backed the issue is told the response
    for (const who of ['carys', 'dai']) {
      const told = (await inbox(who)).filter((m) => /Issue #1 for Public Services Board .* has a response: The council will consult the sector/.test(m.text));
      expect(told).toHaveLength(1);
    }
    expect(await say('carys', 'issues')).toMatch(/No open issues/);
    expect(await say('carys', 'reportbacks transport')).toMatch(/1 report-back found/);
  });
});
