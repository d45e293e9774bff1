import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { arg, defineCommand } from '../../src/core/commands.ts';
import type { Feature } from '../../src/core/feature.ts';
import type { RankedBallot } from '../../src/core/messages.ts';
import { features as allFeatures } from '../../src/features/index.ts';
import type { ScenarioDriver } from './driver.ts';
import { teamsDriver } from './teams-driver.ts';

/**
 * The Teams driver's form, select and ballot paths, which the shared scenarios do not use yet,
 * checked through the real adapter: a probe feature shows each control and echoes what it got.
 */
const candidates = ['Angharad Rees', 'Bryn Terfel', 'Cerys Matthews', 'Dylan Thomas'].map((name, i) => ({ id: `cand-${i + 1}`, name }));
const ballot = (count: number): RankedBallot => ({
  id: 'b1',
  title: 'Youth seat',
  instructions: 'Rank the candidates.',
  candidates: count <= candidates.length ? candidates.slice(0, count) : Array.from({ length: count }, (_, i) => ({ id: `many-${i + 1}`, name: `Candidate ${i + 1} ${'n'.repeat(40)}` })),
  submitLabel: 'Vote',
  submit: { command: 'probe echo', args: { from: 'ballot' } },
});
const probe: Feature = {
  id: 'probe',
  catalogues: { en: { 'probe.s': 'probe' }, cy: { 'probe.s': 'probe' } },
  commands: [
    defineCommand({
      names: { en: 'probe echo', cy: 'probe echo' },
      group: 'probe',
      summary: 'probe.s',
      args: [...['from', 'title', 'ranking', 'colour', 'when'].map((n) => arg(n, z.string().optional(), 'probe.s')), arg('count', z.number().optional(), 'probe.s'), arg('ok', z.boolean().optional(), 'probe.s')],
      examples: { en: [], cy: [] },
      permission: 'anyone',
      needsForum: false,
      async run(_ctx, a) {
        return { visibility: 'ephemeral', message: { text: `echo ${JSON.stringify(Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined).sort()))}` } };
      },
    }),
    defineCommand({
      names: { en: 'probe show', cy: 'probe show' },
      group: 'probe',
      summary: 'probe.s',
      args: [arg('what', z.string(), 'probe.s', { positional: true })],
      examples: { en: [], cy: [] },
      permission: 'anyone',
      needsForum: false,
      async run(_ctx, a) {
        if (a.what === 'form')
          return {
            text: 'A form',
            blocks: [
              {
                type: 'form',
                form: {
                  id: 'f',
                  title: 'Tell me',
                  submitLabel: 'Send',
                  submit: { command: 'probe echo', args: { from: 'form' } },
                  fields: [
                    { kind: 'text', name: 'title', label: 'Title', required: true },
                    { kind: 'number', name: 'count', label: 'Count' },
                    { kind: 'checkbox', name: 'ok', label: 'OK?' },
                    { kind: 'select', name: 'colour', label: 'Colour', options: [{ label: 'Green', value: 'green' }, { label: 'Red', value: 'red' }] },
                    { kind: 'date', name: 'when', label: 'When', value: '2026-12-01' },
                  ],
                },
              },
            ],
          };
        if (a.what === 'select')
          return { text: 'Pick', blocks: [{ type: 'select', id: 's', label: 'Pick a colour', placeholder: 'Colour', options: [{ label: 'Green', value: 'green' }, { label: 'Red', value: 'red' }], action: { command: 'probe echo', args: { from: 'select' } }, argName: 'colour' }] };
        return { text: 'Vote', blocks: [{ type: 'ballot', ballot: ballot(a.what === 'big-ballot' ? 60 : 4) }] };
      },
    }),
  ],
};

describe('the Teams scenario driver', () => {
  let d: ScenarioDriver;
  beforeAll(async () => {
    d = await teamsDriver({ features: [...allFeatures, probe] });
  }, 60_000);
  afterAll(async () => d?.close());

  it('fills and submits a card form; Teams’ strings come back as numbers, booleans and dates', async () => {
    const [form] = await d.command('olwen', 'probe show form');
    expect(form.formFields).toEqual(['title', 'count', 'ok', 'colour', 'when']);
    const answer = await d.submit('olwen', form, { title: 'Hello', count: '3', ok: 'true', colour: 'red' });
    expect(answer.map((s) => s.text).join('\n')).toBe('echo {"colour":"red","count":3,"from":"form","ok":true,"title":"Hello","when":"2026-12-01"}');
  });

  it('picks a select option by its label', async () => {
    const [select] = await d.command('olwen', 'probe show select');
    expect(select.buttons).toEqual(['Green', 'Red']);
    expect((await d.press('olwen', select, 'Green')).map((s) => s.text)).toEqual(['echo {"colour":"green","from":"select"}']);
  });

  it('ranks a ballot with one dropdown per preference', async () => {
    const [shown] = await d.command('olwen', 'probe show ballot');
    expect(shown.candidates).toEqual(candidates.map((c) => c.name));
    const answer = await d.rank('olwen', shown, ['Cerys Matthews', 'Angharad Rees']);
    expect(answer.map((s) => s.text)).toEqual(['echo {"from":"ballot","ranking":"cand-3,cand-1"}']);
  });

  it('ranks a ballot too big for dropdowns by typing the order', async () => {
    const [shown] = await d.command('olwen', 'probe show big-ballot');
    expect(shown.candidates).toHaveLength(60);
    const answer = await d.rank('olwen', shown, [shown.candidates[59], shown.candidates[1]]);
    expect(answer.map((s) => s.text)).toEqual(['echo {"from":"ballot","ranking":"many-60,many-2"}']);
  });

  it('a private answer to a card pressed in a channel replaces the card for that person only', async () => {
    const [select] = await d.command('olwen', 'probe show select', 'probe-room');
    const answer = await d.press('olwen', select, 'Red');
    expect(answer.map((s) => s.text)).toEqual(['echo {"colour":"red","from":"select"}']);
    expect(await d.channelPosts('probe-room')).toEqual([]);
    expect(await d.inbox('olwen')).toEqual([]);
  });
});
