/**
 * `--dry-run` of a revision that touches a big table (runner/low-lock.ts).
 *
 * A dry run is one transaction, rolled back. Running a low-lock revision's
 * statements in it would hold the ACCESS EXCLUSIVE lock of its ADD COLUMN
 * through the whole-table UPDATE, the NOT NULL scan and the index build:
 * locks the real run never takes (it commits between those steps), stalling
 * the application for as long as they take. Its steps cannot each run in a
 * transaction of their own either, since each needs the one before committed.
 *
 * So a dry run runs, of each big-table change, the steps up to its first one
 * that goes through the rows (the instant ADD COLUMN, a type or default
 * change), which take the locks the real run takes for as briefly; it lists
 * the rest (batches, validations, concurrent builds, and what depends on
 * them) without running them. Everything else of the revision runs, as in
 * any dry run. What a dry run then cannot check is said on each listed line:
 * a backfill expression that fails on some row, for one (answers are
 * evaluated when the revision is generated).
 */
import { batchesSummary, lowLockSteps, validateSql } from '../ops/low-lock.js';
import type { LowLockStep } from '../ops/low-lock.js';
import { operationToSql } from '../ops/sql.js';
import type { Operation } from '../ops/types.js';
import type { Statement } from './collect.js';

function listed(step: LowLockStep, op: Operation): Statement[] {
  if (step.kind === 'batches') return [{ sql: batchesSummary(step), op, notRun: 'touches every row; migrate runs it in committed batches' }];
  if (step.kind === 'validate') return [{ sql: validateSql(step), op, notRun: 'scans every row; migrate runs it outside a transaction' }];
  if (step.kind === 'concurrently') return [{ sql: step.sql, op, notRun: 'builds the index; migrate runs it outside any transaction' }];
  return step.sql.map((sql) => ({ sql, op, notRun: 'follows the steps above' }));
}

/** The statements of a dry run of the revision, the operations at `lowLock` in their low-lock form. */
export function dryRunStatements(ops: readonly Operation[], lowLock: readonly number[]): Statement[] {
  const out: Statement[] = [];
  for (const [i, op] of ops.entries()) {
    const steps = lowLock.includes(i) ? lowLockSteps(op) : null;
    if (!steps) {
      for (const sql of operationToSql(op)) out.push({ sql, op });
      continue;
    }
    let running = true;
    for (const step of steps) {
      running = running && step.kind === 'transaction';
      if (running && step.kind === 'transaction') out.push(...step.sql.map((sql) => ({ sql, op })));
      else out.push(...listed(step, op));
    }
  }
  return out;
}
