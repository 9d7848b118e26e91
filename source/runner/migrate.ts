/**
 * Applying and unapplying revisions. Each revision runs in its own
 * transaction together with its version-table update, so a failure leaves
 * the database as it was before that revision and names the revision and
 * the statement. `transactional = false` revisions run statement by
 * statement, then record themselves.
 */
import type { Database } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { UserError } from '../errors.js';
import type { RevisionFile } from '../revisions/files.js';
import type { RevisionGraph } from '../revisions/graph.js';
import { collectOperations, statementsOf } from './collect.js';
import type { Direction, Statement } from './collect.js';
import { dropInvalidIndex } from './invalid-indexes.js';
import { withMigrationLock } from './lock.js';
import { chooseLowLock, hasProgress, runLowLock } from './low-lock.js';
import { DEFAULT_LOCK_ATTEMPTS, DEFAULT_LOCK_TIMEOUT, lockTimeoutBack, lockTimeoutOff, resetTimeouts, retryOnLock, setTimeouts, waitsWithoutBlocking } from './timeouts.js';
import type { RetryInfo } from './timeouts.js';
import { ensureVersionTables, readVersionState, recordStatements } from './version-table.js';
import type { VersionState } from './version-table.js';

export interface StepEvent {
  readonly type: 'revision-start' | 'statement' | 'revision-done';
  readonly direction: Direction;
  readonly revision: RevisionFile;
  readonly from: string;
  readonly sql?: string;
  readonly ms?: number;
}

export interface RunOptions {
  readonly dryRun?: boolean;
  readonly ignoreChecksums?: boolean;
  readonly onEvent?: (e: StepEvent) => void;
  readonly onWait?: () => void;
  /** Gives up waiting for another process's lock (nothing has run yet then). */
  readonly signal?: AbortSignal;
  /** Seconds a statement may wait for a lock before the revision is rolled back and retried (0: no limit). Default 5. */
  readonly lockTimeout?: number;
  /** Seconds a statement may run (absent or 0: no limit). */
  readonly statementTimeout?: number;
  /** How many times a revision is tried when it meets a lock timeout. Default 5. */
  readonly lockAttempts?: number;
  /** One line for the user: a retry after a lock timeout, an INVALID index dropped. */
  readonly onNotice?: (message: string) => void;
  /** Rows from which a backfill or SET NOT NULL takes the low-lock form (runner/low-lock.ts); 0: always. Default ops/low-lock BATCH_THRESHOLD. */
  readonly batchThreshold?: number;
}

export interface Project {
  readonly revisions: readonly RevisionFile[];
  readonly graph: RevisionGraph;
}

/** Problems with applied revisions: edited, missing on disk, or a revision inserted below them. */
export function historyProblems(project: Project, state: VersionState): string[] {
  const problems: string[] = [];
  const byId = new Map(project.revisions.map((r) => [r.id, r]));
  for (const a of state.applied.values()) {
    const rev = byId.get(a.revision);
    if (!rev) problems.push(`revision ${a.revision} is applied to the database but its file is missing`);
    else if (rev.checksum !== a.checksum) problems.push(`revision ${a.revision} (${rev.file}) was edited after it was applied`);
  }
  for (const h of state.heads)
    if (!byId.has(h) && !state.applied.has(h)) problems.push(`the database is at revision ${h}, which no revision file defines`);
  problems.push(...insertedBelow(project, state));
  return problems;
}

/**
 * Revisions the graph puts below the applied heads that were never applied:
 * a revision added under the applied ones (x revising a, and b changed to
 * revise x, after a -> b was applied). The version table only holds heads, so
 * everything below them counts as applied: `migrate` would never run x, and a
 * downgrade would run x's downgrade although its upgrade never ran. Found
 * through fastedgy_revisions, which has a row for every revision that ran.
 * A database stamped by an older fastedgy has no rows for the revisions it
 * applied then; so it only counts when fastedgy_revisions has rows at all, and
 * only for a revision above one that has a row (the old revisions have none
 * below them).
 */
function insertedBelow(project: Project, state: VersionState): string[] {
  if (state.applied.size === 0) return [];
  const { graph } = project;
  const heads = state.heads.filter((h) => graph.has(h));
  const below = graph.appliedSet(heads);
  const problems: string[] = [];
  for (const id of graph.topological()) {
    if (state.applied.has(id) || !below.has(id)) continue;
    const recordedBelow = [...graph.ancestors(id)].some((x) => x !== id && state.applied.has(x));
    if (!recordedBelow) continue;
    const above = heads.filter((h) => h !== id && graph.ancestors(h).has(id));
    const file = project.revisions.find((r) => r.id === id)?.file ?? id;
    problems.push(
      above.length > 0
        ? `revision ${id} (${file}) was never applied, but it sits below the applied revision ${above.join(', ')}: it was inserted into the history after that was applied, and migrate would never run it`
        : `revision ${id} (${file}) is recorded as the database's current revision, but it was never applied`,
    );
  }
  return problems;
}

