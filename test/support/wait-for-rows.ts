/** Waiting, in the runner's tests, until another session got where the test needs it. */
import type { Database } from '../../source/db/database.js';

/** Polls until `sql` returns rows, and returns them. */
export async function until(db: Database, sql: string, ms = 15_000): Promise<Record<string, unknown>[]> {
  const end = Date.now() + ms;
  for (;;) {
    const rows = await db.query(sql);
    if (rows.length) return rows;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${sql}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The backend (pid) whose statement matching `like` waits for a lock (a table lock, or an advisory one). */
export const waiting = (like: string) =>
  `SELECT pid FROM pg_stat_activity WHERE query LIKE '${like}' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`;
