import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { WebServer } from '../../web/server.ts';
import { createHarness, type Harness } from '../../../test/support/harness.ts';
import { updatesRoutes } from './updates.routes.ts';

let h: Harness;
let server: WebServer;
let base: string;
let secret: string;

beforeAll(async () => {
  h = await createHarness({ now: '2026-11-22T10:00:00Z' });
  await h.ask('officer', 'forum create Wiltshire Assembly cvc="Community First" slug=wiltshire');
  await h.ask('officer', 'channel link', { conversation: 'fake:channel:news' });
  const replies = await h.say('officer', 'update webhook');
  expect(replies[0].visibility).toBe('direct');
  secret = /X-Forumbot-Secret: (\S+)/.exec(replies[0].message.text)![1];
  server = new WebServer(createLogger('error'));
  server.add(...updatesRoutes(h.app.services));
  base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
});
afterAll(async () => {
  await server?.close();
  await h?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const count = () => h.app.services.db.update.count();
const item = { id: 'pct-77', title: 'Community hospital beds', body: 'The PCT proposes to move beds.', themes: ['health'], partnership: 'Health and Social Care Board' };

describe('inbound webhook over HTTP', () => {
  it('a wrong or missing secret is 401 and nothing is stored', async () => {
    for (const headers of <Record<string, string>[]>[{ 'x-forumbot-secret': 'guess' }, {}, { authorization: `Bearer ${secret}x` }, { 'x-forumbot-secret': secret.slice(0, -1) }]) {
      const res = await post('/hooks/updates/wiltshire', item, headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'wrong or missing secret' });
    }
    // an unknown forum answers the same, so names cannot be probed
    expect((await post('/hooks/updates/nowhere', item, { 'x-forumbot-secret': secret })).status).toBe(401);
    expect(await count()).toBe(0);
  });

  it('the right secret stores and announces the update once, however often it is sent', async () => {
    const res = await post('/hooks/updates/wiltshire', item, { 'x-forumbot-secret': secret });
    expect(res.status).toBe(201);
    const again = await post('/hooks/updates/wiltshire', item, { authorization: `Bearer ${secret}` });
    expect([again.status, await again.json()]).toEqual([200, { duplicate: true }]);
    expect(await count()).toBe(1);
    await h.app.services.broadcasts.idle();
    await h.app.services.broadcasts.deliverDue();
    expect(h.adapter.to('fake:channel:news')).toEqual([expect.stringMatching(/^Update: Community hospital beds/)]);
  });

  it('bad input is 400 with what to fix, and nothing stored', async () => {
    const h400 = async (body: unknown) => {
      const res = await post('/hooks/updates/wiltshire', body, { 'x-forumbot-secret': secret });
      expect(res.status).toBe(400);
      return JSON.stringify(await res.json());
    };
    expect(await h400('{not json')).toContain('must be JSON');
    expect(await h400({ ...item, id: 'x1', title: 'x'.repeat(201) })).toContain('title');
    expect(await h400({ ...item, id: 'x2', themes: ['potholes'] })).toContain('“potholes” is not one of the forum’s themes');
    expect(await h400({ ...item, id: 'x3', consultation: { runBy: 'Wiltshire Council', opens: '2026-12-01', closes: '2026-11-30' } })).toContain('closing date must be after the opening date');
    expect(await h400({ ...item, id: 'x4', consultation: { runBy: 'Wiltshire Council', opens: '2026-01-01', closes: '2026-02-01' } })).toContain('closing date is in the past');
    expect(await count()).toBe(1);
  });

  it('a three-day consultation arriving by webhook is flagged', async () => {
    const res = await post(
      '/hooks/updates/wiltshire',
      { id: 'pct-78', title: 'Service reconfiguration', themes: ['health'], consultation: { runBy: 'Wiltshire PCT', opens: '2026-11-23', closes: '2026-11-26' } },
      { 'x-forumbot-secret': secret },
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ shortConsultation: true, lengthDays: 3 });
  });
});
