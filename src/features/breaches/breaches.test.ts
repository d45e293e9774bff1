import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Capabilities } from '../../core/adapter.ts';
import type { Form, Reply } from '../../core/messages.ts';
import { createHarness, dm, type Harness } from '../../../test/support/harness.ts';
import { draftConsultationAction, draftNoticeFromConsultation } from './index.ts';

/**
 * End to end through the core on a real database, with a fixed clock: the catalogue, named,
 * on-behalf and anonymous filing, and a case through every step with working-day deadlines
 * (Christmas 2026 included) and idempotent reminders.
 */
let h: Harness;
const textOnly: Capabilities = { buttons: false, selects: false, forms: false, ballots: false, ephemeral: true, direct: true };
const formOf = (replies: Reply[]): Form => {
  for (const r of replies) for (const b of r.message.blocks ?? []) if (b.type === 'form') return b.form;
  throw new Error(`no form in: ${replies.map((r) => r.message.text).join(' | ')}`);
};
const option = (form: Form, field: string, label: string | RegExp) => {
  const f = form.fields.find((x) => x.name === field);
  if (!f || f.kind !== 'select') throw new Error(`no select ${field}`);
  const o = f.options.find((x) => (typeof label === 'string' ? x.label === label : label.test(x.label)));
  if (!o) throw new Error(`no option ${String(label)} in ${field}`);
  return o.value;
};
const allText = (replies: Reply[]) => replies.flatMap((r) => [r.message.text, ...(r.message.blocks ?? []).flatMap((b) => (b.type === 'section' ? [b.text] : []))]).join('\n');
const texts = (replies: Reply[]) => replies.map((r) => r.message.text).join('\n');
const deliver = async () => {
  await h.app.services.broadcasts.idle();
  await h.app.services.broadcasts.deliverDue();
};
const db = () => h.app.services.db;
const job = (id: string) => h.app.scheduler['jobs'].find((j: { id: string }) => j.id === id)!;

beforeAll(async () => {
  h = await createHarness({ now: '2026-11-23T10:00:00Z' }); // a Monday
  await h.ask('officer', 'forum create Powys Third Sector Forum cvc="PAVO"');
  await h.ask('officer', 'organisation add Brecon Mind');
  await h.ask('officer', 'organisation add Ystradgynlais Food Bank');
  const code = /code=([0-9A-F]{10})/.exec(await h.ask('officer', 'invite create Brecon Mind uses=2'))![1];
  await h.ask('alys', `join code=${code}`);
  await h.ask('bryn', `join code=${code}`);
  const code2 = /code=([0-9A-F]{10})/.exec(await h.ask('officer', 'invite create Ystradgynlais Food Bank uses=1'))![1];
  await h.ask('ceri', `join code=${code2}`);
});
afterAll(async () => h?.close());

