import { z } from 'zod';
import type { IncomingEvent } from '../../src/core/events.ts';
import type { Packer } from './pack.ts';
import { ACTION_PREFIX, BALLOT_CALLBACK, FORM_CALLBACK, optionValue, type ModalMeta, type PackedAction, type PackedOpen } from './render.ts';

/** "slack:T1:C123" for a channel or DM channel; "slack:T1:U42" for a user, opened as a DM when sent to. */
export const slackRef = (team: string, id: string) => `slack:${team}:${id}`;
export function parseRef(ref: string): { team: string; id: string } | undefined {
  const m = /^slack:([^:]+):([^:]+)$/.exec(ref);
  return m ? { team: m[1], id: m[2] } : undefined;
}
export const isUserId = (id: string) => /^[UW][A-Z0-9]+$/.test(id);
export const isDmChannel = (id: string) => id.startsWith('D');

/** Where and to whom the replies to one Slack event go. */
export interface ReplyContext {
  team: string;
  user: string;
  /** the channel id, when the event came from one */
  channel?: string;
  conversation: string;
  isDirect: boolean;
  responseUrl?: string;
  triggerId?: string;
  /** when the event arrived (a trigger_id is good for 3 s) */
  receivedAt: number;
  /** pressed on the member's Home tab (or in a modal opened from it): the tab is published again after */
  fromHome?: boolean;
}

/** An IncomingEvent before the adapter has looked up who the user is. */
export type EventWithoutUser = IncomingEvent extends infer E ? (E extends IncomingEvent ? Omit<E, 'user'> : never) : never;

export interface Parsed {
  /** the core event; absent when the interaction is handled by the adapter alone (opening a modal) */
  event?: EventWithoutUser;
  ctx: ReplyContext;
  /** the name Slack sent with the payload, used when users.info cannot be asked */
  nameHint?: string;
  open?: PackedOpen;
}

const ZCommand = z.object({
  team_id: z.string(),
  channel_id: z.string(),
  channel_name: z.string().optional(),
  user_id: z.string(),
  user_name: z.string().optional(),
  text: z.string().default(''),
  response_url: z.string().optional(),
  trigger_id: z.string().optional(),
});

export function parseCommand(body: unknown, now: number): Parsed {
  const c = ZCommand.parse(body);
  const isDirect = c.channel_name === 'directmessage' || isDmChannel(c.channel_id);
  const conversation = slackRef(c.team_id, c.channel_id);
  const text = c.text.trim() || 'help';
  return {
    event: { kind: 'command', text, conversation, isDirect, ...(c.trigger_id ? { eventId: `cmd:${c.trigger_id}` } : {}) },
    ctx: { team: c.team_id, user: c.user_id, channel: c.channel_id, conversation, isDirect, responseUrl: c.response_url, triggerId: c.trigger_id, receivedAt: now },
    nameHint: c.user_name,
  };
}

const ZMessageEvent = z.object({
  team_id: z.string().optional(),
  event_id: z.string(),
  event: z.object({
    type: z.string(),
    channel: z.string(),
    channel_type: z.string().optional(),
    user: z.string().optional(),
    text: z.string().default(''),
    subtype: z.string().optional(),
    bot_id: z.string().optional(),
    team: z.string().optional(),
  }),
});

/** A message in the bot's DM, or a mention in a channel; other messages are not for the bot. */
export function parseMessageEvent(body: unknown, botUserId: string | undefined, now: number): Parsed | undefined {
  const b = ZMessageEvent.parse(body);
  const e = b.event;
  if (!e.user || e.bot_id || (e.subtype && e.subtype !== 'file_share')) return undefined;
  const team = b.team_id ?? e.team ?? '';
  const isDirect = e.channel_type === 'im' || isDmChannel(e.channel);
  if (e.type === 'message' && !isDirect) return undefined;
  const text = (botUserId ? e.text.replaceAll(`<@${botUserId}>`, '') : e.text.replace(/^<@[A-Z0-9]+>/, '')).trim();
  if (!text) return undefined;
  const conversation = slackRef(team, e.channel);
  return {
    event: { kind: 'message', text, conversation, isDirect, eventId: `ev:${b.event_id}` },
    ctx: { team, user: e.user, channel: e.channel, conversation, isDirect, receivedAt: now },
  };
}

