import { SlackAdapter } from '../../adapters/slack/slack-adapter.ts';
import type { PackedOpen } from '../../adapters/slack/render.ts';
import { createApp, type App } from '../../src/app.ts';
import type { Feature } from '../../src/core/feature.ts';
import { createLogger, type Logger } from '../../src/core/logger.ts';
import { WebServer } from '../../src/web/server.ts';
import { testDatabase } from '../support/database.ts';
import { SlackStandIn, type Delivery, type Recorded } from '../platforms/slack/stand-in.ts';
import type { ScenarioDriver, Shown } from './driver.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What a Shown holds of Slack's own payload. */
export interface SlackRaw {
  call: Recorded;
  /** the channel id the message or modal was shown in */
  channel: string;
  /** a message's blocks, or a modal's view */
  blocks: Json[];
  view?: Json;
}

const unescape = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** Slack shows *bold* without its asterisks. */
const visible = (t: string) => unescape(t.replace(/\*([^*\n]+)\*/g, '$1'));

function optionsOf(el: Json | undefined): Json[] {
  if (!el) return [];
  return [...(el.options ?? []), ...((el.option_groups ?? []) as Json[]).flatMap((g) => g.options ?? [])];
}

/** Reads a message or a modal as Slack shows it. */
export function slackShown(call: Recorded, channel: string, unpack: (s: string) => unknown): Shown {
  const view = call.method === 'views.open' ? (call.answer?.view as Json) : undefined;
  const blocks: Json[] = (view ? view.blocks : call.body.blocks) ?? [];
  const lines: string[] = view ? [view.title?.text ?? ''] : [];
  const buttons: string[] = [];
  let formFields: string[] = [];
  let candidates: string[] = [];
  for (const b of blocks) {
    if (b.type === 'header') lines.push(b.text.text);
    if (b.type === 'section') {
      if (b.text) lines.push(visible(b.text.text));
      for (const f of b.fields ?? []) lines.push(visible(f.text));
      if (b.accessory?.type === 'static_select') buttons.push(...optionsOf(b.accessory).map((o) => o.text.text));
    }
    if (b.type === 'actions') {
      for (const e of b.elements) {
        if (e.type === 'button') {
          buttons.push(e.text.text);
          const open = e.action_id.startsWith('fb:o:') ? (unpack(e.value) as PackedOpen | undefined) : undefined;
          if (open?.k === 'form') formFields = open.form.fields.map((f) => f.name);
          if (open?.k === 'ballot') candidates = open.ballot.candidates.map((c) => c.name);
        }
        if (e.type === 'static_select') buttons.push(...optionsOf(e).map((o) => o.text.text));
      }
    }
    if (b.type === 'table') for (const row of b.rows as Json[][]) lines.push(row.map((c) => c.text).join(' | '));
    if (b.type === 'input') {
      lines.push(b.label.text);
      if (view?.callback_id === 'fb:form') formFields.push(b.block_id);
      if (view?.callback_id === 'fb:ballot' && b.block_id === 'rank:1') candidates = optionsOf(b.element).map((o) => o.text.text);
    }
  }
  if (!blocks.length && typeof call.body.text === 'string') lines.push(unescape(call.body.text));
  return { text: lines.filter(Boolean).join('\n'), buttons, formFields, candidates, raw: { call, channel, blocks, view } satisfies SlackRaw };
}

export type SlackScenarioDriver = ScenarioDriver & { standIn: SlackStandIn; adapter: SlackAdapter; app: App };

