/**
 * Reading what the portals publish, before any release is mapped: bytes to text (UTF-8, or
 * Windows-1252 when the bytes are not UTF-8), then the shapes met in the wild, each common:
 * a release package, a record package, a single release, an array of releases, and JSON
 * lines (one package, record or release a line). A value that does not fit the schema is
 * dropped field by field, with a warning naming the field, so one odd value never costs the
 * whole release.
 */
import iconv from 'iconv-lite';
import type { z } from 'zod';

/** A release as found, before mapping. */
export interface FoundRelease {
  readonly raw: unknown;
  /** where it was found, e.g. `releases[3]`, `records[0].compiledRelease`, `line 4` */
  readonly where: string;
  /** the package's publishedDate, the fallback for a release without a date */
  readonly publishedDate?: string;
}

export interface ReadResult {
  readonly releases: FoundRelease[];
  /** links.next of the (last) package: the next page of a paginated feed */
  readonly next?: string;
  readonly warnings: string[];
  /** problems with the input as a whole (then no release was read) */
  readonly errors: string[];
}

/** Text from bytes: UTF-8 (a byte-order mark dropped), else Windows-1252 with a warning. */
export function decodeBytes(bytes: Uint8Array, warnings: string[]): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    warnings.push('package: not UTF-8: read as Windows-1252');
    // Node's own TextDecoder reads windows-1252 as Latin-1 (0x80–0x9F become control characters)
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'windows-1252');
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Reads JSON text (or JSON lines), bytes, or parsed JSON into releases. */
export function readReleases(input: unknown): ReadResult {
  const warnings: string[] = [];
  let data = input;
  if (input instanceof Uint8Array) data = decodeBytes(input, warnings);
  if (typeof data === 'string') {
    const body = data.replace(/^\uFEFF/, '');
    try {
      data = JSON.parse(body);
    } catch (e) {
      const lines = body.split(/\r?\n/).map((l) => l.trim());
      const parsed: unknown[] = [];
      const bad: number[] = [];
      lines.forEach((line, i) => {
        if (!line) return;
        try {
          parsed.push({ line: i + 1, value: JSON.parse(line) });
        } catch {
          bad.push(i + 1);
        }
      });
      if (parsed.length < 2 || bad.length > parsed.length) return fail(`not JSON: ${(e as Error).message}`, warnings);
      for (const n of bad) warnings.push(`package: line ${n} is not JSON: skipped`);
      const out: ReadResult = { releases: [], warnings, errors: [] };
      let next: string | undefined;
      for (const { line, value } of parsed as { line: number; value: unknown }[]) {
        const r = readValue(value, `line ${line}`, warnings);
        out.releases.push(...r.releases);
        next = r.next ?? next;
      }
      return { ...out, ...(next ? { next } : {}) };
    }
  }
  if (!isObject(data) && !Array.isArray(data)) return fail('no releases array', warnings);
  const r = readValue(data, '', warnings);
  if (r.releases.length === 0 && r.error) return fail(r.error, warnings);
  return { releases: r.releases, ...(r.next ? { next: r.next } : {}), warnings, errors: [] };
}

function fail(message: string, warnings: string[]): ReadResult {
  return { releases: [], warnings, errors: [`package: ${message}`] };
}

