/**
 * Big tables: the low-lock form of the operations that must touch every row.
 *
 * `operationToSql` gives each operation as statements for ONE transaction.
 * That is right for small tables (all or nothing), but an `ALTER TABLE`
 * keeps its ACCESS EXCLUSIVE lock until COMMIT, so a backfill `UPDATE` in
 * the same transaction as the `ADD COLUMN` blocks every reader and writer of
 * the table for the whole backfill, and `SET NOT NULL` scans the table under
 * that lock too.
 *
 * The low-lock form is a list of steps, each its own transaction:
 *
 *   1. `transaction`: the instant part (ADD COLUMN without NOT NULL; for an
 *      alter, the type/default/comment changes), committed at once;
 *   2. `batches`: `UPDATE … SET col = <backfill> WHERE col IS NULL` over
 *      batches of rows taken in `ctid` order, each batch committed and
 *      bounded by a row count and a time target (runner/batches.ts): only
 *      the rows of one batch are locked, for one batch (row locks, ROW
 *      EXCLUSIVE on the table);
 *   3. `transaction`: `CHECK (col IS NOT NULL) NOT VALID`: instant, and from
 *      then on new rows are checked (it comes after the batches, so the
 *      application's updates of not-yet-filled rows were never refused);
 *   4. `validate`: `VALIDATE CONSTRAINT` scans under SHARE UPDATE EXCLUSIVE,
 *      which lets reads and writes go on; if rows written with NULL between
 *      the batches and the check make it fail, the batches run again first;
 *   5. `transaction`: `SET NOT NULL`, which PostgreSQL 12+ does without a scan
 *      thanks to the validated check, then the check is dropped.
 *
 * Every step can be run again safely (batches only touch `IS NULL` rows,
 * constraints are dropped `IF EXISTS` before being added), which is what
 * lets the runner resume a revision stopped midway.
 *
 * Indexes and unique constraints on such a table are built concurrently,
 * as a step of their own (concurrent-index.ts).
 *
 * Not covered: `rebuildEnum` (removing enum values). Its `ALTER COLUMN TYPE`
 * rewrites the table under ACCESS EXCLUSIVE whatever is done before it; a
 * low-lock form would need a new column, a batched copy and a swap.
 */
import { ident, literal } from '../util/sql-text.js';
import { backfillExpr, checkSql, columnDefinition, commentSql } from './sql-parts.js';
import { operationToSql } from './sql.js';
import { concurrentIndexSteps, concurrentIndexTable } from './concurrent-index.js';
import type { ConcurrentStep } from './concurrent-index.js';
import type { Question } from '../diff/questions.js';
import type { Operation, OperationOf } from './types.js';

/**
 * Below this many rows the one-transaction form is used. Updating 10,000
 * narrow rows takes tens of milliseconds, about the cost of the extra
 * transactions, and the one-transaction form keeps the revision all-or-nothing
 * (a failure leaves nothing behind to resume), so small tables lose nothing.
 * Above it, the time the table is locked grows with the rows; the batches
 * keep it per batch. Decided at run time (the row count of the live table,
 * counted up to this limit only), not when the revision is written: the
 * table that was small on a laptop is big in production.
 */
export const BATCH_THRESHOLD = 10_000;

export type LowLockStep =
  | { readonly kind: 'transaction'; readonly sql: readonly string[] }
  | ConcurrentStep
  | {
      readonly kind: 'batches';
      readonly table: string;
      readonly column: string;
      /** The SQL the rows get (`SET column = value`). */
      readonly value: string;
      /** Which rows: absent, those still NULL (a backfill); else an SQL condition (rows holding a removed enum value). */
      readonly where?: string;
      /** Delete the rows instead of updating them (an answer said to delete rows holding a removed enum value). */
      readonly delete?: boolean;
    }
  | {
      readonly kind: 'validate';
      readonly table: string;
      readonly constraint: string;
      /** Run again when the validation finds rows written with NULL after the first batches. */
      readonly refill?: LowLockStep & { kind: 'batches' };
    };

