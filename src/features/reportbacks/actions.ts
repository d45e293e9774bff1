import { isDay } from './schedule.ts';
import type { MessageKey } from '../../core/i18n.ts';

/** One action of a report-back as typed: what, who, by when. */
export interface ParsedAction {
  what: string;
  who: string;
  dueOn: string;
}

export interface ActionProblem {
  key: MessageKey;
  params: Record<string, string | number>;
}

/**
 * Reads actions, one a line: "what; who; YYYY-MM-DD" (a "|" works too). Every action needs an
 * owner and a date that is not before `earliestDay`; problems name the line.
 */
export function parseActions(text: string | undefined, earliestDay: string): { actions: ParsedAction[]; problems: ActionProblem[] } {
  const actions: ParsedAction[] = [];
  const problems: ActionProblem[] = [];
  const lines = (text ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  lines.forEach((line, i) => {
    const n = i + 1;
    const [what = '', who = '', when = '', ...extra] = line.replace(/^[-•*]\s*/, '').split(/\s*[;|]\s*/);
    if (!what || what.length < 2) problems.push({ key: 'reportbacks.action.noWhat', params: { line: n } });
    else if (what.length > 300) problems.push({ key: 'reportbacks.action.tooLong', params: { line: n, max: 300 } });
    if (!who) problems.push({ key: 'reportbacks.action.noOwner', params: { line: n } });
    else if (who.length > 120) problems.push({ key: 'reportbacks.action.tooLong', params: { line: n, max: 120 } });
    if (!when) problems.push({ key: 'reportbacks.action.noDate', params: { line: n } });
    else if (!isDay(when)) problems.push({ key: 'reportbacks.action.badDate', params: { line: n, date: when } });
    else if (when < earliestDay) problems.push({ key: 'reportbacks.action.pastDate', params: { line: n, date: when } });
    if (extra.length) problems.push({ key: 'reportbacks.action.format', params: { line: n } });
    if (what && who && when) actions.push({ what, who, dueOn: when });
  });
  return problems.length ? { actions: [], problems } : { actions, problems };
}

/** Decisions and issues: one a line, bullets stripped. */
export function lines(text: string | undefined): string[] {
  return (text ?? '').split(/\r?\n/).map((l) => l.replace(/^[-•*]\s*/, '').trim()).filter(Boolean);
}
