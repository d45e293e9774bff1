import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { I18n } from '../../src/core/i18n.ts';

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
