import { describe, expect, it } from 'vitest';
import { createLogger, redactConsole } from '../../src/core/logger.ts';
import { REDACTED, redactSecrets } from '../../src/core/redact.ts';
import type { ScenarioDriver, Shown } from '../scenarios/driver.ts';
import { scenarioSuite } from '../scenarios/scenarios.ts';
import { slackDriver, type SlackScenarioDriver } from '../scenarios/slack-driver.ts';

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
 * The attack: the whole scenario suite on Slack (real Bolt against the Slack stand-in) at debug,
 * every log line kept; then every receipt the bot issued is looked for in them.
 */
const lines: string[] = [];
const shownTexts: string[] = [];
let slack: SlackScenarioDriver | undefined;
const RECEIPT = /\b[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}\b/g;

function recording(d: SlackScenarioDriver): ScenarioDriver {
  const keep = (shown: Shown[]) => {
    for (const s of shown) shownTexts.push(s.text);
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

scenarioSuite('Slack, every log line kept at debug', async () => {
  slack = await slackDriver({ log: createLogger('debug', (l) => lines.push(l)) });
  return recording(slack);
});

describe('a log reader at debug', () => {
  it('finds none of the receipts the bot issued in any log line', () => {
    const issued = new Set<string>();
    // everything the bot sent to Slack, and everything users were shown
    for (const text of [...shownTexts, ...slack!.standIn.calls.map((c) => JSON.stringify(c))]) for (const m of text.matchAll(RECEIPT)) issued.add(m[0]);
    const log = lines.join('\n');
    const found = [...issued].filter((r) => log.includes(r) || log.includes(r.replace(/-/g, '')) || log.toLowerCase().includes(r.toLowerCase()));
    console.info(`log lines: ${lines.length}, receipts issued: ${issued.size}, found in logs: ${found.length}`);
    // the capture is real: the SDK's own request bodies were logged, and secrets were taken out of them
    expect(lines.filter((l) => l.includes('slack sdk')).length).toBeGreaterThan(50);
    expect(issued.size).toBeGreaterThanOrEqual(4); // ballot receipts and the breach notice's
    expect(log).toContain(REDACTED);
    expect(found).toEqual([]);
  });
});
