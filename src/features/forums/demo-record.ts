import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { declare } from '../elections/counting.service.ts';
import { RON_NAME } from '../elections/elections.service.ts';
import { ballotSlot, newReceipt, organisationVoter } from '../elections/secrecy.ts';
import { seedDefaultCatalogue } from '../breaches/catalogue.service.ts';
import { consultationLength } from '../updates/rules.ts';

const DAY = 86_400_000;

/**
 * The demo forum's public record, so every section of the site has something real to show: a
 * finished election (counted by the real counter), one in voting, past meetings with their report-backs and
 * actions, and issues the sector raised. Called once, after the demo forum is made.
 */
export async function seedDemoRecord(db: Db, slug: string, now: Date): Promise<void> {
  const forum = await db.forum.findUniqueOrThrow({ where: { slug } });
  const people = new Map((await db.account.findMany({ where: { platform: 'web', platformUserId: { startsWith: 'demo-' } } })).map((a) => [a.platformUserId, a.personId]));
  const orgs = new Map((await db.organisation.findMany({ where: { forumId: forum.id } })).map((o) => [o.name, o.id]));
  const parts = new Map((await db.partnership.findMany({ where: { forumId: forum.id } })).map((p) => [p.name, p.id]));
  await seedFinishedElection(db, forum.id, people, orgs, parts, now);
  await seedVotingElection(db, forum.id, people, orgs, parts, now);
  await seedMeetingsAndReports(db, forum.id, people, orgs, parts, now);
  await seedConsultationsAndOpportunities(db, forum.id, people, orgs, now);
  await seedBreachNotices(db, forum.id, people.get('demo-officer')!, now);
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
  const stand = (who: string, name: string, org: string, statement: string) =>
    db.candidate.create({ data: { electionId: e.id, personId: people.get(who)!, organisationId: orgs.get(org)!, name, statement, accepted: true } });
  const amira = await stand('demo-amira', 'Amira Khan', 'Powys Race Equality Network', 'I will bring the voices of Powys’ minority ethnic communities to the partnership, and report back after every meeting.');
  const tom = await stand('demo-tom', 'Tom Williams', 'Llandrindod Wells Food Bank', 'Child poverty is an equality issue: I will press for the partnership to fund holiday hunger schemes.');
  const gwen = await stand('demo-gwen', 'Gwen Morgan', 'Wye Valley Environment Trust', 'Rural young people need transport to reach anything: I will make access the partnership’s first question.');
  const ron = await db.candidate.create({ data: { electionId: e.id, name: RON_NAME, isRon: true, accepted: true } });
  // one ballot per member organisation (the organisation franchise), each under its receipt's slot
  const rankings: [string, string[]][] = [
    ['Brecon Mind', [amira.id, tom.id]],
    ['Newtown Youth Project', [tom.id, amira.id]],
    ['Powys Race Equality Network', [amira.id]],
    ['Llandrindod Wells Food Bank', [tom.id, amira.id, ron.id]],
    // first preferences Amira 2, Tom 2, Gwen 1: Gwen's ballot moves to Amira at a later stage
    ['Wye Valley Environment Trust', [gwen.id, amira.id, ron.id]],
  ];
  for (const [org, ranking] of rankings) {
    const voter = organisationVoter(orgs.get(org)!);
    await db.electionRoll.create({ data: { electionId: e.id, voterKey: voter } });
    await db.electionBallot.create({ data: { id: randomUUID(), electionId: e.id, slot: ballotSlot(newReceipt(), e.id, voter), ranking } });
  }
  await declare(db, e, at(17));
}

