import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  classifyChange,
  importPackage,
  mapRelease,
  mapRoute,
  normaliseCpv,
  parseOcdsDate,
  type MappedTender,
  type MapResult,
} from './ocds.ts';

const SAMPLES = new URL('../../../../test/data/ocds', import.meta.url).pathname;
const load = (name: string): { releases: Array<Record<string, unknown>> } & Record<string, unknown> =>
  JSON.parse(readFileSync(`${SAMPLES}/ocds-213czf-000-00001-${name}.json`, 'utf8'));

const tenderPkg = load('02-tender');
const amendmentPkg = load('03-tenderAmendment');
const awardPkg = load('04-award');

type Json = Record<string, any>;
/** A copy of the sample tender release with changes applied. */
const release = (change: (r: Json) => void = () => {}): Json => {
  const r = structuredClone(tenderPkg.releases[0]) as Json;
  change(r);
  return r;
};

function ok(result: MapResult): MappedTender {
  if (!result.ok) throw new Error(`expected ok, got ${result.errors.join('; ')}`);
  return result.tender;
}

describe('sample packages', () => {
  it('maps the tender release', () => {
    const result = importPackage(tenderPkg);
    expect(result.report).toEqual({ imported: 1, skipped: 0, failed: 0, warnings: [], errors: [] });
    expect(result.releases[0]).toMatchObject({ index: 0, ocid: 'ocds-213czf-000-00001', tag: ['tender'] });
    expect(ok(result.releases[0].result)).toEqual({
      ocid: 'ocds-213czf-000-00001',
      releaseId: 'ocds-213czf-000-00001-02-tender',
      title: 'Planned cycle lane improvements',
      description: 'Tenders solicited for work to build new cycle lanes in the centre of town.',
      buyer: { id: 'GB-LAC-E09000003', name: 'London Borough of Barnet' },
      value: { amount: 1_100_000, currency: 'GBP' },
      minValue: { amount: 600_000, currency: 'GBP' },
      deadline: '2010-04-01T18:00:00.000Z',
      enquiryDeadline: '2010-03-14T17:30:00.000Z',
      procurementMethod: 'open',
      route: 'open',
      cpv: ['45233130', '45233162'],
      lots: [],
      suitability: {},
      tags: ['tender'],
      link: 'http://example.com/tender-notices/ocds-213czf-000-00001-01.html',
      releaseDate: '2010-03-15T09:30:00.000Z',
      status: 'active',
      awards: [],
      renewalDate: '2011-06-30T23:59:00.000Z', // tender.contractPeriod.endDate
    });
  });

  it('maps the amendment with its moved deadline', () => {
    const t = ok(importPackage(JSON.stringify(amendmentPkg)).releases[0].result);
    expect(t.tags).toEqual(['tenderAmendment']);
    expect(t.deadline).toBe('2010-04-08T18:00:00.000Z');
  });

  it('maps the award release, warning (not failing) on its missing deadline', () => {
    const result = importPackage(awardPkg);
    expect(result.report.imported).toBe(1);
    expect(result.report.warnings).toEqual(['releases[0]: tender.tenderPeriod.endDate: no deadline']);
    const t = ok(result.releases[0].result);
    expect(t).toMatchObject({ deadline: null, value: null, status: 'complete', tags: ['award'], cpv: [] });
    expect(t.link).toBe('http://example.com/tender-notices/ocds-213czf-000-00001-04.html');
    expect(t.awards).toEqual([
      {
        id: 'ocds-213czf-000-00001-award-01',
        status: 'pending',
        date: '2010-05-10T09:30:00.000Z',
        value: { amount: 11_000_000, currency: 'GBP' },
        suppliers: ['AnyCorp Cycle Provision'],
      },
    ]);
  });

  it('classifies the changes along the process', () => {
    const [tender, amendment, award] = [tenderPkg, amendmentPkg, awardPkg].map((p) => ok(mapRelease(p.releases[0])));
    expect(classifyChange(tender, amendment)).toEqual([
      { kind: 'deadline-moved', field: 'deadline', from: '2010-04-01T18:00:00.000Z', to: '2010-04-08T18:00:00.000Z' },
    ]);
    expect(classifyChange(amendment, award).map((c) => c.kind)).toEqual(['awarded-changed']);
    expect(classifyChange(tender, tender)).toEqual([]);
    expect(classifyChange(award, award)).toEqual([]);
  });
});

