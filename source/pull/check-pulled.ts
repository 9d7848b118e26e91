/**
 * The check `pull` runs right after writing a models file: the file loaded
 * as makemigrations loads it, compared with the database, as makemigrations
 * would. The database side is the schema pull has just read: nothing has
 * changed it since, so it is not introspected again (readSides would; on
 * 2,000 tables that second read ran beside the import of the models file,
 * which is the longer of the two, so it cost CPU and server time more than
 * wall time — see bench/pull.js). What readSides does besides — the views
 * and SQL of the models in this server's spelling — is done the same way.
 */
import { canonicalizeModelSql } from '../db/canonicalize-schema.js';
import { canonicalizeViews } from '../db/canonicalize-views.js';
import type { Database } from '../db/database.js';
import { compare, FactCache, loadModelSchema } from '../make/compare.js';
import { describeOperation } from '../ops/describe.js';
import type { Schema } from '../schema/types.js';

/** What makemigrations would propose for the models in `file` against `current` (the database as pull read it), one sentence each. */
export async function pulledChanges(db: Database, current: Schema, file: string): Promise<string[]> {
  const loaded = await loadModelSchema([file]);
  const views = loaded.views.length > 0 ? await canonicalizeViews(db, loaded.views) : new Map<string, string>();
  const spelled = { ...loaded, views: loaded.views.map((v) => ({ ...v, definition: views.get(v.name) ?? v.definition })) };
  const target = await canonicalizeModelSql(db, current, spelled);
  const diff = await compare({ current, target }, {}, new FactCache(db));
  return diff.operations.map(describeOperation);
}
