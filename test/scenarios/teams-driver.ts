import { TeamsChatAdapter } from '../../adapters/teams/teams-adapter.ts';
import { CARD_CONTENT_TYPE, visibleText, type AdaptiveCard, type CardElement } from '../../adapters/teams/render.ts';
import { createApp, type App } from '../../src/app.ts';
import type { Feature } from '../../src/core/feature.ts';
import { createLogger, type Logger } from '../../src/core/logger.ts';
import type { Db } from '../../src/db/client.ts';
import { WebServer } from '../../src/web/server.ts';
import { TeamsClient, userId, type Where } from '../platforms/teams/client.ts';
import { TeamsConnectorStandIn, type RecordedActivity } from '../platforms/teams/connector.ts';
import { testDatabase } from '../support/database.ts';
import type { ScenarioDriver, Shown } from './driver.ts';

/** What the driver keeps of a shown message, to press its buttons as Teams would. */
interface ShownRaw {
  conversationId: string;
  /** the message holding the card (the invoke's replyToId) */
  activityId: string;
  activity?: Record<string, unknown>;
  card?: AdaptiveCard;
}

type Action = { type: string; title: string; data: Record<string, unknown> };

function* elements(body: CardElement[]): Generator<CardElement> {
  for (const e of body) {
    yield e;
    if (e.type === 'Container') yield* elements(e.items as CardElement[]);
  }
}

const cardsOf = (activity: Record<string, unknown>): AdaptiveCard[] =>
  ((activity.attachments as { contentType: string; content: AdaptiveCard }[] | undefined) ?? []).filter((a) => a.contentType === CARD_CONTENT_TYPE).map((a) => a.content);

const actionsOf = (card: AdaptiveCard | undefined): Action[] =>
  card ? [...elements(card.body)].filter((e) => e.type === 'ActionSet').flatMap((e) => e.actions as Action[]) : [];

/** A message as a Teams user sees it: the card's text, its buttons and select options, its inputs. */
export function teamsShown(raw: ShownRaw): Shown {
  const card = raw.card;
  const text = card ? visibleText({ attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }] }) : visibleText(raw.activity as never);
  const buttons: string[] = [];
  let formFields: string[] = [];
  let candidates: string[] = [];
  if (card) {
    for (const e of elements(card.body)) {
      if (e.type === 'Input.ChoiceSet' && String(e.id).startsWith('sel_')) buttons.push(...(e.choices as { title: string }[]).map((c) => c.title));
      if (e.type === 'Input.ChoiceSet' && e.id === 'rank_1') candidates = (e.choices as { title: string }[]).map((c) => c.title);
    }
    for (const a of actionsOf(card)) {
      if (a.data.fb === 'action') buttons.push(a.title);
      if (a.data.fb === 'form') formFields = Object.values(a.data.fields as Record<string, [string, string]>).map(([name]) => name);
      if (a.data.fb === 'ballot' && a.data.typed) candidates = typedCandidates(card);
    }
  }
  return { text, buttons, formFields, candidates, raw };
}

/** The numbered list of a ballot too big for dropdowns. */
const typedCandidates = (card: AdaptiveCard): string[] =>
  [...elements(card.body)].flatMap((e) => (e.type === 'TextBlock' ? [/^\d+\. (.+)$/.exec(String(e.text))?.[1]] : [])).filter((x): x is string => !!x);

export interface TeamsBot {
  db: Db;
  app: App;
  teams: TeamsChatAdapter;
  connector: TeamsConnectorStandIn;
  client: TeamsClient;
  clock: { now: Date };
  close(): Promise<void>;
}