describe('mapRelease: lenient, field by field', () => {
  it.each<[string, unknown, RegExp]>([
    ['a number', 42, /^release: /],
    ['null', null, /^release: /],
    ['an array', [], /^release: /],
    ['no ocid', release((r) => delete r.ocid), /^ocid: missing/],
    ['an ocid that is a number', release((r) => (r.ocid = 42)), /^ocid: missing/],
    ['no date anywhere', release((r) => delete r.date), /^date: missing/],
    ['an unreadable date and nothing else', release((r) => (r.date = 'last Tuesday')), /^date: missing/],
  ])('fails %s', (_, input, error) => {
    const result = mapRelease(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.outcome).toBe('failed');
      expect(result.errors.some((e) => error.test(e)), result.errors.join('; ')).toBe(true);
    }
  });

  it.each<[string, unknown, RegExp]>([
    ['no section to alert on', release((r) => delete r.tender), /^nothing to alert on: no planning, tender, award or contract section/],
    ['no title anywhere', release((r) => delete r.tender.title), /^nothing to alert on: no title/],
    ['a tender given as text', release((r) => (r.tender = 'cycle lanes')), /^nothing to alert on/],
  ])('skips %s, with the reason', (_, input, reason) => {
    const result = mapRelease(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.outcome).toBe('skipped');
      expect(result.errors.some((e) => reason.test(e)), result.errors.join('; ')).toBe(true);
    }
  });

  it('makes a missing release id from ocid and date, and says so', () => {
    const result = mapRelease(release((r) => delete r.id));
    expect(ok(result).releaseId).toBe('ocds-213czf-000-00001-2010-03-15T09:30:00.000Z');
    expect(result.warnings).toContain('id: missing: made from ocid and date (ocds-213czf-000-00001-2010-03-15T09:30:00.000Z)');
  });

  it('takes a missing date from the package, and missing tags from the sections', () => {
    const result = mapRelease(release((r) => ((r.date = null), (r.tag = []))), { fallbackDate: '2010-03-16T00:00:00Z' });
    expect(ok(result).releaseDate).toBe('2010-03-16T00:00:00.000Z');
    expect(ok(result).tags).toEqual(['tender']);
    expect(result.warnings).toEqual(expect.arrayContaining(['date: missing: the package’s publishedDate used', 'tag: missing: read as tender from the sections present']));
  });

  it.each<[string, (r: Json) => void, string, (t: MappedTender) => unknown, unknown]>([
    ['an empty amount', (r) => (r.tender.value.amount = ''), 'tender.value.amount: "" dropped', (t) => t.value, null],
    ['an amount that is not a number', (r) => (r.tender.value.amount = 'lots'), 'tender.value.amount: "lots" dropped', (t) => t.value, null],
    ['a tag that is a number', (r) => (r.tag = [5]), 'tag', (t) => t.tags, ['tender']],
    ['a party given as text', (r) => r.parties.push('Barnet'), 'parties[', (t) => t.buyer?.name, 'London Borough of Barnet'],
    ['an award without id', (r) => (r.awards = [{ title: 'A', status: 'active', suppliers: [{ name: 'X Ltd' }] }]), 'awards[0].id: missing: numbered award-1', (t) => t.awards[0].id, 'award-1'],
    ['an unreadable deadline', (r) => (r.tender.tenderPeriod.endDate = '2010-02-30T12:00:00Z'), 'tender.tenderPeriod.endDate: not a date', (t) => t.deadline, null],
  ])('drops %s with a warning naming the field, and keeps the release', (_, change, warning, pick, expected) => {
    const result = mapRelease(release(change));
    expect(pick(ok(result))).toEqual(expected);
    expect(result.warnings.join('\n')).toContain(warning);
  });

  it('keeps an open tender without a deadline, flagged for the pipeline by its missing deadline', () => {
    const result = mapRelease(release((r) => delete r.tender.tenderPeriod));
    expect(ok(result).deadline).toBeNull();
    expect(result.warnings).toContain('tender.tenderPeriod.endDate: no deadline');
  });

  it('marks planning notices', () => {
    expect(ok(mapRelease(release((r) => (r.tag = ['planning'])))).planning).toBe(true);
    expect(ok(mapRelease(release((r) => (r.tender.status = 'planned'))))).toMatchObject({ planning: true });
  });
});

