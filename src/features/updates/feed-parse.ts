/**
 * Reads RSS 2.0 (and 1.0) and Atom feeds with saxes (a strict, streaming XML parser), tolerant
 * where council feeds are messy and strict where it matters:
 * - the bytes are decoded by the feed's own charset (byte-order mark, then the XML declaration's
 *   `encoding`, then the HTTP `charset`, else UTF-8), through iconv-lite;
 * - the text elements (titles, descriptions, summaries, content) are read as HTML: markup inside
 *   them (a stray `<br>`, an unclosed `<p>`) never rejects the feed, and entities escaped twice
 *   (`&amp;rsquo;`) come out as the character (’);
 * - a bare `&` (`Health & Care`, `?a=1&b=2`) is read as the character, an HTML entity (`&nbsp;`)
 *   outside them is left as it is, and an HTML `<br>` between elements is passed over;
 * - the structure around them must be well formed: a feed cut off half way, a tag never closed,
 *   two roots or an HTML error page is a FeedError, so a broken feed is reported and retried
 *   rather than half-imported.
 */
import { decodeHTMLStrict, decodeXML } from 'entities';
import iconv from 'iconv-lite';
import { SaxesParser } from 'saxes';
import { z } from 'zod';

const none = {} as Record<string, never>;

/** How the officers are told what went wrong with a feed (a catalogue message and its values), as stored in `UpdateFeed.lastProblem`. */
const ZFeedProblem = z.union([
  z.object({ key: z.literal('updates.feed.error.xml'), params: z.object({ line: z.number().int() }) }),
  z.object({ key: z.literal('updates.feed.error.http'), params: z.object({ status: z.number().int() }) }),
  z.object({
    key: z.enum(['updates.feed.error.empty', 'updates.feed.error.notFeed', 'updates.feed.error.tooLarge', 'updates.feed.error.timeout', 'updates.feed.error.unreachable']),
    params: z.object({}).transform(() => none),
  }),
]);
export type FeedProblem = z.infer<typeof ZFeedProblem>;

/** Each problem a feed can have, as the failing code names it. */
export const feedProblems = {
  xml: (line: number): FeedProblem => ({ key: 'updates.feed.error.xml', params: { line } }),
  http: (status: number): FeedProblem => ({ key: 'updates.feed.error.http', params: { status } }),
  empty: { key: 'updates.feed.error.empty', params: none },
  notFeed: { key: 'updates.feed.error.notFeed', params: none },
  tooLarge: { key: 'updates.feed.error.tooLarge', params: none },
  timeout: { key: 'updates.feed.error.timeout', params: none },
  unreachable: { key: 'updates.feed.error.unreachable', params: none },
} as const satisfies Record<string, FeedProblem | ((n: number) => FeedProblem)>;

/**
 * A feed that cannot be read: `message` in English for the log and `UpdateFeed.lastError`,
 * `problem` what the officers are told, decided here where the failure is known (never read back
 * from the message's words, which saxes or the network may word differently one day).
 */
export class FeedError extends Error {
  constructor(
    message: string,
    readonly problem: FeedProblem,
  ) {
    super(message);
    this.name = 'FeedError';
  }
}

/**
 * A feed's failure as stored (`UpdateFeed.lastProblem`). A row failed before the column was
 * added (or holding what this version does not know) is "the site could not be reached or read":
 * its next poll, at most a day later, stores the real problem.
 */
export function storedFeedProblem(stored: unknown): FeedProblem {
  const parsed = ZFeedProblem.safeParse(stored);
  return parsed.success ? parsed.data : feedProblems.unreachable;
}

export interface FeedItem {
  /** guid / id, or else the link: what makes the item the same item next time */
  key: string;
  title: string;
  link?: string;
  summary?: string;
  published?: Date;
}

/** Elements whose content is HTML (or text that may hold it): cut out before parsing, read by plainText. */
const TEXT_ELEMENTS = ['title', 'description', 'summary', 'content', 'encoded'];

