/**
 * Discord's documented limits on what a bot may send, checked by the stand-in the way Discord
 * answers "400 Invalid Form Body": messages (content, embeds, action rows) and modals.
 */
type Json = Record<string, unknown>;
const len = (v: unknown) => (typeof v === 'string' ? v.length : 0);

export function messageProblems(body: Json): string[] {
  const p: string[] = [];
  const content = body.content as string | undefined;
  const embeds = (body.embeds as Json[] | undefined) ?? [];
  const rows = (body.components as Json[] | undefined) ?? [];
  if (!content && embeds.length === 0 && rows.length === 0) p.push('message: empty (no content, embeds or components)');
  if (len(content) > 2000) p.push(`content: ${len(content)} > 2000 characters`);
  if (embeds.length > 10) p.push(`embeds: ${embeds.length} > 10`);
  let total = 0;
  embeds.forEach((e, i) => {
    const fields = (e.fields as Json[] | undefined) ?? [];
    if (len(e.title) > 256) p.push(`embeds[${i}].title: ${len(e.title)} > 256`);
    if (len(e.description) > 4096) p.push(`embeds[${i}].description: ${len(e.description)} > 4096`);
    if (fields.length > 25) p.push(`embeds[${i}].fields: ${fields.length} > 25`);
    const footer = (e.footer as Json | undefined)?.text;
    if (len(footer) > 2048) p.push(`embeds[${i}].footer: > 2048`);
    fields.forEach((f, j) => {
      if (!len(f.name) || len(f.name) > 256) p.push(`embeds[${i}].fields[${j}].name: must be 1–256 characters`);
      if (!len(f.value) || len(f.value) > 1024) p.push(`embeds[${i}].fields[${j}].value: must be 1–1024 characters`);
      total += len(f.name) + len(f.value);
    });
    total += len(e.title) + len(e.description) + len(footer);
    // Discord's webhook endpoint refuses an embed with nothing in it
    if (!len(e.title) && !len(e.description) && !fields.length && !len(footer)) p.push(`embeds[${i}]: empty`);
  });
  if (total > 6000) p.push(`embeds: ${total} > 6000 characters in all`);
  if (rows.length > 5) p.push(`components: ${rows.length} > 5 action rows`);
  const ids = new Set<string>();
  rows.forEach((row, r) => {
    if (row.type !== 1) return p.push(`components[${r}]: not an action row`);
    const inner = (row.components as Json[]) ?? [];
    const selects = inner.filter((c) => c.type === 3);
    if (inner.length === 0) p.push(`components[${r}]: empty row`);
    if (selects.length && inner.length > 1) p.push(`components[${r}]: a select must be alone in its row`);
    if (inner.length > 5) p.push(`components[${r}]: ${inner.length} > 5 buttons`);
    inner.forEach((c, k) => {
      const at = `components[${r}].components[${k}]`;
      const id = c.custom_id as string | undefined;
      if (id !== undefined) {
        if (!id.length || id.length > 100) p.push(`${at}.custom_id: must be 1–100 characters`);
        if (ids.has(id)) p.push(`${at}.custom_id: duplicate in message`);
        ids.add(id);
      }
      if (c.type === 2) {
        if (!len(c.label) || len(c.label) > 80) p.push(`${at}.label: must be 1–80 characters`);
        if (![1, 2, 3, 4, 5].includes(c.style as number)) p.push(`${at}.style: unknown`);
      } else if (c.type === 3) p.push(...selectProblems(c, at));
      else p.push(`${at}: type ${String(c.type)} not allowed in a message row`);
    });
  });
  return p;
}

function selectProblems(c: Json, at: string): string[] {
  const p: string[] = [];
  const options = (c.options as Json[]) ?? [];
  if (options.length < 1 || options.length > 25) p.push(`${at}.options: must be 1–25, got ${options.length}`);
  if (len(c.placeholder) > 150) p.push(`${at}.placeholder: > 150`);
  const min = (c.min_values as number | undefined) ?? 1;
  const max = (c.max_values as number | undefined) ?? 1;
  if (min < 0 || min > 25 || max < 1 || max > 25 || min > max) p.push(`${at}: bad min_values/max_values`);
  const values = new Set<string>();
  options.forEach((o, i) => {
    if (!len(o.label) || len(o.label) > 100) p.push(`${at}.options[${i}].label: must be 1–100 characters`);
    if (!len(o.value) || len(o.value) > 100) p.push(`${at}.options[${i}].value: must be 1–100 characters`);
    if (len(o.description) > 100) p.push(`${at}.options[${i}].description: > 100`);
    if (values.has(o.value as string)) p.push(`${at}.options[${i}].value: duplicate`);
    values.add(o.value as string);
  });
  return p;
}

export function modalProblems(body: Json): string[] {
  const p: string[] = [];
  if (!len(body.title) || len(body.title) > 45) p.push(`title: must be 1–45 characters, got ${len(body.title)}`);
  if (!len(body.custom_id) || len(body.custom_id) > 100) p.push('custom_id: must be 1–100 characters');
  const comps = (body.components as Json[]) ?? [];
  if (comps.length < 1 || comps.length > 5) p.push(`components: must be 1–5, got ${comps.length}`);
  comps.forEach((c, i) => {
    const at = `components[${i}]`;
    if (c.type !== 18) return p.push(`${at}: expected a label`);
    if (!len(c.label) || len(c.label) > 45) p.push(`${at}.label: must be 1–45 characters`);
    if (len(c.description) > 100) p.push(`${at}.description: > 100`);
    const inner = c.component as Json;
    if (!inner || !len(inner.custom_id) || len(inner.custom_id) > 100) p.push(`${at}.component.custom_id: must be 1–100 characters`);
    if (inner?.type === 4) {
      if (![1, 2].includes(inner.style as number)) p.push(`${at}.component.style: unknown`);
      if (((inner.max_length as number) ?? 4000) > 4000) p.push(`${at}.component.max_length: > 4000`);
      if (len(inner.placeholder) > 100) p.push(`${at}.component.placeholder: > 100`);
      if (len(inner.value) > 4000) p.push(`${at}.component.value: > 4000`);
    } else if (inner?.type === 3) p.push(...selectProblems(inner, `${at}.component`));
    else if (inner?.type !== 23) p.push(`${at}.component: type ${String(inner?.type)} not allowed in a modal label`);
  });
  return p;
}

/** An autocomplete answer: at most 25 choices, each name 1–100 characters, a string value at most 100. */
export function choiceProblems(choices: { name: string; value: string | number }[]): string[] {
  const p: string[] = [];
  if (choices.length > 25) p.push(`choices: ${choices.length} > 25`);
  choices.forEach((c, i) => {
    if (!len(c.name) || len(c.name) > 100) p.push(`choices[${i}].name: must be 1–100 characters`);
    if (typeof c.value === 'string' && len(c.value) > 100) p.push(`choices[${i}].value: ${len(c.value)} > 100 characters`);
  });
  return p;
}
