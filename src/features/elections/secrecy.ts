/**
 * The secret ballot, and how it stays checkable.
 *
 * What is stored
 * - `ElectionRoll (electionId, voterKey)`: only that a voter (a person, or an organisation under
 *   the one-vote-per-organisation franchise) has voted. No time, no ballot id, no receipt.
 * - `ElectionBallot (id, electionId, slot, ranking)`: the preferences. `id` is a random UUID
 *   (version 4) made here, never a sequence; there is no created-at column; `slot` is
 *   HMAC-SHA256(key = the voter's receipt code, message = electionId "|" voterKey).
 *
 * Threat model: who can learn what (attacked in test/secrecy/, figures in the commits)
 * - Another member, or anyone on the public pages: the result, and after declaration the ballots
 *   with their slots. A slot is a keyed hash; without the voter's receipt it names nobody.
 * - An officer (returning officer included): who has voted (the roll, for turnout and reminders),
 *   never which ballot is whose, through the bot or the pages.
 * - A reader of every log line at every level (LOG_LEVEL=debug included): no receipt. Every line,
 *   the chat SDKs' own debug lines with their HTTP request bodies included, passes through one
 *   redaction filter (src/core/redact.ts); the Slack scenario suite at debug issued 7 receipts and
 *   none was found in its 534 lines (test/secrecy/logs.test.ts).
 * - A database superuser (SQL, system columns, the table files at rest, physical backups):
 *   - AFTER CLOSE: nothing links a voter to a ballot. The ballots are rewritten in slot order and
 *     the roll in hashed-key order in one transaction (so every row shares that transaction's
 *     xmin), then both tables are rewritten into new files with VACUUM FULL, so no older row
 *     version survives in them. Attack: 500 concurrent casts, close, CHECKPOINT, the raw files read
 *     with pg_read_binary_file and every copy of a voter key and a slot paired by xmin: 0 right
 *     (460 of 500 right with the plain VACUUM used before).
 *   - WHILE VOTING IS OPEN: NOT YET HELD. A cast writes its roll row and its ballot row in one
 *     statement, so they share xmin: `JOIN ... ON b.xmin = r.xmin` links every voter to their ballot
 *     (500 of 500 in the attack test, marked as a known failure). The planned fix casts into a
 *     holding table without the voter and moves ballots into ElectionBallot in shuffled batches.
 *     Until then, the secrecy of a ballot during voting rests on the database operator's trust.
 *   - Known limits beyond that: someone watching the server live (statement logs, the replication
 *     stream, the write-ahead log, filesystem blocks freed by VACUUM FULL but not overwritten) sees
 *     casts as they happen; no scheme inside the database can hide that from its own operator.
 *     Physical backups taken while voting is open hold what the live database holds then.
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
 *   voter who learns someone else's receipt cannot replace that person's ballot. The old row
 *   is deleted and a new one (new random id, new receipt, new slot) inserted in one statement.
 *   A receipt that is lost cannot be recovered, by design; the ballot it stood for still counts.
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
