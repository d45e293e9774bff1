import { z } from 'zod';
import { arg, defineCommand, usage, type CommandDef, type Permission } from './commands.ts';
import type { CommandContext } from './context.ts';
import { AppError } from './errors.ts';
import { createLinkCode, createWebSignInLink, redeemLinkCode } from './identity.ts';
import type { Feature } from './feature.ts';
import { coreCatalogues } from './core.i18n.ts';
import type { Block, OutgoingMessage } from './messages.ts';
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

function helpList(ctx: CommandContext): OutgoingMessage {
  const { t, locale } = ctx;
  const visible = ctx.registry.all().filter((c) => !c.hidden && allowed(c.permission, ctx));
  const groups = [...new Set(visible.map((c) => c.group))];
  const blocks: Block[] = [{ type: 'header', text: t('core.help.title') }, { type: 'section', text: t('core.help.intro') }];
  const lines: string[] = [t('core.help.title')];
  for (const group of groups) {
    const items = visible.filter((c) => c.group === group);
    const fields = items.map((c) => ({ label: c.names[locale], value: t(c.summary) }));
    blocks.push({ type: 'section', text: `**${t(`core.help.group.${group}`)}**` }, { type: 'fields', fields });
    lines.push('', t(`core.help.group.${group}`), ...items.map((c) => `• ${c.names[locale]}: ${t(c.summary)}`));
  }
  return { text: lines.join('\n'), blocks };
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
    const found = ctx.registry.match(command);
    if (!found || found.rest.length) throw new AppError('core.help.unknown', { name: command });
    return helpOne(ctx, found.command);
  },
});

const language = defineCommand({
  names: { en: 'language', cy: 'iaith' },
  group: 'core',
  summary: 'core.cmd.language',
  args: [arg('language', z.enum(['en', 'cy']), 'core.cmd.language.arg.language', { positional: true })],
  examples: { en: ['language cy'], cy: ['iaith en'] },
  permission: 'anyone',
  needsForum: false,
  async run(ctx, { language }) {
    await ctx.db.person.update({ where: { id: ctx.person.id }, data: { locale: language } });
    return { visibility: 'ephemeral', message: { text: ctx.i18n.t(language, 'core.language.set') } };
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
  catalogues: coreCatalogues,
  commands: [help, language, link, linkWith, web],
};
