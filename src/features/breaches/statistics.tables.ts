import type { Translate } from '../../core/i18n.ts';
import type { Table } from '../../core/messages.ts';
import type { PeriodStatistics, StatCell, StatCount } from './rules/statistics.ts';
import { kindLabel, outcomeLabel } from './notice-form.ts';

/** A published figure, or the words saying it is held back. */
export const figure = (t: Translate, c: StatCount): string => (c.suppressed ? t('breaches.stats.hidden') : String(c.count));

/**
 * The statistics as tables, periods across: the totals and medians, then each breakdown (by code,
 * kind of body, outcome) with its categories down. The chat and the public site show these same tables.
 */
export function statisticsTables(t: Translate, stats: readonly PeriodStatistics[], codeLabel: (key: string) => string): Table[] {
  const periods = stats.map((p) => ({ label: p.period, align: 'right' as const }));
  const summary: Table = {
    caption: t('breaches.stats.summary'),
    columns: [{ label: '' }, ...periods],
    rows: [
      [t('breaches.stats.total'), ...stats.map((p) => figure(t, p.total))],
      [t('breaches.stats.median'), ...stats.map((p) => (p.medianDaysToResolution.suppressed ? t('breaches.stats.hidden') : t('breaches.form.days', { days: p.medianDaysToResolution.days! })))],
    ],
  };
  const breakdown = (caption: string, pick: (p: PeriodStatistics) => readonly StatCell[], label: (k: string) => string): Table => {
    const keys = [...new Set(stats.flatMap((p) => pick(p).map((c) => c.key)))];
    return {
      caption,
      columns: [{ label: caption }, ...periods],
      rows: keys.map((k) => [label(k), ...stats.map((p) => {
        const cell = pick(p).find((c) => c.key === k);
        // a category a period lacks is a zero, and zeros are held back like any small count
        return cell ? figure(t, cell) : t('breaches.stats.hidden');
      })]),
    };
  };
  return [
    summary,
    breakdown(t('breaches.stats.byCode'), (p) => p.byCode, codeLabel),
    breakdown(t('breaches.stats.byBody'), (p) => p.byBodyKind, (k) => kindLabel(t, k)),
    breakdown(t('breaches.stats.byOutcome'), (p) => p.byOutcome, (k) => outcomeLabel(t, k)),
  ];
}