describe('mapRelease: warnings and fallbacks', () => {
  const map = (change: (r: Json) => void): { tender: MappedTender; warnings: readonly string[] } => {
    const result = mapRelease(release(change));
    return { tender: ok(result), warnings: result.warnings };
  };

  it('keeps a non-GBP value with its currency and warns', () => {
    const { tender, warnings } = map((r) => (r.tender.value = { amount: 50000, currency: 'eur' }));
    expect(tender.value).toEqual({ amount: 50000, currency: 'EUR' });
    expect(warnings).toContain('tender.value is in EUR: kept unconverted, not used for GBP value bands');
  });

  it.each<[string, (r: Json) => void, string]>([
    ['no currency', (r) => delete r.tender.value.currency, 'tender.value has no valid currency: value ignored'],
    ['a negative amount', (r) => (r.tender.value.amount = -5), 'tender.value is negative: value ignored'],
  ])('drops a value with %s', (_, change, warning) => {
    const { tender, warnings } = map(change);
    expect(tender.value).toBeNull();
    expect(warnings).toContain(warning);
  });

  it('accepts a quoted amount', () => {
    expect(map((r) => (r.tender.value.amount = '1100000.50')).tender.value).toEqual({ amount: 1_100_000.5, currency: 'GBP' });
  });

  it('warns when minValue is above value', () => {
    expect(map((r) => (r.tender.minValue.amount = 2_000_000)).warnings).toContain('tender.minValue is above tender.value');
  });

  it.each<[string, string, string, string]>([
    ['a zoned date-time', '2025-07-01T12:00:00+01:00', '2025-07-01T11:00:00.000Z', ''],
    ['a summer local time', '2025-07-01T12:00:00', '2025-07-01T11:00:00.000Z', 'has no time zone'],
    ['a winter local time', '2025-01-15T12:00', '2025-01-15T12:00:00.000Z', 'has no time zone'],
    ['a bare summer date', '2025-07-01', '2025-07-01T22:59:59.000Z', 'read as the end of that day'],
  ])('reads a deadline given as %s', (_, endDate, iso, warning) => {
    const { tender, warnings } = map((r) => ((r.date = '2025-06-01T09:00:00Z'), (r.tender.tenderPeriod.endDate = endDate)));
    expect(tender.deadline).toBe(iso);
    if (warning) expect(warnings.join('\n')).toContain(warning);
    else expect(warnings).toEqual([]);
  });

  it('warns when the deadline had passed at publication', () => {
    expect(map((r) => (r.date = '2010-05-01T00:00:00Z')).warnings.join()).toContain('deadline had passed');
  });

  it('imports a cancelled tender without a deadline, with a warning', () => {
    const { tender, warnings } = map((r) => ((r.tender.status = 'cancelled'), delete r.tender.tenderPeriod));
    expect(tender.deadline).toBeNull();
    expect(warnings).toContain('tender.tenderPeriod.endDate: no deadline');
  });

  it('falls back to the award title, the buyer party, then the procuring entity', () => {
    const award = structuredClone(awardPkg.releases[0]) as Json;
    delete award.tender.title;
    expect(ok(mapRelease(award)).title).toBe('Award of contract to build new cycle lanes in the centre of town.');
    expect(map((r) => delete r.buyer).tender.buyer).toEqual({ id: 'GB-LAC-E09000003', name: 'London Borough of Barnet' });
    const pe = map((r) => ((r.buyer = null), (r.parties = []), (r.tender.procuringEntity = { name: 'Barnet PE' })));
    expect(pe.tender.buyer).toEqual({ id: null, name: 'Barnet PE' });
    const none = map((r) => ((r.buyer = null), (r.parties = []), (r.tender.procuringEntity = null)));
    expect(none.tender.buyer).toBeNull();
    expect(none.warnings).toContain('buyer: missing');
  });

  it('reads CPV codes from the tender and items, only for the CPV scheme, de-duplicated', () => {
    const { tender, warnings } = map((r) => {
      r.tender.classification = { scheme: 'cpv', id: '85310000-5' };
      r.tender.items.push({ id: 2, classification: { scheme: 'CPV', id: 3000000 } });
      r.tender.items.push({ id: '3', classification: { scheme: 'CPV', id: '45233162-2' } });
      r.tender.items.push({ id: '4', classification: { scheme: 'UNSPSC', id: '72141100' } });
      r.tender.items.push({ id: '5', classification: { scheme: 'CPV', id: 'roads' } });
    });
    expect(tender.cpv).toEqual(['85310000', '45233130', '45233162', '03000000']);
    expect(warnings).toEqual(['CPV code "roads" is not valid: ignored']);
  });

  it('maps lots and suitability (tender level first, else any lot)', () => {
    const { tender, warnings } = map((r) => {
      r.tender.lots = [
        { id: 'L1', title: 'North', value: { amount: 4000, currency: 'GBP' }, suitability: { sme: true, vcse: false } },
        { id: 2, value: { amount: 90, currency: 'USD' }, suitability: { vcse: false } },
      ];
    });
    expect(tender.lots).toEqual([
      { id: 'L1', title: 'North', value: { amount: 4000, currency: 'GBP' } },
      { id: '2', title: null, value: { amount: 90, currency: 'USD' } },
    ]);
    expect(tender.suitability).toEqual({ sme: true, vcse: false });
    expect(warnings).toContain('tender.lots[1].value is in USD: kept unconverted, not used for GBP value bands');
    expect(map((r) => (r.tender.suitability = { sme: false, vcse: true, extra: 1 })).tender.suitability).toEqual({ sme: false, vcse: true });
  });

  it('drops a non-http link', () => {
    const { tender, warnings } = map((r) => (r.tender.documents[0].url = 'javascript:alert(1)'));
    expect(tender.link).toBeUndefined();
    expect(warnings.join()).toContain('is not an http(s) URL');
  });

  it('warns on unknown tags and accepts a lone tag string', () => {
    expect(map((r) => (r.tag = ['tender', 'rumour'])).warnings).toContain('unknown tag "rumour"');
    expect(map((r) => (r.tag = 'tender')).tender.tags).toEqual(['tender']);
  });
});

