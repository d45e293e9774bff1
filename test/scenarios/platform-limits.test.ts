/**
 * Every message the scenario suite produces, rendered on every platform and checked against that
 * platform's limits: Slack's Block Kit limits (docs.slack.dev; a message's blocks hold at most about
 * 13,200 characters of text), Discord through @discordjs/builders' own validation, Teams through
 * Microsoft's `adaptivecards` parser and its 40 KB message limit. Besides the scenarios' messages,
 * each person's home (in both languages; on Slack also as the App Home tab) and a few the bot makes
 * at their largest: long ballots (22, 40 with statements, 120) and a long text.
 */
import { createRequire } from 'node:module';
import { ActionRowBuilder, ButtonBuilder, EmbedBuilder, embedLength, StringSelectMenuBuilder } from '@discordjs/builders';
import type { APIEmbed } from 'discord-api-types/v10';
import { afterAll, describe, expect, it } from 'vitest';
import { renderMessage as renderDiscord, type DiscordMessage } from '../../adapters/discord/render.ts';
import { Packer } from '../../adapters/slack/pack.ts';
import { blockText, LIMITS as SLACK, ballotView, formView, homeTab, renderMessage as renderSlack, type SlackBlock } from '../../adapters/slack/render.ts';
import { messageProblems } from '../platforms/discord/discord-rules.ts';
import { blockKitProblems, homeViewProblems, viewProblems } from '../platforms/slack/block-kit.ts';
import { MAX_MESSAGE_BYTES, renderMessage as renderTeams, utf16Bytes } from '../../adapters/teams/render.ts';
import { adaptMessage } from '../../src/core/fallback.ts';
import type { OutgoingMessage, RankedBallot } from '../../src/core/messages.ts';
import { buildHomeWorld } from '../home/home-world.ts';
import { allText, type ScenarioDriver, type Shown } from './driver.ts';
import { scenarioSuite } from './scenarios.ts';
import { webDriver } from './web-driver.ts';

const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** The scenario suite on the web chat, keeping every message any user was shown. */
const seen: OutgoingMessage[] = [];
function recording(d: ScenarioDriver): ScenarioDriver {
  const keep = async (p: Promise<Shown[]>) => {
    const shown = await p;
    for (const s of shown) seen.push(s.raw as OutgoingMessage);
    return shown;
  };
  return {
    ...d,
    platform: d.platform,
    db: d.db,
    clock: d.clock,
    command: (u, t, c) => keep(d.command(u, t, c)),
    press: (u, s, l) => keep(d.press(u, s, l)),
    submit: (u, s, v) => keep(d.submit(u, s, v)),
    rank: (u, s, n) => keep(d.rank(u, s, n)),
    inbox: (u) => keep(d.inbox(u)),
    channelPosts: (c) => keep(d.channelPosts(c)),
    settle: () => d.settle(),
    advance: (ms) => d.advance(ms),
    close: () => d.close(),
  };
}
scenarioSuite('the web chat, recording every message for the limits check', async () => recording(await webDriver()));

/** Each person's home (the web home view, Teams' home card, Slack's App Home), recorded beside the scenarios' messages. */
const homes: OutgoingMessage[] = [];
describe('the home view, recorded for the limits check', () => {
  let d: ScenarioDriver | undefined;
  afterAll(async () => d?.close());
  it('a forum where a member has something of every kind waiting: each person’s home, in English and in Welsh', async () => {
    const driver = recording(await webDriver());
    d = driver;
    await buildHomeWorld({ say: async (u, text) => allText(await driver.command(u, text)), advance: (ms) => driver.advance(ms) });
    await driver.command('ffion', 'iaith cy');
    for (const [user, words] of [['amira', 'home'], ['officer', 'home'], ['gareth', 'home'], ['ffion', 'hafan']]) {
      const shown = await driver.command(user, words);
      homes.push(...shown.map((x) => x.raw as OutgoingMessage).filter((m) => /Your forum home|Eich hafan/.test(m.text)));
    }
    expect(homes.map((m) => /Eich hafan/.test(m.text))).toEqual([false, false, false, true]);
    expect(homes[0].text).toMatch(/3 things need you/);
  }, 180_000);
});

