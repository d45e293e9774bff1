import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, dm, type Harness } from '../../../test/support/harness.ts';
import { sendConsultationReminders, sendDigests, updatesJobs } from './updates.jobs.ts';
import { mergeUpdatesPerson, shortConsultationsAwaitingNotice } from './updates.service.ts';
import { publishHeldAnonymous } from '../breaches/notices.service.ts';

let h: Harness;
let forumId: string;
const NEWS = 'fake:channel:news';
const WEEKLY = 'fake:channel:weekly';

const db = () => h.app.services.db;
const delivered = async () => {
  await h.app.services.broadcasts.idle();
  await h.app.services.broadcasts.deliverDue();
};
const refOf = (text: string) => /(?:Reference|Cyfeirnod): ([0-9a-f]{8})/.exec(text)![1];

beforeAll(async () => {
  h = await createHarness({ now: '2026-11-22T10:00:00Z' }); // a Sunday
  await h.ask('officer', 'forum create Wiltshire Assembly cvc="Community First"');
  forumId = (await db().forum.findFirstOrThrow()).id;
  for (const who of ['alys', 'bryn', 'cai', 'dewi']) {
    const code = /code=([0-9A-F]{10})/.exec(await h.ask('officer', 'invite create'))![1];
    expect(await h.ask(who, `join code=${code}`)).toMatch(/Welcome/);
  }
  await h.ask('officer', 'channel link', { conversation: NEWS });
  await h.ask('officer', 'channel link digest', { conversation: WEEKLY });
});
afterAll(async () => h?.close());

describe('updates: subscriptions and posting', () => {
  it('members choose themes and how they hear', async () => {
    expect(await h.ask('alys', 'updates subscribe themes="health and social care"')).toBe('You will hear about updates on health and social care as they happen.');
    expect(await h.ask('bryn', 'updates subscribe all mode=digest')).toBe('You will get a weekly digest of updates on all themes.');
    expect(await h.ask('cai', 'updates subscribe environment mode=digest')).toBe('You will get a weekly digest of updates on environment.');
    expect(await h.ask('dewi', 'updates subscribe themes=potholes')).toMatch(/“potholes” is not one of the forum’s themes. Choose from: health, safety, children, environment, economy, sip/);
    expect(await h.ask('officer', 'update theme add Rural transport')).toMatch(/Added the theme “Rural transport” \(short name rural-transport\)/);
    expect(await h.ask('dewi', 'diweddariadau tanysgrifio themes="trafnidiaeth, rural transport"')).toMatch(/not one of|Nid yw/);
    expect(await h.ask('dewi', 'updates subscribe themes="rural transport, yr amgylchedd"')).toBe('You will hear about updates on Rural transport, environment as they happen.');
  });

  it('an officer posts an update: “as it happens” channels and matching subscribers hear at once, digest ones wait', async () => {
    const replies = await h.say('officer', 'update post Health board winter plan agreed themes=health body="Extra beds in Salisbury and Chippenham." link=https://example.org/winter');
    expect(replies[0].message.text).toMatch(/^Update: Health board winter plan agreed\nExtra beds/);
    expect(replies[1].message.text).toMatch(/Posted \(reference [0-9a-f]{8}\) under health and social care/);
    await delivered();
    expect(h.adapter.to(NEWS)).toHaveLength(1);
    expect(h.adapter.to(dm('alys'))).toEqual([expect.stringMatching(/Update: Health board winter plan agreed/)]);
    expect(h.adapter.to(WEEKLY)).toHaveLength(0);
    expect(h.adapter.to(dm('bryn'))).toHaveLength(0);
    expect(h.adapter.to(dm('dewi'))).toHaveLength(0);
  });

  it('bad input gets a clear message and nothing is stored', async () => {
    const before = await db().update.count();
    const long = 'x'.repeat(1201);
    expect(await h.ask('officer', `update post Something themes=health body="${long}"`)).toContain('body must be at most 1200 characters');
    expect(await h.ask('officer', 'update post Something')).toMatch(/themes/);
    expect(await h.ask('officer', 'update post Something themes=health link=example.org')).toContain('link must be a web link starting http:// or https://');
    expect(await h.ask('officer', 'consultation post Old one by="Wiltshire Council" opens=2026-09-01 closes=2026-10-01 themes=health')).toBe(
      'The closing date is in the past. Please give a closing date from today on.',
    );
    expect(await h.ask('officer', 'consultation post Backwards by="Wiltshire Council" opens=2027-03-01 closes=2027-01-01 themes=health')).toBe(
      'The closing date must be after the opening date.',
    );
    expect(await h.ask('officer', 'consultation post No date by="Wiltshire Council" opens=2027-02-30 closes=2027-13-01 themes=health')).toMatch(/opens.*\n.*closes/);
    expect(await h.ask('alys', 'update post Mine themes=health')).toMatch(/Only a forum officer/);
    expect(await db().update.count()).toBe(before);
    expect(await db().consultation.count()).toBe(0);
  });
});

