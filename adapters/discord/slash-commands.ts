import type { z } from 'zod';
import { NAMES_WITHIN, type ArgSpec, type ChoiceWords, type CommandDef, type NameKind } from '../../src/core/commands.ts';
import type { MessageKey, Translate } from '../../src/core/i18n.ts';
import { clip } from './render.ts';

/**
 * Discord slash commands derived from the chat commands' own declarations. Each English command is
 * a slash command with typed options (`/seat fill partnership:… seat:… person:…`): its first word
 * the command, its other words a subcommand (and group); each argument an option whose type comes
 * from the argument's zod schema (string, integer, boolean, choices for an enum, a date or time as a
 * string that says which forms it takes), required as the schema says, names of things offered by
 * autocomplete. The bot turns the options back into the command's text (`seat fill partnership="…"
 * …`), so the one core parser reads every platform's input alike.
 *
 * Discord has no Welsh locale (its list has no `cy`, and it refuses a payload naming one), so
 * localised names cannot carry Welsh: the Welsh first words stay commands taking the rest as text
 * (`/sedd text:llenwi …`), as does `/forumbot text:…` for any command in either language. A choice
 * shows the word its argument declares for its code (`choices`) in both languages ("Elected /
 * Etholwyd"), the bot's language first; its value stays the code.
 */
export const CATCH_ALL = 'forumbot';
export const TEXT_OPTION = 'text';
/** Discord's limit on global chat-input commands per application */
export const MAX_COMMANDS = 100;
const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

export const OptionType = { Subcommand: 1, SubcommandGroup: 2, String: 3, Integer: 4, Boolean: 5, Number: 10 } as const;

export interface SlashOption {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  options?: SlashOption[];
  choices?: { name: string; value: string }[];
  autocomplete?: boolean;
  min_value?: number;
  max_value?: number;
  max_length?: number;
}

export interface SlashCommand {
  name: string;
  description: string;
  type: 1;
  contexts: number[];
  integration_types: number[];
  options: SlashOption[];
}

/** An interaction's command data as the gateway delivers it (options nested under subcommands). */
export interface CommandData {
  name?: string;
  options?: { name: string; type: number; value?: unknown; focused?: boolean; options?: CommandData['options'] }[];
}

/**
 * The option an autocomplete interaction asks about: the kind of name and what has been typed, and
 * what is already chosen for the name it belongs to (the seat's partnership, the candidate's election).
 */
export interface Focused {
  kind: NameKind;
  typed: string;
  within?: string;
}

/** How an argument's schema shows on Discord. */
type Shape =
  | { type: 3; max_length?: number; choices?: string[]; form?: 'date' | 'time' }
  | { type: 4 | 10; min_value?: number; max_value?: number }
  | { type: 5 };

/** zod's schema as it describes itself (the classic API's minValue, maxValue, isInt, maxLength) */
type Def = { _zod: { def: Record<string, unknown> & { type: string } }; minValue?: number | null; maxValue?: number | null; isInt?: boolean; maxLength?: number | null };

/** The schema under optional/default/preprocess wrappers: what a value must finally be. */
function baseOf(schema: z.ZodType): Def {
  let s = schema as unknown as Def;
  for (let guard = 0; guard < 20; guard++) {
    const def = s._zod.def;
    if (['optional', 'default', 'prefault', 'nullable', 'nonoptional', 'readonly', 'catch'].includes(def.type)) s = def.innerType as Def;
    else if (def.type === 'pipe') s = ((def.in as Def)._zod.def.type === 'transform' ? def.out : def.in) as Def;
    else break;
  }
  return s;
}

const DATE_YES = ['2027-01-15', '2099-12-31'];
const TIME_YES = ['14:00', '09:30'];
const NOT_DATE = ['zzzz', 'abcdef-123456', '12345678'];
const accepts = (schema: z.ZodType, values: string[]) => values.some((v) => schema.safeParse(v).success);
const refuses = (schema: z.ZodType, values: string[]) => values.every((v) => !schema.safeParse(v).success);

/** The Discord option type of an argument, read from its zod schema. */
export function shapeOf(schema: z.ZodType): Shape {
  const base = baseOf(schema);
  const def = base._zod.def;
  if (def.type === 'boolean') return { type: 5 };
  if (def.type === 'enum') {
    const values = Object.values(def.entries as Record<string, string>).map(String);
    // yes/no, in either language, is a boolean (sent back as "yes" or "no")
    if (values.includes('yes') && values.includes('no') && values.every((v) => ['yes', 'no', 'ie', 'na'].includes(v))) return { type: 5 };
    return values.length <= 25 ? { type: 3, choices: values } : { type: 3 };
  }
  if (def.type === 'number') {
    const { minValue, maxValue } = base;
    const range = { ...(Number.isFinite(minValue) ? { min_value: minValue! } : {}), ...(Number.isFinite(maxValue) ? { max_value: maxValue! } : {}) };
    return { type: base.isInt ? 4 : 10, ...range };
  }
  if (refuses(schema, NOT_DATE)) {
    if (accepts(schema, DATE_YES) && refuses(schema, ['2027-13-45'])) return { type: 3, form: 'date' };
    if (accepts(schema, TIME_YES) && refuses(schema, ['25:99'])) return { type: 3, form: 'time' };
  }
  const max = def.type === 'string' ? base.maxLength : undefined;
  return { type: 3, ...(typeof max === 'number' && max <= 6000 ? { max_length: max } : {}) };
}

