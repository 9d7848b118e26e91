/**
 * One migration at a time per database: a session-level advisory lock. It is
 * polled with pg_try_advisory_lock rather than waited for inside PostgreSQL,
 * so a waiting process never deadlocks with a revision that builds an index
 * CONCURRENTLY (which waits for every other transaction).
 */
import type { Database } from '../db/database.js';

// "fastedgy" as a number, so the lock is recognisable in pg_locks.
const LOCK_KEY = 0x66617374656467n;

/** The wait for another migration's lock was given up (the browser's cancel). */
export class LockWaitCancelled extends Error {
  constructor() {
    super('cancelled while waiting for the migration lock; nothing was run');
  }
}

export async function withMigrationLock<T>(
  db: Database,
  body: () => Promise<T>,
  options: { onWait?: () => void; pollMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  let warned = false;
  for (;;) {
    // Checked before each try, so a cancelled wait never takes the lock late.
    if (options.signal?.aborted) throw new LockWaitCancelled();
    const rows = await db.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [LOCK_KEY.toString()]);
    if (rows[0]?.locked) break;
    if (!warned) {
      options.onWait?.();
      warned = true;
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
  }
  try {
    return await body();
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY.toString()]).catch(() => undefined);
  }
}
