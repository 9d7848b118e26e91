/**
 * The live `public` schema (or another) as a `Schema`, read with a fixed number of bulk
 * catalog queries (seven, however many tables there are), so introspection
 * costs the same few round trips on a big database as on an empty one.
 *
 * Left out: tables named `fastedgy_*` (the tool's own bookkeeping), anything
 * an extension owns (pg_depend deptype 'e', e.g. pgvector's types), partitions,
 * materialized views, and NOT NULL constraints (PostgreSQL 18 and PGlite list
 * them in pg_constraint; `nullable` already says it).
 *
 * How optional `Schema` fields are written (the model compiler writes the same):
 * - Column: `identity` and `comment` always present (`null` when none);
 *   `generated` present only on a stored generated column (its expression,
 *   from pg_attrdef; `default` is then null);
 *   `enumType` present only on enum columns (and arrays of an enum), whose
 *   `type` is then the bare enum name (`userstatus`, `userstatus[]`).
 * - Table: `comment` always present (`null` when none).
 * - Index: `where` always present (`null` when none); `opclasses` present only
 *   when some column uses a non-default operator class (one entry per key
 *   column, `null` for the default ones); `with` present only when the index
 *   has storage parameters. Expression columns are parenthesised: `(lower(email))`.
 *   `nullsNotDistinct` present (true) only when set, on indexes and uniques.
 * - Unique constraints and foreign keys: `deferrable` present only when they are.
 * - Check: `expression` is `pg_get_constraintdef()`, i.e. `CHECK (price > 0::numeric)`.
 * - View: `sql` and `definition` are both `pg_get_viewdef(oid, true)` trimmed;
 *   `dependsOn` always present (`[]` when none), sorted by table then column.
 * - Lists (uniques, indexes, foreign keys, checks) are sorted by name, by code
 *   point like the compiler's `byName`; tables, views and enums too.
 */
import type {
  Check, Column, Deferrable, EnumType, ForeignKey, Identity, Index, IndexMethod, PrimaryKey, ReferentialAction, Schema, Table,
  UniqueConstraint, View, ViewColumnRef,
} from '../schema/types.js';
import type { Database } from './database.js';
import { quoteIdent } from '../util/sql-text.js';
import { withSequence } from '../schema/sequence-names.js';

/** Objects an extension owns (CREATE EXTENSION made them): not the user's to diff. */
const notFromExtension = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '${catalog}'::regclass AND dep.objid = ${oid} AND dep.deptype = 'e')`;

const RELATIONS_SQL = `
SELECT c.oid::text AS oid, c.relname AS name, c.relkind AS kind,
       obj_description(c.oid, 'pg_class') AS comment,
       CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid, true) END AS definition
