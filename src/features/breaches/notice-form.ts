import type { Locale, Translate } from '../../core/i18n.ts';
import { formatDate } from '../../core/i18n.ts';
import type { Form, FormField, OutgoingMessage } from '../../core/messages.ts';
import { codeName, commitmentText, type CompactWithCatalogue } from './catalogue.service.ts';
import type { CaseView } from './notices.service.ts';
import type { NoticeDraft } from './reports.service.ts';
import type { PartyKind } from './catalogue.service.ts';
import type { CaseState, DeadlineKind } from './rules/case-flow.ts';
import type { BreachOutcome } from './rules/statistics.ts';

export type FileMode = 'named' | 'behalf' | 'anonymous';

/** The guided filing form; where a platform has no forms the core asks its fields one by one. */
export function noticeForm(
  t: Translate,
  locale: Locale,
  compact: CompactWithCatalogue,
  mode: FileMode,
  organisations: { id: string; name: string }[] = [],
  draft?: NoticeDraft,
): Form {
  const fields: FormField[] = [];
  if (mode === 'behalf') {
    fields.push({ kind: 'select', name: 'organisation', label: t('breaches.form.organisation'), required: true, options: organisations.map((o) => ({ label: o.name, value: o.id })) });
  }
  const commitments = compact.codes.flatMap((c) =>
    c.commitments.map((m) => ({
      label: `${codeName(c, locale)}: ${commitmentText(m, locale)}${m.standardDays ? ` (${t('breaches.form.standardDays', { days: m.standardDays })})` : ''}`.slice(0, 150),
      value: m.id,
    })),
  );
  const whatHappened = draft ? t('breaches.draft.whatHappened', { title: draft.title, body: draft.body, days: draft.actualDays, opens: draft.opensOn, closes: draft.closesOn }) : undefined;
  fields.push(
    { kind: 'select', name: 'party', label: t('breaches.form.party'), required: true, options: compact.parties.map((p) => ({ label: p.name, value: p.id })), value: draft?.partyId },
    { kind: 'select', name: 'code', label: t('breaches.form.code'), required: true, options: compact.codes.map((c) => ({ label: codeName(c, locale), value: c.id })), value: draft?.codeId },
    { kind: 'select', name: 'commitment', label: t('breaches.form.commitment'), options: commitments, value: draft?.commitmentId },
    {
      kind: 'select',
      name: 'aspect',
      label: t('breaches.form.aspect'),
      required: true,
      options: [
        { label: t('breaches.aspect.principle'), value: 'principle' },
        { label: t('breaches.aspect.spirit'), value: 'spirit' },
      ],
      value: draft?.aspect,
    },
    { kind: 'textarea', name: 'whatHappened', label: t('breaches.form.whatHappened'), required: true, maxLength: 4000, value: whatHappened },
    { kind: 'date', name: 'happenedOn', label: t('breaches.form.happenedOn'), value: draft?.happenedOn },
    { kind: 'text', name: 'expected', label: t('breaches.form.expected'), maxLength: 200, placeholder: t('breaches.form.expectedHint'), value: draft ? t('breaches.form.days', { days: draft.expectedDays }) : undefined },
    { kind: 'text', name: 'actual', label: t('breaches.form.actual'), maxLength: 200, placeholder: t('breaches.form.actualHint'), value: draft ? t('breaches.form.days', { days: draft.actualDays }) : undefined },
    { kind: 'textarea', name: 'evidence', label: t('breaches.form.evidence'), maxLength: 2000, value: draft?.evidence },
    { kind: 'textarea', name: 'outcomeWanted', label: t('breaches.form.outcomeWanted'), required: true, maxLength: 2000 },
  );
  const defaults: Record<string, string> = {};
  if (draft) {
    // where the platform asks field by field, "-" keeps the suggestion: it travels in the submit args
    for (const f of fields) {
      const v = 'value' in f && f.value !== undefined && f.value !== '' ? String(f.value) : undefined;
      if (v === undefined) continue;
      defaults[f.name] = v;
      const shown = f.kind === 'select' ? (f.options.find((o) => o.value === v)?.label ?? v) : v;
      f.label = `${f.label} ${t('breaches.form.suggested', { value: shown.length > 120 ? `${shown.slice(0, 117)}…` : shown })}`;
      if ('required' in f) f.required = false;
    }
  }
  return {
    id: `breach-file-${mode}`,
    title: t(`breaches.form.title.${mode}`, { compact: compact.name }),
    submitLabel: t('breaches.form.submit'),
    fields,
    submit: {
      command: 'breach submit',
      args: { mode, compact: compact.id, ...(draft ? { draft: JSON.stringify(defaults) } : {}), ...(draft?.consultationId ? { consultation: draft.consultationId } : {}) },
    },
  };
}
/*
 * Words for what a case stores as text: its state, deadline, aspect, the body's kind, the outcome.
 * The keys are built from the typed values, so a value without words fails the type check.
 */
export const stateLabel = (t: Translate, state: string): string => t(`breaches.state.${state as CaseState}`);
export const dueLabel = (t: Translate, kind: string | null): string => t(`breaches.due.${kind as DeadlineKind}`);
export const aspectLabel = (t: Translate, aspect: string): string => t(`breaches.aspect.${aspect as 'principle' | 'spirit'}`);
export const kindLabel = (t: Translate, kind: string): string => t(`breaches.kind.${kind as PartyKind | 'unspecified'}`);
export const outcomeLabel = (t: Translate, outcome: string): string => t(`breaches.outcome.${outcome as BreachOutcome}`);
/** The button that moves a case on to `to` (a case never moves back to filed). */
export const actionLabel = (t: Translate, to: Exclude<CaseState, 'filed'>): string => t(`breaches.action.${to}`);

/** A case as the filer sees it through a receipt, or as named filers see theirs: no officer names. */
export function filerView(t: Translate, locale: Locale, c: CaseView, seen: number): OutgoingMessage {
  const lines = [t('breaches.status.head', { number: c.number, state: stateLabel(t, c.state), filed: formatDate(new Date(`${c.filedOn}T12:00:00Z`), locale) })];
  if (c.dueOn && c.dueKind) lines.push(t('breaches.status.due', { what: dueLabel(t, c.dueKind), date: formatDate(new Date(`${c.dueOn}T12:00:00Z`), locale) }));
  const officerMessages = c.messages.filter((m) => m.fromOfficer);
  const fresh = c.steps.length + officerMessages.length - seen;
  if (fresh > 0) lines.push(t('breaches.status.new', { count: fresh }));
  if (c.steps.length) {
    lines.push('', t('breaches.status.steps'));
    for (const s of c.steps) {
      const extra = s.toState === 'escalated' && c.compact.escalationBody ? ` (${c.compact.escalationBody})` : '';
      lines.push(`• ${formatDate(s.at, locale)}: ${stateLabel(t, s.toState)}${extra}: ${s.note}`);
    }
  }
  if (c.messages.length) {
    lines.push('', t('breaches.status.messages'));
    for (const m of c.messages) lines.push(`• ${formatDate(new Date(`${m.on}T12:00:00Z`), locale)} ${t(m.fromOfficer ? 'breaches.status.fromOfficer' : 'breaches.status.fromYou')}: ${m.body}`);
  }
  return { text: lines.join('\n') };
}