/** The table whose row count decides between the two forms, or null when the operation has no low-lock form. */
export function lowLockTable(op: Operation): string | null {
  if (op.kind === 'addColumn') return op.backfill && 'sql' in op.backfill && !op.column.nullable && !op.column.identity ? op.table : null;
  if (op.kind === 'alterColumn') return op.from.nullable && !op.to.nullable ? op.table : null;
  if (op.kind === 'rebuildEnum') return Object.keys(op.fates).length > 0 ? (op.columns.find((c) => !c.array)?.table ?? null) : null;
  if (op.kind === 'addCheck') return op.table;
  return concurrentIndexTable(op);
}

/**
 * Removing an enum value that rows hold: the rows are mapped (set to NULL,
 * deleted) in committed batches first, so the rebuild that follows finds
 * nothing to convert. The rebuild itself still rewrites each table using the
 * type under an exclusive lock (PostgreSQL cannot drop an enum value in
 * place), which the wizard's cost line says; the batches keep the part that
 * grows with the rows holding the value out of that lock. A value mapped to
 * one this revision adds is left to the rebuild (the old type lacks it), and
 * so are array columns.
 */
function enumRemovalSteps(op: OperationOf<'rebuildEnum'>): LowLockStep[] {
  const steps: LowLockStep[] = [];
  for (const col of op.columns.filter((c) => !c.array)) {
    for (const [value, fate] of Object.entries(op.fates)) {
      const where = `${ident(col.column)}::text = ${literal(value)}`;
      if ('mapTo' in fate && op.from.includes(fate.mapTo)) steps.push({ kind: 'batches', table: col.table, column: col.column, value: literal(fate.mapTo), where });
      else if ('setNull' in fate && col.nullable) steps.push({ kind: 'batches', table: col.table, column: col.column, value: 'NULL', where });
      else if ('deleteRows' in fate) steps.push({ kind: 'batches', table: col.table, column: col.column, value: '', where, delete: true });
    }
  }
  steps.push({ kind: 'transaction', sql: operationToSql(op) });
  return steps;
}

/**
 * A check constraint: `ADD … NOT VALID` commits on its own (instant, and new
 * rows are checked from then on), then `VALIDATE` scans the rows under SHARE
 * UPDATE EXCLUSIVE, which lets reads and writes go on. In one transaction the
 * scan would run under the ACCESS EXCLUSIVE lock the ADD took, so readers
 * would wait for it. (No `DROP … IF EXISTS` first: the ADD's transaction
 * records the progress too, so a resume never runs it twice, and a constraint
 * of that name already there must stop the run as in the one-transaction form.)
 */
function checkSteps(op: OperationOf<'addCheck'>): LowLockStep[] {
  return [
    { kind: 'transaction', sql: [`ALTER TABLE ${ident(op.table)} ADD ${checkSql(op.check.name, op.check.expression)} NOT VALID`] },
    { kind: 'validate', table: op.table, constraint: op.check.name },
  ];
}

/** The check's name: per table, so `<column>_fastedgy_nn`, shortened to PostgreSQL's 63 bytes. */
export function notNullCheckName(column: string): string {
  let base = column;
  while (Buffer.byteLength(base) > 51) base = base.slice(0, -1);
  return `${base}_fastedgy_nn`;
}

