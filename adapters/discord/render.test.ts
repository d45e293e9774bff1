import { describe, expect, it } from 'vitest';
import type { Block, Form, OutgoingMessage, RankedBallot } from '../../src/core/messages.ts';
import { messageProblems, modalProblems } from '../../test/platforms/discord/discord-rules.ts';
import { parseCustomId, type PendingRefs } from './refs.ts';
import { LIMITS, matchTypedOptions, renderMessage, renderModal, type DiscordMessage } from './render.ts';

const pending = (): PendingRefs => ({ toStore: new Map() });
const render = (m: OutgoingMessage) => {
  const p = pending();
  const out = renderMessage(m, p);
  for (const msg of out) expect(messageProblems(msg as Record<string, unknown>)).toEqual([]);
  return { out, p };
};
const textOf = (out: DiscordMessage[]) =>
  out.flatMap((m) => [m.content ?? '', ...(m.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).map((f) => `${f.name}|${f.value}`)])]).join('');
const components = (out: DiscordMessage[]) => out.flatMap((m) => (m.components ?? []).flatMap((r) => r.components));
const words = (n: number, prefix = 'w') => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');

describe('Discord rendering at the platform limits', () => {
  it('plain text over 2,000 characters is split into several messages, nothing lost', () => {
    const text = words(2500); // ~12,000 characters
    const { out } = render({ text });
    expect(out.length).toBeGreaterThan(5);
    for (const m of out) expect(m.content!.length).toBeLessThanOrEqual(LIMITS.content);
    expect(out.map((m) => m.content).join(' ')).toBe(text);
  });

  it('a section of exactly 4,096 characters fits one embed; one more splits it', () => {
    const exact = 'x'.repeat(4096);
    expect(render({ text: 's', blocks: [{ type: 'section', text: exact }] }).out[0].embeds).toHaveLength(1);
    const over = `${'y'.repeat(4000)}\n${'z'.repeat(97)}`;
    const { out } = render({ text: 's', blocks: [{ type: 'section', text: over }] });
    const embeds = out.flatMap((m) => m.embeds ?? []);
    expect(embeds).toHaveLength(2);
    expect(embeds.map((e) => e.description).join('\n')).toBe(over);
  });

  it('long sections respect the 6,000 characters of embeds per message by starting a new message', () => {
    const blocks: Block[] = Array.from({ length: 5 }, (_, i) => ({ type: 'section', text: `${i}`.repeat(3000) }));
    const { out } = render({ text: 's', blocks });
    expect(out.length).toBeGreaterThanOrEqual(3);
    expect(textOf(out).replace(/[^0-9]/g, '').length).toBe(15000);
  });

  it('a header of 256 characters is an embed title; a longer one becomes bold text; a divider starts a new embed', () => {
    const title = 'T'.repeat(256);
    expect(render({ text: 'h', blocks: [{ type: 'header', text: title }] }).out[0].embeds![0].title).toBe(title);
    const long = 'H'.repeat(300);
    const { out } = render({ text: 'h', blocks: [{ type: 'header', text: long }, { type: 'section', text: 'a' }, { type: 'divider' }, { type: 'section', text: 'b' }] });
    expect(out[0].embeds!.map((e) => e.description)).toEqual([`**${long}**\n\na`, 'b']);
  });

  it('a message whose blocks show nothing falls back to its text', () => {
    expect(render({ text: 'only text', blocks: [{ type: 'divider' }] }).out).toEqual([{ content: 'only text' }]);
  });

  it('25 fields fit one embed; the 26th starts another; long values continue in the next field', () => {
    const fields = Array.from({ length: 26 }, (_, i) => ({ label: `f${i}`, value: `v${i}` }));
    const { out } = render({ text: 'f', blocks: [{ type: 'fields', fields }] });
    const embeds = out.flatMap((m) => m.embeds ?? []);
    expect(embeds[0].fields).toHaveLength(25);
    expect(embeds[1].fields).toHaveLength(1);
    const long = 'q'.repeat(2500);
    const two = render({ text: 'f', blocks: [{ type: 'fields', fields: [{ label: 'L'.repeat(300), value: long }] }] }).out;
    const f = two.flatMap((m) => m.embeds ?? []).flatMap((e) => e.fields ?? []);
    expect(f.length).toBe(3);
    expect(f[0].name.length).toBe(LIMITS.fieldName);
    expect(f.map((x) => x.value).join('')).toContain(long.slice(0, 500));
    expect(f.map((x) => x.value).join('').replace(/[^q]/g, '').length).toBe(2500);
  });

  it('5 buttons a row, 5 rows a message: 30 buttons make two messages; labels cut at 80 with an ellipsis', () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ({ label: i === 0 ? 'B'.repeat(120) : `b${i}`, action: { command: 'request approve', args: { id: `r${i}` } } }));
    const { out } = render({ text: 'b', blocks: [{ type: 'section', text: 'pick' }, { type: 'buttons', buttons }] });
    expect(out).toHaveLength(2);
    expect(out[0].components).toHaveLength(5);
    expect(out[0].components![0].components).toHaveLength(5);
    const all = components(out);
    expect(all).toHaveLength(30);
    expect((all[0].label as string).length).toBe(LIMITS.buttonLabel);
    expect(all[0].label).toMatch(/…$/);
  });

  it('text after controls goes to a new message so each text stays above its own buttons', () => {
    const card = (n: number): Block[] => [
      { type: 'section', text: `request ${n}` },
      { type: 'buttons', buttons: [{ label: 'Approve', action: { command: 'request approve', args: { id: `${n}` } } }] },
      { type: 'divider' },
    ];
    const { out } = render({ text: 'x', blocks: [...card(1), ...card(2)] });
    expect(out.map((m) => m.embeds?.[0].description)).toEqual(['request 1', 'request 2']);
  });

  it('a select of 60 options becomes three selects of at most 25, every option kept', () => {
    const options = Array.from({ length: 60 }, (_, i) => ({ label: `Option ${i}`, value: `o${i}` }));
    const { out } = render({ text: 's', blocks: [{ type: 'select', id: 's', label: 'Choose', placeholder: 'Choose one', options, action: { command: 'forum use' }, argName: 'forum' }] });
    const selects = components(out).filter((c) => c.type === 3);
    expect(selects.map((s) => (s.options as unknown[]).length)).toEqual([25, 25, 10]);
    expect(new Set(selects.map((s) => s.custom_id)).size).toBe(3);
  });

  it('option values over 100 characters travel as indexes with the real values stored', () => {
    const options = [{ label: 'Long', value: 'v'.repeat(150) }, { label: 'Short', value: 'x' }];
    const { out, p } = render({ text: 's', blocks: [{ type: 'select', id: 's', label: 'L', placeholder: 'P', options, action: { command: 'c' }, argName: 'a' }] });
    const select = components(out)[0];
    expect((select.options as { value: string }[]).map((o) => o.value)).toEqual(['0', '1']);
    const id = parseCustomId(select.custom_id as string)!;
    const ref = id.inline ?? p.toStore.get(id.hash!);
    expect(ref).toMatchObject({ t: 'select', values: ['v'.repeat(150), 'x'] });
  });

  it('custom_ids stay within 100 characters: a long action is stored by hash', () => {
    const action = { command: 'request approve', args: { id: 'i'.repeat(200) } };
    const { out, p } = render({ text: 'b', blocks: [{ type: 'buttons', buttons: [{ label: 'Go', action }, { label: 'Short', action: { command: 'help' } }] }] });
    const [long, short] = components(out);
    expect((long.custom_id as string).length).toBeLessThanOrEqual(100);
    expect(p.toStore.get(parseCustomId(long.custom_id as string)!.hash!)).toEqual({ t: 'action', action });
    expect(parseCustomId(short.custom_id as string)!.inline).toEqual({ t: 'action', action: { command: 'help' } });
  });

  it('a form of 12 fields is three modals of at most 5 inputs; long titles and labels are cut, the label kept as its description', () => {
    const form: Form = {
      id: 'f',
      title: 'A very long form title that goes past forty-five characters',
      submitLabel: 'Send',
      submit: { command: 'report submit' },
      fields: Array.from({ length: 12 }, (_, i) => ({ kind: i === 0 ? 'textarea' : 'text', name: `field${i}`, label: i === 1 ? 'L'.repeat(60) : `Field ${i}`, required: i < 2, maxLength: 9000 }) as Form['fields'][number]),
    };
    form.fields.push({ kind: 'select', name: 'kind', label: 'Kind', options: [{ label: 'A', value: 'a' }] }, { kind: 'checkbox', name: 'ok', label: 'OK?' }, { kind: 'date', name: 'when', label: 'When' });
    const { out } = render({ text: 'f', blocks: [{ type: 'form', form }] });
    expect(components(out)[0].label).toMatch(/\(1\/3\)$/);
    const modals = [0, 1, 2].map((s) => renderModal(form, s, pending()));
    for (const m of modals) expect(modalProblems(m as unknown as Record<string, unknown>)).toEqual([]);
    expect(modals.map((m) => m.components.length)).toEqual([5, 5, 5]);
    expect(modals[0].title.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    expect(modals[0].components[1].label).toHaveLength(LIMITS.labelLabel);
    expect(modals[0].components[1].description).toBe('L'.repeat(60));
    expect(modals[0].components[0].component).toMatchObject({ type: 4, style: 2, max_length: 4000 });
    expect(modals[2].components.map((c) => c.component.type)).toEqual([4, 4, 3, 23, 4]);
  });

  it('a form select of more than 25 options is typed in the modal and matched to its value on submit', () => {
    const options = Array.from({ length: 30 }, (_, i) => ({ label: `County ${i}`, value: `c${i}` }));
    const form: Form = { id: 'f', title: 'Where', submitLabel: 'Go', submit: { command: 'x' }, fields: [{ kind: 'select', name: 'county', label: 'County', options, required: true }] };
    const modal = renderModal(form, 0, pending());
    expect(modalProblems(modal as unknown as Record<string, unknown>)).toEqual([]);
    expect(modal.components[0].component).toMatchObject({ type: 4, custom_id: 'county' });
    expect(matchTypedOptions(form, { county: 'county 17' })).toEqual({ county: 'c17' });
    expect(matchTypedOptions(form, { county: 'nowhere' })).toEqual({ county: 'nowhere' });
  });

  it('a ranked ballot of 30 candidates: one select per rank (split at 25 options), at most 5 rows a message, the cast button last', () => {
    const ballot: RankedBallot = {
      id: 'b',
      title: 'Trustee election',
      instructions: 'Rank as many as you like',
      candidates: Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, name: `Candidate ${i}`, statement: 's'.repeat(200) })),
      maxRanks: 3,
      submitLabel: 'Cast my vote',
      submit: { command: 'vote', args: { election: 'e1' } },
    };
    const { out, p } = render({ text: 'b', blocks: [{ type: 'ballot', ballot }] });
    for (const m of out) expect((m.components ?? []).length).toBeLessThanOrEqual(5);
    const all = components(out);
    const selects = all.filter((c) => c.type === 3);
    expect(selects).toHaveLength(6); // 3 ranks × 2 parts
    expect(selects.map((s) => (s.custom_id as string).split(':')[0])).toEqual(['b1_0', 'b1_1', 'b2_0', 'b2_1', 'b3_0', 'b3_1']);
    expect(all.at(-1)).toMatchObject({ type: 2, label: 'Cast my vote' });
    expect(p.toStore.size).toBe(1);
    expect(textOf(out)).toContain('Candidate 29');
  });
});
