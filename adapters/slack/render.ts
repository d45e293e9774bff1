import type { ActionRef, Block, Form, FormField, OutgoingMessage, RankedBallot, SelectOption, Table } from '../../src/core/messages.ts';
import { splitTable } from '../../src/core/table-text.ts';
import { splitText } from '../shared/text.ts';
import type { Packer } from './pack.ts';

/** Block Kit's limits (docs.slack.dev, Block Kit reference), checked by render.test.ts at each one. */
export const LIMITS = {
  messageBlocks: 50,
  /**
   * the text of a message's blocks, all together: Slack refuses a message much over this
   * (`msg_blocks_too_long` at about 13,200 characters), so the rest continues in the next message
   */
  messageText: 12_000,
  modalBlocks: 100,
  /** a Home tab view (views.publish) */
  homeBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  fieldsPerSection: 10,
  fieldText: 2000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  selectOptions: 100,
  optionGroups: 100,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  placeholder: 150,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputMaxLength: 3000,
  /** the table block: rows (the header row included) and cells a row; one table a message */
  tableRows: 100,
  tableColumns: 20,
  /** chat.postMessage's `text` is kept to this for notifications (the blocks carry the content) */
  notificationText: 3000,
} as const;

export type SlackBlock = Record<string, unknown> & { type: string };
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}
export interface SlackView {
  type: 'modal';
  callback_id: string;
  private_metadata: string;
  title: PlainText;
  submit: PlainText;
  blocks: SlackBlock[];
}
interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

/** What a button or select carries back; the `c`/`a`/`n` names keep it short. */
export interface PackedAction {
  c: string;
  a?: Record<string, unknown>;
  n?: string;
}
export type PackedOpen = { k: 'form'; form: Form } | { k: 'ballot'; ballot: RankedBallot };
export interface ModalMeta {
  k: 'form' | 'ballot';
  c: string;
  a?: Record<string, unknown>;
  /** the conversation ref the modal was opened from, for the replies */
  conv?: string;
  /** a ballot too long for a select per rank: its candidate ids, in the numbered order shown */
  ids?: string[];
  /** opened from the member's Home tab: the tab is published again after the submission */
  h?: 1;
}

export const ACTION_PREFIX = 'fb:';
export const FORM_CALLBACK = 'fb:form';
export const BALLOT_CALLBACK = 'fb:ballot';
export const HOME_CALLBACK = 'fb:home';

export interface SlackHomeView {
  type: 'home';
  callback_id: string;
  blocks: SlackBlock[];
}

/** Slack's mrkdwn treats &, < and > as markup: escape them so user text shows as typed. */
export const escapeMrkdwn = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The message model's **bold** as Slack's mrkdwn writes it (*bold*). */
const bold = (mrkdwn: string): string => mrkdwn.replace(/\*\*(?=\S)([^\n]*?\S)\*\*/g, '*$1*');

/** Cuts to `max` characters, ending in an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const plain = (text: string, max: number): PlainText => ({ type: 'plain_text', text: truncate(text || ' ', max), emoji: true });
const sections = (mrkdwn: string): SlackBlock[] =>
  splitText(mrkdwn, LIMITS.sectionText).map((t) => ({ type: 'section', text: { type: 'mrkdwn', text: t || ' ' } }));

export interface RenderOptions {
  /** open the first form or ballot as a modal instead of a button (a fresh trigger_id is at hand); `home`: pressed on the Home tab */
  modalFor?: { conversation: string; home?: boolean };
}

export interface Rendered {
  /** one or more messages (Block Kit allows 50 blocks a message; longer content continues) */
  messages: SlackMessage[];
  modal?: SlackView;
}

/** Renders one OutgoingMessage as Block Kit, within Slack's limits, losing no content. */
export function renderMessage(message: OutgoingMessage, packer: Packer, options: RenderOptions = {}): Rendered {
  const blocks: SlackBlock[] = [];
  let modal: SlackView | undefined;
  let n = 0;
  const source: Block[] = message.blocks?.length ? message.blocks : [{ type: 'section', text: message.text }];
  for (const block of source) {
    if (!modal && options.modalFor && (block.type === 'form' || block.type === 'ballot')) {
      const { conversation, home } = options.modalFor;
      modal = block.type === 'form' ? formView(block.form, packer, conversation, home) : ballotView(block.ballot, packer, conversation, home);
      continue;
    }
    blocks.push(...renderBlock(block, packer, () => n++));
  }
  const text = truncate(escapeMrkdwn(message.text || ' '), LIMITS.notificationText);
  return { messages: packMessages(blocks).map((b) => ({ text, blocks: b })), modal };
}