describe('the compact catalogue', () => {
  it('ships a default catalogue on first use, editable by officers only', async () => {
    const list = await h.ask('alys', 'compact list');
    expect(list).toContain('Compact: acknowledge within 5 working days, liaison discussion within 20');
    expect(list).toContain('Funding and Compliance Sub-Committee of the Third Sector Partnership Council');
    for (const c of ['Funding and Procurement', 'Consultation and Policy Appraisal', 'Volunteering', 'Black and Minority Ethnic organisations', 'Community Groups']) expect(list).toContain(c);
    expect(list).toContain('Consultations run for at least 12 weeks (standard: 84 days)');
    for (const p of ['County council (council)', 'Local health board (health board)', 'Police (police)', 'Fire and rescue service (fire and rescue)']) expect(list).toContain(p);
    expect(await h.ask('officer', 'compact defaults')).toMatch(/already has a compact catalogue/);
    expect(await h.ask('alys', 'compact party add Dyfed-Powys Police kind=police')).toMatch(/Only a forum officer/);

    expect(await h.ask('officer', 'compact party add Powys Teaching Health Board kind=health-board')).toMatch(/Added Powys Teaching Health Board to Compact/);
    expect(await h.ask('officer', 'compact party add Someone kind=quango')).toContain('kind must be one of: council, health-board, police, fire, other');
    expect(await h.ask('officer', 'compact code add Commissioning cy="Comisiynu"')).toMatch(/Added the code Commissioning/);
    expect(await h.ask('officer', 'compact commitment add code=Commissioning Commissioning plans are shared 6 months ahead days=182')).toMatch(/Added the commitment to Commissioning/);
    expect(await h.ask('officer', 'compact set Compact acknowledge=5 liaison=20 escalation="Powys Compact Board"')).toMatch(/escalation to Powys Compact Board/);
    expect(await h.ask('officer', 'compact remove party Fire and rescue')).toMatch(/Removed Fire and rescue service/);
    // a second compact: filing then asks which, and a compact without bodies says what to do
    expect(await h.ask('officer', 'compact add Health Compact acknowledge=none liaison=10')).toMatch(/Added the compact Health Compact/);
    expect(await h.ask('officer', 'compact list Health Compact')).toContain('Health Compact: acknowledge within — working days, liaison discussion within 10');
    const which = await h.say('alys', 'breach file');
    expect(which[0].message.blocks?.find((b) => b.type === 'buttons')).toBeTruthy();
    expect(await h.ask('alys', 'breach file compact="Health Compact"')).toContain('Health Compact has no bodies yet');
    expect(await h.ask('alys', 'breach file compact=Nowhere')).toContain('No compact matches “Nowhere”');
    expect(await h.ask('officer', 'iaith cy')).toBeTruthy();
    expect(await h.ask('officer', 'compact rhestr')).toContain('Comisiynu');
    await h.ask('officer', 'language en');
  });
});

