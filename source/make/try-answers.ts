/**
 * Answers that compute values (a backfill `value` or `sql`, a `using`
 * expression) are tried against the live rows before anything is written
 * (SPEC §6): `1/0`, a value of the wrong type or an unknown column is an
 * error at generate time, naming the question, not a failure half-way
 * through a migrate.
 *
 * Read-only: each trial is one SELECT inside a READ ONLY transaction that is
 * rolled back, with a statement timeout, sent through the extended query
 * protocol (a parameter forces it), which refuses a second statement hidden
 * in the text. The table is read as the revision will see it: columns and
 * tables renamed earlier in the same revision carry their new names.
 */
import type { Database } from '../db/database.js';
import { UsageError } from '../errors.js';
import { columnType, backfillExpr } from '../ops/sql-parts.js';
import type { Operation } from '../ops/types.js';
import { ident, literal } from '../util/sql-text.js';

/** Rows a trial reads at most: enough to meet a bad row in most tables, bounded for huge ones. */
const SAMPLE_ROWS = 100_000;
const TIMEOUT_MS = 5_000;

export interface Trial {
  /** The question the answer settles (without a database prefix). */
  readonly question: string;
  /** The table as it is named in the database now. */
  readonly table: string;
  /** The expression, for one row of that table; null for a constant. */
  readonly expr: string;
  /** The type the value must fit. */
  readonly type: string;
  /** Columns renamed earlier in the revision: new name → name in the database now. */
  readonly renamed: ReadonlyMap<string, string>;
  /**
   * Enum types created (or rebuilt: `rebuilds` names the type as the database
   * holds it now) earlier in the revision, which the answer or its type may name.
   */
  readonly enums?: readonly TrialEnum[];
}

export interface TrialEnum {
  readonly name: string;
  readonly values: readonly string[];
  readonly rebuilds?: string;
}

/** The trials a plan's operations need, in order. */
export function trialsOf(ops: readonly Operation[]): Trial[] {
  const tableNow = new Map<string, string>(); // name in the revision → name in the database now
  const columnsNow = new Map<string, Map<string, string>>(); // by name in the database now
  const trials: Trial[] = [];
  const now = (table: string) => tableNow.get(table) ?? table;
  const renamedIn = (table: string) => columnsNow.get(now(table)) ?? new Map<string, string>();
  const created = new Set<string>();
  const enums: TrialEnum[] = [];
  const enumNow = new Map<string, string>(); // type name in the revision → name in the database now
  for (const op of ops) {
    if (op.kind === 'createEnum') enums.push(op);
    else if (op.kind === 'renameEnum') enumNow.set(op.to, enumNow.get(op.from) ?? op.from);
    else if (op.kind === 'rebuildEnum') enums.push({ name: op.type, values: op.to, rebuilds: enumNow.get(op.type) ?? op.type });
    else if (op.kind === 'createTable') created.add(op.table.name);
    else if (op.kind === 'renameTable') tableNow.set(op.to, now(op.from));
    else if (op.kind === 'renameColumn') {
      const map = columnsNow.get(now(op.table)) ?? new Map<string, string>();
      map.set(op.to, map.get(op.from) ?? op.from);
      columnsNow.set(now(op.table), map);
    } else if (op.kind === 'addColumn' && op.backfill && !('useDefault' in op.backfill) && !created.has(op.table) && !op.column.nullable) {
      trials.push({ question: `backfill:${op.table}.${op.column.name}`, table: now(op.table), expr: backfillExpr(op.backfill, op.column), type: columnType(op.column), renamed: renamedIn(op.table), enums: [...enums] });
    } else if (op.kind === 'alterColumn' && !created.has(op.table)) {
      const type = columnType({ type: op.to.type, enumType: op.to.enumType });
      if (op.using) trials.push({ question: `alter-type:${op.table}.${op.column}`, table: now(op.table), expr: op.using, type, renamed: renamedIn(op.table), enums: [...enums] });
      if (op.backfill && !('useDefault' in op.backfill))
        trials.push({ question: `backfill:${op.table}.${op.column}`, table: now(op.table), expr: backfillExpr(op.backfill, { ...op.to, enumType: op.to.enumType ?? null }), type, renamed: renamedIn(op.table), enums: [...enums] });
    }
  }
  return trials;
}

/** The database's verdict on one trial: null when every sampled row gives a value of the type. */
export async function runTrial(db: Database, t: Trial): Promise<string | null> {
  // The table as the revision sees it: renamed columns under their new names too.
  const extra = [...t.renamed].map(([to, from]) => `, ${ident(from)} AS ${ident(to)}`).join('');
  const source = `(SELECT *${extra} FROM ${ident(t.table)} LIMIT ${SAMPLE_ROWS}) AS ${ident(t.table)}`;
  const sql = `SELECT count((${t.expr})::${t.type}) FROM ${source} WHERE $1::int = 1`;
  try {
    // A type the revision creates first is created in the trial too (rolled
    // back with it); the rows are still read in a read-only transaction.
    await db.query(t.enums?.length ? 'BEGIN' : 'BEGIN READ ONLY');
    for (const e of t.enums ?? []) {
      // A rebuilt type steps aside under a scratch name (rolled back with the rest).
      if (e.rebuilds) await db.query(`ALTER TYPE ${ident(e.rebuilds)} RENAME TO ${ident(`fastedgy_trial_${e.rebuilds}`.slice(0, 63))}`);
      await db.query(`CREATE TYPE ${ident(e.name)} AS ENUM (${e.values.map(literal).join(', ')})`);
    }
    if (t.enums?.length) await db.query('SET LOCAL transaction_read_only = on');
    await db.query(`SET LOCAL statement_timeout = ${TIMEOUT_MS}`);
    await db.query(sql, [1]);
    return null;
  } catch (e) {
    const message = (e as Error).message;
    if (/canceling statement due to statement timeout/.test(message)) return null; // too slow to judge here: the migrate will
    return /cannot insert multiple commands/.test(message) ? 'it is not a single SQL expression' : message;
  } finally {
    await db.query('ROLLBACK').catch(() => undefined);
  }
}

/**
 * Tries every computed answer of a plan; the first that fails is a usage
 * error (exit 2) naming its question and PostgreSQL's message. `prefix` is
 * the database's `name:` in a multi-database project.
 */
export async function tryAnswers(db: Database, ops: readonly Operation[], prefix = ''): Promise<void> {
  for (const t of trialsOf(ops)) {
    const problem = await runTrial(db, t);
    if (problem)
      throw new UsageError(
        `the answer to ${prefix}${t.question} fails on the rows of ${t.table}: ${problem}`,
        'change that answer (nothing was written); it was tried read-only against the rows the revision will change',
      );
  }
}
