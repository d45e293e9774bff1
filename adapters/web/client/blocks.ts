/**
 * A bot message's blocks (src/core/messages.ts) as HTML: headings, text, fields, tables, buttons,
 * selects, forms and ranked ballots. What a button, form or ballot sends is the server's to judge:
 * the page checks nothing the server decides (a ballot's ranks go as they were chosen, and a wrong
 * one is answered by the server in the person's language).
 */
import type { ActionRef, Block, Button, Form, RankedBallot, SelectOption, Table } from '../../../src/core/messages.ts';
import { asText, el, richText, uid } from './dom.ts';
import { bi, biNamed, biText } from './strings.ts';

export type Values = Record<string, string | number | boolean>;
/** Runs an action on the server, echoing `echo` as the person's own line; `from` is the control pressed. */
export type Act = (action: ActionRef & { values?: Values }, echo: string, from: HTMLButtonElement) => void;

/** A message's blocks as nodes. Repeated buttons ("Approve" under each request) get names that say which. */
export function renderBlocks(blocks: Block[], act: Act): HTMLElement[] {
  const out: HTMLElement[] = [];
  const buttons: { node: HTMLButtonElement; label: string; context: HTMLElement | null }[] = [];
  let context: HTMLElement | null = null;
  for (const block of blocks) {
    const node = renderBlock(block, act);
    if (!node) continue;
    if (block.type === 'header' || block.type === 'section') context = node;
    if (block.type === 'buttons') {
      node.querySelectorAll('button').forEach((b, i) => buttons.push({ node: b, label: block.buttons[i].label, context }));
    }
    out.push(node);
  }
  nameRepeated(buttons);
  return out;
}

/** Buttons with the same words in one message are told apart by the text they answer: "Approve Nia Newcomer asks to join…". */
function nameRepeated(buttons: { node: HTMLButtonElement; label: string; context: HTMLElement | null }[]): void {
  const count = new Map<string, number>();
  for (const b of buttons) count.set(b.label, (count.get(b.label) ?? 0) + 1);
  for (const b of buttons) {
    if ((count.get(b.label) ?? 0) < 2 || !b.context) continue;
    b.node.id ||= uid('btn');
    b.context.id ||= uid('ctx');
    b.node.setAttribute('aria-labelledby', `${b.node.id} ${b.context.id}`);
  }
}

function renderBlock(block: Block, act: Act): HTMLElement | null {
  switch (block.type) {
    case 'header':
      return el('h2', { className: 'blk-header' }, asText(block.text));
    case 'section': {
      const p = el('p', { className: 'blk-section' });
      richText(p, block.text);
      return p;
    }
    case 'fields':
      return renderFields(block.fields);
    case 'buttons':
      return renderButtons(block.buttons, act);
    case 'select':
      return renderSelect(block, act);
    case 'form':
      return renderForm(block.form, act);
    case 'ballot':
      return renderBallot(block.ballot, act);
    case 'divider':
      return el('hr', { className: 'blk-divider' });
    case 'table':
      return renderTable(block.table);
    default:
      return null;
  }
}

