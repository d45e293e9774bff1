/**
 * Reads RSS 2.0 (and 1.0) and Atom feeds with fast-xml-parser, tolerant where council feeds are
 * messy and strict where it matters:
 * - the bytes are decoded by the feed's own charset (byte-order mark, then the XML declaration's
 *   `encoding`, then the HTTP `charset`, else UTF-8), through iconv-lite;
 * - the text elements (titles, descriptions, summaries, content) are read as HTML: markup inside
 *   them (a stray `<br>`, an unclosed `<p>`) never rejects the feed, and entities escaped twice
 *   (`&amp;rsquo;`) come out as the character (’);
 * - a bare `&` (`Health & Care`, `?a=1&b=2`) is read as the character;
 * - the structure around them must be well formed: a feed cut off half way, a tag never closed,
 *   two roots or an HTML error page is a FeedError, so a broken feed is reported and retried
 *   rather than half-imported.
 */
import { decodeHTMLStrict, decodeXML } from 'entities';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import iconv from 'iconv-lite';

export class FeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedError';
  }
}

export interface FeedItem {
  /** guid / id, or else the link: what makes the item the same item next time */
  key: string;
  title: string;
  link?: string;
  summary?: string;
  published?: Date;
}

/** Elements whose content is HTML (or text that may hold it): kept raw, read by plainText. */
const TEXT_ELEMENTS = ['title', 'description', 'summary', 'content', 'encoded'];
/** HTML elements that never close, allowed unclosed anywhere. */
const VOID_HTML = ['br', 'hr', 'img', 'wbr'];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // XML's own entities outside the text elements (links, ids, dates); the text elements are read as HTML below
  processEntities: true,
  unpairedTags: VOID_HTML,
  stopNodes: TEXT_ELEMENTS.map((name) => `*.${name}`),
  isArray: (name) => name === 'item' || name === 'entry' || name === 'link',
});

/** A text element's whole body, non-greedy to its own closing tag (not self-closed). */
const TEXT_BODY = new RegExp(`<((?:[\\w.-]+:)?(?:${TEXT_ELEMENTS.join('|')}))(\\s[^>]*[^/>])?>[\\s\\S]*?</\\1\\s*>`, 'g');
/** An ampersand that does not start an entity or character reference. */
const BARE_AMP = /&(?!#\d+;|#x[\da-f]+;|[a-z][\da-z]*;)/gi;

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

/** Removes markup from an HTML summary, decodes HTML's entities and squeezes the whitespace. */
export function plainText(html: string): string {
  return decodeHTMLStrict(html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<br\s*\/?>|<\/p>/gi, '\n').replace(/<[^>]+>/g, ' '))
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

/** A raw text element's content as HTML: CDATA sections as they are, the rest with XML's escapes undone. */
function rawToHtml(raw: string): string {
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) => (part.startsWith('<![CDATA[') ? part.slice(9, -3) : decodeXML(part)))
    .join('');
}

type Node = Record<string, unknown> | string | undefined;

const asNode = (v: unknown): Node => (Array.isArray(v) ? asNode(v[0]) : (v as Node));
const textOf = (v: unknown): string => {
  const n = asNode(v);
  if (n === undefined || n === null) return '';
  if (typeof n === 'string' || typeof n === 'number') return String(n).trim();
  return typeof n['#text'] === 'string' || typeof n['#text'] === 'number' ? String(n['#text']).trim() : '';
};
const attr = (v: unknown, name: string): string | undefined => {
  const n = asNode(v);
  return n && typeof n === 'object' && typeof n[`@${name}`] === 'string' ? (n[`@${name}`] as string) : undefined;
};
/** A text element read as plain text; undefined when absent or empty. */
const plainOf = (v: unknown): string | undefined => plainText(rawToHtml(textOf(v))) || undefined;
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).filter((x) => x && typeof x === 'object');

function parseDate(s: string): Date | undefined {
  if (!s) return undefined;
  const d = new Date(s.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The document's root element's name and content; throws FeedError where it is not well formed. */
function readDocument(xml: string): { name: string; root: Record<string, unknown> } {
  const text = xml.replace(BARE_AMP, '&amp;');
  // the structure is checked strictly; what the text elements hold is HTML and checked by no one
  const structure = text.replace(TEXT_BODY, (_whole, name: string, attrs: string | undefined) => `<${name}${attrs ?? ''}></${name}>`);
  const valid = XMLValidator.validate(structure, { unpairedTags: VOID_HTML });
  if (valid !== true) throw new FeedError(`${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(text) as Record<string, unknown>;
  const name = Object.keys(doc).find((k) => k !== '?xml' && !k.startsWith('#'));
  if (!name) throw new FeedError('no root element');
  const root = doc[name];
  return { name, root: root && typeof root === 'object' ? (root as Record<string, unknown>) : {} };
}

/** The items of an RSS or Atom feed, from its text or its bytes; items with neither an id nor a link are left out. */
export function parseFeed(
  input: string | Uint8Array,
  contentType?: string | null,
): { kind: 'rss' | 'atom'; title: string; items: FeedItem[]; skipped: number } {
  const xml = typeof input === 'string' ? input : decodeFeed(input, contentType);
  if (!xml.trim()) throw new FeedError('empty document');
  const { name, root } = readDocument(xml);
  let skipped = 0;
  const keep = (item: Omit<FeedItem, 'key' | 'title'> & { id?: string; title?: string }): FeedItem[] => {
    const key = (item.id || item.link || '').trim();
    if (!key || !item.title) {
      skipped++;
      return [];
    }
    return [{ key, title: item.title, link: item.link, summary: item.summary, published: item.published }];
  };
  if (name === 'feed') {
    const items = list(root.entry).flatMap((e) => {
      const links = list(e.link);
      const link = attr(links.find((l) => !attr(l, 'rel') || attr(l, 'rel') === 'alternate') ?? links[0], 'href');
      return keep({
        id: textOf(e.id),
        title: plainOf(e.title),
        link: link || undefined,
        summary: plainOf(e.summary ?? e.content),
        published: parseDate(textOf(e.published) || textOf(e.updated)),
      });
    });
    return { kind: 'atom', title: plainOf(root.title) ?? '', items, skipped };
  }
  if (name === 'rss' || name === 'RDF') {
    const channel = asNode(root.channel);
    const channelNode = channel && typeof channel === 'object' ? channel : {};
    // RSS 2.0 puts the items in the channel, RSS 1.0 beside it
    const items = [...list(channelNode.item), ...list(root.item)].flatMap((it) => {
      const guid = textOf(it.guid);
      const permalink = guid && attr(it.guid, 'isPermaLink') !== 'false' && /^https?:/.test(guid) ? guid : '';
      const link = (Array.isArray(it.link) ? it.link : [it.link]).map(textOf).find(Boolean) || permalink;
      return keep({
        id: guid || attr(it, 'about'),
        title: plainOf(it.title),
        link: link || undefined,
        summary: plainOf(it.description ?? it.encoded),
        published: parseDate(textOf(it.pubDate) || textOf(it.date)),
      });
    });
    return { kind: 'rss', title: plainOf(channelNode.title) ?? '', items, skipped };
  }
  throw new FeedError(`not an RSS or Atom feed (root element <${name}>)`);
}
