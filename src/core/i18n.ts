/**
 * Every user-facing string lives in an English and a Welsh catalogue. Features register their
 * catalogues; a test checks that both languages have every key.
 *
 * Keys are typed: each catalogue file adds its English keys to {@link MessageCatalogue} (see
 * {@link defineCatalogues}), and `t()` takes only a {@link MessageKey}, so a misspelt or missing
 * key fails `npm run typecheck`. A key built at run time must be built from a typed union
 * (`elections.phase.${Phase}`) or looked up in an explicit map, never from a plain string.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { LONDON } from './london-time.ts';

export const LOCALES = ['en', 'cy'] as const;
export type Locale = (typeof LOCALES)[number];

export type Catalogue = Record<string, string>;
export interface Catalogues {
  en: Catalogue;
  cy: Catalogue;
}

/**
 * Every catalogue key, by declaration merging: a catalogue file says
 * `declare module '…/core/i18n.ts' { interface MessageCatalogue extends KeysOf<typeof myCatalogues> {} }`.
 */
export interface MessageCatalogue {}
export type MessageKey = keyof MessageCatalogue & string;
/** The help groups: every `core.help.group.<group>` key. */
export type CommandGroup = MessageKey extends infer K ? (K extends `core.help.group.${infer G}` ? G : never) : never;
/** The keys a catalogue defines, as an object type a MessageCatalogue declaration can extend. */
export type KeysOf<C extends { en: Catalogue }> = Record<keyof C['en'], true>;

/**
 * A feature's catalogues, English first: the Welsh must have exactly the English keys (checked by
 * the compiler), and the keys stay literal so they can join {@link MessageCatalogue}.
 */
export function defineCatalogues<const E extends Catalogue>(c: { en: E; cy: { [K in keyof E]: string } }): { en: E; cy: { [K in keyof E]: string } } {
  return c;
}

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export class I18n {
  private readonly entries: Catalogues = { en: {}, cy: {} };
  /** keys whose message is ICU MessageFormat in either language */
  private readonly icuKeys = new Set<string>();

  /** Adds a feature's catalogues; a key defined twice is a programming error. */
  register(catalogues: Catalogues): void {
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(catalogues[locale])) {
        if (key in this.entries[locale]) throw new Error(`i18n key defined twice: ${locale}.${key}`);
        this.entries[locale][key] = text;
        if (PLURAL.test(text)) this.icuKeys.add(key); // decided once here, not on every t()
      }
    }
  }

  has(key: string): key is MessageKey {
    return key in this.entries.en;
  }

  keys(locale: Locale): string[] {
    return Object.keys(this.entries[locale]);
  }

  t(locale: Locale, key: string, params: Params = {}): string {
    const text = this.entries[locale][key] ?? this.entries.en[key];
    if (text === undefined) return key;
    // a message that varies with a number ({count, plural, one {…} other {…}}) is ICU MessageFormat,
    // with each language's own plural rules (Welsh has six forms); the rest are plain placeholders
    if (this.icuKeys.has(key)) {
      try {
        return this.icu(locale, key, text).format(params) as string;
      } catch {
        return text; // a number the message needs was not given: the pattern, not a crash
      }
    }
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  }

  private readonly formats = new Map<string, IntlMessageFormat>();

  /** The names a message takes, ICU messages included (`{count, plural, …}` takes `count`). */
  static argumentNames(text: string): string[] {
    if (!PLURAL.test(text)) return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const names: string[] = [];
    type El = { type: number; value?: unknown; options?: Record<string, { value: El[] }> };
    const walk = (els: El[]) => {
      for (const el of els) {
        if (el.type >= 1 && el.type <= 6 && typeof el.value === 'string') names.push(el.value);
        for (const o of Object.values(el.options ?? {})) walk(o.value);
      }
    };
    walk(new IntlMessageFormat(text, 'en', undefined, { ignoreTag: true }).getAst() as El[]);
    return names;
  }

  /** A compiled ICU message, made once per language and key. */
  private icu(locale: Locale, key: string, text: string): IntlMessageFormat {
    const id = `${locale}\u0000${key}`;
    let f = this.formats.get(id);
    if (!f) {
      f = new IntlMessageFormat(text, locale, undefined, { ignoreTag: true });
      this.formats.set(id, f);
    }
    return f;
  }

  translator(locale: Locale): Translate {
    return (key: MessageKey, params?: Params) => this.t(locale, key, params);
  }
}

/** Whether a message is ICU MessageFormat (it varies by a plural or a choice). */
export const PLURAL = /\{\s*\w+\s*,\s*(plural|selectordinal|select)\s*,/;

export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

// Making a DateTimeFormat costs far more than using one, so each is made once.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Dates as people read them in each language, in the UK's time zone. */
export function formatDate(date: Date, locale: Locale, withTime = false): string {
  const key = `${locale}|${withTime}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'cy' ? 'cy-GB' : 'en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
      timeZone: LONDON,
    });
    dateFormats.set(key, format);
  }
  return format.format(date);
}
