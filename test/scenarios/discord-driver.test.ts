import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { arg, defineCommand } from '../../src/core/commands.ts';
import type { Feature } from '../../src/core/feature.ts';
import type { Form, RankedBallot } from '../../src/core/messages.ts';
import { features } from '../../src/features/index.ts';
import { discordWorld, type DiscordWorld } from './discord-driver.ts';
import { allText } from './driver.ts';

/**
 * The Discord driver's form and ballot paths through the real core, with a probe feature until
 * features with forms and ballots join the shared scenarios.
 */
const form: Form = {
  id: 'probe',
  title: 'Probe report',
  submitLabel: 'Send',
  submit: { command: 'probe answer', args: { seat: 's1' } },
  fields: Array.from({ length: 7 }, (_, i) => ({ kind: 'text' as const, name: `q${i}`, label: `Question ${i}`, required: true })),
};
const ballot: RankedBallot = {
  id: 'b',
  title: 'Trustees',
  instructions: 'Rank the candidates',
  candidates: ['Alun', 'Bethan', 'Cerys', 'Dai'].map((name, i) => ({ id: `c${i}`, name })),
  submitLabel: 'Cast',
  submit: { command: 'probe vote', args: { election: 'e1' } },
};
const text = (s: string) => ({ text: s });
const probe: Feature = {
  id: 'probe',
  catalogues: { en: { 'probe.cmd': 'Probe' }, cy: { 'probe.cmd': 'Probe' } },
  commands: [
    defineCommand({ names: { en: 'probe form', cy: 'probe ffurflen' }, group: 'core', summary: 'probe.cmd', args: [], examples: { en: [], cy: [] }, permission: 'anyone', needsForum: false, run: async () => ({ text: 'form', blocks: [{ type: 'form', form }] }) }),
    defineCommand({ names: { en: 'probe ballot', cy: 'probe papur' }, group: 'core', summary: 'probe.cmd', args: [], examples: { en: [], cy: [] }, permission: 'anyone', needsForum: false, run: async () => ({ text: 'ballot', blocks: [{ type: 'ballot', ballot }] }) }),
    defineCommand({
      names: { en: 'probe answer', cy: 'probe ateb' }, group: 'core', summary: 'probe.cmd', hidden: true, examples: { en: [], cy: [] }, permission: 'anyone', needsForum: false,
      args: [arg('seat', z.string(), 'probe.cmd'), ...form.fields.map((f) => arg(f.name, z.string(), 'probe.cmd'))],
      run: async (_ctx, a: Record<string, unknown>) => text(`got ${form.fields.map((f) => a[f.name]).join(',')} for ${String(a.seat)}`),
    }),
    defineCommand({
      names: { en: 'probe vote', cy: 'probe pleidlais' }, group: 'core', summary: 'probe.cmd', hidden: true, examples: { en: [], cy: [] }, permission: 'anyone', needsForum: false,
      args: [arg('election', z.string(), 'probe.cmd'), arg('ranking', z.string(), 'probe.cmd')],
      run: async (_ctx, a: Record<string, unknown>) => text(`ranking ${String(a.ranking)} in ${String(a.election)}`),
    }),
  ],
};

describe('the Discord driver submits forms and ranks ballots through the core', () => {
  let w: DiscordWorld;
  beforeAll(async () => {
    w = await discordWorld({}, [...features, probe]);
  }, 60_000);
  afterAll(async () => w?.driver.close());

  it('a form: fields from its modal, filled over two modal steps, submitted once', async () => {
    const [shown] = await w.driver.command('nia', 'probe form');
    expect(shown.formFields).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
    const answer = await w.driver.submit('nia', shown, Object.fromEntries(form.fields.map((f) => [f.name, `a${f.name}`])));
    expect(allText(answer)).toBe('got aq0,aq1,aq2,aq3,aq4,aq5,aq6 for s1');
  });

  it('a ballot: candidates from its rank selects, ranked and cast', async () => {
    const [shown] = await w.driver.command('nia', 'probe ballot');
    expect(shown.candidates).toEqual(['Alun', 'Bethan', 'Cerys', 'Dai']);
    expect(allText(await w.driver.rank('nia', shown, ['Cerys', 'Alun']))).toBe('ranking c2,c0 in e1');
  });
});