/** The bot with the Slack adapter on the real Bolt SDK, driven through the Slack stand-in. */
export async function slackDriver(opts: { socketMode?: boolean; features?: Feature[]; log?: Logger } = {}): Promise<SlackScenarioDriver> {
  const database = await testDatabase();
  const db = database.prisma;
  const clock = { now: new Date('2026-11-22T10:00:00Z') };
  const standIn = new SlackStandIn(undefined, undefined, opts.socketMode ? 'xapp-stand-in' : undefined);
  await standIn.start();
  const log = opts.log ?? createLogger('error');
  const adapter = new SlackAdapter({
    botToken: standIn.botToken,
    ...(opts.socketMode ? { appToken: standIn.appToken } : { signingSecret: standIn.signingSecret }),
    apiUrl: standIn.apiUrl,
    log,
    retry: { backoffMs: 20 },
    // a shared test machine can take longer than Slack's 3 s on a cold first command: keep modals deterministic
    triggerFreshMs: 60_000,
  });
  standIn.triggerLifetimeMs = 60_000;
  const app = createApp({ db, adapters: [adapter], now: () => clock.now, log, delivery: { baseBackoffMs: 10 }, ...(opts.features ? { features: opts.features } : {}) });
  const server = new WebServer(log);
  server.add(...adapter.routes());
  const port = await server.listen(0, '127.0.0.1');
  standIn.botUrl = `http://127.0.0.1:${port}/slack/events`;
  await adapter.start((e) => app.bot.handle(e, adapter.capabilities));

  const unpack = (s: string) => adapter.packer.unpack(s);
  const urlChannel = new Map<string, string>(); // response_url path -> channel id
  const cursors = new Map<string, number>();
  const isBroadcast = (c: Recorded) => (c.body.metadata as Json | undefined)?.event_type === 'forumbot_delivery';

  /** What `user` was shown in answer to one delivery: its response_url, modal, ephemerals and posts. */
  const answered = async (user: string, channel: string, mark: number, d: Delivery): Promise<Shown[]> => {
    if (d.status !== 200) throw new Error(`Slack stand-in: the bot answered ${d.status}`);
    await adapter.idle();
    const userId = standIn.userId(user);
    const path = d.responseUrl ? new URL(d.responseUrl).pathname : undefined;
    if (path) urlChannel.set(path, channel);
    return standIn
      .since(mark)
      .filter(
        (c) =>
          (c.method === 'response_url' && c.responseUrl === path) ||
          (c.method === 'views.open' && c.body.trigger_id === d.triggerId) ||
          (c.method === 'chat.postEphemeral' && c.body.user === userId) ||
          (c.method === 'chat.postMessage' && !isBroadcast(c) && (c.body.channel === channel || c.body.channel === standIn.dmChannelOf(userId))),
      )
      .map((c) => slackShown(c, channel, unpack));
  };
  const rawOf = (shown: Shown) => shown.raw as SlackRaw;

  /** Opens the modal behind a message's form or ballot button; a modal is returned as it is. */
  const modalOf = async (user: string, shown: Shown, kind: 'form' | 'ballot'): Promise<SlackRaw> => {
    const raw = rawOf(shown);
    if (raw.view) return raw;
    for (const b of raw.blocks) {
      for (const e of b.type === 'actions' ? b.elements : []) {
        const open = e.type === 'button' && e.action_id.startsWith('fb:o:') ? (unpack(e.value) as PackedOpen | undefined) : undefined;
        if (open?.k !== kind) continue;
        const opened = (await driver.press(user, shown, e.text.text)).find((s) => rawOf(s).view);
        if (!opened) throw new Error(`pressing “${e.text.text}” opened no modal`);
        return rawOf(opened);
      }
    }
    throw new Error(`no ${kind} in: ${shown.text}`);
  };

  const submitView = async (user: string, raw: SlackRaw, values: Record<string, Record<string, unknown>>) => {
    const mark = standIn.calls.length;
    const v = raw.view!;
    const d = await standIn.viewSubmission(user, { id: v.id, hash: v.hash, type: 'modal', callback_id: v.callback_id, private_metadata: v.private_metadata, title: v.title, blocks: v.blocks }, values);
    return answered(user, raw.channel, mark, d);
  };

  const driver: SlackScenarioDriver = {
    platform: 'slack',
    db,
    clock,
    standIn,
    adapter,
    app,
    async command(user, text, channel) {
      const mark = standIn.calls.length;
      const d = await standIn.slashCommand(user, text, channel);
      return answered(user, channel ? standIn.channelId(channel) : standIn.dmChannelOf(standIn.userId(user)), mark, d);
    },
    async press(user, shown, label) {
      const raw = rawOf(shown);
      for (const b of raw.blocks) {
        const elements: Json[] = b.type === 'actions' ? b.elements : b.type === 'section' && b.accessory ? [b.accessory] : [];
        for (const e of elements) {
          const mark = standIn.calls.length;
          if (e.type === 'button' && e.text.text === label) {
            const d = await standIn.blockAction(user, { channel: raw.channel, message: raw.call.body }, { type: 'button', action_id: e.action_id, block_id: b.block_id ?? 'b', value: e.value, text: e.text });
            return answered(user, raw.channel, mark, d);
          }
          const option = e.type === 'static_select' ? optionsOf(e).find((o) => o.text.text === label) : undefined;
          if (option) {
            const d = await standIn.blockAction(user, { channel: raw.channel, message: raw.call.body }, { type: 'static_select', action_id: e.action_id, block_id: b.block_id, selected_option: option });
            return answered(user, raw.channel, mark, d);
          }
        }
      }
      throw new Error(`no button or option “${label}” in: ${shown.text}`);
    },
    async submit(user, shown, values) {
      const raw = await modalOf(user, shown, 'form');
      const state: Record<string, Record<string, unknown>> = {};
      for (const b of raw.view!.blocks as Json[]) {
        if (b.type !== 'input' || !(b.block_id in values)) continue;
        const value = values[b.block_id];
        const el = b.element;
        const s: Json = { type: el.type };
        if (el.type === 'plain_text_input' || el.type === 'number_input') s.value = value;
        if (el.type === 'datepicker') s.selected_date = value;
        if (el.type === 'static_select') s.selected_option = optionsOf(el).find((o) => o.value === value || o.text.text === value) ?? null;
        if (el.type === 'checkboxes') s.selected_options = /^(yes|true|1|on)$/i.test(value) ? el.options : [];
        state[b.block_id] = { [el.action_id]: s };
      }
      return submitView(user, raw, state);
    },
    async rank(user, shown, names) {
      const raw = await modalOf(user, shown, 'ballot');
      const state: Record<string, Record<string, unknown>> = {};
      names.forEach((name, i) => {
        const block = (raw.view!.blocks as Json[]).find((b) => b.block_id === `rank:${i + 1}`);
        if (!block) throw new Error(`the ballot has no rank ${i + 1}`);
        const option = optionsOf(block.element).find((o) => o.text.text === name);
        if (!option) throw new Error(`no candidate “${name}” on the ballot`);
        state[block.block_id] = { v: { type: 'static_select', selected_option: option } };
      });
      return submitView(user, raw, state);
    },
    async inbox(user) {
      const dm = standIn.dmChannelOf(standIn.userId(user));
      const key = `dm:${user}`;
      const from = cursors.get(key) ?? 0;
      cursors.set(key, standIn.calls.length);
      return standIn
        .since(from)
        .filter((c) => c.method === 'chat.postMessage' && c.body.channel === dm)
        .map((c) => slackShown(c, dm, unpack));
    },
    async channelPosts(channel) {
      const id = standIn.channelId(channel);
      const key = `ch:${channel}`;
      const from = cursors.get(key) ?? 0;
      cursors.set(key, standIn.calls.length);
      return standIn
        .since(from)
        .filter(
          (c) =>
            (c.method === 'chat.postMessage' && c.body.channel === id) ||
            (c.method === 'response_url' && c.body.response_type === 'in_channel' && urlChannel.get(c.responseUrl!) === id),
        )
        .map((c) => slackShown(c, id, unpack));
    },
    async advance(ms) {
      clock.now = new Date(clock.now.getTime() + ms);
      await app.scheduler.catchUp(clock.now);
      await this.settle();
    },
    async settle() {
      for (let i = 0; i < 3; i++) {
        await app.services.broadcasts.idle();
        await app.services.broadcasts.deliverDue();
        await adapter.idle();
      }
    },
    async close() {
      await app.services.broadcasts.stop();
      await app.services.broadcasts.idle();
      await adapter.stop();
      await server.close();
      await standIn.close();
      await database.close();
    },
  };
  return driver;
}
