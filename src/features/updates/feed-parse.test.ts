import { describe, expect, it, vi } from 'vitest';
import iconv from 'iconv-lite';
import { SaxesParser } from 'saxes';
import { FeedError, feedCharset, feedProblems, parseFeed, storedFeedProblem } from './feed-parse.ts';

const rss = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Powys LSB news</title>
    <item>
      <title>SIP priorities agreed &amp; published</title>
      <link>https://example.org/lsb/sip-2027</link>
      <guid isPermaLink="false">lsb-123</guid>
      <description><![CDATA[<p>The LSB agreed <b>three</b> priorities.</p>]]></description>
      <pubDate>Mon, 16 Nov 2026 10:00:00 GMT</pubDate>
    </item>
    <item>
      <title>No guid, a link</title>
      <link>https://example.org/lsb/2</link>
      <dc:date>2026-11-17T10:00:00Z</dc:date>
    </item>
    <item><title>Neither id nor link</title></item>
  </channel>
</rss>`;

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Health board</title>
  <entry>
    <title type="html">Winter pressures &lt;em&gt;plan&lt;/em&gt;</title>
    <link rel="alternate" href="https://example.org/hb/winter"/>
    <link rel="self" href="https://example.org/hb/winter.atom"/>
    <id>tag:example.org,2026:winter</id>
    <updated>2026-11-18T09:00:00Z</updated>
    <summary>Beds &#8211; and staff.</summary>
  </entry>
</feed>`;

describe('feed reader', () => {
  it('reads RSS 2.0: guid or link as the key, HTML stripped, items without either skipped', () => {
    const f = parseFeed(rss);
    expect(f.kind).toBe('rss');
    expect(f.title).toBe('Powys LSB news');
    expect(f.skipped).toBe(1);
    expect(f.items).toEqual([
      { key: 'lsb-123', title: 'SIP priorities agreed & published', link: 'https://example.org/lsb/sip-2027', summary: 'The LSB agreed three priorities.', published: new Date('2026-11-16T10:00:00Z') },
      { key: 'https://example.org/lsb/2', title: 'No guid, a link', link: 'https://example.org/lsb/2', summary: undefined, published: new Date('2026-11-17T10:00:00Z') },
    ]);
  });

  it('reads Atom: the id as the key, the alternate link', () => {
    const f = parseFeed(atom);
    expect(f.kind).toBe('atom');
    expect(f.items).toEqual([
      { key: 'tag:example.org,2026:winter', title: 'Winter pressures plan', link: 'https://example.org/hb/winter', summary: 'Beds – and staff.', published: new Date('2026-11-18T09:00:00Z') },
    ]);
  });

  it.each([
    ['a tag never closed', '<rss><channel><item><title>x</title></channel></rss>'],
    ['cut off half way', rss.slice(0, 300)],
    ['not XML at all', '<html><body>Service unavailable</body>'],
    ['an HTML page', '<!DOCTYPE html><html><head><title>x</title></head><body></body></html>'],
    ['empty', ''],
    ['two roots', '<rss></rss><rss></rss>'],
    ['a broken start tag', '<rss><channel <item></rss>'],
    ['tags crossed', '<rss><channel><item></channel></item></rss>'],
    ['text after the root', '<rss><channel><title>T</title></channel></rss>Error: timeout'],
  ])('refuses a malformed feed: %s', (_n, xml) => {
    expect(() => parseFeed(xml)).toThrow(FeedError);
    // and says why in words the catalogue has (never "could not be reached": the feed was read)
    expect(['updates.feed.error.xml', 'updates.feed.error.empty', 'updates.feed.error.notFeed']).toContain(failureOf(xml).problem.key);
  });

  it('each failure carries its catalogue message, decided where it is found: the XML line, an empty document, not a feed', () => {
    expect(failureOf('<rss>\n<channel>\n<item><title>x</title></channel></rss>')).toMatchObject({ message: 'unexpected close tag (line 3)', problem: feedProblems.xml(3) });
    expect(failureOf('')).toMatchObject({ message: 'empty document', problem: feedProblems.empty });
    expect(failureOf('<html><body>Service unavailable</body></html>')).toMatchObject({ message: 'not an RSS or Atom feed (root element <html>)', problem: feedProblems.notFeed });
  });

  it('an XML error is the XML problem, with its line, however the parser words it', () => {
    // as if a new saxes said "line 3, column 20: ..." where this one says "3:20: ..."
    const reword = vi.spyOn(SaxesParser.prototype, 'makeError').mockImplementation(function (this: SaxesParser, message: string) {
      return new Error(`line ${this.line}, column ${this.column}: ${message.toUpperCase()}`);
    });
    try {
      const err = failureOf('<rss>\n<channel>\n<item><title>x</title></channel></rss>');
      expect(err.message).toMatch(/^line 3, column \d+: UNEXPECTED CLOSE TAG\.$/);
      expect(err.problem).toEqual({ key: 'updates.feed.error.xml', params: { line: 3 } });
    } finally {
      reword.mockRestore();
    }
  });

  it('reads a stored problem back as it was stored; nothing stored, or what it does not know, is "could not be reached or read"', () => {
    for (const p of [feedProblems.xml(12), feedProblems.http(503), feedProblems.empty, feedProblems.notFeed, feedProblems.tooLarge, feedProblems.timeout, feedProblems.unreachable]) {
      expect(storedFeedProblem(JSON.parse(JSON.stringify(p)))).toEqual(p);
    }
    for (const stored of [null, undefined, 'unexpected close tag (line 12)', { key: 'updates.feed.error.xml', params: {} }, { key: 'updates.feed.error.gone', params: {} }, 42]) {
      expect(storedFeedProblem(stored)).toEqual(feedProblems.unreachable);
    }
  });

  it('keeps a DOCTYPE with an internal subset out of the way', () => {
    const f = parseFeed('<!DOCTYPE rss [<!ENTITY x "y">]><rss a="1"><channel><title>T</title><item><title>A</title><guid>a</guid></item></channel></rss>');
    expect(f.title).toBe('T');
    expect(f.items.map((i) => i.key)).toEqual(['a']);
  });
});