/** A table: caption, header cells as column headers, the first cell of a row as its header. */
function renderTable(table: Table): HTMLElement {
  const columns = table.columns;
  const align = (i: number) => {
    const a = columns[i]?.align;
    return a === 'right' || a === 'center' ? `al-${a}` : null;
  };
  const head = el('tr', null, columns.map((c, i) => el('th', { scope: 'col', className: align(i) }, asText(c.label))));
  const body = el(
    'tbody',
    null,
    table.rows.map((row) =>
      el('tr', null, columns.map((_, i) => (i === 0 ? el('th', { scope: 'row', className: align(i) }, asText(row[i])) : el('td', { className: align(i) }, asText(row[i]))))),
    ),
  );
  const t = el('table', { className: 'blk-table' }, table.caption ? el('caption', null, asText(table.caption)) : null, el('thead', null, head), body);
  // a wide table scrolls inside its own box (focusable, so keyboard users can scroll it)
  const label = asText(table.caption || columns.map((c) => c.label).join(', '));
  const wrap = el('div', { className: 'blk-table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, t);
  if (!table.notes?.length) return wrap;
  const notes = el('p', { className: 'blk-table-notes' });
  richText(notes, table.notes.join('\n'));
  return el('div', null, wrap, notes);
}

function renderFields(fields: { label: string; value: string }[]): HTMLElement {
  return el(
    'dl',
    { className: 'blk-fields' },
    fields.map((f) => {
      const dd = el('dd');
      richText(dd, f.value);
      return el('div', { className: 'field' }, el('dt', null, asText(f.label)), dd);
    }),
  );
}

function renderButtons(buttons: Button[], act: Act): HTMLElement {
  return el(
    'div',
    { className: 'blk-buttons' },
    buttons.map((b) => {
      const style = b.style === 'primary' || b.style === 'danger' ? ` ${b.style}` : '';
      const button = el('button', { type: 'button', className: `btn${style}` }, asText(b.label));
      button.addEventListener('click', () => act({ command: b.action.command, args: b.action.args ?? {} }, `» ${asText(b.label)}`, button));
      return button;
    }),
  );
}

const optionLabel = (o: SelectOption) => asText(o.label) + (o.description ? ` — ${asText(o.description)}` : '');
const options = (list: SelectOption[]) => list.map((o) => el('option', { value: asText(o.value) }, optionLabel(o)));

function renderSelect(block: Extract<Block, { type: 'select' }>, act: Act): HTMLElement {
  const id = uid(block.id || 'select');
  const select = el('select', { id, name: asText(block.argName), required: true }, el('option', { value: '' }, asText(block.placeholder) || '—'), options(block.options));
  const errorId = `${id}-error`;
  const error = el('p', { className: 'error', id: errorId, 'aria-live': 'polite' });
  const button = el('button', { type: 'submit', className: 'btn primary' }, bi('choose'));
  const form = el('form', { className: 'blk-select' }, el('label', { for: id }, asText(block.label)), el('div', { className: 'inline-row' }, select, button), error);
  form.noValidate = true;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!select.value) {
      error.replaceChildren(bi('pickOne'));
      select.setAttribute('aria-invalid', 'true');
      select.setAttribute('aria-describedby', errorId);
      select.focus();
      return;
    }
    error.textContent = '';
    select.removeAttribute('aria-invalid');
    const chosen = select.options[select.selectedIndex];
    act({ command: block.action.command, args: { ...block.action.args, [block.argName]: select.value } }, `» ${asText(block.label)}: ${chosen.text}`, button);
  });
  return form;
}

const requiredMark = (required?: boolean) => (required ? el('span', { className: 'req', 'aria-hidden': 'true', title: biText('required') }, ' *') : null);

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** One form field as a labelled control; the value it sends is read by `read`. */
function renderField(formId: string, field: Form['fields'][number]): { row: HTMLElement; read: () => string | number | boolean | undefined } {
  const id = uid(`${formId}-${field.name}`);
  const label = () => el('label', { for: id }, asText(field.label), requiredMark('required' in field && field.required));
  const row = (control: Control, ...after: HTMLElement[]) => el('div', { className: 'form-row' }, label(), control, ...after);
  // an empty optional field is left out of what is sent
  const text = (c: Control) => () => (c.value.trim() === '' ? undefined : c.value);
  switch (field.kind) {
    case 'textarea': {
      const c = el('textarea', { id, name: field.name, rows: 4, maxlength: field.maxLength, placeholder: field.placeholder, required: !!field.required });
      c.value = asText(field.value);
      if (!field.maxLength) return { row: row(c), read: text(c) };
      const counter = el('p', { className: 'hint counter', id: `${id}-count` });
      c.setAttribute('aria-describedby', counter.id);
      const update = () => counter.replaceChildren(`${c.value.length} / ${field.maxLength} `, bi('characters'));
      c.addEventListener('input', update);
      update();
      return { row: row(c, counter), read: text(c) };
    }
    case 'number': {
      const c = el('input', { id, name: field.name, type: 'number', inputmode: 'decimal', step: 'any', min: field.min, max: field.max, required: !!field.required });
      if (field.value !== undefined && field.value !== null) c.value = String(field.value);
      return { row: row(c), read: () => (c.value.trim() === '' ? undefined : Number(c.value)) };
    }
    case 'date': {
      const c = el('input', { id, name: field.name, type: 'date', required: !!field.required });
      if (field.value) c.value = asText(field.value).slice(0, 10);
      return { row: row(c), read: text(c) };
    }
    case 'select': {
      const c = el('select', { id, name: field.name, required: !!field.required }, el('option', { value: '' }, field.required ? '—' : biText('none')), options(field.options));
      if (field.value !== undefined) c.value = asText(field.value);
      return { row: row(c), read: text(c) };
    }
    case 'checkbox': {
      const c = el('input', { id, name: field.name, type: 'checkbox' });
      c.checked = field.value === true;
      return { row: el('div', { className: 'form-row checkbox-row' }, c, el('label', { for: id }, asText(field.label))), read: () => c.checked };
    }
    default: {
      const c = el('input', { id, name: field.name, type: 'text', maxlength: field.maxLength, placeholder: field.placeholder, required: !!field.required });
      c.value = asText(field.value);
      return { row: row(c), read: text(c) };
    }
  }
}

