import { z } from 'zod';
import { arg, defineCommand, zDate, zInt, zList } from '../../core/commands.ts';
import type { CommandContext } from '../../core/context.ts';
import { LANGUAGE_CHOICES, MODE_CHOICES, ON_OFF_CHOICES } from '../../core/core.i18n.ts';
import { FRANCHISE_CHOICES } from './forums.i18n.ts';
import { formatDate } from '../../core/i18n.ts';
import { coverageTables } from './coverage.tables.ts';
import type { Block, OutgoingMessage } from '../../core/messages.ts';
import type { Role, SelectionMethod } from '../../generated/prisma/client.ts';
import * as forums from './forums.service.ts';
import { term } from '../../core/terms.ts';

const name = (max = 120) => z.string().trim().min(2).max(max);
const forumOf = (ctx: CommandContext) => ctx.forum!;
const say = (text: string, blocks?: Block[]): OutgoingMessage => (blocks ? { text, blocks } : { text });
const methods = ['elected', 'appointed', 'reserved', 'invited'] as const;
const toMethod = (m: (typeof methods)[number]) => m.toUpperCase() as SelectionMethod;
const METHOD_CHOICES = {
  elected: 'forums.choice.method.elected',
  appointed: 'forums.choice.method.appointed',
  reserved: 'forums.choice.method.reserved',
  invited: 'forums.choice.method.invited',
} as const;

const forumCreate = defineCommand({
  names: { en: 'forum create', cy: 'fforwm creu' },
  group: 'forums',
  summary: 'forums.cmd.forumCreate',
  args: [
    arg('name', name(), 'forums.arg.forumName', { positional: true, rest: true }),
    arg('cvc', name(), 'forums.arg.cvc'),
    arg('slug', z.string().regex(/^[a-z0-9-]{2,60}$/, 'forums.arg.slugFormat').optional(), 'forums.arg.slug'),
    arg('language', z.enum(['en', 'cy']).default('en'), 'forums.arg.language', { choices: LANGUAGE_CHOICES }),
    arg('franchise', z.enum(['organisation', 'individual']).default('organisation'), 'forums.arg.franchise', { choices: FRANCHISE_CHOICES }),
  ],
  examples: { en: ['forum create Powys Third Sector Forum cvc="PAVO"'], cy: ['fforwm creu Fforwm Trydydd Sector Powys cvc="PAVO" language=cy'] },
  permission: 'anyone',
  needsForum: false,
  async run(ctx, a) {
    const forum = await forums.createForum(
      ctx.db,
      { name: a.name, cvcName: a.cvc, slug: a.slug, defaultLocale: a.language, franchise: a.franchise === 'individual' ? 'INDIVIDUAL' : 'ORGANISATION' },
      ctx.person.id,
    );
    return say(ctx.t('forums.forum.created', { name: forum.name, slug: forum.slug }));
  },
});

const forumUse = defineCommand({
  names: { en: 'forum use', cy: 'fforwm defnyddio' },
  group: 'forums',
  summary: 'forums.cmd.forumUse',
  args: [arg('forum', name(), 'forums.arg.forum', { positional: true, rest: true })],
  examples: { en: ['forum use powys-third-sector-forum'], cy: ['fforwm defnyddio powys-third-sector-forum'] },
  permission: 'anyone',
  needsForum: false,
  async run(ctx, a) {
    const forum = await forums.findForum(ctx.db, a.forum);
    await ctx.db.person.update({ where: { id: ctx.person.id }, data: { currentForumId: forum.id } });
    return { visibility: 'ephemeral', message: say(ctx.t('forums.forum.using', { name: forum.name })) };
  },
});

