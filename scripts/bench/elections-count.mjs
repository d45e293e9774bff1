// Benchmark of `forumbot count`: the whole process (Node start-up, reading and parsing the BLT,
// counting, printing JSON) on a generated election of 200,000 ballots, 20 candidates, 5 seats.
// The target is under 0.3 s wall. Run `node scripts/bench/elections-count.mjs [runs]`, or import
// { benchCount } (importing prints nothing).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** mulberry32: small, fast and the same everywhere, so the generated file never changes. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Generates a BLT election: candidates of uneven popularity, ballots ranking a geometric
 * number of them (mean about four), one line a ballot as council exports are.
 * @returns {string}
 */
export function generateBlt({ ballots = 200_000, candidates = 20, seats = 5, seed = 20070503 } = {}) {
  const next = random(seed);
  const popularity = Array.from({ length: candidates }, (_, i) => 1 / (i + 1.5) ** 0.9);
  const lines = [`${candidates} ${seats}`];
  const pool = new Array(candidates);
  const weight = new Array(candidates);
  for (let b = 0; b < ballots; b++) {
    let length = 1;
    while (length < candidates && next() < 0.72) length++;
    for (let c = 0; c < candidates; c++) {
      pool[c] = c;
      weight[c] = popularity[c];
    }
    let left = candidates;
    let sum = weight.reduce((a, w) => a + w, 0);
    const prefs = [];
    for (let k = 0; k < length; k++) {
      let r = next() * sum;
      let i = 0;
      while (i < left - 1 && r >= weight[i]) r -= weight[i++];
      prefs.push(pool[i] + 1);
      sum -= weight[i];
      pool[i] = pool[left - 1];
      weight[i] = weight[left - 1];
      left--;
    }
    lines.push(`1 ${prefs.join(' ')} 0`);
  }
  lines.push('0');
  for (let c = 0; c < candidates; c++) lines.push(`"Candidate ${String.fromCharCode(65 + (c % 26))}${c >= 26 ? c : ''}"`);
  lines.push('"Generated benchmark election"');
  return lines.join('\n') + '\n';
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Used when /usr/bin/time is missing: the child reports its own peak RSS (kB) and CPU seconds
// as it exits, in the same "kB user sys" form as `time -f '%M %U %S'`.
const RSS_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    'import{writeFileSync}from"node:fs";process.on("exit",()=>{const u=process.resourceUsage();' +
      'writeFileSync(process.env.BENCH_RSS_FILE,`${u.maxRSS} ${u.userCPUTime/1e6} ${u.systemCPUTime/1e6}`)});',
  );

/**
 * Times `node bin/forumbot.js count FILE --json` over `runs` runs.
 * @param {{ runs?: number, root?: string, ballots?: number, candidates?: number, seats?: number }} [options]
 *   `root` is the folder holding bin/forumbot.js (default: this repository).
 * @returns {Promise<{ ms: number, cpuMs: number, peakRssMb: number, ballots: number, candidates: number, seats: number, samples: { ms: number, cpuMs: number, peakRssMb: number }[] }>}
 *   medians over the runs (wall time, CPU time of the child, peak RSS), and each run's figures.
 *   CPU time is the steadier figure on a shared machine.
 */
export async function benchCount({ runs = 5, root = repoRoot, ballots = 200_000, candidates = 20, seats = 5 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-count-bench-'));
  try {
    const file = path.join(dir, 'election.blt');
    fs.writeFileSync(file, generateBlt({ ballots, candidates, seats }));
    const rssFile = path.join(dir, 'rss.txt');
    const useTime = fs.existsSync('/usr/bin/time');
    const command = [path.join(root, 'bin/forumbot.js'), 'count', file, '--method', 'scottish-stv', '--json'];
    const samples = [];
    for (let run = 0; run < runs; run++) {
      fs.rmSync(rssFile, { force: true });
      const [cmd, args] = useTime
        ? ['/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...command]]
        : [process.execPath, ['--import', RSS_HOOK, ...command]];
      const start = performance.now();
      const child = spawnSync(cmd, args, {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, BENCH_RSS_FILE: rssFile },
      });
      const ms = performance.now() - start;
      if (child.status !== 0) throw new Error(`forumbot count failed (exit ${child.status}): ${child.stderr}`);
      const result = JSON.parse(child.stdout);
      if (result.elected.length !== seats) throw new Error(`expected ${seats} elected, got ${result.elected.length}`);
      const [rssKb, user, sys] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop().trim().split(/\s+/).map(Number);
      samples.push({
        ms: Math.round(ms * 10) / 10,
        cpuMs: Math.round((user + sys) * 1000),
        peakRssMb: Math.round((rssKb / 1024) * 10) / 10,
      });
    }
    return {
      ms: median(samples.map((s) => s.ms)),
      cpuMs: median(samples.map((s) => s.cpuMs)),
      peakRssMb: median(samples.map((s) => s.peakRssMb)),
      ballots,
      candidates,
      seats,
      samples,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.argv[2] ?? 5);
  const result = await benchCount({ runs, root: process.env.FORUMBOT_ROOT ?? repoRoot });
  console.log(JSON.stringify(result, null, 2));
}
