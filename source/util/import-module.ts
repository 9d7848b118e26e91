/**
 * Imports a user's TypeScript or JavaScript module (config, models, revision
 * files), with `fastedgy` resolving to this very package.
 *
 * In a project, a module is compiled once with esbuild into the project's
 * `.fastedgy/cache/` and imported from there as plain JavaScript: no loader
 * thread, no compiler at all when the cache has it (starting tsx's loader
 * and transforming each file on every command was most of what a short
 * command like `current` took). A module that imports files beside it, or
 * one outside a project (or in a project whose cache cannot be written),
 * goes through tsx as before.
 */
import { register } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compilerVersion, compileModules } from './compile-module.js';
import { entryName, readEntry, writeEntry } from './module-cache.js';

const ALIASES: Readonly<Record<string, string>> = {
  fastedgy: new URL('../index.js', import.meta.url).href,
  'fastedgy/migrations': new URL('../migrations.js', import.meta.url).href,
};

/** The body of an entry for a module the loader path must import (it imports files beside it). */
const THROUGH_LOADER = '// fastedgy: this module imports files beside it; it is loaded through tsx\n';

let cacheDir: string | null = null;

/** From now on, modules are compiled into (and read from) this project's cache. */
export function useModuleCache(projectDir: string): void {
  cacheDir = join(projectDir, '.fastedgy', 'cache');
}

let loaderReady: Promise<void> | null = null;

async function setUpLoader(): Promise<void> {
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  register(new URL('./alias-hooks.js', import.meta.url), { data: { aliases: ALIASES } });
}

/** The cache entry's file to import for `file`, or null when it goes through the loader. */
async function cachedEntry(dir: string, file: string): Promise<string | null> {
  const name = entryName(file, readFileSync(file), compilerVersion(), ALIASES.fastedgy);
  const body = readEntry(dir, name);
  if (body !== null) return body === THROUGH_LOADER ? null : join(dir, name);
  const [compiled] = await compileModules([file], ALIASES);
  if (compiled.kind === 'error') throw new Error(compiled.message);
  const written = writeEntry(dir, name, compiled.kind === 'local' ? THROUGH_LOADER : compiled.js);
  return written && compiled.kind === 'module' ? join(dir, name) : null;
}

let generation = 0;

/**
 * `fresh` re-reads a file that changed since it was first imported (ES
 * modules are cached by URL, so a query string makes a new one).
 */
export async function importModule(file: string, options: { fresh?: boolean } = {}): Promise<Record<string, unknown>> {
  const query = options.fresh ? `?v=${++generation}` : '';
  // Under vitest the test runner already transforms TypeScript.
  if (process.env.VITEST) return (await import(pathToFileURL(file).href + query)) as Record<string, unknown>;
  const entry = cacheDir ? await cachedEntry(cacheDir, file) : null;
  if (entry) return (await import(pathToFileURL(entry).href + query)) as Record<string, unknown>;
  loaderReady ??= setUpLoader();
  await loaderReady;
  return (await import(pathToFileURL(file).href + query)) as Record<string, unknown>;
}
