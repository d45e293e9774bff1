import type { APIEmbed } from 'discord.js';
import type { Block, Button, Form, FormField, OutgoingMessage, RankedBallot, SelectOption, Table } from '../../src/core/messages.ts';
import { tableLines } from '../../src/core/table-text.ts';
import { splitText } from '../shared/text.ts';
import { encodeRef, type PendingRefs } from './refs.ts';

/**
 * Renders the core's OutgoingMessage as Discord messages: text blocks become embeds, buttons and
 * selects become action rows, a form becomes a button opening a modal, a ranked ballot one select
 * per rank. Discord's limits split a message into several rather than cut content.
 */
export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  rows: 5,
  buttonsPerRow: 5,
  selectOptions: 25,
  buttonLabel: 80,
  optionLabel: 100,
  optionValue: 100,
  optionDescription: 100,
  placeholder: 150,
  customId: 100,
  modalTitle: 45,
  modalComponents: 5,
  labelLabel: 45,
  labelDescription: 100,
  textInputValue: 4000,
  textInputPlaceholder: 100,
} as const;

export const EPHEMERAL = 1 << 6;
const ROW = 1 as const;
const BUTTON = 2;
const STRING_SELECT = 3;
const TEXT_INPUT = 4;
const LABEL = 18;
const CHECKBOX = 23;

/** An action row of components, as Discord's API takes it */
export type Row = { type: 1; components: Record<string, unknown>[] };

export interface DiscordMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: Row[];
  flags?: number;
}

export interface DiscordModal {
  custom_id: string;
  title: string;
  components: { type: 18; label: string; description?: string; component: Record<string, unknown> }[];
}

/** Cuts to `max` characters with a visible ellipsis; only for labels, never for body text. */
export const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

const embedSize = (e: APIEmbed) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

class MessageBuilder {
  readonly messages: DiscordMessage[] = [];
  private embeds: APIEmbed[] = [];
  private rows: Row[] = [];
  private open: APIEmbed | undefined;

  constructor(readonly pending: PendingRefs) {}

  private flush(): void {
    // an embed opened and then not needed (its text went to the next message) is dropped: Discord refuses `{}`
    const embeds = this.embeds.filter((e) => embedSize(e) > 0);
    if (embeds.length || this.rows.length) {
      this.messages.push({ ...(embeds.length ? { embeds } : {}), ...(this.rows.length ? { components: this.rows } : {}) });
    }
    this.embeds = [];
    this.rows = [];
    this.open = undefined;
  }

  /** Text after controls starts a new message, so each text stays above its own controls. */
  private embed(): APIEmbed {
    if (this.rows.length) this.flush();
    if (!this.open) {
      if (this.embeds.length >= LIMITS.embedsPerMessage) this.flush();
      this.open = {};
      this.embeds.push(this.open);
    }
    return this.open;
  }

  /** Room for `extra` more characters in the open embed and in the message's embed total. */
  private fits(extra: number): boolean {
    const total = this.embeds.reduce((n, e) => n + embedSize(e), 0);
    return total + extra <= LIMITS.embedTotal;
  }

  private fresh(): APIEmbed {
    this.open = undefined;
    if (this.embeds.length >= LIMITS.embedsPerMessage) this.flush();
    return this.embed();
  }

  closeEmbed(): void {
    this.open = undefined;
  }

  header(text: string): void {
    if (this.rows.length) this.flush();
    this.closeEmbed();
    if (text.length <= LIMITS.title) {
      if (!this.fits(text.length)) this.flush();
      this.embed().title = text;
    } else this.text(`**${text}**`);
  }

  text(text: string): void {
    for (const piece of splitText(text, LIMITS.description)) {
      let e = this.embed();
      const sep = e.description ? 2 : 0;
      if ((e.description?.length ?? 0) + sep + piece.length > LIMITS.description || (e.fields?.length ?? 0) > 0) e = this.fresh();
      if (!this.fits(piece.length + 2)) {
        this.flush();
        e = this.embed();
      }
      e.description = e.description ? `${e.description}\n\n${piece}` : piece;
    }
  }

