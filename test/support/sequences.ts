/**
 * The sequences behind identity and serial columns, read straight from the
 * catalog (not through introspect(), which the oracle checks): `table.column`
 * → sequence name. A migrated database must name them as a fresh one does.
 */
import type { Database } from '../../source/db/database.js';

export async function columnSequences(db: Database): Promise<Record<string, string>> {
  const rows = await db.query<{ owner: string; seq: string }>(`
    SELECT t.relname || '.' || a.attname AS owner, s.relname AS seq
    FROM pg_depend d
    JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
    JOIN pg_class t ON t.oid = d.refobjid
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
      AND d.deptype IN ('i', 'a') AND t.relnamespace = 'public'::regnamespace
    ORDER BY 1`);
  return Object.fromEntries(rows.map((r) => [r.owner, r.seq]));
}
