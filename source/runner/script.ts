/**
 * A revision as a psql script, for `migrate --sql` / `downgrade --sql`: the
 * statements in the transactions the runner opens, with the timeouts it
 * sets, so what is printed is what runs. Pure: the caller decides which
 * operations take the low-lock form (from the live row counts when it can
 * reach the database, as the runner does at run time; none offline).
 *
 * A low-lock revision prints its steps: each transaction between BEGIN and
 * COMMIT, a `CREATE INDEX CONCURRENTLY` or a `VALIDATE` on its own outside
 * any, and its batches as a comment giving the first batch as sent, followed
 * by the one statement that changes the same rows when the script is run by
 * hand (its rows stay locked until it ends, but not the table: the ADD
 * COLUMN before it has committed). The script does not write the runner's
 * progress rows: run by hand, it does not resume.
 */
import { batchesSummary, validateSql } from '../ops/low-lock.js';
import type { Operation } from '../ops/types.js';
import { terminated } from '../util/sql-terminate.js';
import { statementsOf } from './collect.js';
import { BATCH_MAX_ROWS, BATCH_TARGET_MS, firstBatchSql } from './batches.js';
import { runnerSteps } from './low-lock.js';
import type { RunnerStep } from './low-lock.js';
import { lockTimeoutBack, lockTimeoutOff, resetTimeouts, setTimeouts } from './timeouts.js';
import type { TimeoutOptions } from './timeouts.js';

export interface ScriptRevision {
  readonly ops: readonly Operation[];
  readonly transactional: boolean;
  /** The version-table statements that record the move, values inlined. */
  readonly record: readonly string[];
  /** Operations (by index) in their low-lock form; empty: the one-transaction form. */
  readonly lowLock: readonly number[];
  /** A previous run stopped midway, committed through this step (0-based): the script starts after it. */
  readonly resumeAfter?: number;
}

const end = (sql: string) => terminated(sql);

function transaction(statements: readonly string[], options: TimeoutOptions): string[] {
  return ['BEGIN;', ...setTimeouts(options, true).map(end), ...statements.map(end), 'COMMIT;'];
}

/** One step of a low-lock revision, numbered `n` of `total`. */
function stepScript(s: RunnerStep, n: number, total: number, record: readonly string[], options: TimeoutOptions): string[] {
  const head = `-- step ${n} of ${total}`;
  if (s.kind === 'transaction') {
    const statements = s.statements.map((x) => x.sql);
    return [`${head}: one transaction${n === total ? ', which also records the revision' : ''}`, ...transaction(n === total ? [...statements, ...record] : statements, options)];
  }
  if (s.kind === 'concurrently')
    return [
      `${head}: outside any transaction; it waits for older transactions without blocking reads or writes, so without lock_timeout`,
      end(lockTimeoutOff()),
      end(s.step.sql),
      end(lockTimeoutBack(options)),
    ];
  if (s.kind === 'validate')
    return [`${head}: outside any transaction; the scan takes SHARE UPDATE EXCLUSIVE, so reads and writes go on`, end(validateSql(s.step))];
  return [
    `${head}: in batches, each committed on its own, so a row stays locked for one batch only and the table stays open to reads and writes.`,
    `-- A batch takes up to ${BATCH_MAX_ROWS.toLocaleString('en-US')} rows in ctid order from where the last one stopped, sized to take about ${BATCH_TARGET_MS} ms. The first batch, as sent:`,
    `--   ${firstBatchSql(s.step)};`,
    '-- Run by hand, the same rows in one statement (they stay locked until it ends):',
    end(batchesSummary(s.step)),
  ];
}

/** The script of one revision, after its `-- Running …` line. */
export function revisionScript(r: ScriptRevision, options: TimeoutOptions): string[] {
  const statements = statementsOf(r.ops).map((s) => s.sql);
  // Statement by statement, as the runner sends them; the record commits after them.
  if (!r.transactional) return [...statements, ...r.record].map(end);
  if (r.lowLock.length === 0) return transaction([...statements, ...r.record], options);
  const steps = runnerSteps(r.ops, r.lowLock);
  const from = (r.resumeAfter ?? -1) + 1;
  const out = [
    `-- ${steps.length} steps, each committed on its own (a table it touches has rows enough for the low-lock form)` +
      (from > 0 ? `; a previous run committed ${from === 1 ? 'step 1' : `steps 1 to ${from}`}, so it resumes at step ${from + 1}` : ''),
    // The runner's session settings, for the steps outside a transaction (each transaction sets its own).
    ...setTimeouts(options, false).map(end),
  ];
  for (let i = from; i < steps.length; i++) out.push(...stepScript(steps[i], i + 1, steps.length, r.record, options));
  out.push(...resetTimeouts(options).map(end));
  return out;
}
