import type { Db } from '../db/client.ts';
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
  account: Record<string, unknown> | null;
  person: Record<string, unknown> | null;
  forum: Record<string, unknown> | null;
  membership: Record<string, unknown> | null;
  state: Record<string, unknown> | null;
}

/**
 * Everything an event needs before its command runs, in one round trip: the account and person,
 * the forum it acts in and the person's membership there, and any open conversation state.
 *
 * The forum is the one that linked this conversation, else the person's chosen forum, else their
 * only active membership's, else the only forum there is.
 */
const QUERY = `
WITH a AS (SELECT * FROM "Account" WHERE platform = $1 AND "platformUserId" = $2),
p AS (SELECT "Person".* FROM "Person" JOIN a ON a."personId" = "Person".id),
chosen AS (
  SELECT COALESCE(
    (SELECT "forumId" FROM "Channel" WHERE ref = $3 ORDER BY "createdAt" LIMIT 1),
    (SELECT f.id FROM "Forum" f JOIN p ON p."currentForumId" = f.id),
    (SELECT CASE WHEN count(*) = 1 THEN min(m."forumId") END FROM "Membership" m JOIN p ON m."personId" = p.id WHERE m.status = 'ACTIVE'),
    (SELECT CASE WHEN count(*) = 1 THEN min(id) END FROM "Forum")
  ) AS id
)
SELECT
  (SELECT row_to_json(a) FROM a) AS account,
  (SELECT row_to_json(p) FROM p) AS person,
  (SELECT row_to_json(f) FROM "Forum" f JOIN chosen ON chosen.id = f.id) AS forum,
  (SELECT row_to_json(m) FROM "Membership" m JOIN chosen ON chosen.id = m."forumId" JOIN p ON p.id = m."personId") AS membership,
  (SELECT row_to_json(s) FROM "ConversationState" s WHERE s.key = $4) AS state`;

/** Timestamps come back from row_to_json as UTC text without a zone. */
const dates = (row: Record<string, unknown> | null, ...fields: string[]) => {
  if (!row) return row;
  for (const f of fields) if (typeof row[f] === 'string') row[f] = new Date(`${row[f]}Z`);
  return row;
};

async function query(db: Db, user: EventUser, conversation: string, stateKey: string): Promise<Row> {
  const rows = await db.$queryRawUnsafe<Row[]>(QUERY, user.platform, user.id, conversation, stateKey);
  return rows[0];
}

export async function loadEventContext(db: Db, user: EventUser, conversation: string, stateKey: string, now: Date): Promise<EventContext> {
  let row = await query(db, user, conversation, stateKey);
  const known = row.account as Account | null;
  const stale = known && ((user.displayName && known.displayName !== user.displayName) || (user.dmRef && known.dmRef !== user.dmRef));
  if (!known || stale) {
    await resolveAccount(db, user); // first contact or new name: create or update, then read again
    row = await query(db, user, conversation, stateKey);
  }
  const state = dates(row.state, 'expiresAt', 'updatedAt') as (FlowState & { expiresAt: Date }) | null;
  return {
    account: dates(row.account, 'createdAt') as unknown as Account,
    person: dates(row.person, 'createdAt') as unknown as Person,
    forum: dates(row.forum, 'createdAt') as unknown as Forum | null,
    membership: dates(row.membership, 'createdAt', 'decidedAt') as unknown as Membership | null,
    state: state && state.expiresAt > now ? { flow: state.flow, step: state.step, data: state.data } : null,
  };
}
