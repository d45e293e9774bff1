import { describe, expect, it } from 'vitest';
import { createLogger, redactConsole, type Logger } from '../../src/core/logger.ts';
import { REDACTED, redactSecrets } from '../../src/core/redact.ts';
import type { ScenarioDriver, Shown } from '../scenarios/driver.ts';
import { scenarioSuite } from '../scenarios/scenarios.ts';
import { discordDriver } from '../scenarios/discord-driver.ts';
import { slackDriver, type SlackScenarioDriver } from '../scenarios/slack-driver.ts';
import { teamsDriver } from '../scenarios/teams-driver.ts';
import { webDriver } from '../scenarios/web-driver.ts';

describe('the redaction filter', () => {
  const secrets: [string, string][] = [
    ['ballot receipt', 'your receipt: K7M2P-QRS4T-ZX9AB-CDE3F keep it'],
    ['breach receipt', 'receipt code: 0A1B2-C3D4E-5F6G7-H8J9K'],
    ['receipt typed in lower case with spaces', 'receipt check T1 k7m2p qrs4t zx9ab cde3f'],
    ['receipt typed as one run', 'breach status 0A1B2C3D4E5F6G7H8J9K'],
    ['Slack bot token', 'token=xoxb-1234-5678-abcdefABCDEF'],
    ['Slack app token', '{"appToken":"xapp-1-A111-222-abc"}'],
    ['Bearer header', 'authorization: Bearer s3cr3t-t0ken-value'],
    ['Bearer in prose', 'sent with Bearer s3cr3t-t0ken-value as usual'],
    ['JWT', 'id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['Discord bot token', 'login MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB'],
    ['sign-in link', 'mail sent: https://forum.example/#signin=Zm9vYmFyYmF6cXV4cXV1eA'],
    ['sign-in code in JSON', '{"email":"a@b.cy","code":"493817"}'],
    ['webhook secret header', 'with the header X-Forumbot-Secret: wh_9f8e7d6c5b4a'],
    ['secret inside an escaped JSON string', JSON.stringify({ detail: JSON.stringify({ token: 'plain-secret-value', channel: 'D1' }) })],
  ];
  const needle = (s: string) => s.match(/K7M2P|0A1B2|k7m2p|xoxb-1234|xapp-1|s3cr3t|eyJhbGci|MTIzNDU2|Zm9vYmFy|493817|wh_9f8e|plain-secret/)![0];

  it.each(secrets)('removes a %s', (_what, text) => {
    const out = redactSecrets(text);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain(needle(text));
  });

  it('keeps what is not secret: error codes, ids, times, words', () => {
    const line = JSON.stringify({ time: '2026-12-05T13:00:00.000Z', msg: 'slack reply failed', code: 'P2002', id: '3f0a1c2e-9b7d-4c1e-8f00-123456789abc', channel: 'D0123ABCD', count: 42 });
    expect(redactSecrets(line)).toBe(line);
  });

  it('every logger line goes through it, and so does console output once routed', () => {
    const lines: string[] = [];
    createLogger('debug', (l) => lines.push(l)).debug('slack sdk', { detail: 'http request body: {"text":"receipt K7M2P-QRS4T-ZX9AB-CDE3F"}' });
    expect(lines.join('\n')).not.toContain('K7M2P');
    const printed: string[] = [];
    const keep = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
    const target = { log: keep, info: keep, warn: keep, error: keep, debug: keep, trace: keep };
    const undo = redactConsole(target as unknown as Console);
    target.error('prisma:warn', { token: 'xoxb-99-abc' });
    target.log('receipt %s', 'K7M2P-QRS4T-ZX9AB-CDE3F');
    undo();
    expect(printed.join('\n')).not.toMatch(/xoxb-99|K7M2P/);
    expect(printed).toHaveLength(2);
  });
});

/**
 * The attack: the whole scenario suite on each platform (real Bolt, discord.js and botbuilder
 * against their stand-ins, and the web chat over HTTP) at debug, every log line kept; then every
 * receipt the bot issued there is looked for in them.
 */
const RECEIPT = /\b[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}\b/g;

interface Capture {
  lines: string[];
  shown: string[];
  /** what the bot sent to the platform beyond what users were shown (Slack's stand-in keeps every call) */
  sent: () => string[];
}

function recording(d: ScenarioDriver, capture: Capture): ScenarioDriver {
  const keep = (shown: Shown[]) => {
    for (const s of shown) capture.shown.push(s.text);
    return shown;
  };
  return {
    ...d,
    command: async (u, t, c) => keep(await d.command(u, t, c)),
    press: async (u, s, l) => keep(await d.press(u, s, l)),
    submit: async (u, s, v) => keep(await d.submit(u, s, v)),
    rank: async (u, s, n) => keep(await d.rank(u, s, n)),
    inbox: async (u) => keep(await d.inbox(u)),
    channelPosts: async (c) => keep(await d.channelPosts(c)),
    advance: (ms) => d.advance(ms),
    settle: () => d.settle(),
    close: () => d.close(),
  };
}

/** `sdk`: the prefix of the SDK's own debug lines, and how many the suite makes at least (Teams and the web chat log nothing at debug in these scenarios). */
const platforms: { name: string; sdk: [string, number] | null; start(log: Logger, capture: Capture): Promise<ScenarioDriver> }[] = [
  {
    name: 'Slack',
    sdk: ['slack sdk', 50],
    async start(log, capture) {
      const slack: SlackScenarioDriver = await slackDriver({ log });
      capture.sent = () => slack.standIn.calls.map((c) => JSON.stringify(c));
      return slack;
    },
  },
  { name: 'Discord', sdk: ['discord sdk', 5], start: (log) => discordDriver({ log }) },
  { name: 'Teams', sdk: null, start: (log) => teamsDriver({ log }) },
  { name: 'web chat', sdk: null, start: (log) => webDriver({ log }) },
];

for (const platform of platforms) {
  const capture: Capture = { lines: [], shown: [], sent: () => [] };
  scenarioSuite(`${platform.name}, every log line kept at debug`, async () =>
    recording(await platform.start(createLogger('debug', (l) => capture.lines.push(l)), capture), capture),
  );

  describe(`a log reader at debug, on ${platform.name}`, () => {
    it('finds none of the receipts the bot issued in any log line', () => {
      const issued = new Set<string>();
      // everything the bot sent to the platform, and everything users were shown
      for (const text of [...capture.shown, ...capture.sent()]) for (const m of text.matchAll(RECEIPT)) issued.add(m[0]);
      const log = capture.lines.join('\n');
      const found = [...issued].filter((r) => log.includes(r) || log.includes(r.replace(/-/g, '')) || log.toLowerCase().includes(r.toLowerCase()));
      console.info(`${platform.name}: log lines ${capture.lines.length}, receipts issued ${issued.size}, found in logs ${found.length}`);
      // the capture is real: the SDK's own debug lines were kept, where it logs any
      if (platform.sdk) expect(capture.lines.filter((l) => l.includes(platform.sdk![0])).length).toBeGreaterThan(platform.sdk[1]);
      expect(issued.size).toBeGreaterThanOrEqual(4); // ballot receipts and the breach notice's
      // Bolt logs its request bodies, tokens in them: the filter visibly took them out
      if (platform.name === 'Slack') expect(log).toContain(REDACTED);
      expect(found).toEqual([]);
    });
  });
}