describe('mapRoute', () => {
  it.each<[string | null, string | null, Json | null, string]>([
    ['open', null, null, 'open'],
    ['selective', null, null, 'restricted'],
    ['limited', null, null, 'restricted'],
    ['direct', null, null, 'other'],
    ['open', null, { hasFrameworkAgreement: true }, 'framework'],
    ['selective', 'Call-off from the Framework Agreement', null, 'framework'],
    ['open', null, { hasDynamicPurchasingSystem: true }, 'dps'],
    ['open', 'Open procedure', { hasFrameworkAgreement: true }, 'framework'],
    ['open', 'Call-off from a dynamic purchasing system', null, 'dps'],
    ['selective', 'Approved provider list for domiciliary care', null, 'approved-list'],
    [null, 'Community grants scheme 2025', null, 'grant'],
    [null, 'Restricted procedure', null, 'restricted'],
    [null, 'Invitation to quote', null, 'restricted'],
    [null, 'Open procedure', null, 'open'],
    [null, null, null, 'other'],
    ['OPEN ', null, null, 'open'],
  ])('%s / %s / %j → %s', (procurementMethod, procurementMethodDetails, techniques, route) => {
    expect(mapRoute({ procurementMethod, procurementMethodDetails, techniques })).toBe(route);
  });
});

