import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHarness, dm, type Harness } from '../../../test/support/harness.ts';
import { WebServer } from '../../web/server.ts';
import { createLogger } from '../../core/logger.ts';
import { calendarRoutes } from './calendar.routes.ts';
import { caucusPrompts, dailyReminders, promptAfterMeetings } from './reportbacks.jobs.ts';
import { mergeReportbackPerson } from './reportbacks.service.ts';

let h: Harness;
const CHANNEL = 'fake:channel:announce';
const at = (iso: string) => {
  h.clock.now = new Date(iso);
};
const job = () => ({ ...h.app.services, scheduledFor: h.clock.now });
const delivered = async () => {
  await h.app.services.broadcasts.idle();
  await h.app.services.broadcasts.deliverDue();
};
const db = () => h.app.services.db;

beforeAll(async () => {
  h = await createHarness({ now: '2026-11-22T10:00:00Z' });
  await h.ask('officer', 'forum create Powys Third Sector Forum cvc="PAVO" slug=powys');
  await h.ask('officer', 'channel link', { conversation: CHANNEL });
  await h.ask('officer', 'organisation add Brecon Mind');
  await h.ask('officer', 'partnership add Health and Social Care Board');
  await h.ask('officer', 'partnership add Community Safety Partnership');
  await h.ask('officer', 'seat add partnership="Health and Social Care Board" Mental health seat');
  await h.ask('officer', 'seat add partnership="Health and Social Care Board" Older people seat');
  await h.ask('officer', 'seat add partnership="Community Safety Partnership" Sector seat');
  for (const who of ['alys', 'bryn', 'carys', 'dai']) {
    const invite = await h.ask('officer', who === 'carys' ? 'invite create organisation="Brecon Mind"' : 'invite create');
    await h.ask(who, `join code=${/code=([0-9A-F]{10})/.exec(invite)![1]}`);
  }
  await h.ask('officer', 'seat fill partnership="Health and Social Care Board" seat="Mental health seat" alys');
  await h.ask('officer', 'seat fill partnership="Health and Social Care Board" seat="Older people seat" bryn');
  await h.ask('officer', 'seat fill partnership="Community Safety Partnership" seat="Sector seat" bryn');
});
afterAll(async () => h?.close());

