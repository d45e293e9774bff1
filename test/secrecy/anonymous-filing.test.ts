import { publishHeldAnonymous } from '../../src/features/breaches/notices.service.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebChatAdapter } from '../../adapters/web/web-adapter.ts';
import { createApp, type App } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Form } from '../../src/core/messages.ts';
import type { Database } from '../../src/db/client.ts';
import { WebSessions } from '../../src/web/auth/sessions.ts';
import { testDatabase } from '../support/database.ts';
import { WebSignIns } from '../support/web-sign-in.ts';

/**
 * Abuse of anonymous filing, attacked through the web chat's JSON API of two bot instances sharing
 * one database: a stranger tries to file; one member with two linked accounts, one on each
 * instance, tries to file more than the day's five.
 */
type Who = { user: string; name: string };
const OFFICER = { user: 'officer-a', name: 'Officer Aled' };
const MEMBER = { user: 'member-m1', name: 'Mererid Morgan' };
const MEMBER_2 = { user: 'member-m2', name: 'Mererid (phone)' };
const STRANGER = { user: 'stranger-s', name: 'Somebody Else' };

let database: Database;
const clock = { now: new Date('2026-11-23T10:00:00Z') };
type Msg = { text: string; blocks?: { type: string; form?: Form }[] };
interface Instance {
  app: App;
  api(who: Who, body: Record<string, unknown>): Promise<Msg[]>;
}
let one: Instance;
let two: Instance;

async function instance(people: WebSignIns, sessions: WebSessions): Promise<Instance> {
  const web = new WebChatAdapter(database.prisma, { sessions });
  const app = createApp({ db: database.prisma, adapters: [web], now: () => clock.now, log: silentLogger });
  await web.start((e) => app.bot.handle(e, web.capabilities));
  return {
    app,
    async api(who, body) {
      const out = await web.handleApi(await people.signedIn(who.user, who.name), body);
      expect(out.status).toBe(200);
      return (out.body as { messages: Msg[] }).messages;
    },
  };
}
const text = (msgs: Msg[]) => msgs.map((m) => m.text).join('\n');
const formIn = (msgs: Msg[]): Form | undefined => msgs.flatMap((m) => m.blocks ?? []).find((b) => b.type === 'form')?.form;
const pick = (form: Form, field: string, label: string) => {
  const f = form.fields.find((x) => x.name === field);
  return f && f.kind === 'select' ? f.options.find((o) => o.label === label)!.value : '';
};

/** Opens the anonymous form as `who` on `on` and submits it; answers what they were told. */
async function fileAnonymously(on: Instance, who: Who, what: string): Promise<string> {
  const opened = await on.api(who, { text: 'breach file anonymous' });
  const form = formIn(opened);
  if (!form) return text(opened);
  const values = {
    party: pick(form, 'party', 'County council'),
    code: pick(form, 'code', 'Consultation and Policy Appraisal'),
    aspect: 'principle',
    whatHappened: what,
    happenedOn: '2026-11-20',
    expected: '84 days',
    actual: '3 days',
    outcomeWanted: 'A proper consultation',
  };
  return text(await on.api(who, { action: { command: form.submit.command, args: form.submit.args, values } }));
}

beforeAll(async () => {
  database = await testDatabase();
  const sessions = new WebSessions(database.prisma);
  const people = new WebSignIns(database.prisma, sessions);
  one = await instance(people, sessions);
  two = await instance(people, sessions);
  const say = async (who: Who, t: string) => text(await one.api(who, { text: t }));
  await say(OFFICER, 'forum create Ceredigion Third Sector Forum cvc="CAVO"');
  await say(OFFICER, 'organisation add Aberaeron Trust');
  const code = /code=([0-9A-F]{10})/.exec(await say(OFFICER, 'invite create Aberaeron Trust uses=1'))![1];
  expect(await say(MEMBER, `join code=${code}`)).not.toMatch(/not|error/i);
  // the member's second account (on the other instance) is linked to the same person
  const linkCode = /\b([A-Z2-9]{8})\b/.exec(await say(MEMBER, 'link'))![1];
  expect(text(await two.api(MEMBER_2, { text: `link with ${linkCode}` }))).toMatch(/linked/i);
}, 60_000);
afterAll(async () => database?.close());

describe('anonymous filing is for members, and the day’s limit is per person', () => {
  it('refuses a stranger, both at the form and at a forged submission, and stores nothing', async () => {
    const refused = text(await one.api(STRANGER, { text: 'breach file anonymous' }));
    expect(refused).toContain('Only a member of this forum can file an anonymous notice');
    // the member's form, submitted by the stranger (a forged submission) is refused too
    const form = formIn(await one.api(MEMBER, { text: 'breach file anonymous' }))!;
    const forged = text(await one.api(STRANGER, { action: { command: form.submit.command, args: form.submit.args, values: { party: pick(form, 'party', 'County council'), code: pick(form, 'code', 'Consultation and Policy Appraisal'), aspect: 'principle', whatHappened: 'A forged notice from outside.', outcomeWanted: 'Flooding' } } }));
    expect(forged).toContain('Only a member of this forum');
    // in Welsh
    await one.api(STRANGER, { text: 'language cy' });
    expect(text(await one.api(STRANGER, { text: 'toriad cyflwyno dienw' }))).toContain('Dim ond aelod o’r fforwm hwn');
    expect(await database.prisma.breachNotice.count()).toBe(0);
    expect(await database.prisma.anonymousCount.count()).toBe(0);
  });

  it('one person with two linked accounts on two instances files five in all, then is refused', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 8; i++) answers.push(await fileAnonymously(i % 2 ? two : one, i % 2 ? MEMBER_2 : MEMBER, `Consultation ${i} lasted three days.`));
    const filed = answers.filter((a) => /receipt code/.test(a)).length;
    const refused = answers.filter((a) => a.includes('as one person may in a day')).length;
    console.info(`8 tries from two linked accounts on two instances: ${filed} filed, ${refused} refused`);
    expect(filed).toBe(5);
    expect(refused).toBe(3);
    expect(await database.prisma.anonymousHeld.count({ where: { kind: 'notice' } })).toBe(5); // held until the mixing job's run
    expect(await publishHeldAnonymous(database.prisma)).toBe(5);
    expect(await database.prisma.breachNotice.count({ where: { mode: 'ANONYMOUS' } })).toBe(5);
    // the count is kept without who: one bucket, which is neither the person, nor an account of theirs
    const counts = await database.prisma.anonymousCount.findMany();
    expect(counts.map((c) => c.filings)).toEqual([5]);
    const member = await database.prisma.account.findFirstOrThrow({ where: { platformUserId: MEMBER.user } });
    const ids = (await database.prisma.account.findMany({ where: { personId: member.personId } })).flatMap((a) => [a.id, a.platformUserId]);
    expect(ids).toHaveLength(4); // both accounts are the one person
    for (const id of [member.personId, ...ids]) expect(JSON.stringify(counts)).not.toContain(id);
  });

  it('the next day the key and the counts are gone, and the member may file again', async () => {
    clock.now = new Date('2026-11-24T10:00:00Z');
    await one.app.scheduler.catchUp(clock.now);
    expect(await database.prisma.anonymousDayKey.findMany({ where: { day: '2026-11-23' } })).toEqual([]);
    expect(await database.prisma.anonymousCount.count({ where: { day: '2026-11-23' } })).toBe(0);
    expect(await fileAnonymously(two, MEMBER_2, 'The next day’s notice.')).toMatch(/receipt code/);
  });
});