describe('consultations', () => {
  let wiltshire: string;
  let twelveWeeks: string;

  it('the three-day consultation of the Wiltshire review is flagged, and the officer is offered a breach notice', async () => {
    const replies = await h.say(
      'officer',
      'consultation post Reconfiguration of community health services by="Wiltshire PCT" opens=2026-11-23 closes=2026-11-26 themes=health link=https://example.org/pct',
    );
    const post = replies[0].message.text;
    wiltshire = refOf(post);
    expect(post).toMatch(/^Consultation: Reconfiguration of community health services/);
    expect(post).toContain('Run by: Wiltshire PCT');
    expect(post).toContain('23 November 2026 to 26 November 2026 (3 days)');
    expect(post).toContain('⚠ Short consultation: 3 days, under the Compact’s 12 weeks.');
    expect(replies[1].message.text).toContain('press “Draft a breach notice”');
    const c = await db().consultation.findFirstOrThrow({ where: { update: { id: { startsWith: wiltshire } } } });
    expect([c.lengthDays, c.shortConsultation]).toEqual([3, true]);
    // the button opens a compact breach notice filled in from the consultation, to check and file
    const buttons = replies[1].message.blocks?.find((b) => b.type === 'buttons');
    expect(buttons?.type === 'buttons' && buttons.buttons[0].label).toBe('Draft a breach notice');
    const action = buttons!.type === 'buttons' ? buttons!.buttons[0].action : undefined;
    const drafted = await h.press('officer', action!.command, action!.args);
    const form = drafted[0].message.blocks?.find((b) => b.type === 'form');
    expect(drafted[0].message.text).toMatch(/Reconfiguration of community health services/);
    expect(drafted[0].message.text).toMatch(/\b3\b.*\b84\b/s);
    expect(form?.type).toBe('form');
  });

  it('a twelve-week consultation is not flagged', async () => {
    const replies = await h.say(
      'officer',
      'consultation post Community safety strategy by="Wiltshire Council" opens=2026-12-07 closes=2027-03-01 themes=safety,health link=https://example.org/safety',
    );
    twelveWeeks = refOf(replies[0].message.text);
    expect(replies[0].message.text).not.toContain('Short consultation');
    expect(replies[1].message.text).toContain('It runs 84 days: within the Compact’s 12 weeks.');
    const c = await db().consultation.findFirstOrThrow({ where: { update: { id: { startsWith: twelveWeeks } } } });
    expect([c.lengthDays, c.shortConsultation]).toEqual([84, false]);
  });

  it('short consultations awaiting a breach notice are listed for the breach feature and for officers', async () => {
    const awaiting = await shortConsultationsAwaitingNotice(db(), forumId);
    expect(awaiting.map((c) => [c.update.title, c.lengthDays])).toEqual([['Reconfiguration of community health services', 3]]);
    expect(await h.ask('officer', 'consultations short')).toMatch(/Reconfiguration of community health services \(Wiltshire PCT\): 3 days/);
  });

  it('the notice filed from the draft is linked to its consultation, which then awaits no notice', async () => {
    const c = await db().consultation.findFirstOrThrow({ where: { update: { id: { startsWith: wiltshire } } } });
    const drafted = await h.press('alys', 'breach draft consultation', { body: 'Wiltshire PCT', title: 'Reconfiguration of community health services', opens: '2026-11-23', closes: '2026-11-26', consultation: c.id });
    const form = drafted[0].message.blocks?.find((b) => b.type === 'form');
    if (form?.type !== 'form') throw new Error(`no form: ${drafted[0].message.text}`);
    expect(form.form.submit.args?.consultation).toBe(c.id);
    // a member files it: the drafted fields stay as suggested; they say what outcome is wanted and,
    // as this compact does not name the PCT, which party broke it
    const values: Record<string, string> = { outcomeWanted: 'A full 12-week consultation.' };
    const party = form.form.fields.find((f) => f.name === 'party');
    if (party?.kind === 'select' && !party.value) values.party = party.options[0].value;
    const filed = await h.submit('alys', form.form.submit.command, values, form.form.submit.args);
    // the drafted notice is anonymous by default: it is held, then filed and numbered by the mixing job
    // (breaches.mix), which links it to its consultation then
    expect(filed.map((r) => r.message.text).join('\n')).toMatch(/anonymous notice is received[\s\S]*receipt code/);
    expect(await db().breachNotice.count()).toBe(0);
    expect(await publishHeldAnonymous(db())).toBe(1);
    const notice = await db().breachNotice.findFirstOrThrow({ orderBy: { number: 'desc' } });
    expect(notice.mode).toBe('ANONYMOUS');
    expect((await db().consultation.findUniqueOrThrow({ where: { id: c.id } })).breachNoticeId).toBe(notice.id);
    expect(await shortConsultationsAwaitingNotice(db(), forumId)).toEqual([]);
  });

  it('members add their views through a form; a second one replaces the first; closed means closed', async () => {
    const form = await h.press('alys', 'consultation respond', { ref: twelveWeeks });
    const block = form[0].message.blocks?.find((b) => b.type === 'form');
    expect(block?.type === 'form' && block.form.submit).toEqual({ command: 'consultation view', args: { ref: twelveWeeks } });
    expect((await h.submit('alys', 'consultation view', { text: 'Street lighting cuts worry our older members.', organisation: 'Age UK Wiltshire' }, { ref: twelveWeeks }))[0].message.text).toMatch(
      /your view on “Community safety strategy” is recorded/,
    );
    expect((await h.submit('alys', 'consultation view', { text: 'Street lighting cuts worry our older members most.', organisation: 'Age UK Wiltshire' }, { ref: twelveWeeks }))[0].message.text).toMatch(/is updated/);
    await h.submit('bryn', 'consultation view', { text: 'Fund youth diversion schemes for three years.' }, { ref: twelveWeeks });
    expect((await h.submit('cai', 'consultation view', { text: 'x'.repeat(2001) }, { ref: twelveWeeks }))[0].message.text).toContain('text must be at most 2000 characters');
    expect(await db().consultationView.count()).toBe(2);
  });

  it('the officer exports the views as a draft joint response in Markdown', async () => {
    const md = await h.ask('officer', `consultation export ${twelveWeeks}`);
    expect(md).toMatch(/^# Draft joint response: Community safety strategy\n/);
    expect(md).toContain('**Run by:** Wiltshire Council');
    expect(md).toContain('### Age UK Wiltshire\n\nStreet lighting cuts worry our older members most.');
    expect(md).toContain('### A member (bryn)\n\nFund youth diversion schemes for three years.');
    expect(md).not.toContain('worry our older members.\n');
    expect(await h.ask('alys', `consultation export ${twelveWeeks}`)).toMatch(/Only a forum officer/);
  });

  it('reminders go to subscribers two weeks and three days before close, once each (fixed clock)', async () => {
    const services = h.app.services;
    const job = updatesJobs.find((j) => j.id === 'updates.consultation-reminders')!;
    const sentBefore = h.adapter.sent.length;
    // the Wiltshire one was posted with 4 days left: at 08:00 on 23 November it is 3 days before close
    h.clock.now = new Date('2026-11-23T08:00:00Z');
    expect(await h.app.scheduler.runDue(job)).toBe('ran');
    await delivered();
    const threeDay = h.adapter.sent.slice(sentBefore);
    expect(threeDay.map((s) => s.to).sort()).toEqual([dm('alys'), dm('bryn')]); // health subscribers (bryn: all themes); not cai or dewi
    expect(threeDay[0].message.text).toMatch(/^Three days left: the consultation “Reconfiguration of community health services”/);
    expect(await sendConsultationReminders(services, new Date('2026-11-23T09:00:00Z'))).toBe(0);

    // the 12-week one closes on 1 March 2027: two weeks before is 15 February
    const mark = h.adapter.sent.length;
    expect(await sendConsultationReminders(services, new Date('2027-02-14T08:00:00Z'))).toBe(0);
    expect(await sendConsultationReminders(services, new Date('2027-02-15T08:00:00Z'))).toBe(1);
    expect(await sendConsultationReminders(services, new Date('2027-02-16T08:00:00Z'))).toBe(0);
    expect(await sendConsultationReminders(services, new Date('2027-02-26T08:00:00Z'))).toBe(1);
    expect(await sendConsultationReminders(services, new Date('2027-02-27T08:00:00Z'))).toBe(0);
    await delivered();
    const later = h.adapter.sent.slice(mark).map((s) => `${s.to} ${s.message.text.slice(0, 20)}`).sort();
    expect(later).toEqual([`${dm('alys')} Three days left: the`, `${dm('alys')} Two weeks left: the `, `${dm('bryn')} Three days left: the`, `${dm('bryn')} Two weeks left: the `]);
    h.clock.now = new Date('2026-11-22T10:00:00Z');
  });

  it('after it closes no more views; the officer records the outcome and those who gave views are told', async () => {
    h.clock.now = new Date('2027-03-02T10:00:00Z');
    expect((await h.submit('dewi', 'consultation view', { text: 'Late.' }, { ref: twelveWeeks }))[0].message.text).toMatch(/has closed/);
    const mark = h.adapter.sent.length;
    expect(await h.ask('officer', `consultation outcome ${twelveWeeks} The council kept street lighting on main routes. link=https://example.org/decision`)).toMatch(
      /recorded; those who gave views \(2\) will be told/,
    );
    await delivered();
    expect(h.adapter.sent.slice(mark).map((s) => s.to).sort()).toEqual([dm('alys'), dm('bryn')]);
    const c = await db().consultation.findFirstOrThrow({ where: { update: { id: { startsWith: twelveWeeks } } } });
    expect(c.outcome).toBe('The council kept street lighting on main routes.');
    h.clock.now = new Date('2026-11-22T10:00:00Z');
  });

  it('the officer publishes the forum’s joint response on the public record; members may not, and bad input stores nothing', async () => {
    expect(await h.ask('alys', `consultation publish ${twelveWeeks} Our response`)).toMatch(/officer/i);
    expect(await h.ask('officer', `consultation publish ${twelveWeeks} Our response link=example.org`)).toContain('link must be a web link starting http:// or https://');
    expect(await h.ask('officer', `consultation publish ${twelveWeeks}`)).toMatch(/text/);
    expect(await h.ask('officer', 'consultation publish 00000000 Our response')).toMatch(/No update|not found|“00000000”/);
    expect(await h.ask('officer', `consultation publish ${twelveWeeks} Too early`)).toMatch(/has not opened yet, so the forum cannot have responded/);
    expect((await db().consultation.findFirstOrThrow({ where: { update: { id: { startsWith: twelveWeeks } } } })).respondedAt).toBeNull();
    h.clock.now = new Date('2027-03-02T10:00:00Z');
    expect(await h.ask('officer', `consultation publish ${twelveWeeks} The forum asked for lighting on rural routes too. link=https://example.org/response`)).toMatch(/joint response to “.*” is published on the public record/);
    expect(await h.ask('officer', `ymgynghoriad cyhoeddi ${twelveWeeks} Ymateb y fforwm.`)).toMatch(/published on the public record/);
    const c = await db().consultation.findFirstOrThrow({ where: { update: { id: { startsWith: twelveWeeks } } } });
    expect(c.respondedAt).toEqual(new Date('2027-03-02T10:00:00Z'));
    expect(c.responseSummary).toBe('Ymateb y fforwm.');
    h.clock.now = new Date('2026-11-22T10:00:00Z');
  });
});

describe('weekly digest (fixed clock)', () => {
  it('each digest holds every update of its week once, to digest channels and digest subscribers on their themes', async () => {
    const services = h.app.services;
    // a fresh week: Monday 30 November 2026, digest due Monday 7 December 09:00 London (= UTC in winter)
    h.clock.now = new Date('2026-11-30T10:00:00Z');
    await sendDigests(services, new Date('2026-11-30T09:00:00Z')); // the digest of the week before: gets everything posted so far
    await delivered();
    const mark = h.adapter.sent.length;
    const posts = [
      ['2026-11-30T11:00:00Z', 'update post River clean-up funding themes=environment'],
      ['2026-12-02T15:00:00Z', 'update post SIP refresh workshop themes="sip, economy"'],
      ['2026-12-04T09:00:00Z', 'update post Flood plan consultation themes="environment, safety"'],
      ['2026-12-07T08:59:00Z', 'update post Late Sunday night item themes=children'],
    ];
    for (const [at, cmd] of posts) {
      h.clock.now = new Date(at);
      await h.ask('officer', cmd);
    }
    h.clock.now = new Date('2026-12-07T09:00:30Z');
    const job = updatesJobs.find((j) => j.id === 'updates.digest')!;
    expect(await h.app.scheduler.runDue(job)).toBe('ran');
    expect(await h.app.scheduler.runDue(job)).toBe('skipped');
    expect(await sendDigests(services, new Date('2026-12-07T09:00:00Z'))).toBe(0); // idempotent even when called again
    h.clock.now = new Date('2026-12-07T10:00:00Z');
    expect(await h.app.scheduler.runDue(job)).toBe('ran'); // the next hour: nothing due
    await delivered();
    const weekly = h.adapter.sent.slice(mark).filter((s) => s.to === WEEKLY);
    expect(weekly).toHaveLength(1);
    const text = weekly[0].message.text;
    expect(text).toMatch(/^Wiltshire Assembly: this week’s updates \(4\), 7 December 2026/);
    for (const title of ['River clean-up funding', 'SIP refresh workshop', 'Flood plan consultation', 'Late Sunday night item']) {
      expect(text.split(title).length - 1).toBe(1);
    }
    const bryn = h.adapter.sent.slice(mark).filter((s) => s.to === dm('bryn'));
    expect(bryn).toHaveLength(1);
    expect(bryn[0].message.text).toMatch(/this week’s updates \(4\)/);
    const cai = h.adapter.sent.slice(mark).filter((s) => s.to === dm('cai'));
    expect(cai).toHaveLength(1);
    expect(cai[0].message.text).toMatch(/this week’s updates \(2\)/);
    expect(cai[0].message.text).toContain('River clean-up funding');
    expect(cai[0].message.text).toContain('Flood plan consultation');
    expect(cai[0].message.text).not.toContain('SIP refresh');
    // dewi hears environment as it happens, never in a digest
    expect(h.adapter.sent.slice(mark).filter((s) => s.to === dm('dewi')).map((s) => s.message.text.split('\n')[0])).toEqual([
      'Update: River clean-up funding',
      'Update: Flood plan consultation',
    ]);

    // the next week's digest does not repeat any of them
    h.clock.now = new Date('2026-12-09T12:00:00Z');
    await h.ask('officer', 'update post Youth forum elections themes=children');
    const mark2 = h.adapter.sent.length;
    h.clock.now = new Date('2026-12-14T09:00:00Z');
    expect(await h.app.scheduler.runDue(job)).toBe('ran');
    await delivered();
    const next = h.adapter.sent.slice(mark2).filter((s) => s.to === WEEKLY);
    expect(next).toHaveLength(1);
    expect(next[0].message.text).toMatch(/this week’s updates \(1\)/);
    expect(next[0].message.text).not.toContain('Late Sunday night item');
    h.clock.now = new Date('2026-11-22T10:00:00Z');
  });

  it('the forum chooses the digest day and hour', async () => {
    expect(await h.ask('officer', 'updates settings day=friday hour=12')).toBe('The weekly digest goes out on Friday at 12:00.');
    expect(await h.ask('officer', 'updates settings day=someday hour=25')).toMatch(/day must be a day of the week[\s\S]*hour must be at most 23/);
  });
});

describe('Welsh, and merging people', () => {
  it('speaks Welsh to a Welsh speaker', async () => {
    await h.ask('dewi', 'iaith cy');
    expect(await h.ask('dewi', 'diweddariadau tanysgrifio themes=economy mode=digest')).toBe('Byddwch yn cael crynodeb wythnosol o ddiweddariadau ar y themâu hyn: yr economi.');
    expect(await h.ask('dewi', 'ymgynghoriadau')).toMatch(/Nid oes ymgynghoriadau agored|Ymgynghoriadau agored/);
  });

  it('moves subscriptions and views when two person records become one', async () => {
    const [alys, cai] = await Promise.all(['alys', 'cai'].map((n) => db().person.findFirstOrThrow({ where: { displayName: n } })));
    await db().$transaction((tx) => mergeUpdatesPerson(tx, cai.id, alys.id));
    const sub = await db().updateSubscription.findUniqueOrThrow({ where: { forumId_personId: { forumId, personId: alys.id } } });
    expect(sub.themes.sort()).toEqual(['environment', 'health']);
    expect(await db().updateSubscription.count({ where: { personId: cai.id } })).toBe(0);
  });
});
