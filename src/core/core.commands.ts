import { z } from 'zod';
import { arg, defineCommand, usage, type CommandDef, type Permission } from './commands.ts';
import type { CommandContext } from './context.ts';
import { AppError } from './errors.ts';
import { createLinkCode, createWebSignInLink, redeemLinkCode } from './identity.ts';
import type { Feature } from './feature.ts';
import { coreCatalogues, LANGUAGE_CHOICES } from './core.i18n.ts';
import { homeCommand } from './home.ts';
import { homeCatalogues } from './home.i18n.ts';
import type { Block, Button, OutgoingMessage } from './messages.ts';
import { directQuery } from '../db/client.ts';
import { LOCALES, type CommandGroup } from './i18n.ts';
import { fold } from './input.ts';
import { hasRole, isActive } from './permissions.ts';

/** Could this person run the command here? Help lists only what they can do. */
function allowed(permission: Permission, ctx: CommandContext): boolean {
  if (permission === 'anyone') return true;
  if (!isActive(ctx.membership)) return false;
  if (permission === 'member') return true;
  if (permission === 'representative') return hasRole(ctx.membership, 'REPRESENTATIVE', 'OFFICER');
  if (permission === 'officer') return hasRole(ctx.membership, 'OFFICER');
  return hasRole(ctx.membership, 'RETURNING_OFFICER', 'OFFICER');
}

/** What is open for this person now, from every feature's section (see NowSection), in one statement. */
async function openNow(ctx: CommandContext): Promise<{ text: string; buttons: Button[] }[]> {
  const sections = ctx.nowSections ?? [];
  if (!ctx.forum || !sections.length) return [];
  const columns = sections.map((s, i) => `(${s.sql}) AS s${i}`).join(', ');
  const sql = `SELECT ${columns} FROM (SELECT $1::text AS forum_id, $2::text AS person_id, $3::timestamp(3) AS now) AS args`;
  const [row] = await directQuery(ctx.db)<Record<string, Record<string, unknown>[] | null>>(sql, [ctx.forum.id, ctx.person.id, ctx.now().toISOString()]);
  return sections.flatMap((s, i) => s.render(row[`s${i}`] ?? [], ctx));
}

/**
 * `help`: first what is open for this person now (with buttons), then the commands they may use,
 * grouped, by name only, each group a button to its details (`help <group>`).
 */
async function helpList(ctx: CommandContext): Promise<OutgoingMessage> {
  const { t, locale } = ctx;
  const visible = ctx.registry.all().filter((c) => !c.hidden && allowed(c.permission, ctx));
  const groups = [...new Set(visible.map((c) => c.group))];
  const blocks: Block[] = [{ type: 'header', text: t('core.help.title') }];
  const lines: string[] = [t('core.help.title')];
  const open = await openNow(ctx);
  if (open.length) {
    blocks.push({ type: 'section', text: `**${t('core.help.now')}**` });
    lines.push('', t('core.help.now'));
    for (const item of open) {
      blocks.push({ type: 'section', text: item.text });
      if (item.buttons.length) blocks.push({ type: 'buttons', buttons: item.buttons });
      lines.push(`• ${item.text}`);
    }
  }
  for (const group of groups) {
    const names = visible.filter((c) => c.group === group).map((c) => c.names[locale]).join(' · ');
    blocks.push({ type: 'section', text: `**${t(`core.help.group.${group}`)}**\n${names}` });
    lines.push('', t(`core.help.group.${group}`), names);
  }
  blocks.push({ type: 'section', text: t('core.help.intro') });
  // five buttons a row: what every platform shows in one row (Adaptive Cards' default, Discord's row)
  const buttons = groups.map((g) => ({ label: t(`core.help.group.${g}`), action: { command: 'help', args: { command: g } } }));
  for (let i = 0; i < buttons.length; i += 5) blocks.push({ type: 'buttons', buttons: buttons.slice(i, i + 5) });
  lines.push('', t('core.help.intro'));
  return { text: lines.join('\n'), blocks };
}

/** `help <group>`: that group's commands with what each does. */
function helpGroup(ctx: CommandContext, group: CommandGroup): OutgoingMessage {
  const { t, locale } = ctx;
  const items = ctx.registry.all().filter((c) => !c.hidden && c.group === group && allowed(c.permission, ctx));
  const heading = t(`core.help.group.${group}`);
  const fields = items.map((c) => ({ label: c.names[locale], value: t(c.summary) }));
  const text = [heading, ...fields.map((f) => `• ${f.label}: ${f.value}`), '', t('core.help.intro')].join('\n');
  return { text, blocks: [{ type: 'header', text: heading }, { type: 'fields', fields }, { type: 'section', text: t('core.help.intro') }] };
}