/** A text element with its whole body (captured), non-greedy to its own closing tag (not self-closed). */
const TEXT_BODY = new RegExp(`<((?:[\\w.-]+:)?(?:${TEXT_ELEMENTS.join('|')}))(\\s[^>]*[^/>])?>([\\s\\S]*?)</\\1\\s*>`, 'g');
/** An ampersand that starts none of XML's own references (a bare `&`, or an HTML entity such as `&nbsp;`). */
const NOT_XML_REFERENCE = /&(?!#\d+;|#x[\da-fA-F]+;|(?:amp|lt|gt|quot|apos);)/g;
/** An HTML element that never closes, written unclosed (`<br>`) where XML wants it closed. */
const VOID_HTML = /<(br|hr|img|wbr)\b([^>]*?)\/?>/gi;

/** The charset the bytes declare: byte-order mark, XML declaration, HTTP header; else UTF-8. */
export function feedCharset(bytes: Uint8Array, contentType?: string | null): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  const header = contentType ? /;\s*charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1] : undefined;
  for (const name of [declared, header]) if (name && iconv.encodingExists(name)) return name.toLowerCase();
  return 'utf-8';
}

/** The feed's text from its bytes, decoded by its declared charset. */
export function decodeFeed(bytes: Uint8Array, contentType?: string | null): string {
  return iconv.decode(Buffer.from(bytes), feedCharset(bytes, contentType));
}

/**
 * Removes markup from an HTML summary, decodes HTML's entities and squeezes the whitespace: a run
 * of spaces becomes one space, a run holding a line break one line break. Each step runs only
 * when the text has what it works on (most titles have no markup, most text no entity).
 */
export function plainText(html: string): string {
  let text = html;
  if (text.includes('<')) text = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<br\s*\/?>|<\/p>/gi, '\n').replace(/<[^>]+>/g, ' ');
  if (text.includes('&')) text = decodeHTMLStrict(text);
  // a lone space is left as it is: only longer runs and other spaces are replaced
  return text.replace(/\s{2,}|[^\S ]/g, (run) => (run.includes('\n') ? '\n' : ' ')).trim();
}

/** A raw text element's content as HTML: CDATA sections as they are, the rest with XML's escapes undone. */
function rawToHtml(raw: string): string {
  if (!raw.includes('<![CDATA[')) return raw.includes('&') ? decodeXML(raw) : raw;
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) => (part.startsWith('<![CDATA[') ? part.slice(9, -3) : decodeXML(part)))
    .join('');
}

/** An element as the feed reader sees it: local names (no namespace prefix), its attributes, child elements and text. */
interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  kids: XmlElement[];
  text: string;
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** An element's child elements by name. */
function childrenOf(n: XmlElement | undefined): Map<string, XmlElement[]> {
  const out = new Map<string, XmlElement[]>();
  for (const c of n?.kids ?? []) {
    const list = out.get(c.name);
    if (list) list.push(c);
    else out.set(c.name, [c]);
  }
  return out;
}
/** An element's own text, trimmed; '' when absent. */
const textOf = (n: XmlElement | undefined): string => n?.text.trim() ?? '';
const attr = (n: XmlElement | undefined, name: string): string | undefined => n?.attrs[name];

