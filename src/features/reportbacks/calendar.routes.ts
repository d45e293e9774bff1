import type { BotServices } from '../../core/context.ts';
import { sendError, type WebRoutes } from '../../web/server.ts';
import { buildCalendar } from './ical.ts';
import { calendarMeetings } from './meetings.service.ts';

/** GET /calendar/<forum-slug>.ics: the forum's partnership meetings as an iCalendar feed. */
export function calendarRoutes(services: BotServices): WebRoutes[] {
  const plugin: WebRoutes = async (app) => {
    app.get<{ Params: { file: string } }>('/calendar/:file', async (req, reply) => {
      const m = /^([a-z0-9-]{1,60})\.ics$/.exec(req.params.file);
      const found = m ? await calendarMeetings(services.db, m[1], services.now()) : null;
      if (!found) return sendError(reply, 404, 'web.error.notFound');
      const { forum, meetings } = found;
      const t = services.i18n.translator(forum.defaultLocale === 'cy' ? 'cy' : 'en');
      const body = buildCalendar({
        name: t('reportbacks.calendar.name', { forum: forum.name }),
        prodId: '-//forumbot//report-backs//EN',
        now: services.now(),
        events: meetings.map((x) => ({
          uid: `meeting-${x.id}@forumbot`,
          start: x.startsAt,
          end: x.endsAt,
          summary: x.partnership.name,
          location: x.place,
          url: x.papersUrl ?? (x.place && /^https?:\/\//.test(x.place) ? x.place : null),
          description: x.papersUrl ? t('reportbacks.calendar.papers', { url: x.papersUrl }) : null,
          cancelled: x.cancelled,
          created: x.createdAt,
          lastModified: x.updatedAt,
        })),
      });
      return reply
        .headers({
          'content-type': 'text/calendar; charset=utf-8',
          'content-disposition': `inline; filename="${forum.slug}.ics"`,
          'cache-control': 'public, max-age=300',
        })
        .send(body);
    });
  };
  return [plugin];
}