/** The help group a topic names: its id (`elections`) or its heading in either language. */
function groupNamed(ctx: CommandContext, topic: string): CommandGroup | undefined {
  const typed = fold(topic);
  const groups = [...new Set(ctx.registry.all().map((c) => c.group))];
  return groups.find((g) => fold(g) === typed || LOCALES.some((l) => fold(ctx.i18n.t(l, `core.help.group.${g}`)) === typed));
}

function helpOne(ctx: CommandContext, command: CommandDef): OutgoingMessage {
  const { t, locale } = ctx;
  const fields = [
    { label: t('core.help.usage'), value: usage(command, locale) },
    { label: t('core.help.who'), value: t(`core.role.${command.permission}`) },
    ...command.args.map((a) => ({ label: a.name, value: t(a.help) })),
    ...command.examples[locale].map((e) => ({ label: t('core.help.example'), value: e })),
  ];
  const text = [command.names[locale], t(command.summary), ...fields.map((f) => `${f.label}: ${f.value}`)].join('\n');
  return { text, blocks: [{ type: 'header', text: command.names[locale] }, { type: 'section', text: t(command.summary) }, { type: 'fields', fields }] };
}

const help = defineCommand({
  names: { en: 'help', cy: 'help' },
  group: 'core',
  summary: 'core.cmd.help',
  args: [arg('command', z.string().optional(), 'core.cmd.help.arg.command', { positional: true, rest: true })],
  examples: { en: ['help', 'help seat add'], cy: ['help', 'help sedd ychwanegu'] },
  permission: 'anyone',
  needsForum: false,
  async run(ctx, { command }) {
    if (!command) return helpList(ctx);
    const group = groupNamed(ctx, command);
    if (group) return helpGroup(ctx, group);
    const found = ctx.registry.match(command);
    if (!found || found.rest.length) {
      const near = ctx.registry.suggest(command);
      const error = new AppError('core.help.unknown', { name: command });
      throw near.length ? error.withHint('core.name.didYouMean', { options: near.map((n) => `“help ${n}”`).join('; ') }) : error;
    }
    return helpOne(ctx, found.command);
  },
});

const language = defineCommand({
  names: { en: 'language', cy: 'iaith' },
  group: 'core',
  summary: 'core.cmd.language',
  args: [arg('language', z.enum(['en', 'cy']), 'core.cmd.language.arg.language', { positional: true, choices: LANGUAGE_CHOICES })],
  examples: { en: ['language cy'], cy: ['iaith en'] },
  permission: 'anyone',
  needsForum: false,
  async run(ctx, { language }) {
    await ctx.db.person.update({ where: { id: ctx.person.id }, data: { locale: language } });
    return { visibility: 'ephemeral', message: { text: ctx.i18n.t(language, 'core.language.set'), lang: language } };
  },
});

const link = defineCommand({
  names: { en: 'link', cy: 'cysylltu' },
  group: 'core',
  summary: 'core.cmd.link',
  args: [],
  examples: { en: ['link'], cy: ['cysylltu'] },
  permission: 'anyone',
  needsForum: false,
  async run(ctx) {
    const code = await createLinkCode(ctx.db, ctx.person.id, ctx.now());
    return { visibility: 'ephemeral', message: { text: ctx.t('core.link.code', { code }) } };
  },
});

const linkWith = defineCommand({
  names: { en: 'link with', cy: 'cysylltu gyda' },
  group: 'core',
  summary: 'core.cmd.linkWith',
  args: [arg('code', z.string().trim().min(6).max(20), 'core.cmd.linkWith.arg.code', { positional: true })],
  examples: { en: ['link with K7P2QX9M'], cy: ['cysylltu gyda K7P2QX9M'] },
  permission: 'anyone',
  changesNames: true,
  needsForum: false,
  async run(ctx, { code }) {
    await redeemLinkCode(ctx.db, ctx.account.id, code, ctx.now(), ctx.personMergers);
    return { visibility: 'ephemeral', message: { text: ctx.t('core.link.done') } };
  },
});

const web = defineCommand({
  names: { en: 'web', cy: 'gwe' },
  group: 'core',
  summary: 'core.cmd.web',
  args: [],
  examples: { en: ['web'], cy: ['gwe'] },
  permission: 'anyone',
  needsForum: false,
  async run(ctx) {
    // a link that signs in is for its owner's eyes only
    if (!ctx.event.isDirect) return { visibility: 'ephemeral', message: { text: ctx.t('core.web.directOnly') } };
    if (!ctx.webUrl) return { visibility: 'ephemeral', message: { text: ctx.t('core.web.off') } };
    const link = await createWebSignInLink(ctx.db, ctx.person.id, ctx.webUrl, ctx.now());
    return { visibility: 'ephemeral', message: { text: ctx.t('core.web.link', { link }) } };
  },
});

export const coreFeature: Feature = {
  id: 'core',
  catalogues: { en: { ...coreCatalogues.en, ...homeCatalogues.en }, cy: { ...coreCatalogues.cy, ...homeCatalogues.cy } },
  commands: [homeCommand, help, language, link, linkWith, web],
};
