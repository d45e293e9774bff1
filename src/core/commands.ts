import { z } from 'zod';
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
  /** catalogue key describing the argument */
  help: MessageKey;
}

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
  run(ctx: CommandContext, args: Record<string, unknown>): Promise<CommandResult>;
}

export type CommandResult = OutgoingMessage | Reply | Reply[] | void;

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

export const arg = <N extends string, S extends z.ZodType>(
  name: N,
  schema: S,
  help: MessageKey,
  opts: { positional?: boolean; rest?: boolean } = {},
): ArgSpec<N, S> => ({ name, schema, help, ...opts });

/** Splits chat text into words, keeping "quoted phrases" and key="quoted values" whole. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /(\S+?=)?(?:"([^"]*)"|“([^”]*)”|'([^']*)'|(\S+))/g;
  for (const m of text.matchAll(re)) {
    const value = m[2] ?? m[3] ?? m[4] ?? m[5] ?? '';
    tokens.push((m[1] ?? '') + value);
  }
  return tokens;
}

export interface Match {
  command: CommandDef;
  locale: Locale;
  rest: string[];
}

export class CommandRegistry {
  private readonly commands: CommandDef[] = [];
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
        const words = def.names[locale].split(' ');
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

  /** Finds the command whose words start the text; the longest name wins. */
  match(text: string): Match | undefined {
    const words = tokenize(text.trim().replace(/^\/?(forumbot|fforwm)\b\s*/i, '').replace(/^\//, ''));
    const lower = words.map((w) => w.toLowerCase());
    let best: Match | undefined;
    let bestLen = 0;
    for (const name of this.namesByFirstWord.get(lower[0] ?? '') ?? []) {
      if (name.words.length > bestLen && name.words.every((w, i) => lower[i] === w)) {
        best = { command: name.command, locale: name.locale, rest: words.slice(name.words.length) };
        bestLen = name.words.length;
      }
    }
    return best;
  }
}

/** Turns the words after a command into an object of raw argument values. */
export function collectArgs(command: CommandDef, words: string[]): { raw: Record<string, unknown>; unknown: string[] } {
  const raw: Record<string, unknown> = {};
  const unknown: string[] = [];
  const positional: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    const key = eq > 0 ? word.slice(0, eq).toLowerCase() : '';
    if (key && command.args.some((a) => a.name.toLowerCase() === key)) {
      const spec = command.args.find((a) => a.name.toLowerCase() === key)!;
      raw[spec.name] = word.slice(eq + 1);
    } else {
      positional.push(word);
    }
  }
  for (const spec of command.args.filter((a) => a.positional && !(a.name in raw))) {
    if (positional.length === 0) break;
    raw[spec.name] = spec.rest ? positional.splice(0).join(' ') : positional.shift();
  }
  unknown.push(...positional);
  return { raw, unknown };
}

export type ParseResult = { ok: true; args: Record<string, unknown> } | { ok: false; problems: string[] };

/** Validates raw values against the command's zod schemas; problems are in the user's language. */
export function validateArgs(command: CommandDef, raw: Record<string, unknown>, t: Translate): ParseResult {
  const result = argsSchema(command).safeParse(raw);
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
