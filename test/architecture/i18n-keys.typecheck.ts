/**
 * Checked by `npm run typecheck`, never run: catalogue keys are typed. Each `@ts-expect-error`
 * below must meet an error, so if keys became plain strings again the type check would fail here.
 */
import { z } from 'zod';
import { arg } from '../../src/core/commands.ts';
import { AppError } from '../../src/core/errors.ts';
import type { Translate } from '../../src/core/i18n.ts';
import type { CountMethod } from '../../src/features/elections/counting/types.ts';

export function typedKeys(t: Translate, method: CountMethod, phase: 'DRAFT' | 'VOTING') {
  t('elections.cast.done', { title: 'x' });
  t(`elections.method.${method}`);
  t(`elections.phase.${phase}`);
  // @ts-expect-error: a misspelt key
  t('elections.cast.dnoe');
  // @ts-expect-error: a key built from a value with no words in the catalogue
  t(`elections.method.${method === 'av' ? 'condorcet' : method}`);
  // @ts-expect-error: a key built from any string
  t(`elections.phase.${String(phase)}`);
  // @ts-expect-error: an error's key is a catalogue key too
  return new AppError('elections.vote.notOnRol');
}

/** An argument that takes codes from a fixed list names a word for every code, or the type check fails. */
export function choiceWords() {
  arg('mode', z.enum(['immediate', 'digest']).optional(), 'updates.arg.mode', { choices: { immediate: 'core.choice.mode.immediate', digest: 'core.choice.mode.digest' } });
  // Welsh spellings are codes too: each needs its word (its English twin's)
  arg('short', z.enum(['short', 'byr']).transform(() => 'short' as const), 'updates.arg.short', { choices: { short: 'updates.choice.short', byr: 'updates.choice.short' } });
  // yes/no is shown as a boolean and free text has no list: neither needs words
  arg('all', z.enum(['yes', 'no']).default('no'), 'reportbacks.arg.all');
  arg('label', z.string().max(80).optional(), 'forums.arg.label');
  // @ts-expect-error: a code without its word
  arg('mode', z.enum(['immediate', 'digest']).optional(), 'updates.arg.mode', { choices: { immediate: 'core.choice.mode.immediate' } });
  // @ts-expect-error: a Welsh spelling without its word
  arg('short', z.enum(['short', 'byr']), 'updates.arg.short', { choices: { short: 'updates.choice.short' } });
  // @ts-expect-error: no words at all
  arg('mode', z.enum(['immediate', 'digest']).default('immediate'), 'updates.arg.mode', { positional: true });
  // @ts-expect-error: no options at all
  arg('mode', z.enum(['immediate', 'digest']), 'updates.arg.mode');
  // @ts-expect-error: a word for a code the argument does not take
  arg('mode', z.enum(['immediate']), 'updates.arg.mode', { choices: { immediate: 'core.choice.mode.immediate', digest: 'core.choice.mode.digest' } });
  // @ts-expect-error: a word that is not in the catalogue
  arg('mode', z.enum(['immediate']), 'updates.arg.mode', { choices: { immediate: 'updates.choice.mode.now' } });
}
