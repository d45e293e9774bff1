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
 * Why nobody can join the two
 * - The receipt code (20 characters of a 32-letter alphabet: 100 bits) is made at random when
 *   the ballot is cast, shown to the voter once, and stored nowhere. Without it the slot cannot
 *   be recomputed, so a database administrator holding every voterKey still cannot tell which
 *   slot is whose (they would have to guess 2^100 codes). The roll and the ballots share no
 *   value besides the election id.
 * - Cast order: ids are random and there are no timestamps. The physical order of rows in a
 *   table does follow insertion order, so when voting closes (before counting) the election's
 *   ballots are rewritten ordered by slot (a keyed hash, so a random order unrelated to when
 *   they were cast) and its roll ordered by voterKey, in one transaction, and the tables are
 *   vacuumed where the database allows it. A dump taken after close shows no cast order.
 *   Known limit: someone watching the database server live while voting is open (statement
 *   logs, replication stream, `ctid` of fresh rows) sees each cast as it happens; no scheme
 *   inside the database can hide that from the server's own operator.
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
