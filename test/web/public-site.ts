import { createApp } from '../../src/app.ts';
import { createLogger } from '../../src/core/logger.ts';
import { seedDemo } from '../../src/features/forums/demo.ts';
import { calendarRoutes } from '../../src/features/reportbacks/calendar.routes.ts';
import { publicRoutes } from '../../src/web/pages/public.routes.ts';
import { WebServer } from '../../src/web/server.ts';
import { testDatabase } from '../support/database.ts';

export const DEMO = 'demo-county-forum';

/** The demo forum, seeded, with the public site served on a free port. */
export async function publicSite() {
  const database = await testDatabase();
  const db = database.prisma;
  const now = new Date('2026-11-22T10:00:00Z');
  await seedDemo(db, now);
  const app = createApp({ db, adapters: [], log: createLogger('error'), now: () => now });
  const server = new WebServer(createLogger('error'));
  server.add(...publicRoutes(app.services), ...calendarRoutes(app.services));
  const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  return {
    db,
    base,
    async close() {
      await server.close();
      await app.services.broadcasts.stop();
      await database.close();
    },
  };
}

/** Every public page and export reachable from the forum's home, in a language: path → body. */
export async function crawl(base: string, lang: 'en' | 'cy'): Promise<Map<string, { status: number; type: string; body: string }>> {
  const seen = new Map<string, { status: number; type: string; body: string }>();
  const queue = [`/f/${DEMO}?lang=${lang}`];
  while (queue.length) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    const res = await fetch(base + path);
    const body = await res.text();
    const type = res.headers.get('content-type') ?? '';
    seen.set(path, { status: res.status, type, body });
    if (!type.startsWith('text/html')) continue;
    for (const m of body.matchAll(/href="([^"]+)"/g)) {
      const href = m[1].replace(/&amp;/g, '&');
      if (!href.startsWith('/f/') || href.startsWith('/f/_/') || href.includes('#')) continue;
      if (!seen.has(href) && !queue.includes(href)) queue.push(href);
    }
  }
  return seen;
}
