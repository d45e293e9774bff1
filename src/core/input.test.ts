import { describe, expect, it } from 'vitest';
import { didYouMean, fold, longestKnownPrefix, nameVariants, optionLength, optionReading, radicals, wordsFit, yesNo } from './input.ts';
import { pickByName } from './names.ts';
import { AppError } from './errors.ts';

const partnerships = ['Health and Social Care Board', 'Powys Public Services Board', 'Regional Partnership Board', 'Bwrdd Iechyd Addysgu Powys'];
const people = ['Siân Evans', 'Amira Khan', 'Rhian Powell', 'Dafydd ap Gwilym', 'Gwenllïan Ŵyn'];

describe('fold', () => {
  it.each([
    ['pwy sy’n cynrychioli', "pwy sy'n cynrychioli"],
    ['Siân', 'sian'],
    ['Gwenllïan Ŵyn', 'gwenllian wyn'],
    ['  Health   Board ', 'health board'],
  ])('%s → %s', (typed, folded) => expect(fold(typed)).toBe(folded));
});

describe('the longest known name at the start of the words', () => {
  it.each([
    [['Health', 'Board', '2027', 'Amira', 'Khan'], ['Health Board', 'Health Board 2027'], 3],
    [['health', 'board', '2027'], ['Health Board 2027'], 3],
    [['Health Board 2027', 'Amira'], ['Health Board 2027'], 1], // quoted, as before
    [['Amira', 'Khan'], people, 2],
    [['Sian', 'Evans'], people, 2],
    [['Health', 'Bord', '2027'], ['Health Board 2027'], 0],
  ])('%j in %j → %i words', (words, names, n) => expect(longestKnownPrefix(words, names)).toBe(n));
});

describe('names typed loosely', () => {
  const pick = (typed: string, names = partnerships) => pickByName(names, typed, (n) => n, 'forums.partnership.notFound', 'forums.partnership.ambiguous');

  it.each([
    ['health and social care board', 'Health and Social Care Board'],
    ['Health & Social Care Board'.replace('&', 'and'), 'Health and Social Care Board'],
    ['health board', 'Health and Social Care Board'], // the words start the name's words
    ['regional', 'Regional Partnership Board'],
    ['bwrdd iechyd', 'Bwrdd Iechyd Addysgu Powys'],
  ])('%s finds %s', (typed, found) => expect(pick(typed)).toBe(found));

  it.each([
    ['sian evans', 'Siân Evans'],
    ['Gwenllian Wyn', 'Gwenllïan Ŵyn'],
    ['dafydd', 'Dafydd ap Gwilym'],
  ])('%s finds %s without its accents', (typed, found) => expect(pick(typed, people)).toBe(found));

  it.each([
    // real typos, with what the person meant
    ['Helth and Social Care Bord', 'Health and Social Care Board'],
    ['Health and Socail Care Board', 'Health and Social Care Board'],
    ['Powis Public Service Board', 'Powys Public Services Board'],
    ['Reginal Partnership Board', 'Regional Partnership Board'],
  ])('%s is not found, with “did you mean %s”', (typed, meant) => {
    try {
      pick(typed);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).hint?.params.options).toContain(meant);
    }
  });

  it.each([['Amria Khan', 'Amira Khan'], ['Rhian Powel', 'Rhian Powell'], ['Dafyd ap Gwilym', 'Dafydd ap Gwilym']])('person %s → did you mean %s', (typed, meant) => {
    expect(didYouMean(typed, people)).toContain(meant);
  });

  it('nothing close, no suggestion', () => {
    expect(didYouMean('Fire and Rescue', partnerships)).toEqual([]);
    expect(wordsFit('board health', 'Health and Social Care Board')).toBe(false);
  });

  it('several that fit are ambiguous, listed', () => {
    expect(() => pick('board')).toThrow(AppError);
  });
});

