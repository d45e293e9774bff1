import { formatDate, type Locale, type Translate } from '../../core/i18n.ts';
import type { Block, OutgoingMessage } from '../../core/messages.ts';
import type { Consultation, ConsultationView, Update, UpdateTheme } from '../../generated/prisma/client.ts';
import { COMPACT_MIN_DAYS, daysLeft, STANDARD_THEMES, type StandardTheme } from './rules.ts';

type Own = Pick<UpdateTheme, 'key' | 'name'>[];
type Full = Update & { consultation: Consultation | null };

export const ref = (id: string) => id.slice(0, 8);

export function themeName(key: string, t: Translate, own: Own): string {
  if ((STANDARD_THEMES as readonly string[]).includes(key)) return t(`updates.theme.${key as StandardTheme}`);
  return own.find((o) => o.key === key)?.name ?? key;
}

export const themeList = (keys: string[], t: Translate, own: Own) => keys.map((k) => themeName(k, t, own)).join(', ');

/** The Compact flag line of a short consultation, or nothing. */
export function shortFlag(c: Consultation, t: Translate): string | undefined {
  return c.shortConsultation ? t('updates.consultation.shortFlag', { days: c.lengthDays, weeks: COMPACT_MIN_DAYS / 7 }) : undefined;
}

/** An update as posted: short, with its themes, and for a consultation its dates and the Compact check. */
export function renderUpdate(u: Full, t: Translate, locale: Locale, own: Own): OutgoingMessage {
  const c = u.consultation;
  const heading = c ? t('updates.post.consultationHeading', { title: u.title }) : t('updates.post.heading', { title: u.title });
  const lines = [heading];
  if (u.body) lines.push(u.body);
  const fields = [{ label: t('updates.field.themes'), value: themeList(u.themes, t, own) }];
  if (u.partnership) fields.push({ label: t('updates.field.partnership'), value: u.partnership });
  if (c) {
    fields.push(
      { label: t('updates.field.runBy'), value: c.runBy },
      { label: t('updates.field.dates'), value: t('updates.consultation.dates', { opens: formatDate(c.opensOn, locale), closes: formatDate(c.closesOn, locale), days: c.lengthDays }) },
    );
  }
  const link = c?.link ?? u.link;
  if (link) fields.push({ label: t('updates.field.link'), value: link });
  fields.push({ label: t('updates.field.ref'), value: ref(u.id) });
  const flag = c && shortFlag(c, t);
  const text = [...lines, ...fields.map((f) => `${f.label}: ${f.value}`), ...(flag ? [flag] : [])].join('\n');
  const blocks: Block[] = [{ type: 'header', text: heading }];
  if (u.body) blocks.push({ type: 'section', text: u.body });
  blocks.push({ type: 'fields', fields });
  if (flag) blocks.push({ type: 'section', text: flag });
  if (c) blocks.push({ type: 'buttons', buttons: [{ label: t('updates.view.button'), style: 'primary', action: { command: 'consultation respond', args: { ref: ref(u.id) } } }] });
  return { text, blocks };
}

/** One line of an update in a digest or list. */
export function updateLine(u: Full, t: Translate, locale: Locale, own: Own, now?: Date): string {
  const bits = [`• ${u.title}`];
  bits.push(`(${themeList(u.themes, t, own)})`);
  if (u.consultation) {
    bits.push(t('updates.line.consultation', { closes: formatDate(u.consultation.closesOn, locale), ...(now ? { left: daysLeft(u.consultation.closesOn, now) } : { left: '' }) }));
    if (u.consultation.shortConsultation) bits.push(t('updates.line.short', { days: u.consultation.lengthDays }));
  }
  const link = u.consultation?.link ?? u.link;
  if (link) bits.push(link);
  bits.push(`[${ref(u.id)}]`);
  return bits.join(' ');
}

/** The weekly digest: every update of the week, once each. */
export function renderDigest(updates: Full[], t: Translate, locale: Locale, own: Own, forumName: string, to: Date): OutgoingMessage {
  const heading = t('updates.digest.heading', { forum: forumName, date: formatDate(to, locale), count: updates.length });
  const lines = updates.map((u) => updateLine(u, t, locale, own));
  return { text: [heading, ...lines].join('\n'), blocks: [{ type: 'header', text: heading }, { type: 'section', text: lines.join('\n') }] };
}

export function renderReminder(u: Full, which: '14d' | '3d', t: Translate, locale: Locale): OutgoingMessage {
  const c = u.consultation!;
  const text = t(which === '14d' ? 'updates.reminder.twoWeeks' : 'updates.reminder.threeDays', { title: u.title, runBy: c.runBy, closes: formatDate(c.closesOn, locale), ref: ref(u.id) });
  return { text, blocks: [{ type: 'section', text }, { type: 'buttons', buttons: [{ label: t('updates.view.button'), style: 'primary', action: { command: 'consultation respond', args: { ref: ref(u.id) } } }] }] };
}

/** The members' views as a draft joint response, in Markdown, for the officer to edit and send. */
export function renderResponseMarkdown(
  u: Full,
  views: (ConsultationView & { person: { displayName: string } })[],
  t: Translate,
  locale: Locale,
  forumName: string,
  now: Date,
): string {
  const c = u.consultation!;
  const out = [
    `# ${t('updates.export.title', { title: u.title })}`,
    '',
    `**${t('updates.field.runBy')}:** ${c.runBy}  `,
    `**${t('updates.field.dates')}:** ${t('updates.consultation.dates', { opens: formatDate(c.opensOn, locale), closes: formatDate(c.closesOn, locale), days: c.lengthDays })}  `,
    ...(c.link ?? u.link ? [`**${t('updates.field.link')}:** ${c.link ?? u.link}  `] : []),
    '',
    `_${t('updates.export.draftNote', { forum: forumName, count: views.length, date: formatDate(now, locale) })}_`,
    '',
  ];
  if (c.shortConsultation) out.push(`> ${shortFlag(c, t)}`, '');
  out.push(`## ${t('updates.export.introHeading')}`, '', t('updates.export.intro', { forum: forumName, count: views.length }), '', `## ${t('updates.export.viewsHeading')}`, '');
  if (views.length === 0) out.push(t('updates.export.noViews'), '');
  for (const v of views) {
    out.push(`### ${v.organisation ?? t('updates.export.individual', { name: v.person.displayName })}`, '', v.text, '');
  }
  return out.join('\n');
}
