/**
 * BLT ballot files (the format of OpenSTV, Droop and the ERS tools):
 *
 *   4 2              candidates, seats
 *   -3               optional: withdrawn candidates, negated
 *   12 1 2 4 0       weight, preferences (candidate numbers from 1), closing 0
 *   (b7) 1 3 0       a ballot may carry an id in parentheses first
 *   0                end of ballots
 *   "Ann" ...        one name a line, quoted or bare
 *   "Title"
 *
 * Parsing is a hand-written scanner over the string: council files run to 10^5 lines and the
 * CLI must parse, count and exit well inside half a second.
 */

/** One line of ballots: `weight` identical papers ranking `prefs` (0-based candidate indices). */
export interface BallotGroup {
  weight: number;
  prefs: number[];
}

/**
 * Ballot groups as typed arrays: group g ranks `flat[start[g]]` … `flat[start[g + 1] - 1]` and
 * stands for `weights[g]` papers. What the parser builds; counting reads it without copying.
 */
export interface PackedBallots {
  weights: Float64Array;
  flat: Int32Array;
  start: Int32Array;
}

/** A parsed BLT election. Candidate indices are 0-based everywhere except in the file. */
export interface ParsedElection {
  candidates: string[];
  seats: number;
  withdrawn: number[];
  ballots: BallotGroup[];
  title: string;
  /** The same ballots packed, when parsed from text (not enumerable; dropped if `ballots` is replaced). */
  packed?: PackedBallots;
}

/** A BLT file that does not follow the format; `line` is 1-based. */
export class BltSyntaxError extends Error {
  readonly line: number;
  readonly detail: string;

  constructor(line: number, detail: string) {
    super(`line ${line}: ${detail}`);
    this.name = 'BltSyntaxError';
    this.line = line;
    this.detail = detail;
  }
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const NEWLINE = 10;
const ZERO = 48;
const NINE = 57;
const MINUS = 45;
const QUOTE = 34;
const OPEN_PAREN = 40;

interface Line {
  text: string;
  number: number;
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

function describe(token: string): string {
  return token.length > 20 ? `"${token.slice(0, 20)}…"` : `"${token}"`;
}

/** Walks the text line by line without splitting it, so ballots are read in place. */
class Cursor {
  readonly text: string;
  pos: number;
  number = 0;
  /** The number of the last line that was not blank. */
  lastFilled = 0;
  start = 0;
  end = 0;