describe('filing', () => {
  it('named: a member files for their organisation through the form; officers hear at once', async () => {
    const form = formOf(await h.say('alys', 'breach file compact=Compact'));
    expect(form.fields.map((f) => f.name)).toEqual(['party', 'code', 'commitment', 'aspect', 'whatHappened', 'happenedOn', 'expected', 'actual', 'evidence', 'outcomeWanted']);
    const values = {
      party: option(form, 'party', 'County council'),
      code: option(form, 'code', 'Consultation and Policy Appraisal'),
      commitment: option(form, 'commitment', /12 weeks/),
      aspect: 'principle',
      whatHappened: 'The day centres consultation ran for three days.',
      happenedOn: '2026-11-02',
      expected: '84 days',
      actual: '3 days',
      evidence: 'https://example.org/consultation\nhttps://example.org/letter',
      outcomeWanted: 'Re-run the consultation for 12 weeks.',
    };
    // bad input first: nothing is stored, and the answer says what to fix
    const bad = texts(await h.submit('alys', form.submit.command, { ...values, evidence: 'not-a-link', whatHappened: 'short' }, form.submit.args));
    expect(bad).toContain('whatHappened must be at least 10 characters');
    expect(await db().breachNotice.count()).toBe(0);
    const badLink = texts(await h.submit('alys', form.submit.command, { ...values, evidence: 'www.example.org' }, form.submit.args));
    expect(badLink).toContain('“www.example.org” is not a web link');
    expect(await db().breachNotice.count()).toBe(0);

    const done = texts(await h.submit('alys', form.submit.command, values, form.submit.args));
    expect(done).toContain('Notice #1 is filed');
    expect(done).toContain('acknowledged by 30 November 2026'); // 5 working days after Monday 23rd
    const n = await db().breachNotice.findFirstOrThrow({ where: { number: 1 } });
    const alys = await db().account.findFirstOrThrow({ where: { platformUserId: 'alys' } });
    expect(n).toMatchObject({ mode: 'NAMED', filerPersonId: alys.personId, expected: '84 days', actual: '3 days', dueOn: '2026-11-30', state: 'filed' });
    expect(n.evidence).toEqual(['https://example.org/consultation', 'https://example.org/letter']);
    await deliver();
    expect(h.adapter.to(dm('officer')).join()).toContain('New compact breach notice #1: County council, Consultation and Policy Appraisal');
  });

  it('named filing needs an organisation; on behalf needs an officer', async () => {
    expect(await h.ask('stranger', 'breach file')).toMatch(/Only active members/);
    expect(await h.ask('alys', 'breach file behalf')).toMatch(/Only a forum officer/);
  });

  it('on behalf: an officer files for an organisation, whose members hear of it', async () => {
    const form = formOf(await h.say('officer', 'breach file behalf compact=Compact'));
    expect(form.fields[0].name).toBe('organisation');
    const done = texts(
      await h.submit(
        'officer',
        form.submit.command,
        {
          organisation: option(form, 'organisation', 'Ystradgynlais Food Bank'),
          party: option(form, 'party', 'Powys Teaching Health Board'),
          code: option(form, 'code', 'Funding and Procurement'),
          commitment: option(form, 'commitment', /paid in advance/),
          aspect: 'spirit',
          whatHappened: 'The grant for this year was paid four months after delivery began.',
          expected: 'paid in advance',
          actual: 'paid 4 months late',
          evidence: '',
          outcomeWanted: 'Payment schedule agreed in advance',
        },
        form.submit.args,
      ),
    );
    expect(done).toContain('Notice #2 is filed');
    const n = await db().breachNotice.findFirstOrThrow({ where: { number: 2 } });
    const officer = await db().account.findFirstOrThrow({ where: { platformUserId: 'officer' } });
    expect(n).toMatchObject({ mode: 'ON_BEHALF', filedById: officer.personId, filerPersonId: null, happenedOn: null });
    await deliver();
    expect(h.adapter.to(dm('ceri')).join()).toContain('filed compact breach notice #2 on behalf of your organisation');
  });

  it('anonymous: in a private conversation only, through the text form where forms are not native', async () => {
    expect(await h.ask('bryn', 'breach file anonymous', { conversation: 'fake:room:general' })).toMatch(/private message to the bot/);
    const start = allText(await h.say('bryn', 'breach file anonymous compact=Compact', { caps: textOnly }));
    expect(start).toContain('Filing anonymously');
    expect(start).toMatch(/\(1\/10\) Which body\?/);
    const key = `${dm('bryn')}|fake:bryn`;
    expect(await db().conversationState.count({ where: { key } })).toBe(1);
    const answers = ['County council', 'Volunteering', '-', '2', 'Volunteers were asked to run the library instead of paid staff.', '2026-11-20', '-', '-', '-', 'Paid staff reinstated'];
    let last = '';
    for (const a of answers) last = await h.ask('bryn', a, { caps: textOnly });
    expect(last).toContain('Your anonymous notice is received');
    expect(last).not.toContain('#3'); // numbered by the mixing job, not in the filer's request
    const receipt = /receipt code: ([0-9A-Z-]+)/.exec(last)![1];
    expect(receipt.replace(/-/g, '')).toHaveLength(20); // 100 bits
    // the form state keyed by this conversation and user is gone once the form is done
    expect(await db().conversationState.count()).toBe(0);
    // held (no person, no time) until the mixing job's next run publishes it
    expect(await db().breachNotice.count({ where: { number: 3 } })).toBe(0);
    expect(await db().anonymousHeld.count({ where: { kind: 'notice' } })).toBe(1);
    expect(await h.ask('bryn', `breach status ${receipt}`)).toMatch(/received and waiting to be filed/);
    // what a held notice names stays in the catalogue, or its publication would fail
    expect(await h.ask('officer', 'compact remove code Volunteering compact=Compact')).toMatch(/is part of a filed notice/);
    expect(await h.app.scheduler.runDue(job('breaches.mix'), new Date('2026-11-23T10:01:00Z'))).toBe('ran');
    expect(await db().anonymousHeld.count()).toBe(0);
    const n = await db().breachNotice.findFirstOrThrow({ where: { number: 3 } });
    expect(n).toMatchObject({ mode: 'ANONYMOUS', filerPersonId: null, filedById: null, organisationId: null, aspect: 'spirit', filedOn: '2026-11-23', officersTold: false });
    expect(n.stateSince.toISOString()).toBe('2026-11-23T00:00:00.000Z'); // the day, not the time
    expect(n.receiptHash).not.toContain(receipt);
    // officers are not told at filing time but by the hourly job
    await deliver();
    expect(h.adapter.to(dm('officer')).join()).not.toContain('#3');
    await h.app.scheduler.runDue(job('breaches.anonymous'), new Date('2026-11-23T11:00:00Z'));
    await deliver();
    expect(h.adapter.to(dm('officer')).join()).toContain('New anonymous breach notices: #3');
    expect((await db().breachNotice.findFirstOrThrow({ where: { number: 3 } })).officersTold).toBe(true);

    // from another platform, the receipt follows the case and talks to the officers
    const other = (text: string) => h.app.bot.handle({ user: { platform: 'elsewhere', id: 'u9', displayName: 'Somebody' }, conversation: 'elsewhere:dm:u9', isDirect: true, kind: 'command', text });
    expect(texts(await other(`breach status ${receipt.toLowerCase()}`))).toMatch(/Notice #3: filed/);
    expect(texts(await other(`breach reply ${receipt} The library closes on Tuesdays now.`))).toContain('Your message on notice #3 is with the officers');
    expect(await db().breachMessage.count({ where: { notice: { number: 3 } } })).toBe(0); // held, like the notice
    expect(await h.app.scheduler.runDue(job('breaches.mix'), new Date('2026-11-23T10:02:00Z'))).toBe('ran');
    const msg = await db().breachMessage.findFirstOrThrow({ where: { notice: { number: 3 } } });
    expect(msg).toMatchObject({ fromOfficer: false, byPersonId: null, on: '2026-11-23' });
    expect(await h.ask('officer', 'breach message 3 Which library?')).toContain('waits on case #3');
    expect(await h.ask('officer', 'breach step 3 acknowledged Received, thank you.')).toContain('Case #3 is now acknowledged');
    const status = texts(await other(`breach status ${receipt}`));
    expect(status).toContain('2 new entries since you last looked');
    expect(status).toContain('acknowledged: Received, thank you.');
    expect(status).toContain('from the officers: Which library?');
    // what the filer has seen is written by the mixing job too
    expect(await h.app.scheduler.runDue(job('breaches.mix'), new Date('2026-11-23T10:03:00Z'))).toBe('ran');
    expect((await db().breachNotice.findFirstOrThrow({ where: { number: 3 } })).filerSeen).toBe(2);
    expect(texts(await other(`breach status ${receipt}`))).not.toContain('new since');
    expect(await db().anonymousHeld.count()).toBe(0); // nothing new seen: nothing written

    // revealing is a choice, confirmed
    expect(texts(await other(`breach reveal ${receipt}`))).toContain('confirm=yes');
    expect(await db().breachNotice.count({ where: { number: 3, filerPersonId: { not: null } } })).toBe(0);
    expect(await h.ask('bryn', `breach reveal ${receipt} confirm=yes`)).toContain('notice #3 is yours');
    const bryn = await db().account.findFirstOrThrow({ where: { platformUserId: 'bryn' } });
    expect(await db().breachNotice.findFirstOrThrow({ where: { number: 3 } })).toMatchObject({ filerPersonId: bryn.personId });
    await deliver();
    expect(h.adapter.to(dm('officer')).join()).toContain('has said who they are: bryn');
  });

  it('a wrong receipt gets the same answer as an unknown one, and repeated guesses are slowed', async () => {
    const guess = (code: string) => h.ask('guesser', `breach status ${code}`);
    const unknown = await guess('not-a-code');
    expect(unknown).toBe('That receipt code does not match a notice. Check it and try again.');
    for (let i = 0; i < 3; i++) expect(await guess('AAAAA-BBBBB-CCCCC-DDDDD')).toBe(unknown);
    expect(await guess('ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ')).toBe(unknown); // fifth miss
    expect(await guess('ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ')).toMatch(/Please wait 1 minute before/);
    h.clock.now = new Date(h.clock.now.getTime() + 61_000);
    expect(await guess('ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ')).toBe(unknown);
    expect(await guess('ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ')).toMatch(/Please wait 2 minutes/);
    h.clock.now = new Date('2026-11-23T10:00:00Z');
  });
});

describe('abandoned anonymous forms', () => {
  it('are deleted by the hourly job once they expire', async () => {
    await h.say('alys', 'breach file anonymous compact=Compact', { caps: textOnly });
    await h.say('alys', 'County council', { caps: textOnly });
    expect(await db().conversationState.count()).toBe(1);
    const { tellOfficersOfAnonymous } = await import('./breaches.jobs.ts');
    await tellOfficersOfAnonymous(h.app.services, new Date('2026-11-23T12:00:00Z'), 'early');
    expect(await db().conversationState.count()).toBe(1); // not expired yet: the filer may come back
    await tellOfficersOfAnonymous(h.app.services, new Date('2026-11-24T11:00:00Z'), 'late');
    expect(await db().conversationState.count()).toBe(0);
  });
});

describe('the case workflow with a fixed clock', () => {
  it('moves through every step on working days, reminds once, lists what is overdue, and the filer hears each step', async () => {
    const reminders = job('breaches.deadlines');
    // Friday 27th, 08:00: notice #1 is due Monday 30th (within one working day): one reminder
    expect(await h.app.scheduler.runDue(reminders, new Date('2026-11-27T08:00:00Z'))).toBe('ran');
    expect(await h.app.scheduler.runDue(reminders, new Date('2026-11-27T08:30:00Z'))).toBe('skipped'); // claimed once
    await reminders.run({ ...h.app.services, scheduledFor: new Date('2026-11-27T08:00:00Z') }); // a forced rerun sends nothing new
    await deliver();
    const soon = h.adapter.to(dm('officer')).filter((t) => t.startsWith('Reminder: breach case #1'));
    expect(soon).toEqual(['Reminder: breach case #1 (County council): acknowledge by 30 November 2026.']);

    // Tuesday 1 December: #1 and #2 are overdue
    h.clock.now = new Date('2026-12-01T09:00:00Z');
    await h.app.scheduler.runDue(reminders, new Date('2026-12-01T08:00:00Z'));
    await reminders.run({ ...h.app.services, scheduledFor: new Date('2026-12-01T08:00:00Z') });
    await deliver();
    expect(h.adapter.to(dm('officer')).filter((t) => t.startsWith('Overdue: breach case #1'))).toHaveLength(1);
    const late = await h.ask('officer', 'breach overdue');
    expect(late).toContain('#1 County council: acknowledge by 30 November 2026, 1 working day late');
    expect(late).not.toContain('#3'); // acknowledged already
    expect(await h.ask('alys', 'breach overdue')).toMatch(/Only a forum officer/);

    // every step by an officer, with a note; a refused step says why
    expect(await h.ask('officer', 'breach step 1 resolved Done')).toContain('A case that is filed cannot be resolved');
    const pressed = await h.press('officer', 'breach step', { number: 1, to: 'acknowledged' });
    const noteForm = formOf(pressed);
    expect(noteForm.fields[0].name).toBe('note');
    const ack = texts(await h.submit('officer', noteForm.submit.command, { note: 'On the liaison group agenda.' }, noteForm.submit.args));
    expect(ack).toContain('Case #1 is now acknowledged. (liaison discussion by 31 December 2026)'); // 20 working days, Christmas and Boxing Day (28th) skipped
    expect(await h.ask('officer', 'breach step 1 liaison Discussed 10 December; the council will reply.')).toContain('now discussed at the compact liaison group');
    expect(await h.ask('officer', 'breach step 1 mediation Council disputes the timetable.')).toContain('now in mediation');
    expect(await h.ask('officer', 'breach step 1 unresolved Mediation failed.')).toContain('now unresolved');
    expect(await h.ask('officer', 'breach step 1 escalated Referred on.')).toContain('now escalated (Powys Compact Board)');
    h.clock.now = new Date('2026-12-15T09:00:00Z');
    expect(await h.ask('officer', 'breach step 1 resolved The consultation is re-run for 12 weeks.')).toContain('now resolved');
    await deliver();
    const heard = h.adapter.to(dm('alys')).filter((t) => t.startsWith('Breach notice #1'));
    expect(heard).toHaveLength(6);
    expect(heard[4]).toBe('Breach notice #1 is now escalated (Powys Compact Board): Referred on.');
    const n1 = await db().breachNotice.findFirstOrThrow({ where: { number: 1 } });
    expect(n1).toMatchObject({ state: 'resolved', resolvedOn: '2026-12-15', dueOn: null });
    expect(await db().breachStep.count({ where: { noticeId: n1.id } })).toBe(6);
    expect(await h.ask('alys', 'breach status 1')).toContain('Notice #1: resolved');
    expect(await h.ask('ceri', 'breach status 1')).toMatch(/Only the filer’s organisation/);

    const cases = await h.ask('officer', 'breach cases');
    expect(cases).not.toContain('#1 ');
    expect(cases).toContain('#2 Powys Teaching Health Board');
    const view = await h.say('officer', 'breach case 3');
    expect(texts(view)).toContain('Breach case #3');
    expect(view[0].message.blocks?.some((b) => b.type === 'buttons' && b.buttons.some((x) => x.action.args?.to === 'liaison'))).toBe(true);
  });
});

describe('statistics and drafts', () => {
  it('publishes aggregates with small numbers hidden and no body named', async () => {
    // three more resolved consultation cases and an open funding one, so some figures reach 3
    for (let i = 0; i < 4; i++) {
      const form = formOf(await h.say('alys', 'breach file compact=Compact'));
      const code = i < 3 ? 'Consultation and Policy Appraisal' : 'Funding and Procurement';
      await h.submit('alys', form.submit.command, { party: option(form, 'party', 'County council'), code: option(form, 'code', code), aspect: 'principle', whatHappened: `Case number ${i} broke the compact.`, outcomeWanted: 'Keep to the compact' }, form.submit.args);
    }
    for (const n of [4, 5, 6]) {
      await h.ask('officer', `breach step ${n} acknowledged received`);
      await h.ask('officer', `breach step ${n} liaison discussed`);
      await h.ask('officer', `breach step ${n} resolved agreed`);
    }
    const stats = await h.ask('visitor', 'breach statistics');
    expect(stats).toContain('2026: 7 notices');
    expect(stats).toContain('Consultation and Policy Appraisal 4');
    expect(stats).toContain('resolved 4');
    expect(stats).toMatch(/Median time to resolution: \d+ days/);
    // held-back figures are said once, not once per category
    expect(stats.match(/fewer than 3/g)).toHaveLength(1);
    expect(stats).toContain('Categories with fewer than 3 notices (not shown) are left out above.');
    expect(stats).not.toMatch(/County council|Powys Teaching Health Board|\b1\b(?! )/);
    await h.ask('visitor', 'iaith cy');
    const cy = await h.ask('visitor', 'toriad ystadegau');
    expect(cy).toContain('Ymgynghori ac Arfarnu Polisi 4');
    expect(cy).toContain('nid tabl cynghrair');
  });

  it('drafts a notice from a short consultation for someone to confirm', async () => {
    const forum = await db().forum.findFirstOrThrow();
    const draft = await draftNoticeFromConsultation(db(), forum.id, { body: 'County council', title: 'Day centres review', opensOn: '2026-11-02', closesOn: '2026-11-05' });
    expect(draft).toMatchObject({ expectedDays: 84, actualDays: 3, body: 'County council', happenedOn: '2026-11-02' });
    expect(draft.partyId).toBeTruthy();
    await expect(draftNoticeFromConsultation(db(), forum.id, { body: 'County council', title: 'Long one', opensOn: '2026-01-01', closesOn: '2026-06-01' })).rejects.toThrow(/breaches.draft.longEnough/);

    const before = await db().breachNotice.count();
    const replies = await h.say('alys', 'breach draft consultation body="County council" title="Day centres review" opens=2026-11-02 closes=2026-11-05 link=https://example.org/c');
    expect(texts(replies)).toContain('“Day centres review” ran 3 days against the compact’s 84');
    const form = formOf(replies);
    const value = (name: string) => (form.fields.find((f) => f.name === name) as { value?: unknown }).value;
    expect(value('expected')).toBe('84 days');
    expect(value('actual')).toBe('3 days');
    expect(value('party')).toBe(draft.partyId);
    expect(value('commitment')).toBe(draft.commitmentId);
    expect(value('whatHappened')).toBe('County council consulted on “Day centres review” from 2026-11-02 to 2026-11-05: 3 days.');
    expect(await db().breachNotice.count()).toBe(before); // nothing filed until confirmed
    const values = Object.fromEntries(form.fields.map((f) => [f.name, (f as { value?: unknown }).value ?? '']));
    expect(texts(await h.submit('alys', form.submit.command, { ...values, outcomeWanted: 'A 12-week consultation' }, form.submit.args))).toMatch(/Notice #8 is filed/);

    // the updates feature's button runs the same command
    const action = draftConsultationAction({ body: 'County council', title: 'Day centres review', opensOn: '2026-11-02', closesOn: '2026-11-05' });
    expect(texts(await h.press('alys', action.command, action.args))).toContain('ran 3 days against the compact’s 84');

    // where forms are asked field by field, "-" keeps each suggestion
    const first = allText(await h.say('alys', 'breach draft consultation body="County council" title="Youth service cuts" opens=2026-12-01 closes=2026-12-15', { caps: textOnly }));
    expect(first).toMatch(/Which body\? \(suggested: County council; “-” keeps it\)/);
    let last = '';
    for (let i = 0; i < 9; i++) last = await h.ask('alys', '-', { caps: textOnly });
    expect(last).toMatch(/What outcome do you want\?/);
    expect(await h.ask('alys', 'A full 12-week consultation', { caps: textOnly })).toMatch(/Notice #9 is filed/);
    const n9 = await db().breachNotice.findFirstOrThrow({ where: { number: 9 }, include: { party: true, commitment: true } });
    expect(n9).toMatchObject({ expected: '84 days', actual: '14 days', happenedOn: '2026-12-01', aspect: 'principle', whatHappened: 'County council consulted on “Youth service cuts” from 2026-12-01 to 2026-12-15: 14 days.' });
    expect(n9.party.name).toBe('County council');
    expect(n9.commitment?.standardDays).toBe(84);
  });

  it('merging a person moves their named notices', async () => {
    const alys = await db().account.findFirstOrThrow({ where: { platformUserId: 'alys' } });
    const count = await db().breachNotice.count({ where: { filerPersonId: alys.personId } });
    const code = /\b([A-Z0-9]{8})\b/.exec(await h.ask('alys-two', 'link'))![1];
    expect(await h.ask('alys', `link with ${code}`)).toBeTruthy();
    const moved = await db().account.findFirstOrThrow({ where: { platformUserId: 'alys' } });
    expect(moved.personId).not.toBe(alys.personId);
    expect(await db().breachNotice.count({ where: { filerPersonId: moved.personId } })).toBe(count);
  });
});

describe('deadlines set per compact', () => {
  it('a compact with no acknowledgement deadline and a 10-day liaison one', async () => {
    h.clock.now = new Date('2026-12-15T09:00:00Z');
    await h.ask('officer', 'compact party add Hywel Dda University Health Board kind=health-board compact="Health Compact"');
    const form = formOf(await h.say('ceri', 'breach file compact="Health Compact"'));
    const done = texts(await h.submit('ceri', form.submit.command, { party: option(form, 'party', /Hywel Dda/), code: option(form, 'code', 'Volunteering'), aspect: 'spirit', whatHappened: 'Volunteer drivers were dropped without notice.', outcomeWanted: 'Talk to us first' }, form.submit.args));
    const number = Number(/Notice #(\d+)/.exec(done)![1]);
    expect((await db().breachNotice.findFirstOrThrow({ where: { number } })).dueOn).toBeNull();
    // Tuesday 15 December + 10 working days, skipping Christmas, Boxing Day (Monday 28th) and New Year's Day
    expect(await h.ask('officer', `breach step ${number} acknowledged Thank you`)).toContain('liaison discussion by 31 December 2026');
    await h.ask('officer', `breach step ${number} withdrawn Withdrawn at the filer's request`);
  });
});