/** One JSON value: a release package, a record package, a record, a release or an array of releases. */
function readValue(value: unknown, at: string, warnings: string[]): { releases: FoundRelease[]; next?: string; error?: string } {
  const prefix = (p: string) => (at ? `${at}: ${p}` : p);
  if (Array.isArray(value)) {
    return { releases: value.map((raw, i) => ({ raw, where: prefix(`[${i}]`) })) };
  }
  if (!isObject(value)) return { releases: [], error: 'no releases array' };
  const publishedDate = text(value.publishedDate);
  const next = isObject(value.links) ? text(value.links.next) : undefined;
  const version = text(value.version);
  if (version && !version.startsWith('1.1')) warnings.push(`package: version ${version} read as 1.1`);
  if ('releases' in value && !('ocid' in value)) {
    if (!Array.isArray(value.releases)) return { releases: [], error: 'no releases array' };
    const releases = value.releases.map((raw, i) => ({ raw, where: prefix(`releases[${i}]`), ...(publishedDate ? { publishedDate } : {}) }));
    return { releases, ...(next ? { next } : {}) };
  }
  if ('records' in value) {
    if (!Array.isArray(value.records)) return { releases: [], error: 'no records array' };
    const releases = value.records.flatMap((rec, i) => fromRecord(rec, prefix(`records[${i}]`), publishedDate, warnings));
    return { releases, ...(next ? { next } : {}) };
  }
  if ('ocid' in value && Array.isArray(value.releases)) return { releases: fromRecord(value, prefix('record'), publishedDate, warnings) };
  if ('ocid' in value) return { releases: [{ raw: value, where: prefix('release') }] };
  return { releases: [], error: 'no releases array' };
}

/**
 * A record's releases when they are embedded whole (each is then applied in date order like
 * any other); otherwise its compiled release, which is the latest state of the process.
 * Linked releases (a URL only) are not fetched.
 */
function fromRecord(rec: unknown, at: string, publishedDate: string | undefined, warnings: string[]): FoundRelease[] {
  if (!isObject(rec)) {
    warnings.push(`${at}: not a record: skipped`);
    return [];
  }
  const embedded = Array.isArray(rec.releases) ? rec.releases.filter((r) => isObject(r) && 'ocid' in r && ('tender' in r || 'awards' in r || 'planning' in r || 'contracts' in r)) : [];
  const base = publishedDate ? { publishedDate } : {};
  if (embedded.length) return embedded.map((raw, i) => ({ raw, where: `${at}.releases[${i}]`, ...base }));
  if (isObject(rec.compiledRelease)) return [{ raw: rec.compiledRelease, where: `${at}.compiledRelease`, ...base }];
  warnings.push(`${at}: only linked releases and no compiled release: skipped`);
  return [];
}

const DROP = Symbol('drop');

/** `tender.lots[0].value.amount` */
export function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '');
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/**
 * Parses `input` with `schema`, dropping each value that does not fit (and the array
 * element or field holding it) with a warning naming the field, until it fits. A value
 * the schema requires and the input lacks cannot be dropped: then the errors are returned.
 */
export function parseLeniently<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; data: z.infer<S>; warnings: string[] } | { ok: false; errors: string[]; warnings: string[] } {
  const warnings: string[] = [];
  let data: unknown = structuredClone(input);
  for (let round = 0; round < 25; round++) {
    const parsed = schema.safeParse(data);
    if (parsed.success) return { ok: true, data: parsed.data, warnings };
    const fatal: string[] = [];
    for (const issue of parsed.error.issues) {
      const path = issue.path as PropertyKey[];
      const value = valueAt(data, path);
      if (path.length === 0 || value === undefined) {
        fatal.push(`${path.length ? pathText(path) : 'release'}: ${value === undefined && path.length ? 'missing' : issue.message}`);
        continue;
      }
      warnings.push(`${pathText(path)}: ${short(value)} dropped (${issue.message})`);
      setAt(data, path, DROP);
    }
    if (fatal.length) return { ok: false, errors: fatal, warnings };
    data = prune(data);
  }
  return { ok: false, errors: ['release: too many values that do not fit'], warnings };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function setAt(data: unknown, path: readonly PropertyKey[], value: unknown): void {
  const parent = valueAt(data, path.slice(0, -1));
  if (parent && typeof parent === 'object') (parent as Record<PropertyKey, unknown>)[path[path.length - 1]] = value;
}

/** Removes dropped values: array elements taken out, object fields deleted. */
function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== DROP).map(prune);
  if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === DROP) delete v[k];
      else v[k] = prune(x);
    }
  }
  return v;
}