describe('normaliseCpv and parseOcdsDate', () => {
  it.each<[string | number, string | null]>([
    ['45233162-2', '45233162'],
    ['45233130.0', '45233130'],
    [' 85310000 ', '85310000'],
    [3000000, '03000000'],
    ['4523316', '04523316'],
    ['452331', null],
    ['45233162-22', null],
    ['CPV:45233162', null],
  ])('normaliseCpv(%j) → %s', (code, expected) => {
    expect(normaliseCpv(code)).toBe(expected);
  });

  it.each<[string, boolean, string | null]>([
    ['2010-03-15T09:30:00Z', false, '2010-03-15T09:30:00.000Z'],
    ['2010-03-15T09:30:00.123+0100', false, '2010-03-15T08:30:00.123Z'],
    ['2025-03-30T01:30:00', false, '2025-03-30T01:30:00.000Z'], // skipped hour: moved forward
    ['2025-03-30T02:30:00', false, '2025-03-30T01:30:00.000Z'],
    ['2025-10-26T01:30:00', false, '2025-10-26T00:30:00.000Z'], // repeated hour: the earlier
    ['2025-10-26T02:30:00', false, '2025-10-26T02:30:00.000Z'],
    ['2025-12-31', false, '2025-12-31T00:00:00.000Z'],
    ['2025-12-31', true, '2025-12-31T23:59:59.000Z'],
    ['2025-02-29', false, null],
    ['2025-01-01T24:00:00', false, null],
    ['01/02/2025', false, null],
  ])('parseOcdsDate(%s, endOfDay %s) → %s', (value, endOfDay, iso) => {
    expect(parseOcdsDate(value, endOfDay)?.iso ?? null).toBe(iso);
  });
});

describe('importPackage', () => {
  it('imports the good releases and reports the bad ones by index', () => {
    const pkg = {
      ...tenderPkg,
      releases: [
        tenderPkg.releases[0],
        'not a release',
        release((r) => ((r.id = 'x-notender'), delete r.tender)),
        release((r) => ((r.id = 'x-eur'), (r.tender.value.currency = 'EUR'))),
        awardPkg.releases[0],
      ],
    };
    const { releases, report } = importPackage(pkg);
    expect(releases.map((r) => [r.index, r.result.ok])).toEqual([[0, true], [1, false], [2, false], [3, true], [4, true]]);
    expect(releases[1]).toMatchObject({ tag: [], where: 'releases[1]' });
    expect(releases[1].ocid).toBeUndefined();
    expect(report).toMatchObject({ imported: 3, skipped: 1, failed: 1 });
    expect(report.errors).toContain('releases[2]: nothing to alert on: no planning, tender, award or contract section');
    expect(report.errors.some((e) => e.startsWith('releases[1]: '))).toBe(true);
    expect(report.warnings).toEqual([
      'releases[3]: tender.value is in EUR: kept unconverted, not used for GBP value bands',
      'releases[4]: tender.tenderPeriod.endDate: no deadline',
    ]);
  });

  it('reads a record package (embedded releases, else the compiled release), a single release and JSON lines', () => {
    const rel = tenderPkg.releases[0];
    const records = importPackage({ records: [{ ocid: 'ocds-213czf-000-00001', releases: [rel, awardPkg.releases[0]] }, { ocid: 'b', compiledRelease: { ...rel, ocid: 'b', tag: ['compiled'] } }] });
    expect(records.releases.map((r) => [r.where, r.result.ok])).toEqual([
      ['records[0].releases[0]', true],
      ['records[0].releases[1]', true],
      ['records[1].compiledRelease', true],
    ]);
    expect(importPackage(rel).releases.map((r) => r.where)).toEqual(['release']);
    const lines = [JSON.stringify(rel), '', JSON.stringify(amendmentPkg), JSON.stringify(awardPkg.releases[0])].join('\n');
    const read = importPackage(lines);
    expect(read.report).toMatchObject({ imported: 3, failed: 0, errors: [] });
    expect(read.releases.map((r) => r.where)).toEqual(['line 1: release', 'line 3: releases[0]', 'line 4: release']);
  });

  it('decodes bytes that are not UTF-8 as Windows-1252, with a warning', () => {
    const rel = release((r) => (r.tender.title = 'MÁQUINA – “café”'));
    const text = JSON.stringify({ releases: [rel] });
    const bytes = Uint8Array.from([...text].map((c) => ({ Á: 0xc1, '–': 0x96, '“': 0x93, '”': 0x94, é: 0xe9 })[c] ?? c.charCodeAt(0)));
    const result = importPackage(bytes);
    expect(result.report.warnings).toContain('package: not UTF-8: read as Windows-1252');
    expect(ok(result.releases[0].result).title).toBe('MÁQUINA – “café”');
    const utf8 = importPackage(new TextEncoder().encode(text));
    expect(utf8.report.warnings).toEqual([]);
    expect(ok(utf8.releases[0].result).title).toBe('MÁQUINA – “café”');
  });

  it('warns on a release repeated in the package and on a non-1.1 version', () => {
    const { report } = importPackage({ ...tenderPkg, version: '1.0', releases: [tenderPkg.releases[0], tenderPkg.releases[0]] });
    expect(report.imported).toBe(2);
    expect(report.warnings).toEqual([
      'package: version 1.0 read as 1.1',
      'releases[1]: release id ocds-213czf-000-00001-02-tender repeated in this package',
    ]);
  });

  it.each<[string, unknown, string]>([
    ['invalid JSON text', '{"releases": [', 'package: not JSON'],
    ['releases not an array', { releases: {} }, 'package: no releases array'],
    ['records not an array', { records: 5 }, 'package: no records array'],
    ['null', null, 'package: no releases array'],
  ])('fails the package for %s', (_, input, error) => {
    const { releases, report } = importPackage(input);
    expect(releases).toEqual([]);
    expect(report.imported).toBe(0);
    expect(report.errors[0]).toContain(error);
  });

  it('accepts an empty package', () => {
    expect(importPackage({ releases: [] }).report).toEqual({ imported: 0, skipped: 0, failed: 0, warnings: [], errors: [] });
  });
});