/** The low-lock steps of an operation, or null when it has none (then `operationToSql` is all there is). */
export function lowLockSteps(op: Operation): LowLockStep[] | null {
  if (!lowLockTable(op)) return null;
  if (op.kind === 'rebuildEnum') return enumRemovalSteps(op);
  if (op.kind === 'addCheck') return checkSteps(op);
  const index = concurrentIndexSteps(op);
  if (index) return index;
  const steps: LowLockStep[] = [];
  let table: string;
  let column: string;
  let value: string | null = null;
  if (op.kind === 'addColumn') {
    ({ table } = op);
    column = op.column.name;
    const first = [`ALTER TABLE ${ident(table)} ADD COLUMN ${columnDefinition(op.column, { nullable: true })}`];
    if (op.column.comment) first.push(commentSql(`COLUMN ${ident(table)}.${ident(column)}`, op.column.comment));
    steps.push({ kind: 'transaction', sql: first });
    value = backfillExpr(op.backfill!, op.column);
  } else if (op.kind === 'alterColumn') {
    ({ table, column } = op);
    // Everything but NOT NULL (type, default, comment) in the first, short transaction.
    const rest = operationToSql({ ...op, to: { ...op.to, nullable: true }, backfill: undefined });
    if (rest.length) steps.push({ kind: 'transaction', sql: rest });
    if (op.backfill) value = backfillExpr(op.backfill, op.to);
  } else {
    return null;
  }
  const t = ident(table);
  const c = ident(column);
  const check = notNullCheckName(column);
  const batches = value === null ? undefined : ({ kind: 'batches', table, column, value } as const);
  if (batches) steps.push(batches);
  steps.push({
    kind: 'transaction',
    sql: [`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${ident(check)}`, `ALTER TABLE ${t} ADD CONSTRAINT ${ident(check)} CHECK (${c} IS NOT NULL) NOT VALID`],
  });
  steps.push({ kind: 'validate', table, constraint: check, ...(batches ? { refill: batches } : {}) });
  steps.push({ kind: 'transaction', sql: [`ALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL`, `ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${ident(check)}`] });
  return steps;
}

/**
 * One batch of a `batches` step: at most `limit` of its rows, the first ones
 * (in ctid order) from `from` (a tid; exclusive when `after`) to page `toPage`.
 * The rows are picked first and changed by ctid (a TID scan), so the batch
 * locks `limit` rows at most however the pages are filled. The result has
 * `n`, the rows changed, `picked` and `last`, the last ctid picked (where the
 * next batch starts).
 */
export function batchSql(step: LowLockStep & { kind: 'batches' }, from: { tid: string; after: boolean }, toPage: number, limit: number): string {
  const t = ident(step.table);
  const c = ident(step.column);
  const which = step.where ?? `${c} IS NULL`;
  const pick = `SELECT ctid FROM ${t} WHERE ctid ${from.after ? '>' : '>='} ${literal(from.tid)}::tid AND ctid < ${literal(`(${toPage},0)`)}::tid AND ${which} ORDER BY ctid LIMIT ${limit}`;
  // The condition again: a row another session changed meanwhile is checked as it is now.
  const rows = `ctid = ANY (ARRAY(SELECT ctid FROM pick)) AND ${which}`;
  const change = step.delete ? `DELETE FROM ${t} WHERE ${rows}` : `UPDATE ${t} SET ${c} = ${step.value} WHERE ${rows}`;
  return `WITH pick AS MATERIALIZED (${pick}), u AS (${change} RETURNING 1) SELECT (SELECT count(*)::int FROM u) AS n, (SELECT count(*)::int FROM pick) AS picked, (SELECT ctid::text FROM pick ORDER BY ctid DESC LIMIT 1) AS last`;
}

/** The statement of a `validate` step (identifiers as the rest of the revision's SQL writes them). */
export function validateSql(step: LowLockStep & { kind: 'validate' }): string {
  return `ALTER TABLE ${ident(step.table)} VALIDATE CONSTRAINT ${ident(step.constraint)}`;
}

/** A `batches` step as one statement, for `--sql` output and messages (the runner sends it in batches of rows). */
export function batchesSummary(step: LowLockStep & { kind: 'batches' }): string {
  const which = step.where ?? `${ident(step.column)} IS NULL`;
  if (step.delete) return `DELETE FROM ${ident(step.table)} WHERE ${which}`;
  return `UPDATE ${ident(step.table)} SET ${ident(step.column)} = ${step.value} WHERE ${which}`;
}

