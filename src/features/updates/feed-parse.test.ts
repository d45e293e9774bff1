import { describe, expect, it } from 'vitest';
import { FeedError, parseFeed, parseXml } from './feed-parse.ts';

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
  ])('refuses a malformed feed: %s', (_n, xml) => {
    expect(() => parseFeed(xml)).toThrow(FeedError);
  });

  it('keeps a DOCTYPE with an internal subset out of the way', () => {
    expect(parseXml('<!DOCTYPE rss [<!ENTITY x "y">]><rss a="1"/>').attrs).toEqual({ a: '1' });
  });
});
