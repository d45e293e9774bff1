import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  alertBands,
  keywordMatches,
  matchesSubscription,
  matchSubscription,
  valueBandOf,
  type MatchableAlert,
  type Subscription,
  type ValueBand,
} from './matching.ts';
import { mapRelease } from './ocds.ts';

const gbp = (amount: number) => ({ amount, currency: 'GBP' });

const alert: MatchableAlert = {
  title: 'Domiciliary care for older people',
  description: 'Support at home across the county, including carers’ respite.',
  buyer: 'Ceredigion County Council',
  themes: ['Health', 'older-people'],
  areas: ['ceredigion'],
  value: gbp(20_000),
};

describe('valueBandOf: boundaries (lower bound included)', () => {
  it.each<[number, ValueBand | null]>([
    [0, 'under-5k'],
    [4_999.99, 'under-5k'],
    [5_000, '5k-25k'],
    [24_999, '5k-25k'],
    [25_000, '25k-100k'],
    [99_999.99, '25k-100k'],
    [100_000, 'over-100k'],
    [300_000, 'over-100k'],
    [-1, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
  ])('£%d → %s', (amount, band) => {
    expect(valueBandOf(amount)).toBe(band);
  });
});

describe('alertBands', () => {
  it.each<[string, Pick<MatchableAlert, 'value' | 'minValue' | 'lots'>, ValueBand[]]>([
    ['no value', {}, []],
    ['a point value', { value: gbp(20_000) }, ['5k-25k']],
    ['exactly £25,000', { value: gbp(25_000) }, ['25k-100k']],
    ['a range across three bands', { minValue: gbp(4_000), value: gbp(30_000) }, ['under-5k', '5k-25k', '25k-100k']],
    ['a range ending exactly at £5,000', { minValue: gbp(1_000), value: gbp(5_000) }, ['under-5k', '5k-25k']],
    ['a range ending just below £5,000', { minValue: gbp(1_000), value: gbp(4_999) }, ['under-5k']],
    ['minValue above value is still a range', { minValue: gbp(30_000), value: gbp(20_000) }, ['5k-25k', '25k-100k']],
    ['minValue alone is open-ended', { minValue: gbp(90_000) }, ['25k-100k', 'over-100k']],
    ['Families First: £300k with small lots', { value: gbp(300_000), lots: [{ value: gbp(4_000) }, { value: gbp(60_000) }] }, ['under-5k', '25k-100k', 'over-100k']],
    ['lots without a tender value', { value: null, lots: [{ value: null }, { value: gbp(10_000) }] }, ['5k-25k']],
    ['a EUR value is ignored', { value: { amount: 20_000, currency: 'EUR' } }, []],
    ['EUR value, GBP lot', { value: { amount: 1e6, currency: 'EUR' }, lots: [{ value: gbp(2_000) }] }, ['under-5k']],
    ['lower-case gbp is GBP', { value: { amount: 2_000, currency: 'gbp' } }, ['under-5k']],
    ['a negative amount is ignored', { value: gbp(-10) }, []],
  ])('%s → %j', (_, a, bands) => {
    expect(alertBands(a)).toEqual(bands);
  });
});

describe('keywordMatches: whole words, any case', () => {
  it.each<[string, string, boolean]>([
    ['Domiciliary care for older people', 'care', true],
    ['Domiciliary CARE for older people', 'Care', true],
    ['Careers advice service', 'care', false],
    ['Healthcare services', 'care', false],
    ["Children's services", 'children', true],
    ['Children’s services', 'children', true],
    ['After-school club', 'school', true],
    ['Youth work (12–18)', 'youth work', true],
    ['Youth\n  work', 'youth work', true],
    ['Youthwork', 'youth work', false],
    ['Gwasanaethau gofal i bobl hŷn', 'hŷn', true],
    ['GWASANAETHAU GOFAL I BOBL HŶN', 'hŷn', true],
    ['Gofal yn y cartref', 'gofal', true],
    ['Advice (debt)', 'debt', true],
    ['Cost: £5k (approx.)', '£5k', true],
    ['C++ training', 'c++', true],
    ['Anything', '   ', false],
    ['a . b', '.', true],
    ['ab', '.', false],
  ])('%j contains %j → %s', (text, keyword, expected) => {
    expect(keywordMatches(text, keyword)).toBe(expected);
  });
});

describe('matchSubscription: each filter', () => {
  it.each<[string, Subscription, SubscriptionResult]>([
    ['empty subscription matches everything', {}, []],
    ['all filters empty arrays', { themes: [], areas: [], valueBands: [], keywords: [] }, []],
    ['theme any-of hit', { themes: ['housing', 'health'] }, []],
    ['theme compared case-insensitively and trimmed', { themes: [' HEALTH '] }, []],
    ['theme miss', { themes: ['housing'] }, ['themes']],
    ['area hit', { areas: ['powys', 'ceredigion'] }, []],
    ['area miss', { areas: ['powys'] }, ['areas']],
    ['band hit', { valueBands: ['5k-25k'] }, []],
    ['band any-of hit', { valueBands: ['under-5k', '5k-25k'] }, []],
    ['band miss', { valueBands: ['over-100k'] }, ['valueBands']],
    ['keyword hit in title', { keywords: ['care'] }, []],
    ['keyword hit in description', { keywords: ['respite'] }, []],
    ['keyword hit in buyer', { keywords: ['ceredigion'] }, []],
    ['keyword any-of', { keywords: ['housing', 'older people'] }, []],
    ['keyword partial word is a miss', { keywords: ['domicil'] }, ['keywords']],
    ['blank keywords are no restriction', { keywords: ['', '  '] }, []],
  ])('%s', (_, subscription, failed) => {
    expect(matchSubscription(alert, subscription)).toEqual({ matches: failed.length === 0, failed });
    expect(matchesSubscription(alert, subscription)).toBe(failed.length === 0);
  });
});

type SubscriptionResult = Array<'themes' | 'areas' | 'valueBands' | 'keywords'>;

describe('matchSubscription: combinations', () => {
  it.each<[string, Subscription, SubscriptionResult]>([
    ['all four match', { themes: ['health'], areas: ['ceredigion'], valueBands: ['5k-25k'], keywords: ['care'] }, []],
    ['one filter fails: no match', { themes: ['health'], areas: ['powys'], valueBands: ['5k-25k'], keywords: ['care'] }, ['areas']],
    ['several fail: all reported', { themes: ['housing'], areas: ['powys'], valueBands: ['over-100k'], keywords: ['roads'] }, ['themes', 'areas', 'valueBands', 'keywords']],
    ['empty filters beside a failing one', { themes: [], keywords: ['roads'] }, ['keywords']],
  ])('%s', (_, subscription, failed) => {
    expect(matchSubscription(alert, subscription).failed).toEqual(failed);
  });

  it('an alert without themes or areas fails theme and area filters', () => {
    const bare: MatchableAlert = { title: 'Care', value: gbp(1) };
    expect(matchSubscription(bare, { themes: ['health'], areas: ['powys'] }).failed).toEqual(['themes', 'areas']);
    expect(matchesSubscription(bare, {})).toBe(true);
  });

  it.each<[string, MatchableAlert, boolean | undefined, boolean]>([
    ['no value, default', { title: 'x' }, undefined, false],
    ['no value, includeUnvalued', { title: 'x' }, true, true],
    ['EUR only, default', { title: 'x', value: { amount: 3_000, currency: 'EUR' } }, undefined, false],
    ['EUR only, includeUnvalued', { title: 'x', value: { amount: 3_000, currency: 'EUR' } }, true, true],
    ['GBP outside the band, includeUnvalued does not help', { title: 'x', value: gbp(500_000) }, true, false],
  ])('band filter with %s', (_, a, includeUnvalued, expected) => {
    expect(matchesSubscription(a, { valueBands: ['under-5k'], includeUnvalued })).toBe(expected);
  });

  it('accepts a buyer object and lots, as mapped from OCDS', () => {
    const sample = JSON.parse(readFileSync(new URL('../../../../test/data/ocds/ocds-213czf-000-00001-02-tender.json', import.meta.url), 'utf8'));
    const mapped = mapRelease(sample.releases[0]);
    if (!mapped.ok) throw new Error(mapped.errors.join('; '));
    const tender: MatchableAlert = { ...mapped.tender, themes: ['transport'], areas: ['barnet'] };
    expect(matchesSubscription(tender, { keywords: ['barnet'], valueBands: ['over-100k'], themes: ['transport'] })).toBe(true);
    expect(matchesSubscription(tender, { keywords: ['cycle lanes'] })).toBe(true);
    expect(matchesSubscription(tender, { keywords: ['cycle lane improvement'] })).toBe(false);
    expect(matchesSubscription(tender, { valueBands: ['25k-100k'] })).toBe(false);
    const withLots = { ...tender, lots: [{ id: '1', title: null, value: gbp(50_000) }] };
    expect(matchesSubscription(withLots, { valueBands: ['25k-100k'] })).toBe(true);
  });
});
