/**
 * Many cached modules as one (a "pack"): Node spends about a millisecond of
 * loader work on every module it imports, so the thousand revisions the
 * browser replays, imported one by one, took seconds; bundled into one
 * module they take tens of milliseconds. A pack is itself a cache entry,
 * named by a hash of its members' entry names (which hash their sources),
 * so it is rebuilt exactly when one of them changes.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readEntry, writeEntry } from './module-cache.js';

/** The pack's entry name for these member entries (in this order). */
export function packName(entries: readonly string[]): string {
  const key = createHash('sha256').update(JSON.stringify(['fastedgy-module-pack-1', entries])).digest('hex');
  return `pack-${key.slice(0, 40)}.mjs`;
}

async function build(dir: string, members: readonly (string | null)[]): Promise<string> {
  const esbuild = await import('esbuild');
  const contents = members.flatMap((e, i) => (e === null ? [] : [`export * as m${i} from ${JSON.stringify(e)};`])).join('\n');
  const result = await esbuild.build({
    stdin: { contents, resolveDir: dir, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Members were compiled already; `fastedgy` is a file URL by now, other packages stay Node's to find.
    packages: 'external',
    external: ['file:*'],
    keepNames: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/**
 * The namespaces of the modules whose cache entries are named `names`, in
 * order, from one pack (`query` makes a new instance of it). `members`
 * gives their paths, null for one the pack cannot hold; it is asked only
 * when the pack must be built, so a pack found whole costs one file read.
 * Null when the pack cannot be built, written or run: each module then goes
 * its own way, so an error names its own file.
 */
export async function importPack(
  dir: string,
  names: readonly string[],
  members: () => Promise<readonly (string | null)[]>,
  query = '',
): Promise<(Record<string, unknown> | undefined)[] | null> {
  const name = packName(names);
  try {
    if (readEntry(dir, name) === null && !writeEntry(dir, name, await build(dir, await members()))) return null;
    const pack = (await import(pathToFileURL(join(dir, name)).href + query)) as Record<string, Record<string, unknown>>;
    return names.map((_, i) => pack[`m${i}`]);
  } catch {
    return null;
  }
}
