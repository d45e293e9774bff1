import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BotServices } from '../../core/context.ts';
import { electionData, electionPage, electionRows, electionsListPage, electionSummary, electionBlt, ballotRows, forumElections, receiptCheck } from '../../features/elections/elections.pages.ts';
import { breachData, breachesPage, breachRows } from '../../features/breaches/breaches.pages.ts';
import { coveragePage, personData, personPage, publicForum, registerData, registerPage, registerRows, type PublicForum } from '../../features/forums/forums.pages.ts';
import { issueList, issueRows, issuesPage, reportbackArticle, reportbackAtom, reportbackList, reportbackOne, reportbackRows, reportbacksPage, type ReportbackFilter } from '../../features/reportbacks/reportbacks.pages.ts';
import { meetingList, meetingRows, meetingsPage } from '../../features/reportbacks/meetings.pages.ts';
import { openOpportunities, opportunitiesPage, opportunityRows } from '../../features/tenders/tenders.pages.ts';
import { consultationData, consultationRows, consultationsPage, updateRows, updatesAtom } from '../../features/updates/updates.pages.ts';
import { outputsData, outputsPage, periodChoices } from '../../features/outputs/outputs.pages.ts';
import { OUTPUT_COLUMNS, outputsRows, parsePeriod, periodOfDate } from '../../features/outputs/outputs.service.ts';
import type { WebRoutes } from '../server.ts';
import { newest, pageContext, sendCached, sendCsv, sendData, sendHtml, type PageContext } from './context.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { SITE_CSS } from './site.css.ts';

type Req = FastifyRequest<{ Params: { slug: string; id?: string; format?: string }; Querystring: Record<string, string> }>;

/**
 * The public site, under /f/<forum-slug>: register, representatives, coverage, elections (with
 * downloads), report-backs (searchable, Atom), issues, breach statistics; each list also as .json
 * and .csv. Read-only and open to all: nothing here needs or reads a session.
 */