describe('Welsh names as Welsh says them: a mutated first letter still finds the name', () => {
  const welsh = ['Bwrdd Gwasanaethau Lleol Powys', 'Partneriaeth Diogelwch Cymunedol', 'Cyngor Gwirfoddol Sirol Powys', 'Tîm Iechyd Meddwl', 'Gweithgor Plant', 'Llywodraeth Leol', 'Rhwydwaith Gofalwyr', 'Mudiad Meithrin', 'Dyfodol Dwyieithog', 'Health and Social Care Board'];
  const pick = (typed: string) => pickByName(welsh, typed, (n) => n, 'forums.partnership.notFound', 'forums.partnership.ambiguous');

  it.each([
    // soft mutation (ar, i, o, at, dros, drwy, dan…)
    ['Fwrdd Gwasanaethau Lleol Powys', 'Bwrdd Gwasanaethau Lleol Powys'],
    ['fwrdd gwasanaethau', 'Bwrdd Gwasanaethau Lleol Powys'],
    ['Bartneriaeth Diogelwch Cymunedol', 'Partneriaeth Diogelwch Cymunedol'],
    ['Gyngor Gwirfoddol Sirol Powys', 'Cyngor Gwirfoddol Sirol Powys'],
    ['Dîm Iechyd Meddwl', 'Tîm Iechyd Meddwl'],
    ['Weithgor Plant', 'Gweithgor Plant'],
    ['Lywodraeth Leol', 'Llywodraeth Leol'],
    ['Rwydwaith Gofalwyr', 'Rhwydwaith Gofalwyr'],
    ['Fudiad Meithrin', 'Mudiad Meithrin'],
    ['Ddyfodol Dwyieithog', 'Dyfodol Dwyieithog'],
    // nasal mutation (yn, fy)
    ['Mwrdd Gwasanaethau Lleol Powys', 'Bwrdd Gwasanaethau Lleol Powys'],
    ['Mhartneriaeth Diogelwch Cymunedol', 'Partneriaeth Diogelwch Cymunedol'],
    ['Nghyngor Gwirfoddol Sirol Powys', 'Cyngor Gwirfoddol Sirol Powys'],
    ['Nhîm Iechyd Meddwl', 'Tîm Iechyd Meddwl'],
    ['Ngweithgor Plant', 'Gweithgor Plant'],
    // aspirate mutation (a, â, gyda, tua, ei [hers])
    ['Phartneriaeth Diogelwch', 'Partneriaeth Diogelwch Cymunedol'],
    ['Chyngor Gwirfoddol Sirol Powys', 'Cyngor Gwirfoddol Sirol Powys'],
    ['Thîm Iechyd Meddwl', 'Tîm Iechyd Meddwl'],
    // as typed, unmutated, still first
    ['Bwrdd Gwasanaethau Lleol Powys', 'Bwrdd Gwasanaethau Lleol Powys'],
    ['health board', 'Health and Social Care Board'],
  ])('%s finds %s', (typed, found) => expect(pick(typed)).toBe(found));

  it('a mutated form is tried only at the start of a name, and only when the typed form finds nothing', () => {
    // “Dom” unmutated could be “Tom”, which only begins the word “Tomos”: not found, not a wrong person
    expect(() => pickByName(['Tomos Lewis'], 'Dom', (n) => n, 'forums.partnership.notFound', 'forums.partnership.ambiguous')).toThrow(AppError);
    // a name that really starts with the typed letters wins over an unmutated reading
    expect(pickByName(['Mind Brecon', 'Bind Brecon'], 'Mind Brecon', (n) => n, 'forums.partnership.notFound', 'forums.partnership.ambiguous')).toBe('Mind Brecon');
  });

  it.each([
    ['fwrdd', ['bwrdd', 'mwrdd']],
    ['nghyngor', expect.arrayContaining(['cyngor'])],
    ['mhartneriaeth', expect.arrayContaining(['partneriaeth'])],
    ['wasanaethau', ['gwasanaethau']],
    ['lywodraeth', expect.arrayContaining(['llywodraeth'])],
    ['hethol', expect.arrayContaining(['ethol'])],
  ])('radicals of %s', (word, expected) => expect(radicals(word)).toEqual(expected));

  it('the longest known name is found after a mutation too (quotes optional)', () => {
    expect(longestKnownPrefix(['Fwrdd', 'Gwasanaethau', 'Lleol', 'Powys', 'Amira'], welsh)).toBe(4);
    expect(longestKnownPrefix(['Nghyngor', 'Gwirfoddol', 'Sirol', 'Powys'], welsh)).toBe(4);
    expect(nameVariants('Fwrdd Iechyd')[0]).toBe('fwrdd iechyd');
  });
});

describe('option words in Welsh and English, everywhere an option is taken', () => {
  it.each([
    ['ie', 'yes'], ['Oes', 'yes'], ['do', 'yes'], ['ydw', 'yes'], ['ydy', 'yes'], ['bydd', 'yes'], ['yes', 'yes'], ['Y', 'yes'],
    ['na', 'no'], ['nac oes', 'no'], ['Nac oes.', 'no'], ['naddo', 'no'], ['nac ydw', 'no'], ['nage', 'no'], ['no', 'no'],
    ['ymlaen', 'on'], ['i ffwrdd', 'off'], ['wythnosol', 'digest'], ['ar unwaith', 'immediate'], ['unigolyn', 'individual'], ['mudiad', 'organisation'],
    ['Cymraeg', 'cy'], ['Saesneg', 'en'], ['blwyddyn ariannol', 'financial-year'], ['chwarter', 'quarter'],
  ])('%s means %s', (typed, option) => expect(optionReading(typed)).toBe(option));

  it('yes or no, or neither', () => {
    expect([yesNo('Oes'), yesNo('naddo'), yesNo('efallai'), yesNo('')]).toEqual([true, false, undefined, undefined]);
    expect([optionLength(['nac', 'oes', 'franchise=x']), optionLength(['ie']), optionLength(['Health', 'Board'])]).toEqual([2, 1, 0]);
  });
});
