import type { ActionRef, Block, Form, FormField, OutgoingMessage, RankedBallot, Table } from '../../src/core/messages.ts';

/**
 * OutgoingMessage → Teams message activities: Adaptive Cards (schema 1.5, the highest Teams
 * renders, and the version that brings Universal Actions) with Action.Execute buttons, falling
 * back to Action.Submit on older clients. Limits applied here, from Teams' documentation:
 * - a bot message is at most 40 KB counted as UTF-16 (413 MessageSizeTooBig past it): content
 *   that does not fit goes on in a further card, never cut;
 * - Teams shows 6 primary actions per action set: more buttons go into further action sets;
 * - all inputs of a card are submitted and validated together, so a card holds at most one
 *   select, form or ballot.
 */
export const CARD_VERSION = '1.5';
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** the Action.Execute verb of every action the bot renders */
export const VERB = 'forumbot';
export const MAX_ACTIONS_PER_SET = 6;
export const MAX_MESSAGE_BYTES = 40 * 1024;
/** what a card may use: the rest of the 40 KB is left for the activity's envelope (ids, names, service URL) */
export const CARD_BUDGET_BYTES = MAX_MESSAGE_BYTES - 4 * 1024;
/** notification preview; the whole text is in the message itself */
export const SUMMARY_MAX = 250;

/** What the bot puts in an action's data; the inputs' values are merged in by Teams. */
export type ActionData =
  | { verb: typeof VERB; fb: 'action'; cmd: string; args: ActionRef['args'] }
  | { verb: typeof VERB; fb: 'select'; cmd: string; args: ActionRef['args']; arg: string; input: string }
  | { verb: typeof VERB; fb: 'form'; cmd: string; args: ActionRef['args']; fields: Record<string, [name: string, kind: FormField['kind']]> }
  | { verb: typeof VERB; fb: 'ballot'; cmd: string; args: ActionRef['args']; ids: string[]; ranks: number; typed?: boolean };

export type CardElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  msteams: { width: 'Full' };
}
export interface MessageActivity {
  type: 'message';
  text?: string;
  textFormat?: 'plain';
  summary?: string;
  attachments?: { contentType: string; content: AdaptiveCard }[];
}

/** UTF-16 bytes of a value's JSON, the measure Teams applies */
export const utf16Bytes = (value: unknown): number => JSON.stringify(value).length * 2;

const execute = (title: string, data: ActionData, style?: 'primary' | 'danger', withInputs = true): CardElement => {
  const s = style === 'primary' ? { style: 'positive' } : style === 'danger' ? { style: 'destructive' } : {};
  return {
    type: 'Action.Execute',
    title,
    verb: VERB,
    data,
    ...s,
    ...(withInputs ? {} : { associatedInputs: 'none' }),
    fallback: { type: 'Action.Submit', title, data, ...s, ...(withInputs ? {} : { associatedInputs: 'none' }) },
  };
};
const actionSet = (actions: CardElement[]): CardElement => ({ type: 'ActionSet', actions });
const textBlock = (text: string, extra: CardElement = {}): CardElement => ({ type: 'TextBlock', text, wrap: true, spacing: 'None', ...extra });

/** One piece of a card that stays together; `input` marks the one interactive piece a card may hold. */
interface Unit {
  elements: CardElement[];
  input: boolean;
  /** a smaller rendering used when this one cannot fit in a card of its own */
  smaller?: () => Unit[];
}

/** Renders a message as one or more activities, each within Teams' size limit. */
export function renderMessage(message: OutgoingMessage): MessageActivity[] {
  const summary = message.text.length > SUMMARY_MAX ? `${message.text.slice(0, SUMMARY_MAX - 1)}…` : message.text;
  // what the activity adds around its card counts against the limit too
  const overhead = utf16Bytes(cardActivity({} as AdaptiveCard, summary));
  if (!message.blocks?.length) {
    const plain: MessageActivity = { type: 'message', text: message.text, textFormat: 'plain' };
    if (!message.text.includes('\n') && utf16Bytes(plain) <= CARD_BUDGET_BYTES) return [plain];
    return packCards(textUnits(message.text), overhead).map((card) => cardActivity(card, summary));
  }
  return packCards(blockUnits(message.blocks), overhead).map((card) => cardActivity(card, summary));
}

export const cardActivity = (card: AdaptiveCard, summary: string): MessageActivity => ({
  type: 'message',
  summary: summary.length > SUMMARY_MAX ? `${summary.slice(0, SUMMARY_MAX - 1)}…` : summary,
  attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
});

