import type { Db } from '../../db/client.ts';
import { formatDate } from '../../core/i18n.ts';
import type { PageContext } from '../../web/pages/context.ts';
import { newest } from '../../web/pages/context.ts';
import { html, trusted, type Html } from '../../web/pages/html.ts';
import { page, tableHtml } from '../../web/pages/layout.ts';
import { coverageTables } from './coverage.tables.ts';
import { forumCoverage } from './forums.service.ts';
import type { SelectionMethod } from '../../generated/prisma/client.ts';

/**
 * The forum's public register: partnerships as a tree, each seat with its holder, how it was filled,
 * the term's end and the election that filled it; a representative's page; coverage. Only seat
 * holders are named: they hold a public role.
 */
export type PublicForum = { id: string; slug: string; name: string; createdAt: Date };

export const publicForum = (db: Db, slug: string): Promise<PublicForum | null> =>
  db.forum.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, createdAt: true } });

export interface RegisterSeat {
  seatId: string;
  label: string;
  interestArea: string | null;
  selectionMethod: string;
  holders: { personId: string; name: string; organisation: string | null; filledBy: SelectionMethod; endsOn: Date; electionId: string | null; electionTitle: string | null }[];
}
export interface RegisterPartnership {
  id: string;
  name: string;
  description: string | null;
  parentId: string | null;
  membersOnly: boolean;
  seats: RegisterSeat[];
  children: RegisterPartnership[];
}

/** The register's data: two queries (partnerships with seats and current holders; declared elections). */
export async function registerData(db: Db, forumId: string, now: Date): Promise<{ tree: RegisterPartnership[]; flat: RegisterPartnership[]; updated: Date | null }> {
  const [partnerships, elections] = await Promise.all([
    db.partnership.findMany({
      where: { forumId },
      orderBy: { name: 'asc' },
      include: {
        seats: {
          orderBy: { label: 'asc' },
          include: { holdings: { where: { endsOn: { gt: now }, startsOn: { lte: now }, endedOn: null }, include: { person: { select: { displayName: true } }, organisation: { select: { name: true } } } } },
        },
      },
    }),
    db.election.findMany({ where: { forumId, phase: 'DECLARED' }, select: { id: true, title: true, result: true, declaredAt: true }, orderBy: { declaredAt: 'asc' } }),
  ]);
  const filledBy = new Map<string, { id: string; title: string }>();
  for (const e of elections) for (const w of ((e.result as { winners?: { seatId: string; candidateId: string }[] } | null)?.winners ?? [])) filledBy.set(w.seatId, { id: e.id, title: e.title });
  let updated: Date | null = newest(...elections.map((e) => e.declaredAt));
  const flat: RegisterPartnership[] = partnerships.map((p) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    parentId: p.parentId,
    membersOnly: p.membersOnly,
    children: [],
    seats: p.seats.map((s) => ({
      seatId: s.id,
      label: s.label,
      interestArea: s.interestArea,
      selectionMethod: s.selectionMethod,
      holders: s.holdings.map((h) => {
        updated = newest(updated, h.createdAt);
        const e = h.filledBy === 'ELECTED' ? filledBy.get(s.id) : undefined;
        return { personId: h.personId, name: h.person.displayName, organisation: h.organisation?.name ?? null, filledBy: h.filledBy, endsOn: h.endsOn, electionId: e?.id ?? null, electionTitle: e?.title ?? null };
      }),
    })),
  }));
  const byId = new Map(flat.map((p) => [p.id, p]));
  const tree: RegisterPartnership[] = [];
  for (const p of flat) (p.parentId && byId.get(p.parentId) ? byId.get(p.parentId)!.children : tree).push(p);
  return { tree, flat, updated: newest(updated, ...partnerships.map((p) => p.createdAt)) };
}

/** The register as rows, for CSV and JSON: one row per seat and holder. */
export function registerRows(ctx: PageContext, flat: RegisterPartnership[]) {
  const columns = ['partnership', 'seat', 'interestArea', 'holder', 'organisation', 'filledBy', 'termEnds', 'election'];
  const rows: (string | null)[][] = [];
  for (const p of flat) {
    if (p.membersOnly) continue;
    for (const s of p.seats) {
      if (s.holders.length === 0) rows.push([p.name, s.label, s.interestArea, null, null, null, null, null]);
      for (const h of s.holders) rows.push([p.name, s.label, s.interestArea, h.name, h.organisation, h.filledBy.toLowerCase(), h.endsOn.toISOString().slice(0, 10), h.electionTitle]);
    }
  }
  return { columns, rows, records: rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))) };
}

