import { formatDate, type Locale, type Translate } from '../../core/i18n.ts';
import type { Table } from '../../core/messages.ts';
import type { CoverageReport } from './coverage.ts';

/** The coverage report as four tables (vacant, ending soon, over-concentrated, invited), for chat and the public site. */
export function coverageTables(t: Translate, locale: Locale, r: CoverageReport): Table[] {
  const col = (key: 'partnership' | 'seat' | 'holder' | 'ends' | 'seats', align?: 'right') => ({ label: t(`forums.col.${key}`), ...(align ? { align } : {}) });
  return [
    { caption: t('forums.coverage.vacant', { count: r.vacant.length }), columns: [col('partnership'), col('seat')], rows: r.vacant.map((v) => [v.partnership, v.label]) },
    {
      caption: t('forums.coverage.ending', { count: r.endingSoon.length }),
      columns: [col('partnership'), col('seat'), col('holder'), col('ends')],
      rows: r.endingSoon.map((v) => [v.partnership, v.label, v.personName, formatDate(v.endsOn, locale)]),
    },
    { caption: t('forums.coverage.overloaded', { count: r.overloaded.length }), columns: [col('holder'), col('seats', 'right')], rows: r.overloaded.map((v) => [v.personName, String(v.seats)]) },
    { caption: t('forums.coverage.invited', { count: r.invited.length }), columns: [col('partnership'), col('seat'), col('holder')], rows: r.invited.map((v) => [v.partnership, v.label, v.personName]) },
  ];
}
