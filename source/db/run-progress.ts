/**
 * The runner's progress events (runner/run-options.ts) turned into progress
 * a screen can show: a batched backfill reports itself after each batch; a
 * concurrent index build only says when it starts and ends, so while it runs
 * its counters are read from pg_stat_progress_create_index, on a second
 * connection (the first is busy building). Without one (the embedded
 * database has a single connection) the build shows its elapsed time.
 */
import type { ProgressEvent } from '../runner/run-options.js';
import { batchProgress, indexProgress } from '../util/progress-text.js';
import type { IndexBuildRow, Progress } from '../util/progress-text.js';
import { quoteIdent } from '../util/sql-text.js';
import type { Database } from './database.js';

const POLL_MS = 500;

/** The progress row of an index build running on `table`, if one is. */
export async function readIndexBuild(db: Database, table: string): Promise<IndexBuildRow | undefined> {
  const rows = await db.query<IndexBuildRow>(
    'SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total FROM pg_stat_progress_create_index WHERE relid = to_regclass($1)',
    [quoteIdent(table)],
  );
  return rows[0];
}

export function progressHandler(show: (p: Progress) => void, second?: () => Promise<Database>, pollMs = POLL_MS): (e: ProgressEvent) => void {
  let stop: (() => void) | null = null;
  return (e) => {
    if (e.kind === 'batches') return show(batchProgress(e));
    if (e.done) {
      stop?.();
      stop = null;
      return;
    }
    stop?.();
    const started = performance.now();
    let row: IndexBuildRow | undefined;
    let live = true;
    let conn: Promise<Database | null> = second ? second().catch(() => null) : Promise.resolve(null);
    // One read at a time (a connection runs one query), the next one a moment after the last.
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      const db = await conn;
      // A read that fails (the connection went away) leaves the last counters shown.
      if (db && live) row = (await readIndexBuild(db, e.table).catch(() => undefined)) ?? row;
      if (!live) return;
      show(indexProgress(e.index, row, performance.now() - started));
      timer = setTimeout(() => void tick(), pollMs);
    };
    timer = setTimeout(() => void tick(), pollMs);
    stop = () => {
      live = false;
      clearTimeout(timer);
      show(indexProgress(e.index, row, performance.now() - started, true));
      void conn.then((db) => db?.close().catch(() => undefined));
      conn = Promise.resolve(null);
    };
  };
}
