import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const SDKS = ['@slack/', 'discord.js', '@discordjs/', '@microsoft/teams', 'botbuilder', 'botframework'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.ts$/.test(e.name) && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
}

/** Dependencies point inward: the core and the features know no platform (DESIGN.md rule 1). */
export function violations(): string[] {
  const out: string[] = [];
  for (const area of ['src/core', 'src/features']) {
    for (const file of sources(path.join(root, area))) {
      for (const spec of imports(file)) {
        const resolved = spec.startsWith('.') ? path.relative(root, path.resolve(path.dirname(file), spec)) : spec;
        const bad =
          resolved.startsWith('adapters/') ||
          SDKS.some((s) => spec.startsWith(s)) ||
          (area === 'src/core' && resolved.startsWith('src/features/'));
        if (bad) out.push(`${path.relative(root, file)} imports ${spec}`);
      }
    }
  }
  return out;
}

describe('architecture', () => {
  it('src/core and src/features import no adapter and no platform SDK', () => {
    expect(violations()).toEqual([]);
  });

  it('the check catches a wrong import', () => {
    const probe = path.join(root, 'src/features/__probe.ts');
    fs.writeFileSync(probe, "import { App } from '@slack/bolt';\nimport { x } from '../../adapters/web/web-adapter.ts';\n");
    try {
      expect(violations()).toEqual(['src/features/__probe.ts imports @slack/bolt', 'src/features/__probe.ts imports ../../adapters/web/web-adapter.ts']);
    } finally {
      fs.rmSync(probe);
    }
  });
});
