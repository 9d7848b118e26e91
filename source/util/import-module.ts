/**
 * Imports a user's TypeScript or JavaScript module (config, models, revision
 * files), with `fastedgy` resolving to this very package.
 *
 * In a project, a module is compiled once with esbuild into the project's
 * `.fastedgy/cache/` and imported from there as plain JavaScript: no loader
 * thread, no compiler at all when the cache has it (starting tsx's loader
 * and transforming each file on every command was most of what a short
 * command like `current` took). Many modules asked for at once (a run of
 * revisions) import as packs of them, one import each (module-pack.ts).
 * A module that imports files beside it, or
 * one outside a project (or in a project whose cache cannot be written),
 * goes through tsx as before.
 */
import { register } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compilable, compilerVersion, compileModules } from './compile-module.js';
import { entryName, readEntry, writeEntry } from './module-cache.js';
import { importPack } from './module-pack.js';

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

interface Pending {
  readonly file: string;
  readonly source: Buffer;
  readonly name: string;
}

/** Entries known to this process, by name: the entry's path, or null for the loader path (compiled, or being compiled, or found whole). */
const compiling = new Map<string, Promise<string | null>>();

/** Looks each of `items` up in the cache, and compiles those it has no whole entry for, in one pass. */
function compileMissing(dir: string, items: readonly Pending[]): void {
  const todo: Pending[] = [];
  for (const item of items) {
    if (compiling.has(item.name)) continue;
    const body = readEntry(dir, item.name);
    if (body === null) todo.push(item);
    else compiling.set(item.name, Promise.resolve(body === THROUGH_LOADER ? null : join(dir, item.name)));
  }
  if (!todo.length) return;
  const results = compileModules(todo, ALIASES);
  todo.forEach((item, k) => {
    const stored = results.then((all) => {
      const compiled = all[k];
      if (compiled.kind === 'error') throw new Error(compiled.message);
      const written = writeEntry(dir, item.name, compiled.kind === 'loader' ? THROUGH_LOADER : compiled.js);
      return written && compiled.kind === 'module' ? join(dir, item.name) : null;
    });
    // A file compiled along with another may never be imported: its error is for whoever imports it.
    stored.catch(() => undefined);
    compiling.set(item.name, stored);
  });
}

function pending(file: string): Pending {
  const source = readFileSync(file);
  return { file, source, name: entryName(file, source, compilerVersion(), ALIASES.fastedgy) };
}

/** The cache entry's file to import for `file`, or null when it goes through the loader. */
async function cachedEntry(dir: string, file: string, batch: () => readonly string[]): Promise<string | null> {
  const item = pending(file);
  if (!compiling.has(item.name)) {
    const body = readEntry(dir, item.name);
    if (body !== null) return body === THROUGH_LOADER ? null : join(dir, item.name);
    compileMissing(dir, [item, ...batch().filter((f) => f !== file && compilable(f)).map(pending)]);
  }
  return compiling.get(item.name)!;
}

/**
 * Compiles `file` now without importing it, into the project's cache when
 * there is one: for a file this process wrote and evaluates by itself (pull's
 * models), the compiler's verdict on it, and the entry the next command
 * imports. Rejects with the compiler's message.
 */
export async function compileAhead(file: string): Promise<void> {
  if (!compilable(file)) return;
  const item = pending(file);
  if (cacheDir) {
    compileMissing(cacheDir, [item]);
    await compiling.get(item.name);
    return;
  }
  const [compiled] = await compileModules([item], ALIASES);
  if (compiled.kind === 'error') throw new Error(compiled.message);
}

export interface ImportOptions {
  /** Imports the file again even when unchanged (ES modules are cached by URL, so a query string makes a new one). */
  readonly fresh?: boolean;
  /** Files likely imported next (a revision's siblings): when this one must be compiled, they are compiled in the same pass. */
  readonly batch?: () => readonly string[];
}

let generation = 0;

/** Members per pack: a new revision rebuilds one pack of this many, not one of the whole history. */
const PACK_SIZE = 250;

/**
 * Imports many files at once, as packs of their compiled modules (see
 * module-pack.ts). The map has the files that could be packed; the others
 * (outside a project, importing files beside them, not compiling) are for
 * `importModule`, which names each one's error.
 */
export async function importTogether(files: readonly string[], options: { fresh?: boolean } = {}): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  const dir = cacheDir;
  if (process.env.VITEST || !dir) return found;
  const items = [...files].sort().filter(compilable).map(pending);
  for (let at = 0; at < items.length; at += PACK_SIZE) {
    const chunk = items.slice(at, at + PACK_SIZE);
    const members = async () => {
      compileMissing(dir, chunk);
      return Promise.all(chunk.map((item) => compiling.get(item.name)!.catch(() => null)));
    };
    const modules = await importPack(dir, chunk.map((item) => item.name), members, options.fresh ? `?v=${++generation}` : '');
    modules?.forEach((mod, i) => mod && found.set(chunk[i].file, mod));
  }
  return found;
}

export async function importModule(file: string, options: ImportOptions = {}): Promise<Record<string, unknown>> {
  const query = options.fresh ? `?v=${++generation}` : '';
  // Under vitest the test runner already transforms TypeScript.
  if (process.env.VITEST) return (await import(pathToFileURL(file).href + query)) as Record<string, unknown>;
  const entry = cacheDir && compilable(file) ? await cachedEntry(cacheDir, file, options.batch ?? (() => [])) : null;
  if (entry) return (await import(pathToFileURL(entry).href + query)) as Record<string, unknown>;
  loaderReady ??= setUpLoader();
  await loaderReady;
  return (await import(pathToFileURL(file).href + query)) as Record<string, unknown>;
}
