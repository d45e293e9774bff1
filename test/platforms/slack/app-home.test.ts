import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText } from '../../scenarios/driver.ts';
import { slackDriver, type SlackScenarioDriver } from '../../scenarios/slack-driver.ts';
import { buildHomeWorld } from '../../home/home-world.ts';
import { homeViewProblems } from './block-kit.ts';
import type { Recorded } from './stand-in.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The text a Home tab shows (headers, sections), and its buttons by label. */
const textOf = (view: Json) =>
  (view.blocks as Json[])
    .flatMap((b) => [b.text?.text ?? '', ...(b.fields ?? []).map((f: Json) => f.text)])
    .join('\n')
    .replace(/\*([^*\n]+)\*/g, '$1');
const buttonsOf = (view: Json): Json[] => (view.blocks as Json[]).flatMap((b) => (b.type === 'actions' ? b.elements : []));

describe('Slack App Home: the member’s home tab through Bolt and the Slack stand-in', () => {
  let d: SlackScenarioDriver;
  const publishes = (user: string, from = 0) => d.standIn.since(from).filter((c) => c.method === 'views.publish' && c.body.user_id === d.standIn.userId(user));
  const open = async (user: string, tab: 'home' | 'messages' = 'home', opts: { duplicate?: boolean } = {}) => {
    const mark = d.standIn.calls.length;
    const delivery = await d.standIn.appHomeOpened(user, tab, opts);
    expect(delivery.status).toBe(200);
    await d.adapter.idle();
    return publishes(user, mark);
  };
  const viewOf = (call: Recorded) => call.answer!.view as Json;

  beforeAll(async () => {
    d = await slackDriver();
    await buildHomeWorld({ say: async (u, t) => allText(await d.command(u, t)), advance: (ms) => d.advance(ms) });
  }, 180_000);
  afterAll(async () => d?.close());

  it('opening the Home tab publishes the member’s home (views.publish, a home view within Block Kit’s limits)', async () => {
    const [call, ...more] = await open('amira');
    expect(more).toHaveLength(0);
    const view = viewOf(call);
    expect(view.type).toBe('home');
    expect(homeViewProblems(call.body.view)).toEqual([]);
    expect((view.blocks as Json[]).length).toBeLessThanOrEqual(100);
    const text = textOf(view);
    expect(text).toMatch(/Your forum home/);
    expect(text).toMatch(/3 things need you\./);
    expect(text).toMatch(/Mental Health 2027\nVoting closes: /);
    expect(text).toMatch(/Issue 1, Health Board/);
    expect(buttonsOf(view).map((b) => b.text.text)).toEqual(expect.arrayContaining(['Vote: Mental Health 2027', 'Nominate myself: Youth 2027', 'File report-back: Health Board', 'Refresh']));
  });

  it('the Messages tab publishes nothing, and a retried delivery of one opening publishes once', async () => {
    expect(await open('amira', 'messages')).toHaveLength(0);
    expect(await open('amira', 'home', { duplicate: true })).toHaveLength(1);
  });

  it('a button on the Home tab works: Vote opens the ballot as a modal, the cast is answered in the DM, and the tab is published again without it', async () => {
    const before = viewOf(publishes('amira').at(-1)!);
    const vote = buttonsOf(before).find((b) => b.text.text === 'Vote: Mental Health 2027')!;
    let mark = d.standIn.calls.length;
    expect((await d.standIn.homeAction('amira', { type: 'button', action_id: vote.action_id, block_id: 'b', value: vote.value, text: vote.text })).status).toBe(200);
    await d.adapter.idle();
    const modal = d.standIn.since(mark).find((c) => c.method === 'views.open');
    expect(modal, d.standIn.since(mark).map((c) => `${c.method} ${JSON.stringify(c.body).slice(0, 400)}`).join("\n")).toBeDefined();
    const view = modal!.answer!.view as Json;
    const rank1 = (view.blocks as Json[]).find((b) => b.block_id === 'rank:1')!;
    const ffion = (rank1.element.options as Json[]).find((o) => o.text.text === 'ffion')!;
    mark = d.standIn.calls.length;
    const submitted = await d.standIn.viewSubmission('amira', { id: view.id, hash: view.hash, type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata, title: view.title, blocks: view.blocks }, {
      'rank:1': { v: { type: 'static_select', selected_option: ffion } },
    });
    expect(submitted.status).toBe(200);
    await d.adapter.idle();
    const dm = d.standIn.dmChannelOf(d.standIn.userId('amira'));
    const receipt = d.standIn.since(mark).find((c) => c.method === 'chat.postMessage' && c.body.channel === dm && /receipt/i.test(String(c.body.text)));
    expect(receipt, d.standIn.since(mark).map((c) => `${c.method} ${String(c.body.text ?? '')}`).join('\n')).toBeDefined();
    const after = publishes('amira', mark);
    expect(after).toHaveLength(1);
    const text = textOf(viewOf(after[0]));
    expect(text).not.toMatch(/waiting for your vote/);
    expect(text).toMatch(/2 things need you\./);
  });

  it('the tab is refreshed each time it is opened (what changed elsewhere shows)', async () => {
    await d.command('amira', 'nominate Youth 2027');
    const text = textOf(viewOf((await open('amira'))[0]));
    expect(text).toMatch(/Youth 2027\nNominations close: [^\n]+\nYou are a candidate\./);
    expect(text).toMatch(/One thing needs you\./);
  });

  it('in the member’s language: Welsh for a member who chose it', async () => {
    await d.command('gareth', 'language cy');
    const view = viewOf((await open('gareth'))[0]);
    expect(textOf(view)).toMatch(/Eich hafan yn y fforwm/);
    expect(textOf(view)).toMatch(/Mae dau beth angen eich sylw\./);
    expect(buttonsOf(view).map((b) => b.text.text)).toContain('Pleidleisio: Mental Health 2027');
  });

  it('/forumbot keeps working: “/forumbot home” answers the same home, “/forumbot help” the help', async () => {
    expect(allText(await d.command('amira', 'home'))).toMatch(/Your forum home[\s\S]*One thing needs you\./);
    expect(allText(await d.command('amira', 'help'))).toMatch(/What you can do/);
  });
});
