/**
 * Forgiving reading of what people type: one set of rules used by the command parser and by every
 * name lookup. Case, straight or curly apostrophes and quotes, Welsh letters typed without their
 * accents (`Sian` for `Siân`, `ty` for `tŷ`) and spacing do not matter; near misses get a
 * "did you mean" (fastest-levenshtein measures them).
 */
import { distance } from 'fastest-levenshtein';

/** Text as compared: lower case, accents dropped, one kind of apostrophe, single spaces. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’‘`´ʼ]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Words of a name or a typed phrase, folded, with surrounding punctuation ("Board?", "(Powys)") dropped. */
export function foldedWords(text: string): string[] {
  return fold(text)
    .split(' ')
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean);
}

/**
 * How many of `words` (from the start) spell the longest of the known `names`; 0 when none does.
 * `nominate Health Board 2027 Amira Khan` → 3 words for the election "Health Board 2027".
 */
export function longestKnownPrefix(words: string[], names: readonly string[]): number {
  const typed = words.map((w) => foldedWords(w).join(' '));
  if (typed.length === 0) return 0;
  // the first word may be mutated (“ar Fwrdd Iechyd…”): try its radical forms too
  const [first, ...rest] = typed;
  let best = 0;
  for (const variant of [first, ...radicals(first)]) best = Math.max(best, knownPrefix([variant, ...rest], names));
  return best;
}

// each list of known names is folded once: the bot keeps a forum's list and hands the same array to every command
const foldedLists = new WeakMap<readonly string[], string[]>();

function foldedNames(names: readonly string[]): string[] {
  let folded = foldedLists.get(names);
  if (!folded) {
    folded = names.map((name) => foldedWords(name).join(' '));
    foldedLists.set(names, folded);
  }
  return folded;
}

function knownPrefix(typed: string[], names: readonly string[]): number {
  let best = 0;
  for (const target of foldedNames(names)) {
    if (!target) continue;
    let joined = '';
    for (let n = 1; n <= typed.length; n++) {
      joined = joined ? `${joined} ${typed[n - 1]}` : typed[n - 1];
      if (joined.length > target.length) break;
      if (joined === target && n > best) best = n;
    }
  }
  return best;
}

/** Whether every typed word starts a word of the name, in order: "health board" fits "Health and Social Care Board". */
export function wordsFit(query: string, name: string): boolean {
  const q = foldedWords(query);
  const n = foldedWords(name);
  if (q.length === 0) return false;
  let i = 0;
  for (const word of n) if (i < q.length && word.startsWith(q[i])) i++;
  return i === q.length;
}

/**
 * Whether a typed phrase is a near miss of a name: at most a third of its letters wrong, or two
 * slips in a name of five letters or more ("Amria" for "Amira"). Returns the edit distance, or undefined.
 */
function nearMiss(query: string, name: string): number | undefined {
  const q = foldedWords(query).join(' ');
  const n = foldedWords(name).join(' ');
  const d = distance(q, n);
  return d <= n.length / 3 || (d <= 2 && n.length >= 5) ? d : undefined;
}

/**
 * The names a person probably meant: those the typed words fit ("health board"), then near misses by
 * spelling ("Helth Bord 2027"); at most `max`, closest first. Empty when nothing is close.
 */
export function didYouMean(query: string, names: readonly string[], max = 3): string[] {
  const unique = [...new Set(names)];
  const fits = unique.filter((n) => wordsFit(query, n));
  const near = unique
    .filter((n) => !fits.includes(n))
    .map((n) => ({ n, d: nearMiss(query, n) }))
    .filter((x): x is { n: string; d: number } => x.d !== undefined)
    .sort((a, b) => a.d - b.d)
    .map((x) => x.n);
  return [...fits, ...near].slice(0, max);
}

/**
 * Words people answer with, in Welsh and English, and the option each means. Welsh answers yes and
 * no with the verb of the question (`oes`/`nac oes`, `do`/`naddo`, `ydw`/`nac ydw`…) as well as
 * `ie`/`na`; every command option and form choice accepts these (see {@link optionReading}).
 */
