import {
  SlashCommandBooleanOption,
  SlashCommandBuilder,
  SlashCommandIntegerOption,
  SlashCommandNumberOption,
  SlashCommandStringOption,
  SlashCommandSubcommandBuilder,
  SlashCommandSubcommandGroupBuilder,
} from '@discordjs/builders';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../src/app.ts';
import { arg, CommandRegistry, defineCommand, words, zDate, zInt } from '../../src/core/commands.ts';
import type { Db } from '../../src/db/client.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { choicesOf, OptionType, optionsOf, shapeOf, slashCommandsFor, type SlashOption } from './slash-commands.ts';

/**
 * The registration payload is checked by discord.js's own builders (@discordjs/builders validates
 * names, descriptions, counts and choices as Discord does), plus the limits they leave out: option
 * order (required first), Discord's 100 commands and 8,000 characters a command.
 */
const app = createApp({ db: {} as Db, log: silentLogger });
const en = app.services.i18n.translator('en');
const cy = app.services.i18n.translator('cy');
const set = slashCommandsFor(app.bot.registry.all(), en, cy);

type Builder = { addStringOption: Function; addIntegerOption: Function; addNumberOption: Function; addBooleanOption: Function };
function addOption(to: Builder, o: SlashOption): void {
  const common = <T extends { setName(n: string): T; setDescription(d: string): T; setRequired(r: boolean): T }>(b: T) => b.setName(o.name).setDescription(o.description).setRequired(!!o.required);
  if (o.type === OptionType.String) {
    const b = common(new SlashCommandStringOption());
    if (o.choices) b.addChoices(...o.choices);
    if (o.autocomplete) b.setAutocomplete(true);
    if (o.max_length !== undefined) b.setMaxLength(o.max_length);
    to.addStringOption(b);
  } else if (o.type === OptionType.Integer || o.type === OptionType.Number) {
    const b = common(o.type === OptionType.Integer ? new SlashCommandIntegerOption() : new SlashCommandNumberOption());
    if (o.min_value !== undefined) b.setMinValue(o.min_value);
    if (o.max_value !== undefined) b.setMaxValue(o.max_value);
    if (o.type === OptionType.Integer) to.addIntegerOption(b);
    else to.addNumberOption(b);
  } else if (o.type === OptionType.Boolean) to.addBooleanOption(common(new SlashCommandBooleanOption()));
  else throw new Error(`unexpected option type ${o.type} (${o.name})`);
}
function subcommand(o: SlashOption): SlashCommandSubcommandBuilder {
  const b = new SlashCommandSubcommandBuilder().setName(o.name).setDescription(o.description);
  for (const x of o.options ?? []) addOption(b as unknown as Builder, x);
  return b;
}

/** Discord counts the characters of names, descriptions and choice values of a command and all its options. */
function characters(o: { name: string; description: string; options?: SlashOption[]; choices?: { name: string; value: string }[] }): number {
  return o.name.length + o.description.length + (o.choices ?? []).reduce((n, c) => n + c.name.length + String(c.value).length, 0) + (o.options ?? []).reduce((n, x) => n + characters(x), 0);
}

