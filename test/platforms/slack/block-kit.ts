/**
 * Block Kit's documented rules (docs.slack.dev, Block Kit reference), as the stand-in checks them:
 * a payload Slack would refuse with `invalid_blocks` is refused here too, with the reason.
 */
type Json = Record<string, unknown>;

export function blockKitProblems(blocks: unknown, surface: 'message' | 'modal' | 'home'): string[] {
  const problems: string[] = [];
  const bad = (p: string) => problems.push(p);
  if (!Array.isArray(blocks)) return ['blocks must be an array'];
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max) bad(`${blocks.length} blocks (at most ${max} in a ${surface})`);
  if (blocks.length === 0 && surface === 'home') bad('a home view needs blocks');
  const blockIds = new Set<string>();
  const tables = blocks.filter((b) => (b as Json)?.type === 'table').length;
  if (surface === 'message' && tables > 1) bad(`${tables} table blocks (at most one a message)`);
  blocks.forEach((raw, i) => {
    const b = raw as Json;
    const at = `blocks[${i}] (${String(b.type)})`;
    if (typeof b.block_id === 'string') {
      if (b.block_id.length > 255) bad(`${at}: block_id over 255 characters`);
      if (blockIds.has(b.block_id)) bad(`${at}: duplicate block_id`);
      blockIds.add(b.block_id);
    }
    switch (b.type) {
      case 'header':
        textObject(b.text, 150, `${at}.text`, bad, 'plain_text');
        break;
      case 'section': {
        if (!b.text && !b.fields) bad(`${at}: needs text or fields`);
        if (b.text) textObject(b.text, 3000, `${at}.text`, bad);
        if (b.fields) {
          const fields = b.fields as unknown[];
          if (fields.length > 10) bad(`${at}: ${fields.length} fields (at most 10)`);
          fields.forEach((f, j) => textObject(f, 2000, `${at}.fields[${j}]`, bad));
        }
        if (b.accessory) element(b.accessory as Json, `${at}.accessory`, bad);
        break;
      }
      case 'actions': {
        const els = (b.elements ?? []) as Json[];
        if (els.length === 0) bad(`${at}: no elements`);
        if (els.length > 25) bad(`${at}: ${els.length} elements (at most 25)`);
        const ids = new Set<string>();
        els.forEach((e, j) => {
          element(e, `${at}.elements[${j}]`, bad);
          if (typeof e.action_id === 'string') {
            if (ids.has(e.action_id)) bad(`${at}: duplicate action_id ${e.action_id}`);
            ids.add(e.action_id);
          }
        });
        break;
      }
      case 'input':
        if (surface === 'message') bad(`${at}: input blocks belong in modals`);
        textObject(b.label, 2000, `${at}.label`, bad, 'plain_text');
        element(b.element as Json, `${at}.element`, bad);
        break;
      case 'table': {
        if (surface !== 'message') bad(`${at}: table blocks belong in messages`);
        const rows = b.rows as Json[][] | undefined;
        if (!Array.isArray(rows) || rows.length === 0) bad(`${at}: needs rows`);
        else {
          if (rows.length > 100) bad(`${at}: ${rows.length} rows (at most 100)`);
          rows.forEach((row, r) => {
            if (!Array.isArray(row) || row.length === 0) return bad(`${at}.rows[${r}]: not a row of cells`);
            if (row.length > 20) bad(`${at}.rows[${r}]: ${row.length} cells (at most 20)`);
            row.forEach((c, k) => {
              if (c?.type !== 'raw_text' && c?.type !== 'raw_number' && c?.type !== 'rich_text') bad(`${at}.rows[${r}][${k}]: unknown cell type`);
              if (c?.type === 'raw_text' && (typeof c.text !== 'string' || c.text.length === 0)) bad(`${at}.rows[${r}][${k}]: empty text`);
            });
          });
        }
        const settings = (b.column_settings ?? []) as Json[];
        if (settings.length > 20) bad(`${at}: ${settings.length} column_settings (at most 20)`);
        settings.forEach((c, k) => {
          if (c && c.align !== undefined && !['left', 'center', 'right'].includes(c.align as string)) bad(`${at}.column_settings[${k}]: unknown align`);
        });
        break;
      }
      case 'divider':
      case 'context':
        break;
      default:
        bad(`${at}: unknown block type`);
    }
  });
  return problems;
}

function textObject(t: unknown, max: number, at: string, bad: (p: string) => void, only?: 'plain_text') {
  const o = t as Json | undefined;
  if (!o || typeof o.text !== 'string') return bad(`${at}: missing text object`);
  if (only && o.type !== only) bad(`${at}: must be ${only}`);
  if (o.type !== 'plain_text' && o.type !== 'mrkdwn') bad(`${at}: unknown text type`);
  if (o.text.length === 0) bad(`${at}: empty text`);
  if ([...o.text].length > max) bad(`${at}: ${[...o.text].length} characters (at most ${max})`);
}

