import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebChatAdapter } from '../../../adapters/web/web-adapter.ts';
import { testDatabase } from '../../../test/support/database.ts';
import { WebSignIns } from '../../../test/support/web-sign-in.ts';
import { WebSessions } from '../../web/auth/sessions.ts';
import { createApp, type App } from '../../app.ts';
import { createLogger } from '../../core/logger.ts';
import type { Form } from '../../core/messages.ts';
import type { Database } from '../../db/client.ts';
import { publishHeldAnonymous } from './notices.service.ts';
import { throttleFor } from './throttle.ts';

/**
 * The leak test. Anonymous notices are filed through the web chat's JSON API (what
 * POST /api/webchat runs); then every column of every table and every log line is searched for
 * the filer's platform id, display name, account id, person id and membership id, and the
 * notice's rows are checked for any value or time they share with the filer's own rows.
 */
const FILER = { user: 'u-7f3kq9x', name: 'Gwenllian Zebedee' };
const OFFICER = { user: 'officer-w', name: 'Officer Wyn' };

let database: Database;
let app: App;
let web: WebChatAdapter;
let people: WebSignIns;
const logs: string[] = [];
const clock = { now: new Date('2026-11-23T10:17:23.456Z') };

type Msg = { text: string; blocks?: { type: string; form?: Form }[] };
async function api(who: { user: string; name: string }, body: Record<string, unknown>): Promise<Msg[]> {
  // as the person signed in on the web (a real WebSession row, read back as the server would)
  const out = await web.handleApi(await people.signedIn(who.user, who.name), body);
  expect(out.status).toBe(200);
  return (out.body as { messages: Msg[] }).messages;
}
const say = async (who: typeof FILER, text: string) => (await api(who, { text })).map((m) => m.text).join('\n');
const formIn = (msgs: Msg[]): Form => msgs.flatMap((m) => m.blocks ?? []).find((b) => b.type === 'form')!.form!;
const pick = (form: Form, field: string, label: string) => {
  const f = form.fields.find((x) => x.name === field);
  return f && f.kind === 'select' ? f.options.find((o) => o.label === label)!.value : '';
};

