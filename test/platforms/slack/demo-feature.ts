import { z } from 'zod';
import { arg, defineCommand, type CommandDef } from '../../../src/core/commands.ts';
import type { Feature } from '../../../src/core/feature.ts';
import type { OutgoingMessage } from '../../../src/core/messages.ts';

/**
 * A test-only feature for the platform adapters: one message holding every element (a form, a
 * ranked ballot, buttons, a select), and submit commands that echo what they received.
 */
const anything = (name: string) => arg(name, z.unknown().optional(), 'demo.arg');
const echo = (en: string, cy: string, argNames: string[], label: string, ephemeral = false): CommandDef =>
  defineCommand({
    names: { en, cy },
    group: 'demo',
    summary: 'demo.cmd.echo',
    args: argNames.map(anything),
    examples: { en: [], cy: [] },
    permission: 'anyone',
    needsForum: false,
    hidden: true,
    async run(_ctx, args) {
      const message: OutgoingMessage = { text: `${label}: ${JSON.stringify(args)}` };
      return ephemeral ? { visibility: 'ephemeral', message } : message;
    },
  });

export const demoMessage: OutgoingMessage = {
  text: 'A demo form, ballot and buttons',
  blocks: [
    { type: 'header', text: 'Demo: project report and vote' },
    { type: 'section', text: 'Fill in the report below <and> rank the candidates & vote.' },
    { type: 'fields', fields: [{ label: 'Deadline', value: '1 December 2026' }, { label: 'Forum', value: 'Test Forum' }] },
    {
      type: 'form',
      form: {
        id: 'report',
        title: 'Project report',
        submitLabel: 'Send report',
        fields: [
          { kind: 'text', name: 'title', label: 'Title', required: true, maxLength: 80, placeholder: 'e.g. Winter food drive' },
          { kind: 'textarea', name: 'notes', label: 'Notes', maxLength: 200 },
          { kind: 'number', name: 'people', label: 'People reached', required: true, min: 0, max: 500 },
          { kind: 'date', name: 'when', label: 'Date of the meeting' },
          { kind: 'select', name: 'area', label: 'Interest area', options: [{ label: 'Health', value: 'health' }, { label: 'Environment', value: 'environment' }] },
          { kind: 'checkbox', name: 'public', label: 'Publish on the forum website' },
        ],
        submit: { command: 'demo echo form', args: { form: 'report' } },
      },
    },
    { type: 'divider' },
    {
      type: 'ballot',
      ballot: {
        id: 'chair',
        title: 'Election: Chair',
        instructions: 'Put 1 next to your first choice, 2 next to your second, and so on.',
        candidates: [
          { id: 'c-alys', name: 'Alys Jones', statement: 'I have chaired the food bank for six years.' },
          { id: 'c-bryn', name: 'Bryn Davies', statement: 'Carers need a louder voice.' },
          { id: 'c-ceri', name: 'Ceri Evans' },
        ],
        submitLabel: 'Cast my vote',
        submit: { command: 'demo echo vote', args: { election: 'e1' } },
      },
    },
    {
      type: 'buttons',
      buttons: [
        { label: 'Approve', style: 'primary', action: { command: 'demo echo press', args: { choice: 'approve' } } },
        { label: 'Withdraw', style: 'danger', action: { command: 'demo echo press', args: { choice: 'withdraw' } } },
      ],
    },
    {
      type: 'select',
      id: 'colour',
      label: 'Favourite colour',
      placeholder: 'Choose a colour',
      options: [{ label: 'Green', value: 'green' }, { label: 'Purple', value: 'purple', description: 'the forum colour' }],
      action: { command: 'demo echo choice', args: { from: 'select' } },
      argName: 'colour',
    },
  ],
};

const demo = defineCommand({
  names: { en: 'demo form', cy: 'demo ffurflen' },
  group: 'demo',
  summary: 'demo.cmd.form',
  args: [],
  examples: { en: ['demo form'], cy: ['demo ffurflen'] },
  permission: 'anyone',
  needsForum: false,
  async run() {
    return demoMessage;
  },
});

export const demoFeature: Feature = {
  id: 'demo',
  catalogues: {
    en: { 'demo.cmd.form': 'Show a demo form and ballot', 'demo.cmd.echo': 'Echo what was received', 'demo.arg': 'any value', 'core.help.group.demo': 'Demo' },
    cy: { 'demo.cmd.form': 'Dangos ffurflen a phapur pleidleisio enghreifftiol', 'demo.cmd.echo': 'Adleisio’r hyn a dderbyniwyd', 'demo.arg': 'unrhyw werth', 'core.help.group.demo': 'Enghraifft' },
  },
  commands: [
    demo,
    echo('demo echo form', 'demo adlais ffurflen', ['form', 'title', 'notes', 'people', 'when', 'area', 'public'], 'Form received'),
    echo('demo echo vote', 'demo adlais pleidlais', ['election', 'ranking'], 'Vote received'),
    echo('demo echo press', 'demo adlais botwm', ['choice'], 'Pressed', true),
    echo('demo echo choice', 'demo adlais dewis', ['from', 'colour'], 'Chosen'),
  ],
};
