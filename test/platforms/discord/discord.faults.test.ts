import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter, type DiscordAdapterOptions } from '../../../adapters/discord/discord-adapter.ts';
import { DeliveryError } from '../../../src/core/adapter.ts';
import type { IncomingEvent } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { Reply } from '../../../src/core/messages.ts';
import { SlashCommandSet } from '../../../adapters/discord/slash-commands.ts';
import { defineCommand } from '../../../src/core/commands.ts';
import { DiscordStandIn } from './discord-stand-in.ts';

/**
 * The Discord adapter (real discord.js) against the stand-in, with a scripted core: what reaches
 * the core, what Discord receives, and how faults are survived.
 */
type Script = (e: IncomingEvent) => Promise<Reply[]> | Reply[];
const say = (text: string, visibility: Reply['visibility'] = 'ephemeral'): Reply => ({ visibility, message: { text } });
const seatCommand = defineCommand({ names: { en: 'seat', cy: 'sedd' }, group: 'core', summary: 'core.help.usage', args: [], examples: { en: [], cy: [] }, permission: 'anyone', needsForum: false, run: async () => undefined });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Discord adapter against the stand-in', () => {
  let stand: DiscordStandIn;
  let adapter: DiscordAdapter;
  const events: IncomingEvent[] = [];
  let script: Script = () => [];

  const start = async (options: Partial<DiscordAdapterOptions> = {}) => {
    adapter = new DiscordAdapter({
      token: stand.token,
      applicationId: stand.applicationId,
      apiUrl: stand.apiUrl,
      log: silentLogger,
      retry: { attempts: 4, baseMs: 50 },
      deferAfterMs: 300,
      slashCommands: () => new SlashCommandSet([], () => 'any command'),
      ...options,
    });
    await adapter.start(async (e) => {
      events.push(e);
      return script(e);
    });
  };

  /** Delivers an interaction and waits until the adapter has finished with it. */
  const deliver = async (payload: Record<string, any>, times = 1) => {
    await stand.dispatchInteraction(payload, times);
    const until = Date.now() + 10_000;
    while (!stand.interaction(payload.id)?.acknowledged && Date.now() < until) await sleep(5);
    await adapter.idle();
    return stand.answersTo(payload.id);
  };

  beforeAll(async () => {
    stand = await DiscordStandIn.start();
    await start();
  });
  afterEach(() => {
    stand.clearFaults();
    events.length = 0;
    script = () => [];
  });
  afterAll(async () => {
    await adapter.stop();
    await stand.close();
  });

  it('registers its slash commands at start, globally or per guild', async () => {
    expect(stand.commands.get('global')?.map((c) => c.name)).toEqual(['forumbot']);
    const second = await DiscordStandIn.start();
    const other = new DiscordAdapter({ token: second.token, applicationId: second.applicationId, apiUrl: second.apiUrl, guildIds: ['42'], slashCommands: () => new SlashCommandSet([seatCommand], () => 'd') });
    await other.start(async () => []);
    expect(second.commands.get('42')?.map((c) => c.name)).toEqual(['forumbot', 'seat', 'sedd']);
    expect(second.commands.has('global')).toBe(false);
    await other.stop();
    await second.close();
  });

  it('turns a slash command into a core command event and answers it ephemerally', async () => {
    script = () => [say('hello')];
    const p = stand.slash('Dafydd', 'seat', 'add Youth seat', 'general');
    const answers = await deliver(p);
    expect(events[0]).toMatchObject({ kind: 'command', text: 'seat add Youth seat', eventId: p.id, isDirect: false, conversation: `discord:${stand.guildId}:${stand.channelId('general')}` });
    expect(events[0].user).toMatchObject({ platform: 'discord', displayName: 'Dafydd', dmRef: `discord:dm:${stand.user('Dafydd').id}` });
    expect(answers).toMatchObject([{ via: 'callback', ephemeral: true, body: { content: 'hello' } }]);
  });

  it('a dropped gateway reconnects (resuming the session) and the next interaction is handled', async () => {
    script = () => [say('still here')];
    const resumes = stand.resumes;
    const identifies = stand.identifies;
    stand.dropGateway();
    const answers = await deliver(stand.slash('Eirlys', 'forumbot', 'help'));
    expect(answers.map((a) => a.body.content)).toEqual(['still here']);
    expect(stand.resumes + stand.identifies).toBeGreaterThan(resumes + identifies);
  });

  it('defers when the core is slower than the deadline and puts the answer in the deferred reply', async () => {
    script = async () => {
      await sleep(800);
      return [say('slow answer')];
    };
    const p = stand.slash('Carys', 'forumbot', 'report', 'general');
    const answers = await deliver(p);
    const callbacks = stand.requests.filter((r) => r.path.startsWith(`/interactions/${p.id}/`));
    expect(callbacks.map((r) => (r.body as { type: number }).type)).toEqual([5]);
    expect(answers).toMatchObject([{ ephemeral: true, body: { content: 'slow answer' } }]);
  });

  it('after a deferral in a channel, a public reply is posted in the channel and the "thinking" message removed', async () => {
    script = async () => {
      await sleep(600);
      return [say('for everyone', 'conversation')];
    };
    const p = stand.slash('Carys', 'forumbot', 'announce', 'general');
    await deliver(p);
    expect(stand.answersTo(p.id)).toEqual([]);
    expect(stand.channelMessages(stand.channelId('general')).at(-1)?.body.content).toBe('for everyone');
  });

  it('a 429 with retry-after 1 s on the interaction callback is honoured: answered at least 1 s later', async () => {
    script = () => [say('after the limit')];
    stand.fault({ path: /\/callback$/, status: 429, retryAfter: 1 });
    const p = stand.slash('Owain', 'forumbot', 'help');
    const answers = await deliver(p);
    const calls = stand.requests.filter((r) => r.path.startsWith(`/interactions/${p.id}/`));
    expect(calls.map((c) => c.status)).toEqual([429, 204]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(1000);
    expect(answers.map((a) => a.body.content)).toEqual(['after the limit']);
  });

  it('a 429 with retry-after 1 s on a channel message is delivered at least 1 s later', async () => {
    const channel = stand.channelId('notices');
    stand.fault({ path: new RegExp(`/channels/${channel}/messages`), status: 429, retryAfter: 1 });
    await adapter.send(`discord:${stand.guildId}:${channel}`, { text: 'notice' }, { idempotencyKey: 'd-429' });
    const calls = stand.requests.filter((r) => r.path === `/channels/${channel}/messages`);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(1000);
    expect(stand.channelMessages(channel).map((m) => m.body.content)).toEqual(['notice']);
  });

  it('a long rate limit is handed to the core as a DeliveryError with its retry-after', async () => {
    const channel = stand.channelId('busy');
    stand.fault({ path: /\/channels\/\d+\/messages/, status: 429, retryAfter: 30 });
    const err = await adapter.send(`discord:${stand.guildId}:${channel}`, { text: 'later' }).catch((e) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(30_000);
    expect(err.permanent).toBe(false);
  });

  it('5xx answers are retried with growing waits and the message delivered once', async () => {
    const channel = stand.channelId('flaky');
    stand.fault({ path: /\/channels\/\d+\/messages/, status: 502, times: 2 });
    await adapter.send(`discord:${stand.guildId}:${channel}`, { text: 'made it' }, { idempotencyKey: 'd-5xx' });
    const calls = stand.requests.filter((r) => r.path === `/channels/${channel}/messages`);
    expect(calls.map((c) => c.status)).toEqual([502, 502, 200]);
    expect(calls[2].at - calls[1].at).toBeGreaterThan(calls[1].at - calls[0].at);
    expect(stand.channelMessages(channel)).toHaveLength(1);
  });

  it('when 5xx persists the send fails with a retryable DeliveryError (the core retries later), and a refusal is permanent', async () => {
    const channel = stand.channelId('down');
    stand.fault({ path: /\/channels\/\d+\/messages/, status: 503, times: 10 });
    const err = await adapter.send(`discord:${stand.guildId}:${channel}`, { text: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err.permanent).toBe(false);
    stand.clearFaults();
    stand.fault({ path: /\/channels\/\d+\/messages/, status: 403 });
    const refused = await adapter.send(`discord:${stand.guildId}:${channel}`, { text: 'x' }).catch((e) => e);
    expect(refused.permanent).toBe(true);
  });

  it('a retried delivery with the same idempotency key posts once (Discord nonces)', async () => {
    const channel = stand.channelId('once');
    await adapter.send(`discord:${stand.guildId}:${channel}`, { text: 'one' }, { idempotencyKey: 'same' });
    await adapter.send(`discord:${stand.guildId}:${channel}`, { text: 'one' }, { idempotencyKey: 'same' });
    expect(stand.channelMessages(channel)).toHaveLength(1);
  });

  it('slow platform answers are waited for', async () => {
    script = () => [say('first'), say('second')];
    stand.fault({ path: /\/webhooks\//, delayMs: 700 });
    const answers = await deliver(stand.slash('Owain', 'forumbot', 'two'));
    expect(answers.map((a) => a.body.content)).toEqual(['first', 'second']);
  });

  it('an interaction delivered twice is handled once', async () => {
    script = () => [say('once')];
    const p = stand.slash('Owain', 'forumbot', 'dup');
    const answers = await deliver(p, 2);
    await sleep(100);
    await adapter.idle();
    expect(events).toHaveLength(1);
    expect(answers).toHaveLength(1);
  });

  it('DMs: a message to a user opens a DM channel; a direct reply goes there and is confirmed in the interaction', async () => {
    await adapter.send(`discord:dm:${stand.user('Nia').id}`, { text: 'hi Nia' });
    const dm = stand.dmChannelId(stand.user('Nia').id);
    expect(stand.channelMessages(dm).map((m) => m.body.content)).toEqual(['hi Nia']);
    script = () => [say('your code is 1234', 'direct')];
    const answers = await deliver(stand.slash('Nia', 'forumbot', 'link', 'general'));
    expect(stand.channelMessages(dm).at(-1)?.body.content).toBe('your code is 1234');
    expect(answers).toMatchObject([{ ephemeral: true, body: { content: 'your code is 1234' } }]);
  });

  it('buttons and selects come back as core actions with their arguments', async () => {
    script = (e) =>
      e.kind === 'command'
        ? [{ visibility: 'ephemeral', message: { text: 'pick', blocks: [{ type: 'buttons', buttons: [{ label: 'Approve', action: { command: 'request approve', args: { id: 'r1' } } }] }, { type: 'select', id: 's', label: 'Forum', placeholder: 'Choose', options: [{ label: 'Ceredigion', value: 'f1' }], action: { command: 'forum use' }, argName: 'forum' }] } }]
        : [say('done')];
    const [buttons, select] = await deliver(stand.slash('Owain', 'forumbot', 'menu'));
    expect(select.body.embeds[0].description).toBe('Forum'); // the select's label stays above it
    await deliver(stand.component('Owain', buttons, buttons.body.components[0].components[0].custom_id));
    await deliver(stand.component('Owain', select, select.body.components[0].components[0].custom_id, ['f1']));
    expect(events.slice(1)).toMatchObject([
      { kind: 'action', command: 'request approve', args: { id: 'r1' } },
      { kind: 'action', command: 'forum use', args: { forum: 'f1' } },
    ]);
  });

  it('a form of 7 fields opens as two modals and reaches the core as one submission', async () => {
    const fields = Array.from({ length: 7 }, (_, i) => ({ kind: 'text' as const, name: `q${i}`, label: `Question ${i}` }));
    script = (e) => (e.kind === 'command' ? [{ visibility: 'ephemeral', message: { text: 'form', blocks: [{ type: 'form', form: { id: 'f', title: 'Report back', submitLabel: 'Send', submit: { command: 'report submit', args: { seat: 's1' } }, fields } }] } }] : [say('thanks')]);
    const [msg] = await deliver(stand.slash('Owain', 'forumbot', 'report'));
    const opener = msg.body.components[0].components[0];
    const open1 = stand.component('Owain', msg, opener.custom_id);
    await deliver(open1);
    const modal1 = stand.interaction(open1.id)!.modal!;
    expect(modal1.components).toHaveLength(5);
    const [step2] = await deliver(stand.modalSubmit('Owain', modal1, Object.fromEntries(fields.slice(0, 5).map((f) => [f.name, `a-${f.name}`]))));
    const open2 = stand.component('Owain', step2, step2.body.components[0].components[0].custom_id);
    await deliver(open2);
    const modal2 = stand.interaction(open2.id)!.modal!;
    expect(modal2.components).toHaveLength(2);
    const done = await deliver(stand.modalSubmit('Owain', modal2, { q5: 'a-q5', q6: 'a-q6' }));
    expect(done.map((d) => d.body.content)).toEqual(['thanks']);
    expect(events.at(-1)).toMatchObject({ kind: 'formSubmit', command: 'report submit', args: { seat: 's1' }, values: Object.fromEntries(fields.map((f) => [f.name, `a-${f.name}`])) });
  });

  it('a ranked ballot: one select per rank, the cast button sends the ranking in rank order', async () => {
    const candidates = [{ id: 'c1', name: 'Alun' }, { id: 'c2', name: 'Bethan' }, { id: 'c3', name: 'Cerys' }];
    script = (e) => (e.kind === 'command' ? [{ visibility: 'ephemeral', message: { text: 'ballot', blocks: [{ type: 'ballot', ballot: { id: 'b', title: 'Trustees', instructions: 'Rank them', candidates, submitLabel: 'Cast', submit: { command: 'vote', args: { election: 'e1' } } } }] } }] : [say('voted')]);
    const [msg] = await deliver(stand.slash('Owain', 'forumbot', 'ballot'));
    const comps = msg.body.components.flatMap((r: any) => r.components);
    expect(comps.filter((c: any) => c.type === 3)).toHaveLength(3);
    await deliver(stand.component('Owain', msg, comps[1].custom_id, ['2'])); // rank 2: Cerys
    await deliver(stand.component('Owain', msg, comps[0].custom_id, ['1'])); // rank 1: Bethan
    const voted = await deliver(stand.component('Owain', msg, comps.at(-1).custom_id));
    expect(voted.map((v) => v.body.content)).toEqual(['voted']);
    expect(events.at(-1)).toMatchObject({ kind: 'action', command: 'vote', args: { election: 'e1', ranking: 'c2,c3' } });
  });

  it('a button whose stored reference is gone reaches the core as a command it does not know', async () => {
    script = () => [say('that no longer works')];
    const fake = { id: '1', channelId: stand.channelId('general'), via: 'channel' as const, ephemeral: false, body: {}, at: 0 };
    const answers = await deliver(stand.component('Owain', fake, 'a:#unknownhash'));
    expect(events[0]).toMatchObject({ kind: 'action', command: '\u0000gone' });
    expect(answers.map((a) => a.body.content)).toEqual(['that no longer works']);
  });
});