function checkHistory(project: Project, state: VersionState, options: RunOptions): void {
  const problems = historyProblems(project, state);
  if (problems.length === 0) return;
  if (options.ignoreChecksums) {
    // Proceeding is the user's explicit choice; the problems are still said once.
    for (const p of problems) options.onNotice?.(`ignored (--ignore-checksums): ${p}`);
    return;
  }
  // A missing file that is a current head cannot be ignored: nothing says where the database is.
  const lostHead = state.heads.some((h) => !project.graph.has(h));
  throw new UserError(problems.join('\n'), {
    hint: lostHead
      ? 'restore the missing revision file, or `fastedgy db stamp` the revision the database really is at'
      : 'restore the revision files as they were applied (a new revision goes above the applied head), or pass --ignore-checksums to proceed anyway',
  });
}

/**
 * The connection itself went away (the backend was terminated, the server
 * shut down, the network dropped), as opposed to the statement failing.
 * Telling the user to fix the revision file would be wrong then.
 */
export function connectionLost(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | undefined;
  const code = typeof err?.code === 'string' ? err.code : '';
  // 08xxx connection exceptions; 57P01-57P03 admin_shutdown, crash_shutdown, cannot_connect_now.
  if (/^08/.test(code) || /^57P0[1-3]$/.test(code) || code === 'ECONNRESET' || code === 'EPIPE') return true;
  // pg's own errors on a socket that closed (they have no SQLSTATE).
  return /Connection terminated|not queryable|connection (is )?closed/i.test(String(err?.message ?? ''));
}

/** A lost connection while a revision ran: what became of the revision depends on where it was. */
function lostConnection(rev: RevisionFile, direction: Direction, e: unknown, where: 'statement' | 'record' | 'commit', transactional: boolean, sql?: string): UserError {
  const reason = (e as { message?: string }).message ?? String(e);
  const fate =
    where === 'commit'
      ? `the connection went away during its COMMIT, so whether revision ${rev.id} was applied is unknown: run \`fastedgy db current\` to see, then run again`
      : transactional
        ? `the server rolled back its transaction: nothing of revision ${rev.id} was applied, and it is not recorded; run again once the database is reachable`
        : where === 'record'
          ? `revision ${rev.id} is not transactional: its statements were applied but it is not recorded; check the schema, then \`fastedgy db stamp\` it or run again`
          : `revision ${rev.id} is not transactional: the statements before this one were applied, and it is not recorded; run again once the database is reachable`;
  return new UserError(
    `revision ${rev.id} (${rev.message || 'no message'}) was interrupted in ${direction}: the connection to the database was lost (${reason})` +
      (sql ? `\n  statement: ${sql}` : where === 'commit' ? '\n  statement: COMMIT' : ''),
    { hint: fate, cause: e },
  );
}

async function runStatement(db: Database, rev: RevisionFile, s: Statement, direction: Direction, options: RunOptions, from: string): Promise<void> {
  const started = performance.now();
  try {
    await db.query(s.sql);
  } catch (e) {
    // Not the revision's fault: "fix the file" would send the user the wrong way.
    if (connectionLost(e)) throw lostConnection(rev, direction, e, 'statement', rev.transactional || !!options.dryRun, s.sql);
    const err = e as { message?: string; code?: string };
    // One string with several statements runs as one implicit transaction, which CONCURRENTLY refuses.
    const several = !rev.transactional && /cannot run inside a transaction block/.test(err.message ?? '') && s.sql.trim().replace(/;$/, '').includes(';');
    throw new UserError(`revision ${rev.id} (${rev.message || 'no message'}) failed in ${direction}: ${err.message}\n  statement: ${s.sql}`, {
      hint: several
        ? `give each statement its own op.execute() in ${rev.file}: a non-transactional revision sends them one by one`
        : rev.transactional
          ? `nothing of revision ${rev.id} was applied; fix ${rev.file} and run again`
          : `revision ${rev.id} is not transactional: the statements before this one were applied, and it is not recorded; fix ${rev.file} and run again`,
      // The PostgreSQL error stays reachable (its SQLSTATE decides a lock-timeout retry).
      cause: e,
    });
  }
  options.onEvent?.({ type: 'statement', direction, revision: rev, from, sql: s.sql, ms: performance.now() - started });
}

