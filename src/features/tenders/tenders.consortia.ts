/**
 * "Interested" and "interested in a consortium". When two or more organisations want a
 * consortium for the same alert, each is asked privately whether it may be introduced;
 * those who say yes are introduced to each other once at least two organisations have
 * consented, and the officer is told. Nobody's name reaches anyone who has not consented.
 */
import crypto from 'node:crypto';
import type { Tx } from '../../db/client.ts';
import { AppError } from '../../core/errors.ts';
import type { Translate } from '../../core/i18n.ts';
import type { OutgoingMessage } from '../../core/messages.ts';
import type { TenderAlert } from '../../generated/prisma/client.ts';
import { refOf } from './tenders.render.ts';
import type { Services } from './tenders.service.ts';

const orgKey = (i: { organisationId: string | null; personId: string }) => i.organisationId ?? `person:${i.personId}`;
const digest = (ids: string[]) => crypto.createHash('sha256').update([...ids].sort().join(',')).digest('hex').slice(0, 16);

async function activeMembership(db: Tx, forumId: string, personId: string) {
  const m = await db.membership.findUnique({ where: { personId_forumId: { personId, forumId } } });
  if (m?.status !== 'ACTIVE') throw new AppError('tenders.notMember');
  return m;
}

/** Forum officers (raw SQL: the embedded driver mis-sends `has` on enum arrays). */
export async function officersOf(db: Tx, forumId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ personId: string }[]>`
    SELECT "personId" FROM "Membership" WHERE "forumId" = ${forumId} AND status = 'ACTIVE' AND 'OFFICER'::"Role" = ANY(roles)`;
  return rows.map((r) => r.personId);
}

/** Marks a member interested (and, with `consortium`, interested in a consortium). */
export async function markInterest(s: Services, alert: TenderAlert, personId: string, consortium: boolean) {
  if (alert.status !== 'open' && alert.status !== 'pipeline') throw new AppError('tenders.alert.notOpen', { ref: refOf(alert) });
  const m = await activeMembership(s.db, alert.forumId, personId);
  const interest = await s.db.tenderInterest.upsert({
    where: { alertId_personId: { alertId: alert.id, personId } },
    create: { alertId: alert.id, personId, organisationId: m.organisationId, consortium },
    update: consortium ? { consortium: true, organisationId: m.organisationId } : {},
  });
  const asked = consortium ? await askForConsent(s, alert) : 0;
  return { interest, asked };
}

/** Withdraws interest (and any consortium interest). */
export async function withdrawInterest(s: Services, alert: TenderAlert, personId: string) {
  const removed = await s.db.tenderInterest.deleteMany({ where: { alertId: alert.id, personId } });
  return removed.count > 0;
}

function consentMessage(t: Translate, alert: TenderAlert, others: number): OutgoingMessage {
  const text = t('tenders.consent.ask', { ref: refOf(alert), title: alert.title, count: others });
  return {
    text,
    blocks: [
      { type: 'section', text },
      {
        type: 'buttons',
        buttons: [
          { label: t('tenders.consent.yes'), style: 'primary', action: { command: 'tender consent', args: { ref: alert.id, answer: 'yes' } } },
          { label: t('tenders.consent.no'), action: { command: 'tender consent', args: { ref: alert.id, answer: 'no' } } },
        ],
      },
    ],
  };
}

/** Once two organisations want a consortium, asks each one not yet asked. Answers how many were asked. */
export async function askForConsent(s: Services, alert: TenderAlert): Promise<number> {
  const rows = await s.db.tenderInterest.findMany({ where: { alertId: alert.id, consortium: true } });
  const orgs = new Set(rows.map(orgKey));
  if (orgs.size < 2) return 0;
  let asked = 0;
  for (const r of rows.filter((x) => !x.consentAskedAt)) {
    // the conditional update is the claim: two instances never ask twice
    const claimed = await s.db.tenderInterest.updateMany({ where: { id: r.id, consentAskedAt: null }, data: { consentAskedAt: s.now() } });
    if (claimed.count !== 1) continue;
    const others = new Set(rows.filter((x) => orgKey(x) !== orgKey(r)).map(orgKey)).size;
    await s.broadcasts.broadcast(alert.forumId, 'tender-consent', (t) => consentMessage(t, alert, others), {
      onlyPeople: [r.personId],
      dedupeKey: `tenders:consent:${r.id}`,
    });
    asked++;
  }
  return asked;
}

/** Records a member's answer; a yes may complete an introduction. */
export async function recordConsent(s: Services, alert: TenderAlert, personId: string, yes: boolean) {
  const interest = await s.db.tenderInterest.findUnique({ where: { alertId_personId: { alertId: alert.id, personId } } });
  if (!interest?.consortium || !interest.consentAskedAt) throw new AppError('tenders.consent.notAsked', { ref: refOf(alert) });
  await s.db.tenderInterest.update({ where: { id: interest.id }, data: { consent: yes } });
  return yes ? introduce(s, alert) : 0;
}

/** Introduces every consenting member to the others once two organisations have consented. */
export async function introduce(s: Services, alert: TenderAlert): Promise<number> {
  const rows = await s.db.tenderInterest.findMany({
    where: { alertId: alert.id, consortium: true, consent: true },
    include: { person: { include: { accounts: { select: { platform: true } } } } },
    orderBy: { createdAt: 'asc' },
  });
  if (new Set(rows.map(orgKey)).size < 2 || rows.every((r) => r.introducedAt)) return 0;
  const orgIds = rows.flatMap((r) => (r.organisationId ? [r.organisationId] : []));
  const orgs = new Map((await s.db.organisation.findMany({ where: { id: { in: orgIds } } })).map((o) => [o.id, o.name]));
  const describe = (r: (typeof rows)[number], t: Translate) =>
    t('tenders.intro.person', {
      name: r.person.displayName,
      organisation: (r.organisationId && orgs.get(r.organisationId)) || t('tenders.intro.noOrg'),
      platforms: [...new Set(r.person.accounts.map((a) => a.platform))].join(', '),
    });
  await s.db.tenderInterest.updateMany({ where: { id: { in: rows.map((r) => r.id) }, introducedAt: null }, data: { introducedAt: s.now() } });
  for (const r of rows) {
    const others = rows.filter((o) => o.id !== r.id);
    await s.broadcasts.broadcast(
      alert.forumId,
      'tender-introduction',
      (t) => ({ text: [t('tenders.intro.header', { ref: refOf(alert), title: alert.title }), ...others.map((o) => `• ${describe(o, t)}`), t('tenders.intro.footer')].join('\n') }),
      { onlyPeople: [r.personId], dedupeKey: `tenders:intro:${alert.id}:${r.personId}:${digest(others.map((o) => o.id))}` },
    );
  }
  const officers = alert.postedById ? [alert.postedById] : await officersOf(s.db, alert.forumId);
  if (officers.length) {
    await s.broadcasts.broadcast(
      alert.forumId,
      'tender-introduction',
      (t) => ({ text: [t('tenders.intro.officer', { ref: refOf(alert), title: alert.title, count: rows.length }), ...rows.map((r) => `• ${describe(r, t)}`)].join('\n') }),
      { onlyPeople: officers, dedupeKey: `tenders:intro-officer:${alert.id}:${digest(rows.map((r) => r.id))}` },
    );
  }
  return rows.length;
}
