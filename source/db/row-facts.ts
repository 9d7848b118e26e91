/**
 * The live numbers a question shows ("412 rows", "3 rows hold 'suspended'",
 * "17 NULLs"), each kind read in one counting query however many tables or
 * columns are asked about, after one catalog query that drops the tables
 * and columns the database does not have (they count 0 / are skipped), since
 * a statement naming a missing table would fail as a whole.
 */
import type { Database } from './database.js';
import { quoteIdent } from '../util/sql-text.js';

interface ColumnRef {
  readonly table: string;
  readonly column: string;
}

interface ValueRef extends ColumnRef {
  readonly value: string;
}

const relation = (table: string) => `public.${quoteIdent(table)}`;

/** Which of the tables exist in `public`. */
async function existingTables(db: Database, tables: readonly string[]): Promise<Set<string>> {
  const rows = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname = ANY($1::text[])`,
    [[...new Set(tables)]],
  );
  return new Set(rows.map((r) => r.name));
}

/** Which `table.column` pairs exist, and whether the column is an array. */
async function existingColumns(db: Database, refs: readonly ColumnRef[]): Promise<Map<string, { array: boolean }>> {
  const rows = await db.query<{ table: string; column: string; array: boolean }>(
    `SELECT c.relname AS "table", a.attname AS "column", t.typcategory = 'A' AS "array"
     FROM unnest($1::text[], $2::text[]) AS wanted(tbl, col)
     JOIN pg_class c ON c.relname = wanted.tbl AND c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = wanted.col AND a.attnum > 0 AND NOT a.attisdropped
     JOIN pg_type t ON t.oid = a.atttypid`,
    [refs.map((r) => r.table), refs.map((r) => r.column)],
  );
  return new Map(rows.map((r) => [`${r.table}\0${r.column}`, { array: r.array }]));
}

/** Runs `SELECT <i> AS i, count(*) …` parts as one UNION ALL; counts by position, 0 where no part. */
async function countParts(db: Database, size: number, parts: { i: number; sql: string }[], params: unknown[] = []): Promise<number[]> {
  const counts = new Array<number>(size).fill(0);
  if (parts.length === 0) return counts;
  const sql = parts.map((p) => `SELECT ${p.i} AS i, (${p.sql}) AS n`).join('\nUNION ALL\n');
  for (const row of await db.query<{ i: number; n: string | number }>(sql, params)) counts[Number(row.i)] = Number(row.n);
  return counts;
}

/** Exact row counts; tables that do not exist are left out. */
export async function countRows(db: Database, tables: readonly string[]): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  const present = [...(await existingTables(db, tables))].sort();
  const counts = await countParts(db, present.length, present.map((t, i) => ({ i, sql: `SELECT count(*) FROM ${relation(t)}` })));
  return Object.fromEntries(present.map((t, i) => [t, counts[i]]));
}

/**
 * Rows whose column holds the value (compared as text, so it works for
 * enums; for an array column, rows whose array contains it). 0 for a
 * table or column that does not exist.
 */
export async function countValues(db: Database, refs: readonly ValueRef[]): Promise<number[]> {
  if (refs.length === 0) return [];
  const columns = await existingColumns(db, refs);
  const params: unknown[] = [];
  const parts: { i: number; sql: string }[] = [];
  refs.forEach((r, i) => {
    const col = columns.get(`${r.table}\0${r.column}`);
    if (!col) return;
    params.push(r.value);
    const test = col.array
      ? `$${params.length} = ANY(${quoteIdent(r.column)}::text[])`
      : `${quoteIdent(r.column)}::text = $${params.length}`;
    parts.push({ i, sql: `SELECT count(*) FROM ${relation(r.table)} WHERE ${test}` });
  });
  return countParts(db, refs.length, parts, params);
}

/** Rows where the column is NULL; 0 for a table or column that does not exist. */
export async function countNulls(db: Database, refs: readonly ColumnRef[]): Promise<number[]> {
  if (refs.length === 0) return [];
  const columns = await existingColumns(db, refs);
  const parts = refs.flatMap((r, i) =>
    columns.has(`${r.table}\0${r.column}`)
      ? [{ i, sql: `SELECT count(*) FROM ${relation(r.table)} WHERE ${quoteIdent(r.column)} IS NULL` }]
      : [],
  );
  return countParts(db, refs.length, parts);
}
