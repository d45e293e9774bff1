import type { Db } from '../../db/client.ts';
import type { SelectionMethod } from '../../generated/prisma/client.ts';
import { termEnd } from './coverage.ts';
import { seedDemoRecord } from './demo-record.ts';

/**
 * A sample county forum so a newcomer can try every command. People are web chat accounts:
 * started in demo mode (`forumbot start --demo`), the web chat page offers them with one click.
 */
const people = [
  { id: 'demo-officer', name: 'Carys Officer', org: null, roles: ['MEMBER', 'OFFICER', 'RETURNING_OFFICER'] },
  { id: 'demo-rhian', name: 'Rhian Powell', org: 'Brecon Mind', roles: ['MEMBER', 'REPRESENTATIVE'] },
  { id: 'demo-dafydd', name: 'Dafydd Jones', org: 'Newtown Youth Project', roles: ['MEMBER', 'REPRESENTATIVE'] },
  { id: 'demo-amira', name: 'Amira Khan', org: 'Powys Race Equality Network', roles: ['MEMBER'] },
  { id: 'demo-tom', name: 'Tom Williams', org: 'Llandrindod Wells Food Bank', roles: ['MEMBER'] },
  { id: 'demo-gwen', name: 'Gwen Morgan', org: 'Wye Valley Environment Trust', roles: ['MEMBER', 'REPRESENTATIVE'] },
] as const;

const organisations = [
  { name: 'Brecon Mind', charityNumber: '1101234', area: 'Brecknockshire', interests: ['health', 'mental health'] },
  { name: 'Newtown Youth Project', charityNumber: '1123456', area: 'Montgomeryshire', interests: ['children and young people'] },
  { name: 'Powys Race Equality Network', area: 'Powys', interests: ['equality'] },
  { name: 'Llandrindod Wells Food Bank', charityNumber: '1151234', area: 'Radnorshire', interests: ['poverty', 'health'] },
  { name: 'Wye Valley Environment Trust', charityNumber: '1098765', area: 'Radnorshire', interests: ['environment'] },
];

const partnerships: { name: string; parent?: string; seats: { label: string; interest?: string; method: SelectionMethod; holder?: string; monthsAgo?: number }[] }[] = [
  { name: 'Powys Local Service Board', seats: [{ label: 'CVC Chief Officer', method: 'RESERVED', holder: 'demo-officer', monthsAgo: 6 }] },
  {
    name: 'Health and Social Care Board',
    parent: 'Powys Local Service Board',
    seats: [
      { label: 'Mental health', interest: 'health', method: 'ELECTED', holder: 'demo-rhian', monthsAgo: 22 },
      { label: 'Older people', interest: 'health', method: 'ELECTED' },
    ],
  },
  {
    name: 'Community Safety Partnership',
    parent: 'Powys Local Service Board',
    seats: [{ label: 'Third sector seat', interest: 'neighbourhoods', method: 'INVITED', holder: 'demo-dafydd', monthsAgo: 3 }],
  },
  {
    name: 'Children and Young People Partnership',
    parent: 'Powys Local Service Board',
    seats: [
      { label: 'Youth work', interest: 'children and young people', method: 'ELECTED', holder: 'demo-dafydd', monthsAgo: 10 },
      { label: 'Equality', interest: 'equality', method: 'ELECTED' },
    ],
  },
  { name: 'Environment Partnership', parent: 'Powys Local Service Board', seats: [{ label: 'Environment seat', interest: 'environment', method: 'APPOINTED', holder: 'demo-gwen', monthsAgo: 1 }] },
];

/** `webUrl`: the web chat's address, for the summary's example link. */
export async function seedDemo(db: Db, now: Date, webUrl = 'http://localhost:3000'): Promise<string> {
  const slug = 'demo-county-forum';
  if (await db.forum.findUnique({ where: { slug } })) return 'The demo forum already exists: nothing to do.';
  await db.$transaction(async (tx) => {
    const forum = await tx.forum.create({ data: { slug, name: 'Demo County Third Sector Forum', cvcName: 'Demo County Voluntary Council' } });
    const orgIds = new Map<string, string>();
    for (const o of organisations) orgIds.set(o.name, (await tx.organisation.create({ data: { forumId: forum.id, ...o } })).id);
    const personIds = new Map<string, string>();
    for (const p of people) {
      const person = await tx.person.create({ data: { displayName: p.name, currentForumId: forum.id } });
      personIds.set(p.id, person.id);
      await tx.account.create({ data: { personId: person.id, platform: 'web', platformUserId: p.id, displayName: p.name, dmRef: `web:${p.id}` } });
      await tx.membership.create({
        data: { personId: person.id, forumId: forum.id, status: 'ACTIVE', roles: [...p.roles], organisationId: p.org ? orgIds.get(p.org) : null, decidedAt: now, dmOptIn: true },
      });
      if (p.org) await tx.organisation.update({ where: { id: orgIds.get(p.org)! }, data: { designatedVoterId: person.id } });
    }
    const partnershipIds = new Map<string, string>();
    for (const p of partnerships) {
      const row = await tx.partnership.create({ data: { forumId: forum.id, name: p.name, parentId: p.parent ? partnershipIds.get(p.parent) : null } });
      partnershipIds.set(p.name, row.id);
      for (const s of p.seats) {
        const seat = await tx.seat.create({ data: { partnershipId: row.id, label: s.label, interestArea: s.interest, selectionMethod: s.method } });
        if (s.holder) {
          const startsOn = new Date(now);
          startsOn.setUTCMonth(startsOn.getUTCMonth() - (s.monthsAgo ?? 0));
          const holder = people.find((x) => x.id === s.holder)!;
          await tx.seatHolding.create({
            data: { seatId: seat.id, personId: personIds.get(s.holder)!, organisationId: holder.org ? orgIds.get(holder.org) : null, startsOn, endsOn: termEnd(startsOn, seat.termMonths), filledBy: s.method },
          });
        }
      }
    }
    await tx.channel.create({ data: { forumId: forum.id, ref: 'web:room:announcements', label: 'Announcements' } });
  });
  await seedDemoRecord(db, slug, now);
  return [
    'Created the demo forum “Demo County Third Sector Forum” with 5 organisations, 6 members, 5 partnerships and 8 seats.',
    `To act as a demo person (Carys Officer is the officer), start the bot in demo mode (npx forumbot start --demo) and pick one on the web chat page, ${webUrl}/`,
    'Try: “who represents us on Health and Social Care Board?”, “coverage”, “partnerships”, “help”.',
    `The public record (a finished election, report-backs, issues) is at ${webUrl}/f/${slug}.`,
  ].join('\n');
}
