import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { IntlMessageFormat } from 'intl-messageformat';
import { I18n, LOCALES, PLURAL } from '../../src/core/i18n.ts';
import { TERMS, welshTermPattern, type Term } from '../../src/core/terms.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('catalogues', () => {
  const { services, features } = createApp({ db: {} as never });
  const i18n = services.i18n;

  it('every key exists in English and Welsh, and Welsh is not English copied', () => {
    const en = new Set(i18n.keys('en'));
    const cy = new Set(i18n.keys('cy'));
    expect([...en].filter((k) => !cy.has(k))).toEqual([]);
    expect([...cy].filter((k) => !en.has(k))).toEqual([]);
    // a pattern of placeholders only ("{ref}: {title}") has no words to translate
    const words = (text: string) => text.replace(/\{\w+\}/g, '').replace(/[^\p{L}]+/gu, ' ').trim();
    const same = [...en].filter((k) => i18n.t('en', k) === i18n.t('cy', k) && words(i18n.t('en', k)).length > 12);
    expect(same).toEqual([]);
  });

  it('placeholders match between the languages', () => {
    const names = (s: string) => [...new Set(I18n.argumentNames(s))].sort().join(',');
    const mismatched = i18n.keys('en').filter((k) => names(i18n.t('en', k)) !== names(i18n.t('cy', k)));
    expect(mismatched).toEqual([]);
  });

  it('numbers agree with their nouns in both languages (ICU plurals, Welsh’s six forms)', () => {
    expect(i18n.t('en', 'forums.seats.count', { count: 1 })).toBe('1 seat');
    expect(i18n.t('en', 'forums.seats.count', { count: 3 })).toBe('3 seats');
    expect(i18n.t('en', 'reportbacks.search.title', { count: 1 })).toBe('1 report-back found');
    expect(i18n.t('en', 'reportbacks.search.title', { count: 0 })).toBe('No report-backs found');
    expect(i18n.t('en', 'reportbacks.history.title', { count: 2 })).toBe('Edited twice. Earlier versions:');
    expect(i18n.t('en', 'reportbacks.report.filed', { partnership: 'P', responses: 1, until: 'x' })).toMatch(/; 1 issue is answered and/);
    expect(i18n.t('cy', 'forums.seats.count', { count: 3 })).toBe('3 sedd'); // Welsh: a numeral takes the singular
    // every ICU message compiles and formats in both languages with a number for each of Welsh's forms
    for (const key of i18n.keys('en')) {
      for (const locale of ['en', 'cy'] as const) {
        const text = i18n.t(locale, key);
        if (!/\{\s*\w+\s*,\s*plural\s*,/.test(text)) continue;
        const params = Object.fromEntries(I18n.argumentNames(text).map((n) => [n, 'x']));
        for (const n of [0, 1, 2, 3, 6, 11]) {
          const plural = Object.fromEntries(Object.keys(params).map((k) => [k, n]));
          expect(i18n.t(locale, key, { ...params, ...plural }), `${locale} ${key} ${n}`).not.toMatch(/plural,|\{#/);
        }
      }
    }
  });

  it('every plural message has each form its language needs (CLDR categories from Intl.PluralRules)', () => {
    type El = { type: number; value?: string; options?: Record<string, { value: El[] }>; pluralType?: string };
    const missing: string[] = [];
    for (const locale of ['en', 'cy'] as const) {
      const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      const walk = (key: string, els: El[]) => {
        for (const el of els) {
          // type 6 is a plural (cardinal unless pluralType says ordinal)
          if (el.type === 6 && el.pluralType !== 'ordinal') {
            const have = Object.keys(el.options ?? {});
            for (const form of needed) if (!have.includes(form)) missing.push(`${locale} ${key}: ${el.value} lacks ${form}`);
          }
          for (const o of Object.values(el.options ?? {})) walk(key, o.value);
        }
      };
      for (const key of i18n.keys(locale)) {
        const text = i18n.t(locale, key);
        if (PLURAL.test(text)) walk(key, new IntlMessageFormat(text, locale, undefined, { ignoreTag: true }).getAst() as El[]);
      }
    }
    expect(new Intl.PluralRules('cy').resolvedOptions().pluralCategories.sort()).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
    expect(missing).toEqual([]);
  });

  it('a count followed by a noun goes through an ICU plural (no “1 seats”, no “{count} issues”)', () => {
    // a number shown as a label value ("Decisions: {decisions}", "({count})") needs no plural
    const COUNT = /\{(count|days|seats|people|uses|candidates|ballots|votes|weeks|minutes|seconds|tries|total|channels|failures|views|left|late|hours)\}\s+\p{L}/u;
    const bad = LOCALES.flatMap((locale) =>
      i18n.keys(locale).filter((k) => !/^(web|pages)\./.test(k)).flatMap((k) => {
        const text = i18n.t(locale, k);
        return !PLURAL.test(text) && COUNT.test(text) ? [`${locale} ${k}: ${text}`] : [];
      }),
    );
    expect(bad).toEqual([]);
  });

  it('every command’s summary, argument help and permission have text', () => {
    const missing: string[] = [];
    for (const f of features)
      for (const c of f.commands) {
        for (const key of [c.summary, `core.help.group.${c.group}`, `core.role.${c.permission}`, ...c.args.map((a) => a.help)]) if (!i18n.has(key)) missing.push(key);
        if (!c.examples.en.length || !c.examples.cy.length) missing.push(`${c.names.en}: examples`);
      }
    expect(missing).toEqual([]);
  });

  it('every catalogue key used in the sources exists', () => {
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory() && e.name !== 'generated') walk(full);
        else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.i18n.ts')) {
          for (const m of fs.readFileSync(full, 'utf8').matchAll(/['"`]((?:core|forums|elections|reportbacks|updates|breaches|tenders)\.[a-zA-Z]+\.[\w.]+)['"`]/g)) used.add(m[1]);
        }
      }
    };
    walk(path.join(root, 'src'));
    expect([...used].filter((k) => !i18n.has(k))).toEqual([]);
  });
});

