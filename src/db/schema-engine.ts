import fs from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

/**
 * Prisma's own schema engine compiled to WebAssembly, so migrations run offline with no native
 * engine download. The package entry imports the .wasm as an ES module, which Node refuses, so
 * the module is instantiated here by hand.
 */
type Bindings = typeof import('@prisma/schema-engine-wasm');
export type SchemaEngine = Awaited<ReturnType<Bindings['SchemaEngine']['new']>>;

let bindings: Promise<Bindings> | undefined;

function loadBindings(): Promise<Bindings> {
  bindings ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = await import(pathToFileURL(gluePath).href);
    const bytes = fs.readFileSync(gluePath.replace(/\.js$/, '.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': withUnrefTimers(glue) });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return glue as Bindings;
  })();
  return bindings;
}

/**
 * The engine's timers, unreferenced. Its only timer is the guard on the migration advisory lock
 * (Prisma waits 10 s for it): when the lock is taken the guard is abandoned, but the compiled
 * engine has no way to clear a JavaScript timer, so it stays pending and held every command open
 * for 10 s after its work. An unreferenced timer still fires while the process has work (so a lock
 * that never comes still times out); it just no longer keeps an idle process alive.
 */
function withUnrefTimers(glue: WebAssembly.ModuleImports): WebAssembly.ModuleImports {
  const patched = { ...glue };
  for (const name of Object.keys(glue).filter((k) => k.startsWith('__wbg_setTimeout_'))) {
    const original = glue[name] as (...args: unknown[]) => unknown;
    patched[name] = (...args: unknown[]) => {
      const timer = original(...args) as { unref?: () => void };
      timer.unref?.();
      return timer;
    };
  }
  return patched;
}

/** Opens the schema engine on a driver adapter factory (PGlite or pg). */
export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema: string,
): Promise<SchemaEngine> {
  const { SchemaEngine } = await loadBindings();
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  return SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => {}, adapter);
}
