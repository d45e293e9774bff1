import crypto from 'node:crypto';
import { z } from 'zod';
import { arg, defineCommand, zDate, zInt, zList } from '../../core/commands.ts';
import type { CommandContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { FRANCHISE_CHOICES } from '../forums/forums.i18n.ts';
import { formatDate } from '../../core/i18n.ts';
import type { BallotCandidate, Block, OutgoingMessage, Reply } from '../../core/messages.ts';
import type { Election } from '../../generated/prisma/client.ts';
import { announce, candidateLabel, candidateName, quoteTitle, resultMessage } from './announce.ts';
import { exportBlt } from './counting.service.ts';
import type { DeclaredResult } from './counting.service.ts';
import { advanceElection } from './elections.jobs.ts';
import * as elections from './elections.service.ts';
import { castBallot, checkReceipt, delegateVote, hasVoted, voterFor } from './voting.service.ts';
import type { CountMethod } from './counting/types.ts';

const say = (text: string, blocks?: Block[]): OutgoingMessage => (blocks ? { text, blocks } : { text });
const privately = (text: string, blocks?: Block[]): Reply => ({ visibility: 'ephemeral', message: say(text, blocks) });
const forumId = (ctx: CommandContext) => ctx.forum!.id;
const zRef = z.string().trim().min(1).max(200);
const zStatement = z.string().max(elections.STATEMENT_MAX, 'elections.statement.tooLongArg').optional();
const yesNo = z.enum(['yes', 'no', 'ie', 'na']).transform((v) => v === 'yes' || v === 'ie');
const electionArg = arg('election', zRef, 'elections.arg.election', { names: 'election', positional: true });
const find = (ctx: CommandContext, ref: string) => elections.findElection(ctx.db, forumId(ctx), ref);
const date = (ctx: CommandContext, d: Date) => formatDate(d, ctx.locale, true);

/** Moves the election on at once when its time has already come (the job would soon anyway). */
const catchUp = (ctx: CommandContext, e: Election) => advanceElection(ctx, e, ctx.now());

const open = defineCommand({
  names: { en: 'election open', cy: 'etholiad agor' },
  group: 'elections',
  summary: 'elections.cmd.open',
  args: [
    arg('title', z.string().trim().min(3).max(120), 'elections.arg.title', { positional: true, rest: true }),
    arg('partnership', z.string().trim().min(2).max(120), 'elections.arg.partnership', { names: 'partnership' }),
    arg('seats', zList.optional(), 'elections.arg.seats'),
    arg('method', z.enum(elections.METHODS).optional(), 'elections.arg.method', {
      choices: {
        'scottish-stv': 'elections.method.scottish-stv',
        'meek-stv': 'elections.method.meek-stv',
        av: 'elections.method.av',
        fptp: 'elections.method.fptp',
        block: 'elections.method.block',
      },
    }),
    arg('start', zDate.optional(), 'elections.arg.start'),
    arg('nominations', zInt(1, 90).default(14), 'elections.arg.nominationDays'),
    arg('gap', zInt(0, 30).default(1), 'elections.arg.gapDays'),
    arg('voting', zInt(1, 60).default(7), 'elections.arg.votingDays'),
    arg('franchise', z.enum(['organisation', 'individual']).optional(), 'elections.arg.franchise', {
      choices: FRANCHISE_CHOICES,
    }),
    arg('seconder', yesNo.default(false), 'elections.arg.seconder'),
    arg('ron', yesNo.default(true), 'elections.arg.ron'),
  ],
  examples: {
    en: ['election open Health Board 2027 partnership="Health and Social Care Board" method=scottish-stv nominations=14 voting=7 seconder=yes'],
    cy: ['etholiad agor Bwrdd Iechyd 2027 partnership="Bwrdd Iechyd" method=scottish-stv nominations=14 voting=7 seconder=ie'],
  },
  permission: 'returning_officer',
  changesNames: true,
  needsForum: true,
  async run(ctx, a) {
    const { election, seats, partnership } = await elections.createElection(
      ctx.db,
      forumId(ctx),
      ctx.person.id,
      {
        title: a.title, partnership: a.partnership, seats: a.seats, method: a.method, start: a.start ?? ctx.now(), nominationDays: a.nominations,
        gapDays: a.gap, votingDays: a.voting, franchise: a.franchise ? (a.franchise === 'individual' ? 'INDIVIDUAL' : 'ORGANISATION') : undefined,
        seconderRequired: a.seconder, ron: a.ron,
      },
      ctx.now(),
    );
    const now = await catchUp(ctx, election);
    return say(
      ctx.t('elections.opened', {
        title: election.title, partnership: partnership.name, seats: seats.map((s) => s.label).join(', '), method: ctx.t(`elections.method.${election.method as CountMethod}`),
        nominationsOpen: date(ctx, election.nominationsOpenAt), nominationsClose: date(ctx, election.nominationsCloseAt),
        votingOpen: date(ctx, election.votingOpenAt), votingClose: date(ctx, election.votingCloseAt), phase: ctx.t(`elections.phase.${now.phase}`),
      }),
    );
  },
});

const list = defineCommand({
  names: { en: 'elections', cy: 'etholiadau' },
  group: 'elections',
  summary: 'elections.cmd.list',
  args: [],
  examples: { en: ['elections'], cy: ['etholiadau'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx) {
    const all = await ctx.db.election.findMany({ where: { forumId: forumId(ctx) }, orderBy: { createdAt: 'desc' }, take: 20 });
    if (all.length === 0) return say(ctx.t('elections.none'));
    const lines = all.map((e) => `• ${e.title}: ${ctx.t(`elections.phase.${e.phase}`)}`);
    return say(`${ctx.t('elections.list.title')}\n${lines.join('\n')}`);
  },
});

const show = defineCommand({
  names: { en: 'election show', cy: 'etholiad dangos' },
  group: 'elections',
  summary: 'elections.cmd.show',
  args: [arg('election', zRef, 'elections.arg.election', { names: 'election', positional: true, rest: true })],
  examples: { en: ['election show "Health Board 2027"'], cy: ['etholiad dangos "Bwrdd Iechyd 2027"'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const e = await catchUp(ctx, await find(ctx, a.election));
    const candidates = (await ctx.db.candidate.findMany({ where: { electionId: e.id } })).sort(elections.candidateOrder);
    const status = (c: (typeof candidates)[number]) =>
      c.withdrawn ? ctx.t('elections.status.withdrawn')
        : c.isRon ? ''
          : !c.accepted ? ctx.t('elections.status.awaitingAcceptance')
            : e.seconderRequired && !c.seconderId ? ctx.t('elections.status.awaitingSeconder') : ctx.t('elections.status.standing');
    const lines = candidates.map((c) => `• ${candidateName(ctx.t, c)} ${status(c)}`.trimEnd() + (c.statement ? `\n  “${c.statement}”` : ''));
    const text = ctx.t('elections.show', {
      title: e.title, phase: ctx.t(`elections.phase.${e.phase}`), method: ctx.t(`elections.method.${e.method as CountMethod}`), seats: e.seatIds.length,
      franchise: ctx.t(`forums.franchise.${e.franchise}`), nominationsClose: date(ctx, e.nominationsCloseAt), votingOpen: date(ctx, e.votingOpenAt), votingClose: date(ctx, e.votingCloseAt),
    });
    const cancelled = e.phase === 'CANCELLED' ? `\n${ctx.t('elections.cancelledBecause', { reason: e.cancelReason ?? '' })}` : '';
    return say(`${text}${cancelled}\n${lines.join('\n') || ctx.t('elections.candidates.none')}`);
  },
});

const officerChange = (kind: 'extend' | 'close' | 'cancel') =>
  defineCommand({
    names: { extend: { en: 'election extend', cy: 'etholiad estyn' }, close: { en: 'election close', cy: 'etholiad cau' }, cancel: { en: 'election cancel', cy: 'etholiad canslo' } }[kind],
    group: 'elections',
    summary: `elections.cmd.${kind}`,
    args: [
      electionArg,
      ...(kind === 'extend' ? [arg('days', zInt(1, 60), 'elections.arg.days')] : []),
      ...(kind === 'cancel' ? [arg('reason', z.string().trim().min(3).max(500), 'elections.arg.reason', { positional: true, rest: true })] : []),
    ],
    examples: {
      extend: { en: ['election extend "Health Board 2027" days=7'], cy: ['etholiad estyn "Bwrdd Iechyd 2027" days=7'] },
      close: { en: ['election close "Health Board 2027"'], cy: ['etholiad cau "Bwrdd Iechyd 2027"'] },
      cancel: { en: ['election cancel "Health Board 2027" the board is being restructured'], cy: ['etholiad canslo "Bwrdd Iechyd 2027" mae’r bwrdd yn cael ei ad-drefnu'] },
    }[kind],
    permission: 'returning_officer',
    changesNames: true,
    needsForum: true,
    async run(ctx, a) {
      const e = await catchUp(ctx, await find(ctx, a.election));
      if (kind === 'extend') {
        const changed = await elections.extendElection(ctx.db, e, a.days!);
        await announce(ctx, changed, { kind: 'EXTENDED' }, `${changed.nominationsCloseAt.getTime()}-${changed.votingCloseAt.getTime()}`);
        return say(ctx.t('elections.extended', { title: e.title, nominations: date(ctx, changed.nominationsCloseAt), closes: date(ctx, changed.votingCloseAt) }));
      }
      if (kind === 'cancel') {
        const changed = await elections.cancelElection(ctx.db, e, a.reason!);
        await announce(ctx, changed, { kind: 'CANCELLED' });
        return say(ctx.t('elections.cancelled', { title: e.title }));
      }
      const changed = await elections.closeEarly(ctx.db, e, ctx.now());
      const after = await advanceElection(ctx, changed, ctx.now());
      return say(ctx.t('elections.closed', { title: e.title, phase: ctx.t(`elections.phase.${after.phase}`) }));
    },
  });

/**
 * `election advance E`: the next step now, instead of on its date. Asks first, saying what will
 * happen; the confirming button (or `confirm=yes` typed) carries the phase it was asked from.
 */
const advance = defineCommand({
  names: { en: 'election advance', cy: 'etholiad symud' },
  group: 'elections',
  summary: 'elections.cmd.advance',
  args: [
    arg('election', zRef, 'elections.arg.election', { names: 'election', positional: true, rest: true }),
    arg('confirm', yesNo.optional(), 'elections.arg.confirm'),
    arg('from', z.enum(['DRAFT', 'NOMINATIONS', 'NOMINATIONS_CLOSED', 'VOTING']).optional(), 'elections.arg.from', {
      choices: {
        DRAFT: 'elections.phase.DRAFT',
        NOMINATIONS: 'elections.phase.NOMINATIONS',
        NOMINATIONS_CLOSED: 'elections.phase.NOMINATIONS_CLOSED',
        VOTING: 'elections.phase.VOTING',
      },
    }),
  ],
  examples: { en: ['election advance "Health Board 2027"'], cy: ['etholiad symud "Bwrdd Iechyd 2027"'] },
  permission: 'returning_officer',
  changesNames: true,
  needsForum: true,
  async run(ctx, a) {
    const e = await catchUp(ctx, await find(ctx, a.election));
    const step = elections.advanceStepOf(e);
    if (!step) throw new AppError('elections.advance.nothing', { title: e.title, phase: ctx.t(`elections.phase.${e.phase}`) });
    if (!a.confirm) {
      const candidates = (await ctx.db.candidate.count({ where: { electionId: e.id, withdrawn: false, isRon: false } }));
      const ask = ctx.t(ADVANCE_ASK[step], { title: e.title, candidates, nominationsClose: date(ctx, e.nominationsCloseAt), votingOpen: date(ctx, e.votingOpenAt), votingClose: date(ctx, e.votingCloseAt) });
      return say(ask, [
        { type: 'section', text: ask },
        { type: 'buttons', buttons: [{ label: ctx.t(ADVANCE_BUTTON[step]), style: 'primary', action: { command: 'election advance', args: { election: e.id, confirm: 'yes', from: e.phase } } }] },
      ]);
    }
    const moved = await elections.advanceNow(ctx.db, e, a.from ?? e.phase, ctx.now());
    const after = await advanceElection(ctx, moved, ctx.now());
    return say(ctx.t('elections.advanced', { title: e.title, phase: ctx.t(`elections.phase.${after.phase}`) }));
  },
});

const ADVANCE_ASK = {
  openNominations: 'elections.advance.ask.openNominations',
  openVoting: 'elections.advance.ask.openVoting',
  count: 'elections.advance.ask.count',
} as const;
const ADVANCE_BUTTON = {
  openNominations: 'elections.advance.button.openNominations',
  openVoting: 'elections.advance.button.openVoting',
  count: 'elections.advance.button.count',
} as const;

// ---------------------------------------------------------------- nominations

const nominate = defineCommand({
  names: { en: 'nominate', cy: 'enwebu' },
  group: 'elections',
  summary: 'elections.cmd.nominate',
  args: [electionArg, arg('person', z.string().trim().min(2).max(120).optional(), 'elections.arg.person', { names: 'person', positional: true, rest: true }), arg('statement', zStatement, 'elections.arg.statement')],
  examples: { en: ['nominate "Health Board 2027" statement="I have run Brecon Mind for ten years…"', 'nominate "Health Board 2027" Siân Evans'], cy: ['enwebu "Bwrdd Iechyd 2027" statement="Rwyf wedi rhedeg Mind Aberhonddu ers deng mlynedd…"'] },
  permission: 'member',
  changesNames: true,
  needsForum: true,
  async run(ctx, a) {
    const e = await catchUp(ctx, await find(ctx, a.election));
    const { candidate, self } = await elections.nominate(ctx.db, e, ctx.person.id, a.person, a.statement, ctx.now());
    if (self) return say(ctx.t(e.seconderRequired ? 'elections.nominated.selfSeconder' : 'elections.nominated.self', { title: e.title, ref: quoteTitle(e.title) }));
    await ctx.broadcasts.broadcast(
      e.forumId,
      'election-nomination',
      (t) => {
        const text = t('elections.nominated.ask', { by: ctx.person.displayName, title: e.title, ref: quoteTitle(e.title) });
        return say(text, [
          { type: 'section', text },
          { type: 'buttons', buttons: [{ label: t('elections.nominated.acceptButton'), style: 'primary', action: { command: 'nomination accept', args: { election: e.id } } }] },
        ]);
      },
      { onlyPeople: [candidate.personId!], dedupeKey: `election:${e.id}:nominated:${candidate.id}:${ctx.now().getTime()}` },
    );
    return say(ctx.t('elections.nominated.other', { name: candidate.name, title: e.title }));
  },
});

const accept = defineCommand({
  names: { en: 'nomination accept', cy: 'enwebiad derbyn' },
  group: 'elections',
  summary: 'elections.cmd.accept',
  args: [electionArg, arg('statement', zStatement, 'elections.arg.statement')],
  examples: { en: ['nomination accept "Health Board 2027" statement="…"'], cy: ['enwebiad derbyn "Bwrdd Iechyd 2027" statement="…"'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const e = await catchUp(ctx, await find(ctx, a.election));
    await elections.acceptNomination(ctx.db, e, ctx.person.id, a.statement, ctx.now());
    return say(ctx.t('elections.accepted', { title: e.title }));
  },
});

const second = defineCommand({
  names: { en: 'second', cy: 'eilio' },
  group: 'elections',
  summary: 'elections.cmd.second',
  args: [electionArg, arg('candidate', z.string().trim().min(2).max(120), 'elections.arg.candidate', { names: 'candidate', positional: true, rest: true })],
  examples: { en: ['second "Health Board 2027" Siân Evans'], cy: ['eilio "Bwrdd Iechyd 2027" Siân Evans'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const e = await catchUp(ctx, await find(ctx, a.election));
    const c = await elections.secondNomination(ctx.db, e, ctx.person.id, a.candidate, ctx.now());
    return say(ctx.t('elections.seconded', { name: c.name, title: e.title }));
  },
});

const withdraw = defineCommand({
  names: { en: 'nomination withdraw', cy: 'enwebiad tynnu' },
  group: 'elections',
  summary: 'elections.cmd.withdraw',
  args: [electionArg],
  examples: { en: ['nomination withdraw "Health Board 2027"'], cy: ['enwebiad tynnu "Bwrdd Iechyd 2027"'] },
  permission: 'member',
  changesNames: true,
  needsForum: true,
  async run(ctx, a) {
    const e = await catchUp(ctx, await find(ctx, a.election));
    await elections.withdraw(ctx.db, e, ctx.person.id);
    return say(ctx.t('elections.withdrawn', { title: e.title }));
  },
});

// ---------------------------------------------------------------- voting

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const vote = defineCommand({
  names: { en: 'vote', cy: 'pleidleisio' },
  group: 'elections',
  summary: 'elections.cmd.vote',
  args: [electionArg, arg('receipt', z.string().max(40).optional(), 'elections.arg.receipt')],
  examples: { en: ['vote "Health Board 2027"', 'vote "Health Board 2027" receipt=ABCDE-FGHJK-LMNPQ-RSTUV'], cy: ['pleidleisio "Bwrdd Iechyd 2027"'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const e = await catchUp(ctx, await find(ctx, a.election));
    if (e.phase !== 'VOTING' || ctx.now() >= e.votingCloseAt) throw new AppError('elections.vote.closed', { title: e.title });
    const voter = await voterFor(ctx.db, e, ctx.person.id);
    if (!a.receipt && (await hasVoted(ctx.db, e.id, voter.voterKey))) return privately(ctx.t('elections.vote.alreadyHowToReplace', { ref: quoteTitle(e.title) }));
    const candidates = shuffled(await elections.standingCandidates(ctx.db, e));
    const ranked = e.method !== 'fptp';
    const on: BallotCandidate[] = candidates.map((c) => ({ id: c.id, name: candidateName(ctx.t, c), ...(c.statement ? { statement: c.statement } : {}) }));
    const submitArgs: Record<string, string> = { election: e.id, ...(a.receipt ? { receipt: a.receipt } : {}) };
    const title = ctx.t('elections.ballot.title', { title: e.title });
    const who = voter.organisationName ? ctx.t('elections.ballot.forOrganisation', { organisation: voter.organisationName }) : '';
    const instructions = [
      ctx.t(e.method === 'fptp' ? 'elections.ballot.howFptp' : e.method === 'block' ? 'elections.ballot.howBlock' : 'elections.ballot.howRanked', { seats: e.seatIds.length }),
      who,
      ctx.t('elections.ballot.closes', { closes: date(ctx, e.votingCloseAt) }),
    ].filter(Boolean).join(' ');
    const blocks: Block[] = ranked
      ? [{ type: 'ballot', ballot: { id: `ballot-${e.id}`, title, instructions, candidates: on, maxRanks: e.method === 'block' ? e.seatIds.length : undefined, submitLabel: ctx.t('elections.ballot.submit'), submit: { command: 'ballot cast', args: submitArgs } } }]
      : [
          { type: 'header', text: title },
          { type: 'section', text: instructions },
          ...on.filter((c) => c.statement).map((c) => ({ type: 'section' as const, text: `${c.name}: ${c.statement}` })),
          { type: 'buttons', buttons: on.map((c) => ({ label: c.name, action: { command: 'ballot cast', args: { ...submitArgs, ranking: c.id } } })) },
        ];
    const ballot = say(`${title}\n${instructions}`, blocks);
    if (ctx.event.isDirect) return { visibility: 'ephemeral', message: ballot };
    return [
      { visibility: 'direct', message: ballot },
      privately(ctx.t('elections.ballot.sentPrivately')),
    ];
  },
});

const cast = defineCommand({
  names: { en: 'ballot cast', cy: 'pleidlais bwrw' },
  group: 'elections',
  summary: 'elections.cmd.cast',
  args: [
    arg('election', zRef, 'elections.arg.election', { names: 'election' }),
    arg('ranking', z.string().max(4000).optional(), 'elections.arg.ranking'),
    arg('ranks', z.string().max(4000).optional(), 'elections.arg.ranks'),
    arg('receipt', z.string().max(40).optional(), 'elections.arg.receipt'),
  ],
  examples: { en: ['ballot cast election=… ranking=…'], cy: ['pleidlais bwrw election=… ranking=…'] },
  permission: 'member',
  needsForum: true,
  hidden: true,
  async run(ctx, a) {
    const { receipt, replaced, election: e } = await castBallot(ctx.db, forumId(ctx), a.election, ctx.person.id, { ranking: a.ranking, ranks: a.ranks }, a.receipt, ctx.now(), ctx.membership);
    return privately(ctx.t(replaced ? 'elections.cast.replaced' : 'elections.cast.done', { title: e.title, receipt, ref: quoteTitle(e.title) }));
  },
});

const delegate = defineCommand({
  names: { en: 'vote delegate', cy: 'pleidlais dirprwyo' },
  group: 'elections',
  summary: 'elections.cmd.delegate',
  args: [electionArg, arg('person', z.string().trim().min(2).max(120), 'elections.arg.person', { names: 'person', positional: true, rest: true })],
  examples: { en: ['vote delegate "Health Board 2027" Tom Williams'], cy: ['pleidlais dirprwyo "Bwrdd Iechyd 2027" Tom Williams'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const e = await find(ctx, a.election);
    const d = await delegateVote(ctx.db, e, ctx.person.id, a.person);
    return privately(ctx.t('elections.delegated', { name: d.delegate, organisation: d.organisation, title: e.title }));
  },
});

const designate = defineCommand({
  names: { en: 'voter designate', cy: 'pleidleisiwr dynodi' },
  group: 'elections',
  summary: 'elections.cmd.designate',
  args: [arg('organisation', z.string().trim().min(2).max(120), 'elections.arg.organisation', { names: 'organisation' }), arg('person', z.string().trim().min(2).max(120), 'elections.arg.person', { names: 'person', positional: true, rest: true })],
  examples: { en: ['voter designate organisation="Brecon Mind" Rhian Powell'], cy: ['pleidleisiwr dynodi organisation="Mind Aberhonddu" Rhian Powell'] },
  permission: 'officer',
  needsForum: true,
  async run(ctx, a) {
    const { findMember, findOrganisation } = await import('../forums/forums.service.ts');
    const org = await findOrganisation(ctx.db, forumId(ctx), a.organisation);
    const m = await findMember(ctx.db, forumId(ctx), a.person);
    if (m.organisationId !== org.id) throw new AppError('elections.designate.notMember', { name: m.person.displayName, organisation: org.name });
    await ctx.db.organisation.update({ where: { id: org.id }, data: { designatedVoterId: m.personId } });
    return say(ctx.t('elections.designated', { name: m.person.displayName, organisation: org.name }));
  },
});

const receipt = defineCommand({
  names: { en: 'receipt check', cy: 'derbynneb gwirio' },
  group: 'elections',
  summary: 'elections.cmd.receipt',
  args: [electionArg, arg('receipt', z.string().trim().min(4).max(40), 'elections.arg.receipt', { positional: true, rest: true })],
  examples: { en: ['receipt check "Health Board 2027" ABCDE-FGHJK-LMNPQ-RSTUV'], cy: ['derbynneb gwirio "Bwrdd Iechyd 2027" ABCDE-FGHJK-LMNPQ-RSTUV'] },
  permission: 'member',
  needsForum: true,
  async run(ctx, a) {
    const e = await find(ctx, a.election);
    const found = await checkReceipt(ctx.db, e, ctx.person.id, a.receipt);
    const choices = found.names.map((n, i) => `${i + 1}. ${candidateLabel(ctx.t, n)}`).join('\n');
    const key = e.phase === 'DECLARED' ? 'elections.receipt.counted' : 'elections.receipt.inBox';
    return privately(ctx.t(key, { title: e.title, hash: found.slot.slice(0, 16), choices }));
  },
});

// ---------------------------------------------------------------- the public record

const declaredOnly = async (ctx: CommandContext, ref: string) => {
  const e = await catchUp(ctx, await find(ctx, ref));
  if (e.phase !== 'DECLARED' || !e.result) throw new AppError('elections.result.notYet', { title: e.title, phase: ctx.t(`elections.phase.${e.phase}`) });
  return e;
};

const result = defineCommand({
  names: { en: 'election result', cy: 'etholiad canlyniad' },
  group: 'elections',
  summary: 'elections.cmd.result',
  args: [arg('election', zRef, 'elections.arg.election', { names: 'election', positional: true, rest: true })],
  examples: { en: ['election result "Health Board 2027"'], cy: ['etholiad canlyniad "Bwrdd Iechyd 2027"'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const e = await declaredOnly(ctx, a.election);
    return resultMessage(ctx.t, ctx.locale, e, e.result as unknown as DeclaredResult);
  },
});

const ballots = defineCommand({
  names: { en: 'election ballots', cy: 'etholiad papurau' },
  group: 'elections',
  summary: 'elections.cmd.ballots',
  args: [electionArg, arg('page', zInt(1, 100_000).default(1), 'elections.arg.page')],
  examples: { en: ['election ballots "Health Board 2027" page=2'], cy: ['etholiad papurau "Bwrdd Iechyd 2027" page=2'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const e = await declaredOnly(ctx, a.election);
    const per = 50;
    const total = await ctx.db.electionBallot.count({ where: { electionId: e.id } });
    const rows = await ctx.db.electionBallot.findMany({ where: { electionId: e.id }, orderBy: { slot: 'asc' }, skip: (a.page - 1) * per, take: per, select: { slot: true, ranking: true } });
    const names = new Map((await ctx.db.candidate.findMany({ where: { electionId: e.id } })).map((c) => [c.id, candidateName(ctx.t, c)]));
    const lines = rows.map((r) => `${r.slot.slice(0, 16)}  ${r.ranking.map((id) => names.get(id) ?? '?').join(' > ')}`);
    return say(`${ctx.t('elections.ballots.title', { title: e.title, total, page: a.page, pages: Math.max(1, Math.ceil(total / per)) })}\n${lines.join('\n')}`);
  },
});

const exportCmd = defineCommand({
  names: { en: 'election export', cy: 'etholiad allforio' },
  group: 'elections',
  summary: 'elections.cmd.export',
  args: [arg('election', zRef, 'elections.arg.election', { names: 'election', positional: true, rest: true })],
  examples: { en: ['election export "Health Board 2027"'], cy: ['etholiad allforio "Bwrdd Iechyd 2027"'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const e = await declaredOnly(ctx, a.election);
    const blt = await exportBlt(ctx.db, e);
    // the file as plain lines: each platform shows text as text, and no markdown fence is needed
    return say(`${ctx.t('elections.export.title', { title: e.title })}\n${blt}`);
  },
});

export const electionCommands = [
  open, list, show, advance, officerChange('extend'), officerChange('close'), officerChange('cancel'), nominate, accept, second, withdraw, vote, cast, delegate, designate, receipt,
  result, ballots, exportCmd,
];
