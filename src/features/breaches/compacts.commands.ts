import { z } from 'zod';
import { arg, defineCommand, zInt } from '../../core/commands.ts';
import type { CommandContext } from '../../core/context.ts';
import * as cat from './catalogue.service.ts';
import { opt } from './filing.commands.ts';
import { kindLabel } from './notice-form.ts';

const text = (max = 200) => z.string().trim().min(2).max(max);
const zDays = opt(z.union([z.literal('none'), zInt(0, 250)]));
const daysValue = (v: number | 'none' | undefined) => (v === undefined ? undefined : v === 'none' ? null : v);
const forumId = (ctx: CommandContext) => ctx.forum!.id;

const compactList = defineCommand({
  names: { en: 'compact list', cy: 'compact rhestr' },
  group: 'breaches',
  summary: 'breaches.cmd.compactList',
  args: [arg('compact', opt(text()), 'breaches.arg.compact', { positional: true, rest: true })],
  examples: { en: ['compact list'], cy: ['compact rhestr'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const { t, locale } = ctx;
    const all = await cat.listCompacts(ctx.db, forumId(ctx));
    const shown = a.compact ? [await cat.findCompact(ctx.db, forumId(ctx), a.compact)] : all;
    const lines: string[] = [];
    for (const c of shown) {
      lines.push(
        t('breaches.compact.line', { name: c.name, ack: c.acknowledgeDays ?? '—', liaison: c.liaisonDays ?? '—', escalation: c.escalationBody ?? '—' }),
        `${t('breaches.compact.parties')}: ${c.parties.map((p) => `${p.name} (${kindLabel(t, p.kind)})`).join('; ') || '—'}`,
      );
      for (const code of c.codes) {
        lines.push(`• ${cat.codeName(code, locale)}`);
        for (const m of code.commitments) lines.push(`   – ${cat.commitmentText(m, locale)}${m.standardDays ? ` (${t('breaches.form.standardDays', { days: m.standardDays })})` : ''}`);
      }
      lines.push('');
    }
    return { text: lines.join('\n').trim() };
  },
});

const compactDefaults = defineCommand({
  names: { en: 'compact defaults', cy: 'compact diofyn' },
  group: 'breaches',
  summary: 'breaches.cmd.compactDefaults',
  args: [],
  examples: { en: ['compact defaults'], cy: ['compact diofyn'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx) {
    const made = await cat.seedDefaultCatalogue(ctx.db, forumId(ctx));
    return { text: ctx.t(made ? 'breaches.compact.seeded' : 'breaches.compact.alreadySeeded') };
  },
});

const compactAdd = defineCommand({
  names: { en: 'compact add', cy: 'compact ychwanegu' },
  group: 'breaches',
  summary: 'breaches.cmd.compactAdd',
  args: [
    arg('name', text(120), 'breaches.arg.compactName', { positional: true, rest: true }),
    arg('escalation', opt(text()), 'breaches.arg.escalation'),
    arg('acknowledge', zDays, 'breaches.arg.acknowledge'),
    arg('liaison', zDays, 'breaches.arg.liaison'),
  ],
  examples: { en: ['compact add Powys Health Compact escalation="Compact Board" acknowledge=5 liaison=20'], cy: ['compact ychwanegu Compact Iechyd Powys acknowledge=5'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const c = await cat.addCompact(ctx.db, forumId(ctx), { name: a.name, escalationBody: a.escalation, acknowledgeDays: daysValue(a.acknowledge) ?? undefined, liaisonDays: daysValue(a.liaison) ?? undefined });
    if (a.acknowledge === 'none' || a.liaison === 'none') {
      await cat.updateCompact(ctx.db, c.id, { acknowledgeDays: a.acknowledge === 'none' ? null : undefined, liaisonDays: a.liaison === 'none' ? null : undefined });
    }
    return { text: ctx.t('breaches.compact.added', { name: c.name }) };
  },
});

const compactSet = defineCommand({
  names: { en: 'compact set', cy: 'compact newid' },
  group: 'breaches',
  summary: 'breaches.cmd.compactSet',
  args: [
    arg('compact', text(120), 'breaches.arg.compact', { positional: true, rest: true }),
    arg('name', opt(text(120)), 'breaches.arg.compactName'),
    arg('escalation', opt(text()), 'breaches.arg.escalation'),
    arg('acknowledge', zDays, 'breaches.arg.acknowledge'),
    arg('liaison', zDays, 'breaches.arg.liaison'),
  ],
  examples: { en: ['compact set Compact acknowledge=10 escalation="Compact Board"'], cy: ['compact newid Compact acknowledge=10'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const c = await cat.findCompact(ctx.db, forumId(ctx), a.compact);
    const u = await cat.updateCompact(ctx.db, c.id, { name: a.name, escalationBody: a.escalation, acknowledgeDays: daysValue(a.acknowledge), liaisonDays: daysValue(a.liaison) });
    return { text: ctx.t('breaches.compact.updated', { name: u.name, ack: u.acknowledgeDays ?? '—', liaison: u.liaisonDays ?? '—', escalation: u.escalationBody ?? '—' }) };
  },
});

const partyAdd = defineCommand({
  names: { en: 'compact party add', cy: 'compact corff ychwanegu' },
  group: 'breaches',
  summary: 'breaches.cmd.partyAdd',
  args: [
    arg('name', text(120), 'breaches.arg.partyName', { positional: true, rest: true }),
    arg('kind', z.enum(cat.PARTY_KINDS), 'breaches.arg.kind', {
      choices: { council: 'breaches.kind.council', 'health-board': 'breaches.kind.health-board', police: 'breaches.kind.police', fire: 'breaches.kind.fire', other: 'breaches.kind.other' },
    }),
    arg('compact', opt(text(120)), 'breaches.arg.compact'),
  ],
  examples: { en: ['compact party add Powys Teaching Health Board kind=health-board'], cy: ['compact corff ychwanegu Bwrdd Iechyd Addysgu Powys kind=health-board'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const c = await cat.findCompact(ctx.db, forumId(ctx), a.compact);
    const p = await cat.addParty(ctx.db, c.id, a.name, a.kind);
    return { text: ctx.t('breaches.party.added', { name: p.name, compact: c.name }) };
  },
});

const codeAdd = defineCommand({
  names: { en: 'compact code add', cy: 'compact cod ychwanegu' },
  group: 'breaches',
  summary: 'breaches.cmd.codeAdd',
  args: [arg('name', text(120), 'breaches.arg.codeName', { positional: true, rest: true }), arg('cy', opt(text(120)), 'breaches.arg.welsh'), arg('compact', opt(text(120)), 'breaches.arg.compact')],
  examples: { en: ['compact code add Commissioning cy="Comisiynu"'], cy: ['compact cod ychwanegu Commissioning cy="Comisiynu"'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const c = await cat.findCompact(ctx.db, forumId(ctx), a.compact);
    const code = await cat.addCode(ctx.db, c.id, a.name, a.cy);
    return { text: ctx.t('breaches.code.added', { name: code.name, compact: c.name }) };
  },
});

const commitmentAdd = defineCommand({
  names: { en: 'compact commitment add', cy: 'compact ymrwymiad ychwanegu' },
  group: 'breaches',
  summary: 'breaches.cmd.commitmentAdd',
  args: [
    arg('text', text(300), 'breaches.arg.commitmentText', { positional: true, rest: true }),
    arg('code', text(120), 'breaches.arg.code'),
    arg('days', opt(zInt(1, 3660)), 'breaches.arg.days'),
    arg('cy', opt(text(300)), 'breaches.arg.welsh'),
    arg('compact', opt(text(120)), 'breaches.arg.compact'),
  ],
  examples: { en: ['compact commitment add code=Funding Grants are paid within 30 days of the due date days=30'], cy: ['compact ymrwymiad ychwanegu code=Funding Talu grantiau o fewn 30 diwrnod days=30'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const c = await cat.findCompact(ctx.db, forumId(ctx), a.compact);
    const code = cat.findCode(c, a.code);
    await cat.addCommitment(ctx.db, code.id, a.text, a.days, a.cy);
    return { text: ctx.t('breaches.commitment.added', { code: code.name }) };
  },
});

const compactRemove = defineCommand({
  names: { en: 'compact remove', cy: 'compact tynnu' },
  group: 'breaches',
  summary: 'breaches.cmd.compactRemove',
  args: [
    arg('what', z.enum(['party', 'code', 'commitment']), 'breaches.arg.what', {
      positional: true,
      choices: { party: 'breaches.choice.what.party', code: 'breaches.choice.what.code', commitment: 'breaches.choice.what.commitment' },
    }),
    arg('name', text(300), 'breaches.arg.entryName', { positional: true, rest: true }),
    arg('compact', opt(text(120)), 'breaches.arg.compact'),
  ],
  examples: { en: ['compact remove party Fire and rescue service'], cy: ['compact tynnu party Fire and rescue service'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const c = await cat.findCompact(ctx.db, forumId(ctx), a.compact);
    const name = await cat.removeEntry(ctx.db, c, a.what, a.name);
    return { text: ctx.t('breaches.catalogue.removed', { name }) };
  },
});

export const compactCommands = [compactList, compactDefaults, compactAdd, compactSet, partyAdd, codeAdd, commitmentAdd, compactRemove];
