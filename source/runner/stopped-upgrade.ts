/**
 * A low-lock upgrade that stopped midway (runner/low-lock.ts) has committed
 * some of its steps and is not recorded as applied. Two ways out, both from
 * the CLI:
 *
 * - `migrate` resumes it, also after the file was fixed, as long as the
 *   steps it committed are still the file's first steps (their SQL is kept
 *   in the progress row, `done_sql`);
 * - `downgrade` undoes the committed steps. What undoes them is written in
 *   the progress row when they commit (`undo_sql`), from the operations as
 *   they were then, so it does not depend on the file any more: the file
 *   may have been edited, or may not load.
 *
 * The undo of an operation whose steps all committed is its ordinary
 * reverse; of one stopped between its steps (a column added but not yet
 * NOT NULL, an index built concurrently but not attached as a constraint),
 * statements that hold whichever of its steps ran (`IF EXISTS`).
 */
import type { Database } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { UserError } from '../errors.js';
import { notNullCheckName } from '../ops/low-lock.js';
import { reverseOperation } from '../ops/reverse.js';
import { operationToSql } from '../ops/sql.js';
import type { Operation } from '../ops/types.js';
import type { RevisionFile } from '../revisions/files.js';
import { ident } from '../util/sql-text.js';
import type { RunnerStep } from './low-lock.js';
import type { RunOptions } from './run-options.js';
import { beginWithTimeouts, isLockNotAvailable, retryDelayMs } from './timeouts.js';

export interface Undo {
  /** Statements for one transaction, in order. */
  readonly sql: string[];
  /** What they cannot bring back (rows changed by batches, an op.execute() without a reverse). */
  readonly notes: string[];
}

/** The first and last step each operation has a statement in. */
function stepRanges(steps: readonly RunnerStep[]): Map<Operation, { first: number; last: number }> {
  const out = new Map<Operation, { first: number; last: number }>();
  const see = (op: Operation, i: number) => {
    const r = out.get(op);
    if (r) r.last = i;
    else out.set(op, { first: i, last: i });
  };
  for (const [i, s] of steps.entries()) {
    if (s.kind === 'transaction') for (const st of s.statements) see(st.op, i);
    else see(s.op, i);
  }
  return out;
}

/** An operation stopped between its steps: statements that undo whichever of them ran. */
function partialUndo(op: Operation, firstCommitted: boolean): Undo {
  const t = ident((op as { table?: string }).table ?? '');
  if (op.kind === 'addColumn') return { sql: [`ALTER TABLE ${t} DROP COLUMN IF EXISTS ${ident(op.column.name)}`], notes: [] };
  if (op.kind === 'alterColumn') {
    const sql = [`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${ident(notNullCheckName(op.column))}`];
    // Its first transaction (type, default, comment) committed: change them back; the column is still nullable.
    const back = reverseOperation(op).op;
    if (firstCommitted && back) sql.push(...operationToSql(back));
    return { sql, notes: op.backfill ? [`rows of ${op.table} whose ${op.column} was NULL keep the value the backfill gave them`] : [] };
  }
  if (op.kind === 'createIndex') return { sql: [`DROP INDEX IF EXISTS ${ident(op.index.name)}`], notes: [] };
  if (op.kind === 'addUnique')
    return { sql: [`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${ident(op.unique.name)}`, `DROP INDEX IF EXISTS ${ident(op.unique.name)}`], notes: [] };
  if (op.kind === 'addCheck') return { sql: [`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${ident(op.check.name)}`], notes: [] };
  if (op.kind === 'rebuildEnum') return { sql: [], notes: [`rows of the columns of type ${op.type} changed in batches keep their new values`] };
  return { sql: [], notes: [] };
}

/**
 * What undoes the revision once steps 0..`done` committed and the steps up
 * to `through` may have run (autocommit steps after the last commit).
 */