describe('Discord slash commands derived from the command registry', () => {
  it('every command passes @discordjs/builders’ validation and rebuilds to the same payload', () => {
    expect(set.payload.length).toBeGreaterThan(40);
    expect(set.payload.length).toBeLessThanOrEqual(100);
    for (const c of set.payload) {
      const b = new SlashCommandBuilder().setName(c.name).setDescription(c.description).setContexts(...c.contexts).setIntegrationTypes(...c.integration_types);
      for (const o of c.options) {
        if (o.type === OptionType.Subcommand) b.addSubcommand(subcommand(o));
        else if (o.type === OptionType.SubcommandGroup) {
          const g = new SlashCommandSubcommandGroupBuilder().setName(o.name).setDescription(o.description);
          for (const s of o.options ?? []) g.addSubcommand(subcommand(s));
          b.addSubcommandGroup(g);
        } else addOption(b as unknown as Builder, o);
      }
      expect(JSON.parse(JSON.stringify(b.toJSON())), c.name).toMatchObject(JSON.parse(JSON.stringify(c)));
      expect(characters(c), c.name).toBeLessThanOrEqual(8000);
    }
    expect(new Set(set.payload.map((c) => c.name)).size).toBe(set.payload.length);
  });

  it('the check catches a payload Discord refuses', () => {
    expect(() => new SlashCommandBuilder().setName('Seat').setDescription('x')).toThrow(); // upper case
    expect(() => new SlashCommandStringOption().setName('x').setDescription('d'.repeat(101))).toThrow();
    expect(() => new SlashCommandStringOption().setName('x').setDescription('d').addChoices(...Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` })))).toThrow();
  });

  it('every argument that takes codes from a fixed list declares a word for each code, in English and Welsh', () => {
    const missing: string[] = [];
    let codes = 0;
    for (const c of app.bot.registry.all()) {
      for (const spec of c.args) {
        const shape = shapeOf(spec.schema);
        if (shape.type !== 3 || !shape.choices) continue;
        for (const code of shape.choices) {
          codes++;
          const key = spec.choices?.[code];
          if (!key || !app.services.i18n.has(key) || en(key) === key || cy(key) === key) missing.push(`${c.names.en} ${spec.name}=${code}`);
        }
      }
    }
    expect(codes).toBeGreaterThan(60);
    expect(missing).toEqual([]);
  });

  it('every choice shows its words, English and Welsh, never its raw code; its value stays the code', () => {
    const cap = (w: string) => w.charAt(0).toLocaleUpperCase() + w.slice(1);
    let shown = 0;
    for (const def of app.bot.registry.all().filter((c) => !c.hidden)) {
      for (const option of optionsOf(def, en, cy)) {
        const spec = def.args.find((a) => a.name.toLowerCase() === option.name)!;
        for (const { name, value } of option.choices ?? []) {
          shown++;
          const key = spec.choices![value];
          expect(name, `${def.names.en} ${option.name}`).not.toBe(value);
          // the English word, then the Welsh one where it differs
          expect(name, `${def.names.en} ${option.name}`).toBe(cap(en(key)) === cap(cy(key)) ? cap(en(key)) : `${cap(en(key))} / ${cap(cy(key))}`);
        }
      }
    }
    expect(shown).toBeGreaterThan(60);
    const method = set.payload.find((c) => c.name === 'election')!.options.find((o) => o.name === 'open')!.options!.find((o) => o.name === 'method')!;
    expect(method.choices![0]).toEqual({ name: 'Single transferable vote (Scottish rules) / Pleidlais sengl drosglwyddadwy (rheolau’r Alban)', value: 'scottish-stv' });
    // Welsh spellings of a code are the same choice: offered once
    const file = set.payload.find((c) => c.name === 'breach')!.options.find((o) => o.name === 'file')!;
    expect(file.options!.find((o) => o.name === 'mode')!.choices!.map((c) => c.value)).toEqual(['named', 'behalf', 'anonymous']);
    // the bot's language first: a Welsh-speaking forum's bot shows the Welsh word first
    expect(choicesOf(['elected'], { elected: 'forums.choice.method.elected' }, cy, en)).toEqual([{ name: 'Etholwyd / Elected', value: 'elected' }]);
    // Discord has no cy locale: a payload with Welsh localisations would be refused whole
    expect(() => new SlashCommandStringOption().setName('method').setDescription('d').addChoices({ name: 'Elected', value: 'elected', name_localizations: { cy: 'Etholwyd' } as never })).toThrow();
  });

  it('required options come first, at most 25 a command, and names are unique', () => {
    const leaves = set.payload.flatMap((c) => (c.options.some((o) => o.type <= 2) ? c.options.flatMap((o) => (o.type === 1 ? [o] : (o.options ?? []))) : [c]));
    for (const leaf of leaves) {
      const options = leaf.options ?? [];
      expect(options.length).toBeLessThanOrEqual(25);
      const firstOptional = options.findIndex((o) => !o.required);
      if (firstOptional >= 0) expect(options.slice(firstOptional).every((o) => !o.required), leaf.name).toBe(true);
      expect(new Set(options.map((o) => o.name)).size, leaf.name).toBe(options.length);
    }
  });

  it('option types come from the zod schemas: integers with ranges, booleans, choices, dates and times described', () => {
    const seat = set.payload.find((c) => c.name === 'seat')!;
    const fill = seat.options.find((o) => o.name === 'fill')!;
    expect(fill.options!.map((o) => [o.name, o.type, !!o.required, !!o.autocomplete])).toEqual([
      ['partnership', 3, true, true],
      ['seat', 3, true, true],
      ['person', 3, true, true],
      ['method', 3, false, false],
      ['from', 3, false, false],
    ]);
    expect(fill.options!.find((o) => o.name === 'method')!.choices!.map((c) => c.value)).toEqual(['elected', 'appointed', 'reserved', 'invited']);
    expect(fill.options!.find((o) => o.name === 'from')!.description).toMatch(/15\/01\/2027, 15 Jan 2027, tomorrow/);
    const open = set.payload.find((c) => c.name === 'election')!.options.find((o) => o.name === 'open')!;
    expect(open.options!.find((o) => o.name === 'voting')).toMatchObject({ type: 4, min_value: 1, max_value: 60 });
    expect(open.options!.find((o) => o.name === 'seconder')).toMatchObject({ type: 5 });
    const meeting = set.payload.find((c) => c.name === 'meeting')!.options.find((o) => o.name === 'add')!;
    expect(meeting.options!.find((o) => o.name === 'start')!.description).toMatch(/14:00, 2pm/);

    expect(shapeOf(zDate.optional())).toEqual({ type: 3, form: 'date' });
    expect(shapeOf(zInt(1, 9).default(3))).toEqual({ type: 4, min_value: 1, max_value: 9 });
    expect(shapeOf(z.enum(['yes', 'no']).default('no'))).toEqual({ type: 5 });
    expect(shapeOf(z.string().trim().max(80))).toEqual({ type: 3, max_length: 80 });
    // a reference that happens to accept digits and dashes is not a date
    expect(shapeOf(z.string().regex(/^#?[0-9a-fA-F-]{6,36}$/))).toEqual({ type: 3 });
  });

  it('Welsh words stay text commands (Discord has no cy locale); English words carry typed options', () => {
    const sedd = set.payload.find((c) => c.name === 'sedd')!;
    expect(sedd.options).toEqual([expect.objectContaining({ name: 'text', type: 3, required: true })]);
    expect(set.textOf({ name: 'sedd', options: [{ name: 'text', type: 3, value: 'llenwi partnership="Bwrdd Iechyd" Siân' }] })).toBe('sedd llenwi partnership="Bwrdd Iechyd" Siân');
    expect(set.textOf({ name: 'forumbot', options: [{ name: 'text', type: 3, value: 'pwy sy\'n cynrychioli ni ar Bwrdd Iechyd?' }] })).toBe('pwy sy\'n cynrychioli ni ar Bwrdd Iechyd?');
    expect(JSON.stringify(set.payload)).not.toContain('name_localizations');
    // the Welsh "fforwm" commands are not mistaken for the prefix "fforwm"
    expect(app.bot.registry.match(set.textOf({ name: 'fforwm', options: [{ name: 'text', type: 3, value: 'creu Fforwm Powys cvc=PAVO' }] }))?.command.names.en).toBe('forum create');
    expect(app.bot.registry.match('fforwm help')?.command.names.en).toBe('help');
  });

  it('typed options become the command text the core parser reads, quotes chosen so any value stays whole', () => {
    const text = set.textOf({
      name: 'seat',
      options: [{ name: 'fill', type: 1, options: [{ name: 'partnership', type: 3, value: 'The "Health" Board' }, { name: 'person', type: 3, value: 'Siân Evans' }, { name: 'from', type: 3, value: '15/01/2027' }] }],
    });
    expect(text).toBe('seat fill partnership=“The "Health" Board” person="Siân Evans" from="15/01/2027"');
    expect(words(text.replace('seat fill ', '')).map((w) => [w.key, w.value])).toEqual([
      ['partnership', 'The "Health" Board'],
      ['person', 'Siân Evans'],
      ['from', '15/01/2027'],
    ]);
    // a command as registered before typed options (`/seat text:add …`) still reads as text
    expect(set.textOf({ name: 'seat', options: [{ name: 'text', type: 3, value: 'add partnership=X Youth seat' }] })).toBe('seat add partnership=X Youth seat');
    expect(set.textOf({ name: 'actions', options: [{ name: 'partnership', type: 3, value: 'Board' }, { name: 'all', type: 5, value: true }] })).toBe('actions partnership="Board" all="yes"');
    expect(set.textOf({ name: 'what', options: [{ name: 'seats', type: 2, options: [{ name: 'does', type: 1, options: [{ name: 'person', type: 3, value: 'Rhian Powell' }] }] }] })).toBe('what seats does person="Rhian Powell"');
    // the other options' values narrow the names offered: a candidate within the election chosen, a seat within the partnership
    expect(set.focusedOf({ name: 'second', options: [{ name: 'election', type: 3, value: 'H' }, { name: 'candidate', type: 3, value: 'sia', focused: true }] })).toEqual({ kind: 'candidate', typed: 'sia', within: 'H' });
    expect(set.focusedOf({ name: 'second', options: [{ name: 'election', type: 3, value: ' ' }, { name: 'candidate', type: 3, value: 'sia', focused: true }] })).toEqual({ kind: 'candidate', typed: 'sia' });
    expect(set.focusedOf({ name: 'seat', options: [{ name: 'vacate', type: 1, options: [{ name: 'partnership', type: 3, value: 'Health Board' }, { name: 'seat', type: 3, value: 'm', focused: true }] }] })).toEqual({ kind: 'seat', typed: 'm', within: 'Health Board' });
    expect(set.focusedOf({ name: 'seat', options: [{ name: 'vacate', type: 1, options: [{ name: 'partnership', type: 3, value: 'Health Board', focused: true }] }] })).toEqual({ kind: 'partnership', typed: 'Health Board' });
    expect(set.focusedOf({ name: 'seat', options: [{ name: 'fill', type: 1, options: [{ name: 'method', type: 3, value: 'e', focused: true }] }] })).toBeUndefined();
  });

  it('a registry of one command shows the derivation is not a hand-written list', () => {
    const registry = new CommandRegistry();
    registry.add(
      defineCommand({
        names: { en: 'probe run', cy: 'prawf rhedeg' }, group: 'core', summary: 'core.help.usage', examples: { en: [], cy: [] }, permission: 'anyone', needsForum: false,
        args: [arg('when', zDate.optional(), 'core.help.usage'), arg('count', zInt(2, 7), 'core.help.usage', { positional: true }), arg('who', z.string(), 'core.help.usage', { names: 'person' })],
        run: async () => undefined,
      }),
    );
    const probe = slashCommandsFor(registry.all(), app.services.i18n.translator('en')).payload.find((c) => c.name === 'probe')!;
    expect(probe.options[0].options!.map((o) => [o.name, o.type, o.required, o.autocomplete ?? false])).toEqual([
      ['count', 4, true, false],
      ['who', 3, true, true],
      ['when', 3, false, false],
    ]);
  });
});
