import { formatDate, type Locale, type MessageKey, type Translate } from '../../core/i18n.ts';
import type { Block, OutgoingMessage } from '../../core/messages.ts';
import type { TenderAlert, TenderAward } from '../../generated/prisma/client.ts';
import type { TenderChange } from './rules/ocds.ts';
import type { ReminderKind } from './rules/reminders.ts';
import type { AlertStatus } from './tenders.apply.ts';
import type { Route } from './rules/ocds-fields.ts';

export interface LotValue {
  id: string;
  title: string | null;
  value: { amount: number; currency: string } | null;
}

export const refOf = (a: Pick<TenderAlert, 'number'>): string => `T${a.number}`;

export function formatMoney(amount: number, currency: string, locale: Locale): string {
  try {
    return new Intl.NumberFormat(locale === 'cy' ? 'cy-GB' : 'en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${currency} ${Math.round(amount).toLocaleString('en-GB')}`;
  }
}

/** The alert's value; where the tender gave none, the awards' (labelled as awarded). */
export function valueText(
  a: Pick<TenderAlert, 'valueAmount' | 'minValueAmount' | 'currency'>,
  t: Translate,
  locale: Locale,
  awards: readonly Pick<TenderAward, 'valueAmount' | 'currency' | 'status'>[] = [],
): string {
  const cur = a.currency ?? 'GBP';
  const live = awards.filter((w) => w.valueAmount != null && !['cancelled', 'unsuccessful'].includes(w.status ?? ''));
  if (a.valueAmount == null && a.minValueAmount == null && live.length && live.every((w) => (w.currency ?? 'GBP') === (live[0].currency ?? 'GBP'))) {
    const total = live.reduce((n, w) => n + (w.valueAmount as number), 0);
    return t('tenders.value.awarded', { value: formatMoney(total, live[0].currency ?? 'GBP', locale) });
  }
  if (a.valueAmount != null && a.minValueAmount != null) {
    return t('tenders.value.range', { min: formatMoney(a.minValueAmount, cur, locale), max: formatMoney(a.valueAmount, cur, locale) });
  }
  if (a.valueAmount != null) return formatMoney(a.valueAmount, cur, locale);
  if (a.minValueAmount != null) return t('tenders.value.atLeast', { min: formatMoney(a.minValueAmount, cur, locale) });
  return t('tenders.value.none');
}

function lotsText(lots: LotValue[], t: Translate, locale: Locale): string {
  return lots
    .map((l) => `${l.title ?? t('tenders.lot', { id: l.id })}${l.value ? `: ${formatMoney(l.value.amount, l.value.currency, locale)}` : ''}`)
    .join('; ');
}

/** The awards of an alert: "£34,737 to Cabinet Office (2 December 2024)". */
export function awardsText(awards: readonly Pick<TenderAward, 'valueAmount' | 'currency' | 'suppliers' | 'date' | 'status'>[], t: Translate, locale: Locale): string {
  return awards
    .filter((w) => !['cancelled', 'unsuccessful'].includes(w.status ?? ''))
    .map((w) =>
      t('tenders.award.line', {
        value: w.valueAmount == null ? t('tenders.value.none') : formatMoney(w.valueAmount, w.currency ?? 'GBP', locale),
        suppliers: w.suppliers.join(', ') || t('tenders.award.noSupplier'),
        date: w.date ? formatDate(w.date, locale) : '—',
      }),
    )
    .join('; ');
}

/** The alert as members see it, with "interested" buttons (on an open or pipeline alert). */
export function alertMessage(
  a: TenderAlert & { awards?: TenderAward[] },
  t: Translate,
  locale: Locale,
  opts: { buttons?: boolean; headerKey?: MessageKey } = {},
): OutgoingMessage {
  const title = t(opts.headerKey ?? 'tenders.alert.header', { ref: refOf(a), title: a.title });
  const fields: { label: string; value: string }[] = [];
  const add = (key: MessageKey, value: string | null | undefined) => value && fields.push({ label: t(key), value });
  add('tenders.field.buyer', a.buyer);
  const awarded = a.awards?.length ? awardsText(a.awards, t, locale) : '';
  add('tenders.field.value', valueText(a, t, locale, a.awards));
  if (awarded) add('tenders.field.awarded', awarded);
  const lots = (a.lots as unknown as LotValue[]) ?? [];
  if (lots.length) add('tenders.field.lots', lotsText(lots, t, locale));
  add('tenders.field.deadline', a.deadline ? formatDate(a.deadline, locale, true) : t('tenders.deadline.none'));
  if (a.enquiryDeadline) add('tenders.field.enquiry', formatDate(a.enquiryDeadline, locale, true));
  add('tenders.field.route', t(`tenders.route.${a.route as Route}`));
  if (a.themes.length) add('tenders.field.themes', a.themes.join(', '));
  if (a.areas.length) add('tenders.field.areas', a.areas.join(', '));
  if (a.cpv.length) add('tenders.field.cpv', a.cpv.join(', '));
  if (a.consortiaWelcome != null) add('tenders.field.consortia', t(a.consortiaWelcome ? 'tenders.yes' : 'tenders.no'));
  const suited = [a.sme ? t('tenders.suitable.sme') : '', a.vcse ? t('tenders.suitable.vcse') : ''].filter(Boolean).join(', ');
  if (suited) add('tenders.field.suitable', suited);
  if (a.renewalDate || a.renewalNote) {
    add('tenders.field.renewal', [a.renewalDate ? formatDate(a.renewalDate, locale) : '', a.renewalNote ?? ''].filter(Boolean).join(': '));
  }
  add('tenders.field.link', a.link);
  if (a.status !== 'open') add('tenders.field.status', t(`tenders.status.${a.status as AlertStatus}`));
  const description = a.description ? (a.description.length > 600 ? `${a.description.slice(0, 597)}…` : a.description) : '';
  const blocks: Block[] = [{ type: 'header', text: title }];
  if (description) blocks.push({ type: 'section', text: description });
  blocks.push({ type: 'fields', fields });
  if (opts.buttons !== false && (a.status === 'open' || a.status === 'pipeline')) {
    blocks.push({
      type: 'buttons',
      buttons: [
        { label: t('tenders.button.interested'), style: 'primary', action: { command: 'tender interested', args: { ref: a.id } } },
        { label: t('tenders.button.consortium'), action: { command: 'tender consortium', args: { ref: a.id } } },
      ],
    });
  }
  const text = [title, description, ...fields.map((f) => `${f.label}: ${f.value}`)].filter(Boolean).join('\n');
  return { text, blocks };
}

/** What changed, in words. */
export function changeLines(changes: TenderChange[], t: Translate, locale: Locale): string[] {
  return changes.map((c) => {
    switch (c.kind) {
      case 'deadline-moved':
        return t(c.field === 'deadline' ? 'tenders.change.deadline' : 'tenders.change.enquiry', {
          from: formatDate(new Date(c.from), locale, true),
          to: formatDate(new Date(c.to), locale, true),
        });
      case 'value-changed':
        return t('tenders.change.value', { from: formatMoney(c.from.amount, c.from.currency, locale), to: formatMoney(c.to.amount, c.to.currency, locale) });
      case 'cancelled':
        return t('tenders.change.cancelled');
      case 'awarded-changed': {
        const live = c.awards.filter((w) => !['cancelled', 'unsuccessful'].includes(w.status ?? ''));
        if (live.length === 0) return t('tenders.change.awardCancelled');
        const suppliers = [...new Set(live.flatMap((w) => w.suppliers))];
        const values = live.flatMap((w) => (w.value ? [formatMoney(w.value.amount, w.value.currency, locale)] : []));
        if (suppliers.length && values.length) return t('tenders.change.awardedToFor', { suppliers: suppliers.join(', '), value: values.join(' + ') });
        return suppliers.length ? t('tenders.change.awardedTo', { suppliers: suppliers.join(', ') }) : t('tenders.change.awarded');
      }
      case 'opened':
        return t('tenders.change.opened', { deadline: formatDate(new Date(c.deadline), locale, true) });
    }
  });
}

export function amendmentMessage(a: TenderAlert, changes: TenderChange[], t: Translate, locale: Locale): OutgoingMessage {
  const title = t('tenders.amended.header', { ref: refOf(a), title: a.title });
  const lines = changeLines(changes, t, locale);
  const text = [title, ...lines.map((l) => `• ${l}`), a.link ?? ''].filter(Boolean).join('\n');
  return { text, blocks: [{ type: 'header', text: title }, { type: 'section', text: [...lines.map((l) => `• ${l}`), a.link ?? ''].filter(Boolean).join('\n') }] };
}

export function reminderMessage(a: TenderAlert, kind: ReminderKind, t: Translate, locale: Locale): OutgoingMessage {
  const text = t(kind === '1d' ? 'tenders.reminder.1d' : 'tenders.reminder.7d', {
    ref: refOf(a),
    title: a.title,
    deadline: a.deadline ? formatDate(a.deadline, locale, true) : '',
  });
  return { text: a.link ? `${text}\n${a.link}` : text };
}

/** The weekly digest of new alerts for one target. */
export function digestMessage(alerts: TenderAlert[], t: Translate, locale: Locale): OutgoingMessage {
  const title = t('tenders.digest.header', { count: alerts.length });
  const lines = alerts.map((a) =>
    t('tenders.digest.line', {
      ref: refOf(a),
      title: a.title,
      buyer: a.buyer ?? '—',
      value: valueText(a, t, locale),
      deadline: a.deadline ? formatDate(a.deadline, locale) : t('tenders.deadline.none'),
    }),
  );
  const footer = t('tenders.digest.footer');
  return { text: [title, ...lines, footer].join('\n'), blocks: [{ type: 'header', text: title }, { type: 'section', text: lines.join('\n') }, { type: 'section', text: footer }] };
}
