import { describe, expect, it } from 'vitest';
import type { Block, OutgoingMessage, SelectOption } from '../../src/core/messages.ts';
import { blockKitProblems, viewProblems } from '../../test/platforms/slack/block-kit.ts';
import { demoMessage } from '../../test/platforms/slack/demo-feature.ts';
import { Packer } from './pack.ts';
import { parseViewSubmission } from './parse.ts';
import { splitText } from '../shared/text.ts';
import { ballotView, formView, LIMITS, optionValue, renderMessage, type SlackBlock } from './render.ts';

/** Block Kit's limits, each tested at the limit and one past it; nothing may be lost on the way. */
const packer = new Packer();
const render = (m: OutgoingMessage) => renderMessage(m, packer);
const only = (blocks: Block[]) => render({ text: 'summary', blocks });
const valid = (r: ReturnType<typeof render>) => {
  for (const m of r.messages) expect(blockKitProblems(m.blocks, 'message')).toEqual([]);
  if (r.modal) expect(viewProblems(r.modal)).toEqual([]);
};
const texts = (blocks: SlackBlock[]) => blocks.map((b) => (b.text as { text: string } | undefined)?.text ?? '');
const options = (n: number, label = (i: number) => `Option ${i}`): SelectOption[] => Array.from({ length: n }, (_, i) => ({ label: label(i), value: `v${i}` }));

