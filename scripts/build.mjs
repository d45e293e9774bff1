#!/usr/bin/env node
// Generates the Prisma client and bundles the TypeScript sources into dist/ (esbuild, a fraction
// of a second), so the CLI starts without compiling anything; the web chat page's modules
// (adapters/web/client) are bundled for the browser into dist/public/webchat.js. `--if-stale` skips work when
// nothing changed since the last build.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ifStale = process.argv.includes('--if-stale');
const schema = path.join(root, 'prisma/schema.prisma');
const generated = path.join(root, 'src/generated/prisma/client.ts');
const stamp = path.join(root, 'dist/.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'generated') continue;
    const full = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);

if (!ifStale || mtime(generated) < mtime(schema)) {
  // Prisma's CLI insists on a schema engine binary it would download; generate never runs it,
  // so any existing file satisfies it (the machine has no route to Prisma's servers).
  execFileSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'generate'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
}

const sourcesChanged = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'adapters')), mtime(generated));
if (ifStale && mtime(stamp) >= sourcesChanged) process.exit(0);

const esbuild = await import('esbuild');
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
await esbuild.build({
  absWorkingDir: root,
  entryPoints: { webchat: 'adapters/web/client/main.ts' },
  outdir: 'dist/public',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome109', 'firefox115', 'safari15.6'],
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});
fs.writeFileSync(stamp, new Date().toISOString());