describe('classifyChange', () => {
  const base = ok(mapRelease(release()));
  const variant = (change: (r: Json) => void): MappedTender => ok(mapRelease(release(change)));

  it.each<[string, (r: Json) => void, string[]]>([
    ['value changed', (r) => (r.tender.value.amount = 900_000), ['value-changed:value']],
    ['currency changed', (r) => (r.tender.value.currency = 'EUR'), ['value-changed:value']],
    ['minValue changed', (r) => (r.tender.minValue.amount = 500_000), ['value-changed:minValue']],
    ['enquiry deadline moved', (r) => (r.tender.enquiryPeriod.endDate = '2010-03-20T17:30:00Z'), ['deadline-moved:enquiryDeadline']],
    ['cancelled by status', (r) => (r.tender.status = 'cancelled'), ['cancelled']],
    ['cancelled by tag', (r) => (r.tag = ['tenderCancellation']), ['cancelled']],
    ['value dropped from the release (not restated)', (r) => delete r.tender.value, []],
    [
      'deadline and value together',
      (r) => ((r.tender.tenderPeriod.endDate = '2010-04-15T18:00:00Z'), (r.tender.value.amount = 1)),
      ['deadline-moved:deadline', 'value-changed:value'],
    ],
  ])('%s', (_, change, expected) => {
    const kinds = classifyChange(base, variant(change)).map((c) => ('field' in c ? `${c.kind}:${c.field}` : c.kind));
    expect(kinds).toEqual(expected);
  });

  it('reports cancellation only once', () => {
    const cancelled = variant((r) => (r.tender.status = 'cancelled'));
    expect(classifyChange(cancelled, cancelled)).toEqual([]);
  });

  it('sees an award status or supplier change', () => {
    const award = ok(mapRelease(awardPkg.releases[0]));
    const active = structuredClone(awardPkg.releases[0]) as Json;
    active.awards[0].status = 'active';
    expect(classifyChange(award, ok(mapRelease(active))).map((c) => c.kind)).toEqual(['awarded-changed']);
    const other = structuredClone(awardPkg.releases[0]) as Json;
    other.awards[0].suppliers = [{ name: 'Beta Corp Construction' }];
    expect(classifyChange(award, ok(mapRelease(other))).map((c) => c.kind)).toEqual(['awarded-changed']);
  });

  it('refuses releases of different processes', () => {
    expect(() => classifyChange(base, variant((r) => (r.ocid = 'ocds-other')))).toThrow(RangeError);
  });
});