/** What a statement waited for, for the retry line and the error: its table when the operation has one. */
function lockTarget(s: Statement | undefined): { on: string; sql: string; needs: string } {
  if (!s) return { on: ' on the version table', sql: '', needs: ' on the version table' };
  const table = (s.op as { table?: unknown }).table;
  if (typeof table === 'string') return { on: ` on table ${table}`, sql: '', needs: ` on table ${table}` };
  const line = s.sql.split('\n')[0];
  return { on: '', sql: ` (${line.length > 80 ? line.slice(0, 77) + '...' : line})`, needs: ' this statement needs' };
}

async function runRevision(db: Database, project: Project, rev: RevisionFile, direction: Direction, applied: Set<string>, options: RunOptions): Promise<void> {
  const ops = await collectOperations(rev, direction);
  const statements = statementsOf(ops);
  const from = direction === 'upgrade' ? parentsText(rev) : rev.id;
  options.onEvent?.({ type: 'revision-start', direction, revision: rev, from });
  const next = new Set(applied);
  if (direction === 'upgrade') next.add(rev.id);
  else next.delete(rev.id);
  const heads = project.graph.headsOf([...next]);
  const record = recordStatements(heads, direction === 'upgrade' ? { applied: { revision: rev.id, checksum: rev.checksum, message: rev.message } } : { unapplied: rev.id });
  const started = performance.now();
  const transactional = rev.transactional || !!options.dryRun;

  // Lock timeouts: the statement that last ran tells the retry line and the final error what waited.
  let current: Statement | undefined;
  const run = async (s: Statement) => {
    current = s;
    await runStatement(db, rev, s, direction, options, from);
  };
  const attempts = options.lockAttempts ?? DEFAULT_LOCK_ATTEMPTS;
  const onRetry = (r: RetryInfo) =>
    options.onNotice?.(
      `revision ${rev.id} waits for a lock${lockTarget(current).on} held by another session${lockTarget(current).sql}; retry ${r.attempt}/${r.attempts} in ${r.delayMs / 1000} s`,
    );
  const exhausted = (e: unknown) =>
    new UserError(
      `revision ${rev.id} (${rev.message || 'no message'}) could not get a lock in ${direction} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ` +
        `another session holds a lock${lockTarget(current).needs} (each attempt waited lock_timeout = ${options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT} s)` +
        (current ? `\n  statement: ${current.sql}` : ''),
      {
        hint:
          (transactional
            ? `nothing of revision ${rev.id} was applied. `
            : `revision ${rev.id} is not transactional: the statements before this one were applied, and it is not recorded. `) +
          'Look for the long or idle-in-transaction session in pg_stat_activity, then run again (or raise --lock-timeout)',
        cause: e,
      },
    );

  // Big tables: a revision that touches every row runs in several transactions (runner/low-lock.ts).
  const lowLock = rev.transactional && !options.dryRun ? await chooseLowLock(db, ops, options.batchThreshold) : [];
  if (lowLock.length > 0 || (rev.transactional && !options.dryRun && (await hasProgress(db, rev, direction)))) {
    const retry = <T>(body: () => Promise<T>) => retryOnLock(body, attempts, onRetry, exhausted);
    // Each committed batch is a line of the run's log, like a statement.
    const onBatch = (b: { table: string; column: string; rows: number; ms: number }) =>
      options.onEvent?.({ type: 'statement', direction, revision: rev, from, sql: `-- batch of ${b.table}.${b.column}: ${b.rows} rows`, ms: b.ms });
    await runLowLock({ db, rev, direction, options, record, run, retry, onBatch }, ops, lowLock);
  } else if (transactional) {
    // The whole transaction is the unit of retry: a lock timeout rolls it all back, so trying again is safe.
    await retryOnLock(
      async () => {
        current = undefined;
        await inTransaction(db, async () => {
          // SET LOCAL ends with the transaction, committed or not.
          for (const sql of setTimeouts(options, true)) await db.query(sql);
          for (const s of statements) await run(s);
          current = undefined;
          await recordRevision(db, rev, direction, record, true, options.dryRun ? 'ROLLBACK' : 'COMMIT');
        });
      },
      attempts,
      onRetry,
      exhausted,
    );
  } else {
    // Each statement commits on its own (one per query: a string with several would be one
    // implicit transaction), so the unit of retry is the statement that timed out, which had
    // no effect. Session-level SET, reset afterwards so the connection is left as it was.
    for (const sql of setTimeouts(options, false)) await db.query(sql);
    try {
      for (const s of statements) {
        await retryOnLock(
          async () => {
            // Also on a retry: a CONCURRENTLY build that timed out waiting leaves an INVALID index.
            const dropped = await dropInvalidIndex(db, s.op);
            if (dropped)
              options.onNotice?.(`revision ${rev.id}: index ${dropped} was left INVALID by an interrupted CREATE INDEX CONCURRENTLY; dropped it, building it again`);
            if (!waitsWithoutBlocking(s.sql)) return run(s);
            await db.query(lockTimeoutOff());
            try {
              await run(s);
            } finally {
              await db.query(lockTimeoutBack(options)).catch(() => undefined);
            }
          },
          attempts,
          onRetry,
          exhausted,
        );
      }
      current = undefined;
      await retryOnLock(
        () => inTransaction(db, () => recordRevision(db, rev, direction, record, false, 'COMMIT')),
        attempts,
        onRetry,
        exhausted,
      );
    } finally {
      for (const sql of resetTimeouts(options)) await db.query(sql).catch(() => undefined);
    }
  }
  if (!options.dryRun) {
    applied.clear();
    for (const id of next) applied.add(id);
  }
  options.onEvent?.({ type: 'revision-done', direction, revision: rev, from, ms: performance.now() - started });
}

