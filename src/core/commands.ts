import { distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { dateTimeReadings } from './dates.ts';
import { fold, longestKnownPrefix, optionLength, optionReading } from './input.ts';
import type { CommandGroup, Locale, MessageKey, Translate } from './i18n.ts';
import type { CommandContext } from './context.ts';
import type { OutgoingMessage, Reply } from './messages.ts';

/** Who may run a command. Forum roles are checked against the member's roles in that forum. */
export type Permission = 'anyone' | 'member' | 'representative' | 'officer' | 'returning_officer';

export interface ArgSpec<N extends string = string, S extends z.ZodType = z.ZodType> {
  name: N;
  /** zod schema of the value; strings arrive from chat and are coerced by the schema */
  schema: S;
  /** filled from the words after the command, in order; `rest` takes all remaining words */
  positional?: boolean;
  rest?: boolean;
  /**
   * the value names a known thing (an election, a partnership…): typed without quotes, the longest
   * known name is taken from the words and the rest go on to the next argument
   */
  names?: NameKind;
  /**
   * the value is a code from a fixed list (`method` = `scottish-stv`): the word (catalogue key) a
   * platform shows for each code, so none is shown as its code. Spellings of one code in either
   * language (`named`, `enwol`) share a word and are offered once.
   */
  choices?: ChoiceWords;
  /** catalogue key describing the argument */
  help: MessageKey;
}

/** Each code of an argument's fixed list mapped to the word shown for it. */
export type ChoiceWords<Code extends string = string> = Readonly<Record<Code, MessageKey>>;

export interface CommandDef {
  /** the words that invoke it, per language: { en: 'seat add', cy: 'sedd ychwanegu' } */
  names: Record<Locale, string>;
  /** a feature's group, used to order help (its heading is the key core.help.group.<group>) */
  group: CommandGroup;
  /** catalogue key of a one-line description */
  summary: MessageKey;
  args: readonly ArgSpec[];
  /** example invocations (English and Welsh command words) */
  examples: Record<Locale, string[]>;
  permission: Permission;
  /** the command acts within a forum (chosen from the channel or the person's current forum) */
  needsForum: boolean;
  /** hidden from help (buttons and form submissions only) */
  hidden?: boolean;
  /**
   * it may add, rename or remove names the parser knows (an election's title, a partnership, an active
   * member, a running election's candidate…): the cached names are dropped once it has run (see NameCache)
   */
  changesNames?: boolean;
  run(ctx: CommandContext, args: Record<string, unknown>): Promise<CommandResult>;
}

export type CommandResult = OutgoingMessage | Reply | Reply[] | void;

/** The kinds of named things an argument can refer to; features say where the names come from. */
export type NameKind = 'election' | 'partnership' | 'person' | 'organisation' | 'seat' | 'candidate';
/** The names of each kind known in the forum at hand. */
export type KnownNames = Partial<Record<NameKind, readonly string[]>>;
/** A name and the name of what it belongs to: a seat's partnership, a candidate's election. */
export interface NameWithin {
  name: string;
  within: string;
}
/**
 * Where a feature finds the names of one kind in a forum (e.g. its elections' titles); a kind in
 * {@link NAMES_WITHIN} gives each name with what it belongs to.
 */
export type NameSource = (db: import('../db/client.ts').Db, forumId: string) => Promise<readonly (string | NameWithin)[]>;
/** Kinds whose names belong to a name of another kind: once that one is chosen, only its names are offered. */
export const NAMES_WITHIN: Partial<Record<NameKind, NameKind>> = { seat: 'partnership', candidate: 'election' };

/**
 * The object `run` receives for a list of argument specs: each name mapped to its schema's
 * output type (`a.x: string | undefined` for an optional `x`).
 */
export type ArgsOf<Specs extends readonly ArgSpec[]> = {
  [Spec in Specs[number] as Spec['name']]: z.output<Spec['schema']>;
};

/** Declares a command; `run`'s argument type is inferred from the specs' zod schemas. */
export function defineCommand<const Specs extends readonly ArgSpec[]>(
  def: Omit<CommandDef, 'args' | 'run'> & {
    args: Specs;
    run(ctx: CommandContext, args: ArgsOf<Specs>): Promise<CommandResult>;
  },
): CommandDef {
  return def as unknown as CommandDef;
}

interface ArgOptions {
  positional?: boolean;
  rest?: boolean;
  names?: NameKind;
}

/**
 * The codes a schema takes from a fixed list (`'av' | 'fptp' | …`), or never: free text, a number,
 * or yes/no (platforms show that as a boolean, with no words). A list behind `z.preprocess` is
 * hidden from the type (its input is `unknown`); its words are still checked by the Discord tests.
 */
type CodesOf<S extends z.ZodType> =
  Exclude<z.input<S>, undefined> extends infer C extends string
    ? string extends C ? never : [C] extends ['yes' | 'no' | 'ie' | 'na'] ? ('yes' | 'no' extends C ? never : C) : C
    : never;

/** An argument's options: `choices`, a word for every code, is required where the schema takes codes from a fixed list. */
type ArgOptionsFor<S extends z.ZodType> = [CodesOf<S>] extends [never]
  ? [opts?: ArgOptions & { choices?: ChoiceWords }]
  : [opts: ArgOptions & { choices: ChoiceWords<CodesOf<S>> }];

/** Declares an argument; one that takes codes from a fixed list must name a word for each (`choices`). */
export const arg = <N extends string, S extends z.ZodType>(name: N, schema: S, help: MessageKey, ...[opts]: ArgOptionsFor<S>): ArgSpec<N, S> => ({
  name,
  schema,
  help,
  ...opts,
});

/** One typed word: a `key=` it starts with, its text, and whether it was "quoted" (so it is one value, whole). */
export interface Word {
  key?: string;
  value: string;
  quoted: boolean;
}

/**
 * Splits chat text into words, keeping "quoted phrases" and key="quoted values" whole. Straight,
 * curly (“…”, ‘…’) and single quotes all quote; an apostrophe inside a word (sy'n, a’r) does not.
 */
export function words(text: string): Word[] {
  const out: Word[] = [];
  const re = /(\S+?=)?(?:"([^"]*)"|“([^”]*)”|‘([^’]*)’|'([^']*)'|(\S+))/g;
  for (const m of text.matchAll(re)) {
    const quoted = m[6] === undefined;
    out.push({ key: m[1]?.slice(0, -1), value: m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? '', quoted });
  }
  return out;
}

