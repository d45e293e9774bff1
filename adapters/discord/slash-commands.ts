import { usage, type CommandDef } from '../../src/core/commands.ts';
import type { Translate } from '../../src/core/i18n.ts';
import { clip } from './render.ts';

/**
 * Discord slash commands for the bot's chat commands. A command's first word is the slash
 * command ("/seat"), the rest of the text its one string option ("add partnership=… Youth seat"),
 * so every command keeps the same words and arguments as on the other platforms. "/forumbot"
 * takes any command text. Discord has no Welsh locale, so Welsh first words are commands too.
 */
export const CATCH_ALL = 'forumbot';
export const TEXT_OPTION = 'text';
/** Discord's limit on global chat-input commands per application */
export const MAX_COMMANDS = 100;
const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

export interface SlashCommand {
  name: string;
  description: string;
  type: 1;
  contexts: number[];
  integration_types: number[];
  options: { type: 3; name: string; description: string; required: boolean; max_length: number }[];
}

const option = (description: string, required: boolean) => ({ type: 3 as const, name: TEXT_OPTION, description: clip(description, 100), required, max_length: 6000 });

/** The slash commands for these chat commands, the catch-all first; at most Discord's limit. */
export function slashCommandsFor(commands: readonly CommandDef[], t: Translate): SlashCommand[] {
  const byWord = new Map<string, { def: CommandDef; locale: 'en' | 'cy' }[]>();
  for (const def of commands) {
    if (def.hidden) continue;
    for (const locale of ['en', 'cy'] as const) {
      const word = def.names[locale].split(' ')[0].toLowerCase();
      if (!NAME.test(word) || word === CATCH_ALL) continue;
      const list = byWord.get(word) ?? [];
      if (!list.some((x) => x.def === def)) list.push({ def, locale });
      byWord.set(word, list);
    }
  }
  const base = { type: 1 as const, contexts: [0, 1], integration_types: [0] };
  const out: SlashCommand[] = [{ ...base, name: CATCH_ALL, description: clip(t('core.help.intro'), 100), options: [option(t('core.help.usage'), true)] }];
  for (const [word, list] of byWord) {
    if (out.length >= MAX_COMMANDS) break;
    const single = list.length === 1 && list[0].def.names[list[0].locale] === word;
    const description = list.length === 1 ? t(list[0].def.summary) : list.map((x) => x.def.names[x.locale]).join(' · ');
    const needsText = list.every((x) => x.def.names[x.locale] !== word);
    const hint = list.map((x) => usage(x.def, x.locale).split(' ').slice(1).join(' ') || x.def.names[x.locale]).join(' | ');
    out.push({ ...base, name: word, description: clip(description, 100), options: [option(single ? hint || t('core.help.usage') : hint, needsText)] });
  }
  return out;
}

/** The command text a slash command stands for: "/seat text:add …" → "seat add …". */
export function textOfSlash(name: string, options: { name: string; value?: unknown }[] | undefined): string {
  const rest = String(options?.find((o) => o.name === TEXT_OPTION)?.value ?? '').trim();
  if (name === CATCH_ALL) return rest;
  return rest ? `${name} ${rest}` : name;
}
