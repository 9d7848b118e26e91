/**
 * One statement of a revision on one database: run it, time it, report it,
 * and turn its failure into a message that says where the database stands.
 */
import type { Database } from '../db/database.js';
import { UserError } from '../errors.js';
import type { RevisionFile } from '../revisions/files.js';
import type { Direction, Statement } from './collect.js';
import type { RunOptions } from './run-options.js';

/** A revision being run on one database. */
export interface SectionRun {
  readonly db: Database;
  /** The database's name (`default` in a single-database project). */
  readonly database: string;
  /** Prefix of messages about this database: `database main: `, or nothing in a single-database project. */
  readonly who: string;
  readonly rev: RevisionFile;
  readonly direction: Direction;
  /** The revision(s) it starts from, for the log line. */
  readonly from: string;
  readonly options: RunOptions;
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

/**
 * Where a non-transactional revision stands after a statement failed: the
 * statements before it ran and stay; an upgrade is not recorded yet, a
 * downgrade is still recorded as applied (it is unrecorded only at its end).
 */
export function partlyRun(rev: { id: string }, direction: 'upgrade' | 'downgrade'): string {
  return direction === 'upgrade'
    ? `revision ${rev.id} is not transactional: the statements of its upgrade before this one were applied, and it is not recorded as applied`
    : `revision ${rev.id} is not transactional: the statements of its downgrade before this one were applied, and it is still recorded as applied`;
}

/** What to do then: run the same direction again, once the statements already run can run twice. */
function rerunAdvice(rev: { file: string }, direction: 'upgrade' | 'downgrade'): string {
  return `fix ${rev.file} and run the ${direction} again; the statements already applied run again too, so make them safe to repeat (${direction === 'upgrade' ? 'IF NOT EXISTS' : 'IF EXISTS'}) or undo them by hand first`;
}

/** A lost connection while a revision ran: what became of the revision depends on where it was. */
export function lostConnection(run: SectionRun, e: unknown, where: 'statement' | 'record' | 'commit', transactional: boolean, sql?: string): UserError {
  const { rev, direction } = run;
  const reason = (e as { message?: string }).message ?? String(e);
  const fate =
    where === 'commit'
      ? `the connection went away during its COMMIT, so whether revision ${rev.id} was applied is unknown: run \`fastedgy db current\` to see, then run again`
      : transactional
        ? `the server rolled back its transaction: nothing of revision ${rev.id} was applied, and it is not recorded; run again once the database is reachable`
        : where === 'record'
          ? `revision ${rev.id} is not transactional: its ${direction} statements were applied but the version table was not updated; check the schema, then \`fastedgy db stamp\` where it stands, or run again`
          : `${partlyRun(rev, direction)}; once the database is reachable, ${rerunAdvice(rev, direction)}`;
  return new UserError(
    `${run.who}revision ${rev.id} (${rev.message || 'no message'}) was interrupted in ${direction}: the connection to the database was lost (${reason})` +
      (sql ? `\n  statement: ${sql}` : where === 'commit' ? '\n  statement: COMMIT' : ''),
    { hint: fate, cause: e },
  );
}

export async function runStatement(run: SectionRun, s: Statement): Promise<void> {
  const { db, rev, direction, options } = run;
  if (s.notRun) {
    // A dry run's line for what it leaves out; no time, since nothing ran.
    options.onEvent?.({ type: 'statement', direction, revision: rev, from: run.from, database: run.database, sql: `-- not run (${s.notRun}): ${s.sql}` });
    return;
  }
  const started = performance.now();
  try {
    await db.query(s.sql);
  } catch (e) {
    // Not the revision's fault: "fix the file" would send the user the wrong way.
    if (connectionLost(e)) throw lostConnection(run, e, 'statement', rev.transactional || !!options.dryRun, s.sql);
    const err = e as { message?: string; code?: string };
    // One string with several statements runs as one implicit transaction, which CONCURRENTLY refuses.
    const several = !rev.transactional && /cannot run inside a transaction block/.test(err.message ?? '') && s.sql.trim().replace(/;$/, '').includes(';');
    throw new UserError(`${run.who}revision ${rev.id} (${rev.message || 'no message'}) failed in ${direction}: ${err.message}\n  statement: ${s.sql}`, {
      hint: several
        ? `give each statement its own op.execute() in ${rev.file}: a non-transactional revision sends them one by one`
        : rev.transactional
          ? `nothing of revision ${rev.id} was applied; fix ${rev.file} and run again`
          : `${partlyRun(rev, direction)}; ${rerunAdvice(rev, direction)}`,
      // The PostgreSQL error stays reachable (its SQLSTATE decides a lock-timeout retry).
      cause: e,
    });
  }
  options.onEvent?.({ type: 'statement', direction, revision: rev, from: run.from, database: run.database, sql: s.sql, ms: performance.now() - started });
}

/** What a statement waited for, for the retry line and the error: its table when the operation has one. */
export function lockTarget(s: Statement | undefined): { on: string; sql: string; needs: string } {
  if (!s) return { on: ' on the version table', sql: '', needs: ' on the version table' };
  const table = (s.op as { table?: unknown }).table;
  if (typeof table === 'string') return { on: ` on table ${table}`, sql: '', needs: ` on table ${table}` };
  const line = s.sql.split('\n')[0];
  return { on: '', sql: ` (${line.length > 80 ? line.slice(0, 77) + '...' : line})`, needs: ' this statement needs' };
}
