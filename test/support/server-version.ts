/**
 * The major version of the server a test database is on (PGlite reports
 * its own, 17), for the few expectations that differ between majors.
 *
 * - `pg_get_viewdef()` before 16 qualifies every column of a single-table
 *   view with its table (`SELECT users.id, users.name FROM users`); 16 and
 *   later print the bare names. Both spellings come from the same server the
 *   diff compares against, so the product needs no branch; only the tests'
 *   literal view texts do.
 */
import type { Database } from '../../source/db/database.js';

export async function serverMajor(db: Database): Promise<number> {
  const [row] = await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
  return Math.floor(Number(row.v) / 10000);
}

