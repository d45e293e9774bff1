#!/usr/bin/env node
// The forumbot command. The sources are bundled into dist/ by `npm install` (the prepare step),
// so nothing is compiled here.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('forumbot is not built yet: run `npm ci` (or `npm run build`) in the project folder first.');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
