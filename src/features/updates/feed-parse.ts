/**
 * Reads RSS 2.0 (and 1.0) and Atom feeds. A small XML reader of our own: elements, attributes,
 * text, CDATA, comments and entities, which is all a feed uses. Anything not well formed is a
 * FeedError, so a broken feed is reported and retried rather than half-imported.
 */
export class FeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedError';
  }
}

export interface XmlNode {
  name: string;
  /** the name without a namespace prefix: "dc:date" → "date" */
  local: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[e.toLowerCase()] ?? whole;
  });
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Parses an XML document into its root element; throws FeedError where it is not well formed. */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: '#document', local: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  let i = 0;
  const n = xml.length;
  const fail = (what: string): never => {
    const line = xml.slice(0, i).split('\n').length;
    throw new FeedError(`${what} (line ${line})`);
  };
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const top = stack[stack.length - 1];
    if (lt < 0) {
      if (xml.slice(i).trim() && stack.length > 1) top.text += decodeEntities(xml.slice(i));
      break;
    }
    if (lt > i) {
      const text = xml.slice(i, lt);
      if (stack.length === 1) {
        if (text.trim()) fail('text outside the root element');
      } else top.text += decodeEntities(text);
    }
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) fail('unclosed comment');
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i + 9);
      if (end < 0) fail('unclosed CDATA section');
      if (stack.length === 1) fail('CDATA outside the root element');
      top.text += xml.slice(i + 9, end);
      i = end + 3;
    } else if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end < 0) fail('unclosed processing instruction');
      i = end + 2;
    } else if (xml.startsWith('<!', i)) {
      // DOCTYPE (with an internal subset in brackets, if any)
      let depth = 0;
      let j = i + 2;
      for (; j < n; j++) {
        if (xml[j] === '[') depth++;
        else if (xml[j] === ']') depth--;
        else if (xml[j] === '>' && depth <= 0) break;
      }
      if (j >= n) fail('unclosed declaration');
      i = j + 1;
    } else if (xml[i + 1] === '/') {
      const end = xml.indexOf('>', i);
      if (end < 0) fail('unclosed end tag');
      const name = xml.slice(i + 2, end).trim();
      if (stack.length === 1 || top.name !== name) fail(`</${name}> does not close <${top.name}>`);
      stack.pop();
      i = end + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(xml.slice(i, i + 4096));
      if (!m) fail('malformed start tag');
      const [whole, name, attrText, selfClose] = m!;
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = decodeEntities(a[2] ?? a[3] ?? '');
      const node: XmlNode = { name, local: localName(name), attrs, children: [], text: '' };
      if (stack.length === 1 && root.children.length) fail('more than one root element');
      top.children.push(node);
      if (!selfClose) stack.push(node);
      i += whole.length;
    }
  }
  if (stack.length > 1) fail(`<${stack[stack.length - 1].name}> is never closed`);
  if (!root.children.length) fail('no root element');
  return root.children[0];
}

export interface FeedItem {
  /** guid / id, or else the link: what makes the item the same item next time */
  key: string;
  title: string;
  link?: string;
  summary?: string;
  published?: Date;
}

const child = (node: XmlNode, local: string) => node.children.find((c) => c.local === local);
const textOf = (node: XmlNode | undefined): string => (node ? (node.text + node.children.map(textOf).join(' ')).trim() : '');

/** Removes markup from an HTML summary and squeezes the whitespace. */
export function plainText(html: string): string {
  return decodeEntities(html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<br\s*\/?>|<\/p>/gi, '\n').replace(/<[^>]+>/g, ' '))
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

function parseDate(s: string): Date | undefined {
  if (!s) return undefined;
  const d = new Date(s.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function descendants(node: XmlNode, local: string, out: XmlNode[] = []): XmlNode[] {
  for (const c of node.children) {
    if (c.local === local) out.push(c);
    else descendants(c, local, out);
  }
  return out;
}

/** The items of an RSS or Atom feed; items with neither an id nor a link are left out. */
export function parseFeed(xml: string): { kind: 'rss' | 'atom'; title: string; items: FeedItem[]; skipped: number } {
  const root = parseXml(xml);
  let skipped = 0;
  const keep = (item: Omit<FeedItem, 'key'> & { id?: string }): FeedItem | null => {
    const key = (item.id || item.link || '').trim();
    if (!key || !item.title) {
      skipped++;
      return null;
    }
    return { key, title: item.title, link: item.link, summary: item.summary, published: item.published };
  };
  if (root.local === 'feed') {
    const items = descendants(root, 'entry').map((e) => {
      const links = e.children.filter((c) => c.local === 'link');
      const link = (links.find((l) => !l.attrs.rel || l.attrs.rel === 'alternate') ?? links[0])?.attrs.href;
      const summary = child(e, 'summary') ?? child(e, 'content');
      return keep({
        id: textOf(child(e, 'id')),
        title: plainText(textOf(child(e, 'title'))),
        link: link || undefined,
        summary: summary ? plainText(textOf(summary)) || undefined : undefined,
        published: parseDate(textOf(child(e, 'published')) || textOf(child(e, 'updated'))),
      });
    });
    return { kind: 'atom', title: plainText(textOf(child(root, 'title'))), items: items.filter((x): x is FeedItem => !!x), skipped };
  }
  if (root.local === 'rss' || root.local === 'RDF') {
    const channel = child(root, 'channel');
    const items = descendants(root, 'item').map((it) => {
      const guid = child(it, 'guid');
      const link = textOf(child(it, 'link')) || (guid && guid.attrs.isPermaLink !== 'false' && /^https?:/.test(textOf(guid)) ? textOf(guid) : '');
      const description = child(it, 'description') ?? child(it, 'encoded');
      return keep({
        id: textOf(guid) || it.attrs['rdf:about'],
        title: plainText(textOf(child(it, 'title'))),
        link: link || undefined,
        summary: description ? plainText(textOf(description)) || undefined : undefined,
        published: parseDate(textOf(child(it, 'pubDate')) || textOf(child(it, 'date'))),
      });
    });
    return { kind: 'rss', title: channel ? plainText(textOf(child(channel, 'title'))) : '', items: items.filter((x): x is FeedItem => !!x), skipped };
  }
  throw new FeedError(`not an RSS or Atom feed (root element <${root.name}>)`);
}