  fields(fields: { label: string; value: string }[]): void {
    for (const f of fields) {
      const name = clip(f.label || '\u200b', LIMITS.fieldName);
      const overflowName = f.label.length > LIMITS.fieldName ? `${f.label}\n` : '';
      const values = splitText(overflowName + (f.value || '\u200b'), LIMITS.fieldValue);
      values.forEach((value, i) => {
        let e = this.embed();
        if ((e.fields?.length ?? 0) >= LIMITS.fields) e = this.fresh();
        const size = (i ? 1 : name.length) + value.length;
        if (!this.fits(size)) {
          this.flush();
          e = this.embed();
        }
        (e.fields ??= []).push({ name: i ? '\u200b' : name, value, inline: false });
      });
    }
  }

  row(components: Record<string, unknown>[]): void {
    if (this.rows.length >= LIMITS.rows) this.flush();
    this.open = undefined;
    this.rows.push({ type: ROW, components });
  }

  /** Rows that must stay in one message (a ballot's last selects and its cast button). */
  rowsTogether(rows: Record<string, unknown>[][]): void {
    if (this.rows.length + rows.length > LIMITS.rows) this.flush();
    for (const r of rows) this.row(r);
  }

  done(fallbackText: string): DiscordMessage[] {
    this.flush();
    if (this.messages.length === 0) return splitText(fallbackText || '\u200b', LIMITS.content).map((content) => ({ content }));
    return this.messages;
  }
}

/**
 * A table as Discord shows tables: an aligned monospace (code) block, cut between rows into blocks
 * that fit an embed, the header repeated in each; a backtick in a cell cannot end the block early.
 */