function renderForm(form: Form, act: Act): HTMLElement {
  const fields = form.fields.map((f) => ({ field: f, ...renderField(form.id || 'form', f) }));
  const button = el('button', { type: 'submit', className: 'btn primary' }, asText(form.submitLabel));
  const node = el(
    'form',
    { className: 'blk-form' },
    el('fieldset', null, el('legend', null, asText(form.title)), fields.map((f) => f.row), el('div', { className: 'form-actions' }, button)),
  );
  node.addEventListener('submit', (e) => {
    e.preventDefault();
    // the browser checks what the field model itself says (required, lengths, bounds)
    if (!node.reportValidity()) return;
    const values: Values = {};
    for (const f of fields) {
      const v = f.read();
      if (v !== undefined) values[f.field.name] = v;
    }
    act({ command: form.submit.command, args: form.submit.args ?? {}, values }, `» ${asText(form.submitLabel)}`, button);
  });
  return node;
}

/**
 * A ranked ballot: a rank box per candidate. The ranks are sent as they were chosen ("id=rank"
 * pairs, the `ranks` argument): whether they run 1, 2, 3… without a repeat or a gap is the voting
 * service's rule, answered by the server.
 */
function renderBallot(ballot: RankedBallot, act: Act): HTMLElement {
  const candidates = ballot.candidates;
  const max = Math.max(1, Math.min(candidates.length, ballot.maxRanks || candidates.length));
  const rows = candidates.map((c) => {
    const id = uid(`${ballot.id || 'ballot'}-${c.id}`);
    const rankOptions = Array.from({ length: max }, (_, i) => el('option', { value: String(i + 1) }, String(i + 1)));
    const select = el('select', { id, name: `rank-${c.id}`, className: 'rank' }, el('option', { value: '' }, '–'), rankOptions);
    // visible "Rank / Safle"; the accessible name says whose: "Rank for Alys Jones / Safle ar gyfer Alys Jones"
    const label = el('label', { for: id, className: 'rank-label' }, biNamed('rank', 'rankFor', { name: asText(c.name) }));
    const info = el('div', { className: 'cand-info' }, el('span', { className: 'cand-name' }, asText(c.name)));
    if (c.statement) {
      const statement = el('div', { className: 'statement' });
      richText(statement, c.statement);
      info.appendChild(el('details', null, el('summary', null, biNamed('statement', 'statementBy', { name: asText(c.name) })), statement));
    }
    return { candidate: c, select, item: el('li', { className: 'candidate' }, info, el('div', { className: 'rank-cell' }, label, select)) };
  });
  const button = el('button', { type: 'submit', className: 'btn primary' }, asText(ballot.submitLabel));
  const node = el(
    'form',
    { className: 'blk-ballot' },
    el(
      'fieldset',
      null,
      el('legend', null, asText(ballot.title)),
      el('p', { className: 'instructions' }, asText(ballot.instructions)),
      el('ol', { className: 'candidates' }, rows.map((r) => r.item)),
      el('div', { className: 'form-actions' }, button),
    ),
  );
  node.noValidate = true;
  node.addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = rows.filter((r) => r.select.value).map((r) => ({ id: r.candidate.id, name: r.candidate.name, rank: Number(r.select.value) }));
    const ranks = chosen.map((c) => `${c.id}=${c.rank}`).join(',');
    // the person's own line lists their choices in the order they numbered them
    const echo = [...chosen].sort((a, b) => a.rank - b.rank).map((c) => `${c.rank}. ${c.name}`).join(', ');
    act({ command: ballot.submit.command, args: { ...ballot.submit.args, ranks } }, `» ${asText(ballot.submitLabel)}: ${echo}`, button);
  });
  return node;
}