export function registerPage(ctx: PageContext, forum: PublicForum, tree: RegisterPartnership[]): Html {
  const { t } = ctx;
  const base = `/f/${forum.slug}`;
  const partnership = (p: RegisterPartnership, level: number): Html => {
    const h = level === 0 ? 'h2' : 'h3';
    const heading = html`<${trustedTag(h)} id="p-${p.id}">${p.name}</${trustedTag(h)}>`;
    if (p.membersOnly) return html`<section class="partnership">${heading}<p>${t('pages.register.membersOnly')}</p></section>`;
    const rows = p.seats.flatMap((s) =>
      s.holders.length
        ? s.holders.map(
            (hd) => html`<tr><th scope="row">${s.label}</th><td>${s.interestArea ?? ''}</td><td><a href="${ctx.href(`${base}/people/${hd.personId}`)}">${hd.name}</a></td><td>${hd.organisation ?? ''}</td>
<td>${t(`forums.method.${hd.filledBy}`)}</td><td>${formatDate(hd.endsOn, ctx.locale)}</td><td>${hd.electionId ? html`<a href="${ctx.href(`${base}/elections/${hd.electionId}`)}">${hd.electionTitle}</a>` : ''}</td></tr>`,
          )
        : [html`<tr><th scope="row">${s.label}</th><td>${s.interestArea ?? ''}</td><td colspan="5"><strong>${t('pages.register.vacant')}</strong></td></tr>`],
    );
    return html`<section class="partnership">${heading}${p.description ? html`<p>${p.description}</p>` : ''}
${rows.length
  ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="p-${p.id}"><table><thead><tr><th scope="col">${t('pages.register.seat')}</th><th scope="col">${t('pages.register.interest')}</th><th scope="col">${t('pages.register.holder')}</th><th scope="col">${t('pages.register.organisation')}</th><th scope="col">${t('pages.register.how')}</th><th scope="col">${t('pages.register.until')}</th><th scope="col">${t('pages.register.election')}</th></tr></thead><tbody>${rows}</tbody></table></div>`
  : ''}
${p.children.length ? html`<div class="children">${p.children.map((c) => partnership(c, level + 1))}</div>` : ''}</section>`;
  };
  return page(ctx, {
    forum,
    section: 'register',
    title: t('pages.register.title'),
    body: html`<p class="lead">${t('pages.home.intro')}</p>${tree.map((p) => partnership(p, 0))}`,
    data: { json: `${base}/register.json`, csv: `${base}/register.csv`, ics: `/calendar/${forum.slug}.ics` },
  });
}
const trustedTag = (tag: 'h2' | 'h3') => trusted(tag);

export async function coveragePage(ctx: PageContext, db: Db, forum: PublicForum, now: Date): Promise<{ body: Html; tables: ReturnType<typeof coverageTables> }> {
  const tables = coverageTables(ctx.t, ctx.locale, await forumCoverage(db, forum.id, now));
  const body = page(ctx, {
    forum,
    section: 'coverage',
    title: ctx.t('pages.coverage.title'),
    body: html`<p class="lead">${ctx.t('pages.coverage.intro')}</p>${tables.map((table) => (table.rows.length ? tableHtml(table) : html`<h2 class="caption">${table.caption}</h2><p>${ctx.t('forums.coverage.none')}</p>`))}`,
    data: { json: `/f/${forum.slug}/coverage.json`, csv: `/f/${forum.slug}/coverage.csv` },
  });
  return { body, tables };
}

/**
 * A representative's page: seats held (now and before), elections won, meetings of their
 * partnerships while they sat, report-backs filed and whether on time, declared interests. Only
 * for someone who holds or held a seat in this forum: anyone else is not found.
 */
export async function personData(db: Db, forumId: string, personId: string) {
  const holdings = await db.seatHolding.findMany({
    where: { personId, seat: { partnership: { forumId, membersOnly: false } } },
    include: { seat: { include: { partnership: { select: { id: true, name: true } } } }, organisation: { select: { name: true } }, person: { select: { displayName: true } } },
    orderBy: { startsOn: 'desc' },
  });
  if (holdings.length === 0) return null;
  const partnershipIds = [...new Set(holdings.map((h) => h.seat.partnershipId))];
  const [won, meetings, requests, reports] = await Promise.all([
    db.election.findMany({ where: { forumId, phase: 'DECLARED' }, select: { id: true, title: true, result: true, declaredAt: true }, orderBy: { declaredAt: 'desc' } }),
    db.meeting.findMany({ where: { partnershipId: { in: partnershipIds }, cancelled: false }, include: { partnership: { select: { name: true } } }, orderBy: { startsAt: 'desc' }, take: 50 }),
    db.reportbackRequest.findMany({ where: { personId, meeting: { partnershipId: { in: partnershipIds } } }, include: { reportback: { select: { publishedAt: true } } } }),
    db.reportback.findMany({ where: { authorId: personId, meeting: { partnershipId: { in: partnershipIds }, partnership: { membersOnly: false } } }, include: { meeting: { include: { partnership: { select: { name: true } } } } }, orderBy: { publishedAt: 'desc' } }),
  ]);
  const sat = (at: Date) => holdings.some((h) => h.startsOn <= at && (h.endedOn ?? h.endsOn) >= at);
  const dueBy = new Map(requests.map((r) => [r.meetingId, r.dueAt]));
  const mine = new Set((await db.candidate.findMany({ where: { personId, electionId: { in: won.map((e) => e.id) } }, select: { id: true } })).map((c) => c.id));
  const wins = won.filter((e) => ((e.result as { winners?: { candidateId: string }[] } | null)?.winners ?? []).some((w) => mine.has(w.candidateId)));
  return {
    name: holdings[0].person.displayName,
    holdings,
    elections: wins,
    meetings: meetings.filter((m) => sat(m.startsAt)),
    reports: reports.map((r) => ({ ...r, onTime: dueBy.has(r.meetingId) ? r.publishedAt <= dueBy.get(r.meetingId)! : null })),
    updated: newest(...holdings.map((h) => h.createdAt), ...reports.map((r) => r.updatedAt)),
  };
}

export function personPage(ctx: PageContext, forum: PublicForum, d: NonNullable<Awaited<ReturnType<typeof personData>>>): Html {
  const { t } = ctx;
  const base = `/f/${forum.slug}`;
  const date = (x: Date) => formatDate(x, ctx.locale);
  const none = html`<p>${t('pages.person.none')}</p>`;
  const interests = [...new Set(d.reports.map((r) => r.interests).filter((x): x is string => !!x))];
  return page(ctx, {
    forum,
    title: d.name,
    body: html`<h2>${t('pages.person.seats')}</h2>
<ul>${d.holdings.map((h) => html`<li><a href="${ctx.href(`${base}#p-${h.seat.partnership.id}`)}">${h.seat.partnership.name}</a>: ${h.seat.label}${h.organisation ? html` (${h.organisation.name})` : ''}, ${t(`forums.method.${h.filledBy}`)}, ${date(h.startsOn)} – ${date(h.endedOn ?? h.endsOn)}</li>`)}</ul>
<h2>${t('pages.person.won')}</h2>
${d.elections.length ? html`<ul>${d.elections.map((e) => html`<li><a href="${ctx.href(`${base}/elections/${e.id}`)}">${e.title}</a>${e.declaredAt ? html`, ${date(e.declaredAt)}` : ''}</li>`)}</ul>` : none}
<h2>${t('pages.person.meetings')}</h2>
${d.meetings.length ? html`<ul>${d.meetings.map((m) => html`<li>${m.partnership.name}, ${formatDate(m.startsAt, ctx.locale, true)}</li>`)}</ul>` : none}
<h2>${t('pages.person.reportbacks')}</h2>
${d.reports.length
  ? html`<ul>${d.reports.map((r) => html`<li><a href="${ctx.href(`${base}/reportbacks/${r.id}`)}">${t('pages.reportbacks.meeting', { partnership: r.meeting.partnership.name, date: date(r.meeting.startsAt) })}</a>${r.onTime === null ? '' : html` (${t(r.onTime ? 'pages.person.onTime' : 'pages.person.late')})`}</li>`)}</ul>`
  : none}
<h2>${t('pages.person.interests')}</h2>
${interests.length ? html`<ul>${interests.map((i) => html`<li>${i}</li>`)}</ul>` : none}`,
  });
}
