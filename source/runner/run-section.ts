/**
 * A revision on one database: in one transaction together with its
 * version-table update (retried as a whole after a lock timeout); in several
 * transactions when it touches every row of a big table (low-lock.ts); or
 * statement by statement for `transactional = false` revisions, recovering
 * an INVALID index an interrupted CONCURRENTLY build left behind.
 */
import { inTransaction } from '../db/transaction.js';
import { UserError } from '../errors.js';
import type { Operation } from '../ops/types.js';
import type { Statement } from './collect.js';
import { dropInvalidIndex } from './invalid-indexes.js';
import { dryRunStatements } from './dry-run.js';
import { chooseLowLock, runLowLock } from './low-lock.js';
import { connectionLost, lockTarget, lostConnection, partlyRun, runStatement } from './statement.js';
import type { SectionRun } from './statement.js';
import { beginWithTimeouts, DEFAULT_LOCK_ATTEMPTS, DEFAULT_LOCK_TIMEOUT, lockTimeoutBack, lockTimeoutOff, resetTimeouts, retryOnLock, setTimeouts, waitsWithoutBlocking } from './timeouts.js';
import type { RetryInfo } from './timeouts.js';
import type { recordStatements } from './version-table.js';

export type Record = ReturnType<typeof recordStatements>;

/** A revision's share for one database, ready to run. */
export interface Section extends SectionRun {
  readonly ops: readonly Operation[];
  readonly statements: readonly Statement[];
  /** The version-table statements that record the move. */
  readonly record: Record;
  /**
   * A run of this revision in this direction stopped midway before this run
   * (it has a progress row): it resumes in the low-lock form. Read once per
   * run (runner/low-lock.ts readProgress), not per revision: under the
   * migration lock only this run can add such a row, and a run ends when
   * one of its revisions stops midway.
   */
  readonly stopped: boolean;
}

/**
 * Lock-timeout retries for one database: `current()` is the statement that
 * last ran, which tells the retry line and the final error what waited.
 */
export function lockRetry(section: () => SectionRun, current: () => Statement | undefined, transactional: boolean) {
  const { rev, direction, options } = section();
  const attempts = options.lockAttempts ?? DEFAULT_LOCK_ATTEMPTS;
  const onRetry = (r: RetryInfo) =>
    options.onNotice?.(
      `${section().who}revision ${rev.id} waits for a lock${lockTarget(current()).on} held by another session${lockTarget(current()).sql}; retry ${r.attempt}/${r.attempts} in ${r.delayMs / 1000} s`,
    );
  const exhausted = (e: unknown) => {
    const at = current();
    return new UserError(
      `${section().who}revision ${rev.id} (${rev.message || 'no message'}) could not get a lock in ${direction} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ` +
        `another session holds a lock${lockTarget(at).needs} (each attempt waited lock_timeout = ${options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT} s)` +
        (at ? `\n  statement: ${at.sql}` : ''),
      {
        hint:
          (transactional
            ? `nothing of revision ${rev.id} was applied. `
            : `${partlyRun(rev, direction)}. `) +
          'Look for the long or idle-in-transaction session in pg_stat_activity, then run again (or raise --lock-timeout)',
        cause: e,
      },
    );
  };
  return <T>(body: () => Promise<T>) => retryOnLock(body, attempts, onRetry, exhausted);
}

/** Whether the section takes the low-lock form: a big table touched row by row, or a run of it that stopped midway. */
export async function lowLockChoice(s: Section): Promise<number[] | null> {
  if (!s.rev.transactional || s.options.dryRun) return null;
  const chosen = await chooseLowLock(s.db, s.ops, s.options.batchThreshold);
  if (chosen.length > 0 || s.stopped) return chosen;
  return null;
}

/** A dry run of a section that would take the low-lock form: the statements of its dry run (runner/dry-run.ts). */
export async function dryRunSection<S extends Section>(s: S): Promise<S> {
  if (!s.options.dryRun || !s.rev.transactional) return s;
  const chosen = await chooseLowLock(s.db, s.ops, s.options.batchThreshold);
  if (chosen.length === 0) return s;
  s.options.onNotice?.(
    `${s.who}revision ${s.rev.id} touches a big table: the dry run runs the instant part of each such change and lists, without running them, ` +
      'the steps that go through the rows (migrate commits each apart, so a dry run holding them in one transaction would lock the table longer than migrate does)',
  );
  return { ...s, statements: dryRunStatements(s.ops, chosen) };
}