const ZAction = z.object({
  team: z.object({ id: z.string() }).nullable().optional(),
  user: z.object({ id: z.string(), name: z.string().optional(), username: z.string().optional(), team_id: z.string().optional() }),
  channel: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  container: z.object({ type: z.string().optional(), channel_id: z.string().optional() }).passthrough().optional(),
  view: z.object({ type: z.string().optional() }).passthrough().nullable().optional(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  actions: z
    .array(
      z.object({
        action_id: z.string(),
        block_id: z.string().optional(),
        value: z.string().optional(),
        selected_option: z.object({ value: z.string() }).nullable().optional(),
        action_ts: z.string().optional(),
      }),
    )
    .min(1),
});

/** A button press or a select choice on one of our messages. */
export function parseAction(body: unknown, packer: Packer, now: number): Parsed | undefined {
  const b = ZAction.parse(body);
  const a = b.actions[0];
  if (!a.action_id.startsWith(ACTION_PREFIX)) return undefined;
  const team = b.team?.id ?? b.user.team_id ?? '';
  const channel = b.channel?.id ?? b.container?.channel_id;
  const conversation = channel ? slackRef(team, channel) : slackRef(team, b.user.id);
  const isDirect = !channel || isDmChannel(channel) || b.channel?.name === 'directmessage';
  const fromHome = b.container?.type === 'view' && b.view?.type === 'home';
  const ctx: ReplyContext = { team, user: b.user.id, channel, conversation, isDirect, responseUrl: b.response_url, triggerId: b.trigger_id, receivedAt: now, ...(fromHome ? { fromHome } : {}) };
  const nameHint = b.user.name ?? b.user.username;
  const eventId = `act:${b.trigger_id ?? `${a.action_ts}:${b.user.id}`}`;
  const kind = a.action_id.slice(ACTION_PREFIX.length, ACTION_PREFIX.length + 1);
  if (kind === 'o') {
    return { ctx, nameHint, open: packer.unpack<PackedOpen>(a.value) ?? ({ k: 'gone' } as unknown as PackedOpen) };
  }
  if (kind === 'b') {
    const packed = packer.unpack<PackedAction>(a.value);
    return { event: { kind: 'action', command: packed?.c ?? '', args: packed?.a ?? {}, conversation, isDirect, eventId }, ctx, nameHint };
  }
  if (kind === 's') {
    const blockId = a.block_id ?? '';
    const packed = packer.unpack<PackedAction>(blockId.slice(blockId.indexOf('.') + 1));
    if (!a.selected_option) return undefined;
    const value = optionValue(a.selected_option.value, packer);
    const args = { ...(packed?.a ?? {}), [packed?.n ?? 'value']: value };
    return { event: { kind: 'action', command: packed?.c ?? '', args, conversation, isDirect, eventId }, ctx, nameHint };
  }
  return undefined;
}

type StateValue = {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_date?: string | null;
  selected_options?: { value: string }[];
};
const ZView = z.object({
  team: z.object({ id: z.string() }).nullable().optional(),
  user: z.object({ id: z.string(), name: z.string().optional(), username: z.string().optional(), team_id: z.string().optional() }),
  trigger_id: z.string().optional(),
  view: z.object({
    id: z.string(),
    callback_id: z.string(),
    private_metadata: z.string().optional(),
    hash: z.string().optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.custom<StateValue>())) }),
  }),
});

/** A submitted modal: a form's values, or a ballot's ranking. */
export function parseViewSubmission(body: unknown, packer: Packer, now: number): Parsed | undefined {
  const b = ZView.parse(body);
  const v = b.view;
  if (v.callback_id !== FORM_CALLBACK && v.callback_id !== BALLOT_CALLBACK) return undefined;
  const meta = packer.unpack<ModalMeta>(v.private_metadata) ?? { k: 'form', c: '' };
  const team = b.team?.id ?? b.user.team_id ?? '';
  const ref = meta.conv ? /^slack:[^:]+:(.+)$/.exec(meta.conv) : null;
  // a user id (an action from the Home tab, which has no channel) means their DM
  const channel = ref?.[1] && !isUserId(ref[1]) ? ref[1] : undefined;
  const conversation = meta.conv ?? slackRef(team, b.user.id);
  const isDirect = !channel || isDmChannel(channel);
  const ctx: ReplyContext = { team, user: b.user.id, channel, conversation, isDirect, receivedAt: now, ...(meta.h ? { fromHome: true } : {}) };
  const eventId = `view:${v.id}:${v.hash ?? b.trigger_id ?? ''}`;
  const nameHint = b.user.name ?? b.user.username;
  if (v.callback_id === BALLOT_CALLBACK) {
    const ranking: string[] = [];
    const ranks = Object.keys(v.state.values)
      .filter((k) => k.startsWith('rank:'))
      .sort((x, y) => Number(x.slice(5)) - Number(y.slice(5)));
    for (const k of ranks) {
      const picked = v.state.values[k].v?.selected_option?.value;
      if (picked) ranking.push(optionValue(picked, packer));
    }
    // a long ballot's typed order: candidate numbers as listed (the core checks the ranking it makes)
    const typed = v.state.values.order?.v?.value;
    if (typeof typed === 'string' && meta.ids) {
      for (const n of typed.split(/[\s,>]+/).filter(Boolean)) ranking.push(meta.ids[Number(n) - 1] ?? `#${n}`);
    }
    return { event: { kind: 'action', command: meta.c, args: { ...(meta.a ?? {}), ranking: ranking.join(',') }, conversation, isDirect, eventId }, ctx, nameHint };
  }
  const values: Record<string, unknown> = {};
  for (const [name, actions] of Object.entries(v.state.values)) {
    const s = actions.v;
    if (!s) continue;
    const value = readState(s, packer);
    if (value !== undefined) values[name] = value;
  }
  return { event: { kind: 'formSubmit', command: meta.c, args: meta.a ?? {}, values, conversation, isDirect, eventId }, ctx, nameHint };
}

function readState(s: StateValue, packer: Packer): unknown {
  switch (s.type) {
    case 'number_input':
      return s.value === null || s.value === undefined || s.value === '' ? undefined : Number(s.value);
    case 'datepicker':
      return s.selected_date ?? undefined;
    case 'static_select':
      return s.selected_option ? optionValue(s.selected_option.value, packer) : undefined;
    case 'checkboxes':
      return (s.selected_options ?? []).length > 0;
    default:
      return s.value === null || s.value === undefined || s.value === '' ? undefined : s.value;
  }
}

const ZHomeOpened = z.object({
  team_id: z.string().optional(),
  event_id: z.string(),
  event: z.object({ type: z.literal('app_home_opened'), user: z.string(), channel: z.string().optional(), tab: z.string().optional() }),
});

/** A member opened the bot's Home tab (app_home_opened with tab "home"); the Messages tab is not a home. */
export function parseHomeOpened(body: unknown): { team: string; user: string; channel?: string; eventId: string } | undefined {
  const b = ZHomeOpened.safeParse(body);
  if (!b.success || b.data.event.tab !== 'home') return undefined;
  return { team: b.data.team_id ?? '', user: b.data.event.user, channel: b.data.event.channel, eventId: `home:${b.data.event_id}` };
}
