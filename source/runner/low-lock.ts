/**
 * Running a revision that touches every row of a big table (see
 * ops/low-lock.ts) in several transactions instead of one.
 *
 * The revision's statements are cut into steps: the statements before a
 * low-lock operation, plus its instant first part, make one transaction;
 * then come its batches and its validation, each committing on its own; its
 * last part (SET NOT NULL) opens the next transaction, which carries on with
 * the revision's following statements. The last transaction also records the
 * revision in the version tables, so a revision is recorded as applied only
 * once all its steps are done.
 *
 * An index or unique constraint added to such a table is a `concurrently`
 * step between the transactions: `CREATE INDEX CONCURRENTLY`, which cannot
 * run inside one (runner/concurrent-index.ts); the progress row is written
 * before it, so a run killed during or after the build resumes there.
 *
 * If it stops midway (an error, a lock timeout after all its attempts, a
 * crash), the committed steps stay, and `fastedgy_progress` says how far it
 * got: each transaction step but the last writes its number there in the same
 * transaction, atomically. Running the revision again resumes after that
 * step; the batches and the validation between are safe to run again (they
 * only touch rows still NULL). The revision is not in fastedgy_revisions
 * meanwhile, so `upgrade` runs it (resuming) and `downgrade` does not see it.
 */
import type { Database } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { UserError } from '../errors.js';
import { batchesSummary, BATCH_THRESHOLD, lowLockSteps, lowLockTable, validateSql } from '../ops/low-lock.js';
import type { LowLockStep } from '../ops/low-lock.js';
import type { ConcurrentStep } from '../ops/concurrent-index.js';
import { operationToSql } from '../ops/sql.js';
import type { Operation } from '../ops/types.js';
import { unedited } from '../revisions/files.js';
import type { RevisionFile } from '../revisions/files.js';
import { quoteIdent } from '../util/sql-text.js';
import type { Direction, Statement } from './collect.js';
import { runBatches } from './batches.js';
import { runConcurrentStep } from './concurrent-index.js';
import { undoOf } from './stopped-upgrade.js';
import { beginWithTimeouts, resetTimeouts, setTimeouts } from './timeouts.js';
import type { TimeoutOptions } from './timeouts.js';
import type { ProgressEvent } from './run-options.js';

export const PROGRESS_TABLE = 'fastedgy_progress';
/**
 * One row per revision stopped midway. `done_sql`: the SQL of its committed
 * steps (JSON), which lets a fixed file resume; `undo_sql`: what undoes them
 * (JSON, runner/stopped-upgrade.ts). Both added later: older rows have NULL.
 */
const CREATE_PROGRESS_TABLE = [
  `CREATE TABLE IF NOT EXISTS ${PROGRESS_TABLE} (revision varchar(64) NOT NULL, direction text NOT NULL, checksum text NOT NULL, step integer NOT NULL, low_lock text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (revision, direction))`,
  `ALTER TABLE ${PROGRESS_TABLE} ADD COLUMN IF NOT EXISTS done_sql text, ADD COLUMN IF NOT EXISTS undo_sql text`,
];

export type RunnerStep =
  | { readonly kind: 'transaction'; readonly statements: Statement[] }
  | { readonly kind: 'batches'; readonly step: LowLockStep & { kind: 'batches' }; readonly op: Operation }
  | { readonly kind: 'validate'; readonly step: LowLockStep & { kind: 'validate' }; readonly op: Operation }
  | { readonly kind: 'concurrently'; readonly step: ConcurrentStep; readonly op: Operation };