const t = (key: string) => (key === 'core.form.required' ? 'This one is needed.' : key === 'core.ballot.required' ? 'Give at least your first preference.' : 'Reply with the numbers of the candidates in your order of preference.');
const statement = 'I have run a community transport scheme for twelve years and sit on the county’s equality panel; I will report back after every meeting and hold open sessions for members in each locality. '.repeat(4);
const ballot = (n: number, withStatements: boolean): OutgoingMessage => {
  const b: RankedBallot = {
    id: 'b1',
    title: `Health Board 2027 (${n} candidates)`,
    instructions: 'Number the candidates in order of preference: 1 for your first choice, 2 for your second, and so on.',
    candidates: Array.from({ length: n }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Candidate ${i + 1} Pritchard-Llewellyn`, ...(withStatements ? { statement } : {}) })),
    submitLabel: 'Cast my vote',
    submit: { command: 'ballot cast', args: { election: '00000000-0000-4000-8000-000000000000' } },
  };
  return adaptMessage({ text: b.title, blocks: [{ type: 'header', text: b.title }, { type: 'ballot', ballot: b }] }, { buttons: true, selects: true, forms: true, ballots: true, ephemeral: true, direct: true }, t as never).message;
};
const longText = Array.from({ length: 180 }, (_, i) => `• Candidate ${i + 1}: “I chair the carers’ network and will take members’ issues to every meeting.” (standing)`).join('\n');
const largest: OutgoingMessage[] = [
  ballot(22, true),
  ballot(40, true),
  ballot(120, false),
  { text: longText },
  { text: longText, blocks: [{ type: 'header', text: 'Health Board 2027' }, { type: 'section', text: longText }, { type: 'section', text: longText }] },
];

describe('every message within every platform’s limits', () => {
  afterAll(() => {
    // the suite must really have produced messages, else this test checks nothing
    expect(seen.length).toBeGreaterThan(60);
  });
  const all = () => [...seen, ...largest];

  it('Slack: Block Kit limits, and at most 12,000 characters of block text a message', () => {
    const problems: string[] = [];
    const packer = new Packer();
    for (const message of all()) {
      const rendered = renderSlack(message, packer);
      for (const m of rendered.messages) {
        const where = `“${message.text.slice(0, 50)}”`;
        if (blockText(m.blocks) > SLACK.messageText) problems.push(`${where}: ${blockText(m.blocks)} characters of block text`);
        problems.push(...blockKitProblems(m.blocks, 'message').map((p) => `${where}: ${p}`));
      }
      // its forms and ballots as modals
      for (const b of message.blocks ?? []) {
        if (b.type !== 'form' && b.type !== 'ballot') continue;
        const view = b.type === 'form' ? formView(b.form, packer) : ballotView(b.ballot, packer);
        const blocks = view.blocks as SlackBlock[];
        problems.push(...viewProblems(view).map((p) => `modal ${message.text.slice(0, 40)}: ${p}`));
        if (b.type === 'ballot') {
          // every rank can be given: a select per rank, or the typed order for a long ballot
          const ranks = blocks.filter((x) => String(x.block_id ?? '').startsWith('rank:')).length;
          const typed = blocks.some((x) => x.block_id === 'order');
          if (!typed && ranks < b.ballot.candidates.length) problems.push(`ballot of ${b.ballot.candidates.length} offers ${ranks} ranks`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('Slack: each home as a Home tab (views.publish) within Block Kit’s limits for a home view', () => {
    expect(homes.length).toBeGreaterThan(0);
    const packer = new Packer();
    expect(homes.flatMap((m) => homeViewProblems(homeTab(m, packer)).map((p) => `“${m.text.slice(0, 50)}”: ${p}`))).toEqual([]);
  });

  it('Discord: @discordjs/builders accepts every embed and component; no empty embed; 6,000 characters and 10 embeds a message', () => {
    const problems: string[] = [];
    for (const message of all()) {
      for (const m of renderDiscord(message, { toStore: new Map() })) {
        const where = `“${message.text.slice(0, 50)}”`;
        problems.push(...checkDiscord(m).map((p) => `${where}: ${p}`));
      }
    }
    expect(problems).toEqual([]);
  });

  it('Teams: Microsoft’s adaptivecards parser finds no error, every required input says why, every activity under 40 KB', () => {
    const problems: string[] = [];
    for (const message of all()) {
      for (const activity of renderTeams(message)) {
        const where = `“${message.text.slice(0, 50)}”`;
        if (utf16Bytes(activity) > MAX_MESSAGE_BYTES) problems.push(`${where}: ${utf16Bytes(activity)} bytes`);
        for (const a of activity.attachments ?? []) {
          const context = new AC.SerializationContext();
          const card = new AC.AdaptiveCard();
          card.parse(a.content, context);
          for (let i = 0; i < context.eventCount; i++) problems.push(`${where}: parse: ${context.getEventAt(i).message}`);
          const results = card.validateProperties();
          for (const e of results.validationEvents) problems.push(`${where}: ${e.message}`);
          JSON.stringify(a.content, (key, value) => {
            if (value && typeof value === 'object' && value.isRequired && !value.errorMessage) problems.push(`${where}: required ${value.id} has no errorMessage`);
            return value;
          });
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

/** Rebuilds each embed and component through @discordjs/builders' validating setters. */
function checkDiscord(m: DiscordMessage): string[] {
  const out: string[] = [];
  const attempt = (what: string, f: () => unknown) => {
    try {
      f();
    } catch (err) {
      out.push(`${what}: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  // the stand-in's rules (Discord's documented limits), then the builders' own validation
  out.push(...messageProblems(m as Record<string, unknown>));
  for (const e of (m.embeds ?? []) as APIEmbed[]) {
    if (embedLength(e) === 0) out.push('an empty embed {}');
    attempt('embed', () => {
      const b = new EmbedBuilder();
      if (e.title !== undefined) b.setTitle(e.title);
      if (e.description !== undefined) b.setDescription(e.description);
      if (e.fields?.length) b.addFields(...e.fields);
      if (e.footer) b.setFooter(e.footer);
      return b.toJSON();
    });
  }
  for (const row of m.components ?? []) {
    attempt('row', () => {
      const r = new ActionRowBuilder();
      for (const c of row.components as Record<string, never>[]) {
        const data = c as unknown as { type: number; custom_id: string; label?: string; style?: number; placeholder?: string; options?: { label: string; value: string; description?: string }[]; min_values?: number; max_values?: number; url?: string };
        if (data.type === 2) {
          const button = new ButtonBuilder().setStyle(data.style!).setLabel(data.label!);
          if (data.url) button.setURL(data.url);
          else button.setCustomId(data.custom_id);
          r.addComponents(button);
        } else if (data.type === 3) {
          const select = new StringSelectMenuBuilder().setCustomId(data.custom_id).addOptions(...(data.options ?? []));
          if (data.placeholder) select.setPlaceholder(data.placeholder);
          if (data.min_values !== undefined) select.setMinValues(data.min_values);
          if (data.max_values !== undefined) select.setMaxValues(data.max_values);
          r.addComponents(select);
        } else throw new Error(`component type ${data.type}`);
      }
      return r.toJSON();
    });
  }
  return out;
}