export const emptyCard = (): AdaptiveCard => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [],
  msteams: { width: 'Full' },
});

/** Fills cards in order: a new card when the next unit would pass the budget or is a second input. */
export function packCards(units: Unit[], overhead = 0): AdaptiveCard[] {
  const cards: AdaptiveCard[] = [];
  const empty = utf16Bytes(emptyCard()) + overhead;
  let card = emptyCard();
  let size = empty;
  let hasInput = false;
  const flush = () => {
    if (card.body.length) cards.push(card);
    card = emptyCard();
    size = empty;
    hasInput = false;
  };
  const queue = [...units];
  while (queue.length) {
    const unit = queue.shift()!;
    const unitSize = unit.elements.reduce((n, e) => n + utf16Bytes(e) + 2, 0);
    if (unitSize + empty > CARD_BUDGET_BYTES && unit.smaller) {
      queue.unshift(...unit.smaller());
      continue;
    }
    if ((unit.input && hasInput) || size + unitSize > CARD_BUDGET_BYTES) flush();
    // a separator starting a card has nothing to separate
    const elements = card.body.length === 0 ? unit.elements.map((e, i) => (i === 0 && e.separator ? { ...e, separator: undefined } : e)) : unit.elements;
    card.body.push(...elements.map(stripUndefined));
    size += unitSize;
    hasInput ||= unit.input;
  }
  flush();
  return cards;
}

const stripUndefined = (e: CardElement): CardElement => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined));

/** Text as one TextBlock per line (Teams runs single newlines together), long lines split. */
export function textUnits(text: string, first: CardElement = {}): Unit[] {
  const lines = text.split(/\r?\n/);
  const units: Unit[] = [];
  let gap = false;
  // a line longer than a card can hold is cut into pieces, in order
  const maxChars = Math.floor((CARD_BUDGET_BYTES - 600) / 2 / 1.2);
  for (const line of lines) {
    if (line.trim() === '') {
      gap = true;
      continue;
    }
    for (let i = 0; i < line.length; i += maxChars) {
      const extra = { ...(units.length === 0 ? first : {}), ...(gap ? { spacing: 'Medium' } : {}) };
      units.push({ elements: [textBlock(line.slice(i, i + maxChars), extra)], input: false });
      gap = false;
    }
  }
  return units;
}

function blockUnits(blocks: Block[]): Unit[] {
  const units: Unit[] = [];
  let separator = false;
  blocks.forEach((block, index) => {
    const sep = separator ? { separator: true, spacing: 'Medium' } : {};
    separator = false;
    switch (block.type) {
      case 'divider':
        separator = true;
        return;
      case 'header':
        units.push(...textUnits(block.text, { size: 'Large', weight: 'Bolder', style: 'heading', spacing: 'Medium', ...sep }));
        return;
      case 'section':
        units.push(...textUnits(block.text, { spacing: 'Small', ...sep }));
        return;
      case 'fields':
        units.push(...fieldUnits(block.fields, sep));
        return;
      case 'table':
        units.push(...tableUnits(block.table, sep));
        return;
      case 'buttons':
        for (let i = 0; i < block.buttons.length; i += MAX_ACTIONS_PER_SET) {
          const set = block.buttons.slice(i, i + MAX_ACTIONS_PER_SET);
          units.push({
            elements: [{ ...actionSet(set.map((b) => execute(b.label, { verb: VERB, fb: 'action', cmd: b.action.command, args: b.action.args ?? {} }, b.style, false))), ...(i === 0 ? sep : {}) }],
            input: false,
          });
        }
        return;
      case 'select':
        units.push(selectUnit(block, `sel_${index}`, block.options, sep));
        return;
      case 'form':
        units.push(formUnit(block.form, `f${index}_`, sep));
        return;
      case 'ballot':
        units.push(ballotUnit(block.ballot, sep));
        return;
    }
  });
  return units;
}

function fieldUnits(fields: { label: string; value: string }[], sep: CardElement): Unit[] {
  const unit = (facts: typeof fields, extra: CardElement): Unit => ({
    elements: [{ type: 'FactSet', facts: facts.map((f) => ({ title: f.label, value: f.value })), spacing: 'Small', ...extra }],
    input: false,
    // too many facts for one card: one fact set per fact, which the packer spreads over cards
    smaller: facts.length > 1 ? () => facts.map((f, i) => unit([f], i === 0 ? extra : {})) : () => textUnits(`${facts[0].label}: ${facts[0].value}`, extra),
  });
  return [unit(fields, sep)];
}