/** Rows of `table`, counted up to `limit` (so a huge table costs no more than a small one); 0 when it does not exist yet. */
async function rowsUpTo(db: Database, table: string, limit: number): Promise<number> {
  const exists = await db.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [quoteIdent(table)]);
  if (!exists[0]?.r) return 0;
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${quoteIdent(table)} LIMIT ${limit}) s`);
  return rows[0]?.n ?? 0;
}

/**
 * Which operations (by index) take the low-lock form: those with one whose table has `threshold` rows or more.
 *
 * The rows are counted before anything runs, so an operation is looked up
 * under the name its table has in the live database: a table renamed earlier
 * in the revision is counted under its old name (an index added to it after
 * the rename is still built on a big table); one created or dropped earlier
 * in it has no rows yet.
 */
export async function chooseLowLock(
  db: Database,
  ops: readonly Operation[],
  threshold = BATCH_THRESHOLD,
  /** Name during the run -> name in the live database (null: not a live table); pass one map along several revisions counted before any runs (`--sql`). */
  live = new Map<string, string | null>(),
): Promise<number[]> {
  const out: number[] = [];
  const liveName = (name: string) => (live.has(name) ? live.get(name)! : name);
  for (const [i, op] of ops.entries()) {
    const table = lowLockTable(op);
    const existing = table === null ? null : liveName(table);
    if (table && (threshold <= 0 || (existing !== null && (await rowsUpTo(db, existing, threshold)) >= threshold))) out.push(i);
    if (op.kind === 'renameTable') {
      live.set(op.to, liveName(op.from));
      live.set(op.from, null);
    } else if (op.kind === 'createTable' || op.kind === 'dropTable') live.set(op.table.name, null);
  }
  return out;
}

/** The revision as steps; the operations at `lowLock` take their low-lock form. */
export function runnerSteps(ops: readonly Operation[], lowLock: readonly number[]): RunnerStep[] {
  const steps: RunnerStep[] = [];
  let current: Statement[] = [];
  for (const [i, op] of ops.entries()) {
    const low = lowLock.includes(i) ? lowLockSteps(op) : null;
    if (!low) {
      for (const sql of operationToSql(op)) current.push({ sql, op });
      continue;
    }
    for (const [n, s] of low.entries()) {
      if (s.kind === 'transaction') {
        // The first part joins the statements before it; the last one opens the next transaction.
        for (const sql of s.sql) current.push({ sql, op });
        if (n < low.length - 1) {
          steps.push({ kind: 'transaction', statements: current });
          current = [];
        }
      } else {
        if (current.length) steps.push({ kind: 'transaction', statements: current });
        current = [];
        steps.push(
          s.kind === 'batches' ? { kind: 'batches', step: s, op } : s.kind === 'validate' ? { kind: 'validate', step: s, op } : { kind: 'concurrently', step: s, op },
        );
      }
    }
  }
  steps.push({ kind: 'transaction', statements: current });
  return steps;
}

/** The steps as SQL one can run in psql (autocommit), for `--sql` output. */
export function stepsAsSql(steps: readonly RunnerStep[]): string[] {
  const out: string[] = [];
  for (const s of steps) {
    if (s.kind === 'transaction') out.push('BEGIN', ...s.statements.map((x) => x.sql), 'COMMIT');
    else if (s.kind === 'concurrently') out.push(s.step.sql);
    else if (s.kind === 'batches') out.push(`-- in batches, each committed (fastedgy sends it in batches of rows)\n${batchesSummary(s.step)}`);
    else out.push(validateSql(s.step));
  }
  return out;
}

export interface LowLockContext {
  readonly db: Database;
  readonly rev: RevisionFile;
  readonly direction: Direction;
  readonly options: TimeoutOptions & { readonly onNotice?: (message: string) => void; readonly onProgress?: (p: ProgressEvent) => void };
  /** The version-table statements, run in the last transaction. */
  readonly record: readonly { sql: string; params: unknown[] }[];
  /** Runs one statement (events, error wrapping) in whatever transaction is open. */
  readonly run: (s: Statement) => Promise<void>;
  /** Retries `body` after a lock timeout (it must leave nothing behind when it fails). */
  readonly retry: <T>(body: () => Promise<T>) => Promise<T>;
  /** Called after each batch, with the rows it filled. */
  readonly onBatch?: (info: { table: string; column: string; rows: number; ms: number }) => void;
}

function sqlState(e: unknown): string | undefined {
  const err = e as { code?: string; cause?: { code?: string } } | undefined;
  return err?.code ?? err?.cause?.code;
}

/** Whether the progress table exists: it is created by the first low-lock run, so most databases have none. */
async function progressTableExists(db: Database): Promise<boolean> {
  const exists = await db.query<{ r: string | null }>(`SELECT to_regclass('public.${PROGRESS_TABLE}')::text AS r`);
  return !!exists[0]?.r;
}

/** Where a run of the revision that stopped midway got to: the last step committed and the operations it took in low-lock form; null when none did. */
export async function stoppedProgress(db: Database, rev: RevisionFile, direction: Direction): Promise<{ step: number; lowLock: number[] } | null> {
  if (!(await progressTableExists(db))) return null;
  const rows = await db.query<{ step: number; low_lock: string }>(`SELECT step, low_lock FROM ${PROGRESS_TABLE} WHERE revision = $1 AND direction = $2`, [rev.id, direction]);
  return rows[0] ? { step: rows[0].step, lowLock: JSON.parse(rows[0].low_lock) as number[] } : null;
}

export interface ProgressRow {
  readonly revision: string;
  readonly direction: Direction;
  readonly step: number;
}

/**
 * Every revision stopped midway in one database (oldest first); none when
 * the progress table was never created. A run reads this once, before any
 * revision runs, instead of asking about each revision.
 */
export async function readProgress(db: Database): Promise<ProgressRow[]> {
  if (!(await progressTableExists(db))) return [];
  return db.query<ProgressRow>(`SELECT revision, direction, step FROM ${PROGRESS_TABLE} ORDER BY updated_at`);
}

/**
 * A downgrade stopped midway has undone part of a revision that is still
 * recorded as applied: an upgrade from there would build on a schema that
 * is neither. Refused, naming the way forward (its steps have no undo of
 * their own: finishing the downgrade is the way out).
 */
export function refuseStoppedDowngrades(progress: readonly ProgressRow[], who = ''): void {
  const row = progress.find((r) => r.direction === 'downgrade');
  if (!row) return;
  throw new UserError(
    `${who}revision ${row.revision} was stopped midway in downgrade (${row.step < 0 ? 'nothing committed but its progress' : `committed up to step ${row.step + 1}`}): ` +
      'part of it is undone while it is still recorded as applied, so migrate cannot run from here',
    { hint: `run \`fastedgy db downgrade\` again to finish it (it resumes where it stopped), then migrate` },
  );
}