describe('meetings', () => {
  it('bad input gets a clear message and nothing is stored', async () => {
    const before = await db().meeting.count();
    // a meeting that happened may be recorded up to a year back (to file its report-back), not before
    expect(await h.ask('alys', 'meeting add Health and Social Care Board date=2025-10-01 start=14:00')).toMatch(/more than a year ago: meetings can be recorded up to a year back/);
    expect(await h.ask('alys', 'meeting add Health and Social Care Board date=2026-12-08 start=14:00 end=13:00')).toMatch(/ends \(13:00\) before it starts \(14:00\)/);
    expect(await h.ask('alys', 'meeting add Transport Board date=2026-12-08 start=14:00')).toMatch(/Transport Board/);
    expect(await h.ask('alys', 'meeting add Health and Social Care Board date=2026-12-32 start=25:00 papers=notalink')).toMatch(
      /date must be a date such as 15\/01\/2027, 15 Jan 2027 or tomorrow[\s\S]*start must be a time such as 14:00[\s\S]*papers must be a web address/,
    );
    expect(await h.ask('alys', 'meeting add Community Safety Partnership date=2026-12-08 start=14:00')).toMatch(/Only a forum officer or a representative on this partnership/);
    expect(await h.ask('carys', 'meeting add Health and Social Care Board date=2026-12-08 start=14:00')).toMatch(/representative/i);
    expect(await h.ask('alys', 'meeting repeat Health and Social Care Board every=fortnightly from=2027-01-01 start=14:00')).toMatch(/can’t read the pattern/);
    expect(await db().meeting.count()).toBe(before);
    expect(await db().meetingSeries.count()).toBe(0);
  });

  it('a representative enters a meeting; an officer a recurring pattern, topped up daily without duplicates', async () => {
    expect(await h.ask('alys', 'meeting add Health and Social Care Board date=2026-12-08 start=14:00 end=16:00 place="County Hall, Llandrindod; Room 2" papers=https://example.org/hscb/2026-12')).toMatch(
      /Meeting of Health and Social Care Board added for 8 December 2026 at 14:00.*\/calendar\/powys\.ics/,
    );
    const answer = await h.ask('officer', 'meeting repeat Community Safety Partnership every="second Wednesday" from=2026-12-01 start=10:00 end=12:00 place=https://meet.example.org/csp');
    expect(answer).toMatch(/12 meetings of Community Safety Partnership/);
    expect(answer).toContain('9 December 2026 at 10:00');
    expect(answer).toContain('13 January 2027 at 10:00');
    at('2026-11-23T09:00:00Z');
    await dailyReminders(job());
    await dailyReminders(job());
    expect(await db().meeting.count({ where: { seriesId: { not: null } } })).toBe(12);
    at('2027-01-02T09:00:00Z');
    await dailyReminders(job());
    expect(await db().meeting.count({ where: { seriesId: { not: null } } })).toBe(13);
    at('2026-11-22T10:00:00Z');
    const quarterly = await h.ask('officer', 'meeting repeat Health and Social Care Board every=quarterly from=2027-02-03 until=2027-12-31 start=10:00');
    expect(quarterly).toMatch(/4 meetings/); // first Wednesday: Feb, May, Aug, Nov
    const list = await h.ask('carys', 'meetings Health and Social Care Board');
    expect(list).toMatch(/8 December 2026 at 14:00: Health and Social Care Board \(County Hall, Llandrindod; Room 2\)/);
  });

  it('serves the forum’s calendar over HTTP; unknown forums get 404', async () => {
    const server = new WebServer(createLogger('error'));
    server.add(...calendarRoutes(h.app.services));
    const port = await server.listen(0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/calendar/powys.ics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      const ics = await res.text();
      const meeting = await db().meeting.findFirstOrThrow({ where: { seriesId: null } });
      expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
      expect(ics).toContain(`UID:meeting-${meeting.id}@forumbot\r\n`);
      expect(ics).toContain('DTSTART:20261208T140000Z\r\nDTEND:20261208T160000Z\r\n');
      expect(ics).toContain('LOCATION:County Hall\\, Llandrindod\\; Room 2\r\n');
      expect(ics).toContain('URL:https://example.org/hscb/2026-12\r\n');
      expect(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
      expect(ics.match(/BEGIN:VEVENT/g)!.length).toBe(await db().meeting.count());
      // the same UIDs on the next fetch
      const again = await (await fetch(`http://127.0.0.1:${port}/calendar/powys.ics`)).text();
      expect(again.match(/UID:.*/g)).toEqual(ics.match(/UID:.*/g));
      expect((await fetch(`http://127.0.0.1:${port}/calendar/nowhere.ics`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/calendar/powys`)).status).toBe(404);
      // the feature declares the route for the bot's web server
      const feature = h.app.features.find((f) => f.id === 'reportbacks')!;
      const declared = new WebServer(createLogger('error'));
      declared.add(...feature.routes!(h.app.services));
      await declared.app.ready();
      expect(declared.app.hasRoute({ method: 'GET', url: '/calendar/:file' })).toBe(true);
      await declared.close();
    } finally {
      await server.close();
    }
  });
});

describe('issues, prompts and reminders with a fixed clock', () => {
  it('members raise and back issues', async () => {
    expect(await h.ask('carys', 'issue raise partnership="Health and Social Care Board" Hospital discharge leaves carers without notice for=organisation')).toMatch(/Issue #1 raised/);
    expect(await h.ask('dai', 'issue back 1')).toMatch(/You back issue #1.*\(1 backer\)/);
    expect(await h.ask('dai', 'issue back 1')).toMatch(/already back/);
    expect(await h.ask('carys', 'issue back 1')).toMatch(/You raised issue #1/);
    expect(await h.ask('dai', 'issue back 99')).toMatch(/no issue “99”/);
    expect(await h.ask('dai', 'issue raise partnership="Health and Social Care Board" no')).toMatch(/text must be at least 5 characters/);
    expect(await h.ask('dai', `issue raise partnership="Health and Social Care Board" ${'x'.repeat(1001)}`)).toMatch(/text must be at most 1000 characters/);
    expect(await h.ask('dai', 'issue raise partnership="Health and Social Care Board" Something for=organisation')).toMatch(/not linked to an organisation/);
    expect(await db().forumIssue.count()).toBe(1);
    await delivered();
    expect(h.adapter.to(CHANNEL).join('\n')).toMatch(/Issue #1 for Health and Social Care Board, raised by carys for Brecon Mind/);
  });

  it('two days before the meeting the representatives get the open issues, once', async () => {
    at('2026-12-06T13:00:00Z');
    expect(await caucusPrompts(job())).toBe(0); // 49 hours before
    at('2026-12-06T14:30:00Z');
    expect(await caucusPrompts(job())).toBe(1);
    expect(await caucusPrompts(job())).toBe(0);
    await delivered();
    for (const rep of ['alys', 'bryn']) {
      const got = h.adapter.to(dm(rep)).filter((t) => t.startsWith('Before the Health and Social Care Board meeting'));
      expect(got).toHaveLength(1);
      expect(got[0]).toContain('#1 Hospital discharge leaves carers without notice (1 backer)');
    }
    expect(h.adapter.to(dm('carys')).join()).not.toMatch(/Before the/);
  });

  it('after the meeting each seat holder is asked privately, once', async () => {
    at('2026-12-08T15:59:00Z');
    await promptAfterMeetings(job());
    expect(await db().reportbackRequest.count()).toBe(0);
    at('2026-12-08T16:15:00Z');
    expect(await promptAfterMeetings(job())).toBe(2);
    expect(await promptAfterMeetings(job())).toBe(0);
    await delivered();
    for (const rep of ['alys', 'bryn']) {
      expect(h.adapter.to(dm(rep)).filter((t) => /You represented the sector at the Health and Social Care Board meeting on 8 December 2026/.test(t))).toHaveLength(1);
    }
    expect(h.adapter.to(dm('alys')).join()).toContain('by 18 December 2026');
    expect(h.adapter.to(CHANNEL).join()).not.toMatch(/You represented/);
  });

  it('report-back form: bad actions and long summaries are refused with nothing stored; a joint report publishes and answers the issue', async () => {
    const meeting = await db().meeting.findFirstOrThrow({ where: { seriesId: null } });
    const [form] = await h.press('alys', 'reportback file', { meeting: meeting.id });
    const block = form.message.blocks!.find((b) => b.type === 'form')!;
    expect(block.type === 'form' && block.form.fields.map((f) => f.name)).toEqual(['summary', 'decisions', 'actions', 'sector', 'interests', 'papers', 'joint', 'response1']);
    const submit = block.type === 'form' ? block.form.submit : { command: '', args: {} };
    const bad = await h.submit('alys', submit.command, { summary: 'x'.repeat(1201) }, submit.args);
    expect(bad[0].message.text).toMatch(/summary must be at most 1200 characters/);
    const badActions = await h.submit('alys', submit.command, { summary: 'Short', actions: 'Write to the LHB\nCall the council; Dai; 2020-01-01' }, submit.args);
    expect(badActions[0].message.text).toMatch(/line 1: the action has no owner[\s\S]*line 1: the action has no date[\s\S]*line 2: 2020-01-01 is before the meeting[\s\S]*Nothing has been saved/);
    expect(await db().reportback.count()).toBe(0);
    expect(await db().reportbackAction.count()).toBe(0);

    const values = {
      summary: 'The board agreed a discharge protocol with carers’ organisations. Winter pressures discussed.',
      decisions: 'Adopt the discharge protocol\nReview in March',
      actions: 'Write to the LHB about discharge notice; alys; 2026-12-20\nShare the winter plan; Council officer; 2027-01-15',
      sector: 'Carers’ groups should expect more referrals',
      interests: 'Bryn: his organisation is funded by the board',
      papers: '',
      joint: true,
      response1: 'The LHB will give carers 48 hours’ notice from January.',
    };
    // the instance dies as the announcement is recorded: nothing is published, so filing again works
    const broadcasts = h.app.services.broadcasts;
    const record = broadcasts.broadcast.bind(broadcasts);
    const dies = vi.spyOn(broadcasts, 'broadcast').mockImplementation(async (...args) => {
      if (args[1] === 'reportback') throw new Error('the instance died here');
      return record(...args);
    });
    try {
      await h.submit('alys', submit.command, values, submit.args).catch(() => []);
    } finally {
      dies.mockRestore();
    }
    expect([await db().reportback.count(), await db().reportbackAction.count(), await db().forumIssue.count({ where: { status: 'ANSWERED' } })]).toEqual([0, 0, 0]);
    const ok = await h.submit('alys', submit.command, values, submit.args);
    expect(ok[0].message.text).toMatch(/report-back on Health and Social Care Board is published; 1 issue is answered/);
    await delivered();
    const posted = h.adapter.to(CHANNEL).filter((t) => t.startsWith('Report-back: Health and Social Care Board, 8 December 2026'));
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatch(/Joint report by the representatives, filed by alys/);
    expect(posted[0]).toMatch(/Decisions: 2 · Actions: 2 · Issues for the sector: 1 · Responses to forum issues: 1/);
    const rb = await db().reportback.findFirstOrThrow({ include: { actions: true, requests: true } });
    expect(rb.papersUrl).toBe('https://example.org/hscb/2026-12');
    expect(rb.actions.find((a) => a.ownerName === 'alys')?.ownerId).not.toBeNull();
    expect(rb.actions.find((a) => a.ownerName === 'Council officer')?.ownerId).toBeNull();
    expect(rb.requests.map((r) => r.reportbackId)).toEqual([rb.id, rb.id]); // bryn's too: joint
    for (const who of ['carys', 'dai']) {
      expect(h.adapter.to(dm(who)).filter((t) => /Issue #1 for Health and Social Care Board .* has a response: The LHB will give carers 48 hours’ notice/.test(t))).toHaveLength(1);
    }
    const full = await h.ask('carys', `reportback show ${rb.id}`);
    expect(full).toMatch(/Write to the LHB about discharge notice: alys, by 20 December 2026/);
    expect(full).toMatch(/#1 Hospital discharge .* → The LHB will give carers/);
    expect(await h.ask('bryn', 'reportback file Health and Social Care Board')).toMatch(/already been filed|no report-back to file/);
    expect(await h.ask('carys', 'issues')).toMatch(/No open issues/);
  });

  it('edits by the author within 48 hours keep history; others and late edits are refused', async () => {
    const rb = await db().reportback.findFirstOrThrow();
    at('2026-12-09T10:00:00Z');
    expect((await h.submit('bryn', 'reportback update', { summary: 'Hijack' }, { id: rb.id }))[0].message.text).toMatch(/Only the person who filed/);
    const r = await h.submit('alys', 'reportback update', { summary: 'Corrected: the board agreed a discharge protocol.', decisions: 'Adopt the discharge protocol', actions: 'Write to the LHB about discharge notice; alys; 2026-12-20' }, { id: rb.id });
    expect(r[0].message.text).toMatch(/Report-back updated/);
    const history = await h.ask('carys', `reportback history ${rb.id}`);
    expect(history).toMatch(/Edited once[\s\S]*before: The board agreed a discharge protocol with carers’ organisations/);
    expect(await db().reportbackAction.count({ where: { reportbackId: rb.id } })).toBe(1);
    at('2026-12-10T16:30:00Z');
    expect((await h.submit('alys', 'reportback update', { summary: 'Too late' }, { id: rb.id }))[0].message.text).toMatch(/48 hours/);
    expect((await db().reportback.findUniqueOrThrow({ where: { id: rb.id } })).summary).toMatch(/^Corrected/);
  });

  it('finds report-backs by partnership, date and words', async () => {
    expect(await h.ask('carys', 'reportbacks discharge protocol')).toMatch(/1 report-back found[\s\S]*Health and Social Care Board \(alys\): Corrected/);
    expect(await h.ask('carys', 'reportbacks partnership="Community Safety Partnership"')).toMatch(/No report-backs match/);
    expect(await h.ask('carys', 'reportbacks from=2026-12-09')).toMatch(/No report-backs match/);
    expect(await h.ask('carys', 'reportbacks partnership="Health and Social Care Board" from=2026-12-01 to=2026-12-08')).toMatch(/1 report-back found/);
    expect(await h.ask('carys', 'reportbacks hijack')).toMatch(/No report-backs match/);
  });

  it('reminders 3 days before and on the due day, once each; the overdue list for officers', async () => {
    // the Community Safety Partnership met on 9 December: bryn was asked, and files nothing
    at('2026-12-09T12:20:00Z');
    expect(await promptAfterMeetings(job())).toBe(1);
    const remindersTo = async (who: string) => {
      await delivered();
      return h.adapter.to(dm(who)).filter((t) => /Community Safety Partnership meeting of 9 December 2026 is due/.test(t));
    };
    at('2026-12-15T09:00:00Z');
    await dailyReminders(job());
    expect(await remindersTo('bryn')).toHaveLength(0);
    at('2026-12-16T09:00:00Z');
    await dailyReminders(job());
    at('2026-12-17T09:00:00Z');
    await dailyReminders(job());
    expect(await remindersTo('bryn')).toEqual(['Reminder: your report-back on the Community Safety Partnership meeting of 9 December 2026 is due by 19 December 2026.']);
    at('2026-12-19T09:00:00Z');
    await dailyReminders(job());
    await dailyReminders(job());
    expect((await remindersTo('bryn'))[1]).toMatch(/is due today \(19 December 2026\)/);
    expect(await remindersTo('bryn')).toHaveLength(2);
    expect(await h.ask('officer', 'reportbacks overdue')).toMatch(/No report-backs are overdue/);
    at('2026-12-20T09:00:00Z');
    expect(await h.ask('officer', 'reportbacks overdue')).toMatch(/1 report-back is overdue:\n• bryn: Community Safety Partnership, 9 December 2026 \(due 19 December 2026\)/);
    expect(await h.ask('alys', 'reportbacks overdue')).toMatch(/Only a forum officer/);
  });

  it('action owners who are members are reminded before the due date; the action list marks overdue ones', async () => {
    const remindedAlys = () => h.adapter.to(dm('alys')).filter((t) => /action from the Health and Social Care Board meeting is yours/.test(t));
    expect(remindedAlys()).toHaveLength(1); // sent by the 17 December run: due 20 December
    at('2026-12-18T09:00:00Z');
    await dailyReminders(job());
    await delivered();
    expect(remindedAlys()).toHaveLength(1);
    at('2026-12-21T09:00:00Z');
    const list = await h.ask('carys', 'actions Health and Social Care Board');
    expect(list).toMatch(/\[OVERDUE\] Write to the LHB about discharge notice \(alys, 20 December 2026\)/);
    const action = await db().reportbackAction.findFirstOrThrow();
    expect((await h.press('dai', 'action done', { id: action.id }))[0].message.text).toMatch(/Only the action’s owner/);
    expect((await h.press('alys', 'action done', { id: action.id }))[0].message.text).toMatch(/Marked as done/);
    expect(await h.ask('carys', 'actions Health and Social Care Board')).toMatch(/No open actions/);
  });

  it('a platform without forms asks the report-back questions one by one; a late report clears the overdue list', async () => {
    const noForms = { buttons: true, selects: true, forms: false, ballots: true, ephemeral: true, direct: true };
    const shown = async (text: string) =>
      (await h.say('bryn', text, { caps: noForms })).flatMap((r) => [r.message.text, ...(r.message.blocks ?? []).flatMap((b) => (b.type === 'section' ? [b.text] : []))]).join('\n');
    const first = await shown('reportback file Community Safety Partnership');
    expect(first).toMatch(/Report-back: Community Safety Partnership, 9 December 2026[\s\S]*\(1\/7\) Summary/);
    const answers = ['Hate crime reporting is down; the partnership will map reporting centres.', '-', 'Map hate crime reporting centres; bryn; 2027-02-01', '-', '-', '-'];
    for (const a of answers) expect(await shown(a)).toMatch(/\(\d\/7\)/);
    expect(await shown('no')).toMatch(/report-back on Community Safety Partnership is published/);
    expect(await h.ask('officer', 'reportbacks overdue')).toMatch(/No report-backs are overdue/);
    expect(await h.ask('carys', 'actions Community Safety Partnership')).toMatch(/Map hate crime reporting centres \(bryn, 1 February 2027\)/);
  });

  it('due days are a forum setting', async () => {
    expect(await h.ask('officer', 'reportback settings days=14')).toMatch(/due 14 days after/);
    expect(await h.ask('officer', 'reportback settings days=0')).toMatch(/days must be at least 1/);
  });

  it('answers in Welsh', async () => {
    await h.ask('dai', 'iaith cy');
    expect(await h.ask('dai', 'materion')).toMatch(/Nid oes materion agored/);
    expect(await h.ask('dai', 'cyfarfodydd')).toMatch(/Cyfarfodydd i ddod|Nid oes cyfarfodydd/);
  });

  it('merging two person records moves requests, reports, actions, issues and backings', async () => {
    const alys = (await db().account.findFirstOrThrow({ where: { platformUserId: 'alys' } })).personId;
    const dai = (await db().account.findFirstOrThrow({ where: { platformUserId: 'dai' } })).personId;
    await db().$transaction((tx) => mergeReportbackPerson(tx, alys, dai));
    expect(await db().reportback.count({ where: { authorId: dai } })).toBe(1);
    expect(await db().reportbackRequest.count({ where: { personId: alys } })).toBe(0);
    expect(await db().issueBacking.count({ where: { personId: dai } })).toBe(1);
  });
});
