/**
 * The check `pull` runs right after writing a models file: the file's text
 * evaluated and its models compiled as makemigrations compiles them, then
 * compared with the database, as makemigrations would. The database side is
 * the schema pull has just read: nothing has changed it since, so it is not
 * introspected again. What readSides does besides — the views and SQL of the
 * models in this server's spelling — is done the same way.
 *
 * The file is not imported through the module compiler, which on 2,000
 * tables (a 1.7 MB file) took longer than the rest of the check: what
 * render-models.ts writes is JavaScript as it stands (one import, of
 * `fastedgy`, and nothing only TypeScript has), so the text read back from
 * the disk is evaluated as it is. The compiler still reads it, in its own
 * process and meanwhile: its verdict is awaited (a file makemigrations could
 * not load fails the check) and its output lands in the module cache, where
 * the next command that loads the file finds it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { canonicalizeModelSql } from '../db/canonicalize-schema.js';
import { canonicalizeViews } from '../db/canonicalize-views.js';
import type { Database } from '../db/database.js';
import { compare, FactCache } from '../make/compare.js';
import { loadModels } from '../models/load.js';
import { describeOperation } from '../ops/describe.js';
import type { Schema } from '../schema/types.js';
import { compileAhead } from '../util/import-module.js';

const FASTEDGY = new URL('../index.js', import.meta.url).href;
const IMPORT = /^import \{([^}]*)\} from 'fastedgy';$/m;

/**
 * The module a pulled models file's text makes, its `fastedgy` this package:
 * imported from a copy in a directory of its own, removed again (a data: URL
 * would need no file, but Node reads one of 1.7 MB a third slower).
 */
async function evaluate(text: string): Promise<Record<string, unknown>> {
  const js = text.replace(IMPORT, (_, names: string) => `import {${names}} from ${JSON.stringify(FASTEDGY)};`);
  const dir = mkdtempSync(join(tmpdir(), 'fastedgy-pulled-'));
  try {
    const file = join(dir, 'models.mjs');
    writeFileSync(file, js);
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What makemigrations would propose for the models in `file` against `current` (the database as pull read it), one sentence each. */
export async function pulledChanges(db: Database, current: Schema, file: string): Promise<string[]> {
  const compiled = compileAhead(file);
  // Awaited below; a rejection before then is not unhandled.
  compiled.catch(() => undefined);
  // Every model of a pulled file is exported, so compiling finds no model to note.
  const loaded = await loadModels([file], () => evaluate(readFileSync(file, 'utf8')));
  const views = loaded.views.length > 0 ? await canonicalizeViews(db, loaded.views) : new Map<string, string>();
  const spelled = { ...loaded, views: loaded.views.map((v) => ({ ...v, definition: views.get(v.name) ?? v.definition })) };
  const target = await canonicalizeModelSql(db, current, spelled);
  const diff = await compare({ current, target }, {}, new FactCache(db));
  await compiled.catch((e: unknown) => {
    throw new Error(`${file}, written by pull, does not compile: ${e instanceof Error ? e.message : String(e)}`);
  });
  return diff.operations.map(describeOperation);
}
