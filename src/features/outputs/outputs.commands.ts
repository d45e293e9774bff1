import { z } from 'zod';
import { arg, defineCommand } from '../../core/commands.ts';
import type { Block } from '../../core/messages.ts';
import { tableText } from '../../core/table-text.ts';
import { codeLabeller } from './outputs.labels.ts';
import { outputsReport, periodOrThrow } from './outputs.service.ts';
import { outputsTables } from './outputs.tables.ts';

const outputsReportCommand = defineCommand({
  names: { en: 'outputs report', cy: 'adroddiad allbynnau' },
  group: 'outputs',
  summary: 'outputs.cmd.report',
  args: [arg('period', z.string().trim().max(20).optional(), 'outputs.arg.period', { positional: true })],
  examples: { en: ['outputs report period=2026-27', 'outputs report'], cy: ['adroddiad allbynnau period=2026-27', 'adroddiad allbynnau'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const { t } = ctx;
    const forum = ctx.forum!;
    const period = periodOrThrow(a.period, ctx.now());
    const report = await outputsReport(ctx.db, forum.id, period, ctx.now(), false);
    const tables = outputsTables(t, ctx.locale, report, await codeLabeller(ctx.db, forum.id, ctx.locale));
    const head = t('outputs.head', { forum: forum.name, period: period.label, from: report.period.from, to: report.period.to });
    const blocks: Block[] = [{ type: 'header', text: head }, ...tables.map(({ table }) => ({ type: 'table' as const, table })), { type: 'section', text: t('outputs.exports', { path: `/f/${forum.slug}/outputs?period=${period.label}` }) }];
    return { text: [head, ...tables.map(({ table }) => tableText(table))].join('\n\n'), blocks };
  },
});

export const outputsCommands = [outputsReportCommand];