FROM pg_class c
WHERE c.relnamespace = $1::regnamespace
  AND (c.relkind IN ('r', 'p') AND NOT c.relispartition OR c.relkind = 'v')
  AND c.relname NOT LIKE 'fastedgy\\_%'
  AND ${notFromExtension('pg_class', 'c.oid')}`;

const EXTENSIONS_SQL = `SELECT extname AS name FROM pg_extension WHERE extname <> 'plpgsql'`;

const ENUMS_SQL = `
SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
WHERE t.typnamespace = $1::regnamespace AND ${notFromExtension('pg_type', 't.oid')}
GROUP BY t.oid, t.typname`;

// Enum columns name their type bare (typname), as the Schema convention asks;
// format_type would quote a mixed-case name.
const COLUMNS_SQL = `
SELECT a.attrelid::text AS rel, a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       CASE WHEN t.typtype = 'e' THEN t.typname WHEN et.typtype = 'e' THEN et.typname END AS enum_type,
       et.typtype = 'e' AS enum_array,
       NOT a.attnotnull AS nullable,
       pg_get_expr(ad.adbin, ad.adrelid) AS "default",
       a.attidentity AS identity,
       -- refclassid too, so pg_depend's reference index answers (without it, one scan of pg_depend per identity column: 10 s on 2,000 tables)
       (SELECT s.relname FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' WHERE a.attidentity <> '' AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.deptype = 'i') AS sequence,
       a.attgenerated AS generated,
       dsc.description AS comment
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
-- a join rather than col_description() per row: one hash join for every column
LEFT JOIN pg_description dsc ON dsc.objoid = a.attrelid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = a.attnum
WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

const attnames = (rel: string, keys: string) => `ARRAY(
         SELECT a.attname FROM unnest(${keys}) WITH ORDINALITY k(num, pos)
         JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.num ORDER BY k.pos)::text[]`;

const CONSTRAINTS_SQL = `
SELECT con.conrelid::text AS rel, con.conname AS name, con.contype AS type,
       ${attnames('con.conrelid', 'con.conkey')} AS columns,
       ref.relname AS ref_table,
       ${attnames('con.confrelid', 'con.confkey')} AS ref_columns,
       con.confdeltype AS on_delete, con.confupdtype AS on_update,
       con.condeferrable AS deferrable, con.condeferred AS deferred,
       -- indnullsnotdistinct exists from PostgreSQL 15 on: read through jsonb so older servers answer NULL.
       (to_jsonb(ci) ->> 'indnullsnotdistinct')::boolean AS nulls_not_distinct,
       CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid, true) END AS definition
FROM pg_constraint con
LEFT JOIN pg_class ref ON ref.oid = con.confrelid
LEFT JOIN pg_index ci ON con.contype = 'u' AND ci.indexrelid = con.conindid
WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'f', 'c')`;

// Indexes behind a primary key, unique or exclusion constraint are the
// constraint's, not indexes of their own. Key columns only (not INCLUDE);
// indkey is 0 for an expression column, which is parenthesised. A plain
// column is its bare name (pg_get_indexdef would quote "CamelCase").
const INDEXES_SQL = `
SELECT i.indrelid::text AS rel, ic.relname AS name, i.indisunique AS "unique", am.amname AS using,
       ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN '(' || pg_get_indexdef(i.indexrelid, k, true) || ')'
                         ELSE (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]) END
             FROM generate_series(1, i.indnkeyatts) k ORDER BY k)::text[] AS columns,
       ARRAY(SELECT CASE WHEN opc.opcdefault THEN NULL ELSE opc.opcname END
             FROM generate_series(1, i.indnkeyatts) k
             JOIN pg_opclass opc ON opc.oid = i.indclass[k - 1] ORDER BY k)::text[] AS opclasses,
       ic.reloptions::text[] AS options,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       (to_jsonb(i) ->> 'indnullsnotdistinct')::boolean AS nulls_not_distinct
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE i.indrelid = ANY($1::oid[])
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))`;

// What each view reads: its rewrite rule depends on the columns it uses.
const VIEW_DEPENDENCIES_SQL = `
SELECT DISTINCT r.ev_class::text AS view, src.relname AS table, a.attname AS column
FROM pg_rewrite r
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
JOIN pg_class src ON src.oid = d.refobjid AND src.oid <> r.ev_class
JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE r.ev_class = ANY($1::oid[])`;

interface RelationRow { oid: string; name: string; kind: string; comment: string | null; definition: string | null }
interface ColumnRow {
  rel: string; name: string; type: string; enum_type: string | null; enum_array: boolean | null;
  nullable: boolean; default: string | null; identity: string; generated: string; comment: string | null; sequence: string | null;
}
interface ConstraintRow {
  rel: string; name: string; type: 'p' | 'u' | 'f' | 'c'; columns: string[]; ref_table: string | null;
  ref_columns: string[]; on_delete: string; on_update: string; definition: string | null;
  deferrable: boolean; deferred: boolean; nulls_not_distinct: boolean | null;
}
interface IndexRow {
  rel: string; name: string; unique: boolean; using: string; columns: string[];
  opclasses: (string | null)[]; options: string[] | null; predicate: string | null; nulls_not_distinct: boolean | null;
}
interface DependencyRow { view: string; table: string; column: string }

const ACTIONS: Record<string, ReferentialAction> = {
  a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default',
};
const IDENTITY: Record<string, Identity> = { a: 'always', d: 'by default' };

/** Code-point order, the same as the model compiler's, so both sides list things alike. */
function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function groupBy<T extends { rel: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const list = map.get(r.rel);
    if (list) list.push(r);
    else map.set(r.rel, [r]);
  }
  return map;
}

function toColumn(r: ColumnRow): Column {
  const enumType = r.enum_type ? { enumType: r.enum_type } : {};
  // A stored generated column keeps its expression where a default would be.
  const generated = r.generated === 's';
  return {
    name: r.name,
    type: r.enum_type ? r.enum_type + (r.enum_array ? '[]' : '') : r.type,
    ...enumType,
    nullable: r.nullable,
    // An identity column's values come from its sequence, not a default.
    default: generated ? null : r.default,
    identity: IDENTITY[r.identity] ?? null,
    ...(generated && r.default !== null ? { generated: r.default } : {}),
    comment: r.comment,
  };
}

