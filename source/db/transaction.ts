/**
 * BEGIN, the body, and ROLLBACK when the body throws (the error goes on).
 * The body ends the transaction itself — COMMIT, or ROLLBACK for a dry run —
 * because the runner reports a failed COMMIT differently from a failed
 * statement.
 */
import type { Database } from './database.js';

export async function inTransaction<T>(db: Database, body: () => Promise<T>): Promise<T> {
  await db.query('BEGIN');
  try {
    return await body();
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
