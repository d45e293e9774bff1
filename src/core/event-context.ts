import { directQuery, type Db } from '../db/client.ts';
import type { Account, Forum, Membership, Person } from '../generated/prisma/client.ts';
import type { FlowState } from './conversation.ts';
import type { EventUser } from './events.ts';
import { resolveAccount } from './identity.ts';

export interface EventContext {
  account: Account;
  person: Person;
  forum: Forum | null;
  membership: Membership | null;
  /** the open text form, menu or ballot of this user in this conversation, if any */
  state: FlowState | null;
}

interface Row {
  duplicate: boolean;
  account: Record<string, unknown> | null;
  person: Record<string, unknown> | null;
  forum: Record<string, unknown> | null;
  membership: Record<string, unknown> | null;
  state: Record<string, unknown> | null;
}

/** Timestamps come back from row_to_json as UTC text without a zone: these fields become Dates. */
export const utcDates = (row: Record<string, unknown> | null, ...fields: string[]) => {
  if (!row) return row;
  for (const f of fields) if (typeof row[f] === 'string') row[f] = new Date(`${row[f]}Z`);
  return row;
};

/**
 * Everything an event needs before its command runs, in one round trip: the account and person,
 * the forum it acts in and the person's membership there, and any open conversation state. The
 * query is the database function `forumbot_event_context` (its migration says how the forum is
 * chosen, and why a function).
 *
 * With `eventKey` (a platform's event id) the event is first recorded as processed; null is
 * returned when it already was, so a platform's retry of a delivery has no second effect.
 */
export async function loadEventContext(db: Db, user: EventUser, conversation: string, stateKey: string, now: Date, eventKey?: string): Promise<EventContext | null> {
  let row = await query(db, eventKey ?? null, user, conversation, stateKey);
  if (row.duplicate) return null;
  const known = row.account as Account | null;
  const stale = known && ((user.displayName && known.displayName !== user.displayName) || (user.dmRef && known.dmRef !== user.dmRef));
  if (!known || stale) {
    await resolveAccount(db, user); // first contact or new name: create or update, then read again
    row = await query(db, null, user, conversation, stateKey);
  }
  const state = utcDates(row.state, 'expiresAt', 'updatedAt') as (FlowState & { expiresAt: Date }) | null;
  return {
    account: utcDates(row.account, 'createdAt') as unknown as Account,
    person: utcDates(row.person, 'createdAt') as unknown as Person,
    forum: utcDates(row.forum, 'createdAt') as unknown as Forum | null,
    membership: utcDates(row.membership, 'createdAt', 'decidedAt') as unknown as Membership | null,
    state: state && state.expiresAt > now ? { flow: state.flow, step: state.step, data: state.data } : null,
  };
}

async function query(db: Db, eventKey: string | null, user: EventUser, conversation: string, stateKey: string): Promise<Row> {
  const rows = await directQuery(db)<Row>('SELECT * FROM forumbot_event_context($1, $2, $3, $4, $5)', [eventKey, user.platform, user.id, conversation, stateKey]);
  return rows[0];
}
