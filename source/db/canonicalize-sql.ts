/**
 * Pieces of SQL a model carries (column defaults, index predicates and
 * expressions, CHECK and generated expressions) in the database's own
 * spelling. PostgreSQL stores each as a parse tree and prints it back its
 * own way (`email <> ''` becomes `(email)::text <> ''::text`, `'A'` in an
 * enum array default `'A'::my_enum`), so text as written and text as stored
 * only compare once both went through that printer.
 *
 * Every piece is attached to a scratch copy of its table, created in the
 * session's temporary schema inside a transaction that is always rolled
 * back: no user table is read, locked or changed. One round trip does the
 * work for any number of pieces (a temporary plpgsql function runs each
 * piece in its own subtransaction, so one that PostgreSQL refuses costs
 * only its own result). A piece the database cannot take comes back `null`;
 * the caller then compares it as written.
 */
import type { Database } from './database.js';
import { literal, quoteIdent } from '../util/sql-text.js';

export type SqlPieceKind =
  /** A column default (`serverDefault`, a rendered `default`), for `column`. */
  | 'default'
  /** An index's WHERE. */
  | 'indexPredicate'
  /** One index key expression; comes back parenthesised, as introspection lists it. */
  | 'indexExpression'
  /** A CHECK constraint's expression, bare or as `CHECK (…)`; comes back as `CHECK (…)`. */
  | 'check'
  /** A stored generated column's expression, for a column of `column`'s type. */
  | 'generated';

