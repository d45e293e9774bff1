import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { visibleText } from '../../adapters/teams/render.ts';
import { startTeamsBot, type TeamsBot } from '../scenarios/teams-driver.ts';

/**
 * Issue 7's fault tests for Teams: the connector fails, throttles, hangs up, answers slowly, and
 * Teams delivers the same activity twice. What the connector finally received is asserted; the
 * only timing checked is a lower bound the platform demands (Retry-After), never a speed.
 */
describe('Teams faults', () => {
  let bot: TeamsBot;
  let forumId: string;
  const CHANNEL = '19:announcements@thread.tacv2';
  const OFFICER_CHAT = 'a:personal-29:officer';
  const toPath = (conversationId: string) => (path: string) => path.startsWith(`/v3/conversations/${encodeURIComponent(conversationId)}/activities`);
  const attemptsTo = (conversationId: string, from = 0) => bot.connector.attempts.slice(from).filter((a) => toPath(conversationId)(a.path));
  const texts = (conversationId: string, from = 0) => bot.connector.to(conversationId, from).map((r) => visibleText(r.activity as never));

  const say = async (text: string) => {
    const [res] = await bot.client.post(bot.client.message('officer', text, bot.client.personal('officer')));
    expect(res.status).toBe(200);
  };
  const broadcast = async (text: string) => {
    const id = await bot.app.services.broadcasts.broadcast(forumId, 'test', () => ({ text }), { includeDirect: false });
    await bot.app.services.broadcasts.idle();
    return id;
  };
  const delivery = (broadcastId: string) => bot.db.delivery.findFirstOrThrow({ where: { broadcastId, target: `teams:${CHANNEL}` } });

  beforeAll(async () => {
    bot = await startTeamsBot();
    await bot.client.post(bot.client.install('officer', bot.client.personal('officer')));
    await say('forum create Gwynedd Third Sector Forum cvc="Mantell Gwynedd"');
    forumId = (await bot.db.forum.findFirstOrThrow()).id;
    await bot.client.post(bot.client.install('officer', bot.client.channel('announcements')));
    await bot.client.post(bot.client.message('officer', 'channel link', bot.client.channel('announcements')));
  }, 60_000);
  beforeEach(() => bot.connector.clearFaults());
  afterAll(async () => bot?.close());

  it('a connector 500 on a broadcast is retried and the post delivered once', async () => {
    const mark = bot.connector.attempts.length;
    const from = bot.connector.activities.length;
    bot.connector.inject({ kind: 'status', status: 500 }, 1, toPath(CHANNEL));
    const id = await broadcast('Consultation closes on 5 March.');
    expect(attemptsTo(CHANNEL, mark).map((a) => a.fault ?? 'ok')).toEqual(['500', 'ok']);
    expect(texts(CHANNEL, from)).toEqual(['Consultation closes on 5 March.']);
    expect((await delivery(id)).status).toBe('SENT');
  });

  it('a connector 500 on a reply is retried and the reply delivered once', async () => {
    const mark = bot.connector.attempts.length;
    const from = bot.connector.activities.length;
    bot.connector.inject({ kind: 'status', status: 502 }, 1, toPath(OFFICER_CHAT));
    await say('organisation add Bangor Food Bank');
    expect(attemptsTo(OFFICER_CHAT, mark).map((a) => a.fault ?? 'ok')).toEqual(['502', 'ok']);
    expect(texts(OFFICER_CHAT, from)).toHaveLength(1);
  });

  it('a 5xx that outlasts the SDK’s retries fails the attempt; the core retries the broadcast later and it is delivered', async () => {
    const from = bot.connector.activities.length;
    bot.connector.inject({ kind: 'status', status: 503 }, 4, toPath(CHANNEL));
    const id = await broadcast('Tender alert: meals on wheels.');
    const first = await delivery(id);
    expect(first.status).toBe('PENDING');
    expect(first.lastError).toMatch(/Teams connector: 503/);
    bot.clock.now = new Date(bot.clock.now.getTime() + 60_000);
    await bot.app.services.broadcasts.deliverDue();
    expect((await delivery(id)).status).toBe('SENT');
    expect(texts(CHANNEL, from)).toEqual(['Tender alert: meals on wheels.']);
  });

  it('a reply whose sends all fail in the turn is retried after it, and Teams is not made to redeliver', async () => {
    const from = bot.connector.activities.length;
    bot.connector.inject({ kind: 'status', status: 500 }, 4, toPath(OFFICER_CHAT));
    await say('organisation add Caernarfon Men’s Shed');
    await bot.teams.idle();
    const got = texts(OFFICER_CHAT, from);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/Caernarfon Men’s Shed/);
  });

  it('a 429 with Retry-After 1 s is delivered, no sooner than a second later', async () => {
    const mark = bot.connector.attempts.length;
    const from = bot.connector.activities.length;
    bot.connector.inject({ kind: 'status', status: 429, retryAfterSeconds: 1 }, 1, toPath(CHANNEL));
    const id = await broadcast('Forum meeting moved to Thursday.');
    const [throttled, delivered] = attemptsTo(CHANNEL, mark);
    expect(throttled.fault).toBe('429');
    expect(delivered.fault).toBeUndefined();
    expect(delivered.at - throttled.at).toBeGreaterThanOrEqual(1000);
    expect(texts(CHANNEL, from)).toEqual(['Forum meeting moved to Thursday.']);
    expect((await delivery(id)).status).toBe('SENT');
  });

  it('a dropped connection is retried and the post delivered', async () => {
    const mark = bot.connector.attempts.length;
    const from = bot.connector.activities.length;
    bot.connector.inject({ kind: 'drop' }, 1, toPath(CHANNEL));
    await broadcast('Election results are out.');
    expect(attemptsTo(CHANNEL, mark).map((a) => a.fault ?? 'ok')).toEqual(['drop', 'ok']);
    expect(texts(CHANNEL, from)).toEqual(['Election results are out.']);
  });

  it('a slow connector delays the reply but it arrives, once', async () => {
    const from = bot.connector.activities.length;
    bot.connector.inject({ kind: 'slow', ms: 1500 }, 1, toPath(OFFICER_CHAT));
    await say('organisation add Pwllheli Lifeboat Friends');
    expect(texts(OFFICER_CHAT, from)).toHaveLength(1);
    expect(await bot.db.organisation.count({ where: { name: 'Pwllheli Lifeboat Friends' } })).toBe(1);
  });

  it('the same activity delivered twice has one effect', async () => {
    const from = bot.connector.activities.length;
    const activity = bot.client.message('officer', 'organisation add Dolgellau Community Choir', bot.client.personal('officer'));
    const answers = await bot.client.post(activity, 2);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(await bot.db.organisation.count({ where: { name: 'Dolgellau Community Choir' } })).toBe(1);
    expect(texts(OFFICER_CHAT, from)).toHaveLength(1);
  });

  it('a card action delivered twice has one effect', async () => {
    await bot.client.post(bot.client.install('nia', bot.client.personal('nia')));
    await bot.client.post(bot.client.message('nia', 'join organisation="Bangor Food Bank"', bot.client.personal('nia')));
    await bot.app.services.broadcasts.idle();
    const card = bot.connector.to(OFFICER_CHAT).at(-1)!;
    const body = (card.activity.attachments as { content: { body: { type: string; actions?: { title: string; data: Record<string, unknown> }[] }[] } }[])[0].content.body;
    const approve = body.find((e) => e.type === 'ActionSet')!.actions!.find((a) => /Approve/.test(a.title))!;
    const invoke = bot.client.execute('officer', bot.client.personal('officer'), card.id, approve.data);
    const from = bot.connector.activities.length;
    const answers = await bot.client.post(invoke, 2);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await bot.app.services.broadcasts.idle();
    expect(texts('a:personal-29:nia', from).filter((t) => /approved/.test(t))).toHaveLength(1);
    const [nia] = await bot.db.membership.findMany({ where: { forumId, person: { displayName: 'nia' } } });
    expect(nia.status).toBe('ACTIVE');
  });
});