  constructor(text: string) {
    this.text = text;
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Moves to the next line that is not blank; false at the end of the text. */
  next(): boolean {
    const s = this.text;
    while (this.pos <= s.length) {
      let nl = s.indexOf('\n', this.pos);
      if (nl === -1) nl = s.length;
      this.start = this.pos;
      this.end = nl > this.pos && s.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      this.pos = nl + 1;
      this.number++;
      for (let i = this.start; i < this.end; i++) {
        if (!isSpace(s.charCodeAt(i))) {
          this.lastFilled = this.number;
          return true;
        }
      }
    }
    return false;
  }

  line(): Line {
    return { text: this.text.slice(this.start, this.end), number: this.number };
  }
}

/** Reads the whole-number tokens of a line; throws on anything else. */
function integers(line: Line, what: string): number[] {
  const out: number[] = [];
  const s = line.text;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    let j = i;
    if (c === MINUS) j++;
    const digitsStart = j;
    let value = 0;
    while (j < s.length) {
      const d = s.charCodeAt(j);
      if (d < ZERO || d > NINE) break;
      value = value * 10 + (d - ZERO);
      j++;
    }
    if (j === digitsStart || (j < s.length && !isSpace(s.charCodeAt(j)))) {
      let k = i;
      while (k < s.length && !isSpace(s.charCodeAt(k))) k++;
      throw new BltSyntaxError(line.number, `${describe(s.slice(i, k))} is not a whole number (${what})`);
    }
    out.push(c === MINUS ? -value : value);
    i = j;
  }
  return out;
}

function tokenAt(text: string, i: number): string {
  let k = i;
  for (; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === SPACE || c === TAB || c === CR || c === NEWLINE) break;
  }
  return text.slice(i, k);
}

interface BallotSection extends PackedBallots {
  /** Where the text after the closing 0 line begins. */
  pos: number;
  /** The number of the closing 0 line. */
  line: number;
}

/**
 * Reads ballot lines from `pos` up to the line holding just 0, merging identical rankings into
 * one group: council files list each paper separately, and counting groups is many times
 * faster. One tight loop over the characters, since this is most of a large file.
 */
function readBallots(text: string, pos: number, line: number, candidates: number): BallotSection {
  const n = text.length;
  const scratch = new Int32Array(candidates);
  const seen = new Int32Array(candidates);
  // Groups so far: rankings end to end in `flat` (group g from starts[g] to starts[g + 1]),
  // found again through an open-addressed table keyed by a hash of the ranking.
  // Sized once from the text: a ballot line is at least 6 characters ("1 2 0\n") and a preference
  // at least 2, so a large file never grows these arrays (zeroed memory costs next to nothing).
  const rest = Math.max(0, n - pos);
  let flat = new Int32Array(Math.max(1 << 10, (rest >> 1) + 1));
  let starts = new Int32Array(Math.max(1 << 8, ((rest / 6) | 0) + 2));
  let hashes = new Int32Array(starts.length);
  let weights = new Float64Array(starts.length);
  let table = new Int32Array(1 << Math.min(22, Math.max(10, Math.ceil(Math.log2(n / 4)))));
  let mask = table.length - 1;
  let groups = 0;
  let lastFilled = line;
  let stamp = 0;
  while (pos < n) {
    line++;
    let i = pos;
    let c = text.charCodeAt(i);
    while (c === SPACE || c === TAB || c === CR) c = text.charCodeAt(++i);
    if (c === NEWLINE || i >= n) {
      pos = i + 1;
      continue;
    }
    lastFilled = line;
    if (c === QUOTE) throw new BltSyntaxError(line, 'candidate names must come after a line holding just 0, which ends the ballots');
    if (c === OPEN_PAREN) {
      const close = text.indexOf(')', i);
      const nl = text.indexOf('\n', i);
      if (close === -1 || (nl !== -1 && close > nl)) throw new BltSyntaxError(line, 'a ballot id opens a parenthesis but never closes it');
      i = close + 1;
      c = text.charCodeAt(i);
      while (c === SPACE || c === TAB || c === CR) c = text.charCodeAt(++i);
    } else if (c === ZERO) {
      let j = i + 1;
      let d = text.charCodeAt(j);
      while (d === SPACE || d === TAB || d === CR) d = text.charCodeAt(++j);
      if (d === NEWLINE || j >= n) {
        return { weights: weights.subarray(0, groups), flat: flat.subarray(0, starts[groups]), start: starts.subarray(0, groups + 1), pos: j + 1, line };
      }
    }
    const weightStart = i;
    let weight = 0;
    while (c >= ZERO && c <= NINE) {
      weight = weight * 10 + (c - ZERO);
      c = text.charCodeAt(++i);
    }
    if (i === weightStart || !(c === SPACE || c === TAB || c === CR || c === NEWLINE || i >= n)) {
      throw new BltSyntaxError(line, `a ballot line must start with its weight, a whole number, not ${describe(tokenAt(text, weightStart))}`);
    }
    if (weight === 0) throw new BltSyntaxError(line, 'a ballot weight must be at least 1');
    stamp++;
    let length = 0;
    // FNV-1a, with the offset basis written as a signed 32-bit value so the hash stays an int32.
    let hash = -2128831035;
    let ended = false;
    for (;;) {
      while (c === SPACE || c === TAB || c === CR) c = text.charCodeAt(++i);
      if (c === NEWLINE || i >= n) break;
      if (ended) throw new BltSyntaxError(line, 'nothing may follow the 0 that ends a ballot line');
      const start = i;
      let value = 0;
      while (c >= ZERO && c <= NINE) {
        value = value * 10 + (c - ZERO);
        c = text.charCodeAt(++i);
      }
      if (i === start || !(c === SPACE || c === TAB || c === CR || c === NEWLINE || i >= n)) {
        const token = tokenAt(text, start);
        if (token.includes('=')) throw new BltSyntaxError(line, 'equal preferences (=) are not supported');
        throw new BltSyntaxError(line, `preference ${describe(token)} is not a candidate number`);
      }
      if (value === 0) {
        ended = true;
        continue;
      }
      if (value > candidates) throw new BltSyntaxError(line, `preference ${value} is not a candidate (there are ${candidates})`);
      if (seen[value - 1] === stamp) throw new BltSyntaxError(line, `candidate ${value} is ranked twice in one ballot`);
      seen[value - 1] = stamp;
      scratch[length++] = value - 1;
      hash = Math.imul(hash ^ value, 0x01000193);
    }
    if (!ended) throw new BltSyntaxError(line, 'a ballot line must end with 0');
    pos = i + 1;
    hash ^= hash >>> 15;
    let slot = hash & mask;
    let found = -1;
    for (let entry = table[slot]; entry !== 0; entry = table[slot]) {
      const g = entry - 1;
      if (hashes[g] === hash && starts[g + 1] - starts[g] === length) {
        const from = starts[g];
        let k = 0;
        while (k < length && flat[from + k] === scratch[k]) k++;
        if (k === length) {
          found = g;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (found >= 0) {
      weights[found] += weight;
      continue;
    }
    if (groups + 2 > starts.length) {
      starts = grow(starts, starts.length * 2);
      hashes = grow(hashes, hashes.length * 2);
      const more = new Float64Array(weights.length * 2);
      more.set(weights);
      weights = more;
    }
    const from = starts[groups];
    if (from + length > flat.length) flat = grow(flat, Math.max(flat.length * 2, from + length));
    for (let k = 0; k < length; k++) flat[from + k] = scratch[k];
    starts[groups + 1] = from + length;
    hashes[groups] = hash;
    weights[groups] = weight;
    table[slot] = ++groups;
    if (groups * 2 > table.length) {
      table = new Int32Array(table.length * 2);
      mask = table.length - 1;
      for (let g = 0; g < groups; g++) {
        let at = hashes[g] & mask;
        while (table[at] !== 0) at = (at + 1) & mask;
        table[at] = g + 1;
      }
    }
  }
  throw new BltSyntaxError(lastFilled, 'the ballots never end: a line holding just 0 must follow the last ballot');
}

function grow(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(size);
  bigger.set(array);
  return bigger;
}

/** Collapses runs of spaces: council files carry names like `"Kieran  Wild "`. */
function tidy(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

/** Reads a quoted or bare name; `""` inside quotes stands for one `"`. */
function nameOf(line: Line, what: string): string {
  const s = line.text.trim();
  if (s.charCodeAt(0) !== QUOTE) return tidy(s);
  let out = '';
  let i = 1;
  for (;;) {
    const close = s.indexOf('"', i);
    if (close === -1) throw new BltSyntaxError(line.number, `the ${what} opens a quote but never closes it`);
    out += s.slice(i, close);
    if (s.charCodeAt(close + 1) === QUOTE) {
      out += '"';
      i = close + 2;
      continue;
    }
    if (close !== s.length - 1) {
      throw new BltSyntaxError(line.number, `unexpected text after the closing quote of the ${what}`);
    }
    return tidy(out);
  }
}

/**
 * Parses BLT text. Ballots with identical rankings are merged into one group (weights added),
 * in order of first appearance; ballot ids are skipped.
 * @throws BltSyntaxError naming the line and what is wrong on it.
 */
export function parseBlt(text: string): ParsedElection {
  const at = new Cursor(text);
  if (!at.next()) throw new BltSyntaxError(1, 'the file is empty');
  const first = at.line();
  const head = integers(first, 'the first line holds the number of candidates and of seats');
  if (head.length !== 2 || head[0] < 1 || head[1] < 1) {
    throw new BltSyntaxError(first.number, 'the first line must be two whole numbers of at least 1: candidates, then seats');
  }
  const [candidateCount, seats] = head;
  if (seats > candidateCount) throw new BltSyntaxError(first.number, `${seats} seats but only ${candidateCount} candidates`);

  const withdrawn: number[] = [];
  let more = at.next();
  if (more && text.slice(at.start, at.end).trimStart().startsWith('-')) {
    const line = at.line();
    for (const value of integers(line, 'withdrawn candidates are written -1 -2 …')) {
      if (value >= 0) throw new BltSyntaxError(line.number, 'every withdrawn candidate must be written with a minus sign, e.g. -3');
      if (-value > candidateCount) {
        throw new BltSyntaxError(line.number, `withdrawn candidate ${-value} is not a candidate (there are ${candidateCount})`);
      }
      if (withdrawn.includes(-value - 1)) throw new BltSyntaxError(line.number, `candidate ${-value} is withdrawn twice`);
      withdrawn.push(-value - 1);
    }
    more = at.next();
  }
  if (!more) throw new BltSyntaxError(at.lastFilled, 'the ballots never end: a line holding just 0 must follow the last ballot');
  const section = readBallots(text, at.start, at.number - 1, candidateCount);
  at.pos = section.pos;
  at.number = section.line;
  at.lastFilled = section.line;
  more = at.next();

  const candidates: string[] = [];
  for (let k = 0; k < candidateCount; k++) {
    if (!more) {
      throw new BltSyntaxError(at.lastFilled + 1, `candidate name ${k + 1} of ${candidateCount} is missing: the file ends after ${k} names`);
    }
    const line = at.line();
    const name = nameOf(line, 'candidate name');
    if (name === '') throw new BltSyntaxError(line.number, `candidate name ${k + 1} is empty`);
    if (candidates.includes(name)) throw new BltSyntaxError(line.number, `candidate name "${name}" is used twice`);
    candidates.push(name);
    more = at.next();
  }
  let title = '';
  if (more) {
    title = nameOf(at.line(), 'title');
    more = at.next();
  }
  if (more) throw new BltSyntaxError(at.number, 'unexpected text after the title (is the candidate count on line 1 too small?)');
  return withPacked({ candidates, seats, withdrawn, title }, { weights: section.weights, flat: section.flat, start: section.start });
}

/**
 * An election whose `ballots` are unpacked into arrays only when first read: a large count
 * never builds them (one array per group is most of the parser's garbage), while every other
 * reader sees a plain election.
 */
function withPacked(fields: Omit<ParsedElection, 'ballots' | 'packed'>, packed: PackedBallots): ParsedElection {
  let ballots: BallotGroup[] | undefined;
  const election = { ...fields } as ParsedElection;
  Object.defineProperty(election, 'packed', { value: packed, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(election, 'ballots', {
    enumerable: true,
    configurable: true,
    get: () => (ballots ??= unpack(packed)),
    set: (value: BallotGroup[]) => {
      ballots = value;
      election.packed = undefined;
    },
  });
  return election;
}

function unpack({ weights, flat, start }: PackedBallots): BallotGroup[] {
  const out: BallotGroup[] = new Array(weights.length);
  for (let g = 0; g < weights.length; g++) out[g] = { weight: weights[g], prefs: Array.from(flat.subarray(start[g], start[g + 1])) };
  return out;
}

function quoted(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** Writes an election as BLT text that {@link parseBlt} reads back to the same election. */
export function toBlt(election: ParsedElection): string {
  const out: string[] = [`${election.candidates.length} ${election.seats}`];
  if (election.withdrawn.length > 0) out.push(election.withdrawn.map((c) => `-${c + 1}`).join(' '));
  for (const b of election.ballots) {
    out.push(b.prefs.length === 0 ? `${b.weight} 0` : `${b.weight} ${b.prefs.map((p) => p + 1).join(' ')} 0`);
  }
  out.push('0');
  for (const name of election.candidates) out.push(quoted(name));
  out.push(quoted(election.title));
  return out.join('\n') + '\n';
}