const ALIGN = { left: 'Left', right: 'Right', center: 'Center' } as const;

/**
 * A table as an Adaptive Card `Table` (schema 1.5): the header row marked as such, each column
 * aligned and as wide as its longest cell needs; too big for a card, it splits between rows with
 * the header repeated.
 */
function tableUnits(table: Table, sep: CardElement): Unit[] {
  const lead = [...(table.caption ? [textBlock(table.caption, { weight: 'Bolder', spacing: 'Medium', ...sep })] : [])];
  const widths = table.columns.map((c, i) => Math.max(3, [...c.label].length, ...table.rows.map((r) => [...(r[i] ?? '')].length)));
  const cell = (text: string, header = false) => ({ type: 'TableCell', items: [textBlock(text || ' ', { wrap: true, ...(header ? { weight: 'Bolder' } : {}) })] });
  const grid = (rows: string[][], extra: CardElement): Unit => ({
    elements: [
      {
        type: 'Table',
        firstRowAsHeader: true,
        showGridLines: true,
        gridStyle: 'accent',
        spacing: 'Small',
        columns: table.columns.map((c, i) => ({ width: widths[i], horizontalCellContentAlignment: ALIGN[c.align ?? 'left'] })),
        rows: [{ type: 'TableRow', cells: table.columns.map((c) => cell(c.label, true)) }, ...rows.map((r) => ({ type: 'TableRow', cells: table.columns.map((_, i) => cell(r[i] ?? '')) }))],
        ...extra,
      },
    ],
    input: false,
    smaller: rows.length > 1 ? () => [grid(rows.slice(0, Math.ceil(rows.length / 2)), extra), grid(rows.slice(Math.ceil(rows.length / 2)), {})] : undefined,
  });
  const units: Unit[] = [];
  if (lead.length) units.push({ elements: lead, input: false });
  units.push(grid(table.rows, lead.length ? {} : sep));
  if (table.notes?.length) units.push(...textUnits(table.notes.join('\n'), { spacing: 'Small' }));
  return units;
}

type SelectBlock = Extract<Block, { type: 'select' }>;
function selectUnit(block: SelectBlock, id: string, options: SelectBlock['options'], sep: CardElement): Unit {
  const data: ActionData = { verb: VERB, fb: 'select', cmd: block.action.command, args: block.action.args ?? {}, arg: block.argName, input: id };
  return {
    elements: [
      {
        type: 'Input.ChoiceSet',
        id,
        label: block.label,
        placeholder: block.placeholder,
        style: 'compact',
        choices: options.map((o) => ({ title: o.description ? `${o.label} (${o.description})` : o.label, value: o.value })),
        ...sep,
      },
      actionSet([execute(block.label, data)]),
    ],
    input: true,
    // a list too long for one card is offered in parts, each with its own button
    smaller:
      options.length > 1
        ? () => [selectUnit(block, `${id}a`, options.slice(0, Math.ceil(options.length / 2)), sep), selectUnit(block, `${id}b`, options.slice(Math.ceil(options.length / 2)), {})]
        : undefined,
  };
}

function fieldInput(field: FormField, id: string, requiredMessage?: string): CardElement {
  // Teams shows errorMessage under a required input left empty (and its validator asks for one)
  const required = 'required' in field && field.required ? { isRequired: true, errorMessage: requiredMessage ?? field.label } : {};
  const base = { id, label: field.label, ...required };
  switch (field.kind) {
    case 'text':
    case 'textarea':
      return {
        type: 'Input.Text',
        ...base,
        ...(field.kind === 'textarea' ? { isMultiline: true } : {}),
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
        ...(field.value !== undefined ? { value: field.value } : {}),
      };
    case 'number':
      return { type: 'Input.Number', ...base, ...(field.min !== undefined ? { min: field.min } : {}), ...(field.max !== undefined ? { max: field.max } : {}), ...(field.value !== undefined ? { value: field.value } : {}) };
    case 'date':
      return { type: 'Input.Date', ...base, ...(field.value ? { value: field.value } : {}) };
    case 'select':
      return { type: 'Input.ChoiceSet', ...base, style: 'compact', choices: field.options.map((o) => ({ title: o.label, value: o.value })), ...(field.value ? { value: field.value } : {}) };
    case 'checkbox':
      return { type: 'Input.Toggle', id, title: field.label, valueOn: 'true', valueOff: 'false', value: field.value ? 'true' : 'false' };
  }
}

