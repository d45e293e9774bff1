import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackAdapter } from '../../adapters/slack/slack-adapter.ts';
import { AdapterSet, DeliveryError } from '../../src/core/adapter.ts';
import { BroadcastService } from '../../src/core/broadcast.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { allText } from '../scenarios/driver.ts';
import { slackDriver, type SlackScenarioDriver } from '../scenarios/slack-driver.ts';

/**
 * Slack's faults (issue 7): duplicate deliveries, rate limits with Retry-After, 5xx, dropped
 * connections and slow answers, made to happen by the stand-in while the real Bolt SDK runs.
 */
describe('Slack faults', () => {
  let d: SlackScenarioDriver;
  beforeAll(async () => {
    d = await slackDriver();
    await d.command('officer', 'help'); // warm up
  }, 60_000);
  afterAll(async () => d?.close());

  const dmOf = (user: string) => d.standIn.dmChannelOf(d.standIn.userId(user));
  const postsTo = (channel: string, from: number) => d.standIn.since(from).filter((c) => c.method === 'chat.postMessage' && c.body.channel === channel);

  it('an event delivered twice (x-slack-retry-num) has one effect', async () => {
    const mark = d.standIn.calls.length;
    const delivery = await d.standIn.directMessage('owain', 'forum create Powys Third Sector Forum cvc="PAVO"', { duplicate: true });
    await d.adapter.idle();
    expect(delivery.retries).toBe(1);
    expect(d.standIn.deliveries.slice(-2).map((x) => [x.retryNum, x.status])).toEqual([[0, 200], [1, 200]]);
    expect(await d.db.forum.count({ where: { name: 'Powys Third Sector Forum' } })).toBe(1);
    const replies = postsTo(dmOf('owain'), mark);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0].body.blocks)).toMatch(/created/);
  });

  it('the same event id in a later delivery is still one effect; a new event id is a new event', async () => {
    const mark = d.standIn.calls.length;
    await d.standIn.directMessage('owain', 'link', { eventId: 'EvSAME' });
    await d.standIn.directMessage('owain', 'link', { eventId: 'EvSAME' });
    await d.adapter.idle();
    expect(postsTo(dmOf('owain'), mark)).toHaveLength(1);
    await d.standIn.directMessage('owain', 'link', { eventId: 'EvOTHER' });
    await d.adapter.idle();
    expect(postsTo(dmOf('owain'), mark)).toHaveLength(2);
  });

  it('a 429 with retry-after 1 s is delivered after at least 1 s, once', async () => {
    const user = d.standIn.userId('owain');
    d.standIn.inject('chat.postMessage', { status: 429, retryAfter: 1 });
    const mark = d.standIn.calls.length;
    const started = Date.now();
    await d.adapter.send(`slack:${d.standIn.team}:${user}`, { text: 'Rate-limited notice' }, { idempotencyKey: 'delivery-429' });
    const posts = postsTo(dmOf('owain'), mark);
    expect(posts).toHaveLength(1);
    expect(posts[0].at - started).toBeGreaterThanOrEqual(1_000);
  });

  it('a 429 on a reply’s response_url waits it out too', async () => {
    d.standIn.inject('response_url', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const shown = await d.command('owain', 'help');
    expect(allText(shown)).toMatch(/who represents/);
    const reply = d.standIn.calls.filter((c) => c.method === 'response_url').at(-1)!;
    expect(reply.at - started).toBeGreaterThanOrEqual(1_000);
  });

  it('an expired response_url falls back to the Web API', async () => {
    d.standIn.inject('response_url', { status: 404 });
    const mark = d.standIn.calls.length;
    const shown = await d.command('owain', 'help', 'general');
    const methods = shown.map((s) => (s.raw as { call: { method: string } }).call.method);
    expect(methods.length).toBeGreaterThan(0);
    expect(methods.every((m) => m === 'chat.postEphemeral' || m === 'chat.postMessage')).toBe(true);
    expect(allText(shown)).toMatch(/who represents/);
    expect(d.standIn.since(mark).filter((c) => c.method === 'response_url')).toHaveLength(0);
  });

  it('a long Retry-After is handed to the core’s delivery queue instead of blocking', async () => {
    d.standIn.inject('chat.postMessage', { status: 429, retryAfter: 30 });
    const err = await d.adapter.send(`slack:${d.standIn.team}:${d.standIn.userId('owain')}`, { text: 'later' }).catch((e) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err.retryAfterMs).toBe(30_000);
    expect(err.permanent).toBe(false);
  });

  it('5xx answers and a dropped connection are retried with backoff and delivered once', async () => {
    d.standIn.inject('chat.postMessage', { status: 503 }, 2);
    d.standIn.inject('conversations.open', { drop: true });
    const mark = d.standIn.calls.length;
    await d.adapter.send(`slack:${d.standIn.team}:${d.standIn.userId('nia')}`, { text: 'After the storm' }, { idempotencyKey: 'delivery-5xx' });
    expect(postsTo(dmOf('nia'), mark).map((c) => c.body.text)).toEqual(['After the storm']);
    // the same delivery again (the core retrying after a lost acknowledgement) is not posted twice
    await d.adapter.send(`slack:${d.standIn.team}:${d.standIn.userId('nia')}`, { text: 'After the storm' }, { idempotencyKey: 'delivery-5xx' });
    expect(postsTo(dmOf('nia'), mark)).toHaveLength(1);
  });

  it('a Slack that keeps failing gives a retryable error; a refusal gives a permanent one', async () => {
    d.standIn.inject('chat.postMessage', { status: 500 }, 10);
    const failing = await d.adapter.send(`slack:${d.standIn.team}:C0GONE`, { text: 'x' }).catch((e) => e);
    expect(failing).toBeInstanceOf(DeliveryError);
    expect(failing.permanent).toBe(false);
    d.standIn.clearFaults();
    const refused = await d.adapter.send(`slack:${d.standIn.team}:X0NOPE`, { text: 'x' }).catch((e) => e);
    expect(refused).toBeInstanceOf(DeliveryError);
    expect(refused.permanent).toBe(true);
    expect(refused.message).toMatch(/channel_not_found/);
  });

  it('a broadcast survives Slack failing for a while: the core retries until it is delivered', async () => {
    d.standIn.inject('chat.postMessage', { status: 500 }, 5); // more than one adapter attempt absorbs
    await d.command('officer', 'forum create Ceredigion Forum cvc="CAVO"');
    await d.command('officer', 'organisation add Aberaeron Youth Club');
    const code = /code=([0-9A-F]{10})/.exec(allText(await d.command('officer', 'invite create organisation="Aberaeron Youth Club" uses=5')))![1];
    await d.command('sioned', `join code=${code}`);
    await d.command('tomos', 'join Ceredigion Forum organisation="Aberaeron Youth Club"');
    for (let i = 0; i < 20 && !(await d.db.delivery.count({ where: { status: 'SENT' } })); i++) {
      d.clock.now = new Date(d.clock.now.getTime() + 60_000);
      await d.settle();
    }
    expect(await d.db.delivery.count({ where: { status: { not: 'SENT' } } })).toBe(0);
    // (the core may retry in place while the platform asks it to wait briefly, so attempts need not grow)
    expect(d.standIn.faultsLeft('chat.postMessage')).toBe(0); // all five 500s were met, and it was still delivered
    expect(allText(await d.inbox('officer'))).toMatch(/tomos/);
  });

  it('a delivery posted by an instance that died before marking it is found by its metadata and not posted again', async () => {
    const forum = await d.db.forum.findFirstOrThrow();
    const officer = await d.db.account.findFirstOrThrow({ where: { platform: 'slack', platformUserId: d.standIn.userId('officer') } });
    const target = `slack:${d.standIn.team}:${officer.platformUserId}`;
    const message = { text: 'Two-part notice', blocks: Array.from({ length: 60 }, (_, i) => ({ type: 'section' as const, text: `Paragraph ${i + 1}` })) };
    const b = await d.db.broadcast.create({ data: { forumId: forum.id, kind: 'test', message: { en: message, cy: message } } });
    const row = await d.db.delivery.create({ data: { broadcastId: b.id, target, locale: 'en', nextAttemptAt: d.clock.now } });
    // instance A posts every part, then dies before marking the row: the row stays SENDING, its lease lapses
    const channel = dmOf('officer');
    const before = d.standIn.calls.length;
    await d.adapter.send(target, message, { idempotencyKey: row.id });
    const firstParts = postsTo(channel, before).length;
    expect(firstParts).toBeGreaterThan(1);
    await d.db.delivery.update({ where: { id: row.id }, data: { status: 'SENDING', attempts: 1, leaseUntil: new Date(d.clock.now.getTime() - 1_000) } });

    // instance B: its own Slack adapter (nothing in memory) and its own delivery loop on the same database
    const survivor = new SlackAdapter({ botToken: d.standIn.botToken, signingSecret: d.standIn.signingSecret, apiUrl: d.standIn.apiUrl, log: silentLogger, retry: { backoffMs: 20 } });
    await survivor.start(async () => []);
    const adapters = new AdapterSet();
    adapters.add(survivor);
    const service = new BroadcastService(d.db, adapters, d.app.services.i18n, silentLogger, () => d.clock.now);
    const mark = d.standIn.calls.length;
    await service.deliverDue();
    await service.idle();
    const after = await d.db.delivery.findUniqueOrThrow({ where: { id: row.id } });
    expect(after, JSON.stringify(after)).toMatchObject({ status: 'SENT', attempts: 2 });
    expect(d.standIn.since(mark).filter((c) => c.method === 'conversations.history').length).toBeGreaterThan(0);
    expect(postsTo(channel, mark)).toHaveLength(0); // nothing posted twice

    // the control: without the look-back a fresh adapter would have posted every part again
    const again = d.standIn.calls.length;
    await survivor.send(target, message, { idempotencyKey: row.id });
    expect(postsTo(channel, again)).toHaveLength(firstParts);
    await survivor.stop();
  });

  it('slow work happens after the ack: the command is acknowledged before its reply is posted', async () => {
    d.standIn.inject('response_url', { delayMs: 1_500 });
    const mark = d.standIn.calls.length;
    const delivery = await d.standIn.slashCommand('owain', 'help');
    expect(delivery.status).toBe(200);
    expect(d.standIn.since(mark).filter((c) => c.method === 'response_url')).toHaveLength(0);
    await d.adapter.idle();
    expect(d.standIn.since(mark).filter((c) => c.method === 'response_url')).toHaveLength(1);
  });
});
