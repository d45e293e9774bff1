/**
 * Small DOM helpers. Every string from the server goes into the page as text or an attribute,
 * never as markup: nothing the server sends can become HTML.
 */

export type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined>;

/** An element with attributes (true adds an empty one; false, null and undefined leave it out) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'className') node.className = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

export function append(node: Node, child: Child): void {
  if (child === undefined || child === null || child === false) return;
  if (Array.isArray(child)) for (const c of child) append(node, c);
  else if (typeof child === 'string' || typeof child === 'number') node.appendChild(document.createTextNode(String(child)));
  else node.appendChild(child);
}

let seq = 0;
/** An id unique on the page: the same form may arrive twice. */
export function uid(hint?: string): string {
  seq += 1;
  return `m${seq}-${String(hint || 'x').replace(/[^\w-]/g, '_').slice(0, 40)}`;
}

export const asText = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** http(s) addresses in a text become links (opening in a new tab); the rest stays text. */
function linkify(parent: Node, text: string): void {
  const re = /\bhttps?:\/\/[^\s<>"“”]+[^\s<>"“”.,;:!?)\]’]/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
    parent.appendChild(el('a', { href: m[0], rel: 'noopener noreferrer', target: '_blank' }, m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
}

/** The messages' little markdown: **bold**, line breaks and links. Everything else stays text. */
export function richText(parent: Node, text: unknown): void {
  asText(text)
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (i > 0) parent.appendChild(document.createElement('br'));
      line.split(/\*\*(?=\S)([\s\S]*?\S)\*\*/).forEach((part, j) => {
        if (part === '') return;
        if (j % 2 === 1) {
          const strong = document.createElement('strong');
          linkify(strong, part);
          parent.appendChild(strong);
        } else {
          linkify(parent, part);
        }
      });
    });
}

/** The first control a person would fill in, inside a node. */
export const firstControl = (node: ParentNode): HTMLElement | null => node.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea');
