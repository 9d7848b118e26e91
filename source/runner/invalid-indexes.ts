/**
 * A `CREATE INDEX CONCURRENTLY` that fails or is killed midway (duplicate
 * rows for a unique index, a lock timeout, a crash) leaves its index behind,
 * marked INVALID: never used by queries, still maintained on every write, and
 * in the way of running the revision again ("already exists"). Before such a
 * statement runs, an INVALID index of that name on that table is dropped so
 * the statement can build it again. A VALID one is left alone: the statement
 * then fails as it always did.
 */
import type { Database } from '../db/database.js';
import type { Operation } from '../ops/types.js';
import { ident, quoteIdent } from '../util/sql-text.js';

/** Drops the INVALID leftover `op` would collide with; returns its name, or null when there was none. */
export async function dropInvalidIndex(db: Database, op: Operation): Promise<string | null> {
  if (op.kind !== 'createIndex' || !op.concurrently) return null;
  // Resolved through search_path, as the unqualified names in the CREATE INDEX are.
  const rows = await db.query<{ valid: boolean }>(
    'SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass($1) AND i.indrelid = to_regclass($2)',
    [quoteIdent(op.index.name), quoteIdent(op.table)],
  );
  if (rows.length === 0 || rows[0].valid) return null;
  // CONCURRENTLY: the table stays usable meanwhile, as for the CREATE that follows.
  await db.query(`DROP INDEX CONCURRENTLY IF EXISTS ${ident(op.index.name)}`);
  return op.index.name;
}
