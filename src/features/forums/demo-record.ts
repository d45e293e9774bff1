import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { declare } from '../elections/counting.service.ts';
import { RON_NAME } from '../elections/elections.service.ts';
import { ballotSlot, newReceipt, organisationVoter } from '../elections/secrecy.ts';

const DAY = 86_400_000;

/**
 * The demo forum's public record, so every section of the site has something real to show: a
 * finished election (counted by the real counter), past meetings with their report-backs and
 * actions, and issues the sector raised. Called once, after the demo forum is made.
 */
export async function seedDemoRecord(db: Db, slug: string, now: Date): Promise<void> {
  const forum = await db.forum.findUniqueOrThrow({ where: { slug } });
  const people = new Map((await db.account.findMany({ where: { platform: 'web', platformUserId: { startsWith: 'demo-' } } })).map((a) => [a.platformUserId, a.personId]));
  const orgs = new Map((await db.organisation.findMany({ where: { forumId: forum.id } })).map((o) => [o.name, o.id]));
  const parts = new Map((await db.partnership.findMany({ where: { forumId: forum.id } })).map((p) => [p.name, p.id]));
  await seedFinishedElection(db, forum.id, people, orgs, parts, now);
  await seedMeetingsAndReports(db, forum.id, people, orgs, parts, now);
}

async function seedFinishedElection(db: Db, forumId: string, people: Map<string, string>, orgs: Map<string, string>, parts: Map<string, string>, now: Date) {
  const partnershipId = parts.get('Children and Young People Partnership')!;
  const seat = await db.seat.findFirstOrThrow({ where: { partnershipId, label: 'Equality' } });
  const at = (days: number) => new Date(now.getTime() - days * DAY);
  const e = await db.election.create({
    data: {
      forumId, partnershipId, title: 'Equality seat 2026', seatIds: [seat.id], method: 'scottish-stv', franchise: 'ORGANISATION', phase: 'COUNTING',
      nominationsOpenAt: at(45), nominationsCloseAt: at(31), votingOpenAt: at(24), votingCloseAt: at(17), tieSeed: 'demo-equality-2026', createdById: people.get('demo-officer')!,
    },
  });
  const stand = (who: string, org: string, statement: string) =>
    db.candidate.create({ data: { electionId: e.id, personId: people.get(who)!, organisationId: orgs.get(org)!, name: who === 'demo-amira' ? 'Amira Khan' : 'Tom Williams', statement, accepted: true } });
  const amira = await stand('demo-amira', 'Powys Race Equality Network', 'I will bring the voices of Powys’ minority ethnic communities to the partnership, and report back after every meeting.');
  const tom = await stand('demo-tom', 'Llandrindod Wells Food Bank', 'Child poverty is an equality issue: I will press for the partnership to fund holiday hunger schemes.');
  const ron = await db.candidate.create({ data: { electionId: e.id, name: RON_NAME, isRon: true, accepted: true } });
  // one ballot per member organisation (the organisation franchise), each under its receipt's slot
  const rankings: [string, string[]][] = [
    ['Brecon Mind', [amira.id, tom.id]],
    ['Newtown Youth Project', [tom.id, amira.id]],
    ['Powys Race Equality Network', [amira.id]],
    ['Llandrindod Wells Food Bank', [tom.id, amira.id, ron.id]],
    ['Wye Valley Environment Trust', [amira.id, ron.id]],
  ];
  for (const [org, ranking] of rankings) {
    const voter = organisationVoter(orgs.get(org)!);
    await db.electionRoll.create({ data: { electionId: e.id, voterKey: voter } });
    await db.electionBallot.create({ data: { id: randomUUID(), electionId: e.id, slot: ballotSlot(newReceipt(), e.id, voter), ranking } });
  }
  await declare(db, e, at(17));
}