const FORM_KEYS = { date: 'core.option.date', time: 'core.option.time' } as const satisfies Record<string, MessageKey>;

/** Discord option names are lower case. */
const optionName = (spec: ArgSpec) => spec.name.toLowerCase();

const capital = (word: string) => word.charAt(0).toLocaleUpperCase() + word.slice(1);

/**
 * An argument's choices, each code once under the word its argument declares for it, in the bot's
 * language and then the other (`also`) where that differs; codes that share a word (a Welsh spelling,
 * `enwol`, and its English twin) are one choice, the first.
 */
export function choicesOf(codes: readonly string[], words: ChoiceWords | undefined, t: Translate, also?: Translate): { name: string; value: string }[] {
  const seen = new Set<string>();
  const out: { name: string; value: string }[] = [];
  for (const code of codes) {
    const key = words?.[code];
    if (key && seen.has(key)) continue;
    if (key) seen.add(key);
    const first = key ? capital(t(key)) : code;
    const second = key && also ? capital(also(key)) : first;
    out.push({ name: clip(second === first ? first : `${first} / ${second}`, 100), value: code });
  }
  return out;
}

/** The typed options of one command: required first, as Discord asks. */
export function optionsOf(def: CommandDef, t: Translate, also?: Translate): SlashOption[] {
  const out = def.args.map((spec) => {
    const shape = shapeOf(spec.schema);
    const help = t(spec.help);
    const description = shape.type === 3 && shape.form ? `${help} (${t(FORM_KEYS[shape.form])})` : help;
    const option: SlashOption = { type: shape.type, name: optionName(spec), description: clip(description, 100), required: !spec.schema.safeParse(undefined).success };
    if (shape.type === 3) {
      if (shape.choices) option.choices = choicesOf(shape.choices, spec.choices, t, also);
      else if (spec.names) option.autocomplete = true;
      if (shape.max_length) option.max_length = shape.max_length;
    } else if (shape.type !== 5) {
      if (shape.min_value !== undefined) option.min_value = shape.min_value;
      if (shape.max_value !== undefined) option.max_value = shape.max_value;
    }
    return option;
  });
  return [...out.filter((o) => o.required), ...out.filter((o) => !o.required)].slice(0, 25);
}

const text = (description: string, required: boolean): SlashOption => ({ type: 3, name: TEXT_OPTION, description: clip(description, 100), required, max_length: 6000 });

/** A value as the core parser reads it whole: quoted with a kind of quote it does not contain. */
function quoted(value: string): string {
  for (const [open, close] of [['"', '"'], ['“', '”'], ['‘', '’'], ["'", "'"]]) {
    if (!value.includes(close)) return `${open}${value}${close}`;
  }
  return `"${value.replaceAll('"', '”')}"`;
}

/**
 * The slash commands for a registry's commands (payload for Discord's bulk overwrite), and the way
 * back from an interaction to command text and to the name kind an autocomplete asks for.
 */
export class SlashCommandSet {
  readonly payload: SlashCommand[] = [];
  /** "seat fill" → the command: the path of names an interaction carries */
  private readonly byPath = new Map<string, CommandDef>();
  private readonly textWords = new Set<string>([CATCH_ALL]);

