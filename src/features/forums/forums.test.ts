import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, dm, type Harness } from '../../../test/support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

describe('forums through the core', () => {
  it('an officer sets up a forum, partnerships and seats from chat', async () => {
    expect(await h.ask('officer', 'forum create Powys Third Sector Forum cvc="PAVO"')).toMatch(/Forum “Powys Third Sector Forum” created/);
    expect(await h.ask('officer', 'partnership add Powys LSB')).toMatch(/Added the partnership Powys LSB/);
    expect(await h.ask('officer', 'partnership add Health and Social Care Board parent="Powys LSB"')).toMatch(/Added/);
    expect(await h.ask('officer', 'seat add partnership="Health and Social Care Board" Mental health seat interest=health')).toMatch(/Added the seat “Mental health seat”/);
    expect(await h.ask('officer', 'seat add partnership="Health and Social Care Board" Older people seat method=invited term=12')).toMatch(/12 months/);
  });

  it('bad arguments get a clear answer with an example, and nothing is written', async () => {
    const before = await h.app.services.db.seat.count();
    const answer = await h.ask('officer', 'seat add partnership="Health and Social Care Board" X method=lottery term=0');
    expect(answer).toContain('label must be at least 2 characters');
    expect(answer).toContain('method must be one of: elected, appointed, reserved, invited');
    expect(answer).toContain('term must be at least 1');
    expect(answer).toMatch(/Example: seat add/);
    expect(await h.app.services.db.seat.count()).toBe(before);
  });

  it('answers in Welsh for a Welsh speaker', async () => {
    await h.ask('siân', 'iaith cy');
    expect(await h.ask('siân', 'sedd ychwanegu X')).toContain('Dim ond aelodau gweithredol y fforwm hwn');
    const answer = await h.ask('siân', 'iaith fr');
    expect(answer).toContain('Mae angen cywiro’r gorchymyn hwnnw');
    expect(answer).toContain('language: dewiswch un o’r rhain: en, cy');
    expect(answer).toContain('Enghraifft: iaith en');
  });

  it('join by request: two officers approving at once make one membership', async () => {
    await h.ask('officer', 'organisation add Llandrindod Wells Food Bank charity=1151234');
    await h.ask('officer', 'role add officer officer'); // no-op: already officer
    expect(await h.ask('alys', 'join organisation="Llandrindod Wells Food Bank"')).toMatch(/request to join Powys Third Sector Forum has gone/);
    const request = await h.app.services.db.membership.findFirstOrThrow({ where: { status: 'PENDING' } });
    // a second officer
    const inviteText = await h.ask('officer', 'invite create uses=1');
    const code = /code=([0-9A-F]{10})/.exec(inviteText)![1];
    expect(await h.ask('bryn', `join code=${code}`)).toMatch(/Welcome to the forum/);
    expect(await h.ask('bryn', `join code=${code}`)).toMatch(/not valid|already/);
    await h.ask('officer', 'role add officer bryn');
    const [a, b] = await Promise.all([h.press('officer', 'request approve', { id: request.id }), h.press('bryn', 'request approve', { id: request.id })]);
    const texts = [...a, ...b].map((r) => r.message.text);
    expect(texts.filter((t) => t.startsWith('Approved')).length).toBe(1);
    expect(texts.filter((t) => /already been decided/.test(t)).length).toBe(1);
    const m = await h.app.services.db.membership.findUniqueOrThrow({ where: { id: request.id }, include: { organisation: true } });
    expect(m.status).toBe('ACTIVE');
    expect(m.organisation?.name).toBe('Llandrindod Wells Food Bank');
    await h.app.services.broadcasts.idle();
    await h.app.services.broadcasts.deliverDue();
    expect(h.adapter.to(dm('alys')).join()).toMatch(/was approved/);
  });

  it('fills seats and reads the register', async () => {
    expect(await h.ask('officer', 'seat fill partnership="Health and Social Care Board" seat="Mental health seat" alys method=elected')).toMatch(/alys now holds “Mental health seat”/);
    expect(await h.ask('officer', 'seat fill partnership="Health and Social Care Board" seat="Mental health seat" bryn')).toMatch(/already held/);
    const who = await h.ask('visitor', 'who represents us on Health and Social Care Board?');
    expect(who).toContain('Mental health seat (health): alys (Llandrindod Wells Food Bank), elected');
    expect(who).toContain('Older people seat: vacant');
    expect(await h.ask('visitor', 'what seats does alys hold?')).toMatch(/alys holds 1 seat:\n• Health and Social Care Board: Mental health seat/);
    const coverage = await h.ask('officer', 'coverage');
    expect(coverage).toMatch(/Vacant seats \(1\)\nHealth and Social Care Board: Older people seat/);
  });

  it('only officers may set up; help lists only what a person may do', async () => {
    expect(await h.ask('visitor', 'partnership add Something')).toMatch(/Only active members/);
    expect(await h.ask('alys', 'partnership add Something')).toMatch(/Only a forum officer can do that/);
    const help = await h.ask('visitor', 'help');
    expect(help).toContain('who represents');
    expect(help).not.toContain('partnership add');
    expect(await h.ask('officer', 'help')).toContain('partnership add');
    expect(await h.ask('officer', 'help seat add')).toMatch(/Usage: seat add partnership=… <label…>/);
  });
});
