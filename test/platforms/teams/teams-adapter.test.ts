import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamsChatAdapter } from '../../../adapters/teams/teams-adapter.ts';
import { visibleText } from '../../../adapters/teams/render.ts';
import { createApp } from '../../../src/app.ts';
import { createLogger } from '../../../src/core/logger.ts';
import { WebServer } from '../../../src/web/server.ts';
import { startTeamsBot, type TeamsBot } from '../../scenarios/teams-driver.ts';
import { testDatabase } from '../../support/database.ts';
import { BOT, TENANT, TeamsClient, type Where } from './client.ts';
import type { RecordedActivity } from './connector.ts';

const texts = (rs: RecordedActivity[]) => rs.map((r) => visibleText(r.activity as never)).join('\n');

describe('the Teams adapter against the Teams stand-in', () => {
  let bot: TeamsBot;
  let forumId: string;
  const announcements = () => bot.client.channel('announcements');

  /** posts as Teams would and answers what the connector received meanwhile */
  const say = async (user: string, text: string, where: Where) => {
    const mark = bot.connector.activities.length;
    const [res] = await bot.client.post(bot.client.message(user, text, where));
    expect(res.status).toBe(200);
    return bot.connector.activities.slice(mark);
  };

  beforeAll(async () => {
    bot = await startTeamsBot();
    await bot.client.post(bot.client.install('officer', bot.client.personal('officer')));
    await say('officer', 'forum create Powys Third Sector Forum cvc="PAVO"', bot.client.personal('officer'));
    forumId = (await bot.db.forum.findFirstOrThrow()).id;
  }, 60_000);
  afterAll(async () => bot?.close());

  it('stores the conversation reference when installed in a team', async () => {
    const [res] = await bot.client.post(bot.client.install('officer', announcements()));
    expect(res.status).toBe(200);
    const row = await bot.db.teamsConversation.findUniqueOrThrow({ where: { ref: 'teams:19:announcements@thread.tacv2' } });
    expect(row).toMatchObject({ conversationId: '19:announcements@thread.tacv2', conversationType: 'channel', serviceUrl: bot.connector.url, tenantId: TENANT, botId: BOT.id });
    const personal = await bot.db.teamsConversation.findUniqueOrThrow({ where: { ref: 'teams:dm:29:officer' } });
    expect(personal).toMatchObject({ conversationId: 'a:personal-29:officer', conversationType: 'personal', userId: '29:officer' });
  });

  it('answers an @mention in a channel in its thread, without the mention in the command', async () => {
    const got = await say('officer', 'channel link', announcements());
    expect(got).toHaveLength(1);
    expect(got[0].conversationId).toMatch(/^19:announcements@thread\.tacv2;messageid=f:/);
    expect(got[0].replyToId).toBe(got[0].conversationId.split(';messageid=')[1]);
    expect(texts(got)).toMatch(/will receive announcements/);
  });

  it('posts a broadcast to a linked channel as a new post, proactively', async () => {
    const mark = bot.connector.activities.length;
    await bot.app.services.broadcasts.broadcast(forumId, 'test', () => ({ text: 'The LSB meets on Friday.' }));
    await bot.app.services.broadcasts.idle();
    const posted = bot.connector.activities.slice(mark).filter((a) => a.conversationId === '19:announcements@thread.tacv2');
    expect(posted).toHaveLength(1);
    expect(posted[0].replyToId).toBeUndefined();
    expect(posted[0].activity).toMatchObject({ type: 'message', text: 'The LSB meets on Friday.', from: { id: BOT.id } });
  });

  it('writes privately to someone seen only in a channel, opening the chat with them first', async () => {
    await say('gwen', 'help', bot.client.channel('general'));
    expect(await bot.db.teamsConversation.findUniqueOrThrow({ where: { ref: 'teams:dm:29:gwen' } })).toMatchObject({ conversationId: null, serviceUrl: bot.connector.url });
    const person = await bot.db.account.findFirstOrThrow({ where: { platform: 'teams', platformUserId: '29:gwen' } });
    await bot.app.services.broadcasts.broadcast(forumId, 'test', () => ({ text: 'Only for Gwen.' }), { onlyPeople: [person.personId] });
    await bot.app.services.broadcasts.idle();
    expect(bot.connector.createdConversations.at(-1)!.parameters).toMatchObject({ isGroup: false, members: [{ id: '29:gwen' }], tenantId: TENANT, bot: { id: BOT.id } });
    expect(texts(bot.connector.to('a:personal-29:gwen'))).toBe('Only for Gwen.');
    expect(await bot.db.teamsConversation.findUniqueOrThrow({ where: { ref: 'teams:dm:29:gwen' } })).toMatchObject({ conversationId: 'a:personal-29:gwen' });
  });

  it('sends a private answer asked for in a channel to the person’s chat, not the channel', async () => {
    const got = await say('gwen', 'link', bot.client.channel('general'));
    expect(got.map((g) => g.conversationId)).toEqual(['a:personal-29:gwen']);
    expect(texts(got)).toMatch(/\b[A-Z2-9]{8}\b/);
  });

  it('takes Action.Submit from older clients like Action.Execute', async () => {
    await bot.client.post(bot.client.install('hywel', bot.client.personal('hywel')));
    await say('hywel', 'join organisation="Brecon Youth Forum"', bot.client.personal('hywel'));
    await bot.app.services.broadcasts.idle();
    const card = bot.connector.to('a:personal-29:officer').at(-1)!;
    const action = ((card.activity.attachments as { content: { body: { type: string; actions?: { title: string; fallback: { type: string; data: Record<string, unknown> } }[] }[] } }[])[0].content.body.find((e) => e.type === 'ActionSet')!.actions!).find((a) => /Approve/.test(a.title))!;
    expect(action.fallback.type).toBe('Action.Submit');
    const mark = bot.connector.activities.length;
    const [res] = await bot.client.post(bot.client.submit('officer', bot.client.personal('officer'), card.id, action.fallback.data));
    expect(res.status).toBe(200);
    expect(texts(bot.connector.activities.slice(mark))).toMatch(/Approved/);
    expect(await bot.db.membership.count({ where: { forumId, status: 'ACTIVE', person: { displayName: 'hywel' } } })).toBe(1);
  });

  it('forgets a team it was removed from; a broadcast there then fails for good, logged, not silently', async () => {
    await bot.client.post(bot.client.install('officer', bot.client.channel('old-team')));
    await bot.client.post(bot.client.uninstall('officer', bot.client.channel('old-team')));
    expect(await bot.db.teamsConversation.findUnique({ where: { ref: 'teams:19:old-team@thread.tacv2' } })).toBeNull();
    await bot.db.channel.create({ data: { forumId, ref: 'teams:19:old-team@thread.tacv2', label: 'Old team' } });
    const id = await bot.app.services.broadcasts.broadcast(forumId, 'test', () => ({ text: 'Hello?' }));
    await bot.app.services.broadcasts.idle();
    const delivery = await bot.db.delivery.findFirstOrThrow({ where: { broadcastId: id, target: 'teams:19:old-team@thread.tacv2' } });
    expect(delivery.status).toBe('FAILED');
    expect(delivery.lastError).toMatch(/no Teams conversation stored/);
  });
});

describe('the Teams adapter with an app id (production)', () => {
  it('refuses activities without a Bot Framework token, and does nothing with them', async () => {
    const database = await testDatabase();
    const db = database.prisma;
    const log = createLogger('error', () => {});
    const teams = new TeamsChatAdapter({ db, log, appId: '00000000-0000-0000-0000-000000000001', appPassword: 'secret', tenantId: TENANT });
    const app = createApp({ db, adapters: [teams], log });
    const server = new WebServer(log);
    server.add(...teams.routes());
    await teams.start((e) => app.bot.handle(e, teams.capabilities));
    const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
    try {
      const client = new TeamsClient(base, { url: 'http://127.0.0.1:9/' } as never);
      const [res] = await client.post(client.message('mallory', 'forum create Evil Forum', client.personal('mallory')));
      expect(res.status).toBe(401);
      expect(await db.forum.count()).toBe(0);
      expect(await db.account.count()).toBe(0);
      expect(await db.teamsConversation.count()).toBe(0);
    } finally {
      await server.close();
      await database.close();
    }
  });
});