/**
 * Welsh mutates the first letter of a word after these (soft: ar, i, o, at, am, dros, drwy, trwy, dan,
 * tan, heb, gan, hyd, wrth, neu, dy, ei (his), yn (predicative), pa, mor, dau, dwy; nasal: yn (in), fy;
 * aspirate: a, â, gyda, tua, ei (her), tri, tair, chwe, na, ni), and a value put into a sentence cannot
 * mutate: “ar {partnership}” prints “ar Bwrdd…” where Welsh needs “ar Fwrdd…”.
 */
export const MUTATION_TRIGGERS = [
  'ar', 'i', 'o', 'at', 'am', 'dros', 'drwy', 'trwy', 'dan', 'tan', 'heb', 'gan', 'hyd', 'wrth', 'neu', 'dy', 'fy', 'ei', 'eu', 'ein',
  'yn', 'pa', 'mor', 'dau', 'dwy', 'a', 'â', 'ac', 'gyda', 'efo', 'tua', 'tri', 'tair', 'chwe', 'na', 'ni', 'nac', 'dyma', 'dyna',
  "'n", "'i", "'w", "'u", "'m", "'th",
];
/**
 * Placeholders whose values never start with a letter Welsh mutates: numbers, dates as the catalogue
 * formats them (“15 Ionawr 2027”), amounts, links, paths, tender and update references (“T12”), codes.
 */
export const UNMUTATED_VALUES = new Set([
  'count', 'min', 'max', 'uses', 'days', 'weeks', 'minutes', 'hour', 'date', 'until', 'closes', 'opens', 'due', 'last', 'when', 'length',
  'electorate', 'total', 'pages', 'page', 'shown', 'ballots', 'votes', 'turnout', 'ack', 'liaison', 'term', 'held', 'people', 'channels',
  'nominationsOpen', 'nominationsClose', 'votingOpen', 'votingClose', 'link', 'url', 'path', 'ref', 'number', 'secret', 'from', 'to',
  'period', // a financial year, “2026-27”
]);
/** Messages that quote a command to type, words and value together (“cysylltu gyda K7QX”). */
const TYPED_COMMANDS = new Set(['core.link.code']);

