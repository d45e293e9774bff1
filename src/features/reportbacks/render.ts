import { formatDate, type Locale, type Translate } from '../../core/i18n.ts';
import type { Block, OutgoingMessage } from '../../core/messages.ts';

/** Messages of report-backs, built once per language (broadcasts render each language). */
const msg = (text: string, blocks?: Block[]): OutgoingMessage => (blocks ? { text, blocks } : { text });
export const when = (d: Date, locale: Locale) => formatDate(d, locale, true);
export const day = (d: Date, locale: Locale) => formatDate(d, locale);
export const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`);

interface MeetingRef {
  id: string;
  startsAt: Date;
  partnership: { name: string };
}

const fileButton = (t: Translate, meetingId: string): Block => ({
  type: 'buttons',
  buttons: [{ label: t('reportbacks.prompt.button'), action: { command: 'reportback file', args: { meeting: meetingId } }, style: 'primary' }],
});

export function promptMessage(t: Translate, locale: Locale, m: MeetingRef, dueAt: Date): OutgoingMessage {
  const text = t('reportbacks.prompt.text', { partnership: m.partnership.name, date: day(m.startsAt, locale), due: day(new Date(dueAt.getTime() - 1), locale) });
  return msg(text, [{ type: 'section', text }, fileButton(t, m.id)]);
}

export function reminderMessage(t: Translate, locale: Locale, m: MeetingRef, kind: 'soon' | 'due', dueAt: Date): OutgoingMessage {
  const text = t(kind === 'due' ? 'reportbacks.remind.due' : 'reportbacks.remind.soon', {
    partnership: m.partnership.name, date: day(m.startsAt, locale), due: day(new Date(dueAt.getTime() - 1), locale),
  });
  return msg(text, [{ type: 'section', text }, fileButton(t, m.id)]);
}

export interface PublishedReport {
  id: string;
  summary: string;
  joint: boolean;
  decisions: string[];
  issuesForSector: string[];
}

/** The short form posted to the forum's channels; the full text is one button away. */
export function publishedMessage(t: Translate, locale: Locale, r: PublishedReport, m: MeetingRef, author: string, counts: { actions: number; responses: number }): OutgoingMessage {
  const title = t('reportbacks.publish.title', { partnership: m.partnership.name, date: day(m.startsAt, locale) });
  const by = t(r.joint ? 'reportbacks.publish.byJoint' : 'reportbacks.publish.by', { name: author });
  const short = clip(r.summary, 280);
  const tally = t('reportbacks.publish.counts', { decisions: r.decisions.length, actions: counts.actions, issues: r.issuesForSector.length, responses: counts.responses });
  return msg([title, by, short, tally].join('\n'), [
    { type: 'header', text: title },
    { type: 'section', text: `${by}\n\n${short}` },
    { type: 'section', text: tally },
    { type: 'buttons', buttons: [{ label: t('reportbacks.publish.readMore'), action: { command: 'reportback show', args: { id: r.id } } }] },
  ]);
}

export function issueAnsweredMessage(t: Translate, issue: { number: number; text: string; response: string | null }, partnership: string, reportId: string): OutgoingMessage {
  const text = t('reportbacks.issue.answered', { number: issue.number, partnership, issue: clip(issue.text, 200), response: issue.response ?? '' });
  return msg(text, [{ type: 'section', text }, { type: 'buttons', buttons: [{ label: t('reportbacks.publish.readMore'), action: { command: 'reportback show', args: { id: reportId } } }] }]);
}

export function issueRaisedMessage(t: Translate, issue: { id: string; number: number; text: string }, partnership: string, by: string): OutgoingMessage {
  const text = t('reportbacks.issue.raisedPost', { number: issue.number, partnership, by, issue: issue.text });
  return msg(text, [{ type: 'section', text }, { type: 'buttons', buttons: [{ label: t('reportbacks.issue.backButton'), action: { command: 'issue back', args: { issue: String(issue.number) } } }] }]);
}

export function issueLines(t: Translate, issues: { number: number; text: string; _count: { backings: number } }[]): string {
  return issues.map((i) => `#${i.number} ${i.text} (${t('reportbacks.issue.backers', { count: i._count.backings })})`).join('\n');
}

export function caucusMessage(t: Translate, locale: Locale, m: MeetingRef & { place: string | null }, issues: { number: number; text: string; _count: { backings: number } }[]): OutgoingMessage {
  const title = t('reportbacks.caucus.title', { partnership: m.partnership.name, date: when(m.startsAt, locale) });
  const body = issues.length ? `${t('reportbacks.caucus.intro', { count: issues.length })}\n${issueLines(t, issues)}` : t('reportbacks.caucus.none');
  return msg(`${title}\n${body}`, [{ type: 'header', text: title }, { type: 'section', text: body }, { type: 'section', text: t('reportbacks.caucus.after') }]);
}

export function actionReminderMessage(t: Translate, locale: Locale, a: { what: string; dueOn: Date }, partnership: string): OutgoingMessage {
  return msg(t('reportbacks.action.reminder', { what: a.what, partnership, due: formatDate(a.dueOn, locale) }));
}