function renderTable(mb: MessageBuilder, table: Table): void {
  const safe: Table = { ...table, columns: table.columns.map((c) => ({ ...c, label: noTicks(c.label) })), rows: table.rows.map((r) => r.map(noTicks)) };
  const [head, rule, ...rows] = tableLines(safe);
  const fence = (lines: string[]) => '```\n' + lines.join('\n') + '\n```';
  const room = LIMITS.description - fence([head, rule, '']).length;
  const blocks: string[] = [];
  let part: string[] = [];
  let size = 0;
  for (const row of rows.length ? rows : ['']) {
    const line = row.slice(0, room);
    if (part.length && size + line.length + 1 > room) {
      blocks.push(fence([head, rule, ...part]));
      part = [];
      size = 0;
    }
    part.push(line);
    size += line.length + 1;
  }
  blocks.push(fence([head, rule, ...part]));
  if (table.caption) blocks[0] = `**${table.caption}**\n${blocks[0]}`;
  for (const b of blocks) mb.text(b);
  if (table.notes?.length) mb.text(table.notes.join('\n'));
}
const noTicks = (s: string) => s.replace(/`/g, "'");

const buttonStyle = (b: Button) => (b.style === 'primary' ? 1 : b.style === 'danger' ? 4 : 2);

function renderButtons(mb: MessageBuilder, buttons: Button[]): void {
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerRow) {
    mb.row(
      buttons.slice(i, i + LIMITS.buttonsPerRow).map((b) => ({
        type: BUTTON,
        style: buttonStyle(b),
        label: clip(b.label, LIMITS.buttonLabel),
        custom_id: encodeRef('a', { t: 'action', action: b.action }, mb.pending),
      })),
    );
  }
}

const chunks = <T>(list: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out.length ? out : [[]];
};

const option = (o: SelectOption, value: string) => ({
  label: clip(o.label, LIMITS.optionLabel),
  value,
  ...(o.description ? { description: clip(o.description, LIMITS.optionDescription) } : {}),
});

function renderSelect(mb: MessageBuilder, b: Extract<Block, { type: 'select' }>): void {
  if (b.label) mb.text(b.label);
  const raw = b.options.map((o) => o.value);
  const rawFits = raw.every((v) => v.length > 0 && v.length <= LIMITS.optionValue) && new Set(raw).size === raw.length;
  const values = rawFits ? raw : raw.map((_, i) => String(i));
  const parts = chunks(b.options.map((o, i) => option(o, values[i])), LIMITS.selectOptions);
  parts.forEach((options, k) => {
    const ref = { t: 'select' as const, action: b.action, argName: b.argName, ...(rawFits ? {} : { values: raw }) };
    const suffix = parts.length > 1 ? ` (${k + 1}/${parts.length})` : '';
    mb.row([
      {
        type: STRING_SELECT,
        custom_id: encodeRef(`s${k}`, ref, mb.pending),
        placeholder: clip(b.placeholder || b.label, LIMITS.placeholder - suffix.length) + suffix,
        options,
      },
    ]);
  });
}

/** How many modal steps a form needs (a modal holds at most 5 inputs). */
export const formSteps = (form: Form): number => Math.max(1, Math.ceil(form.fields.length / LIMITS.modalComponents));
const stepSuffix = (form: Form, step: number) => (formSteps(form) > 1 ? ` (${step + 1}/${formSteps(form)})` : '');

/** The button that opens step `step` of a form's modal. */
export function formOpener(form: Form, step: number, pending: PendingRefs): Record<string, unknown> {
  return { type: BUTTON, style: 1, label: clip(form.title + stepSuffix(form, step), LIMITS.buttonLabel), custom_id: encodeRef(`f${step}`, { t: 'form', form }, pending) };
}

function renderForm(mb: MessageBuilder, form: Form): void {
  mb.header(form.title);
  mb.row([formOpener(form, 0, mb.pending)]);
}

/** The modal for one step of a form: labelled text inputs, selects and checkboxes. */
export function renderModal(form: Form, step: number, pending: PendingRefs): DiscordModal {
  const fields = form.fields.slice(step * LIMITS.modalComponents, (step + 1) * LIMITS.modalComponents);
  const suffix = stepSuffix(form, step);
  return {
    custom_id: encodeRef(`m${step}`, { t: 'form', form }, pending),
    title: clip(form.title, LIMITS.modalTitle - suffix.length) + suffix,
    components: fields.map((f) => ({
      type: LABEL as 18,
      label: clip(f.label, LIMITS.labelLabel),
      ...(f.label.length > LIMITS.labelLabel ? { description: clip(f.label, LIMITS.labelDescription) } : {}),
      component: fieldComponent(f),
    })),
  };
}

function fieldComponent(f: FormField): Record<string, unknown> {
  const required = 'required' in f && !!f.required;
  switch (f.kind) {
    case 'select':
      // a modal select holds 25 options; a longer list is typed (label or value) and matched on submit
      if (f.options.length > LIMITS.selectOptions) {
        return { type: TEXT_INPUT, custom_id: f.name, style: 1, required, max_length: 200, placeholder: clip(f.options.map((o) => o.label).join(', '), LIMITS.textInputPlaceholder), ...(f.value ? { value: f.options.find((o) => o.value === f.value)?.label ?? f.value } : {}) };
      }
      return {
        type: STRING_SELECT,
        custom_id: f.name,
        required,
        min_values: required ? 1 : 0,
        max_values: 1,
        options: f.options.slice(0, LIMITS.selectOptions).map((o) => ({ ...option(o, clip(o.value, LIMITS.optionValue)), ...(o.value === f.value ? { default: true } : {}) })),
      };
    case 'checkbox':
      return { type: CHECKBOX, custom_id: f.name, ...(f.value ? { default: true } : {}) };
    default: {
      const max = Math.min('maxLength' in f && f.maxLength ? f.maxLength : LIMITS.textInputValue, LIMITS.textInputValue);
      const placeholder =
        f.kind === 'date' ? 'YYYY-MM-DD' : f.kind === 'number' && (f.min !== undefined || f.max !== undefined) ? `${f.min ?? ''}–${f.max ?? ''}` : 'placeholder' in f ? f.placeholder : undefined;
      return {
        type: TEXT_INPUT,
        custom_id: f.name,
        style: f.kind === 'textarea' ? 2 : 1,
        required,
        max_length: max,
        ...(placeholder ? { placeholder: clip(placeholder, LIMITS.textInputPlaceholder) } : {}),
        ...(f.value !== undefined && f.value !== '' ? { value: String(f.value).slice(0, max) } : {}),
      };
    }
  }
}

/** Typed answers to long select fields (rendered as text inputs) turned into the option's value. */
export function matchTypedOptions(form: Form, values: Record<string, unknown>): Record<string, unknown> {
  const out = { ...values };
  for (const f of form.fields) {
    if (f.kind !== 'select' || f.options.length <= LIMITS.selectOptions || typeof out[f.name] !== 'string') continue;
    const typed = (out[f.name] as string).trim().toLowerCase();
    const hit = f.options.find((o) => o.value.toLowerCase() === typed || o.label.toLowerCase() === typed);
    if (hit) out[f.name] = hit.value;
  }
  return out;
}

/** The ranks a ballot offers: maxRanks, or one per candidate. */
export const ballotRanks = (b: RankedBallot) => Math.max(1, Math.min(b.maxRanks ?? b.candidates.length, b.candidates.length));

function renderBallot(mb: MessageBuilder, ballot: RankedBallot): void {
  mb.header(ballot.title);
  const list = ballot.candidates.map((c, i) => `${i + 1}. **${c.name}**${c.statement ? ` — ${c.statement}` : ''}`).join('\n');
  mb.text(`${ballot.instructions}\n\n${list}`);
  const ref = { t: 'ballot' as const, ballot };
  const parts = chunks(ballot.candidates.map((c, i) => ({ label: clip(c.name, LIMITS.optionLabel), value: String(i) })), LIMITS.selectOptions);
  const rows: Record<string, unknown>[][] = [];
  for (let rank = 1; rank <= ballotRanks(ballot); rank++) {
    parts.forEach((options, k) => {
      const suffix = parts.length > 1 ? ` (${k + 1}/${parts.length})` : '';
      rows.push([
        {
          type: STRING_SELECT,
          custom_id: encodeRef(`b${rank}_${k}`, ref, mb.pending),
          placeholder: clip(`${rank}. ${ballot.title}`, LIMITS.placeholder - suffix.length) + suffix,
          min_values: 0,
          max_values: 1,
          options,
        },
      ]);
    });
  }
  const cast = [{ type: BUTTON, style: 1, label: clip(ballot.submitLabel, LIMITS.buttonLabel), custom_id: encodeRef('c', ref, mb.pending) }];
  const lastCount = Math.min(rows.length, LIMITS.rows - 1);
  for (const r of rows.slice(0, rows.length - lastCount)) mb.row(r);
  mb.rowsTogether([...rows.slice(rows.length - lastCount), cast]);
}

/** Renders one message; `pending.toStore` collects the refs to store before sending. */
export function renderMessage(message: OutgoingMessage, pending: PendingRefs): DiscordMessage[] {
  if (!message.blocks?.length) return splitText(message.text || '\u200b', LIMITS.content).map((content) => ({ content }));
  const mb = new MessageBuilder(pending);
  for (const block of message.blocks) {
    switch (block.type) {
      case 'header':
        mb.header(block.text);
        break;
      case 'section':
        mb.text(block.text);
        break;
      case 'fields':
        mb.fields(block.fields);
        break;
      case 'divider':
        mb.closeEmbed();
        break;
      case 'table':
        renderTable(mb, block.table);
        break;
      case 'buttons':
        renderButtons(mb, block.buttons);
        break;
      case 'select':
        renderSelect(mb, block);
        break;
      case 'form':
        renderForm(mb, block.form);
        break;
      case 'ballot':
        renderBallot(mb, block.ballot);
        break;
    }
  }
  return mb.done(message.text);
}

/** A message whose only control opens the next step of a multi-step form. */
export function nextStepMessage(form: Form, step: number, pending: PendingRefs): DiscordMessage {
  return { embeds: [{ title: clip(form.title + stepSuffix(form, step), LIMITS.title) }], components: [{ type: ROW, components: [formOpener(form, step, pending)] }] };
}