const wordText = (w: Word) => (w.key !== undefined ? `${w.key}=${w.value}` : w.value);

/** Splits chat text into words as strings (`key=value` kept together). */
export function tokenize(text: string): string[] {
  return words(text).map(wordText);
}

export interface Match {
  command: CommandDef;
  locale: Locale;
  rest: Word[];
}

/** The command prefix a platform may put first ("/forumbot", "fforwm"). */
const stripPrefix = (text: string) => text.trim().replace(/^\/?(forumbot|fforwm)\b\s*/i, '').replace(/^\//, '');

export class CommandRegistry {
  private readonly commands: CommandDef[] = [];
  private readonly nameSources = new Map<NameKind, NameSource[]>();
  /** each command's names split into words, found by their first word (matching runs per message) */
  private readonly namesByFirstWord = new Map<string, { command: CommandDef; locale: Locale; words: string[] }[]>();

  add(...defs: CommandDef[]): void {
    for (const def of defs) {
      for (const existing of this.commands) {
        for (const l of ['en', 'cy'] as const) {
          if (existing.names.en === def.names[l] || existing.names.cy === def.names[l]) {
            throw new Error(`command name used twice: ${def.names[l]}`);
          }
        }
      }
      this.commands.push(def);
      for (const locale of ['en', 'cy'] as const) {
        const words = fold(def.names[locale]).split(' ');
        const list = this.namesByFirstWord.get(words[0]) ?? [];
        list.push({ command: def, locale, words });
        this.namesByFirstWord.set(words[0], list);
      }
    }
  }

  all(): readonly CommandDef[] {
    return this.commands;
  }

  byName(name: string): CommandDef | undefined {
    return this.commands.find((c) => c.names.en === name || c.names.cy === name);
  }

  /**
   * Finds the command whose words start the text; the longest name wins. Case, accents and the kind
   * of apostrophe do not matter (`pwy sy'n cynrychioli` is `pwy sy’n cynrychioli`).
   */
  match(text: string): Match | undefined {
    // "fforwm creu …" is the Welsh "forum create", not the prefix "fforwm" before "creu"
    return this.matchWords(words(text.trim().replace(/^\//, ''))) ?? this.matchWords(words(stripPrefix(text)));
  }

  private matchWords(typed: Word[]): Match | undefined {
    const folded = typed.map((w) => fold(wordText(w)));
    let best: Match | undefined;
    let bestLen = 0;
    for (const name of this.namesByFirstWord.get(folded[0] ?? '') ?? []) {
      if (name.words.length > bestLen && name.words.every((w, i) => folded[i] === w)) {
        best = { command: name.command, locale: name.locale, rest: typed.slice(name.words.length) };
        bestLen = name.words.length;
      }
    }
    return best;
  }

  /**
   * Commands a mistyped text probably meant ("nominte Health Board" → "nominate Health Board"), each
   * with the rest of the text as typed; closest first, at most three. Empty when nothing is close.
   */
  suggest(text: string): string[] {
    const typed = stripPrefix(text).split(/\s+/).filter(Boolean);
    const found: { text: string; d: number }[] = [];
    for (const c of this.commands) {
      if (c.hidden) continue;
      for (const locale of ['en', 'cy'] as const) {
        const name = fold(c.names[locale]);
        const n = name.split(' ').length;
        if (typed.length < n) continue;
        const d = distance(fold(typed.slice(0, n).join(' ')), name);
        if (d > 0 && d <= (name.length <= 5 ? 1 : 2)) found.push({ text: [c.names[locale], ...typed.slice(n)].join(' '), d });
      }
    }
    return [...new Set(found.sort((a, b) => a.d - b.d).map((f) => f.text))].slice(0, 3);
  }

  /** A feature's source of names of one kind (see {@link ArgSpec.names}). */
  addNames(kind: NameKind, source: NameSource): void {
    this.nameSources.set(kind, [...(this.nameSources.get(kind) ?? []), source]);
  }

  /** The names of one kind known in a forum, from every feature that has them, each with what it belongs to where its feature says. */
  async entriesOf(kind: NameKind, db: import('../db/client.ts').Db, forumId: string): Promise<{ name: string; within?: string }[]> {
    const lists = await Promise.all((this.nameSources.get(kind) ?? []).map((source) => source(db, forumId)));
    return lists.flat().map((n) => (typeof n === 'string' ? { name: n } : n));
  }
}

/**
 * Turns the words after a command into an object of raw argument values. Quotes are optional:
 * - a positional argument that names something takes the longest known name from the words
 *   (`nominate Health Board 2027 Amira Khan`); one that matches none takes the words up to where the
 *   next argument's known name starts, or all of them if nothing else needs them;
 * - an unquoted `key=value` goes on over the following words up to the next `key=` (`by=Powys County
 *   Council`), unless they are the command's own words (a key given before them): then a name or
 *   date is taken from the start (`partnership=Health Board what we heard`, `from=15 Jan 2027`).
 */
export function collectArgs(
  command: CommandDef,
  typed: readonly (Word | string)[],
  known: KnownNames = {},
  now: Date = new Date(),
): { raw: Record<string, unknown>; unknown: string[] } {
  const list: Word[] = typed.map((w) => (typeof w === 'string' ? { value: w, quoted: false } : w));
  const specOf = (key: string | undefined) => (key === undefined ? undefined : command.args.find((a) => a.name.toLowerCase() === key.toLowerCase()));
  const isKey = (w: Word) => !!specOf(w.key);
  const hasPositional = command.args.some((a) => a.positional);
  const raw: Record<string, unknown> = {};
  const positional: string[] = [];
  let i = 0;
  while (i < list.length && !isKey(list[i])) positional.push(wordText(list[i++]));
  const lead = positional.length;
  while (i < list.length) {
    const word = list[i++];
    const spec = specOf(word.key)!;
    const tail: string[] = [];
    while (i < list.length && !isKey(list[i])) tail.push(wordText(list[i++]));
    let take = 0;
    if (!word.quoted) {
      const names = spec.names && known[spec.names];
      const nameLength = names ? longestKnownPrefix([word.value, ...tail], names) : 0;
      if (nameLength) take = nameLength - 1;
      else if (!hasPositional || lead > 0) take = tail.length;
      else take = optionLength([word.value, ...tail]) === 2 ? 1 : dateLength(word.value, tail, now);
    }
    raw[spec.name] = [word.value, ...tail.slice(0, take)].join(' ');
    positional.push(...tail.slice(take));
  }
  const specs = command.args.filter((a) => a.positional && !(a.name in raw));
  specs.forEach((spec, index) => {
    if (positional.length === 0) return;
    if (spec.rest) {
      raw[spec.name] = positional.splice(0).join(' ');
      return;
    }
    const names = spec.names && known[spec.names];
    const exact = names ? longestKnownPrefix(positional, names) : 0;
    if (exact) {
      raw[spec.name] = positional.splice(0, exact).join(' ');
      return;
    }
    // no known name: stop where the next argument's known name starts, else take what no one else needs
    const next = specs[index + 1];
    const nextNames = next?.names && known[next.names];
    const start = nextNames ? positional.findIndex((_, j) => j > 0 && longestKnownPrefix(positional.slice(j), nextNames) > 0) : -1;
    const laterNeeded = specs.slice(index + 1).some((s) => !s.schema.safeParse(undefined).success);
    const count = start > 0 ? start : names && !laterNeeded ? positional.length : Math.max(1, optionLength(positional));
    raw[spec.name] = positional.splice(0, count).join(' ');
  });
  return { raw, unknown: positional };
}

/** How many of the following words continue a date or time begun by `first` ("15" "Jan" "2027"). */
function dateLength(first: string, tail: string[], now: Date): number {
  for (let n = Math.min(3, tail.length); n > 0; n--) {
    if (dateTimeReadings([first, ...tail.slice(0, n)].join(' '), now).length) return n;
  }
  return 0;
}

export type ParseResult = { ok: true; args: Record<string, unknown> } | { ok: false; problems: string[] };

/**
 * Validates raw values against the command's zod schemas; problems are in the user's language.
 * A value its schema refuses that is a Welsh or English answer word (`ie`, `nac oes`, `naddo`,
 * `wythnosol`: see `optionReading`) or reads as a UK date or time (`15/01/2027`, `15 Ionawr 2027`,
 * `tomorrow`, `2pm`) is tried again in the form the schema takes (`no`, `2027-01-15`, `14:00`).
 */
export function validateArgs(command: CommandDef, raw: Record<string, unknown>, t: Translate, now: Date = new Date()): ParseResult {
  const schema = argsSchema(command);
  let result = schema.safeParse(raw);
  if (!result.success) {
    const retried = { ...raw };
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? '');
      const value = raw[name];
      const spec = command.args.find((a) => a.name === name);
      if (!spec || typeof value !== 'string') continue;
      // Welsh and English answer words for the option (`nac oes` → `no`, `wythnosol` → `digest`), then dates
      const reading = [optionReading(value), ...dateTimeReadings(value, now)].find((r) => r !== undefined && spec.schema.safeParse(r).success);
      if (reading) retried[name] = reading;
    }
    result = schema.safeParse(retried);
  }
  if (result.success) return { ok: true, args: result.data as Record<string, unknown> };
  return { ok: false, problems: result.error.issues.map((issue) => describeIssue(issue, t)) };
}

// a command's arguments as one schema, made once: building a zod object costs more than using it
const schemas = new WeakMap<CommandDef, z.ZodType>();

function argsSchema(command: CommandDef): z.ZodType {
  let schema = schemas.get(command);
  if (!schema) {
    const shape: Record<string, z.ZodType> = {};
    for (const spec of command.args) shape[spec.name] = spec.schema;
    schema = z.object(shape);
    schemas.set(command, schema);
  }
  return schema;
}

/** The types and formats zod names that our schemas use, in words. */
const TYPE_KEYS = { string: 'core.type.string', number: 'core.type.number', boolean: 'core.type.boolean', date: 'core.type.date' } as const satisfies Record<string, MessageKey>;
const FORMAT_KEYS = { date: 'core.format.date', email: 'core.format.email', url: 'core.format.url', regex: 'core.format.regex' } as const satisfies Record<string, MessageKey>;

function describeIssue(issue: z.core.$ZodIssue, t: Translate): string {
  const name = String(issue.path[0] ?? '');
  // a schema may carry its own catalogue key as the message, e.g. z.string().regex(re, 'core.arg.date')
  // (zod types a message as a string; the catalogue test checks every key written in the sources)
  if (/^[a-z]+\.[\w.]+$/.test(issue.message)) return t(issue.message as MessageKey, { name });
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === ''
        ? t('core.arg.missing', { name })
        : t('core.arg.invalidType', { name, expected: issue.expected in TYPE_KEYS ? t(TYPE_KEYS[issue.expected as keyof typeof TYPE_KEYS]) : issue.expected });
    case 'too_small':
      return issue.origin === 'string'
        ? t('core.arg.tooShort', { name, min: Number(issue.minimum) })
        : t('core.arg.tooSmall', { name, min: Number(issue.minimum) });
    case 'too_big':
      return issue.origin === 'string'
        ? t('core.arg.tooLong', { name, max: Number(issue.maximum) })
        : t('core.arg.tooBig', { name, max: Number(issue.maximum) });
    case 'invalid_value':
      return t('core.arg.oneOf', { name, options: issue.values.map(String).join(', ') });
    case 'invalid_format':
      return t('core.arg.format', { name, format: issue.format in FORMAT_KEYS ? t(FORMAT_KEYS[issue.format as keyof typeof FORMAT_KEYS]) : issue.format });
    default:
      return t('core.arg.invalid', { name });
  }
}

/** "seat add <partnership> <label> [method=…]" in the user's language. */
export function usage(command: CommandDef, locale: Locale): string {
  const parts = [command.names[locale]];
  for (const spec of command.args) {
    const optional = spec.schema.safeParse(undefined).success;
    const shown = spec.positional ? `<${spec.name}${spec.rest ? '…' : ''}>` : `${spec.name}=…`;
    parts.push(optional ? `[${shown}]` : shown);
  }
  return parts.join(' ');
}

/** Common argument schemas. */
export const zDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'core.arg.date')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'core.arg.date')
  .transform((s) => new Date(`${s}T00:00:00Z`));
/** A comma-separated list: "health, environment" → ["health", "environment"]. */
export const zList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
export const zInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
