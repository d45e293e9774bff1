/**
 * Checked by `npm run typecheck`, never run: catalogue keys are typed. Each `@ts-expect-error`
 * below must meet an error, so if keys became plain strings again the type check would fail here.
 */
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