/**
 * The member's Home tab (views.publish): the same blocks as a message, on a surface of at most 100
 * blocks. A table (a message-only block) shows as text; past 100 blocks the last ones (the home's
 * own buttons) are kept and the middle gives way, though the core's home stays far below that.
 */
export function homeTab(message: OutgoingMessage, packer: Packer): SlackHomeView {
  let n = 0;
  const source: Block[] = message.blocks?.length ? message.blocks : [{ type: 'section', text: message.text }];
  let blocks = source.flatMap((b) =>
    b.type === 'table' ? sections(escapeMrkdwn([b.table.caption, b.table.columns.map((c) => c.label).join(' | '), ...b.table.rows.map((r) => r.join(' | '))].filter(Boolean).join('\n'))) : renderBlock(b, packer, () => n++),
  );
  if (blocks.length > LIMITS.homeBlocks) blocks = [...blocks.slice(0, LIMITS.homeBlocks - 2), ...blocks.slice(-2)];
  return { type: 'home', callback_id: HOME_CALLBACK, blocks };
}

/** All the text a block carries (section text, fields, labels, table cells), as Slack counts it. */
export function blockText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + blockText(v), 0);
  if (!value || typeof value !== 'object') return 0;
  let n = 0;
  for (const [key, v] of Object.entries(value)) n += key === 'text' && typeof v === 'string' ? v.length : blockText(v);
  return n;
}

/**
 * Blocks into messages: at most 50 blocks and 12,000 characters of text each, and a table ends its
 * message (Slack shows one table a message, at its foot), so what follows a table stays below it.
 */
function packMessages(blocks: SlackBlock[]): SlackBlock[][] {
  const out: SlackBlock[][] = [];
  let current: SlackBlock[] = [];
  let text = 0;
  const close = () => {
    if (current.length) out.push(current);
    current = [];
    text = 0;
  };
  for (const b of blocks) {
    const size = blockText(b);
    if (current.length === LIMITS.messageBlocks || (current.length && text + size > LIMITS.messageText)) close();
    current.push(b);
    text += size;
    if (b.type === 'table') close();
  }
  close();
  return out;
}

/** Slack's own table block; a table over its limits becomes several, header and first column repeated. */
function renderTable(table: Table): SlackBlock[] {
  const out: SlackBlock[] = [];
  for (const part of splitTable(table, LIMITS.tableRows - 1, LIMITS.tableColumns)) {
    // a table shows at the foot of its message, so the caption and notes go above it
    const lead = [...(part.caption ? [`*${escapeMrkdwn(part.caption)}*`] : []), ...(part.notes ?? []).map(escapeMrkdwn)];
    if (lead.length) out.push(...sections(lead.join('\n')));
    const cell = (text: string) => ({ type: 'raw_text', text: text || ' ' });
    out.push({
      type: 'table',
      column_settings: part.columns.map((c) => ({ align: c.align ?? 'left', is_wrapped: true })),
      rows: [part.columns.map((c) => cell(c.label)), ...part.rows.map((r) => part.columns.map((_, i) => cell(r[i] ?? '')))],
    });
  }
  return out;
}

function renderBlock(block: Block, packer: Packer, next: () => number): SlackBlock[] {
  switch (block.type) {
    case 'header':
      return [...block.text].length <= LIMITS.headerText
        ? [{ type: 'header', text: plain(block.text, LIMITS.headerText) }]
        : sections(`*${escapeMrkdwn(block.text)}*`);
    case 'section':
      return sections(bold(escapeMrkdwn(block.text)));
    case 'divider':
      return [{ type: 'divider' }];
    case 'table':
      return renderTable(block.table);
    case 'fields':
      return renderFields(block.fields);
    case 'buttons':
      return chunk(
        block.buttons.map((b) => button(b.label, b.action, packer, next(), b.style)),
        LIMITS.actionsElements,
      ).map((elements) => ({ type: 'actions', elements }));
    case 'select':
      return renderSelect(block, packer, next());
    case 'form':
      return [
        ...sections(`*${escapeMrkdwn(block.form.title)}*`),
        { type: 'actions', elements: [openButton(block.form.title, { k: 'form', form: block.form }, packer, next())] },
      ];
    case 'ballot': {
      const b = block.ballot;
      const list = b.candidates.map((c) => `• *${escapeMrkdwn(c.name)}*${c.statement ? ` — ${escapeMrkdwn(c.statement)}` : ''}`).join('\n');
      return [
        ...sections(`*${escapeMrkdwn(b.title)}*\n${escapeMrkdwn(b.instructions)}`),
        ...sections(list),
        { type: 'actions', elements: [openButton(b.title, { k: 'ballot', ballot: b }, packer, next())] },
      ];
    }
  }
}

