/**
 * What the database holds beyond the `Schema` introspection reads, for
 * `pull` to list rather than drop silently: triggers, functions, policies,
 * partitioned and foreign tables, materialized views, exclusion constraints,
 * domains, composite types, sequences, other schemas. Sequences also come
 * back as data, which the baseline revision needs to rebuild the serial
 * columns that use them.
 */
import type { Database } from '../db/database.js';

export interface SequenceInfo {
  readonly name: string;
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
  /** `table.column` a serial column's sequence belongs to (OWNED BY). */
  readonly ownedBy: { readonly table: string; readonly column: string } | null;
}

export interface Unmodelled {
  /** One sentence per object. */
  readonly lines: readonly string[];
  readonly sequences: readonly SequenceInfo[];
}

const PUBLIC = `'public'::regnamespace`;
const notFromExtension = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '${catalog}'::regclass AND dep.objid = ${oid} AND dep.deptype = 'e')`;

// One query: a row per object, its sentence already written.
const OBJECTS_SQL = `
SELECT 'trigger ' || t.tgname || ' on ' || c.relname AS what
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = ${PUBLIC} AND NOT t.tgisinternal AND c.relname NOT LIKE 'fastedgy\\_%'
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' WHEN 'w' THEN 'window function ' ELSE 'function ' END
       || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
FROM pg_proc p WHERE p.pronamespace = ${PUBLIC} AND ${notFromExtension('pg_proc', 'p.oid')}
UNION ALL
SELECT 'policy ' || pol.polname || ' on ' || c.relname
FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid WHERE c.relnamespace = ${PUBLIC}
UNION ALL
SELECT 'row level security on ' || c.relname FROM pg_class c WHERE c.relnamespace = ${PUBLIC} AND c.relrowsecurity
UNION ALL
SELECT 'table ' || c.relname || ' is partitioned (PARTITION BY ' || pg_get_partkeydef(c.oid) || '): the model describes a plain table'
FROM pg_class c WHERE c.relnamespace = ${PUBLIC} AND c.relkind = 'p'
UNION ALL
SELECT 'partition ' || c.relname || ' of ' || parent.relname
FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid JOIN pg_class parent ON parent.oid = i.inhparent
WHERE c.relnamespace = ${PUBLIC} AND c.relispartition AND c.relkind IN ('r', 'p')
UNION ALL
SELECT CASE c.relkind WHEN 'm' THEN 'materialized view ' ELSE 'foreign table ' END || c.relname
FROM pg_class c WHERE c.relnamespace = ${PUBLIC} AND c.relkind IN ('m', 'f') AND ${notFromExtension('pg_class', 'c.oid')}
UNION ALL
SELECT 'exclusion constraint ' || con.conname || ' on ' || c.relname
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid WHERE c.relnamespace = ${PUBLIC} AND con.contype = 'x'
UNION ALL
SELECT CASE t.typtype WHEN 'd' THEN 'domain ' ELSE 'composite type ' END || t.typname
FROM pg_type t
WHERE t.typnamespace = ${PUBLIC} AND ${notFromExtension('pg_type', 't.oid')}
  AND (t.typtype = 'd' OR t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))
UNION ALL
SELECT 'schema ' || n.nspname || ' (only public is pulled)'
FROM pg_namespace n
WHERE n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND ${notFromExtension('pg_namespace', 'n.oid')}`;

// Sequences other than those behind identity columns (which the models do express).
const SEQUENCES_SQL = `
SELECT c.relname AS name, format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start, s.seqincrement::text AS increment,
       s.seqmin::text AS min, s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
       owner.relname AS owner_table, a.attname AS owner_column
FROM pg_class c
JOIN pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class owner ON owner.oid = d.refobjid
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE c.relnamespace = ${PUBLIC} AND c.relkind = 'S' AND ${notFromExtension('pg_class', 'c.oid')}
  AND (d.deptype IS NULL OR d.deptype = 'a')
ORDER BY c.relname`;

interface SequenceRow {
  name: string; type: string; start: string; increment: string; min: string; max: string; cache: string; cycle: boolean;
  owner_table: string | null; owner_column: string | null;
}

export async function readUnmodelled(db: Database): Promise<Unmodelled> {
  const objects = await db.query<{ what: string }>(OBJECTS_SQL);
  const sequenceRows = await db.query<SequenceRow>(SEQUENCES_SQL);
  const sequences: SequenceInfo[] = sequenceRows.map((r) => ({
    name: r.name, type: r.type, start: r.start, increment: r.increment, min: r.min, max: r.max, cache: r.cache, cycle: r.cycle,
    ownedBy: r.owner_table && r.owner_column ? { table: r.owner_table, column: r.owner_column } : null,
  }));
  const lines = objects.map((o) => o.what).sort();
  for (const s of sequences)
    lines.push(
      s.ownedBy
        ? `sequence ${s.name} (the default of ${s.ownedBy.table}.${s.ownedBy.column}, a serial column): the models keep the default as serverDefault but cannot declare the sequence`
        : `sequence ${s.name}`,
    );
  return { lines, sequences };
}