export function undoOf(ops: readonly Operation[], steps: readonly RunnerStep[], done: number, through: number): Undo {
  const ranges = stepRanges(steps);
  const sql: string[] = [];
  const notes: string[] = [];
  for (const op of [...ops].reverse()) {
    const r = ranges.get(op);
    if (!r || r.first > through) continue;
    if (r.last <= done) {
      const back = reverseOperation(op);
      if (back.op) sql.push(...operationToSql(back.op));
      if (back.note) notes.push(back.note);
    } else {
      const u = partialUndo(op, r.first <= done && steps[r.first].kind === 'transaction');
      sql.push(...u.sql);
      notes.push(...u.notes);
    }
  }
  return { sql, notes };
}

interface StoppedRow {
  revision: string;
  step: number;
  undo_sql: string | null;
}

/**
 * `downgrade` on a database where an upgrade stopped midway: its committed
 * steps are undone first, in one transaction with the removal of its
 * progress row, and that counts as the first revision stepped back. Returns
 * the revisions undone and the target left for the ordinary downgrade
 * (`-N` becomes `-(N-1)`).
 */
export async function undoStoppedUpgrades(
  db: Database,
  progressTable: string,
  revisions: readonly RevisionFile[],
  target: string,
  options: RunOptions,
  database = 'default',
  who = '',
): Promise<{ ran: RevisionFile[]; target: string }> {
  const exists = await db.query<{ r: string | null }>(`SELECT to_regclass('public.${progressTable}')::text AS r`);
  if (!exists[0]?.r) return { ran: [], target };
  const hasUndo = await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = 'undo_sql'`, [progressTable]);
  const rows = await db.query<StoppedRow>(
    `SELECT revision, step, ${hasUndo.length ? 'undo_sql' : 'NULL AS undo_sql'} FROM ${progressTable} WHERE direction = 'upgrade' ORDER BY updated_at DESC`,
  );
  if (rows.length === 0) return { ran: [], target };
  const ran: RevisionFile[] = [];
  for (const row of rows) {
    if (row.undo_sql === null)
      throw new UserError(`${who}revision ${row.revision} was stopped midway in upgrade by an older fastedgy, which did not record how to undo its committed steps`, {
        hint: `run \`fastedgy db migrate\` to finish it, or undo its changes by hand and delete its row from ${progressTable}`,
      });
    const undo = JSON.parse(row.undo_sql) as Undo;
    const rev = revisions.find((r) => r.id === row.revision);
    const event = { direction: 'downgrade' as const, from: row.revision, database };
    const started = performance.now();
    options.onNotice?.(
      `${who}revision ${row.revision} was stopped midway in upgrade (${row.step < 0 ? 'nothing committed but its progress' : `committed up to step ${row.step + 1}`}); undoing its committed steps`,
    );
    if (rev) options.onEvent?.({ type: 'revision-start', revision: rev, ...event });
    const attempts = options.lockAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        await inTransaction(db, async () => {
          for (const sql of undo.sql) {
            const t0 = performance.now();
            try {
              await db.query(sql);
            } catch (e) {
              if (isLockNotAvailable(e)) throw e;
              throw new UserError(`${who}undoing the committed steps of revision ${row.revision} failed: ${(e as Error).message}\n  statement: ${sql}`, {
                hint: `nothing was undone; fix the cause, or undo its changes by hand and delete its row from ${progressTable}`,
                cause: e,
              });
            }
            if (rev) options.onEvent?.({ type: 'statement', revision: rev, ...event, sql, ms: performance.now() - t0 });
          }
          await db.query(`DELETE FROM ${progressTable} WHERE revision = $1 AND direction = 'upgrade'`, [row.revision]);
          await db.query(options.dryRun ? 'ROLLBACK' : 'COMMIT');
        }, beginWithTimeouts(options));
        break;
      } catch (e) {
        if (!isLockNotAvailable(e) || attempt >= attempts) throw e;
        await new Promise((r) => setTimeout(r, retryDelayMs(attempt)));
      }
    }
    for (const note of undo.notes) options.onNotice?.(`${who}revision ${row.revision}: ${note}`);
    if (rev) {
      options.onEvent?.({ type: 'revision-done', revision: rev, ...event, ms: performance.now() - started });
      ran.push(rev);
    }
  }
  const rel = /^-(\d+)$/.exec(target.trim());
  return { ran, target: rel ? `-${Math.max(0, Number(rel[1]) - rows.length)}` : target };
}
