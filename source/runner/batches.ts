/**
 * The `batches` step of a low-lock revision: the rows to change (the NULLs
 * of a backfill, the rows holding a removed enum value), a batch at a time,
 * each batch committed on its own, so another session waits for a row at
 * most as long as one batch takes.
 *
 * A batch is bounded by rows, not pages: pages can be empty (deleted rows)
 * or full, so a page count says nothing about how many rows a batch locks
 * (a range of 4,096 pages once updated 122,880 rows in 424 ms). Each batch
 * takes at most `limit` rows, the first ones in ctid order within a window
 * of pages, and the next one starts after the last row it took. The limit
 * follows a time target: doubled while batches are quick, cut in proportion
 * when one overshoots, never above BATCH_MAX_ROWS. The window only bounds
 * what one batch reads to find its rows (no lock is taken on what it reads):
 * it grows across empty pages and shrinks where rows are dense, so the sort
 * by ctid stays small.
 *
 * New row versions land at the end of the table, whose size is read again
 * on reaching it; they no longer match, so those pages are only read.
 */
import type { Database } from '../db/database.js';
import { batchSql } from '../ops/low-lock.js';
import type { LowLockStep } from '../ops/low-lock.js';
import { quoteIdent } from '../util/sql-text.js';
import type { ProgressEvent } from './run-options.js';

/** No batch changes more rows than this, however fast they go. */
export const BATCH_MAX_ROWS = 5_000;
const MIN_ROWS = 100;
const FIRST_ROWS = 1_000;
/** What a batch should take (its rows stay locked that long). */
export const BATCH_TARGET_MS = 100;
const MIN_PAGES = 8;
const MAX_PAGES = 4096;

export interface BatchContext {
  readonly db: Database;
  readonly retry: <T>(body: () => Promise<T>) => Promise<T>;
  readonly onBatch?: (info: { table: string; column: string; rows: number; ms: number }) => void;
  readonly onProgress?: (p: ProgressEvent) => void;
  /** A lower row bound than BATCH_MAX_ROWS (tests). */
  readonly maxRows?: number;
}

async function relationPages(db: Database, table: string): Promise<number> {
  const rows = await db.query<{ pages: number }>(
    `SELECT (pg_relation_size(to_regclass($1)) / current_setting('block_size')::int)::int AS pages`,
    [quoteIdent(table)],
  );
  return rows[0]?.pages ?? 0;
}

/** The page a tid's text `(page,item)` is on. */
function pageOf(tid: string): number {
  return Number(/^\((\d+),/.exec(tid)?.[1] ?? 0);
}

/** The first batch of a `batches` step, as runBatches sends it (for `--sql`: later ones move on from the last row taken). */
export function firstBatchSql(step: LowLockStep & { kind: 'batches' }): string {
  return batchSql(step, { tid: '(0,0)', after: false }, MIN_PAGES, FIRST_ROWS);
}

/** Runs the batches; returns the rows changed. */
export async function runBatches(ctx: BatchContext, step: LowLockStep & { kind: 'batches' }): Promise<number> {
  const { db } = ctx;
  const maxRows = Math.max(1, Math.min(ctx.maxRows ?? BATCH_MAX_ROWS, BATCH_MAX_ROWS));
  let limit = Math.min(FIRST_ROWS, maxRows);
  let window = MIN_PAGES;
  let from = { tid: '(0,0)', after: false };
  let pages = await relationPages(db, step.table);
  let total = 0;
  const began = performance.now();
  const progress = (pagesDone: number, done: boolean) =>
    ctx.onProgress?.({ kind: 'batches', table: step.table, column: step.column, rows: total, pagesDone: Math.min(pagesDone, pages), pagesTotal: pages, elapsedMs: performance.now() - began, done });
  for (;;) {
    const start = pageOf(from.tid);
    if (start >= pages) {
      pages = await relationPages(db, step.table);
      if (start >= pages) break;
    }
    const to = Math.min(start + window, pages + 1);
    const started = performance.now();
    const [r] = await ctx.retry(() => db.query<{ n: number; picked: number; last: string | null }>(batchSql(step, from, to, limit)));
    const ms = performance.now() - started;
    total += r.n;
    if (r.picked > 0) ctx.onBatch?.({ table: step.table, column: step.column, rows: r.n, ms });
    progress(r.picked >= limit && r.last ? pageOf(r.last) : to, false);
    if (r.picked >= limit && r.last) {
      // The window held more rows than the batch took: go on after the last one, in a smaller window.
      from = { tid: r.last, after: true };
      if (pageOf(r.last) < to - 1) window = Math.max(MIN_PAGES, Math.floor(window / 2));
    } else {
      from = { tid: `(${to},0)`, after: false };
      window = Math.min(window * 2, MAX_PAGES);
    }
    if (ms < BATCH_TARGET_MS / 2) limit = Math.min(limit * 2, maxRows);
    else if (ms > BATCH_TARGET_MS) limit = Math.max(Math.floor((limit * BATCH_TARGET_MS) / ms), Math.min(MIN_ROWS, maxRows));
  }
  progress(pages, true);
  return total;
}