function parseDate(s: string): Date | undefined {
  if (!s) return undefined;
  const d = new Date(s.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * The document's root element, and its text elements read as plain text; throws FeedError where
 * the structure is not well formed. The text elements' bodies are HTML, which no XML parser should
 * judge: each is cut out first and its element left holding its number, so what is checked and
 * parsed is the structure (a fifth of a feed's text where descriptions are long).
 */
function readDocument(xml: string): { root: XmlElement; plainOf: (n: XmlElement | undefined) => string | undefined } {
  const bodies: string[] = [];
  const structure = xml
    .replace(/^\uFEFF?\s*/, '')
    .replace(TEXT_BODY, (_whole, name: string, attrs: string | undefined, body: string) => `<${name}${attrs ?? ''}>${bodies.push(body) - 1}</${name}>`)
    .replace(NOT_XML_REFERENCE, '&amp;')
    .replace(VOID_HTML, '<$1$2/>');
  const top: XmlElement = { name: '', attrs: {}, kids: [], text: '' };
  const open = [top];
  const sax = new SaxesParser();
  sax.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const name in tag.attributes) attrs[localName(name)] = tag.attributes[name];
    const element: XmlElement = { name: localName(tag.name), attrs, kids: [], text: '' };
    open[open.length - 1].kids.push(element);
    open.push(element);
  });
  sax.on('closetag', () => void open.pop());
  sax.on('text', (text) => void (open[open.length - 1].text += text));
  sax.on('cdata', (text) => void (open[open.length - 1].text += text));
  try {
    sax.write(structure).close();
  } catch (err) {
    // whatever saxes says, the line is where the parser stopped; its "line:column: what" is logged as "what (line n)"
    const message = (err as Error).message;
    const what = /^\d+:\d+: (.*?)\.?$/s.exec(message)?.[1];
    throw new FeedError(what ? `${what} (line ${sax.line})` : message, feedProblems.xml(sax.line));
  }
  /** A text element read as plain text; undefined when absent, self-closed or empty. */
  const plainOf = (n: XmlElement | undefined): string | undefined => {
    const index = textOf(n);
    return (index && plainText(rawToHtml(bodies[Number(index)] ?? ''))) || undefined;
  };
  if (!top.kids[0]) throw new FeedError('no root element', feedProblems.empty);
  return { root: top.kids[0], plainOf };
}

/** The items of an RSS or Atom feed, from its text or its bytes; items with neither an id nor a link are left out. */
export function parseFeed(
  input: string | Uint8Array,
  contentType?: string | null,
): { kind: 'rss' | 'atom'; title: string; items: FeedItem[]; skipped: number } {
  const xml = typeof input === 'string' ? input : decodeFeed(input, contentType);
  if (!xml.trim()) throw new FeedError('empty document', feedProblems.empty);
  const { root, plainOf } = readDocument(xml);
  const name = root.name;
  let skipped = 0;
  const keep = (item: Omit<FeedItem, 'key' | 'title'> & { id?: string; title?: string }): FeedItem[] => {
    const key = (item.id || item.link || '').trim();
    if (!key || !item.title) {
      skipped++;
      return [];
    }
    return [{ key, title: item.title, link: item.link, summary: item.summary, published: item.published }];
  };
  const top = childrenOf(root);
  if (name === 'feed') {
    const items = (top.get('entry') ?? []).flatMap((entry) => {
      const e = childrenOf(entry);
      const one = (tag: string) => e.get(tag)?.[0];
      const links = e.get('link') ?? [];
      const link = attr(links.find((l) => !attr(l, 'rel') || attr(l, 'rel') === 'alternate') ?? links[0], 'href');
      return keep({
        id: textOf(one('id')),
        title: plainOf(one('title')),
        link: link || undefined,
        summary: plainOf(one('summary') ?? one('content')),
        published: parseDate(textOf(one('published')) || textOf(one('updated'))),
      });
    });
    return { kind: 'atom', title: plainOf(top.get('title')?.[0]) ?? '', items, skipped };
  }
  if (name === 'rss' || name === 'RDF') {
    const channel = childrenOf(top.get('channel')?.[0]);
    // RSS 2.0 puts the items in the channel, RSS 1.0 beside it
    const items = [...(channel.get('item') ?? []), ...(top.get('item') ?? [])].flatMap((item) => {
      const it = childrenOf(item);
      const one = (tag: string) => it.get(tag)?.[0];
      const guid = textOf(one('guid'));
      const permalink = guid && attr(one('guid'), 'isPermaLink') !== 'false' && /^https?:/.test(guid) ? guid : '';
      const link = (it.get('link') ?? []).map(textOf).find(Boolean) || permalink;
      return keep({
        id: guid || attr(item, 'about'),
        title: plainOf(one('title')),
        link: link || undefined,
        summary: plainOf(one('description') ?? one('encoded')),
        published: parseDate(textOf(one('pubDate')) || textOf(one('date'))),
      });
    });
    return { kind: 'rss', title: plainOf(channel.get('title')?.[0]) ?? '', items, skipped };
  }
  throw new FeedError(`not an RSS or Atom feed (root element <${name}>)`, feedProblems.notFeed);
}