export function publicRoutes(services: BotServices): WebRoutes[] {
  const { db } = services;
  const ctxOf = (req: FastifyRequest) => pageContext(req, (l) => services.i18n.translator(l));
  const origin = (req: FastifyRequest) => `${req.protocol}://${req.headers.host ?? 'localhost'}`;

  /** Finds the forum or answers a bilingual 404 page. */
  async function withForum(req: Req, reply: FastifyReply, run: (ctx: PageContext, forum: PublicForum) => Promise<unknown>) {
    const ctx = ctxOf(req);
    const slug = req.params.slug;
    const forum = /^[a-z0-9-]{1,60}$/.test(slug) ? await publicForum(db, slug) : null;
    if (!forum) return notFound(ctx, reply, null);
    return run(ctx, forum);
  }
  const notFound = (ctx: PageContext, reply: FastifyReply, forum: PublicForum | null) =>
    reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(
        forum
          ? page(ctx, { forum, title: ctx.t('pages.notFound'), body: html`` }).value
          : html`<!doctype html><html lang="${ctx.locale}"><head><meta charset="utf-8"><title>${ctx.t('pages.notFound')}</title><link rel="stylesheet" href="/f/_/site.css"></head><body><main id="main"><h1>${ctx.t('pages.notFound')}</h1></main></body></html>`.value,
      );

  const plugin: WebRoutes = async (app) => {
    app.get('/f/_/site.css', (req, reply) => sendCached(req, reply, 'text/css; charset=utf-8', SITE_CSS, null));

    // the register: page, JSON, CSV
    app.get('/f/:slug', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await registerData(db, forum.id, services.now());
        return sendHtml(req, reply, registerPage(ctx, forum, d.tree), d.updated);
      }),
    );
    app.get('/f/:slug/register.:format', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await registerData(db, forum.id, services.now());
        const rows = registerRows(ctx, d.flat);
        return list(req, reply, `${forum.slug}-register`, rows.columns, rows.rows, rows.records, d.updated);
      }),
    );
    app.get('/f/:slug/people/:id', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = /^[0-9a-f-]{36}$/.test(req.params.id!) ? await personData(db, forum.id, req.params.id!) : null;
        if (!d) return notFound(ctx, reply, forum);
        return sendHtml(req, reply, personPage(ctx, forum, d), d.updated);
      }),
    );
    app.get('/f/:slug/coverage', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => sendHtml(req, reply, (await coveragePage(ctx, db, forum, services.now())).body, null)),
    );
    app.get('/f/:slug/coverage.:format', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const { tables } = await coveragePage(ctx, db, forum, services.now());
        const rows = tables.flatMap((tb, i) => tb.rows.map((r) => [['vacant', 'endingSoon', 'overConcentrated', 'invited'][i], ...r]));
        const columns = ['list', 'a', 'b', 'c', 'd'];
        return list(req, reply, `${forum.slug}-coverage`, columns, rows, tables.map((tb) => ({ list: tb.caption, columns: tb.columns.map((c) => c.label), rows: tb.rows })), null);
      }),
    );

    // elections
    app.get('/f/:slug/elections', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const all = await forumElections(db, forum.id);
        return sendHtml(req, reply, electionsListPage(ctx, forum, all), newest(...all.map((e) => e.declaredAt ?? e.createdAt)));
      }),
    );
    app.get('/f/:slug/elections.:format', (req: Req, reply) =>
      withForum(req, reply, async (_ctx, forum) => {
        const all = await forumElections(db, forum.id);
        const r = electionRows(all);
        return list(req, reply, `${forum.slug}-elections`, r.columns, r.rows, r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]]))), newest(...all.map((e) => e.declaredAt ?? e.createdAt)));
      }),
    );
    app.get('/f/:slug/elections/:id', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const m = /^([0-9a-f-]{36})(\.blt)?$/.exec(req.params.id!);
        const d = m ? await electionData(db, forum.id, m[1]) : null;
        if (!d) return notFound(ctx, reply, forum);
        if (m![2]) {
          if (!d.result) return notFound(ctx, reply, forum);
          return sendCached(req, reply, 'text/plain; charset=utf-8', await electionBlt(db, d.e), d.e.declaredAt, { 'content-disposition': `attachment; filename="election-${d.e.id}.blt"` });
        }
        // a receipt typed into the check: the answer is for that reader only, never kept by a cache
        const receipt = req.query.receipt;
        const body = await electionPage(ctx, forum, d, await receiptCheck(ctx, db, d, receipt));
        if (receipt) return sendCached(req, reply, 'text/html; charset=utf-8', body.value, null, { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
        return sendHtml(req, reply, body, newest(d.e.declaredAt, d.e.createdAt));
      }),
    );
    app.get('/f/:slug/elections/:id/ballots.csv', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await electionData(db, forum.id, req.params.id!);
        if (!d?.result) return notFound(ctx, reply, forum);
        const r = await ballotRows(db, d);
        return sendCsv(req, reply, `election-${d.e.id}-ballots`, r.columns, r.rows, d.e.declaredAt);
      }),
    );
    app.get('/f/:slug/elections/:id/summary.json', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await electionData(db, forum.id, req.params.id!);
        const summary = d ? electionSummary(d, forum.name) : null;
        if (!summary) return notFound(ctx, reply, forum);
        return sendData(req, reply, summary, d!.e.declaredAt);
      }),
    );

    // report-backs and issues
    const filter = (q: Record<string, string>): ReportbackFilter => ({ q: q.q?.slice(0, 200), partnership: q.partnership, from: q.from, to: q.to });
    app.get('/f/:slug/reportbacks', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const f = filter(req.query);
        const d = await reportbackList(db, forum.id, f);
        return sendHtml(req, reply, reportbacksPage(ctx, forum, d, f, services.now()), d.updated);
      }),
    );
    app.get('/f/:slug/reportbacks.:format', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await reportbackList(db, forum.id, filter(req.query), 1000);
        if (req.params.format === 'atom') return sendCached(req, reply, 'application/atom+xml; charset=utf-8', reportbackAtom(ctx, forum, origin(req), d), d.updated);
        const r = reportbackRows(ctx, d);
        return list(req, reply, `${forum.slug}-reportbacks`, r.columns, r.rows, r.records, d.updated);
      }),
    );
    app.get('/f/:slug/reportbacks/:id', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await reportbackOne(db, forum.id, req.params.id!);
        if (!d) return notFound(ctx, reply, forum);
        const title = ctx.t('pages.reportbacks.title');
        return sendHtml(req, reply, page(ctx, { forum, section: 'reportbacks', title, body: reportbackArticle(ctx, forum, d.r, d.holders, services.now()) }), d.r.updatedAt);
      }),
    );
    app.get('/f/:slug/issues', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await issueList(db, forum.id);
        return sendHtml(req, reply, issuesPage(ctx, forum, d), d.updated);
      }),
    );
    app.get('/f/:slug/issues.:format', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await issueList(db, forum.id);
        const r = issueRows(ctx, d);
        return list(req, reply, `${forum.slug}-issues`, r.columns, r.rows, r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]]))), d.updated);
      }),
    );

    // meetings (the iCalendar feed is /calendar/<slug>.ics)
    app.get('/f/:slug/meetings', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await meetingList(db, forum.id, services.now());
        return sendHtml(req, reply, meetingsPage(ctx, forum, d), d.updated);
      }),
    );
    app.get('/f/:slug/meetings.:format', (req: Req, reply) =>
      withForum(req, reply, async (_ctx, forum) => {
        const d = await meetingList(db, forum.id, services.now());
        const r = meetingRows(d);
        return list(req, reply, `${forum.slug}-meetings`, r.columns, r.rows, r.records, d.updated);
      }),
    );

    // consultations and updates
    app.get('/f/:slug/consultations', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await consultationData(db, forum.id);
        return sendHtml(req, reply, consultationsPage(ctx, forum, d, services.now()), d.updated);
      }),
    );
    app.get('/f/:slug/consultations.:format', (req: Req, reply) =>
      withForum(req, reply, async (_ctx, forum) => {
        const d = await consultationData(db, forum.id);
        const r = consultationRows(d, services.now());
        return list(req, reply, `${forum.slug}-consultations`, r.columns, r.rows, r.records, d.updated);
      }),
    );
    app.get('/f/:slug/updates.:format', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await consultationData(db, forum.id);
        if (req.params.format === 'atom') return sendCached(req, reply, 'application/atom+xml; charset=utf-8', updatesAtom(ctx, forum, origin(req), d), d.updated);
        const r = updateRows(d);
        return list(req, reply, `${forum.slug}-updates`, r.columns, r.rows, r.records, d.updated);
      }),
    );

    // open opportunities (tender and funding alerts)
    app.get('/f/:slug/opportunities', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await openOpportunities(db, forum.id, services.now());
        return sendHtml(req, reply, opportunitiesPage(ctx, forum, d), d.updated);
      }),
    );
    app.get('/f/:slug/opportunities.:format', (req: Req, reply) =>
      withForum(req, reply, async (_ctx, forum) => {
        const d = await openOpportunities(db, forum.id, services.now());
        const r = opportunityRows(d);
        return list(req, reply, `${forum.slug}-opportunities`, r.columns, r.rows, r.records, d.updated);
      }),
    );

    // the outputs report for funders, for a financial year (?period=2026-27; the current one by default)
    const periodOf = (q: Record<string, string>) => (q.period ? parsePeriod(q.period) : null) ?? periodOfDate(services.now());
    app.get('/f/:slug/outputs', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await outputsData(ctx, db, forum, periodOf(req.query), services.now());
        return sendHtml(req, reply, await outputsPage(ctx, forum, d, periodChoices(forum, services.now()), !!req.query.period && !parsePeriod(req.query.period)), null);
      }),
    );
    app.get('/f/:slug/outputs.:format', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await outputsData(ctx, db, forum, periodOf(req.query), services.now());
        return list(req, reply, `${forum.slug}-outputs-${d.report.period.label}`, OUTPUT_COLUMNS, outputsRows(d.report), d.report, null);
      }),
    );

    // compact breach statistics
    app.get('/f/:slug/breaches', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => sendHtml(req, reply, await breachesPage(ctx, forum, await breachData(ctx, db, forum.id)), null)),
    );
    app.get('/f/:slug/breaches.:format', (req: Req, reply) =>
      withForum(req, reply, async (ctx, forum) => {
        const d = await breachData(ctx, db, forum.id);
        const r = breachRows(d);
        return list(req, reply, `${forum.slug}-breaches`, r.columns, r.rows, d.stats, null);
      }),
    );
  };

  /** A list in the format the URL asked for (.json or .csv); anything else is not found. */
  function list(req: Req, reply: FastifyReply, name: string, columns: string[], rows: (string | number | null)[][], records: unknown, updated: Date | null) {
    if (req.params.format === 'csv') return sendCsv(req, reply, name, columns, rows, updated);
    if (req.params.format === 'json') return sendData(req, reply, records, updated);
    return notFound(ctxOf(req), reply, null);
  }

  return [plugin];
}