const YES = ['yes', 'y', 'yep', 'true', 'ie', 'oes', 'do', 'ydw', 'ydy', 'ydi', 'ydyn', 'ydych', 'ydan', 'bydd', 'byddaf', 'gwnaf', 'cytuno', 'cytunaf', 'iawn'];
const NO = ['no', 'n', 'nope', 'false', 'na', 'nac oes', 'naddo', 'nac ydw', 'nac ydy', 'nac ydi', 'nac ydyn', 'nac ydych', 'na fydd', 'na wnaf', 'nage', 'dim', 'dim diolch'];
const OPTION_WORDS: Record<string, string> = {
  ...Object.fromEntries(YES.map((w) => [w, 'yes'])),
  ...Object.fromEntries(NO.map((w) => [w, 'no'])),
  ymlaen: 'on', 'troi ymlaen': 'on', 'i ffwrdd': 'off', diffodd: 'off', 'troi i ffwrdd': 'off',
  'ar unwaith': 'immediate', 'yn syth': 'immediate', syth: 'immediate', crynodeb: 'digest', wythnosol: 'digest',
  mudiad: 'organisation', sefydliad: 'organisation', organization: 'organisation', unigolyn: 'individual', unigol: 'individual', fi: 'me',
  corff: 'party', cod: 'code', ymrwymiad: 'commitment',
  blwyddyn: 'year', chwarter: 'quarter', 'blwyddyn ariannol': 'financial-year',
  egwyddor: 'principle', ysbryd: 'spirit',
  cymraeg: 'cy', welsh: 'cy', saesneg: 'en', english: 'en',
  byr: 'short',
};

/** The option a typed answer means (`nac oes` → `no`, `wythnosol` → `digest`), or undefined. */
export function optionReading(text: string): string | undefined {
  return OPTION_WORDS[fold(text).replace(/[.!]+$/, '')];
}

/** Whether an answer means yes (true), no (false), or neither (undefined), in either language. */
export function yesNo(text: string): boolean | undefined {
  const o = optionReading(text);
  return o === 'yes' ? true : o === 'no' ? false : undefined;
}

/** How many words (1 or 2) starting a list spell one option word (“nac oes”, “i ffwrdd”); 0 when none. */
export function optionLength(words: readonly string[]): number {
  if (words.length >= 2 && optionReading(`${words[0]} ${words[1]}`)) return 2;
  return words.length >= 1 && optionReading(words[0]) ? 1 : 0;
}

/**
 * A Welsh word's possible radical (dictionary) forms, when its first letter may be mutated: after
 * `ar`, `i`, `o`… a name is typed as Welsh says it (`ar Fwrdd Iechyd`, `yng Nghyngor…`, `â
 * Phartneriaeth…`). Soft, nasal and aspirate mutations, and the `h` put before a vowel. The word
 * itself is not included; folded (lower case) words in and out.
 */
const UNMUTATE: [string, string[]][] = [
  ['ngh', ['c']], ['mh', ['p']], ['nh', ['t']], ['ng', ['g']], ['ph', ['p']], ['th', ['t']], ['ch', ['c']], ['dd', ['d']],
  ['b', ['p']], ['d', ['t']], ['g', ['c']], ['f', ['b', 'm']], ['l', ['ll']], ['r', ['rh']], ['m', ['b', 'p']], ['n', ['d', 't']],
];
export function radicals(word: string): string[] {
  const out = new Set<string>();
  for (const [from, tos] of UNMUTATE) if (word.startsWith(from) && word.length > from.length) for (const to of tos) out.add(to + word.slice(from.length));
  if (/^[aeiouwyâêîôûŵŷ]/.test(word)) out.add(`g${word}`); // soft mutation drops g: “wasanaethau” → “gwasanaethau”
  if (/^h[aeiouwy]/.test(word)) out.add(word.slice(1)); // “ei hethol”
  out.delete(word);
  return [...out];
}

/** A typed name and the same name with its first word unmutated (“Fwrdd Iechyd” → “Bwrdd Iechyd”), the typed one first. */
export function nameVariants(typed: string): string[] {
  const f = fold(typed);
  const [first, ...rest] = f.split(' ');
  if (!first) return [f];
  return [f, ...radicals(first).map((r) => [r, ...rest].join(' '))];
}

/**
 * The names to offer for what has been typed so far (autocomplete): those it starts, then those
 * whose words it starts ("health bo" → "Health and Social Care Board"), then those containing it,
 * then near misses by spelling; alphabetical within each, at most `max`. Nothing typed: the first
 * `max` names alphabetically.
 */
export function namesForTyped(typed: string, names: readonly string[], max = 25): string[] {
  const unique = [...new Set(names)].sort((a, b) => a.localeCompare(b, 'en-GB'));
  const q = foldedWords(typed).join(' ');
  if (!q) return unique.slice(0, max);
  const keyed = unique.map((n) => ({ n, f: foldedWords(n).join(' ') }));
  const starts = keyed.filter((x) => x.f.startsWith(q));
  const fits = keyed.filter((x) => !x.f.startsWith(q) && wordsFit(typed, x.n));
  const contains = keyed.filter((x) => !x.f.startsWith(q) && !wordsFit(typed, x.n) && x.f.includes(q));
  const out = [...starts, ...fits, ...contains].map((x) => x.n);
  if (out.length < max) for (const n of didYouMean(typed, unique, max)) if (!out.includes(n)) out.push(n);
  return out.slice(0, max);
}