function renderFields(fields: { label: string; value: string }[]): SlackBlock[] {
  const out: SlackBlock[] = [];
  let group: { type: 'mrkdwn'; text: string }[] = [];
  const flush = () => {
    if (group.length) out.push({ type: 'section', fields: group });
    group = [];
  };
  for (const f of fields) {
    const text = `*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`;
    if (text.length > LIMITS.fieldText) {
      flush();
      out.push(...sections(text));
      continue;
    }
    group.push({ type: 'mrkdwn', text });
    if (group.length === LIMITS.fieldsPerSection) flush();
  }
  flush();
  return out;
}

function button(label: string, action: ActionRef, packer: Packer, i: number, style?: 'primary' | 'danger'): SlackBlock {
  const packed: PackedAction = { c: action.command, ...(action.args && Object.keys(action.args).length ? { a: action.args } : {}) };
  return {
    type: 'button',
    action_id: `${ACTION_PREFIX}b:${i}`,
    text: plain(label, LIMITS.buttonText),
    value: packer.pack(packed, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

function openButton(label: string, open: PackedOpen, packer: Packer, i: number): SlackBlock {
  return { type: 'button', action_id: `${ACTION_PREFIX}o:${i}`, text: plain(label, LIMITS.buttonText), value: packer.pack(open, LIMITS.buttonValue), style: 'primary' };
}

/** Options for a static select: up to 100 directly, beyond that in groups of 100 (up to 10,000). */
export function selectOptions(options: SelectOption[], packer: Packer): Record<string, unknown> {
  const opts = options.map((o) => option(o, packer));
  if (opts.length <= LIMITS.selectOptions) return { options: opts };
  const groups = chunk(opts, LIMITS.selectOptions).slice(0, LIMITS.optionGroups);
  return {
    option_groups: groups.map((g, gi) => ({
      label: plain(`${gi * LIMITS.selectOptions + 1}–${gi * LIMITS.selectOptions + g.length}`, LIMITS.optionText),
      options: g,
    })),
  };
}

function option(o: SelectOption, packer: Packer) {
  return {
    text: plain(o.label, LIMITS.optionText),
    value: o.value.length <= LIMITS.optionValue && !o.value.startsWith(PACKED_OPTION) ? o.value : PACKED_OPTION + packer.pack(o.value, LIMITS.optionValue - 1),
    ...(o.description ? { description: plain(o.description, LIMITS.optionDescription) } : {}),
  };
}

/** Marks an option value too long for Slack's 150 characters, carried packed instead. */
const PACKED_OPTION = '~';

/** An option's value back from Slack: ours unless it was packed. */
export function optionValue(value: string, packer: Packer): string {
  if (value.startsWith(PACKED_OPTION)) {
    const unpacked = packer.unpack<string>(value.slice(1));
    if (typeof unpacked === 'string') return unpacked;
  }
  return value;
}

function renderSelect(block: Extract<Block, { type: 'select' }>, packer: Packer, i: number): SlackBlock[] {
  const packed: PackedAction = { c: block.action.command, a: block.action.args ?? {}, n: block.argName };
  const prefix = `${ACTION_PREFIX}s:${i}.`;
  const label = splitText(escapeMrkdwn(block.label || block.placeholder), LIMITS.sectionText);
  const last = label.pop()!;
  return [
    ...label.map((t) => ({ type: 'section', text: { type: 'mrkdwn', text: t } })),
    {
      type: 'section',
      block_id: prefix + packer.pack(packed, LIMITS.blockId - prefix.length),
      text: { type: 'mrkdwn', text: last || ' ' },
      accessory: { type: 'static_select', action_id: `${ACTION_PREFIX}s:${i}`, placeholder: plain(block.placeholder || block.label, LIMITS.placeholder), ...selectOptions(block.options, packer) },
    },
  ];
}

/** A form as a modal: one input block per field; the submission comes back as view_submission. */
export function formView(form: Form, packer: Packer, conversation?: string, home = false): SlackView {
  const meta: ModalMeta = { k: 'form', c: form.submit.command, a: form.submit.args, conv: conversation, ...(home ? { h: 1 as const } : {}) };
  const lead = [...form.title].length > LIMITS.modalTitle ? sections(`*${escapeMrkdwn(form.title)}*`) : [];
  const inputs = form.fields.map((f) => input(f, packer));
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK,
    private_metadata: packer.pack(meta, LIMITS.privateMetadata),
    title: plain(form.title, LIMITS.modalTitle),
    submit: plain(form.submitLabel, LIMITS.modalButton),
    blocks: [...lead, ...inputs].slice(0, LIMITS.modalBlocks),
  };
}

function input(field: FormField, packer: Packer): SlackBlock {
  const required = 'required' in field && !!field.required;
  let element: Record<string, unknown>;
  switch (field.kind) {
    case 'text':
    case 'textarea':
      element = {
        type: 'plain_text_input',
        multiline: field.kind === 'textarea',
        max_length: Math.min(field.maxLength ?? LIMITS.inputMaxLength, LIMITS.inputMaxLength),
        ...(field.placeholder ? { placeholder: plain(field.placeholder, LIMITS.placeholder) } : {}),
        ...(field.value ? { initial_value: field.value.slice(0, LIMITS.inputMaxLength) } : {}),
      };
      break;
    case 'number':
      element = {
        type: 'number_input',
        is_decimal_allowed: true,
        ...(field.min !== undefined ? { min_value: String(field.min) } : {}),
        ...(field.max !== undefined ? { max_value: String(field.max) } : {}),
        ...(field.value !== undefined ? { initial_value: String(field.value) } : {}),
      };
      break;
    case 'date':
      element = { type: 'datepicker', ...(field.value ? { initial_date: field.value } : {}) };
      break;
    case 'select': {
      const opts = selectOptions(field.options, packer);
      const initial = field.value !== undefined ? field.options.find((o) => o.value === field.value) : undefined;
      element = { type: 'static_select', ...opts, ...(initial ? { initial_option: option(initial, packer) } : {}) };
      break;
    }
    case 'checkbox': {
      const box = { text: plain(field.label, LIMITS.optionText), value: 'yes' };
      element = { type: 'checkboxes', options: [box], ...(field.value ? { initial_options: [box] } : {}) };
      break;
    }
  }
  return {
    type: 'input',
    block_id: field.name.slice(0, LIMITS.blockId),
    optional: field.kind === 'checkbox' ? true : !required,
    label: plain(field.label, LIMITS.inputLabel),
    element: { ...element, action_id: 'v' },
  };
}

/** A ranked ballot as a modal: one select of the candidates per rank (1, 2, 3…). */
export function ballotView(ballot: RankedBallot, packer: Packer, conversation?: string, home = false): SlackView {
  const meta: ModalMeta = { k: 'ballot', c: ballot.submit.command, a: ballot.submit.args, conv: conversation, ...(home ? { h: 1 as const } : {}) };
  const titleCut = [...ballot.title].length > LIMITS.modalTitle;
  const statements = ballot.candidates.filter((c) => c.statement).map((c) => `*${escapeMrkdwn(c.name)}*: ${escapeMrkdwn(c.statement!)}`);
  const lead = [
    ...sections(`${titleCut ? `*${escapeMrkdwn(ballot.title)}*\n` : ''}${escapeMrkdwn(ballot.instructions)}`),
    ...(statements.length ? sections(statements.join('\n')) : []),
  ];
  const candidates = ballot.candidates.map((c) => ({ label: c.name, value: c.id }));
  const wanted = Math.min(ballot.maxRanks ?? ballot.candidates.length, ballot.candidates.length);
  const view = (blocks: SlackBlock[], m: ModalMeta): SlackView => ({
    type: 'modal',
    callback_id: BALLOT_CALLBACK,
    private_metadata: packer.pack(m, LIMITS.privateMetadata),
    title: plain(ballot.title, LIMITS.modalTitle),
    submit: plain(ballot.submitLabel, LIMITS.modalButton),
    blocks,
  });
  if (lead.length + wanted > LIMITS.modalBlocks) {
    // more ranks than a modal has blocks: the candidates numbered, and one box for the order typed as numbers
    const list = sections(ballot.candidates.map((c, i) => `${i + 1}. ${escapeMrkdwn(c.name)}`).join('\n'));
    const order: SlackBlock = {
      type: 'input',
      block_id: 'order',
      label: plain(ballot.typedHint ?? ballot.instructions, LIMITS.inputLabel),
      element: { type: 'plain_text_input', action_id: 'v', placeholder: plain('2 1 3', LIMITS.placeholder) },
    };
    return view([...lead, ...list, order].slice(-LIMITS.modalBlocks), { ...meta, ids: ballot.candidates.map((c) => c.id) });
  }
  const inputs: SlackBlock[] = Array.from({ length: wanted }, (_, r) => ({
    type: 'input',
    block_id: `rank:${r + 1}`,
    optional: r > 0,
    label: plain(String(r + 1), LIMITS.inputLabel),
    element: { type: 'static_select', action_id: 'v', ...selectOptions(candidates, packer) },
  }));
  return view([...lead, ...inputs], meta);
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
