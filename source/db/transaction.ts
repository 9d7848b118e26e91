/**
 * BEGIN, the body, and ROLLBACK when the body throws (the error goes on).
 * The body ends the transaction itself — COMMIT, or ROLLBACK for a dry run —
 * because the runner reports a failed COMMIT differently from a failed
 * statement.
 */
import type { Database } from './database.js';

/** `begin` may carry constant SET LOCALs after the BEGIN in the same query (runner/timeouts.ts beginWithTimeouts). */
export async function inTransaction<T>(db: Database, body: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
  try {
    await db.query(begin);
  } catch (e) {
    // A SET after the BEGIN can fail with the transaction already open.
    if (begin !== 'BEGIN') await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  try {
    return await body();
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
