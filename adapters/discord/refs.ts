import crypto from 'node:crypto';
import type { ActionRef, Form, RankedBallot } from '../../src/core/messages.ts';

/**
 * What a Discord component stands for. A component carries a `custom_id` of at most 100
 * characters: a small reference travels inline as JSON, a large one (a form, a ballot, a long
 * action) is stored by the hash of its content and the custom_id names the hash.
 */
export type Ref =
  | { t: 'action'; action: ActionRef }
  | { t: 'select'; action: ActionRef; argName: string; values?: string[] }
  | { t: 'form'; form: Form }
  | { t: 'ballot'; ballot: RankedBallot };

/** custom_id kinds: "a" button action, "s" select, "f<step>" form step opener, "m<step>" modal, "b<rank>_<chunk>" ballot rank select, "c" ballot cast button */
export type RefKind = string;

export const CUSTOM_ID_MAX = 100;

export interface PendingRefs {
  /** refs that must be stored before the message that names them is sent */
  toStore: Map<string, Ref>;
}

const hashOf = (json: string) => crypto.createHash('sha256').update(json).digest('base64url').slice(0, 24);

/** Encodes a ref into a custom_id, inline when it fits, else by hash (recorded in `pending`). */
export function encodeRef(kind: RefKind, ref: Ref, pending: PendingRefs): string {
  const json = JSON.stringify(ref);
  const inline = `${kind}:${json}`;
  if (inline.length <= CUSTOM_ID_MAX && ref.t !== 'form' && ref.t !== 'ballot') return inline;
  const hash = hashOf(json);
  pending.toStore.set(hash, ref);
  return `${kind}:#${hash}`;
}

/** The same ref under another kind (a ballot's rank selects and its cast button share one stored ballot). */
export function rekind(customId: string, kind: RefKind): string {
  return `${kind}:${customId.slice(customId.indexOf(':') + 1)}`;
}

export interface ParsedId {
  kind: string;
  /** set when the ref travelled inline */
  inline?: Ref;
  /** set when the ref is stored */
  hash?: string;
}

export function parseCustomId(customId: string): ParsedId | undefined {
  const colon = customId.indexOf(':');
  if (colon < 1) return undefined;
  const kind = customId.slice(0, colon);
  const body = customId.slice(colon + 1);
  if (body.startsWith('#')) return { kind, hash: body.slice(1) };
  try {
    return { kind, inline: JSON.parse(body) as Ref };
  } catch {
    return undefined;
  }
}

/** Where stored refs and per-user interaction state live (the database in production). */
export interface RefStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A store for tests and for running without a database. */
export class MemoryRefStore implements RefStore {
  private readonly map = new Map<string, unknown>();
  async get<T>(key: string): Promise<T | undefined> {
    return this.map.get(key) as T | undefined;
  }
  async set(key: string, value: unknown): Promise<void> {
    this.map.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.map.delete(key);
  }
}