/** Runs the revision's steps, resuming after the last one a previous run committed. */
export async function runLowLock(ctx: LowLockContext, ops: readonly Operation[], lowLock: readonly number[]): Promise<void> {
  const { db, rev, direction, options } = ctx;
  for (const sql of CREATE_PROGRESS_TABLE) await db.query(sql);
  const saved = await db.query<{ step: number; checksum: string; low_lock: string; done_sql: string | null }>(
    `SELECT step, checksum, low_lock, done_sql FROM ${PROGRESS_TABLE} WHERE revision = $1 AND direction = $2`,
    [rev.id, direction],
  );
  let done = -1;
  let chosen = lowLock;
  if (saved[0]) {
    // A file fixed after the stop resumes when the steps that committed are still its first steps, word for word.
    const committedSql = (c: readonly number[]) => JSON.stringify(stepsAsSql(runnerSteps(ops, c).slice(0, saved[0].step + 1)));
    const same = saved[0].done_sql !== null && saved[0].done_sql === committedSql(JSON.parse(saved[0].low_lock) as number[]);
    if (!unedited(rev, saved[0].checksum) && same)
      options.onNotice?.(`revision ${rev.id} changed since it stopped; the steps it committed are unchanged in ${rev.file}, so it resumes with the file as it is now`);
    else if (!unedited(rev, saved[0].checksum))
      throw new UserError(`revision ${rev.id} was stopped midway in ${direction} (${saved[0].step < 0 ? 'in its first step' : `step ${saved[0].step + 1} was committed`}), and its file has changed since`, {
        hint:
          saved[0].done_sql === null
            ? `restore ${rev.file} as it was to resume it, or finish its changes by hand and delete its row from ${PROGRESS_TABLE}`
            : `the steps it committed are not the file's first steps any more. Restore ${rev.file} as it was to resume it, or run \`fastedgy db downgrade\` to undo its committed steps, then migrate`,
      });
    done = saved[0].step;
    // The same cut as the first run (the row counts may have changed since).
    chosen = JSON.parse(saved[0].low_lock) as number[];
    options.onNotice?.(`revision ${rev.id} was stopped midway; ${done < 0 ? 'resuming from step 1' : `resuming after step ${done + 1}`}`);
  }
  const resuming = !!saved[0];
  // The step is the last one committed; -1 (before a concurrent build that comes first) says only that a run started.
  const steps = runnerSteps(ops, chosen);
  // `through`: the last step that may have run after `step`, the last committed one (autocommit steps leave effects too).
  const saveProgress = (step: number, through: number) =>
    db.query(
      `INSERT INTO ${PROGRESS_TABLE} (revision, direction, checksum, step, low_lock, done_sql, undo_sql) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (revision, direction) DO UPDATE SET step = EXCLUDED.step, checksum = EXCLUDED.checksum, low_lock = EXCLUDED.low_lock, done_sql = EXCLUDED.done_sql, undo_sql = EXCLUDED.undo_sql, updated_at = now()`,
      [rev.id, direction, rev.checksum, step, JSON.stringify(chosen), JSON.stringify(stepsAsSql(steps.slice(0, step + 1))), JSON.stringify(undoOf(ops, steps, step, through))],
    );
  /** The steps after `i` up to the next transaction: they run without committing progress. */
  const autocommitAfter = (i: number) => {
    let j = i + 1;
    while (j < steps.length && steps[j].kind !== 'transaction') j++;
    return j - 1;
  };
  const last = steps.length - 1;
  const describe = (i: number) => `step ${i + 1} of ${steps.length}`;
  let i = done + 1;
  let committed = done;
  // Timeouts for the autocommit steps (batches, validation); transactions SET LOCAL their own.
  for (const sql of setTimeouts(options, false)) await db.query(sql);
  try {
    for (; i <= last; i++) {
      const s = steps[i];
      if (s.kind === 'transaction') {
        await ctx.retry(() =>
          inTransaction(
            db,
            async () => {
              for (const st of s.statements) await ctx.run(st);
              if (i < last) await saveProgress(i, autocommitAfter(i));
              else {
                await db.query(`DELETE FROM ${PROGRESS_TABLE} WHERE revision = $1 AND direction = $2`, [rev.id, direction]);
                for (const r of ctx.record) await db.query(r.sql, r.params);
              }
              await db.query('COMMIT');
            },
            beginWithTimeouts(options),
          ),
        );
        committed = i;
      } else if (s.kind === 'batches') {
        await runBatches({ ...ctx, onProgress: options.onProgress }, s.step);
      } else if (s.kind === 'concurrently') {
        // Recorded before it starts: a run killed during or after the build resumes here, and keeps a VALID index it finds.
        await saveProgress(committed, autocommitAfter(i - 1));
        try {
          await runConcurrentStep({ db, options, run: ctx.run, retry: ctx.retry, resuming, who: `revision ${rev.id}` }, s.step, s.op);
        } catch (e) {
          // Nothing committed and the failed build cleaned up: nothing was applied, so nothing is to resume either.
          if (committed < 0) await db.query(`DELETE FROM ${PROGRESS_TABLE} WHERE revision = $1 AND direction = $2`, [rev.id, direction]).catch(() => undefined);
          throw e;
        }
      } else {
        const validate: Statement = { sql: validateSql(s.step), op: s.op };
        try {
          await ctx.retry(() => ctx.run(validate));
        } catch (e) {
          // 23514: rows written with NULL between the batches and the check; fill them and validate again.
          if (sqlState(e) !== '23514' || !s.step.refill) throw e;
          await runBatches({ ...ctx, onProgress: options.onProgress }, s.step.refill);
          await ctx.retry(() => ctx.run(validate));
        }
      }
    }
  } catch (e) {
    if (committed < 0) throw e; // nothing committed: the usual message ("nothing was applied") holds
    const err = e as { message?: string };
    throw new UserError(`${err.message ?? String(e)}\n  (in ${describe(i)}; revision ${rev.id} is committed up to step ${committed + 1})`, {
      hint:
        direction === 'upgrade'
          ? `revision ${rev.id} runs in several transactions because it touches every row of a big table, and it is not recorded as applied. ` +
            `Fix the cause and run upgrade again: it resumes after step ${committed + 1} (the batches and checks after it are safe to repeat); or run \`fastedgy db downgrade\` to undo its committed steps.`
          : // A downgrade records the move only in its last step, so the revision still counts as applied, half undone.
            `revision ${rev.id} runs its downgrade in several transactions because it touches every row of a big table: ${committed === 0 ? 'step 1' : `steps 1 to ${committed + 1}`} of ${steps.length} ${committed === 0 ? 'is' : 'are'} committed, ` +
            `and it is still recorded as applied. Fix the cause and run the same \`fastedgy db downgrade\` again: it resumes after step ${committed + 1} (the batches and checks after it are safe to repeat). ` +
            `\`fastedgy db migrate\` refuses to run until it is finished.`,
      cause: e,
    });
  } finally {
    for (const sql of resetTimeouts(options)) await db.query(sql).catch(() => undefined);
  }
}
