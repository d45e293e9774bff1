import { z } from 'zod';
import { arg, defineCommand } from '../../core/commands.ts';
import type { CommandContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import type { Block, OutgoingMessage } from '../../core/messages.ts';
import { zDay, zLink, zPartnership, zPlace, zTime } from './args.ts';
import * as meetings from './meetings.service.ts';
import { when } from './render.ts';
import { parseRepeat } from './schedule.ts';

const say = (text: string, blocks?: Block[]): OutgoingMessage => (blocks ? { text, blocks } : { text });
const forumOf = (ctx: CommandContext) => ctx.forum!;
/** Two hours after a start time, for a meeting entered without an end. */
const plusTwoHours = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return `${String(Math.min(h + 2, 23)).padStart(2, '0')}:${String(h + 2 > 23 ? 59 : m).padStart(2, '0')}`;
};
export const calendarPath = (slug: string) => `/calendar/${slug}.ics`;

const meetingAdd = defineCommand({
  names: { en: 'meeting add', cy: 'cyfarfod ychwanegu' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.meetingAdd',
  args: [
    arg('partnership', zPartnership, 'reportbacks.arg.partnership', { names: 'partnership', positional: true, rest: true }),
    arg('date', zDay, 'reportbacks.arg.date'),
    arg('start', zTime, 'reportbacks.arg.start'),
    arg('end', zTime.optional(), 'reportbacks.arg.end'),
    arg('place', zPlace, 'reportbacks.arg.place'),
    arg('papers', zLink, 'reportbacks.arg.papers'),
  ],
  examples: {
    en: ['meeting add Health and Social Care Board date=2027-01-12 start=14:00 end=16:00 place="County Hall, Llandrindod" papers=https://example.org/papers'],
    cy: ['cyfarfod ychwanegu Bwrdd Iechyd date=2027-01-12 start=14:00 end=16:00 place="Neuadd y Sir"'],
  },
  permission: 'representative',
  needsForum: true,
  async run(ctx, a) {
    const { meeting, partnership } = await meetings.addMeeting(
      ctx.db, forumOf(ctx).id, ctx.person.id, ctx.membership,
      { partnership: a.partnership, day: a.date, start: a.start, end: a.end ?? plusTwoHours(a.start), place: a.place, papers: a.papers },
      ctx.now(),
    );
    if (meeting.startsAt <= ctx.now()) {
      const text = ctx.t('reportbacks.meeting.addedPast', { partnership: partnership.name, when: when(meeting.startsAt, ctx.locale) });
      return say(text, [
        { type: 'section', text },
        { type: 'buttons', buttons: [{ label: ctx.t('reportbacks.meeting.fileButton'), style: 'primary', action: { command: 'reportback file', args: { meeting: meeting.id } } }] },
      ]);
    }
    return say(ctx.t('reportbacks.meeting.added', { partnership: partnership.name, when: when(meeting.startsAt, ctx.locale), path: calendarPath(forumOf(ctx).slug) }));
  },
});

const meetingRepeat = defineCommand({
  names: { en: 'meeting repeat', cy: 'cyfarfod ailadrodd' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.meetingRepeat',
  args: [
    arg('partnership', zPartnership, 'reportbacks.arg.partnership', { names: 'partnership', positional: true, rest: true }),
    arg('every', z.string().trim().min(3).max(60), 'reportbacks.arg.every'),
    arg('from', zDay, 'reportbacks.arg.from'),
    arg('until', zDay.optional(), 'reportbacks.arg.until'),
    arg('start', zTime, 'reportbacks.arg.start'),
    arg('end', zTime.optional(), 'reportbacks.arg.end'),
    arg('place', zPlace, 'reportbacks.arg.place'),
    arg('papers', zLink, 'reportbacks.arg.papers'),
  ],
  examples: {
    en: ['meeting repeat Health and Social Care Board every="second Tuesday" from=2027-01-01 start=14:00 end=16:00', 'meeting repeat Community Safety Partnership every=quarterly from=2027-01-07 start=10:00'],
    cy: ['cyfarfod ailadrodd Bwrdd Iechyd every="ail ddydd Mawrth" from=2027-01-01 start=14:00 end=16:00'],
  },
  permission: 'representative',
  needsForum: true,
  async run(ctx, a) {
    const rule = parseRepeat(a.every);
    if (!rule) throw new AppError('reportbacks.series.badPattern', { every: a.every });
    const { meetings: list, partnership } = await meetings.addSeries(
      ctx.db, forumOf(ctx).id, ctx.person.id, ctx.membership,
      { partnership: a.partnership, rule, from: a.from, until: a.until, start: a.start, end: a.end ?? plusTwoHours(a.start), place: a.place, papers: a.papers },
      ctx.now(),
    );
    const next = list.slice(0, 3).map((m) => `• ${when(m.startsAt, ctx.locale)}`).join('\n');
    return say(`${ctx.t('reportbacks.series.added', { partnership: partnership.name, count: list.length, path: calendarPath(forumOf(ctx).slug) })}\n${next}`);
  },
});

const meetingCancel = defineCommand({
  names: { en: 'meeting cancel', cy: 'cyfarfod canslo' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.meetingCancel',
  args: [arg('id', z.string().trim().min(1), 'reportbacks.arg.meetingId', { positional: true })],
  examples: { en: ['meeting cancel 6f1c…'], cy: ['cyfarfod canslo 6f1c…'] },
  permission: 'representative',
  needsForum: true,
  hidden: true,
  async run(ctx, a) {
    const m = await meetings.cancelMeeting(ctx.db, forumOf(ctx).id, ctx.person.id, ctx.membership, a.id, ctx.now());
    return say(ctx.t('reportbacks.meeting.cancelled', { partnership: m.partnership.name, when: when(m.startsAt, ctx.locale) }));
  },
});

const meetingList = defineCommand({
  names: { en: 'meetings', cy: 'cyfarfodydd' },
  group: 'reportbacks',
  summary: 'reportbacks.cmd.meetings',
  args: [arg('partnership', zPartnership.optional(), 'reportbacks.arg.partnership', { names: 'partnership', positional: true, rest: true })],
  examples: { en: ['meetings', 'meetings Health and Social Care Board'], cy: ['cyfarfodydd', 'cyfarfodydd Bwrdd Iechyd'] },
  permission: 'anyone',
  needsForum: true,
  async run(ctx, a) {
    const list = await meetings.upcomingMeetings(ctx.db, forumOf(ctx).id, ctx.now(), a.partnership);
    const feed = ctx.t('reportbacks.meeting.feed', { path: calendarPath(forumOf(ctx).slug) });
    if (!list.length) return say(`${ctx.t('reportbacks.meeting.none')}\n${feed}`);
    const lines = list.map((m) => `• ${when(m.startsAt, ctx.locale)}: ${m.partnership.name}${m.place ? ` (${m.place})` : ''}${m.papersUrl ? ` ${m.papersUrl}` : ''}`);
    const title = ctx.t('reportbacks.meeting.title');
    return say([title, ...lines, feed].join('\n'), [{ type: 'header', text: title }, { type: 'section', text: lines.join('\n') }, { type: 'section', text: feed }]);
  },
});

export const meetingCommands = [meetingAdd, meetingRepeat, meetingCancel, meetingList];
