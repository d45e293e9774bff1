/**
 * The page's own few words, English and Welsh side by side (the bot's messages come translated by
 * the server). The Welsh half is marked lang="cy", so a screen reader reads it in a Welsh voice.
 */
import { el } from './dom.ts';

const T = {
  you: ['You', 'Chi'],
  bot: ['forumbot', 'forumbot'],
  chattingAs: ['Signed in as', 'Wedi mewngofnodi fel'],
  signedOut: ['You are signed out.', 'Rydych wedi allgofnodi.'],
  signInAs: ['Sign in as {name}', 'Mewngofnodi fel {name}'],
  signingIn: ['Signing you in…', 'Yn eich mewngofnodi…'],
  onlyYou: ['Only you can see this', 'Dim ond chi sy’n gallu gweld hwn'],
  notice: ['Notice', 'Hysbysiad'],
  choose: ['Choose', 'Dewis'],
  statement: ['Statement', 'Datganiad'],
  statementBy: [' by {name}', ' gan {name}'],
  rank: ['Rank', 'Safle'],
  rankFor: [' for {name}', ' ar gyfer {name}'],
  required: ['required', 'gofynnol'],
  none: ['(none)', '(dim)'],
  unreachable: ['Could not reach forumbot. Please try again.', 'Methu cyrraedd forumbot. Rhowch gynnig arall arni.'],
  refused: ['forumbot could not accept that', 'Nid oedd forumbot yn gallu derbyn hynny'],
  welcome: ['Hello {name}. Type “help” to see what you can do.', 'Helo {name}. Teipiwch “help” i weld beth allwch chi ei wneud.'],
  pickOne: ['Choose an option first.', 'Dewiswch opsiwn yn gyntaf.'],
  characters: ['characters', 'nod'],
} as const satisfies Record<string, readonly [string, string]>;

export type StringKey = keyof typeof T;
type Params = Record<string, string | number>;

const fill = (s: string, params?: Params) => s.replace(/\{(\w+)\}/g, (whole, name: string) => (params && name in params ? String(params[name]) : whole));

/** One language's text of a string. */
export const say = (key: StringKey, lang: 'en' | 'cy', params?: Params): string => fill(T[key][lang === 'en' ? 0 : 1], params);

/**
 * "English / Cymraeg" as nodes, each half marked with its language (they may sit inside a Welsh
 * message, whose lang="cy" the English half must not take).
 */
export function bi(key: StringKey, params?: Params): DocumentFragment {
  const en = say(key, 'en', params);
  const cy = say(key, 'cy', params);
  const frag = document.createDocumentFragment();
  if (en === cy) frag.append(en);
  else frag.append(el('span', { lang: 'en' }, en), ' / ', el('span', { lang: 'cy' }, cy));
  return frag;
}

/** "English / Cymraeg" as one string, where markup cannot go (a title attribute). */
export function biText(key: StringKey, params?: Params): string {
  const en = say(key, 'en', params);
  const cy = say(key, 'cy', params);
  return en === cy ? en : `${en} / ${cy}`;
}

/** A label whose visible words are the same everywhere ("Rank") and whose accessible name says whose ("Rank for Alys Jones"). */
export function biNamed(key: StringKey, hiddenKey: StringKey, params: Params): DocumentFragment {
  const frag = document.createDocumentFragment();
  const hidden = (lang: 'en' | 'cy') => el('span', { className: 'visually-hidden' }, say(hiddenKey, lang, params));
  frag.append(el('span', { lang: 'en' }, say(key, 'en'), hidden('en')), ' / ', el('span', { lang: 'cy' }, say(key, 'cy'), hidden('cy')));
  return frag;
}
