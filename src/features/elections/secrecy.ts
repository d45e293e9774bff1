/**
 * The secret ballot, and how it stays checkable.
 *
 * What is stored
 * - `ElectionRoll (electionId, voterKey)`: only that a voter (a person, or an organisation under
 *   the one-vote-per-organisation franchise) has voted. No time, no ballot id, no receipt.
 * - `BallotBox (id, electionId, slot, ranking, replaces)`: the holding box. A cast writes its roll
 *   row and its ballot here in one transaction (both or neither), so for as long as a ballot is
 *   held the two rows share that transaction's xmin.
 * - `ElectionBallot (id, electionId, slot, ranking)`: the counted ballots. `id` is a random UUID
 *   (version 4) made here, never a sequence; there is no created-at column; `slot` is
 *   HMAC-SHA256(key = the voter's receipt code, message = electionId "|" voterKey).
 * - The mixing job (`elections.mix`, every minute on every instance; each minute's run is
 *   claimed by one) moves every held ballot into ElectionBallot in one transaction, in random
 *   order, deletes the counted ballots that held replacements replace, and empties the box with
 *   TRUNCATE, which gives it new, empty files: the held row versions, with their shared xmin and
 *   their content equal to the counted rows', are not left in any table file. Closing runs the
 *   last move itself before counting, so counting waits for no job.
 *
 * Threat model: who can learn what (attacked in test/secrecy/, figures in the commits)
 * - Another member, or anyone on the public pages: the result, and after declaration the ballots
 *   with their slots. A slot is a keyed hash; without the voter's receipt it names nobody.
 * - An officer (returning officer included): who has voted (the roll, for turnout and reminders),
 *   never which ballot is whose, through the bot or the pages.
 * - A reader of every log line at every level (LOG_LEVEL=debug included): no receipt. Every line,
 *   the chat SDKs' own debug lines with their HTTP request bodies included, passes through one
 *   redaction filter (src/core/redact.ts); the scenario suite at debug on Slack, Discord, Teams and
 *   the web chat issued 10 receipts on each and none was found in any log line (746 lines on
 *   Slack, 19 on Discord, 1 on each of the other two; test/secrecy/logs.test.ts).
 * - A database superuser (SQL, system columns, statistics views, the table files at rest):
 *   - WHILE VOTING IS OPEN: a ballot still held (cast within the last minute, until the next
 *     move) is linked to its voter by xmin: that is the window, at most a minute (the job's
 *     interval, plus however long a move waits for the box's lock). Once moved, a ballot's row
 *     carries the move's xmin, shared with every ballot of that batch and with no roll row; its
 *     place in the file is shuffled within the batch. So a ballot older than the window is
 *     linked to its voter no better than a guess among the voters of its minute. Attack
 *     (test/secrecy/ballot-files.test.ts, 500 casts through the bot with 50 replacements, on
 *     PostgreSQL and PGlite): the xmin join, every pair of xmin/xmax/cmin, the roll's
 *     transaction or physical order against the ballots' physical or id order, the nearest
 *     transaction before a batch (roll row or platform event record), the event records' times,
 *     commit timestamps (when track_commit_timestamp is on), every pg_stat view, and the raw
 *     files after CHECKPOINT: each at or below chance (one right per batch); the xmin join and
 *     the raw files link 450 of 500 without the box, and the raw files 275 when the box is
 *     emptied with DELETE instead of TRUNCATE. A minute with one voter is a batch of one: chance
 *     is then certainty, which is the limit of any mixing within a window.
 *   - Commit timestamps (track_commit_timestamp, off by default): where the server keeps them,
 *     any row's xmin gives its transaction's commit time. A roll row's says when its voter cast,
 *     to the millisecond (the roll is who voted, so that is what it adds); a held ballot's says
 *     the same while it is held (the window); a counted ballot's is its move's, shared by the
 *     whole batch: the minute, not the voter's moment; after close, the close's rewrite's. The
 *     attack pairs the roll and the ballots in commit-time order where the server keeps them.
 *     Anonymous breach notices hold the same way, through their own mixing job (ANONYMITY.md).
 *   - A replacement writes only to the box: the voter's transaction never touches a counted row;
 *     the move deletes the replaced ballot, in the batch's transaction.
 *   - AFTER CLOSE: nothing links a voter to a ballot. The ballots are rewritten in slot order and
 *     the roll in hashed-key order in one transaction (so every row shares that transaction's
 *     xmin), then both tables are rewritten into new files with VACUUM FULL, so no older row
 *     version survives in them. Attack: 500 concurrent casts, close, CHECKPOINT, the raw files
 *     read with pg_read_binary_file and every copy of a voter key and a slot paired by xmin: 0
 *     right (460 of 500 right with the plain VACUUM used before).
 *   - Known limits beyond that: someone watching the server live (statement logs with
 *     parameters, pg_stat_activity at the instant of a cast, the replication stream) sees casts
 *     as they happen. The write-ahead log records each cast's roll row and held ballot under the
 *     same transaction id until its segments are recycled (after a checkpoint, or kept longer by
 *     WAL archiving or a replication slot); a physical backup or WAL archive taken while voting
 *     is open holds that, and filesystem blocks freed by TRUNCATE or VACUUM FULL are not
 *     overwritten. No scheme inside the database can hide from its own operator what they
 *     record below it: trust in whoever keeps the server, its WAL archive and its backups stays.
 *
 * What nobody can do without the receipt
 * - The receipt code (20 characters of a 32-letter alphabet: 100 bits) is made at random when
 *   the ballot is cast, shown to the voter once, and stored nowhere (nor logged). Without it the
 *   slot cannot be recomputed, so a database administrator holding every voterKey still cannot
 *   tell which slot is whose from the values (they would have to guess 2^100 codes).
 * - Cast order: ids are random and there are no timestamps; close rewrites the order (above).
 * - Log lines never carry a voter next to a choice, a slot or a receipt.
 *
 * Replacing a ballot
 * - The voter gives the receipt of the ballot being replaced. The slot is recomputed from it
 *   and the voter's own voterKey, so a receipt works only for the voter it was issued to: a
 *   voter who learns someone else's receipt cannot replace that person's ballot. The new ballot
 *   (new random id, new receipt, new slot) goes into the box; a held old ballot is deleted in the
 *   same statement, a counted one is named in `replaces` (unique, so a receipt replaces once) and
 *   deleted by the next move. A receipt check shows the held or counted ballot, never a replaced one.
 *   A receipt that is lost cannot be recovered, by design; the ballot it stood for still counts.
 * - A cast cut off (the instance died, or the connection broke, after the ballot was stored and
 *   before the voter saw the receipt: the fault suite, test/faults/two-instances.test.ts, makes it
 *   happen): the voter can find out from any platform that their ballot is counted (`vote E` reads
 *   the roll and says so), but cannot replace it. Replacing without the receipt would need
 *   something that finds a voter's ballot without it: the receipt kept (or sent again from a
 *   queue, which is storing it), the slot keyed by something the database knows, or a list of
 *   the voter's ballots; each is the voter↔ballot link this design refuses to keep. Giving every
 *   voter a fresh ballot instead would count the cut-off voter twice. So the limit stays, and
 *   the answer to `vote E` says in both languages that the ballot counts, why it cannot be
 *   replaced without the receipt, and that this is what keeps the vote secret.
 * - On a platform without native ballots the text fallback keeps the ballot (and, when
 *   replacing, the receipt it was asked with) in ConversationState until the voter answers; it
 *   is deleted on the answer or when it expires.
 *
 * Checking
 * - At declaration the ballots are public record with their slots ("hash of the receipt");
 *   `receipt check` recomputes the slot from a receipt and the asker's voterKey and shows the
 *   ballot stored under it, i.e. the one that was counted.
 */
import crypto from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const RECEIPT_LENGTH = 20;

/** A fresh receipt code: 20 characters of 32 (100 bits), shown in groups of five. */
export function newReceipt(): string {
  const bytes = crypto.randomBytes(RECEIPT_LENGTH);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/** The receipt as typed: case, spaces and dashes do not matter; null when it cannot be one. */
export function normaliseReceipt(text: string): string | null {
  const clean = text.toUpperCase().replace(/[\s-]/g, '');
  if (clean.length !== RECEIPT_LENGTH || [...clean].some((c) => !ALPHABET.includes(c))) return null;
  return [0, 5, 10, 15].map((i) => clean.slice(i, i + 5)).join('-');
}

/** The ballot's slot: only the receipt's holder, acting as the same voter, can recompute it. */
export function ballotSlot(receipt: string, electionId: string, voterKey: string): string {
  return crypto.createHmac('sha256', receipt).update(`${electionId}|${voterKey}`).digest('hex');
}

export const personVoter = (personId: string) => `person:${personId}`;
export const organisationVoter = (organisationId: string) => `organisation:${organisationId}`;
