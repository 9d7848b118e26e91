/**
 * A model view's SQL in the database's own spelling. PostgreSQL stores a
 * view as a parse tree and prints it back with `pg_get_viewdef()` (casts
 * added, columns listed, its own layout), so the diff can only compare a
 * model view with a database view if both went through that printer.
 *
 * Each view is created as a temporary view inside a transaction that is
 * always rolled back, so nothing is left behind. A view the database cannot
 * create yet (a table it reads does not exist yet, a column is still
 * missing) is left out of the result; the diff then compares its SQL as written.
 */
import type { Database } from './database.js';
import { quoteIdent } from '../util/sql-text.js';

interface ViewSource {
  readonly name: string;
  readonly sql: string;
}

/** The SELECT as a user might write it for `CREATE VIEW … AS`, without a trailing `;`. */
function selectText(sql: string): string {
  return sql.trim().replace(/;\s*$/, '');
}

export async function canonicalizeViews(db: Database, views: readonly ViewSource[], options: { nested?: boolean } = {}): Promise<Map<string, string>> {
  const canonical = new Map<string, string>();
  if (views.length === 0) return canonical;
  // Inside a transaction already (the proof's): a savepoint rolled back instead.
  await db.query(options.nested ? 'SAVEPOINT fastedgy_views' : 'BEGIN');
  try {
    // Probes are named after their view and kept (in pg_temp, which is searched
    // first) once created, so a model view that reads another model view is
    // printed as it will be once both exist. Views that read a view listed
    // after them succeed on a later pass.
    let pending = [...views];
    for (;;) {
      const failed: ViewSource[] = [];
      for (const view of pending) {
        const probe = `pg_temp.${quoteIdent(view.name)}`;
        await db.query('SAVEPOINT fastedgy_view_probe');
        try {
          await db.query(`CREATE VIEW ${probe} AS ${selectText(view.sql)}`);
          const [row] = await db.query<{ definition: string }>('SELECT pg_get_viewdef($1::regclass, true) AS definition', [probe]);
          canonical.set(view.name, row.definition.trim());
          await db.query('RELEASE SAVEPOINT fastedgy_view_probe');
        } catch {
          await db.query('ROLLBACK TO SAVEPOINT fastedgy_view_probe');
          failed.push(view);
        }
      }
      if (failed.length === 0 || failed.length === pending.length) break;
      pending = failed;
    }
  } finally {
    await db.query(options.nested ? 'ROLLBACK TO SAVEPOINT fastedgy_views' : 'ROLLBACK');
  }
  return canonical;
}
