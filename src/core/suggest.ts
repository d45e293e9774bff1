import { NAMES_WITHIN, type CommandDef, type CommandRegistry, type KnownNames, type NameKind } from './commands.ts';
import type { Db } from '../db/client.ts';
import { ConversationStore } from './conversation.ts';
import type { EventUser } from './events.ts';
import { loadEventContext } from './event-context.ts';
import { namesForTyped } from './input.ts';
import { rowsNamed } from './names.ts';

/** A known name and, for a kind in NAMES_WITHIN, the name of what it belongs to. */
type Entry = { name: string; within?: string };

/**
 * The names each forum's things are known by (election titles, partnerships, members…), from the
 * features' name sources, kept per forum and kind for `ttlMs`: the parser needs them on every
 * command that takes a name, autocomplete on every keystroke, and they seldom change. A command that
 * changes names (`CommandDef.changesNames`) or a scheduled job drops them at once on this instance
 * (see Bot and Scheduler); other instances read them again within `ttlMs`.
 */
export class NameCache {
  private readonly cache = new Map<string, { at: number; kept: Promise<{ entries: Entry[]; names: string[] }> }>();

  constructor(
    private readonly db: Db,
    private readonly registry: CommandRegistry,
    private readonly ttlMs = 5_000,
  ) {}

  private read(forumId: string, kind: NameKind) {
    const key = `${forumId}:${kind}`;
    const at = Date.now();
    const hit = this.cache.get(key);
    if (hit && at - hit.at < this.ttlMs) return hit.kept;
    // the same names array is handed out until it is read again (the parser folds each array once)
    const kept = this.registry.entriesOf(kind, this.db, forumId).then((entries) => ({ entries, names: entries.map((e) => e.name) }));
    kept.catch(() => {
      if (this.cache.get(key)?.kept === kept) this.cache.delete(key);
    });
    this.cache.set(key, { at, kept });
    if (this.cache.size > 5_000) for (const [k, v] of this.cache) if (at - v.at >= this.ttlMs) this.cache.delete(k);
    return kept;
  }

  /** The names of one kind known in a forum. */
  async namesOf(forumId: string, kind: NameKind): Promise<string[]> {
    return (await this.read(forumId, kind)).names;
  }

  /** The names of one kind known in a forum, each with what it belongs to where its feature says. */
  async entriesOf(forumId: string, kind: NameKind): Promise<Entry[]> {
    return (await this.read(forumId, kind)).entries;
  }

  /** The names of the kinds a command's arguments refer to, in one forum. */
  async forCommand(command: CommandDef, forumId: string): Promise<KnownNames> {
    const kinds = [...new Set(command.args.flatMap((a) => (a.names ? [a.names] : [])))];
    const lists = await Promise.all(kinds.map((kind) => this.namesOf(forumId, kind)));
    return Object.fromEntries(kinds.map((kind, i) => [kind, lists[i]]));
  }

  /** Names were written here (an election opened, a member approved…): read them all again. */
  forget(): void {
    this.cache.clear();
  }
}

/** What an autocomplete asks: who is typing, where, which kind of name, and what they have typed so far. */
export interface NameQuery {
  user: EventUser;
  conversation: string;
  kind: NameKind;
  typed: string;
  /** what has been chosen for the name this kind belongs to ({@link NAMES_WITHIN}): a seat's partnership, a candidate's election */
  within?: string;
}

/** Kinds anyone in the forum's channels may be offered: the public register's names. */
const PUBLIC_KINDS: readonly NameKind[] = ['election', 'partnership', 'seat'];

/**
 * Names offered while a person types an argument (Discord autocomplete, the web chat's suggestions):
 * from the forum the person acts in (the channel's forum, else their current forum), matched the way
 * the parser matches names. People, organisations and candidates are offered to the forum's active
 * members only. The names come from the {@link NameCache} the parser uses, so a keystroke costs one
 * query (who is asking, where) and seldom a list read.
 */
export class NameSuggestions {
  constructor(
    private readonly db: Db,
    private readonly names: NameCache,
    private readonly now: () => Date,
  ) {}

  async suggest(q: NameQuery, max = 25): Promise<string[]> {
    const stateKey = ConversationStore.key(q.conversation, q.user.platform, q.user.id);
    const found = await loadEventContext(this.db, q.user, q.conversation, stateKey, this.now());
    const forum = found?.forum;
    if (!forum) return [];
    if (!PUBLIC_KINDS.includes(q.kind) && found.membership?.status !== 'ACTIVE') return [];
    let entries = await this.names.entriesOf(forum.id, q.kind);
    const parentKind = NAMES_WITHIN[q.kind];
    if (parentKind && q.within?.trim()) {
      // the partnership (or election) as the command will read it; if it names none, every name is offered
      const parents = new Set(rowsNamed(await this.names.entriesOf(forum.id, parentKind), q.within, (e) => e.name).map((e) => e.name));
      if (parents.size) entries = entries.filter((e) => e.within !== undefined && parents.has(e.within));
    }
    return namesForTyped(
      q.typed,
      entries.map((e) => e.name),
      max,
    );
  }
}
