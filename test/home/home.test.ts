import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block, OutgoingMessage } from '../../src/core/messages.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { buildHomeWorld } from './home-world.ts';

const buttonsOf = (m: OutgoingMessage) => (m.blocks ?? []).flatMap((b: Block) => (b.type === 'buttons' ? b.buttons : []));

describe('the home view (core, on a real database)', () => {
  let h: Harness;
  const home = async (user: string, word = 'home') => {
    const replies = await h.say(user, word);
    expect(replies).toHaveLength(1);
    return replies[0].message;
  };
  beforeAll(async () => {
    h = await createHarness();
    await buildHomeWorld({
      say: (u, t) => h.ask(u, t),
      advance: async (ms) => {
        h.clock.now = new Date(h.clock.now.getTime() + ms);
        await h.app.scheduler.catchUp(h.clock.now);
      },
    });
  }, 120_000);
  afterAll(async () => h?.close());

  it('shows what waits for the member, each with the button that acts on it', async () => {
    const m = await home('amira');
    expect(m.text).toMatch(/Your forum home/);
    expect(m.text).toMatch(/Forum: Powys Forum/);
    expect(m.text).toMatch(/3 things need you\./);
    expect(m.text).toMatch(/One election is waiting for your vote\n[\s\S]*Mental Health 2027\nVoting closes: /);
    expect(m.text).toMatch(/One election is taking nominations[\s\S]*Youth 2027\nNominations close: /);
    expect(m.text).toMatch(/One report-back is due from you[\s\S]*Health Board\nMeeting: 23 November 2026\nDue: /);
    expect(m.text).toMatch(/The issue you raised[\s\S]*Issue 1, Health Board\nMore respite care for carers in Brecon\nStatus: open/);
    expect(m.text).toMatch(/What you follow[\s\S]*Updates: health and social care\nHow: a weekly digest/);
    const labels = buttonsOf(m).map((b) => b.label);
    expect(labels).toEqual(
      expect.arrayContaining(['Vote: Mental Health 2027', 'Nominate myself: Youth 2027', 'File report-back: Health Board', 'Open issues', 'Recent updates', 'How to get tender alerts', 'Refresh', 'What you can do']),
    );
    // every button runs a command the bot knows
    for (const b of buttonsOf(m)) expect(h.app.services.registry.byName(b.action.command), b.action.command).toBeDefined();
  });

  it('its buttons act: the vote button gives the ballot, and once cast the election leaves the home', async () => {
    const vote = buttonsOf(await home('amira')).find((b) => b.label === 'Vote: Mental Health 2027')!;
    const replies = await h.press('amira', vote.action.command, vote.action.args);
    const ballot = replies.flatMap((r) => r.message.blocks ?? []).find((b) => b.type === 'ballot');
    expect(ballot?.type === 'ballot' && ballot.ballot.candidates.map((c) => c.name).sort()).toEqual(expect.arrayContaining(['ffion', 'gareth']));
    if (ballot?.type !== 'ballot') throw new Error('no ballot');
    const first = ballot.ballot.candidates.find((c) => c.name === 'ffion')!;
    expect((await h.press('amira', ballot.ballot.submit.command, { ...ballot.ballot.submit.args, ranking: first.id })).map((r) => r.message.text).join('\n')).toMatch(/receipt/i);
    const after = await home('amira');
    expect(after.text).not.toMatch(/waiting for your vote/);
    expect(after.text).toMatch(/2 things need you\./);
    // nominating herself from the home: the election then says she is a candidate
    const nominate = buttonsOf(after).find((b) => b.label === 'Nominate myself: Youth 2027')!;
    await h.press('amira', nominate.action.command, nominate.action.args);
    const standing = (await home('amira')).text;
    expect(standing).toMatch(/Youth 2027\nNominations close: [^\n]+\nYou are a candidate\./);
    expect(standing).toMatch(/One thing needs you\./); // standing asks nothing more of her: the report-back does
  });

  it('in Welsh, with the command word “hafan” and Welsh number forms', async () => {
    await h.ask('gareth', 'language cy');
    const m = await home('gareth', 'hafan');
    expect(m.lang ?? 'cy').toBe('cy');
    expect(m.text).toMatch(/Eich hafan yn y fforwm/);
    // gareth can vote and nominate, and owes nothing: two things, “dau beth” (the noun mutates after dau)
    expect(m.text).toMatch(/Mae dau beth angen eich sylw\./);
    expect(m.text).toMatch(/Mae un etholiad yn aros am eich pleidlais/);
    expect(buttonsOf(m).map((b) => b.label)).toEqual(expect.arrayContaining(['Pleidleisio: Mental Health 2027', 'Adnewyddu', 'Sut i ddilyn diweddariadau']));
    expect(m.text).toMatch(/Nid ydych yn dilyn unrhyw ddiweddariadau na rhybuddion tendr eto\./);
  });

  it('someone in no forum is told how to join; a pending member that they are not active yet', async () => {
    expect((await home('stranger')).text).toMatch(/You are not a member of this forum yet\. Ask to join with “join”\./);
    await h.ask('nia', 'join organisation="Brecon Mind"');
    const pending = await home('nia');
    expect(pending.text).toMatch(/Your membership of this forum is not active yet/);
    expect(pending.text).not.toMatch(/waiting for your vote/);
  });
});