async function seedMeetingsAndReports(db: Db, forumId: string, people: Map<string, string>, orgs: Map<string, string>, parts: Map<string, string>, now: Date) {
  const officer = people.get('demo-officer')!;
  const meetings = [
    {
      partnership: 'Health and Social Care Board', daysAgo: 40, author: 'demo-rhian', late: false,
      summary: 'The board agreed the winter pressures plan and heard the first findings of the mental health needs assessment.',
      decisions: ['Winter pressures plan approved, with £120,000 for community support commissioned from the sector', 'Needs assessment to be published for consultation in the new year'],
      sector: ['Groups running warm spaces can bid for the community support fund from January'],
      actions: [
        { what: 'Circulate the winter plan to forum members', owner: 'Rhian Powell', ownerId: 'demo-rhian', due: -30, done: true },
        { what: 'Publish the needs assessment consultation', owner: 'Head of Adult Services, Powys County Council', due: -5, done: false },
      ],
      interests: 'Brecon Mind receives a grant from the health board.',
    },
    {
      partnership: 'Children and Young People Partnership', daysAgo: 12, author: 'demo-dafydd', late: true,
      summary: 'The partnership reviewed youth service provision and agreed to co-produce the next plan with young people.',
      decisions: ['Youth service review to include sector-run youth clubs'],
      sector: ['Youth groups are asked to nominate young people for the co-production panel'],
      actions: [
        { what: 'Collect nominations for the young people’s panel', owner: 'Tom Williams', ownerId: 'demo-tom', due: 20, done: false },
        { what: 'Share the youth service review terms of reference', owner: 'Dafydd Jones', ownerId: 'demo-dafydd', due: 7, done: false },
      ],
      interests: null,
    },
    {
      partnership: 'Community Safety Partnership', daysAgo: 70, author: 'demo-dafydd', late: false,
      summary: 'An update on anti-social behaviour hot spots and the summer diversionary activities fund.',
      decisions: ['Diversionary activities fund to reopen in April'],
      sector: [],
      actions: [{ what: 'Report on the summer activities outcomes', owner: 'Community safety manager', due: -14, done: false }],
      interests: null,
    },
  ];
  for (const m of meetings) {
    const startsAt = new Date(now.getTime() - m.daysAgo * DAY);
    startsAt.setUTCHours(10, 0, 0, 0);
    const meeting = await db.meeting.create({ data: { partnershipId: parts.get(m.partnership)!, startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3600_000), place: 'County Hall, Llandrindod Wells', createdById: officer } });
    const author = people.get(m.author)!;
    const dueAt = new Date(startsAt.getTime() + 14 * DAY);
    const publishedAt = new Date(startsAt.getTime() + (m.late ? 15 : 3) * DAY);
    const searchText = [m.summary, ...m.decisions, ...m.sector, m.interests ?? '', ...m.actions.map((a) => `${a.what} ${a.owner}`)].join('\n');
    const report = await db.reportback.create({
      data: {
        meetingId: meeting.id, authorId: author, summary: m.summary, decisions: m.decisions, issuesForSector: m.sector, interests: m.interests, searchText,
        publishedAt: publishedAt > now ? now : publishedAt, editableUntil: new Date(publishedAt.getTime() + 2 * DAY),
        actions: {
          create: m.actions.map((a, i) => ({
            what: a.what, ownerName: a.owner, ownerId: 'ownerId' in a && a.ownerId ? people.get(a.ownerId)! : null, dueOn: new Date(now.getTime() + a.due * DAY), doneAt: a.done ? new Date(now.getTime() - 10 * DAY) : null, position: i,
          })),
        },
      },
    });
    await db.reportbackRequest.create({ data: { meetingId: meeting.id, personId: author, dueAt, reportbackId: report.id, promptedAt: startsAt } });
  }
  // issues: one raised in an organisation's name and answered, one raised without a name
  const health = parts.get('Health and Social Care Board')!;
  const answered = await db.reportback.findFirst({ where: { meeting: { partnershipId: health } } });
  await db.forumIssue.create({
    data: {
      forumId, number: 1, partnershipId: health, raisedById: people.get('demo-tom')!, organisationId: orgs.get('Llandrindod Wells Food Bank')!,
      text: 'Food bank referrals from GP surgeries have doubled: will the board fund advice workers in surgeries?', status: 'ANSWERED',
      response: 'The board will pilot advice workers in two surgeries from April, funded from the winter plan.', reportbackId: answered?.id ?? null, answeredAt: new Date(now.getTime() - 35 * DAY), createdAt: new Date(now.getTime() - 50 * DAY),
    },
  });
  await db.forumIssue.create({
    data: { forumId, number: 2, partnershipId: parts.get('Children and Young People Partnership')!, raisedById: people.get('demo-amira')!, text: 'Transport to youth clubs in rural areas stops at 6pm, so many young people cannot attend.', createdAt: new Date(now.getTime() - 8 * DAY) },
  });
}