const forumSettings = defineCommand({
  names: { en: 'forum settings', cy: 'fforwm gosodiadau' },
  group: 'forums',
  summary: 'forums.cmd.forumSettings',
  args: [
    arg('language', z.enum(['en', 'cy']).optional(), 'forums.arg.language', { choices: LANGUAGE_CHOICES }),
    arg('franchise', z.enum(['organisation', 'individual']).optional(), 'forums.arg.franchise', { choices: FRANCHISE_CHOICES }),
    arg('onecandidate', z.enum(['yes', 'no']).optional(), 'forums.arg.oneCandidate'),
  ],
  examples: { en: ['forum settings language=cy franchise=individual'], cy: ['fforwm gosodiadau language=cy'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const f = await ctx.db.forum.update({
      where: { id: forumOf(ctx).id },
      data: {
        defaultLocale: a.language,
        franchise: a.franchise ? (a.franchise === 'individual' ? 'INDIVIDUAL' : 'ORGANISATION') : undefined,
        oneCandidatePerOrganisation: a.onecandidate ? a.onecandidate === 'yes' : undefined,
      },
    });
    return say(
      ctx.t('forums.forum.settings', {
        name: f.name,
        language: f.defaultLocale,
        franchise: ctx.t(`forums.franchise.${f.franchise}`),
        onecandidate: ctx.t(f.oneCandidatePerOrganisation ? 'forums.yes' : 'forums.no'),
      }),
    );
  },
});

const channelLink = defineCommand({
  names: { en: 'channel link', cy: 'sianel cysylltu' },
  group: 'forums',
  summary: 'forums.cmd.channelLink',
  args: [
    arg('mode', z.enum(['immediate', 'digest']).default('immediate'), 'forums.arg.mode', {
      positional: true,
      choices: MODE_CHOICES,
    }),
    arg('label', z.string().max(80).optional(), 'forums.arg.label'),
  ],
  examples: { en: ['channel link', 'channel link digest'], cy: ['sianel cysylltu', 'sianel cysylltu digest'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    await forums.linkChannel(ctx.db, forumOf(ctx).id, ctx.event.conversation, a.mode === 'digest' ? 'DIGEST' : 'IMMEDIATE', a.label);
    return say(ctx.t(a.mode === 'digest' ? 'forums.channel.linkedDigest' : 'forums.channel.linked', { forum: forumOf(ctx).name }));
  },
});

const channelUnlink = defineCommand({
  names: { en: 'channel unlink', cy: 'sianel datgysylltu' },
  group: 'forums',
  summary: 'forums.cmd.channelUnlink',
  args: [],
  examples: { en: ['channel unlink'], cy: ['sianel datgysylltu'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx) {
    await ctx.db.channel.deleteMany({ where: { forumId: forumOf(ctx).id, ref: ctx.event.conversation } });
    return say(ctx.t('forums.channel.unlinked'));
  },
});

const orgAdd = defineCommand({
  names: { en: 'organisation add', cy: 'mudiad ychwanegu' },
  group: 'forums',
  summary: 'forums.cmd.orgAdd',
  args: [
    arg('name', name(), 'forums.arg.orgName', { positional: true, rest: true }),
    arg('charity', z.string().regex(/^[0-9A-Za-z-]{4,12}$/, 'forums.arg.charityFormat').optional(), 'forums.arg.charity'),
    arg('area', z.string().max(80).optional(), 'forums.arg.area'),
    arg('interests', zList.default([]), 'forums.arg.interests'),
  ],
  examples: { en: ['organisation add Llandrindod Wells Food Bank charity=1151234 area="Radnorshire" interests="poverty, health"'], cy: ['mudiad ychwanegu Banc Bwyd Llandrindod area="Sir Faesyfed"'] },
  permission: 'officer',
  changesNames: true,
  needsForum: true,
  async run(ctx, a) {
    const org = await forums.addOrganisation(ctx.db, forumOf(ctx).id, { name: a.name, charityNumber: a.charity, area: a.area, interests: a.interests });
    return say(ctx.t('forums.org.added', { name: org.name }));
  },
});

const inviteCreate = defineCommand({
  names: { en: 'invite create', cy: 'gwahoddiad creu' },
  group: 'forums',
  summary: 'forums.cmd.inviteCreate',
  args: [
    arg('organisation', z.string().optional(), 'forums.arg.organisation', { positional: true, rest: true }),
    arg('uses', zInt(1, 500).default(1), 'forums.arg.uses'),
    arg('days', zInt(1, 90).default(14), 'forums.arg.days'),
  ],
  examples: { en: ['invite create Llandrindod Wells Food Bank uses=3'], cy: ['gwahoddiad creu Banc Bwyd Llandrindod uses=3'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const org = a.organisation ? await forums.findOrganisation(ctx.db, forumOf(ctx).id, a.organisation) : undefined;
    const code = await forums.createInvite(ctx.db, forumOf(ctx).id, { organisationId: org?.id, uses: a.uses, days: a.days }, ctx.now());
    return { visibility: 'ephemeral', message: say(ctx.t('forums.invite.created', { code, uses: a.uses, days: a.days })) };
  },
});

const join = defineCommand({
  names: { en: 'join', cy: 'ymuno' },
  group: 'forums',
  summary: 'forums.cmd.join',
  args: [
    arg('forum', z.string().optional(), 'forums.arg.forum', { positional: true, rest: true }),
    arg('organisation', z.string().trim().min(2).max(120).optional(), 'forums.arg.organisation'),
    arg('code', z.string().trim().regex(/^[0-9A-Fa-f]{10}$/, 'forums.invite.bad').optional(), 'forums.arg.code'),
  ],
  examples: { en: ['join organisation="Llandrindod Wells Food Bank"', 'join code=3F9A1C22B0'], cy: ['ymuno organisation="Banc Bwyd Llandrindod"', 'ymuno code=3F9A1C22B0'] },
  permission: 'anyone',
  changesNames: true,
  needsForum: false,
  async run(ctx, a) {
    if (a.code) {
      await forums.joinWithCode(ctx.db, ctx.person.id, a.code, ctx.now());
      return say(ctx.t('forums.join.welcome', { name: ctx.person.displayName }));
    }
    const forum = a.forum ? await forums.findForum(ctx.db, a.forum) : ctx.forum;
    if (!forum) return say(ctx.t('core.forum.none'));
    const request = await forums.requestJoin(ctx.db, forum.id, ctx.person.id, a.organisation);
    await ctx.db.person.update({ where: { id: ctx.person.id }, data: { currentForumId: forum.id } });
    const officers = await forums.peopleWithRole(ctx.db, forum.id, 'OFFICER');
    await ctx.broadcasts.broadcast(forum.id, 'join-request', (t) => requestCard(t, request.id, ctx.person.displayName, a.organisation), {
      onlyPeople: officers,
      dedupeKey: `join:${request.id}:${request.createdAt.getTime()}:${request.decidedAt?.getTime() ?? 0}`,
    });
    return say(ctx.t('forums.join.requested', { forum: forum.name }));
  },
});

function requestCard(t: CommandContext['t'], id: string, who: string, organisation?: string | null): OutgoingMessage {
  const text = t('forums.request.line', { name: who, organisation: organisation ?? t('forums.request.noOrg') });
  return say(text, [
    { type: 'section', text },
    {
      type: 'buttons',
      buttons: [
        { label: t('forums.request.approve'), style: 'primary', action: { command: 'request approve', args: { id } } },
        { label: t('forums.request.reject'), style: 'danger', action: { command: 'request reject', args: { id } } },
      ],
    },
  ]);
}

const requests = defineCommand({
  names: { en: 'requests', cy: 'ceisiadau' },
  group: 'forums',
  summary: 'forums.cmd.requests',
  args: [],
  examples: { en: ['requests'], cy: ['ceisiadau'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx) {
    const pending = await ctx.db.membership.findMany({ where: { forumId: forumOf(ctx).id, status: 'PENDING' }, include: { person: true }, orderBy: { createdAt: 'asc' }, take: 20 });
    if (pending.length === 0) return say(ctx.t('forums.request.none'));
    const cards = pending.map((p) => requestCard(ctx.t, p.id, p.person.displayName, p.requestedOrganisation));
    return say(cards.map((c) => c.text).join('\n'), cards.flatMap((c) => [...(c.blocks ?? []), { type: 'divider' as const }]));
  },
});

const decide = (approve: boolean) =>
  defineCommand({
    names: approve ? { en: 'request approve', cy: 'cais cymeradwyo' } : { en: 'request reject', cy: 'cais gwrthod' },
    group: 'forums',
    summary: approve ? 'forums.cmd.approve' : 'forums.cmd.reject',
    args: [
      arg('id', z.string().uuid('forums.request.notFound'), 'forums.arg.requestId', { positional: true }),
      arg('organisation', z.string().optional(), 'forums.arg.organisation'),
    ],
    examples: { en: [`request ${approve ? 'approve' : 'reject'} 6f1c…`], cy: [`cais ${approve ? 'cymeradwyo' : 'gwrthod'} 6f1c…`] },
    permission: 'officer',
    changesNames: true,
    needsForum: true,
    hidden: true,
    async run(ctx, a) {
      const forumId = forumOf(ctx).id;
      let organisationId: string | undefined;
      if (approve) {
        const req = await ctx.db.membership.findFirst({ where: { id: a.id, forumId } });
        const orgName = a.organisation ?? req?.requestedOrganisation ?? undefined;
        if (orgName) {
          const existing = await ctx.db.organisation.findFirst({ where: { forumId, name: { equals: orgName, mode: 'insensitive' } } });
          organisationId = (existing ?? (await forums.addOrganisation(ctx.db, forumId, { name: orgName, interests: [] }))).id;
        }
      }
      const m = await forums.decideJoin(ctx.db, forumId, a.id, ctx.person.id, approve, ctx.now(), organisationId);
      await ctx.broadcasts.broadcast(forumId, 'join-decision', (t) => say(t(approve ? 'forums.join.approvedYou' : 'forums.join.rejectedYou', { forum: forumOf(ctx).name })), {
        onlyPeople: [m.personId],
        dedupeKey: `join-decision:${m.id}:${m.decidedAt?.getTime()}`,
      });
      return say(ctx.t(approve ? 'forums.request.approved' : 'forums.request.rejected', { name: m.person.displayName }));
    },
  });

const roleNames = ['member', 'representative', 'officer', 'returning_officer'] as const;
const ROLE_CHOICES = {
  member: 'forums.choice.role.member',
  representative: 'forums.choice.role.representative',
  officer: 'forums.choice.role.officer',
  returning_officer: 'forums.choice.role.returning_officer',
} as const;
const roleChange = (add: boolean) =>
  defineCommand({
    names: add ? { en: 'role add', cy: 'rôl ychwanegu' } : { en: 'role remove', cy: 'rôl dileu' },
    group: 'forums',
    summary: add ? 'forums.cmd.roleAdd' : 'forums.cmd.roleRemove',
    args: [arg('role', z.enum(roleNames), 'forums.arg.role', { positional: true, choices: ROLE_CHOICES }), arg('person', name(), 'forums.arg.person', { names: 'person', positional: true, rest: true })],
    examples: { en: [`role ${add ? 'add' : 'remove'} officer Siân Evans`], cy: [`rôl ${add ? 'ychwanegu' : 'dileu'} officer Siân Evans`] },
    permission: 'officer',
    needsForum: true,
    async run(ctx, a) {
      const m = await forums.setRole(ctx.db, forumOf(ctx).id, a.person, a.role.toUpperCase() as Role, add);
      return say(ctx.t(add ? 'forums.role.added' : 'forums.role.removed', { name: m.person.displayName, role: a.role }));
    },
  });

const dm = defineCommand({
  names: { en: 'messages', cy: 'negeseuon' },
  group: 'forums',
  summary: 'forums.cmd.dm',
  args: [arg('choice', z.enum(['on', 'off']), 'forums.arg.dm', { positional: true, choices: ON_OFF_CHOICES })],
  examples: { en: ['messages on'], cy: ['negeseuon on'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    await ctx.db.membership.update({ where: { id: ctx.membership!.id }, data: { dmOptIn: a.choice === 'on' } });
    return { visibility: 'ephemeral', message: say(ctx.t(a.choice === 'on' ? 'forums.dm.on' : 'forums.dm.off')) };
  },
});

const partnershipAdd = defineCommand({
  names: { en: 'partnership add', cy: 'partneriaeth ychwanegu' },
  group: 'forums',
  summary: 'forums.cmd.partnershipAdd',
  args: [
    arg('name', name(), 'forums.arg.partnershipName', { positional: true, rest: true }),
    arg('parent', z.string().optional(), 'forums.arg.parent'),
    arg('description', z.string().max(500).optional(), 'forums.arg.description'),
  ],
  examples: { en: [`partnership add Health and Social Care Board parent="Powys ${term('lsb', 'en', true)}"`], cy: [`partneriaeth ychwanegu Bwrdd Iechyd a Gofal Cymdeithasol parent="${term('lsb', 'cy', true)} Powys"`] },
  permission: 'officer',
  changesNames: true,
  needsForum: true,
  async run(ctx, a) {
    const p = await forums.addPartnership(ctx.db, forumOf(ctx).id, a);
    return say(ctx.t('forums.partnership.added', { name: p.name }));
  },
});

const partnershipList = defineCommand({
  names: { en: 'partnerships', cy: 'partneriaethau' },
  group: 'forums',
  summary: 'forums.cmd.partnerships',
  args: [],
  examples: { en: ['partnerships'], cy: ['partneriaethau'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx) {
    const all = await ctx.db.partnership.findMany({ where: { forumId: forumOf(ctx).id }, include: { _count: { select: { seats: true } } }, orderBy: { name: 'asc' } });
    if (all.length === 0) return say(ctx.t('forums.partnership.none'));
    const lines: string[] = [];
    const walk = (parentId: string | null, depth: number) => {
      for (const p of all.filter((x) => x.parentId === parentId)) {
        lines.push(`${'  '.repeat(depth)}• ${p.name} (${ctx.t('forums.seats.count', { count: p._count.seats })})`);
        walk(p.id, depth + 1);
      }
    };
    walk(null, 0);
    const text = `${ctx.t('forums.partnership.title', { forum: forumOf(ctx).name })}\n${lines.join('\n')}`;
    return say(text, [{ type: 'header', text: ctx.t('forums.partnership.title', { forum: forumOf(ctx).name }) }, { type: 'section', text: lines.join('\n') }]);
  },
});

const seatAdd = defineCommand({
  names: { en: 'seat add', cy: 'sedd ychwanegu' },
  group: 'forums',
  summary: 'forums.cmd.seatAdd',
  args: [
    arg('partnership', name(), 'forums.arg.partnership', { names: 'partnership' }),
    arg('label', name(80), 'forums.arg.seatLabel', { positional: true, rest: true }),
    arg('interest', z.string().max(80).optional(), 'forums.arg.interest'),
    arg('role', z.string().max(500).optional(), 'forums.arg.roleDescription'),
    arg('method', z.enum(methods).default('elected'), 'forums.arg.method', { choices: METHOD_CHOICES }),
    arg('term', zInt(1, 120).default(24), 'forums.arg.term'),
  ],
  examples: { en: ['seat add partnership="Health and Social Care Board" Mental health seat interest=health method=elected term=24'], cy: ['sedd ychwanegu partnership="Bwrdd Iechyd" Sedd iechyd meddwl interest=iechyd'] },
  permission: 'officer',
  changesNames: true,
  needsForum: true,
  async run(ctx, a) {
    const seat = await forums.addSeat(ctx.db, forumOf(ctx).id, {
      partnership: a.partnership, label: a.label, interestArea: a.interest, roleDescription: a.role, selectionMethod: toMethod(a.method), termMonths: a.term,
    });
    return say(ctx.t('forums.seat.added', { label: seat.label, partnership: seat.partnership.name, term: seat.termMonths }));
  },
});

const seatFill = defineCommand({
  names: { en: 'seat fill', cy: 'sedd llenwi' },
  group: 'forums',
  summary: 'forums.cmd.seatFill',
  args: [
    arg('partnership', name(), 'forums.arg.partnership', { names: 'partnership' }),
    arg('seat', name(80), 'forums.arg.seatLabel', { names: 'seat' }),
    arg('person', name(), 'forums.arg.person', { names: 'person', positional: true, rest: true }),
    arg('method', z.enum(methods).default('appointed'), 'forums.arg.method', { choices: METHOD_CHOICES }),
    arg('from', zDate.optional(), 'forums.arg.from'),
  ],
  examples: { en: ['seat fill partnership="Health and Social Care Board" seat="Mental health seat" Siân Evans method=appointed'], cy: ['sedd llenwi partnership="Bwrdd Iechyd" seat="Sedd iechyd meddwl" Siân Evans'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const { holding, seat, member } = await forums.fillSeat(ctx.db, forumOf(ctx).id, {
      partnership: a.partnership, seat: a.seat, person: a.person, filledBy: toMethod(a.method), startsOn: a.from ?? ctx.now(),
    });
    return say(ctx.t('forums.seat.filled', { name: member.person.displayName, label: seat.label, partnership: seat.partnership.name, until: formatDate(holding.endsOn, ctx.locale) }));
  },
});

const seatVacate = defineCommand({
  names: { en: 'seat vacate', cy: 'sedd gwagio' },
  group: 'forums',
  summary: 'forums.cmd.seatVacate',
  args: [arg('partnership', name(), 'forums.arg.partnership', { names: 'partnership' }), arg('seat', name(80), 'forums.arg.seatLabel', { names: 'seat', positional: true, rest: true })],
  examples: { en: ['seat vacate partnership="Health and Social Care Board" Mental health seat'], cy: ['sedd gwagio partnership="Bwrdd Iechyd" Sedd iechyd meddwl'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const seat = await forums.vacateSeat(ctx.db, forumOf(ctx).id, a.partnership, a.seat, ctx.now());
    return say(ctx.t('forums.seat.vacated', { label: seat.label, partnership: seat.partnership.name }));
  },
});

/** "who represents us on the Health Board?" → the seats and their holders. */
const whoRepresents = defineCommand({
  names: { en: 'who represents', cy: 'pwy sy’n cynrychioli' },
  group: 'forums',
  summary: 'forums.cmd.whoRepresents',
  args: [arg('partnership', z.string().transform(cleanQuestion).pipe(name()), 'forums.arg.partnership', { names: 'partnership', positional: true, rest: true })],
  examples: { en: ['who represents us on Health and Social Care Board?'], cy: ['pwy sy’n cynrychioli ni ar Fwrdd Iechyd?'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const p = await forums.whoRepresents(ctx.db, forumOf(ctx).id, a.partnership, ctx.now());
    const fields = p.seats.map((s) => {
      const h = s.holder;
      const value = h
        ? ctx.t('forums.register.holder', { name: h.name, organisation: h.organisation ?? '—', how: ctx.t(`forums.method.${h.filledBy}`), until: formatDate(h.endsOn, ctx.locale) })
        : ctx.t('forums.register.vacant');
      return { label: s.label + (s.interestArea ? ` (${s.interestArea})` : ''), value };
    });
    const title = ctx.t('forums.register.title', { partnership: p.name });
    const extra = p.children.length ? ctx.t('forums.register.subgroups', { names: p.children.join(', ') }) : '';
    const body = fields.length ? fields.map((f) => `• ${f.label}: ${f.value}`).join('\n') : ctx.t('forums.register.noSeats');
    const blocks: Block[] = [{ type: 'header', text: title }];
    if (fields.length) blocks.push({ type: 'fields', fields });
    else blocks.push({ type: 'section', text: body });
    if (extra) blocks.push({ type: 'section', text: extra });
    return say([title, body, extra].filter(Boolean).join('\n'), blocks);
  },
});

/** "what seats does Siân Evans hold?" */
const seatsHeld = defineCommand({
  names: { en: 'what seats does', cy: 'pa seddi sydd gan' },
  group: 'forums',
  summary: 'forums.cmd.seatsHeld',
  args: [arg('person', z.string().transform((s) => cleanQuestion(s).replace(/\s+(hold|have|ei dal|eu dal)$/i, '')).pipe(name()), 'forums.arg.person', { names: 'person', positional: true, rest: true })],
  examples: { en: ['what seats does Siân Evans hold?'], cy: ['pa seddi sydd gan Siân Evans?'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const { member, holdings } = await forums.seatsHeldBy(ctx.db, forumOf(ctx).id, a.person, ctx.now());
    if (holdings.length === 0) return say(ctx.t('forums.register.holdsNone', { name: member.person.displayName }));
    const lines = holdings.map((h) => `• ${h.seat.partnership.name}: ${h.seat.label} (${ctx.t(`forums.method.${h.filledBy}`)}, ${ctx.t('forums.register.until', { date: formatDate(h.endsOn, ctx.locale) })})`);
    return say(`${ctx.t('forums.register.holds', { name: member.person.displayName, count: holdings.length })}\n${lines.join('\n')}`);
  },
});

const coverage = defineCommand({
  names: { en: 'coverage', cy: 'cwmpas' },
  group: 'forums',
  summary: 'forums.cmd.coverage',
  args: [],
  examples: { en: ['coverage'], cy: ['cwmpas'] },
  permission: 'member',
  needsForum: true,
  async run(ctx) {
    const r = await forums.forumCoverage(ctx.db, forumOf(ctx).id, ctx.now());
    const t = ctx.t;
    const none = t('forums.coverage.none');
    const fields = [
      { label: t('forums.coverage.vacant', { count: r.vacant.length }), value: r.vacant.map((v) => `${v.partnership}: ${v.label}`).join('\n') || none },
      { label: t('forums.coverage.ending', { count: r.endingSoon.length }), value: r.endingSoon.map((v) => `${v.partnership}: ${v.label} (${v.personName}, ${formatDate(v.endsOn, ctx.locale)})`).join('\n') || none },
      { label: t('forums.coverage.overloaded', { count: r.overloaded.length }), value: r.overloaded.map((v) => `${v.personName}: ${v.seats}`).join('\n') || none },
      { label: t('forums.coverage.invited', { count: r.invited.length }), value: r.invited.map((v) => `${v.partnership}: ${v.label} (${v.personName})`).join('\n') || none },
    ];
    const title = t('forums.coverage.title', { forum: forumOf(ctx).name });
    const tables: Block[] = coverageTables(t, ctx.locale, r).map((table) =>
      table.rows.length ? { type: 'table', table } : { type: 'fields', fields: [{ label: table.caption!, value: none }] },
    );
    return say([title, ...fields.map((f) => `${f.label}\n${f.value}`)].join('\n\n'), [{ type: 'header', text: title }, ...tables]);
  },
});

/** Strips the question around a name: "us on the Health Board?" → "Health Board". */
function cleanQuestion(s: string): string {
  return s.trim().replace(/[?？.]+$/, '').replace(/^(us\s+)?(on|at)\s+(the\s+)?/i, '').replace(/^(ni\s+)?(ar|yn)\s+(y\s+|yr\s+)?/i, '').trim();
}

export const forumCommands = [
  forumCreate, forumUse, forumSettings, channelLink, channelUnlink, orgAdd, inviteCreate, join, requests, decide(true), decide(false),
  roleChange(true), roleChange(false), dm, partnershipAdd, partnershipList, seatAdd, seatFill, seatVacate, whoRepresents, seatsHeld, coverage,
];
