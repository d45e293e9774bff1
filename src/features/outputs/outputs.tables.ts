import { formatDate, type Locale, type Translate } from '../../core/i18n.ts';
import type { Table } from '../../core/messages.ts';
import { statisticsTables } from '../breaches/statistics.tables.ts';
import { SEAT_METHODS, type OutputsReport } from './outputs.service.ts';

const n = (x: number) => String(x);
const num = { align: 'right' as const };

/**
 * The outputs report as tables, one per measure, each with a caption: the chat command sends them
 * as table blocks and the public page puts each beside its chart. Breach figures are the public
 * statistics' own tables (small numbers held back).
 */
export function outputsTables(t: Translate, locale: Locale, r: OutputsReport, codeLabel: (key: string) => string): { key: string; table: Table }[] {
  const p = { period: r.period.label };
  const out: { key: string; table: Table }[] = [];
  out.push({
    key: 'seats',
    table: {
      caption: t('outputs.seats.caption', p),
      columns: [{ label: t('outputs.seats.how') }, { label: t('outputs.count'), ...num }],
      rows: [...SEAT_METHODS.map((m) => [t(`forums.method.${m}`), n(r.seats.filled[m])]), [t('outputs.seats.filledTotal'), n(r.seats.filledTotal)]],
      notes: [t('outputs.seats.held', { held: r.seats.heldAtEnd, total: r.seats.total })],
    },
  });
  out.push({
    key: 'elections',
    table: {
      caption: t('outputs.elections.caption', p),
      columns: [{ label: t('outputs.elections.election') }, { label: t('outputs.elections.declared') }, { label: t('outputs.elections.seats'), ...num }, { label: t('outputs.elections.ballots'), ...num }, { label: t('outputs.elections.electorate'), ...num }, { label: t('outputs.elections.turnout'), ...num }],
      rows: [
        ...r.elections.map((e) => [e.title, formatDate(new Date(`${e.declared}T12:00:00Z`), locale), n(e.seats), e.unopposed ? '–' : n(e.ballots), e.unopposed ? '–' : n(e.electorate), e.unopposed ? t('outputs.elections.unopposed') : `${e.turnout}%`]),
        [t('outputs.elections.all'), '', n(r.elections.reduce((s, e) => s + e.seats, 0)), n(r.turnout.ballots), n(r.turnout.electorate), r.turnout.percent === null ? '–' : `${r.turnout.percent}%`],
      ],
    },
  });
  out.push({
    key: 'reportbacks',
    table: {
      caption: t('outputs.reportbacks.caption', p),
      columns: [{ label: t('outputs.reportbacks.status') }, { label: t('outputs.count'), ...num }],
      rows: [
        [t('outputs.reportbacks.onTime'), n(r.reportbacks.onTime)],
        [t('outputs.reportbacks.late'), n(r.reportbacks.late)],
        [t('outputs.reportbacks.missing'), n(r.reportbacks.missing)],
        [t('outputs.reportbacks.notYetDue'), n(r.reportbacks.notYetDue)],
        [t('outputs.reportbacks.due'), n(r.reportbacks.due)],
      ],
    },
  });
  out.push({
    key: 'issues',
    table: {
      caption: t('outputs.issues.caption', p),
      columns: [{ label: t('outputs.measure') }, { label: t('outputs.count'), ...num }],
      rows: [
        [t('outputs.issues.raised'), n(r.issues.raised)],
        [t('outputs.issues.answered'), n(r.issues.answered)],
        [t('outputs.issues.raisedAndAnswered'), n(r.issues.raisedAndAnswered)],
      ],
    },
  });
  out.push({
    key: 'consultations',
    table: {
      caption: t('outputs.consultations.caption', p),
      columns: [{ label: t('outputs.measure') }, { label: t('outputs.count'), ...num }],
      rows: [
        [t('outputs.consultations.posted'), n(r.consultations.posted)],
        [t('outputs.consultations.short'), n(r.consultations.short)],
        [t('outputs.consultations.responded'), n(r.consultations.responded)],
        [t('outputs.consultations.shortResponded'), n(r.consultations.shortResponded)],
        [t('outputs.consultations.breachNotices'), n(r.consultations.breachNotices)],
      ],
    },
  });
  if (r.breaches) {
    const [summary, byCode, , byOutcome] = statisticsTables(t, [r.breaches], codeLabel);
    out.push({ key: 'breaches', table: { ...summary, caption: t('outputs.breaches.caption', p), notes: [t('breaches.stats.note')] } }, { key: 'breachCodes', table: byCode }, { key: 'breachOutcomes', table: byOutcome });
  } else {
    out.push({ key: 'breaches', table: { caption: t('outputs.breaches.caption', p), columns: [{ label: t('outputs.measure') }, { label: t('outputs.count'), ...num }], rows: [[t('breaches.stats.total'), t('breaches.stats.hidden')]], notes: [t('breaches.stats.note')] } });
  }
  out.push({
    key: 'alerts',
    table: {
      caption: t('outputs.alerts.caption', p),
      columns: [{ label: t('outputs.measure') }, { label: t('outputs.count'), ...num }],
      rows: [
        [t('outputs.alerts.posted'), n(r.alerts.posted)],
        [t('outputs.alerts.messagesSent'), n(r.alerts.messagesSent)],
        [t('outputs.alerts.interested'), n(r.alerts.interested)],
        [t('outputs.alerts.consortium'), n(r.alerts.consortium)],
        [t('outputs.alerts.alertsWithConsortium'), n(r.alerts.alertsWithConsortiumInterest)],
        [t('outputs.updates.posted'), n(r.updates.posted)],
      ],
    },
  });
  return out;
}
