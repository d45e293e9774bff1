import type { BotServices } from '../../core/context.ts';
import type { Route } from '../../web/server.ts';
import { sendJson } from '../../web/server.ts';
import { buildCalendar } from './ical.ts';
import { calendarMeetings } from './meetings.service.ts';

/** GET /calendar/<forum-slug>.ics: the forum's partnership meetings as an iCalendar feed. */
export function calendarRoutes(services: BotServices): Route[] {
  return [
    {
      method: 'GET',
      path: '/calendar/*',
      handler: async (_req, res, url) => {
        const m = /^\/calendar\/([a-z0-9-]{1,60})\.ics$/.exec(url.pathname);
        const found = m ? await calendarMeetings(services.db, m[1], services.now()) : null;
        if (!found) return sendJson(res, 404, { error: 'not found' });
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
        res.writeHead(200, {
          'content-type': 'text/calendar; charset=utf-8',
          'content-disposition': `inline; filename="${forum.slug}.ics"`,
          'cache-control': 'public, max-age=300',
        });
        res.end(body);
      },
    },
  ];
}