function element(e: Json | undefined, at: string, bad: (p: string) => void) {
  if (!e) return bad(`${at}: missing element`);
  if (typeof e.action_id === 'string' && e.action_id.length > 255) bad(`${at}: action_id over 255 characters`);
  if (e.placeholder) textObject(e.placeholder, 150, `${at}.placeholder`, bad, 'plain_text');
  switch (e.type) {
    case 'button':
      textObject(e.text, 75, `${at}.text`, bad, 'plain_text');
      if (typeof e.value === 'string' && e.value.length > 2000) bad(`${at}: value over 2000 characters`);
      break;
    case 'static_select': {
      if (e.options && e.option_groups) bad(`${at}: options and option_groups together`);
      const opts = (e.options ?? []) as Json[];
      const groups = (e.option_groups ?? []) as Json[];
      if (opts.length > 100) bad(`${at}: ${opts.length} options (at most 100)`);
      if (groups.length > 100) bad(`${at}: ${groups.length} option groups (at most 100)`);
      groups.forEach((g, gi) => {
        textObject(g.label, 75, `${at}.option_groups[${gi}].label`, bad, 'plain_text');
        const go = (g.options ?? []) as Json[];
        if (go.length > 100) bad(`${at}.option_groups[${gi}]: ${go.length} options (at most 100)`);
        go.forEach((o, j) => opt(o, `${at}.option_groups[${gi}].options[${j}]`, bad));
      });
      if (!opts.length && !groups.length) bad(`${at}: no options`);
      opts.forEach((o, j) => opt(o, `${at}.options[${j}]`, bad));
      break;
    }
    case 'checkboxes': {
      const opts = (e.options ?? []) as Json[];
      if (opts.length === 0 || opts.length > 10) bad(`${at}: ${opts.length} checkboxes (1 to 10)`);
      opts.forEach((o, j) => opt(o, `${at}.options[${j}]`, bad));
      break;
    }
    case 'plain_text_input':
      if (typeof e.max_length === 'number' && (e.max_length < 1 || e.max_length > 3000)) bad(`${at}: max_length must be 1 to 3000`);
      break;
    case 'number_input':
      if (typeof e.is_decimal_allowed !== 'boolean') bad(`${at}: is_decimal_allowed is required`);
      break;
    case 'datepicker':
      if (e.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(e.initial_date))) bad(`${at}: initial_date must be YYYY-MM-DD`);
      break;
    default:
      bad(`${at}: unknown element type ${String(e.type)}`);
  }
}

function opt(o: Json, at: string, bad: (p: string) => void) {
  textObject(o.text, 75, `${at}.text`, bad, 'plain_text');
  if (typeof o.value !== 'string' || o.value.length === 0 || o.value.length > 150) bad(`${at}: value must be 1 to 150 characters`);
  if (o.description) textObject(o.description, 75, `${at}.description`, bad, 'plain_text');
}

/** A modal view's own rules, then its blocks'. */
export function viewProblems(view: unknown): string[] {
  const v = view as Json;
  const problems: string[] = [];
  const bad = (p: string) => problems.push(p);
  if (v?.type !== 'modal') bad('view.type must be modal');
  textObject(v?.title, 24, 'view.title', bad, 'plain_text');
  if (v?.submit) textObject(v.submit, 24, 'view.submit', bad, 'plain_text');
  if (v?.close) textObject(v.close, 24, 'view.close', bad, 'plain_text');
  if (typeof v?.private_metadata === 'string' && v.private_metadata.length > 3000) bad('view.private_metadata over 3000 characters');
  if (typeof v?.callback_id === 'string' && v.callback_id.length > 255) bad('view.callback_id over 255 characters');
  const hasInput = Array.isArray(v?.blocks) && (v.blocks as Json[]).some((b) => b.type === 'input');
  if (hasInput && !v?.submit) bad('a view with inputs needs a submit button');
  return [...problems, ...blockKitProblems(v?.blocks, 'modal')];
}

/** A Home tab view's own rules (views.publish: type home, at most 100 blocks, no title or submit), then its blocks'. */
export function homeViewProblems(view: unknown): string[] {
  const v = view as Json;
  const problems: string[] = [];
  const bad = (p: string) => problems.push(p);
  if (v?.type !== 'home') bad('view.type must be home');
  for (const key of ['title', 'submit', 'close']) if (v?.[key] !== undefined) bad(`view.${key} is for modals, not a home tab`);
  if (typeof v?.private_metadata === 'string' && v.private_metadata.length > 3000) bad('view.private_metadata over 3000 characters');
  if (typeof v?.callback_id === 'string' && v.callback_id.length > 255) bad('view.callback_id over 255 characters');
  if (Array.isArray(v?.blocks) && (v.blocks as Json[]).some((b) => b.type === 'table')) bad('table blocks belong in messages');
  return [...problems, ...blockKitProblems(v?.blocks, 'home')];
}