describe('Block Kit rendering at Slack’s limits', () => {
  it('50 blocks a message: more continue in further messages, in order', () => {
    const fifty = only(Array.from({ length: 50 }, (_, i) => ({ type: 'section', text: `s${i}` })));
    expect(fifty.messages.map((m) => m.blocks.length)).toEqual([50]);
    const many = only(Array.from({ length: 120 }, (_, i) => ({ type: 'section', text: `s${i}` })));
    expect(many.messages.map((m) => m.blocks.length)).toEqual([50, 50, 20]);
    expect(many.messages.flatMap((m) => texts(m.blocks))).toEqual(Array.from({ length: 120 }, (_, i) => `s${i}`));
    valid(many);
  });

  it('3,000 characters a section: longer text is split into several sections, losing nothing', () => {
    expect(only([{ type: 'section', text: 'a'.repeat(3000) }]).messages[0].blocks).toHaveLength(1);
    expect(only([{ type: 'section', text: 'a'.repeat(3001) }]).messages[0].blocks).toHaveLength(2);
    const words = Array.from({ length: 4000 }, (_, i) => `word${i}`).join(' ');
    const r = only([{ type: 'section', text: words }]);
    valid(r);
    expect(texts(r.messages.flatMap((m) => m.blocks)).join(' ')).toBe(words);
    const plainText = render({ text: 'x'.repeat(7000) });
    expect(plainText.messages[0].blocks).toHaveLength(3);
    expect(plainText.messages[0].text.length).toBeLessThanOrEqual(LIMITS.notificationText);
    valid(plainText);
  });

  it('splits at line breaks and never inside a surrogate pair', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} 🏴󠁧󠁢󠁷󠁬󠁳󠁿 ${'é'.repeat(20)}`).join('\n');
    const parts = splitText(lines, 3000);
    expect(parts.every((p) => p.length <= 3000 && !p.startsWith('\n'))).toBe(true);
    expect(parts.join('\n')).toBe(lines);
    const emoji = '😀'.repeat(2000);
    expect(splitText(emoji, 3000).join('')).toBe(emoji);
  });

  it('150 characters a header; a longer one becomes a bold section', () => {
    expect(only([{ type: 'header', text: 'h'.repeat(150) }]).messages[0].blocks[0].type).toBe('header');
    const long = only([{ type: 'header', text: 'h'.repeat(151) }]).messages[0].blocks[0];
    expect(long.type).toBe('section');
    expect((long.text as { text: string }).text).toBe(`*${'h'.repeat(151)}*`);
  });

  it('10 fields a section, 2,000 characters a field: more go on, a long one gets its own section', () => {
    const fields = Array.from({ length: 25 }, (_, i) => ({ label: `L${i}`, value: `V${i}` }));
    const r = only([{ type: 'fields', fields }]);
    expect(r.messages[0].blocks.map((b) => (b.fields as unknown[]).length)).toEqual([10, 10, 5]);
    const long = only([{ type: 'fields', fields: [{ label: 'Short', value: 'x' }, { label: 'Long', value: 'y'.repeat(2500) }] }]);
    expect(long.messages[0].blocks.map((b) => (b.fields ? 'fields' : 'section'))).toEqual(['fields', 'section']);
    valid(r);
    valid(long);
  });

  it('25 elements an actions block, 75 characters a button label', () => {
    const buttons = (n: number, label = (i: number) => `B${i}`) => only([{ type: 'buttons', buttons: Array.from({ length: n }, (_, i) => ({ label: label(i), action: { command: 'x', args: { i } } })) }]);
    expect(buttons(25).messages[0].blocks).toHaveLength(1);
    expect(buttons(30).messages[0].blocks.map((b) => (b.elements as unknown[]).length)).toEqual([25, 5]);
    const at = buttons(1, () => 'l'.repeat(75)).messages[0].blocks[0].elements as { text: { text: string } }[];
    expect(at[0].text.text).toBe('l'.repeat(75));
    const over = buttons(1, () => 'l'.repeat(76)).messages[0].blocks[0].elements as { text: { text: string } }[];
    expect(over[0].text.text).toBe(`${'l'.repeat(74)}…`);
    valid(buttons(30, () => 'l'.repeat(90)));
  });

  it('2,000 characters a button value: a big action is compressed or kept, and comes back whole', () => {
    const args = { note: Array.from({ length: 3000 }, (_, i) => String.fromCharCode(65 + ((i * 7919) % 26))).join('') };
    const r = only([{ type: 'buttons', buttons: [{ label: 'Go', action: { command: 'big', args } }] }]);
    const value = (r.messages[0].blocks[0].elements as { value: string }[])[0].value;
    expect(value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
    expect(packer.unpack(value)).toEqual({ c: 'big', a: args });
    valid(r);
  });

  it('100 options a select; more go in option groups of 100; 75-character labels, 150-character values', () => {
    const select = (opts: SelectOption[]) => only([{ type: 'select', id: 's', label: 'Pick', placeholder: 'Pick one', options: opts, action: { command: 'pick' }, argName: 'v' }]);
    const acc = (r: ReturnType<typeof select>) => r.messages[0].blocks[0].accessory as { options?: unknown[]; option_groups?: { options: unknown[] }[] };
    expect(acc(select(options(100))).options).toHaveLength(100);
    expect(acc(select(options(101))).option_groups!.map((g) => g.options.length)).toEqual([100, 1]);
    expect(acc(select(options(250))).option_groups!.map((g) => g.options.length)).toEqual([100, 100, 50]);
    valid(select(options(250, (i) => `${'o'.repeat(80)}${i}`)));
    const longValue = 'v'.repeat(151);
    const r = select([{ label: 'Long', value: longValue }, { label: 'Tilde', value: '~x' }]);
    valid(r);
    const values = (acc(r).options as { value: string }[]).map((o) => o.value);
    expect(values.every((v) => v.length <= LIMITS.optionValue)).toBe(true);
    expect(values.map((v) => optionValue(v, packer))).toEqual([longValue, '~x']);
  });

  it('escapes &, < and > so text shows as typed', () => {
    const r = only([{ type: 'section', text: 'Fish & chips <b>' }]);
    expect(texts(r.messages[0].blocks)).toEqual(['Fish &amp; chips &lt;b&gt;']);
  });

  it('a form as a modal: 24-character title (the full title kept in the body), inputs of every kind', () => {
    const form = demoMessage.blocks!.find((b) => b.type === 'form')!;
    if (form.type !== 'form') throw new Error('no form');
    const view = formView({ ...form.form, title: 'A title longer than twenty-four characters' }, packer, 'slack:T:C1');
    expect(viewProblems(view)).toEqual([]);
    expect(view.title.text).toHaveLength(24);
    expect(JSON.stringify(view.blocks[0])).toContain('A title longer than twenty-four characters');
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => (b.element as { type: string }).type)).toEqual([
      'plain_text_input',
      'plain_text_input',
      'number_input',
      'datepicker',
      'static_select',
      'checkboxes',
    ]);
    const big = formView({ ...form.form, fields: [{ kind: 'select', name: 'org', label: 'Organisation', options: options(150) }] }, packer);
    expect(viewProblems(big)).toEqual([]);
  });

  it('a ballot as a modal: one select per rank, at most 100 blocks however many candidates', () => {
    const candidates = Array.from({ length: 120 }, (_, i) => ({ id: `c${i}`, name: `Candidate ${i}` }));
    const view = ballotView({ id: 'b', title: 'Election', instructions: 'Rank them', candidates, submitLabel: 'Vote', submit: { command: 'vote' } }, packer);
    expect(viewProblems(view)).toEqual([]);
    // more ranks than a modal has blocks: every candidate numbered, and the order typed in one box
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain('1. Candidate 0');
    expect(shown).toContain('120. Candidate 119');
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['order']);
    const submitted = parseViewSubmission(
      { type: 'view_submission', user: { id: 'U1', team_id: 'T1' }, view: { id: 'V1', callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values: { order: { v: { type: 'plain_text_input', value: '120 3, 1' } } } } } },
      packer,
      0,
    );
    expect(submitted?.event).toMatchObject({ args: { ranking: 'c119,c2,c0' } });
    const three = ballotView({ id: 'b', title: 'Election', instructions: 'Rank them', candidates: candidates.slice(0, 3), maxRanks: 2, submitLabel: 'Vote', submit: { command: 'vote' } }, packer);
    expect(three.blocks.filter((b) => b.type === 'input')).toHaveLength(2);
  });

  it('every element of a message renders as valid Block Kit, and as a modal when a trigger is fresh', () => {
    valid(render(demoMessage));
    const withModal = renderMessage(demoMessage, packer, { modalFor: { conversation: 'slack:T:C1' } });
    valid(withModal);
    expect(withModal.modal?.callback_id).toBe('fb:form');
  });
});