  /** `t` the bot's language, `also` the other one, shown beside it in choices */
  constructor(commands: readonly CommandDef[], t: Translate, also?: Translate) {
    const base = { type: 1 as const, contexts: [0, 1], integration_types: [0] };
    this.payload.push({ ...base, name: CATCH_ALL, description: clip(t('core.help.intro'), 100), options: [text(t('core.help.usage'), true)] });
    const visible = commands.filter((c) => !c.hidden);
    // English: typed options, grouped by first word
    const byFirst = new Map<string, { def: CommandDef; rest: string[] }[]>();
    for (const def of visible) {
      const [first, ...rest] = def.names.en.toLowerCase().split(' ');
      if (!NAME.test(first) || first === CATCH_ALL || !rest.every((w) => NAME.test(w))) continue;
      byFirst.set(first, [...(byFirst.get(first) ?? []), { def, rest }]);
    }
    for (const [first, list] of byFirst) {
      if (list.length === 1 && list[0].rest.length === 0) {
        this.payload.push({ ...base, name: first, description: clip(t(list[0].def.summary), 100), options: optionsOf(list[0].def, t, also) });
        this.byPath.set(first, list[0].def);
        continue;
      }
      const options: SlashOption[] = [];
      const groups = new Map<string, SlashOption>();
      for (const { def, rest } of list) {
        // a bare command beside its longer siblings ("tenders" and "tenders subscribe") is the subcommand of its own word
        const [sub = first, ...more] = rest;
        const leaf = more.join('-');
        const entry: SlashOption = { type: OptionType.Subcommand, name: leaf || sub, description: clip(t(def.summary), 100), options: optionsOf(def, t, also) };
        if (!leaf) {
          options.push(entry);
          this.byPath.set([first, sub].join(' '), def);
          continue;
        }
        let group = groups.get(sub);
        if (!group) {
          group = { type: OptionType.SubcommandGroup, name: sub, description: '', options: [] };
          groups.set(sub, group);
          options.push(group);
        }
        group.options!.push(entry);
        group.description = clip(group.options!.map((o) => `${sub} ${o.name}`).join(' · '), 100);
        this.byPath.set([first, sub, leaf].join(' '), def);
      }
      const description = clip(list.map(({ def }) => def.names.en).join(' · '), 100);
      this.payload.push({ ...base, name: first, description, options: options.slice(0, 25) });
    }
    // Welsh: the first words as text commands, as Discord has no Welsh locale
    const welsh = new Map<string, CommandDef[]>();
    for (const def of visible) {
      const word = def.names.cy.split(' ')[0].toLowerCase();
      if (!NAME.test(word) || word === CATCH_ALL || byFirst.has(word)) continue;
      welsh.set(word, [...(welsh.get(word) ?? []), def]);
    }
    for (const [word, list] of welsh) {
      if (this.payload.length >= MAX_COMMANDS) break;
      const description = list.length === 1 ? t(list[0].summary) : list.map((d) => d.names.cy).join(' · ');
      const needsText = list.every((d) => d.names.cy.toLowerCase() !== word);
      this.payload.push({ ...base, name: word, description: clip(description, 100), options: [text(list.map((d) => d.names.cy).join(' | '), needsText)] });
      this.textWords.add(word);
    }
    if (this.payload.length > MAX_COMMANDS) this.payload.length = MAX_COMMANDS;
  }

  /** The command and its options an interaction names: `/seat fill …` → the "seat fill" command. */
  private resolve(data: CommandData): { def: CommandDef; options: NonNullable<CommandData['options']> } | undefined {
    const path = [data.name ?? ''];
    let options = data.options ?? [];
    while (options.length === 1 && (options[0].type === OptionType.Subcommand || options[0].type === OptionType.SubcommandGroup)) {
      path.push(options[0].name);
      options = options[0].options ?? [];
    }
    const def = this.byPath.get(path.join(' '));
    return def && { def, options };
  }

  /**
   * The command text an interaction stands for: "/seat fill partnership:X person:Y" → `seat fill
   * partnership="X" person="Y"`; "/sedd text:llenwi …" → "sedd llenwi …"; "/forumbot text:…" → the text.
   */
  textOf(data: CommandData): string {
    const name = data.name ?? '';
    // a text command, or one Discord still shows as registered before (`/seat text:…`): read it as text
    const found = this.textWords.has(name) ? undefined : this.resolve(data);
    if (!found) {
      const rest = String(data.options?.find((o) => o.name === TEXT_OPTION)?.value ?? '').trim();
      if (name === CATCH_ALL) return rest;
      return rest ? `${name} ${rest}` : name;
    }
    const parts = [found.def.names.en];
    for (const o of found.options) {
      const spec = found.def.args.find((a) => optionName(a) === o.name);
      if (!spec || o.value === undefined || o.value === null) continue;
      const value = typeof o.value === 'boolean' ? (o.value ? 'yes' : 'no') : String(o.value);
      parts.push(`${spec.name}=${quoted(value)}`);
    }
    return parts.join(' ');
  }

  /**
   * The name kind and typed text an autocomplete interaction asks about, if its option names things;
   * Discord sends the other options' values too, so a seat is looked for within the partnership
   * already chosen, a candidate within the election.
   */
  focusedOf(data: CommandData): Focused | undefined {
    const found = this.resolve(data);
    const option = found?.options.find((o) => o.focused);
    const spec = option && found!.def.args.find((a) => optionName(a) === option.name);
    if (!spec?.names) return undefined;
    const parent = NAMES_WITHIN[spec.names];
    const parentSpec = parent && found!.def.args.find((a) => a.names === parent);
    const chosen = parentSpec && found!.options.find((o) => o.name === optionName(parentSpec))?.value;
    const within = typeof chosen === 'string' && chosen.trim() ? chosen.trim() : undefined;
    return { kind: spec.names, typed: String(option!.value ?? ''), ...(within ? { within } : {}) };
  }
}

/** The slash commands for these chat commands, the catch-all first; at most Discord's limit. */
export function slashCommandsFor(commands: readonly CommandDef[], t: Translate, also?: Translate): SlashCommandSet {
  return new SlashCommandSet(commands, t, also);
}