/** The FeedError parseFeed throws for this text. */
function failureOf(xml: string): FeedError {
  try {
    parseFeed(xml);
  } catch (err) {
    if (err instanceof FeedError) return err;
    throw err;
  }
  throw new Error('the feed was read');
}

const item = (inner: string, prolog = '') => `${prolog}<rss version="2.0"><channel><title>Council news</title><item>${inner}<guid>g1</guid></item></channel></rss>`;

describe('council feeds as they are', () => {
  it('an entity escaped twice comes out as the character: &amp;rsquo; → ’', () => {
    const f = parseFeed(item('<title>Children&amp;rsquo;s services &amp;amp; schools</title><description>Parents&amp;rsquo; evening &amp;ndash; 5pm</description>'));
    expect(f.items[0].title).toBe('Children’s services & schools');
    expect(f.items[0].summary).toBe('Parents’ evening – 5pm');
  });

  it('HTML entities used straight in the XML are read too: &rsquo; &pound; &nbsp;', () => {
    const f = parseFeed(item('<title>Mayor&rsquo;s fund: &pound;5,000&nbsp;grants</title>'));
    expect(f.items[0].title).toBe('Mayor’s fund: £5,000 grants');
  });

  it('a stray <br> (and an unclosed <p>) in a description does not reject the feed', () => {
    const f = parseFeed(item('<title>Road closure</title><description>High Street closed<br>Diversion via Bridge Road<p>Until Friday</description>'));
    expect(f.items[0].summary).toBe('High Street closed\nDiversion via Bridge Road Until Friday');
  });

  it('a stray <br> between elements does not reject the feed either', () => {
    const f = parseFeed(item('<title>Road closure</title><br><link>https://example.org/roads</link>'));
    expect(f.items[0]).toMatchObject({ title: 'Road closure', link: 'https://example.org/roads' });
  });

  it('blank lines and a byte-order mark before the XML declaration, an HTML entity in a link: read, not refused', () => {
    const f = parseFeed(`\uFEFF\n\n${item('<title>Grants</title><link>https://example.org/a&nbsp;b</link>', '<?xml version="1.0"?>')}`);
    expect(f.items[0]).toMatchObject({ title: 'Grants', link: 'https://example.org/a&nbsp;b' });
  });

  it('a bare & in text and in a link is the character', () => {
    const f = parseFeed(item('<title>Health & Care board</title><link>https://example.org/news?id=4&lang=en</link>'));
    expect(f.items[0]).toMatchObject({ title: 'Health & Care board', link: 'https://example.org/news?id=4&lang=en' });
  });

  it('honours the declared charset: windows-1252 bytes', () => {
    const xml = item('<title>Caf\u00e9 opening \u2013 \u201cGr\u00eat\u201d news</title><description>\u00a310 entry</description>', '<?xml version="1.0" encoding="windows-1252"?>');
    const bytes = iconv.encode(xml, 'windows-1252');
    expect(feedCharset(bytes)).toBe('windows-1252');
    const f = parseFeed(bytes);
    expect(f.items[0].title).toBe('Café opening – “Grêt” news');
    expect(f.items[0].summary).toBe('£10 entry');
  });

  it('honours ISO-8859-1 declared in the XML over a UTF-8 default, and the HTTP charset when the XML says nothing', () => {
    const latin = iconv.encode(item('<title>Ysgol Gymraeg \u00e2\u00ea\u00f4</title>', "<?xml version='1.0' encoding='ISO-8859-1'?>"), 'latin1');
    expect(parseFeed(latin).items[0].title).toBe('Ysgol Gymraeg âêô');
    const bare = iconv.encode(item('<title>Ysgol \u0175\u0177</title>'), 'utf-8');
    expect(parseFeed(bare, 'application/rss+xml; charset=utf-8').items[0].title).toBe('Ysgol ŵŷ');
    const header = iconv.encode(item('<title>Caf\u00e9</title>'), 'windows-1252');
    expect(parseFeed(header, 'text/xml; charset=windows-1252').items[0].title).toBe('Café');
  });

  it('reads UTF-8 with a byte-order mark, and UTF-16', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(item('<title>Llanfair \u2019 news</title>'), 'utf-8')]);
    expect(parseFeed(withBom).items[0].title).toBe('Llanfair ’ news');
    const utf16 = iconv.encode(item('<title>Cyngor \u0175</title>', '<?xml version="1.0" encoding="UTF-16"?>'), 'utf-16le', { addBOM: true });
    expect(parseFeed(utf16).items[0].title).toBe('Cyngor ŵ');
  });

  it('reads content:encoded and CDATA mixed with escaped text', () => {
    const f = parseFeed(item('<title><![CDATA[Budget 2027/28 & you]]></title><content:encoded><![CDATA[<p>Have your <b>say</b></p>]]> &lt;i&gt;now&lt;/i&gt;</content:encoded>'));
    expect(f.items[0].title).toBe('Budget 2027/28 & you');
    expect(f.items[0].summary).toBe('Have your say\nnow');
  });

  it('takes the text link, not an atom:link beside it', () => {
    const f = parseFeed(item('<title>A</title><atom:link href="https://example.org/self" rel="self"/><link>https://example.org/a</link>'));
    expect(f.items[0].link).toBe('https://example.org/a');
  });

  it('reads RSS 1.0 (RDF) with its items beside the channel', () => {
    const rdf = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://example.org/"><title>Old council CMS</title></channel>
      <item rdf:about="https://example.org/n/1"><title>Bins &amp;amp; recycling</title><link>https://example.org/n/1</link><dc:date>2026-11-20T09:00:00Z</dc:date></item>
    </rdf:RDF>`;
    const f = parseFeed(rdf);
    expect(f).toMatchObject({ kind: 'rss', title: 'Old council CMS', skipped: 0 });
    expect(f.items).toEqual([{ key: 'https://example.org/n/1', title: 'Bins & recycling', link: 'https://example.org/n/1', summary: undefined, published: new Date('2026-11-20T09:00:00Z') }]);
  });

  it('an Atom entry with HTML content and an empty summary', () => {
    const f = parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><title>PSB</title><entry><id>e1</id><title type="html">Well&amp;#8209;being plan</title><summary/><content type="html">&lt;p&gt;Draft out&lt;br&gt;now&lt;/p&gt;</content><link href="https://example.org/e1"/></entry></feed>`);
    expect(f.items[0]).toMatchObject({ key: 'e1', title: 'Well‑being plan', link: 'https://example.org/e1' });
  });

  it.each([
    ['cut off inside a description', item('<title>A</title><description>Half a sen')],
    ['an item never closed, with a <br> inside', '<rss><channel><item><title>x<br></title></channel></rss>'],
  ])('still refuses a broken feed: %s', (_n, xml) => {
    expect(() => parseFeed(xml)).toThrow(FeedError);
  });
});
