import { describe, expect, it } from 'vitest';
import type { Block, OutgoingMessage, RankedBallot } from '../../src/core/messages.ts';
import {
  CARD_CONTENT_TYPE,
  CARD_VERSION,
  MAX_ACTIONS_PER_SET,
  MAX_MESSAGE_BYTES,
  renderMessage,
  utf16Bytes,
  visibleText,
  type AdaptiveCard,
  type CardElement,
  type MessageActivity,
} from './render.ts';

/** Teams' rules, checked on every activity a test renders. */
function checkTeamsRules(activities: MessageActivity[]) {
  for (const a of activities) {
    // with room for the envelope the connector adds (ids, names, service URL: well under 4 KB)
    expect(utf16Bytes(a) + 4 * 1024).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    for (const att of a.attachments ?? []) {
      expect(att.contentType).toBe(CARD_CONTENT_TYPE);
      expect(att.content.version).toBe(CARD_VERSION);
      const body = att.content.body;
      for (const e of body) if (e.type === 'ActionSet') expect((e.actions as unknown[]).length).toBeLessThanOrEqual(MAX_ACTIONS_PER_SET);
      const interactive = body.filter((e) => String(e.type).startsWith('Input.')).length;
      const submitters = body.filter((e) => e.type === 'ActionSet').flatMap((e) => e.actions as { data: { fb: string } }[]).filter((x) => x.data.fb !== 'action');
      if (interactive) expect(new Set(submitters.map((s) => s.data.fb)).size).toBe(1);
    }
  }
}

const cards = (activities: MessageActivity[]): AdaptiveCard[] => activities.flatMap((a) => a.attachments?.map((x) => x.content) ?? []);
const all = (activities: MessageActivity[]): CardElement[] => cards(activities).flatMap((c) => c.body);
const textOf = (activities: MessageActivity[]) => activities.map((a) => visibleText(a)).join('\n');
const msg = (blocks: Block[], text = 'summary'): OutgoingMessage => ({ text, blocks });