function toIndex(r: IndexRow): Index {
  const options = (r.options ?? []).map((o) => {
    const eq = o.indexOf('=');
    return [o.slice(0, eq), o.slice(eq + 1)] as const;
  });
  return {
    name: r.name,
    columns: r.columns,
    unique: r.unique,
    using: r.using as IndexMethod,
    ...(r.opclasses.some((o) => o !== null) ? { opclasses: r.opclasses } : {}),
    ...(options.length > 0 ? { with: Object.fromEntries(options) } : {}),
    where: r.predicate,
    ...(r.nulls_not_distinct ? { nullsNotDistinct: true } : {}),
  };
}

function deferrable(c: ConstraintRow): { deferrable?: Deferrable } {
  return c.deferrable ? { deferrable: c.deferred ? 'deferred' : 'immediate' } : {};
}

function toTable(rel: RelationRow, columns: ColumnRow[], constraints: ConstraintRow[], indexes: IndexRow[]): Table {
  let primaryKey: PrimaryKey | null = null;
  const uniques: UniqueConstraint[] = [];
  const foreignKeys: ForeignKey[] = [];
  const checks: Check[] = [];
  for (const c of constraints) {
    if (c.type === 'p') primaryKey = { name: c.name, columns: c.columns };
    else if (c.type === 'u')
      uniques.push({ name: c.name, columns: c.columns, ...(c.nulls_not_distinct ? { nullsNotDistinct: true } : {}), ...deferrable(c) });
    else if (c.type === 'c') checks.push({ name: c.name, expression: c.definition ?? '' });
    else
      foreignKeys.push({
        name: c.name,
        columns: c.columns,
        refTable: c.ref_table ?? '',
        refColumns: c.ref_columns,
        onDelete: ACTIONS[c.on_delete] ?? 'no action',
        onUpdate: ACTIONS[c.on_update] ?? 'no action',
        ...deferrable(c),
      });
  }
  return {
    name: rel.name,
    columns: columns.map((c) => withSequence(rel.name, toColumn(c), c.sequence)),
    primaryKey,
    uniques: uniques.sort(byName),
    indexes: indexes.map(toIndex).sort(byName),
    foreignKeys: foreignKeys.sort(byName),
    checks: checks.sort(byName),
    comment: rel.comment,
  };
}

function toView(rel: RelationRow, deps: readonly DependencyRow[]): View {
  const definition = (rel.definition ?? '').trim();
  const dependsOn: ViewColumnRef[] = deps
    .map((d) => ({ table: d.table, column: d.column }))
    .sort((a, b) => (a.table === b.table ? cmp(a.column, b.column) : cmp(a.table, b.table)));
  return { name: rel.name, sql: definition, definition, dependsOn };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `schema`: another schema than `public` (the proof of a revision reads its
 * scratch copy this way). Names come back bare, as they do for `public`.
 */
export async function introspect(db: Database, schema = 'public'): Promise<Schema> {
  const namespace = quoteIdent(schema);
  const relations = await db.query<RelationRow>(RELATIONS_SQL, [namespace]);
  const tableRels = relations.filter((r) => r.kind !== 'v');
  const viewRels = relations.filter((r) => r.kind === 'v');
  const tableOids = tableRels.map((r) => r.oid);
  const viewOids = viewRels.map((r) => r.oid);

  const extensions = await db.query<{ name: string }>(EXTENSIONS_SQL);
  const enums = await db.query<EnumType & { values: string[] }>(ENUMS_SQL, [namespace]);
  const columns = groupBy(await db.query<ColumnRow>(COLUMNS_SQL, [tableOids]));
  const constraints = groupBy(await db.query<ConstraintRow>(CONSTRAINTS_SQL, [tableOids]));
  const indexes = groupBy(await db.query<IndexRow>(INDEXES_SQL, [tableOids]));
  const dependencies = await db.query<DependencyRow>(VIEW_DEPENDENCIES_SQL, [viewOids]);

  const depsByView = new Map<string, DependencyRow[]>();
  for (const d of dependencies) depsByView.set(d.view, [...(depsByView.get(d.view) ?? []), d]);

  return {
    extensions: extensions.map((e) => e.name).sort(cmp),
    enums: enums.map((e) => ({ name: e.name, values: e.values })).sort(byName),
    tables: tableRels
      .map((r) => toTable(r, columns.get(r.oid) ?? [], constraints.get(r.oid) ?? [], indexes.get(r.oid) ?? []))
      .sort(byName),
    views: viewRels.map((r) => toView(r, depsByView.get(r.oid) ?? [])).sort(byName),
  };
}
