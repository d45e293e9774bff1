import type { Capabilities } from './adapter.ts';
import { readDate } from './dates.ts';
import { fold, optionReading, yesNo } from './input.ts';
import type { FlowState } from './conversation.ts';
import type { MessageKey, Translate } from './i18n.ts';
import type { ActionRef, Block, Form, FormField, OutgoingMessage, RankedBallot } from './messages.ts';

/**
 * Where a platform cannot show buttons, forms or ranked ballots, the core turns them into
 * numbered text and a conversation that remembers where it is (in the database, so a restart
 * mid-form loses nothing).
 */
export type FallbackState =
  | FlowState<{ options: ActionRef[] }> & { flow: 'menu' }
  | FlowState<{ form: Form; values: Record<string, unknown> }> & { flow: 'form' }
  | FlowState<{ ballot: RankedBallot }> & { flow: 'ballot' };

export interface Adapted {
  message: OutgoingMessage;
  state?: FallbackState;
}

/** Rewrites the blocks a platform lacks; at most one interactive element becomes a flow. */
export function adaptMessage(message: OutgoingMessage, caps: Capabilities, t: Translate): Adapted {
  if (!message.blocks) return { message };
  const blocks: Block[] = [];
  let state: FallbackState | undefined;
  for (const block of message.blocks) {
    if (block.type === 'buttons' && !caps.buttons && !state) {
      const options = block.buttons.map((b) => b.action);
      blocks.push({ type: 'section', text: numbered(block.buttons.map((b) => b.label), t) });
      state = { flow: 'menu', step: 0, data: { options } };
    } else if (block.type === 'select' && !caps.selects && !state) {
      const options = block.options.map((o) => ({ ...block.action, args: { ...block.action.args, [block.argName]: o.value } }));
      blocks.push({ type: 'section', text: `${block.label}\n${numbered(block.options.map((o) => o.label), t)}` });
      state = { flow: 'menu', step: 0, data: { options } };
    } else if (block.type === 'form' && !caps.forms && !state) {
      blocks.push({ type: 'section', text: `${block.form.title}\n${t('core.form.intro', { count: block.form.fields.length })}\n\n${question(block.form.fields[0], 0, block.form.fields.length, t)}` });
      state = { flow: 'form', step: 0, data: { form: block.form, values: {} } };
    } else if (block.type === 'ballot' && !caps.ballots && !state) {
      const b = block.ballot;
      const list = b.candidates.map((c, i) => `${i + 1}. ${c.name}`).join('\n');
      blocks.push({ type: 'section', text: `${b.title}\n${b.instructions}\n${list}\n${t('core.ballot.textHowTo')}` });
      state = { flow: 'ballot', step: 0, data: { ballot: b } };
    } else if (block.type === 'form' && !block.form.requiredMessage) {
      blocks.push({ ...block, form: { ...block.form, requiredMessage: t('core.form.required') } });
    } else if (block.type === 'ballot' && !block.ballot.requiredMessage) {
      blocks.push({ ...block, ballot: { ...block.ballot, requiredMessage: t('core.ballot.required'), typedHint: t('core.ballot.textHowTo') } });
    } else {
      blocks.push(block);
    }
  }
  return { message: { ...message, blocks }, state };
}

function numbered(labels: string[], t: Translate): string {
  return `${labels.map((l, i) => `${i + 1}. ${l}`).join('\n')}\n${t('core.menu.howTo')}`;
}

export function question(field: FormField, index: number, total: number, t: Translate): string {
  let q = `(${index + 1}/${total}) ${field.label}`;
  if (field.kind === 'select') q += '\n' + field.options.map((o, i) => `${i + 1}. ${o.label}`).join('\n');
  if (field.kind === 'checkbox') q += ` ${t('core.form.yesNo')}`;
  if (field.kind === 'date') q += ` ${t('core.form.dateHint')}`;
  if (!('required' in field && field.required)) q += ` ${t('core.form.optional')}`;
  return q;
}

/** Reads one typed answer to a form question: a value, or a catalogue key saying what is wrong. */
export function readAnswer(field: FormField, text: string, now: Date = new Date()): { value: unknown } | { problem: MessageKey; params?: Record<string, string | number> } {
  const raw = text.trim();
  const skip = raw === '' || raw === '-';
  if (skip) {
    if ('required' in field && field.required) return { problem: 'core.form.required' };
    return { value: undefined };
  }
  switch (field.kind) {
    case 'text':
    case 'textarea':
      if (field.maxLength && raw.length > field.maxLength) return { problem: 'core.form.tooLong', params: { max: field.maxLength } };
      return { value: raw };
    case 'number': {
      const n = Number(raw.replace(/[£,]/g, ''));
      return Number.isFinite(n) ? { value: n } : { problem: 'core.form.notNumber' };
    }
    case 'date': {
      const day = readDate(raw, now);
      return day ? { value: day } : { problem: 'core.form.notDate' };
    }
    case 'checkbox':
    {
      const answer = raw === '1' ? true : raw === '0' ? false : yesNo(raw);
      return answer === undefined ? { problem: 'core.form.notYesNo' } : { value: answer };
    }
    case 'select': {
      const i = Number(raw) - 1;
      const typed = fold(raw);
      const meant = optionReading(raw);
      const opt = field.options[i] ?? field.options.find((o) => fold(o.value) === typed || fold(o.label) === typed || (meant !== undefined && o.value === meant));
      return opt ? { value: opt.value } : { problem: 'core.form.notOption', params: { count: field.options.length } };
    }
  }
}

/** Reads "2 1 3" (or "2,1,3") as a ranking of a text ballot: candidate ids in order. */
export function readRanking(ballot: RankedBallot, text: string): { ranking: string[] } | { problem: MessageKey } {
  const numbers = text.split(/[\s,>]+/).filter(Boolean).map(Number);
  if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > ballot.candidates.length)) {
    return { problem: 'core.ballot.badNumbers' };
  }
  return { ranking: numbers.map((n) => ballot.candidates[n - 1].id) };
}