describe('Teams rendering', () => {
  it('a one-line text is a plain message; more lines become a card, one text block a line', () => {
    expect(renderMessage({ text: 'Forum created.' })).toEqual([{ type: 'message', text: 'Forum created.', textFormat: 'plain' }]);
    const out = renderMessage({ text: 'line one\nline two\n\nafter a gap' });
    checkTeamsRules(out);
    expect(all(out).map((e) => e.text)).toEqual(['line one', 'line two', 'after a gap']);
    expect(all(out)[2].spacing).toBe('Medium');
  });

  it('uses schema 1.5 with Action.Execute, falling back to Action.Submit with the same data', () => {
    const out = renderMessage(msg([{ type: 'buttons', buttons: [{ label: 'Approve', style: 'primary', action: { command: 'request approve', args: { id: 'r1' } } }] }]));
    checkTeamsRules(out);
    const action = (all(out)[0].actions as Record<string, unknown>[])[0];
    expect(action).toMatchObject({ type: 'Action.Execute', verb: 'forumbot', title: 'Approve', style: 'positive', associatedInputs: 'none', data: { fb: 'action', cmd: 'request approve', args: { id: 'r1' } } });
    expect(action.fallback).toMatchObject({ type: 'Action.Submit', title: 'Approve', data: action.data });
  });

  it('text at the size limit goes on in further cards, every line kept in order', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `Line ${i + 1}: Cyngor Gweithredu Gwirfoddol — “${'ŵ'.repeat(i % 40)}”`);
    const out = renderMessage(msg([{ type: 'header', text: 'Register' }, { type: 'section', text: lines.join('\n') }]));
    checkTeamsRules(out);
    expect(out.length).toBeGreaterThan(3);
    expect(textOf(out)).toBe(['Register', ...lines].join('\n'));
    expect(out.every((a) => a.summary === 'summary')).toBe(true);
  });

  it('a single line longer than a card is cut into pieces, nothing lost', () => {
    const long = 'x'.repeat(60_000);
    const out = renderMessage({ text: long });
    checkTeamsRules(out);
    expect(textOf(out).replace(/\n/g, '')).toBe(long);
  });

  it('more than six buttons go into several action sets', () => {
    const buttons = Array.from({ length: 14 }, (_, i) => ({ label: `Option ${i + 1}`, action: { command: 'pick', args: { n: i } } }));
    const out = renderMessage(msg([{ type: 'buttons', buttons }]));
    checkTeamsRules(out);
    const sets = all(out).filter((e) => e.type === 'ActionSet');
    expect(sets.map((s) => (s.actions as unknown[]).length)).toEqual([6, 6, 2]);
    expect(sets.flatMap((s) => (s.actions as { title: string }[]).map((a) => a.title))).toEqual(buttons.map((b) => b.label));
  });

  it('a select is a dropdown with a button; a list too long for a card is split, every option kept once', () => {
    const options = Array.from({ length: 1500 }, (_, i) => ({ label: `Organisation number ${i + 1} in Ceredigion`, value: `org-${i + 1}` }));
    const out = renderMessage(msg([{ type: 'select', id: 's', label: 'Choose an organisation', placeholder: 'Organisation', options, action: { command: 'join' }, argName: 'organisation' }]));
    checkTeamsRules(out);
    expect(out.length).toBeGreaterThan(1);
    const sets = all(out).filter((e) => e.type === 'Input.ChoiceSet');
    expect(sets.flatMap((s) => (s.choices as { value: string }[]).map((c) => c.value))).toEqual(options.map((o) => o.value));
    // each dropdown's button submits that dropdown
    for (const c of cards(out)) {
      const input = c.body.find((e) => e.type === 'Input.ChoiceSet')!;
      const action = (c.body.find((e) => e.type === 'ActionSet')!.actions as { data: { input: string; arg: string } }[])[0];
      expect(action.data).toMatchObject({ input: input.id, arg: 'organisation' });
    }
  });

  it('a form is a card of inputs of the right kinds; two forms make two cards', () => {
    const form = (id: string) => ({
      type: 'form' as const,
      form: {
        id,
        title: 'Report-back',
        submitLabel: 'Send',
        submit: { command: 'reportback file', args: { seat: 's1' } },
        fields: [
          { kind: 'text' as const, name: 'title', label: 'Title', required: true, maxLength: 80, placeholder: 'e.g. March meeting' },
          { kind: 'textarea' as const, name: 'summary', label: 'Summary', maxLength: 2000 },
          { kind: 'number' as const, name: 'value', label: 'Value (£)', min: 0, max: 1_000_000 },
          { kind: 'date' as const, name: 'met', label: 'Meeting date', value: '2026-11-20' },
          { kind: 'select' as const, name: 'code', label: 'Code', options: [{ label: 'Funding', value: 'funding' }, { label: 'Consultation', value: 'consultation' }] },
          { kind: 'checkbox' as const, name: 'anon', label: 'File anonymously', value: true },
        ],
      },
    });
    const out = renderMessage(msg([{ type: 'section', text: 'Please fill in' }, form('a'), { type: 'divider' }, form('b')]));
    checkTeamsRules(out);
    expect(cards(out)).toHaveLength(2);
    const inputs = cards(out)[0].body.filter((e) => String(e.type).startsWith('Input.'));
    expect(inputs.map((e) => e.type)).toEqual(['Input.Text', 'Input.Text', 'Input.Number', 'Input.Date', 'Input.ChoiceSet', 'Input.Toggle']);
    expect(inputs[0]).toMatchObject({ isRequired: true, maxLength: 80, placeholder: 'e.g. March meeting', label: 'Title' });
    expect(inputs[1]).toMatchObject({ isMultiline: true, maxLength: 2000 });
    expect(inputs[2]).toMatchObject({ min: 0, max: 1_000_000 });
    expect(inputs[3]).toMatchObject({ value: '2026-11-20' });
    expect(inputs[5]).toMatchObject({ valueOn: 'true', valueOff: 'false', value: 'true' });
    // the two forms' inputs have different ids, and the second card starts without a dangling separator
    expect(cards(out)[1].body.filter((e) => String(e.type).startsWith('Input.'))[0].id).not.toBe(inputs[0].id);
    expect(cards(out)[1].body[0].separator).toBeUndefined();
  });

  const ballot = (n: number, nameLength = 12): RankedBallot => ({
    id: 'b',
    title: 'Youth seat',
    instructions: 'Number the candidates in order of preference.',
    candidates: Array.from({ length: n }, (_, i) => ({ id: `c${i + 1}-${'0'.repeat(30)}`, name: `Candidate ${i + 1} ${'n'.repeat(nameLength)}`, statement: i < 2 ? 'I will listen.' : undefined })),
    submitLabel: 'Cast my vote',
    submit: { command: 'vote', args: { election: 'e1' } },
  });

  it('a ranked ballot is one dropdown per rank, each listing every candidate', () => {
    const out = renderMessage(msg([{ type: 'ballot', ballot: ballot(6) }]));
    checkTeamsRules(out);
    const ranks = all(out).filter((e) => e.type === 'Input.ChoiceSet');
    expect(ranks.map((r) => r.id)).toEqual(['rank_1', 'rank_2', 'rank_3', 'rank_4', 'rank_5', 'rank_6']);
    expect((ranks[5].choices as { title: string }[]).map((c) => c.title)).toEqual(ballot(6).candidates.map((c) => c.name));
    expect(textOf(out)).toContain('I will listen.');
    const withMax = renderMessage(msg([{ type: 'ballot', ballot: { ...ballot(6), maxRanks: 3 } }]));
    expect(all(withMax).filter((e) => e.type === 'Input.ChoiceSet')).toHaveLength(3);
  });

  it('a ballot too big for dropdowns becomes a numbered list with the order typed in, every candidate shown', () => {
    const big = ballot(60, 40);
    const out = renderMessage(msg([{ type: 'ballot', ballot: big }]));
    checkTeamsRules(out);
    expect(all(out).some((e) => e.id === 'ballot_order')).toBe(true);
    for (const [i, c] of big.candidates.entries()) expect(textOf(out)).toContain(`${i + 1}. ${c.name}`);
  });

  it('fields are a fact set; thousands of them are spread over cards', () => {
    const fields = Array.from({ length: 2000 }, (_, i) => ({ label: `Seat ${i + 1}`, value: `Holder ${i + 1} (Aberaeron Youth Club)` }));
    const out = renderMessage(msg([{ type: 'fields', fields }]));
    checkTeamsRules(out);
    expect(out.length).toBeGreaterThan(1);
    expect(textOf(out)).toBe(fields.map((f) => `${f.label}: ${f.value}`).join('\n'));
  });

  it('a divider separates what follows', () => {
    const out = renderMessage(msg([{ type: 'section', text: 'one' }, { type: 'divider' }, { type: 'section', text: 'two' }]));
    expect(all(out)[1]).toMatchObject({ text: 'two', separator: true });
  });

  it('the notification preview is short; the message keeps the whole text', () => {
    const text = 'a'.repeat(1000);
    const [a] = renderMessage(msg([{ type: 'section', text }], text));
    expect(a.summary!.length).toBeLessThanOrEqual(250);
    expect(visibleText(a)).toBe(text);
  });
});
