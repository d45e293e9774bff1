import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { features } from '../../../src/features/index.ts';
import { allText } from '../../scenarios/driver.ts';
import { slackDriver, type SlackRaw, type SlackScenarioDriver } from '../../scenarios/slack-driver.ts';
import { demoFeature } from './demo-feature.ts';

/** Every OutgoingMessage element through Bolt and the Slack stand-in: Block Kit, modals, selects, buttons. */
describe('Slack adapter end to end', () => {
  let d: SlackScenarioDriver;
  beforeAll(async () => {
    d = await slackDriver({ features: [...features, demoFeature] });
  }, 60_000);
  afterAll(async () => d?.close());

  it('a command answering with a form opens it as a modal with its trigger_id, and the rest as Block Kit', async () => {
    const shown = await d.command('gwen', 'demo form', 'projects');
    const modal = shown.find((s) => (s.raw as SlackRaw).view);
    expect(modal?.formFields).toEqual(['title', 'notes', 'people', 'when', 'area', 'public']);
    const msg = shown.find((s) => !(s.raw as SlackRaw).view)!;
    expect(msg.text).toContain('Demo: project report and vote');
    expect(msg.text).toContain('Fill in the report below <and> rank the candidates & vote.');
    expect(msg.text).toContain('Deadline\n1 December 2026');
    expect(msg.buttons).toEqual(expect.arrayContaining(['Election: Chair', 'Approve', 'Withdraw', 'Green', 'Purple']));
    expect(msg.candidates).toEqual(['Alys Jones', 'Bryn Davies', 'Ceri Evans']);
    const raw = (msg.raw as SlackRaw).call;
    expect(raw.method).toBe('response_url');
    expect(raw.body.response_type).toBe('in_channel');

    const answer = allText(await d.submit('gwen', modal!, { title: 'Winter food drive', people: '42', when: '2026-12-01', area: 'health', public: 'yes' }));
    expect(answer).toContain('Form received');
    expect(JSON.parse(answer.slice(answer.indexOf('{')))).toEqual({ form: 'report', title: 'Winter food drive', people: 42, when: '2026-12-01', area: 'health', public: true });
  });

  it('a ranked ballot opens as a modal with one select per rank and casts the ranking', async () => {
    const [msg] = (await d.command('gwen', 'demo form', 'projects')).filter((s) => !(s.raw as SlackRaw).view);
    const answer = allText(await d.rank('gwen', msg, ['Bryn Davies', 'Alys Jones']));
    expect(answer).toContain('Vote received: {"election":"e1","ranking":"c-bryn,c-alys"}');
    const view = d.standIn.calls.filter((c) => c.method === 'views.open').at(-1)!.body.view as { blocks: { type: string; block_id?: string }[] };
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['rank:1', 'rank:2', 'rank:3']);
  });

  it('buttons and select options run their commands; an ephemeral answer goes to the response_url', async () => {
    const [msg] = (await d.command('gwen', 'demo form', 'projects')).filter((s) => !(s.raw as SlackRaw).view);
    const pressed = await d.press('gwen', msg, 'Withdraw');
    expect(allText(pressed)).toBe('Pressed: {"choice":"withdraw"}');
    expect((pressed[0].raw as SlackRaw).call.body.response_type).toBe('ephemeral');
    expect(allText(await d.press('gwen', msg, 'Purple'))).toBe('Chosen: {"from":"select","colour":"purple"}');
  });

  it('when the trigger_id has expired the form is offered as a button that opens the modal', async () => {
    d.standIn.triggerLifetimeMs = 0;
    const shown = await d.command('gwen', 'demo form');
    d.standIn.triggerLifetimeMs = 60_000;
    expect(shown.some((s) => (s.raw as SlackRaw).view)).toBe(false);
    const msg = shown.find((s) => s.buttons.includes('Project report'))!;
    expect(msg.formFields).toContain('people');
    expect(allText(await d.submit('gwen', msg, { title: 'Repair café', people: '7' }))).toContain('"people":7');
  });

  it('a typed message in the bot’s DM is answered there, and a bad signature is refused', async () => {
    const mark = d.standIn.calls.length;
    await d.standIn.directMessage('gwen', 'help');
    await d.adapter.idle();
    const dm = d.standIn.dmChannelOf(d.standIn.userId('gwen'));
    const posted = d.standIn.since(mark).filter((c) => c.method === 'chat.postMessage' && c.body.channel === dm);
    expect(JSON.stringify(posted.map((c) => c.body.blocks))).toMatch(/who represents/);

    const body = 'token=x&team_id=T0FORUM&user_id=U1&channel_id=C1&text=help&command=%2Fforumbot';
    const forged = await fetch(d.standIn.botUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...d.standIn.sign(body), 'x-slack-signature': 'v0=deadbeef' }, body });
    expect(forged.status).toBe(401);
    const stale = await fetch(d.standIn.botUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...d.standIn.sign(body, Math.floor(Date.now() / 1000) - 600) }, body });
    expect(stale.status).toBe(401);
  });
});
