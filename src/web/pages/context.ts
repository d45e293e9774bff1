import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { Translate, Locale } from '../../core/i18n.ts';
import type { Html } from './html.ts';

/** What a public page is rendered with: its language, how to link within the site, the translator. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  /** the language was chosen with ?lang=… (so links keep it); else it came from Accept-Language */
  explicit: boolean;
  /** the request's path, for the language switch */
  path: string;
  query: Record<string, string>;
  href(path: string, query?: Record<string, string | undefined>): string;
}

/** The language a reader asked for: ?lang=cy|en first, then Accept-Language (Welsh if preferred over English), else English. */
export function pickLocale(lang: unknown, acceptLanguage: string | undefined): { locale: Locale; explicit: boolean } {
  if (lang === 'cy' || lang === 'en') return { locale: lang, explicit: true };
  const prefs = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.split('-')[0], q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((p) => p.tag === 'cy' || p.tag === 'en')
    .sort((a, b) => b.q - a.q);
  return { locale: prefs[0]?.tag === 'cy' ? 'cy' : 'en', explicit: false };
}

export function pageContext(req: FastifyRequest, translator: (l: Locale) => Translate): PageContext {
  const query = Object.fromEntries(Object.entries((req.query as Record<string, unknown>) ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const { locale, explicit } = pickLocale(query.lang, req.headers['accept-language']);
  const path = req.url.split('?')[0];
  return {
    locale,
    t: translator(locale),
    explicit,
    path,
    query,
    href(to, q = {}) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, v);
      if (explicit) params.set('lang', locale);
      const s = params.toString();
      return s ? `${to}?${s}` : to;
    },
  };
}

/**
 * Sends a representation with an ETag (a hash of its bytes) and Last-Modified (the newest change
 * in its data), answering 304 to a matching conditional request, so a proxy or browser can cache it.
 */
export function sendCached(req: FastifyRequest, reply: FastifyReply, type: string, body: string, lastModified: Date | null, extra: Record<string, string> = {}) {
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  const modified = lastModified ? new Date(Math.floor(lastModified.getTime() / 1000) * 1000) : null;
  reply.headers({ 'content-type': type, etag, 'cache-control': 'public, max-age=60', vary: 'Accept-Language', ...extra });
  if (modified) reply.header('last-modified', modified.toUTCString());
  const match = req.headers['if-none-match'];
  const since = req.headers['if-modified-since'];
  if (match ? match.split(',').some((m) => m.trim() === etag) : modified && since && Date.parse(since) >= modified.getTime()) return reply.code(304).send();
  return reply.send(body);
}

export const sendHtml = (req: FastifyRequest, reply: FastifyReply, page: Html, lastModified: Date | null) => sendCached(req, reply, 'text/html; charset=utf-8', page.value, lastModified);

/** A list as CSV (RFC 4180, through csv-stringify), its header row first. */
export function sendCsv(req: FastifyRequest, reply: FastifyReply, name: string, columns: string[], rows: (string | number | null)[][], lastModified: Date | null) {
  const body = stringify([columns, ...rows.map((r) => r.map((c) => (c === null ? '' : c)))]);
  return sendCached(req, reply, 'text/csv; charset=utf-8', body, lastModified, { 'content-disposition': `attachment; filename="${name}.csv"`, 'access-control-allow-origin': '*' });
}

export function sendData(req: FastifyRequest, reply: FastifyReply, data: unknown, lastModified: Date | null) {
  return sendCached(req, reply, 'application/json; charset=utf-8', JSON.stringify(data, null, 1), lastModified, { 'access-control-allow-origin': '*' });
}

/** The newest of some dates (null when there are none). */
export const newest = (...dates: (Date | null | undefined)[]): Date | null =>
  dates.reduce<Date | null>((m, d) => (d && (!m || d > m) ? d : m), null);