/** Runs the section on its own: the way a single-database project always runs a revision. */
export async function runSection(section: Section): Promise<void> {
  const s = await dryRunSection(section);
  const { db, rev, direction, options } = s;
  const transactional = rev.transactional || !!options.dryRun;
  let current: Statement | undefined;
  const run = async (st: Statement) => {
    current = st;
    await runStatement(s, st);
  };
  const retry = lockRetry(() => s, () => current, transactional);

  // Big tables: a revision that touches every row runs in several transactions (runner/low-lock.ts).
  const lowLock = await lowLockChoice(s);
  if (lowLock) {
    // Each committed batch is a line of the run's log, like a statement.
    const onBatch = (b: { table: string; column: string; rows: number; ms: number }) =>
      options.onEvent?.({ type: 'statement', direction, revision: rev, from: s.from, database: s.database, sql: `-- batch of ${b.table}.${b.column}: ${b.rows} rows`, ms: b.ms });
    await runLowLock({ db, rev, direction, options, record: s.record, run, retry, onBatch }, s.ops, lowLock);
  } else if (transactional) {
    // The whole transaction is the unit of retry: a lock timeout rolls it all back, so trying again is safe.
    await retry(async () => {
      current = undefined;
      await inTransaction(
        db,
        async () => {
          await openSection(s, run);
          current = undefined;
          await recordRevision(s, true, options.dryRun ? 'ROLLBACK' : 'COMMIT');
        },
        beginWithTimeouts(options),
      );
    });
  } else {
    await runOneByOne(s, run, retry);
    current = undefined;
    await retry(() => inTransaction(db, () => recordRevision(s, false, 'COMMIT')));
  }
}

/** The start and end lines of the log around a section that runs on its own. */
export async function announce(s: Section, body: () => Promise<void>): Promise<void> {
  const started = performance.now();
  s.options.onEvent?.({ type: 'revision-start', direction: s.direction, revision: s.rev, from: s.from, database: s.database });
  await body();
  s.options.onEvent?.({ type: 'revision-done', direction: s.direction, revision: s.rev, from: s.from, database: s.database, ms: performance.now() - started });
}

/** Inside a transaction opened with beginWithTimeouts (SET LOCAL ends with it, committed or not): every statement, one query each. */
export async function openSection(s: Section, run: (st: Statement) => Promise<void>): Promise<void> {
  for (const st of s.statements) await run(st);
}

/**
 * A non-transactional revision: each statement commits on its own (one per
 * query: a string with several would be one implicit transaction), so the
 * unit of retry is the statement that timed out, which had no effect.
 * Session-level SET, reset afterwards so the connection is left as it was.
 */
async function runOneByOne(s: Section, run: (st: Statement) => Promise<void>, retry: ReturnType<typeof lockRetry>): Promise<void> {
  const { db, rev, options } = s;
  for (const sql of setTimeouts(options, false)) await db.query(sql);
  try {
    for (const st of s.statements) {
      await retry(async () => {
        // Also on a retry: a CONCURRENTLY build that timed out waiting leaves an INVALID index.
        const dropped = await dropInvalidIndex(db, st.op);
        if (dropped)
          options.onNotice?.(`${s.who}revision ${rev.id}: index ${dropped} was left INVALID by an interrupted CREATE INDEX CONCURRENTLY; dropped it, building it again`);
        if (!waitsWithoutBlocking(st.sql)) return run(st);
        await db.query(lockTimeoutOff());
        try {
          await run(st);
        } finally {
          await db.query(lockTimeoutBack(options)).catch(() => undefined);
        }
      });
    }
  } finally {
    for (const sql of resetTimeouts(options)) await db.query(sql).catch(() => undefined);
  }
}

/**
 * The version-table statements and the end of the transaction. A connection
 * lost here is told apart from one lost during COMMIT: before COMMIT the
 * server rolls back; during it, nobody knows whether it committed.
 */
export async function recordRevision(s: Section, transactional: boolean, end: 'COMMIT' | 'ROLLBACK' | null): Promise<void> {
  let where: 'record' | 'commit' = 'record';
  try {
    for (const r of s.record) await s.db.query(r.sql, r.params);
    if (end === null) return;
    where = end === 'COMMIT' ? 'commit' : 'record';
    await s.db.query(end);
  } catch (e) {
    // Anything else (a lock timeout on the version table) goes on as it is, for the lock retry.
    if (connectionLost(e)) throw lostConnection(s, e, where, transactional);
    throw e;
  }
}