/** The bot with the Teams adapter (real teams-ai and botbuilder) on a real database, and Teams' stand-in. */
export async function startTeamsBot(options: { features?: Feature[]; log?: Logger } = {}): Promise<TeamsBot> {
  const database = await testDatabase();
  const db = database.prisma;
  const clock = { now: new Date('2026-11-22T10:00:00Z') };
  const log = options.log ?? createLogger('error', () => {});
  const connector = new TeamsConnectorStandIn();
  await connector.start();
  const teams = new TeamsChatAdapter({ db, log, replyRetries: { attempts: 5, baseMs: 100 } });
  const app = createApp({ db, adapters: [teams], now: () => clock.now, log, delivery: { baseBackoffMs: 10 }, ...(options.features ? { features: options.features } : {}) });
  const server = new WebServer(log);
  server.add(...teams.routes());
  await teams.start((e) => app.bot.handle(e, teams.capabilities));
  const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  return {
    db,
    app,
    teams,
    connector,
    client: new TeamsClient(base, connector),
    clock,
    async close() {
      await app.services.broadcasts.stop();
      await app.services.broadcasts.idle();
      await teams.stop();
      await server.close();
      await connector.stop();
      await database.close();
    },
  };
}

/** The shared scenarios through Teams: messages to the bot, Adaptive Card actions, what the connector received. */
export async function teamsDriver(options: { features?: Feature[]; log?: Logger } = {}): Promise<ScenarioDriver> {
  const bot = await startTeamsBot(options);
  const { connector, client } = bot;
  const consumed = new Set<RecordedActivity>();
  const installed = new Set<string>();
  const cursors = new Map<string, number>();
  const personalId = (user: string) => client.personal(user).conversation.id;

  const where = (conversationId: string): Where => {
    if (conversationId.startsWith('a:')) return { conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-cvc' }, channelData: { tenant: { id: 'tenant-cvc' } } };
    const [base, thread] = conversationId.split(';messageid=');
    return client.channel(base.slice(3, -'@thread.tacv2'.length), thread);
  };
  const ensure = async (key: string, activity: Record<string, unknown>) => {
    if (installed.has(key)) return;
    installed.add(key);
    const [res] = await client.post(activity);
    if (res.status !== 200) throw new Error(`install: ${res.status}`);
  };
  const shownOf = (r: RecordedActivity): Shown[] => {
    const cards = cardsOf(r.activity);
    const raw = { conversationId: r.conversationId, activityId: r.id, activity: r.activity };
    return cards.length ? cards.map((card) => teamsShown({ ...raw, card })) : [teamsShown(raw)];
  };
  /** replies to the user since `mark`: in the conversation they used, and in their chat with the bot */
  const collect = (user: string, mark: number, conversationId: string): Shown[] => {
    const out: Shown[] = [];
    for (const r of connector.activities.slice(mark)) {
      if (r.method !== 'POST') continue;
      if (r.conversationId === conversationId || r.conversationId === personalId(user)) {
        consumed.add(r);
        out.push(...shownOf(r));
      }
    }
    return out;
  };
  const invoke = async (user: string, raw: ShownRaw, data: Record<string, unknown>): Promise<Shown[]> => {
    await bot.teams.idle();
    const mark = connector.activities.length;
    const [res] = await client.post(client.execute(user, where(raw.conversationId), raw.activityId, data));
    if (res.status !== 200) throw new Error(`invoke answered ${res.status}: ${JSON.stringify(res.body)}`);
    const out: Shown[] = [];
    const body = res.body as { type?: string; value?: unknown };
    if (body?.type === CARD_CONTENT_TYPE) out.push(teamsShown({ ...raw, card: body.value as AdaptiveCard }));
    return [...out, ...collect(user, mark, raw.conversationId)];
  };
  const cardOf = (shown: Shown) => {
    const raw = shown.raw as ShownRaw;
    if (!raw.card) throw new Error(`no card in: ${shown.text}`);
    return { raw, card: raw.card };
  };
  const unread = (key: string, test: (r: RecordedActivity) => boolean): Shown[] => {
    const from = cursors.get(key) ?? 0;
    cursors.set(key, connector.activities.length);
    return connector.activities
      .slice(from)
      .filter((r) => r.method === 'POST' && !consumed.has(r) && test(r))
      .flatMap((r) => {
        consumed.add(r);
        return shownOf(r);
      });
  };

  return {
    platform: 'teams',
    app: bot.app,
    db: bot.db,
    clock: bot.clock,
    async command(user, text, channel) {
      await ensure(`personal:${user}`, client.install(user, client.personal(user)));
      if (channel) await ensure(`channel:${channel}`, client.install(user, client.channel(channel)));
      const activity = client.message(user, text, channel ? client.channel(channel) : client.personal(user));
      const mark = connector.activities.length;
      const [res] = await client.post(activity);
      if (res.status !== 200) throw new Error(`POST /api/messages answered ${res.status}: ${JSON.stringify(res.body)}`);
      return collect(user, mark, (activity.conversation as { id: string }).id);
    },
    async press(user, shown, label) {
      const { raw, card } = cardOf(shown);
      const body = [...elements(card.body)];
      for (const [i, e] of body.entries()) {
        if (e.type === 'ActionSet') {
          const action = (e.actions as Action[]).find((a) => a.title === label && a.data.fb === 'action');
          if (action) return invoke(user, raw, action.data);
        }
        if (e.type === 'Input.ChoiceSet' && String(e.id).startsWith('sel_')) {
          const choice = (e.choices as { title: string; value: string }[]).find((c) => c.title === label);
          const set = body.slice(i + 1).find((x) => x.type === 'ActionSet');
          if (choice && set) return invoke(user, raw, { ...(set.actions as Action[])[0].data, [String(e.id)]: choice.value });
        }
      }
      throw new Error(`no button or option “${label}” in: ${shown.text}`);
    },
    async submit(user, shown, values) {
      const { raw, card } = cardOf(shown);
      const action = actionsOf(card).find((a) => a.data.fb === 'form');
      if (!action) throw new Error(`no form in: ${shown.text}`);
      const data: Record<string, unknown> = { ...action.data };
      const inputs = new Map([...elements(card.body)].filter((e) => String(e.type).startsWith('Input.')).map((e) => [String(e.id), e]));
      for (const [id, [name]] of Object.entries(action.data.fields as Record<string, [string, string]>)) {
        // Teams sends every input of the card: what was typed, else what it was filled with
        const value = name in values ? values[name] : inputs.get(id)?.value;
        if (value !== undefined) data[id] = String(value);
      }
      return invoke(user, raw, data);
    },
    async rank(user, shown, names) {
      const { raw, card } = cardOf(shown);
      const action = actionsOf(card).find((a) => a.data.fb === 'ballot');
      if (!action) throw new Error(`no ballot in: ${shown.text}`);
      const data: Record<string, unknown> = { ...action.data };
      if (action.data.typed) {
        const listed = typedCandidates(card);
        data.ballot_order = names.map((n) => {
          const i = listed.indexOf(n);
          if (i < 0) throw new Error(`no candidate “${n}” on the ballot`);
          return i + 1;
        }).join(' ');
      } else {
        const selects = [...elements(card.body)].filter((e) => e.type === 'Input.ChoiceSet' && String(e.id).startsWith('rank_'));
        if (names.length > selects.length) throw new Error(`the ballot has ${selects.length} preferences, not ${names.length}`);
        names.forEach((n, r) => {
          const choice = (selects[r].choices as { title: string; value: string }[]).find((c) => c.title === n);
          if (!choice) throw new Error(`no candidate “${n}” on the ballot`);
          data[String(selects[r].id)] = choice.value;
        });
      }
      return invoke(user, raw, data);
    },
    inbox: async (user) => unread(`inbox:${user}`, (r) => r.conversationId === personalId(user)),
    channelPosts: async (channel) => unread(`channel:${channel}`, (r) => r.conversationId.split(';messageid=')[0] === `19:${channel}@thread.tacv2`),
    async settle() {
      await bot.app.services.broadcasts.idle();
      await bot.app.services.broadcasts.deliverDue();
      await bot.teams.idle();
    },
    async advance(ms) {
      bot.clock.now = new Date(bot.clock.now.getTime() + ms);
      await bot.app.scheduler.catchUp(bot.clock.now);
      await bot.app.services.broadcasts.idle();
      await bot.app.services.broadcasts.deliverDue();
      await bot.teams.idle();
    },
    close: () => bot.close(),
  };
}

export { userId };
