/**
 * The least database work behind "who represents us on …?", for the baseline apps of
 * bench:adapters: record the platform's event id (so a retried delivery has one effect), then read
 * the register, as two statements sent straight to the driver, and answer in one line of text.
 * Any bot that answers this from its database does at least this; forumbot also finds who is
 * asking, in which forum and language, checks the command's arguments and permission, and renders
 * the register natively. The baseline knows its one forum and answers in English.
 */
import { directQuery, type Db } from '../../src/db/client.ts';
import type { Register } from '../../src/features/forums/forums.service.ts';

// the marker commits without waiting for the disk, as forumbot's does (see its migration)
const RECORD = `INSERT INTO "ProcessedEvent" (key, "createdAt")
  SELECT $1, now() FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit
  ON CONFLICT DO NOTHING RETURNING key`;
const READ = 'SELECT forumbot_who_represents($1, NULL, $2, $3::timestamp(3)) AS register';

export function registerFloor(db: Db, forumId: string, partnership: string, now: () => Date = () => new Date()) {
  const query = directQuery(db);
  /** The answer for this event, or null when the event was handled already. */
  return async (eventKey: string): Promise<string | null> => {
    const recorded = await query(RECORD, [eventKey]);
    if (!recorded.length) return null;
    const [{ register }] = await query<{ register: Register | null }>(READ, [forumId, partnership, now().toISOString()]);
    if (!register) return `No partnership called ${partnership}.`;
    return `${register.name}: ${register.seats.map((s) => `${s.label}, ${s.holder ? s.holder.name : 'vacant'}`).join('; ')}`;
  };
}