/**
 * The version-table statements and the end of the transaction. A connection
 * lost here is told apart from one lost during COMMIT: before COMMIT the
 * server rolls back; during it, nobody knows whether it committed.
 */
async function recordRevision(
  db: Database,
  rev: RevisionFile,
  direction: Direction,
  record: readonly { sql: string; params: unknown[] }[],
  transactional: boolean,
  end: 'COMMIT' | 'ROLLBACK',
): Promise<void> {
  let where: 'record' | 'commit' = 'record';
  try {
    for (const r of record) await db.query(r.sql, r.params);
    where = end === 'COMMIT' ? 'commit' : 'record';
    await db.query(end);
  } catch (e) {
    // Anything else (a lock timeout on the version table) goes on as it is, for retryOnLock.
    if (connectionLost(e)) throw lostConnection(rev, direction, e, where, transactional);
    throw e;
  }
}

function parentsText(rev: RevisionFile): string {
  if (rev.downRevision === null) return '<base>';
  return Array.isArray(rev.downRevision) ? rev.downRevision.join(', ') : (rev.downRevision as string);
}

export interface RunResult {
  readonly ran: readonly RevisionFile[];
  readonly heads: readonly string[];
}

/** Moves the database to `target` (upgrade or downgrade), under the migration lock. */
export async function moveTo(db: Database, project: Project, direction: Direction, target: string, options: RunOptions = {}): Promise<RunResult> {
  return withMigrationLock(
    db,
    async () => {
      await ensureVersionTables(db);
      const state = await readVersionState(db);
      checkHistory(project, state, options);
      const ids =
        direction === 'upgrade' ? project.graph.upgradePlan(state.heads, target) : project.graph.downgradePlan(state.heads, target);
      const byId = new Map(project.revisions.map((r) => [r.id, r]));
      // Every revision about to run is imported first: a broken file stops the run before anything changes.
      await Promise.all(ids.map((id) => byId.get(id)!.load()));
      const applied = new Set(project.graph.appliedSet(state.heads));
      const ran: RevisionFile[] = [];
      for (const id of ids) {
        const rev = byId.get(id)!;
        await runRevision(db, project, rev, direction, applied, options);
        ran.push(rev);
      }
      const after = options.dryRun ? state.heads : project.graph.headsOf([...applied]);
      return { ran, heads: after };
    },
    { onWait: options.onWait, signal: options.signal },
  );
}

/** Records `target` as the current revision without running anything. */
export async function stamp(db: Database, project: Project, target: string): Promise<readonly string[]> {
  return withMigrationLock(db, async () => {
    await ensureVersionTables(db);
    const state = await readVersionState(db);
    const ids = project.graph.resolveTarget(target, state.heads);
    const heads = ids.length === 0 ? [] : project.graph.headsOf([...project.graph.appliedSet(ids)]);
    const applied = new Set(project.graph.appliedSet(heads));
    const byId = new Map(project.revisions.map((r) => [r.id, r]));
    await inTransaction(db, async () => {
      await db.query('DELETE FROM fastedgy_version');
      await db.query('DELETE FROM fastedgy_revisions');
      for (const h of heads) await db.query('INSERT INTO fastedgy_version (version_num) VALUES ($1)', [h]);
      for (const id of applied) {
        const r = byId.get(id)!;
        await db.query('INSERT INTO fastedgy_revisions (revision, checksum, message) VALUES ($1, $2, $3)', [r.id, r.checksum, r.message]);
      }
      await db.query('COMMIT');
    });
    return heads;
  });
}

export type { Direction };
