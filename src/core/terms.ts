/**
 * The one terminology list: the standard Welsh public-sector term for each thing the bot talks
 * about (as Welsh Government publications use them; see DOMAIN.md, “Welsh terms”). Every feature's
 * catalogue and examples use these words; the catalogue test fails when an English message names a
 * term and its Welsh does not, or when Welsh uses a word listed under `not`.
 *
 * The forums this bot serves speak of Local Service Boards (LSB), so the Welsh is Bwrdd Gwasanaethau
 * Lleol (BGLl) everywhere; a Public Services Board would be Bwrdd Gwasanaethau Cyhoeddus (BGC).
 */
import type { Locale } from './i18n.ts';

export interface Term {
  /** how the term is written, and its abbreviation where it has one */
  en: string;
  cy: string;
  abbr?: Record<Locale, string>;
  /** other forms that say the same (“diwrnod gwaith” after a number) */
  also?: string[];
  /** words a Welsh message must not use for it (coinages, the other board's abbreviation…) */
  not?: string[];
}

export const TERMS = {
  cvc: { en: 'County Voluntary Council', cy: 'Cyngor Gwirfoddol Sirol', abbr: { en: 'CVC', cy: 'CGS' }, not: ['Cyngor Gwasanaethau Gwirfoddol'] },
  lsb: { en: 'Local Service Board', cy: 'Bwrdd Gwasanaethau Lleol', abbr: { en: 'LSB', cy: 'BGLl' }, not: ['BGC', 'Bwrdd Gwasanaethau Cyhoeddus'] },
  stv: { en: 'single transferable vote', cy: 'pleidlais sengl drosglwyddadwy', not: ['pleidlais drosglwyddadwy sengl'] },
  fptp: { en: 'first past the post', cy: 'y cyntaf i’r felin' },
  returningOfficer: { en: 'returning officer', cy: 'swyddog canlyniadau', not: ['swyddog canlyniad ', 'swyddog etholiadol'] },
  ron: { en: 're-open nominations', cy: 'ailagor enwebiadau', abbr: { en: 'RON', cy: 'RON' }, not: ['ARE'] },
  sip: { en: 'Single Integrated Plan', cy: 'Cynllun Integredig Sengl', abbr: { en: 'SIP', cy: 'CIS' } },
  thirdSector: { en: 'third sector', cy: 'trydydd sector' },
  liaisonGroup: { en: 'liaison group', cy: 'grŵp cyswllt' },
  workingDays: { en: 'working days', cy: 'diwrnodau gwaith', also: ['diwrnod gwaith'] },
} as const satisfies Record<string, Term>;

export type TermName = keyof typeof TERMS;

/** A term in a language: its abbreviation when `short` and it has one, else its full name. */
export function term(name: TermName, locale: Locale, short = false): string {
  const t: Term = TERMS[name];
  return short && t.abbr ? t.abbr[locale] : t[locale];
}

/** A Welsh word's forms as it may appear mutated at the start (soft, nasal, aspirate): “Fwrdd” for “Bwrdd”. */
const MUTATED_STARTS: Record<string, string[]> = {
  p: ['b', 'mh', 'ph'], t: ['d', 'nh', 'th'], c: ['g', 'ngh', 'ch'], b: ['f', 'm'], d: ['dd', 'n'], g: ['', 'ng'], m: ['f'], ll: ['l'], rh: ['r'],
};

/** A pattern matching a Welsh term with its first letter radical or mutated, as a whole phrase. */
export function welshTermPattern(text: string): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = ['ll', 'rh'].find((p) => text.toLowerCase().startsWith(p)) ?? text[0].toLowerCase();
  const rest = text.slice(start.length);
  const starts = [start, ...(MUTATED_STARTS[start] ?? [])];
  return new RegExp(`(^|[^\\p{L}])(${starts.map(esc).join('|')})${esc(rest)}(?![\\p{L}])`, 'iu');
}
