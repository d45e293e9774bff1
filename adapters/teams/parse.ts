import type { Activity } from 'botbuilder';
import type { EventUser, IncomingEvent } from '../../src/core/events.ts';
import { VERB, type ActionData } from './render.ts';

/**
 * Teams activities → core events. A channel or group chat is "teams:<conversation id>" (a channel
 * thread's ";messageid=…" suffix dropped, so announcements start new posts); a person's chat with
 * the bot is "teams:dm:<user id>", the same ref whichever way they reached it.
 */
export const dmRef = (userId: string) => `teams:dm:${userId}`;
export const baseConversationId = (id: string) => id.split(';messageid=')[0];

export const isPersonal = (a: Partial<Activity>) => a.conversation?.conversationType === 'personal' || (!a.conversation?.conversationType && !a.conversation?.isGroup);

export function conversationRef(a: Partial<Activity>): string {
  return isPersonal(a) ? dmRef(a.from!.id) : `teams:${baseConversationId(a.conversation!.id)}`;
}

export function eventUser(a: Partial<Activity>): EventUser {
  const aad = a.from!.aadObjectId;
  return { platform: 'teams', id: a.from!.id, displayName: a.from!.name || a.from!.id, dmRef: dmRef(a.from!.id), ...(aad ? { aadObjectId: aad } : {}) };
}

const base = (a: Partial<Activity>) => ({
  user: eventUser(a),
  conversation: conversationRef(a),
  isDirect: isPersonal(a),
  ...(a.id ? { eventId: a.id } : {}),
});

/** A typed message: a command in a personal chat or when the bot is @mentioned, else chatter. */
export function messageEvent(a: Partial<Activity>, text: string): IncomingEvent {
  const mentioned = (a.entities ?? []).some((e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === a.recipient?.id);
  return { ...base(a), kind: isPersonal(a) || mentioned ? 'command' : 'message', text };
}

const plainArgs = (args: unknown): Record<string, unknown> => (args && typeof args === 'object' && !Array.isArray(args) ? { ...(args as Record<string, unknown>) } : {});

/** A card's action (Action.Execute data, or Action.Submit value), with its inputs merged in by Teams. */
export function submissionEvent(a: Partial<Activity>, data: Record<string, unknown>): IncomingEvent | undefined {
  if (data.verb !== VERB || typeof data.cmd !== 'string') return undefined;
  const d = data as ActionData & Record<string, unknown>;
  const args = plainArgs(d.args);
  switch (d.fb) {
    case 'action':
      return { ...base(a), kind: 'action', command: d.cmd, args };
    case 'select': {
      const chosen = d[d.input];
      return { ...base(a), kind: 'action', command: d.cmd, args: chosen === undefined || chosen === '' ? args : { ...args, [d.arg]: chosen } };
    }
    case 'form': {
      const values: Record<string, unknown> = {};
      for (const [id, [name, kind]] of Object.entries(d.fields ?? {})) {
        const v = formValue(kind, d[id]);
        if (v !== undefined) values[name] = v;
      }
      return { ...base(a), kind: 'formSubmit', command: d.cmd, args, values };
    }
    case 'ballot':
      return { ...base(a), kind: 'action', command: d.cmd, args: { ...args, ranking: ranking(d) } };
    default:
      return undefined;
  }
}

/** Teams sends every input's value as a string; empty means not answered. */
function formValue(kind: string, raw: unknown): unknown {
  if (raw === undefined || raw === null) return undefined;
  const s = String(raw).trim();
  if (s === '') return undefined;
  if (kind === 'number') return Number.isFinite(Number(s)) ? Number(s) : s;
  if (kind === 'checkbox') return s === 'true';
  return s;
}

/**
 * Candidate ids in preference order. The dropdowns' (or typed numbers') choices are positions on
 * the ballot; anything that is not a candidate is passed on as typed, for the command to refuse.
 */
function ranking(d: Extract<ActionData, { fb: 'ballot' }> & Record<string, unknown>): string {
  const picks: string[] = d.typed
    ? String(d.ballot_order ?? '').split(/[\s,>]+/).filter(Boolean)
    : Array.from({ length: d.ranks }, (_, r) => String(d[`rank_${r + 1}`] ?? '').trim()).filter(Boolean);
  return picks.map((p) => (/^\d+$/.test(p) && d.ids[Number(p) - 1] ? d.ids[Number(p) - 1] : p)).join(',');
}
