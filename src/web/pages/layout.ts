import type { PageContext } from './context.ts';
import { html, type Html } from './html.ts';
import type { Table } from '../../core/messages.ts';

export const SECTIONS = ['register', 'coverage', 'elections', 'meetings', 'reportbacks', 'issues', 'consultations', 'breaches', 'opportunities', 'outputs'] as const;
export type Section = (typeof SECTIONS)[number];
const sectionPath = (slug: string, s: Section) => (s === 'register' ? `/f/${slug}` : `/f/${slug}/${s}`);

export interface PageOptions {
  forum: { slug: string; name: string };
  title: string;
  section?: Section;
  body: Html;
  /** the JSON and CSV of this page's list, and feeds */
  data?: { json?: string; csv?: string; atom?: string; ics?: string };
}

/** The one page layout: skip link, the forum's sections, a language switch on every page, the licence. */
export function page(ctx: PageContext, o: PageOptions): Html {
  const { t } = ctx;
  const other = ctx.locale === 'cy' ? 'en' : 'cy';
  const switchHref = `${ctx.path}?${new URLSearchParams({ ...ctx.query, lang: other }).toString()}`;
  const data = o.data ?? {};
  return html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${o.forum.name}</title>
<link rel="stylesheet" href="/f/_/site.css">
${data.atom ? html`<link rel="alternate" type="application/atom+xml" href="${data.atom}" title="${t('pages.feed')}">` : ''}
</head>
<body>
<a class="skip" href="#main">${t('pages.skip')}</a>
<header class="site">
  <p class="forum"><a href="${ctx.href(`/f/${o.forum.slug}`)}">${o.forum.name}</a></p>
  <p class="lang"><a href="${switchHref}" hreflang="${other}" lang="${other}">${t('pages.switchTo')}</a></p>
  <nav aria-label="${t('pages.nav')}"><ul>
    ${SECTIONS.map((s) => html`<li><a href="${ctx.href(sectionPath(o.forum.slug, s))}"${s === o.section ? html` aria-current="page"` : ''}>${t(`pages.nav.${s}`)}</a></li>`)}
  </ul></nav>
</header>
<main id="main">
<h1>${o.title}</h1>
${o.body}
${data.json || data.csv || data.atom || data.ics
  ? html`<p class="data">${t('pages.data')} ${data.json ? html`<a href="${data.json}">JSON</a>` : ''} ${data.csv ? html`<a href="${data.csv}">CSV</a>` : ''} ${data.atom ? html`<a href="${data.atom}">${t('pages.feed')}</a>` : ''} ${data.ics ? html`<a href="${data.ics}">${t('pages.calendar')}</a>` : ''}</p>`
  : ''}
</main>
<footer class="site"><p><a href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" hreflang="en">${t('pages.licence')}</a></p></footer>
</body>
</html>`;
}

/** A table block as an accessible HTML table: caption, column headers, each row's first cell its header. */
export function tableHtml(table: Table): Html {
  const cls = (i: number) => {
    const a = table.columns[i]?.align;
    return a === 'right' ? html` class="num"` : a === 'center' ? html` class="mid"` : '';
  };
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label="${table.caption ?? table.columns.map((c) => c.label).join(', ')}"><table>
${table.caption ? html`<caption>${table.caption}</caption>` : ''}
<thead><tr>${table.columns.map((c, i) => html`<th scope="col"${cls(i)}>${c.label}</th>`)}</tr></thead>
<tbody>${table.rows.map((r) => html`<tr>${r.map((cell, i) => (i === 0 ? html`<th scope="row"${cls(i)}>${cell}</th>` : html`<td${cls(i)}>${cell}</td>`))}</tr>`)}</tbody>
</table></div>
${table.notes?.length ? html`<p class="notes">${table.notes.join(' ')}</p>` : ''}`;
}