/** An election in voting, so a newcomer can see and cast a ballot at once (as demo-rhian, say). */
async function seedVotingElection(db: Db, forumId: string, people: Map<string, string>, orgs: Map<string, string>, parts: Map<string, string>, now: Date) {
  const partnershipId = parts.get('Health and Social Care Board')!;
  const seat = await db.seat.findFirstOrThrow({ where: { partnershipId, label: 'Older people' } });
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const e = await db.election.create({
    data: {
      forumId, partnershipId, title: 'Older people seat 2027', seatIds: [seat.id], method: 'scottish-stv', franchise: 'ORGANISATION', phase: 'VOTING',
      nominationsOpenAt: at(-16), nominationsCloseAt: at(-2), votingOpenAt: at(-1), votingCloseAt: at(6), tieSeed: 'demo-older-people-2027', createdById: people.get('demo-officer')!,
    },
  });
  await db.candidate.create({ data: { electionId: e.id, personId: people.get('demo-tom')!, organisationId: orgs.get('Llandrindod Wells Food Bank')!, name: 'Tom Williams', accepted: true, statement: 'Older people who use the food bank tell me the same thing: nobody asks them. I will.' } });
  await db.candidate.create({ data: { electionId: e.id, personId: people.get('demo-gwen')!, organisationId: orgs.get('Wye Valley Environment Trust')!, name: 'Gwen Morgan', accepted: true, statement: 'Our volunteers are mostly over 65; I will speak for what keeps them active and connected.' } });
  await db.candidate.create({ data: { electionId: e.id, name: RON_NAME, isRon: true, accepted: true } });
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
      partnership: 'Children and Young People Partnership', daysAgo: 20, author: 'demo-dafydd', late: true,
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
  // the next meeting of each partnership with a report-back, so the calendar has something ahead
  for (const [name, days] of [['Health and Social Care Board', 18], ['Children and Young People Partnership', 32]] as const) {
    const startsAt = new Date(now.getTime() + days * DAY);
    startsAt.setUTCHours(10, 0, 0, 0);
    await db.meeting.create({ data: { partnershipId: parts.get(name)!, startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3600_000), place: 'County Hall, Llandrindod Wells', papersUrl: 'https://example.org/papers/next', createdById: officer } });
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

/** LSB updates and consultations (one short of the Compact's 12 weeks, one answered by a joint response), and tender alerts with members' interest. */
async function seedConsultationsAndOpportunities(db: Db, forumId: string, people: Map<string, string>, orgs: Map<string, string>, now: Date) {
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const officer = people.get('demo-officer')!;
  const day = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  await db.update.create({
    data: { forumId, title: 'Public Services Board: draft well-being priorities published', body: 'The PSB has published its draft priorities for the next well-being plan: ageing well, rural transport and climate resilience.', themes: ['sip'], partnership: 'Powys Local Service Board', authorId: officer, postedAt: at(-20) },
  });
  const consultations = [
    { title: 'Day centres for older people: review of provision', runBy: 'Powys County Council', opens: -10, closes: 30, link: 'https://example.org/consult/day-centres', posted: -10 },
    { title: 'Well-being assessment 2027', runBy: 'Powys Public Services Board', opens: -14, closes: 80, link: 'https://example.org/consult/well-being', posted: -14 },
    {
      title: 'Community transport strategy', runBy: 'Powys County Council', opens: -120, closes: -20, link: 'https://example.org/consult/transport', posted: -118,
      response: { summary: 'The forum asked for evening services to rural youth clubs, and for community transport schemes to be funded for three years rather than one.', link: 'https://example.org/forum/transport-response', at: -22 },
    },
  ];
  for (const c of consultations) {
    const opensOn = day(at(c.opens));
    const closesOn = day(at(c.closes));
    const u = await db.update.create({
      data: {
        forumId, title: c.title, themes: ['health'], link: c.link, authorId: officer, postedAt: at(c.posted),
        consultation: {
          create: {
            forumId, runBy: c.runBy, opensOn, closesOn, link: c.link, ...consultationLength(opensOn, closesOn),
            ...(c.response ? { responseSummary: c.response.summary, responseLink: c.response.link, respondedAt: at(c.response.at), exportedAt: at(c.response.at - 1) } : {}),
          },
        },
      },
      include: { consultation: true },
    });
    // members' views feed the joint response; they are never public
    if (c.response) {
      await db.consultationView.create({
        data: { consultationId: u.consultation!.id, personId: people.get('demo-tom')!, organisation: 'Llandrindod Wells Food Bank', text: 'Our volunteers cannot reach the food bank after the last bus at 5pm.', createdAt: at(-60), updatedAt: at(-60) },
      });
    }
  }
  const alerts = [
    { title: 'Community mental health support services', buyer: 'Powys Teaching Health Board', valueAmount: 120_000, deadline: 25, route: 'open', consortia: true, themes: ['health'], status: 'open' },
    { title: 'Warm spaces grants 2026-27', buyer: 'Powys County Council', valueAmount: 5_000, deadline: 10, route: 'grant', consortia: false, themes: ['poverty'], status: 'open' },
    { title: 'Youth outreach in rural Radnorshire', buyer: 'Powys County Council', valueAmount: 60_000, deadline: -30, route: 'open', consortia: true, themes: ['children and young people'], status: 'closed' },
  ];
  for (const [i, a] of alerts.entries()) {
    const alert = await db.tenderAlert.create({
      data: {
        forumId, number: i + 1, title: a.title, buyer: a.buyer, currency: 'GBP', valueAmount: a.valueAmount, deadline: at(a.deadline), route: a.route, consortiaWelcome: a.consortia, themes: a.themes, areas: ['Powys'],
        link: `https://example.org/tenders/${i + 1}`, status: a.status, postedById: officer, createdAt: at(a.deadline - 40),
      },
    });
    if (i === 0) {
      await db.tenderInterest.create({ data: { alertId: alert.id, personId: people.get('demo-tom')!, organisationId: orgs.get('Llandrindod Wells Food Bank')!, consortium: true, createdAt: at(-5) } });
      await db.tenderInterest.create({ data: { alertId: alert.id, personId: people.get('demo-rhian')!, organisationId: orgs.get('Brecon Mind')!, consortium: true, createdAt: at(-4) } });
    }
  }
}

/** Breach notices filed on the members' behalf this year, enough for statistics that are not all held back. */
async function seedBreachNotices(db: Db, forumId: string, officer: string, now: Date) {
  await seedDefaultCatalogue(db, forumId);
  const compact = await db.compact.findFirstOrThrow({ where: { forumId }, include: { parties: true, codes: true } });
  const party = (kind: string) => compact.parties.find((p) => p.kind === kind)!.id;
  const code = (key: string) => compact.codes.find((c) => c.key === key)!.id;
  const iso = (days: number) => new Date(now.getTime() - days * DAY).toISOString().slice(0, 10);
  const notices = [
    { code: 'consultation-policy', kind: 'council', filed: 200, resolved: 150, state: 'resolved' },
    { code: 'consultation-policy', kind: 'council', filed: 180, resolved: 120, state: 'resolved' },
    { code: 'consultation-policy', kind: 'health-board', filed: 150, resolved: 100, state: 'resolved' },
    { code: 'consultation-policy', kind: 'council', filed: 90, resolved: null, state: 'liaison' },
    { code: 'funding-procurement', kind: 'council', filed: 120, resolved: 60, state: 'resolved' },
    { code: 'funding-procurement', kind: 'health-board', filed: 60, resolved: null, state: 'acknowledged' },
    { code: 'funding-procurement', kind: 'council', filed: 30, resolved: null, state: 'filed' },
  ];
  for (const [i, n] of notices.entries()) {
    await db.breachNotice.create({
      data: {
        forumId, number: i + 1, compactId: compact.id, partyId: party(n.kind), codeId: code(n.code), aspect: 'principle',
        whatHappened: 'Demo notice: a commitment of the compact was not kept.', outcomeWanted: 'The commitment kept in future.', mode: 'ON_BEHALF', filedById: officer,
        filedOn: iso(n.filed), state: n.state, stateSince: new Date(now.getTime() - (n.resolved ?? n.filed) * DAY), resolvedOn: n.resolved === null ? null : iso(n.resolved),
      },
    });
  }
}