export interface SqlTableContext {
  readonly table: string;
  /** The table's columns, `type` as SQL (`character varying(100)`, `user_role[]`). */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

export interface SqlPiece {
  readonly kind: SqlPieceKind;
  readonly context: SqlTableContext;
  /** For 'default' and 'generated': the column the expression belongs to. */
  readonly column?: string;
  readonly sql: string;
}

export interface ScratchEnum {
  readonly name: string;
  readonly values: readonly string[];
}

/**
 * The canonical text of each piece, in order (`null` where the database
 * refused it). `enums`: enum types the contexts use that the database does
 * not hold (yet) as the models declare them; they are created as temporary
 * types, which PostgreSQL looks up before the permanent ones.
 */
export async function canonicalizeSql(
  db: Database,
  pieces: readonly SqlPiece[],
  enums: readonly ScratchEnum[] = [],
  options: { nested?: boolean } = {},
): Promise<(string | null)[]> {
  // Inside a transaction already (the proof's): a savepoint rolled back instead.
  const begin = options.nested ? 'SAVEPOINT fastedgy_canonical' : 'BEGIN';
  const rollback = options.nested ? 'ROLLBACK TO SAVEPOINT fastedgy_canonical' : 'ROLLBACK';
  if (pieces.length === 0) return [];
  const setup: string[] = enums.map((e) => `CREATE TYPE pg_temp.${quoteIdent(e.name)} AS ENUM (${e.values.map(literal).join(', ')})`);
  const tableOf = new Map<string, string>();
  const tableNames = new Set<string>();
  const scratchTable = (ctx: SqlTableContext): string => {
    const key = JSON.stringify([ctx.table, ctx.columns]);
    let name = tableOf.get(key);
    if (name === undefined) {
      // The table's own name, so an expression that qualifies its columns
      // (`users.email`) still finds them; a second context of the same name gets a suffix.
      name = ctx.table;
      for (let n = 2; tableNames.has(name); n++) name = `${ctx.table}_${n}`;
      tableNames.add(name);
      tableOf.set(key, name);
      // Partitioned: a table without storage costs a few catalog rows and no
      // files, several times cheaper than a plain one (it matters with
      // thousands of tables), and prints its SQL the same way.
      let partitionKey = 'fastedgy_key';
      while (ctx.columns.some((c) => c.name === partitionKey)) partitionKey += '_';
      const columns = [...ctx.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`), `${partitionKey} integer`];
      setup.push(`CREATE TEMP TABLE ${quoteIdent(name)} (${columns.join(', ')}) PARTITION BY LIST (${partitionKey})`);
    }
    return `pg_temp.${quoteIdent(name)}`;
  };

  // Each piece becomes an object named after its place in the list, read back
  // together at the end: one static query rather than one per piece.
  const statements: string[] = [];
  pieces.forEach((piece, i) => {
    const statement = singleExpression(piece.sql) ? probeStatement(piece, scratchTable(piece.context), `${PROBE}${i}`) : null;
    if (statement) statements.push(statement);
  });

  if (!(await db.query(`${begin}; ${FUNCTION_SQL}`).then(() => true, () => false))) {
    await db.query(rollback).catch(() => undefined);
    return pieces.map(() => null);
  }
  const texts: (string | null)[] = pieces.map(() => null);
  try {
    await db.query('SELECT pg_temp.fastedgy_run($1::text[], $2::text[])', [setup, statements]);
    const rows = await db.query<{ n: number; text: string | null; expression: string | null }>(READ_SQL);
    for (const r of rows) {
      const piece = pieces[r.n];
      // An index whose predicate PostgreSQL reduced to constant true has none: `true` is its text.
      if (piece) texts[r.n] = piece.kind === 'indexExpression' ? r.expression : piece.kind === 'indexPredicate' ? (r.text ?? 'true') : r.text;
    }
  } catch {
    // Left NULL: compared as written.
  } finally {
    await db.query(rollback);
  }
  return texts;
}

const PROBE = 'fastedgy_probe_';

// Every statement in its own subtransaction: one PostgreSQL refuses (an
// unknown type, a column that is not there) leaves the others standing.
const FUNCTION_SQL = `
CREATE FUNCTION pg_temp.fastedgy_run(setup text[], statements text[]) RETURNS void
LANGUAGE plpgsql AS $fastedgy$
DECLARE
  s text;
BEGIN
  FOREACH s IN ARRAY setup || statements LOOP
    BEGIN
      EXECUTE s;
    EXCEPTION WHEN others THEN
      NULL;
    END;
  END LOOP;
END
$fastedgy$`;

// The probes, printed as introspection prints the real objects. `text` is
// the default, generated expression, WHERE or CHECK; `expression` an index key.
const READ_SQL = `
SELECT substr(a.attname, ${PROBE.length + 1})::int AS n, pg_get_expr(d.adbin, d.adrelid) AS text, NULL AS expression
FROM pg_attrdef d
JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
JOIN pg_class c ON c.oid = d.adrelid
WHERE c.relnamespace = pg_my_temp_schema() AND a.attname LIKE '${PROBE.replace(/_/g, '\\_')}%'
UNION ALL
SELECT substr(c.relname, ${PROBE.length + 1})::int, pg_get_expr(i.indpred, i.indrelid, true),
       '(' || pg_get_indexdef(i.indexrelid, 1, true) || ')'
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
WHERE c.relnamespace = pg_my_temp_schema() AND c.relname LIKE '${PROBE.replace(/_/g, '\\_')}%'
UNION ALL
SELECT substr(con.conname, ${PROBE.length + 1})::int, pg_get_constraintdef(con.oid, true), NULL
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
WHERE c.relnamespace = pg_my_temp_schema() AND con.conname LIKE '${PROBE.replace(/_/g, '\\_')}%'`;

/** The statement that attaches a piece to its scratch table as an object named `probe`. */
function probeStatement(piece: SqlPiece, table: string, probe: string): string | null {
  const type = piece.context.columns.find((c) => c.name === piece.column)?.type;
  switch (piece.kind) {
    case 'default':
      // A column of the same type: two pieces for one column each get their own.
      return type ? `ALTER TABLE ${table} ADD COLUMN ${quoteIdent(probe)} ${type} DEFAULT ${piece.sql}` : null;
    case 'generated':
      return type ? `ALTER TABLE ${table} ADD COLUMN ${quoteIdent(probe)} ${type} GENERATED ALWAYS AS (${piece.sql}) STORED` : null;
    case 'indexPredicate':
      // A constant key: any column type would do, and none is needed.
      return `CREATE INDEX ${quoteIdent(probe)} ON ${table} ((1)) WHERE ${piece.sql}`;
    case 'indexExpression':
      return `CREATE INDEX ${quoteIdent(probe)} ON ${table} ((${piece.sql}))`;
    case 'check': {
      const m = /^\s*check\s*\((.*)\)\s*$/is.exec(piece.sql);
      const expr = m && singleExpression(m[1]) ? m[1] : piece.sql;
      return `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(probe)} CHECK (${expr})`;
    }
  }
}

/**
 * True when `sql` cannot end the statement it is placed in: no `;` and no
 * closing parenthesis without its opening one outside literals, quoted names
 * and comments. Anything else is not a piece of SQL but an attempt at more.
 */
export function singleExpression(sql: string): boolean {
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" && /[eE]/.test(sql[i - 1] ?? '') && !/[A-Za-z0-9_]/.test(sql[i - 2] ?? '')) {
      // E'…': a backslash escapes the next character, a quote included.
      let j = i + 1;
      while (j < sql.length && sql[j] !== "'") j += sql[j] === '\\' ? 2 : 1;
      if (j >= sql.length) return false;
      i = j;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      if (end < 0) return false;
      i = end; // a doubled quote is two adjacent quoted runs: same result
      continue;
    }
    if (ch === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag && (i === 0 || !/[A-Za-z0-9_]/.test(sql[i - 1]))) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        if (end < 0) return false;
        i = end + tag[0].length - 1;
        continue;
      }
    }
    if (ch === '-' && sql[i + 1] === '-') return false;
    if (ch === '/' && sql[i + 1] === '*') return false;
    if (ch === ';') return false;
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0 && sql.trim() !== '';
}
