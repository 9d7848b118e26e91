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
export async function canonicalizeSql(db: Database, pieces: readonly SqlPiece[], enums: readonly ScratchEnum[] = []): Promise<(string | null)[]> {
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
      setup.push(`CREATE TEMP TABLE ${quoteIdent(name)} (${ctx.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
    }
    return `pg_temp.${quoteIdent(name)}`;
  };

  const statements: string[] = [];
  const reads: string[] = [];
  const skipped = new Set<number>();
  pieces.forEach((piece, i) => {
    const table = scratchTable(piece.context);
    const probe = `fastedgy_probe_${i}`;
    const probed = probeFor(piece, table, probe);
    if (!singleExpression(piece.sql) || !probed) {
      skipped.add(i);
      statements.push('SELECT 1');
      reads.push('SELECT NULL::text');
      return;
    }
    statements.push(probed.statement);
    reads.push(probed.read);
  });

  let texts: (string | null)[] | null = null;
  await db.query(`BEGIN; ${FUNCTION_SQL}`).catch(async () => {
    await db.query('ROLLBACK').catch(() => undefined);
    texts = pieces.map(() => null);
  });
  if (texts) return texts;
  try {
    const [row] = await db.query<{ texts: (string | null)[] }>('SELECT pg_temp.fastedgy_canonical($1::text[], $2::text[], $3::text[]) AS texts', [setup, statements, reads]);
    texts = row.texts;
  } catch {
    texts = pieces.map(() => null);
  } finally {
    await db.query('ROLLBACK');
  }
  return pieces.map((_, i) => (skipped.has(i) ? null : (texts![i] ?? null)));
}

const FUNCTION_SQL = `
CREATE FUNCTION pg_temp.fastedgy_canonical(setup text[], statements text[], reads text[]) RETURNS text[]
LANGUAGE plpgsql AS $fastedgy$
DECLARE
  result text[] := '{}';
  s text;
  t text;
BEGIN
  FOREACH s IN ARRAY setup LOOP
    BEGIN
      EXECUTE s;
    EXCEPTION WHEN others THEN
      NULL; -- an unknown column type: the pieces on that table come back NULL
    END;
  END LOOP;
  FOR i IN 1 .. coalesce(array_length(statements, 1), 0) LOOP
    BEGIN
      EXECUTE statements[i];
      EXECUTE reads[i] INTO t;
    EXCEPTION WHEN others THEN
      t := NULL;
    END;
    result := array_append(result, t);
  END LOOP;
  RETURN result;
END
$fastedgy$`;

/** The statement attaching a piece to its scratch table, and the query printing it back. */
function probeFor(piece: SqlPiece, table: string, probe: string): { statement: string; read: string } | null {
  const regclass = (name: string) => `${literal(name)}::regclass`;
  const attrdef = (column: string) =>
    `SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
     WHERE d.adrelid = ${regclass(table)} AND a.attname = ${literal(column)}`;
  const index = `pg_temp.${quoteIdent(probe)}`;
  switch (piece.kind) {
    case 'default':
      if (piece.column === undefined) return null;
      return {
        statement: `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(piece.column)} SET DEFAULT ${piece.sql}`,
        read: attrdef(piece.column),
      };
    case 'indexPredicate':
      // A constant key: any column type would do, and none is needed.
      return {
        statement: `CREATE INDEX ${quoteIdent(probe)} ON ${table} ((1)) WHERE ${piece.sql}`,
        read: `SELECT pg_get_expr(i.indpred, i.indrelid, true) FROM pg_index i WHERE i.indexrelid = ${regclass(index)}`,
      };
    case 'indexExpression':
      return {
        statement: `CREATE INDEX ${quoteIdent(probe)} ON ${table} ((${piece.sql}))`,
        read: `SELECT '(' || pg_get_indexdef(${regclass(index)}, 1, true) || ')'`,
      };
    case 'check': {
      const m = /^\s*check\s*\((.*)\)\s*$/is.exec(piece.sql);
      const expr = m && singleExpression(m[1]) ? m[1] : piece.sql;
      return {
        statement: `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(probe)} CHECK (${expr})`,
        read: `SELECT pg_get_constraintdef(c.oid, true) FROM pg_constraint c WHERE c.conrelid = ${regclass(table)} AND c.conname = ${literal(probe)}`,
      };
    }
    case 'generated': {
      const type = piece.context.columns.find((c) => c.name === piece.column)?.type;
      if (!type) return null;
      return {
        statement: `ALTER TABLE ${table} ADD COLUMN ${quoteIdent(probe)} ${type} GENERATED ALWAYS AS (${piece.sql}) STORED`,
        read: attrdef(probe),
      };
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
