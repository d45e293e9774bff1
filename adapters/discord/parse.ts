import type { EventUser } from '../../src/core/events.ts';
import type { CommandData } from './slash-commands.ts';

/**
 * Reading Discord's interaction payloads (as the gateway delivers them) into the parts the core
 * needs. Conversations: "discord:<guild id>:<channel id>" for a channel, "discord:dm:<user id>"
 * for a user's direct messages with the bot.
 */
export interface RawUser {
  id: string;
  username: string;
  global_name?: string | null;
}

export interface RawInteraction {
  id: string;
  application_id: string;
  type: number;
  token: string;
  guild_id?: string;
  channel_id?: string;
  channel?: { id: string; type: number };
  member?: { user: RawUser; nick?: string | null };
  user?: RawUser;
  locale?: string;
  message?: { id: string };
  data?: {
    name?: string;
    options?: CommandData['options'];
    custom_id?: string;
    component_type?: number;
    values?: string[];
    components?: RawModalComponent[];
  };
}

export type RawModalComponent =
  | { type: 1; components: { custom_id: string; value?: string }[] }
  | { type: 18; component: { type: number; custom_id: string; value?: string | boolean; values?: string[] } }
  | { type: number; [k: string]: unknown };

export const InteractionType = { Ping: 1, Command: 2, Component: 3, Autocomplete: 4, ModalSubmit: 5 } as const;

export const dmRef = (userId: string) => `discord:dm:${userId}`;

export function userOf(i: RawInteraction): EventUser {
  const u = i.member?.user ?? i.user;
  if (!u) throw new Error('interaction without a user');
  return { platform: 'discord', id: u.id, displayName: i.member?.nick || u.global_name || u.username, dmRef: dmRef(u.id) };
}

export function conversationOf(i: RawInteraction): { conversation: string; isDirect: boolean } {
  const channel = i.channel_id ?? i.channel?.id;
  if (i.guild_id && channel) return { conversation: `discord:${i.guild_id}:${channel}`, isDirect: false };
  return { conversation: dmRef(userOf(i).id), isDirect: true };
}

/** Field values of a submitted modal, by custom_id; empty answers are left out. */
export function modalValues(components: RawModalComponent[] | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const put = (c: { custom_id: string; value?: unknown; values?: string[] }) => {
    if (Array.isArray(c.values)) {
      if (c.values.length) values[c.custom_id] = c.values[0];
    } else if (typeof c.value === 'boolean') values[c.custom_id] = c.value;
    else if (typeof c.value === 'string' && c.value.trim() !== '') values[c.custom_id] = c.value;
  };
  for (const c of components ?? []) {
    if (c.type === 1) for (const inner of (c as { components: { custom_id: string; value?: string }[] }).components) put(inner);
    else if (c.type === 18) put((c as { component: { custom_id: string; value?: string | boolean; values?: string[] } }).component);
  }
  return values;
}

/** Where a conversation ref sends: a channel id, or a user to open a DM with. */
export function targetOf(ref: string): { channelId: string } | { userId: string } {
  const [platform, scope, id] = ref.split(':');
  if (platform !== 'discord' || !scope || !id) throw new Error(`not a Discord conversation: ${ref}`);
  return scope === 'dm' ? { userId: id } : { channelId: id };
}