/** Welsh messages with a placeholder straight after a word that mutates what follows it. */
export function mutatingPlaceholders(text: string): string[] {
  const folded = text.replace(/[’‘]/g, "'");
  const found: string[] = [];
  for (const m of folded.matchAll(/(^|[\s(“"/])([\p{L}']+)\s+\{(\w+)\}/gu)) {
    const word = m[2].toLowerCase();
    const trigger = MUTATION_TRIGGERS.find((t) => word === t || (t.startsWith("'") && word.endsWith(t)));
    if (trigger && !UNMUTATED_VALUES.has(m[3])) found.push(`${m[2]} {${m[3]}}`);
  }
  return found;
}

describe('Welsh a public body would publish', () => {
  const { services } = createApp({ db: {} as never });
  const i18n = services.i18n;

  it('the mutation check finds a value after a trigger word, and passes labels and quoted names', () => {
    expect(mutatingPlaceholders('Mae’r sedd ar {partnership} yn wag.')).toEqual(['ar {partnership}']);
    expect(mutatingPlaceholders('Cyfrifwyd drwy {method}.')).toEqual(['drwy {method}']);
    expect(mutatingPlaceholders('Mae {name} bellach yn {role}.')).toEqual(['yn {role}']);
    expect(mutatingPlaceholders('Gofynnwyd i’w {x} dderbyn.')).toEqual(["i'w {x}"]);
    expect(mutatingPlaceholders('Partneriaeth: {partnership}')).toEqual([]);
    expect(mutatingPlaceholders('ar y bartneriaeth “{partnership}”')).toEqual([]);
    expect(mutatingPlaceholders('Enwebiadau’n cau {closes}; ar agor tan {until}.')).toEqual([]);
  });

  it('no Welsh message puts a value where Welsh mutates it', () => {
    const bad = i18n.keys('cy').filter((k) => !TYPED_COMMANDS.has(k)).flatMap((k) => {
      const found = mutatingPlaceholders(i18n.t('cy', k));
      return found.length ? [`${k}: ${found.join(', ')}`] : [];
    });
    expect(bad).toEqual([]);
  });

  it('one terminology list: a Welsh message says each term as src/core/terms.ts does, never a coinage', () => {
    const wrong: string[] = [];
    for (const key of i18n.keys('en')) {
      const en = i18n.t('en', key);
      const cy = i18n.t('cy', key);
      for (const [name, t] of Object.entries(TERMS) as [string, Term][]) {
        const named = new RegExp(`\\b${t.en}\\b`, 'i').test(en) || (t.abbr !== undefined && new RegExp(`\\b${t.abbr.en}\\b`).test(en));
        const said = [t.cy, ...(t.also ?? [])].some((w) => welshTermPattern(w).test(cy)) || (t.abbr !== undefined && new RegExp(`\\b${t.abbr.cy}\\b`).test(cy));
        if (named && !said) wrong.push(`${key} lacks ${name} (${t.cy}): ${cy}`);
        for (const bad of t.not ?? []) if (new RegExp(`(^|[^\\p{L}])${bad}(?![\\p{L}])`, 'u').test(cy)) wrong.push(`${key} says “${bad}” for ${name}: ${cy}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(welshTermPattern('Bwrdd Gwasanaethau Lleol').test('ar Fwrdd Gwasanaethau Lleol Powys')).toBe(true);
    expect(welshTermPattern('Cyngor Gwirfoddol Sirol').test('yng Nghyngor Gwirfoddol Sirol')).toBe(true);
  });

  it('one register and one negation: chi, never ti; “Nid oes / Nid yw”, never “Does dim / Dydy … ddim”', () => {
    const TI = /(^|[^\p{L}])(ti|wyt|dy|gen ti|gennyt)(?![\p{L}’'])/iu;
    const COLLOQUIAL_NEGATION = /(^|[^\p{L}])(does|dydy|dydych|doedd|doeddwn|wnaeth neb|all [\p{L}]+ ddim)(?![\p{L}])/iu;
    const bad = i18n.keys('cy').flatMap((k) => {
      const text = i18n.t('cy', k);
      return TI.test(text) || COLLOQUIAL_NEGATION.test(text) ? [`${k}: ${text}`] : [];
    });
    expect(bad).toEqual([]);
  });

  it('codes the catalogue owns are chosen by select, every option in both languages, and never shown raw in Welsh', () => {
    type El = { type: number; value?: string; options?: Record<string, { value: El[] }> };
    const selects = (text: string, locale: 'en' | 'cy') => {
      const found: Record<string, string[]> = {};
      const walk = (els: El[]) => {
        for (const el of els) {
          if (el.type === 5 && el.value) found[el.value] = Object.keys(el.options ?? {}).sort();
          for (const o of Object.values(el.options ?? {})) walk(o.value);
        }
      };
      walk(new IntlMessageFormat(text, locale, undefined, { ignoreTag: true }).getAst() as El[]);
      return found;
    };
    const problems: string[] = [];
    let checked = 0;
    for (const key of i18n.keys('en')) {
      const en = i18n.t('en', key);
      const cy = i18n.t('cy', key);
      if (!/\{\s*\w+\s*,\s*select\s*,/.test(en + cy)) continue;
      const e = selects(en, 'en');
      const c = selects(cy, 'cy');
      if (JSON.stringify(e) !== JSON.stringify(c)) problems.push(`${key}: options differ ${JSON.stringify(e)} / ${JSON.stringify(c)}`);
      const params = Object.fromEntries(I18n.argumentNames(en).map((n) => [n, 7]));
      for (const [arg, options] of Object.entries(c)) {
        for (const option of options.filter((o) => o !== 'other')) {
          checked++;
          const text = i18n.t('cy', key, { ...params, [arg]: option });
          if (new RegExp(`(^|[^\\p{L}_])${option}(?![\\p{L}_])`, 'u').test(text)) problems.push(`${key}: Welsh shows the code ${option}: ${text}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(20);
    // the codes the issue found shown raw
    expect(i18n.t('cy', 'breaches.step.notAllowed', { from: 'filed', to: 'liaison' })).toBe(
      'Ni ellir symud yr achos fel hyn. Cyflwr yr achos: wedi’i gyflwyno. Y cam a ofynnwyd: trafod yn y grŵp cyswllt. Gwelwch fotymau’r achos am y camau y gall eu cymryd.',
    );
    expect(i18n.t('en', 'breaches.step.notAllowed', { from: 'acknowledged', to: 'filed' })).toMatch(/^A case that is acknowledged cannot be filed\./);
    expect(i18n.t('cy', 'updates.tooLong', { field: 'view', length: 2100, max: 2000 })).toMatch(/^Mae’r farn yn 2100 nod o hyd/);
    expect(i18n.t('cy', 'forums.role.added', { name: 'Siân Evans', role: 'representative' })).toBe('Mae Siân Evans bellach yn gynrychiolydd.');
    expect(i18n.t('cy', 'forums.role.added', { name: 'Siân Evans', role: 'returning_officer' })).toBe('Mae Siân Evans bellach yn swyddog canlyniadau.');
  });

  it('people are not assumed masculine, and counts of people read as Welsh counts', () => {
    expect(i18n.t('cy', 'elections.result.winner', { name: 'Siân Evans', seat: 'Sedd 1', votes: 12, until: '1 Ebrill 2029' })).toBe('Etholwyd Siân Evans i’r sedd “Sedd 1” (pleidleisiau: 12), tan 1 Ebrill 2029.');
    // “Mae {name} wedi’i ethol” (his), “… Gofynnwyd iddo” (to him) after naming a person
    const PERSON = '\\{(?:name|by|person|candidate|officer)\\}';
    const MASCULINE = [new RegExp(`(Mae|Nid yw|Roedd) ${PERSON} [^.]*wedi’i (?!h)\\p{L}+`, 'u'), new RegExp(`${PERSON}[^.]*\\.\\s[^.]*(?<!\\p{L})(iddo|ganddo|arno|amdano|wrtho|drosto)(?!\\p{L})`, 'u')];
    const bad = i18n.keys('cy').filter((k) => MASCULINE.some((re) => re.test(i18n.t('cy', k)))).map((k) => `${k}: ${i18n.t('cy', k)}`);
    expect(bad).toEqual([]);
    expect(i18n.keys('cy').filter((k) => /\{\w+\} o bobl/.test(i18n.t('cy', k)))).toEqual([]);
  });
});
