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
 *
 * Every view is first tried in one round trip (all probes created in order,
 * then all printed): a project with many views pays one query, not four per
 * view. If any view fails there, the batch is rolled back and each view is
 * tried on its own, as below, so one bad view costs nothing to the others.
 */
import type { Database } from './database.js';
import { literal, quoteIdent } from '../util/sql-text.js';

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
    const together = await allAtOnce(db, views);
    if (together) return together;
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

/** Every view probed in one query, in order; null when any of them fails (nothing is then left behind). */
async function allAtOnce(db: Database, views: readonly ViewSource[]): Promise<Map<string, string> | null> {
  await db.query('SAVEPOINT fastedgy_views_together');
  // A line break before each `;`: a view's SQL may end in a `--` comment.
  const creates = views.map((v) => `CREATE VIEW pg_temp.${quoteIdent(v.name)} AS ${selectText(v.sql)}\n;\n`).join('');
  const read = `SELECT name, pg_get_viewdef(('pg_temp.' || quote_ident(name))::regclass, true) AS definition
FROM unnest(ARRAY[${views.map((v) => literal(v.name)).join(', ')}]::text[]) WITH ORDINALITY AS v(name, n) ORDER BY n`;
  let rows: { name: string; definition: string }[];
  try {
    rows = await db.query<{ name: string; definition: string }>(creates + read);
  } catch {
    rows = [];
  }
  // Exactly the views asked for, each printed: anything else is left to the one-by-one path.
  if (rows.length !== views.length || rows.some((r, i) => r.name !== views[i].name || typeof r.definition !== 'string')) {
    await db.query('ROLLBACK TO SAVEPOINT fastedgy_views_together');
    return null;
  }
  await db.query('RELEASE SAVEPOINT fastedgy_views_together');
  return new Map(rows.map((r) => [r.name, r.definition.trim()]));
}
