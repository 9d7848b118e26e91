/**
 * Lock and statement timeouts for running revisions, pgroll-style. A DDL
 * statement waiting for a lock (an ALTER TABLE behind a long transaction)
 * queues every later query on that table behind it, so a waiting migration
 * can stall an application. With `lock_timeout` the statement gives up after
 * a short wait instead; the revision is then rolled back and tried again
 * after a pause (during which the application's queries run), a few times,
 * before the migration fails with a clear message.
 */
import { UsageError } from '../errors.js';

export const DEFAULT_LOCK_TIMEOUT = 5; // seconds
export const DEFAULT_LOCK_ATTEMPTS = 5;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

export interface TimeoutOptions {
  /** Seconds a statement may wait for a lock; 0 turns it off. Default 5. */
  readonly lockTimeout?: number;
  /** Seconds a statement may run; absent or 0: no limit. */
  readonly statementTimeout?: number;
  /** Tries of a revision (or of a non-transactional statement) that meets a lock timeout. Default 5. */
  readonly lockAttempts?: number;
}

/** A number of seconds from the config or the command line, or a usage error naming where it came from. */
export function parseSeconds(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a number of seconds (0 or more), not ${JSON.stringify(value)}`);
  return n;
}

export function parseAttempts(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number of attempts (1 or more), not ${JSON.stringify(value)}`);
  return n;
}

/** The settings as milliseconds (PostgreSQL's unit for both when none is given). */
function settings(o: TimeoutOptions): [string, number][] {
  const out: [string, number][] = [['lock_timeout', Math.round((o.lockTimeout ?? DEFAULT_LOCK_TIMEOUT) * 1000)]];
  if (o.statementTimeout) out.push(['statement_timeout', Math.round(o.statementTimeout * 1000)]);
  return out;
}

/**
 * `SET LOCAL` inside a revision's transaction (ends with it, whatever
 * happens); plain `SET` for a non-transactional revision, undone by
 * `resetTimeouts` so the session's own values come back.
 */
export function setTimeouts(o: TimeoutOptions, local: boolean): string[] {
  return settings(o).map(([name, ms]) => `SET ${local ? 'LOCAL ' : ''}${name} = ${ms}`);
}

/**
 * BEGIN and the SET LOCALs as one simple-protocol query: a round trip per
 * transaction instead of two or three. Safe to send together because every
 * part is fastedgy's own constant text (the values are numbers checked by
 * parseSeconds); SQL that comes from a revision or an answer never goes in.
 */
export function beginWithTimeouts(o: TimeoutOptions): string {
  return ['BEGIN', ...setTimeouts(o, true)].join('; ');
}

export function resetTimeouts(o: TimeoutOptions): string[] {
  return settings(o).map(([name]) => `RESET ${name}`);
}

/**
 * SQLSTATE 55P03 lock_not_available: lock_timeout expired (or a NOWAIT lock
 * was refused). Also 40P01 deadlock_detected: PostgreSQL aborted our
 * transaction to break a deadlock with another session (an UPDATE backfill
 * then SET NOT NULL can meet a concurrent writer that way); nothing of it
 * was kept, so trying again after a pause is as safe as after a timeout.
 */
export function isLockNotAvailable(e: unknown): boolean {
  const err = e as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = err?.code ?? err?.cause?.code;
  return code === '55P03' || code === '40P01';
}

/** The pause before retry `n` (1-based): 0.5 s, 1 s, 2 s, 4 s, then 8 s at most. */
export function retryDelayMs(n: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** (n - 1), MAX_DELAY_MS);
}

export interface RetryInfo {
  /** The attempt about to start (2 for the first retry). */
  readonly attempt: number;
  readonly attempts: number;
  readonly delayMs: number;
}

/**
 * Runs `body` until it does not fail with lock_not_available, at most
 * `attempts` times; `body` must leave nothing behind when it fails that way
 * (a rolled-back transaction, or one statement that had no effect). The last
 * failure is given to `exhausted`, which returns the error to throw.
 */
export async function retryOnLock<T>(
  body: () => Promise<T>,
  attempts: number,
  onRetry: (info: RetryInfo) => void,
  exhausted: (e: unknown) => Error,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await body();
    } catch (e) {
      if (!isLockNotAvailable(e)) throw e;
      if (attempt >= attempts) throw exhausted(e);
      const delayMs = retryDelayMs(attempt);
      onRetry({ attempt: attempt + 1, attempts, delayMs });
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/**
 * `CREATE/DROP INDEX CONCURRENTLY` waits for older transactions without
 * blocking anyone's reads or writes while it waits, so lock_timeout would
 * only make it fail on a busy database (and leave an INVALID index): such a
 * statement runs with lock_timeout off, and waits as long as it needs.
 */
export function waitsWithoutBlocking(sql: string): boolean {
  return /^\s*(CREATE\s+(UNIQUE\s+)?INDEX|DROP\s+INDEX|REINDEX)\b[^;]*\bCONCURRENTLY\b/i.test(sql);
}

/** Around a statement that `waitsWithoutBlocking`: lock_timeout off, then back to the revision's value. */
export function lockTimeoutOff(): string {
  return 'SET lock_timeout = 0';
}

export function lockTimeoutBack(o: TimeoutOptions): string {
  return setTimeouts(o, false).find((s) => s.includes('lock_timeout'))!;
}
