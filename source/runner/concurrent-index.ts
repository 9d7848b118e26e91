/**
 * Running a `concurrently` step of a low-lock revision (ops/concurrent-index.ts):
 * `CREATE [UNIQUE] INDEX CONCURRENTLY` outside any transaction.
 *
 * Such a build that fails or is killed midway leaves its index INVALID (never
 * used, still maintained on every write, and in the way of building it again):
 * it is dropped before the build, and right after a build that failed. One
 * that was killed after the build but before the revision's next commit
 * leaves a VALID index: when the revision resumes (its progress row says a
 * run stopped midway), that index is the one this step built and is kept.
 */
import type { Database } from '../db/database.js';
import type { ConcurrentStep } from '../ops/concurrent-index.js';
import type { Operation } from '../ops/types.js';
import { ident, quoteIdent } from '../util/sql-text.js';
import type { Statement } from './collect.js';
import { lockTimeoutBack, lockTimeoutOff } from './timeouts.js';
import type { TimeoutOptions } from './timeouts.js';
import type { ProgressEvent } from './run-options.js';

/** 'none', 'valid' or 'invalid': the index of that name on that table (names resolved through search_path, as the statements' are). */
async function indexState(db: Database, index: string, table: string): Promise<'none' | 'valid' | 'invalid'> {
  const rows = await db.query<{ valid: boolean }>(
    'SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass($1) AND i.indrelid = to_regclass($2)',
    [quoteIdent(index), quoteIdent(table)],
  );
  return rows.length === 0 ? 'none' : rows[0].valid ? 'valid' : 'invalid';
}

async function dropIfInvalid(db: Database, step: ConcurrentStep): Promise<boolean> {
  if ((await indexState(db, step.index, step.table)) !== 'invalid') return false;
  // CONCURRENTLY: the table stays usable meanwhile, as for the build.
  await db.query(`DROP INDEX CONCURRENTLY IF EXISTS ${ident(step.index)}`);
  return true;
}

export interface ConcurrentContext {
  readonly db: Database;
  readonly options: TimeoutOptions & { readonly onNotice?: (message: string) => void; readonly onProgress?: (p: ProgressEvent) => void };
  readonly run: (s: Statement) => Promise<void>;
  readonly retry: <T>(body: () => Promise<T>) => Promise<T>;
  /** A previous run of the revision stopped midway. */
  readonly resuming: boolean;
  /** Prefix of notices: `revision <id>`. */
  readonly who: string;
}

export async function runConcurrentStep(ctx: ConcurrentContext, step: ConcurrentStep, op: Operation): Promise<void> {
  const { db, options } = ctx;
  if (ctx.resuming && (await indexState(db, step.index, step.table)) === 'valid') {
    options.onNotice?.(`${ctx.who}: index ${step.index} on ${step.table} was built by the run that stopped; keeping it`);
    return;
  }
  try {
    await ctx.retry(async () => {
      if (await dropIfInvalid(db, step))
        options.onNotice?.(`${ctx.who}: index ${step.index} was left INVALID by an interrupted CREATE INDEX CONCURRENTLY; dropped it, building it again`);
      // It waits for older transactions without blocking anyone meanwhile: lock_timeout would only make it fail (timeouts.ts).
      await db.query(lockTimeoutOff());
      options.onProgress?.({ kind: 'index', table: step.table, index: step.index, done: false });
      try {
        await ctx.run({ sql: step.sql, op });
      } finally {
        options.onProgress?.({ kind: 'index', table: step.table, index: step.index, done: true });
        await db.query(lockTimeoutBack(options)).catch(() => undefined);
      }
    });
  } catch (e) {
    // Duplicate rows for a unique index, a cancelled build: leave nothing INVALID behind (best effort; a rerun drops it anyway).
    await dropIfInvalid(db, step).catch(() => undefined);
    throw e;
  }
}
