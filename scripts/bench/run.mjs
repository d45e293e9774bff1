#!/usr/bin/env node
// Runs a benchmark from scripts/bench/<name>.ts: bundles it with esbuild, then runs it.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const name = process.argv[2];
if (!name) {
  console.error('usage: node scripts/bench/run.mjs <name>');
  process.exit(2);
}
const outfile = path.join(root, 'dist/bench', `${name}.js`);
await build({
  absWorkingDir: root,
  entryPoints: [`scripts/bench/${name}.ts`],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
await import(pathToFileURL(outfile).href);