/** What running the operation costs on a table of `rows` rows (undefined: not known), in words; null when it is instant. */
export function operationCost(op: Operation, rows?: number): string | null {
  const table = lowLockTable(op);
  const count = rows === undefined ? '' : ` (${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'})`;
  if (op.kind === 'rebuildEnum') {
    const tables = [...new Set(op.columns.map((c) => c.table))];
    const batched = table && !(rows !== undefined && rows < BATCH_THRESHOLD) ? 'the rows holding a removed value are changed in batches first, then ' : '';
    return tables.length ? `${batched}rewrites ${tables.join(', ')}${count} under an exclusive lock (reads and writes wait)` : null;
  }
  if (table && (op.kind === 'createIndex' || op.kind === 'addUnique')) {
    const small = rows !== undefined && rows < BATCH_THRESHOLD;
    return small
      ? `builds an index on ${table}${count} in the revision's transaction (writes wait meanwhile)`
      : `builds an index on ${table}${count} concurrently, outside the revision's transaction, without blocking reads or writes`;
  }
  if (table && op.kind === 'addCheck') {
    const small = rows !== undefined && rows < BATCH_THRESHOLD;
    return small
      ? `checks every row of ${table}${count} in the revision's transaction (reads and writes wait meanwhile)`
      : `checks every row of ${table}${count} after the constraint is committed NOT VALID, without blocking reads or writes`;
  }
  if (table) {
    const small = rows !== undefined && rows < BATCH_THRESHOLD;
    const how = small ? 'in one transaction' : 'in batches, then checked without blocking writes';
    if (op.kind === 'addColumn') return `touches every row of ${table}${count}, ${how}`;
    if (op.kind === 'alterColumn' && op.backfill) return `touches the rows of ${table} where ${op.column} is NULL${count}, ${how}`;
    return `reads every row of ${table}${count} to check NOT NULL${small ? '' : ', without blocking writes'}`;
  }
  return null;
}

/** The leading row count of a question's stake ("1,000,000 rows in users need a value"). */
function stakeRows(stake: string | undefined): number | undefined {
  const m = /^([\d,]+) rows?\b/.exec(stake ?? '');
  return m ? Number(m[1].replace(/,/g, '')) : undefined;
}

/**
 * What each way of answering a question costs on the live table, in words,
 * for the wizard and the plain prompts; null when nothing costs much.
 */
export function questionCost(q: Pick<Question, 'kind' | 'text' | 'stake' | 'table' | 'column'> & { readonly choices?: Question['choices'] }): string | null {
  const rows = stakeRows(q.stake);
  if (q.kind === 'enum-remove') {
    // Only the ways this question offers: "renaming: instant" where no rename is offered would be untrue.
    const offers = (key: string) => !q.choices || q.choices.some((c) => typeof c.answer === 'object' && key in c.answer);
    const rewrites = [offers('mapTo') && 'mapping', offers('setNull') && 'NULL', offers('deleteRows') && 'deleting'].filter(Boolean).join(', ').replace(/, ([^,]*)$/, ' or $1');
    const rebuild = rewrites
      ? `${rewrites}: the rows holding it change in batches (on big tables), then the type is rebuilt, which rewrites every table using it under an exclusive lock (reads and writes wait)`
      : '';
    return [offers('renameTo') ? 'renaming: instant' : '', rebuild].filter(Boolean).join(' · ') || null;
  }
  if (!q.table || !q.column) return null;
  const count = rows === undefined ? '' : ` (${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'})`;
  const how = rows !== undefined && rows < BATCH_THRESHOLD ? 'in one transaction' : 'in batches, without locking the table';
  if (q.kind === 'backfill' && !/ becomes NOT NULL/.test(q.text))
    return `a value: instant, no row is rewritten · an SQL expression: touches every row of ${q.table}${count}, ${how}`;
  if (q.kind === 'backfill') return `touches the rows of ${q.table} where ${q.column} is NULL${count}, ${how}; then checks NOT NULL without blocking writes`;
  return null;
}