async function dumpAll(): Promise<{ table: string; row: Record<string, unknown>; json: string }[]> {
  const tables = await database.prisma.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`;
  const rows: { table: string; row: Record<string, unknown>; json: string }[] = [];
  for (const { table_name } of tables) {
    const found = await database.prisma.$queryRawUnsafe<{ j: Record<string, unknown> }[]>(`SELECT row_to_json(t) AS j FROM "${table_name}" t`);
    for (const { j } of found) rows.push({ table: table_name, row: j, json: JSON.stringify(j) });
  }
  return rows;
}

beforeAll(async () => {
  database = await testDatabase();
  const sessions = new WebSessions(database.prisma);
  people = new WebSignIns(database.prisma, sessions);
  web = new WebChatAdapter(database.prisma, { sessions });
  app = createApp({ db: database.prisma, adapters: [web], now: () => clock.now, log: createLogger('debug', (l) => logs.push(l)) });
  await web.start((e) => app.bot.handle(e, web.capabilities));
  await say(OFFICER, 'forum create Powys Third Sector Forum cvc="PAVO"');
  await say(OFFICER, 'organisation add Talgarth Trust');
  const code = /code=([0-9A-F]{10})/.exec(await say(OFFICER, 'invite create Talgarth Trust uses=1'))![1];
  await say(FILER, `join code=${code}`); // the filer is a named member of an organisation too
  await say(OFFICER, 'compact list');
});
afterAll(async () => database?.close());

describe('anonymous filing through the web chat leaves nothing that leads back to the filer', () => {
  it('files, follows, answers; officers act; then nothing stored or logged names the filer', async () => {
    const receipts: string[] = [];
    const started = Date.now();
    for (const what of ['The library consultation lasted three days.', 'Volunteers replaced paid library staff this month.']) {
      const form = formIn(await api(FILER, { text: 'breach file anonymous' }));
      const values = {
        party: pick(form, 'party', 'County council'),
        code: pick(form, 'code', 'Consultation and Policy Appraisal'),
        commitment: '',
        aspect: 'principle',
        whatHappened: what,
        happenedOn: '2026-11-20',
        expected: '84 days',
        actual: '3 days',
        evidence: 'https://example.org/notice',
        outcomeWanted: 'A proper consultation',
      };
      // a bad submission first: refused, nothing stored
      const bad = await api(FILER, { action: { command: form.submit.command, args: form.submit.args, values: { ...values, evidence: 'ftp://x' } } });
      expect(bad[0].text).toContain('is not a web link');
      const gone = await api(FILER, { action: { command: form.submit.command, args: { ...form.submit.args, compact: '00000000-0000-4000-8000-000000000000' }, values } });
      expect(gone[0].text).toContain('no longer in the catalogue');
      // a fault (PostgreSQL refuses a NUL byte in text) is logged without a trace of the filer
      const fault = await api(FILER, { action: { command: form.submit.command, args: form.submit.args, values: { ...values, whatHappened: `${FILER.name} says the library\u0000 closed` } } });
      expect(fault[0].text).toMatch(/Something went wrong|error/i);
      const done = await api(FILER, { action: { command: form.submit.command, args: form.submit.args, values } });
      receipts.push(/receipt code: ([0-9A-Z-]+)/.exec(done[0].text)![1]);
    }
    // held until the mixing job publishes them (numbered then)
    expect(await say(FILER, `breach status ${receipts[0]}`)).toContain('waiting to be filed');
    expect(await publishHeldAnonymous(database.prisma)).toBe(2);
    // following the case and talking to the officers with the receipt
    expect(await say(FILER, `breach status ${receipts[0]}`)).toMatch(/Notice #[12]: filed/);
    expect(await say(FILER, `breach reply ${receipts[0]} It closed on Friday.`)).toContain('with the officers');
    expect(await publishHeldAnonymous(database.prisma)).toBe(1);
    const first = (await database.prisma.breachNotice.findMany({ where: { mode: 'ANONYMOUS' }, include: { messages: true } })).find((n) => n.messages.length === 1)!.number;
    expect(await say(FILER, 'breach status AAAAA-BBBBB-CCCCC-DDDDD')).toContain('does not match a notice');
    const finished = Date.now();

    // the officers work the case; the hourly job tells them of anonymous notices and messages
    clock.now = new Date('2026-11-24T09:00:00Z');
    await app.scheduler.runDue(app.scheduler['jobs'].find((j: { id: string }) => j.id === 'breaches.anonymous')!, new Date('2026-11-24T09:00:00Z'));
    expect(await say(OFFICER, `breach step ${first} acknowledged Received; on the agenda.`)).toContain('now acknowledged');
    expect(await say(OFFICER, `breach message ${first} Which library?`)).toContain(`waits on case #${first}`);
    expect(JSON.stringify(await api(OFFICER, { text: `breach case ${first}` }))).toContain('anonymous (reachable through the receipt');
    await app.services.broadcasts.deliverDue();
    expect(await say(FILER, `breach status ${receipts[0]}`)).toContain('Which library?');

    const filerAccount = await database.prisma.account.findUniqueOrThrow({ where: { platform_platformUserId: { platform: 'web', platformUserId: FILER.user } } });
    const filerMembership = await database.prisma.membership.findFirstOrThrow({ where: { personId: filerAccount.personId } });
    const own = (r: { table: string; row: Record<string, unknown> }) =>
      (r.table === 'Account' && r.row.id === filerAccount.id) || (r.table === 'Person' && r.row.id === filerAccount.personId) || (r.table === 'Membership' && r.row.id === filerMembership.id) ||
      (r.table === 'WebSession' && r.row.personId === filerAccount.personId);
    const rows = await dumpAll();
    expect(rows.some((r) => r.table === 'BreachNotice')).toBe(true);
    const others = rows.filter((r) => !own(r));

    // 1. no value anywhere (but the filer's own identity rows) contains who they are
    const needles = [FILER.user, FILER.name, filerAccount.id, filerAccount.personId, filerMembership.id];
    for (const r of others) for (const n of needles) expect(r.json.toLowerCase(), `${r.table} holds ${n}`).not.toContain(n.toLowerCase());
    // …and no log line either, nor the receipt codes or what the filer wrote
    expect(logs.filter((l) => l.includes('handler failed'))).toHaveLength(2);
    for (const line of logs) for (const n of [...needles, ...receipts, 'library']) expect(line.toLowerCase()).not.toContain(n.toLowerCase());
    // the throttle holds only keyed hashes
    for (const b of throttleFor(database.prisma).buckets()) for (const n of needles) expect(b).not.toContain(n);

    // 2. no join: the anonymous notices' rows share no value with the filer's rows…
    const notices = others.filter((r) => r.table === 'BreachNotice' && r.row.mode === 'ANONYMOUS');
    expect(notices).toHaveLength(2);
    const noticeIds = new Set(notices.map((n) => n.row.id));
    const caseRows = [...notices, ...others.filter((r) => (r.table === 'BreachMessage' || r.table === 'BreachStep') && noticeIds.has(r.row.noticeId))];
    const identity = rows.filter(own);
    const forumId = notices[0].row.forumId;
    const identityValues = new Set(identity.flatMap((r) => Object.values(r.row)).filter((v) => v !== null && typeof v !== 'boolean' && v !== forumId).map(String));
    for (const r of caseRows) {
      for (const [col, v] of Object.entries(r.row)) {
        if (v === null || typeof v === 'boolean') continue;
        expect(identityValues.has(String(v)), `${r.table}.${col} equals a value of the filer's rows`).toBe(false);
      }
      expect(r.row.organisationId ?? null).toBeNull();
    }
    // …and the filer's rows name no notice
    for (const r of identity) for (const id of noticeIds) expect(r.json).not.toContain(String(id));

    // 3. no timing: nothing outside the filer's own rows is stamped with the time of the filing
    //    requests (real clock) or the bot's clock at filing (10:17:23), only the day
    const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/;
    for (const r of others) {
      if (r.table === '_prisma_migrations') continue;
      for (const [col, v] of Object.entries(r.row)) {
        if (typeof v !== 'string' || !stamp.test(v)) continue;
        const t = new Date(`${v}Z`).getTime();
        expect(t >= started && t <= finished, `${r.table}.${col} = ${v} (${r.json.slice(0, 200)}) falls in the filing window`).toBe(false);
        expect(v.startsWith('2026-11-23T10:17'), `${r.table}.${col} = ${v} is the filing time`).toBe(false);
      }
    }
    for (const n of notices) expect(n.row.state === 'filed' ? n.row.stateSince : '2026-11-23T00:00:00').toBe('2026-11-23T00:00:00');
    // the fallback form state and processed-event tables hold nothing of the filer
    expect(rows.filter((r) => r.table === 'ConversationState')).toHaveLength(0);
  });
});