function formUnit(form: Form, prefix: string, sep: CardElement): Unit {
  const fields: Record<string, [string, FormField['kind']]> = {};
  const inputs = form.fields.map((f) => {
    const id = `${prefix}${f.name}`;
    fields[id] = [f.name, f.kind];
    return fieldInput(f, id, form.requiredMessage);
  });
  const data: ActionData = { verb: VERB, fb: 'form', cmd: form.submit.command, args: form.submit.args ?? {}, fields };
  return {
    elements: [textBlock(form.title, { weight: 'Bolder', size: 'Medium', spacing: 'Medium', ...sep }), ...inputs, actionSet([execute(form.submitLabel, data, 'primary')])],
    input: true,
  };
}

/**
 * One dropdown per rank, each listing every candidate. Too big for a card, it becomes cards in
 * order: the title, the statements (as many cards as they need), then one typed order.
 */
export function ballotUnit(ballot: RankedBallot, sep: CardElement = {}, typed = false): Unit {
  const ids = ballot.candidates.map((c) => c.id);
  const ranks = Math.min(ballot.maxRanks ?? ids.length, ids.length);
  const heading: CardElement[] = [
    textBlock(ballot.title, { weight: 'Bolder', size: 'Medium', spacing: 'Medium', ...sep }),
    ...ballot.instructions.split(/\r?\n/).filter(Boolean).map((l) => textBlock(l, { isSubtle: true })),
  ];
  const withStatements = ballot.candidates.filter((c) => c.statement);
  const data: ActionData = { verb: VERB, fb: 'ballot', cmd: ballot.submit.command, args: ballot.submit.args ?? {}, ids, ranks, ...(typed ? { typed: true } : {}) };
  if (typed) {
    return {
      elements: [
        { type: 'Input.Text', id: 'ballot_order', label: `1–${ids.length} … (${ranks})`, placeholder: ids.length > 2 ? '2 1 3' : '2 1', isRequired: true, errorMessage: ballot.requiredMessage ?? ballot.instructions },
        actionSet([execute(ballot.submitLabel, data, 'primary')]),
      ],
      input: true,
    };
  }
  const intro = withStatements.length ? [...heading, { type: 'FactSet', facts: withStatements.map((c) => ({ title: c.name, value: c.statement! })) }] : heading;
  const choices = ballot.candidates.map((c, i) => ({ title: c.name, value: String(i + 1) }));
  const selects = Array.from({ length: ranks }, (_, r) => ({ type: 'Input.ChoiceSet', id: `rank_${r + 1}`, label: `${r + 1}.`, style: 'compact', choices }));
  return {
    elements: [...intro, ...selects, actionSet([execute(ballot.submitLabel, data, 'primary')])],
    input: true,
    smaller: () => [
      { elements: heading, input: false },
      ...withStatements.flatMap((c) => textUnits(`${c.name}: ${c.statement}`)),
      // the numbered list in pieces, so a long one runs over as many cards as it needs
      ...ballot.candidates.map((c, i): Unit => ({ elements: [textBlock(`${i + 1}. ${c.name}`)], input: false })),
      ballotUnit(ballot, sep, true),
    ],
  };
}

/** The visible text of an activity, one line per text element (what a reader of the chat sees). */
export function visibleText(activity: { text?: string; attachments?: { contentType: string; content: unknown }[] }): string {
  const lines: string[] = [];
  if (activity.text) lines.push(activity.text);
  for (const a of activity.attachments ?? []) {
    if (a.contentType === CARD_CONTENT_TYPE) walk((a.content as AdaptiveCard).body ?? [], lines);
  }
  return lines.join('\n');
}

function walk(elements: CardElement[], lines: string[]): void {
  for (const e of elements) {
    if (e.type === 'TextBlock') lines.push(String(e.text));
    if (e.type === 'FactSet') for (const f of e.facts as { title: string; value: string }[]) lines.push(`${f.title}: ${f.value}`);
    if (e.type === 'Container') walk(e.items as CardElement[], lines);
    if (e.type === 'Table') {
      for (const row of e.rows as { cells: { items: CardElement[] }[] }[]) {
        lines.push(row.cells.map((c) => c.items.map((i) => String(i.text ?? '')).join(' ')).join(' | '));
      }
    }
  }
}
