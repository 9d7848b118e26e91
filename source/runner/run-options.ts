/** What a caller of the runner can ask for, and the events it hears back. */
import type { RevisionFile } from '../revisions/files.js';
import type { Direction } from './collect.js';

export interface StepEvent {
  readonly type: 'revision-start' | 'statement' | 'revision-done';
  readonly direction: Direction;
  readonly revision: RevisionFile;
  readonly from: string;
  /** The database it happens in (`default` in a single-database project). */
  readonly database: string;
  readonly sql?: string;
  readonly ms?: number;
}

/**
 * How far a long step has got, for a progress bar: a batched backfill (rows
 * changed so far, pages of the table passed; `done` on its last report) or a
 * concurrent index build (its start and end; what it has done in between is
 * read from pg_stat_progress_create_index by whoever shows it).
 */
export type ProgressEvent =
  | {
      readonly kind: 'batches';
      readonly table: string;
      readonly column: string;
      readonly rows: number;
      readonly pagesDone: number;
      readonly pagesTotal: number;
      readonly elapsedMs: number;
      readonly done: boolean;
    }
  | { readonly kind: 'index'; readonly table: string; readonly index: string; readonly done: boolean };

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
  /** Per batch of a backfill, and around a concurrent index build. */
  readonly onProgress?: (p: ProgressEvent) => void;
  /** Rows from which a backfill or SET NOT NULL takes the low-lock form (runner/low-lock.ts); 0: always. Default ops/low-lock BATCH_THRESHOLD. */
  readonly batchThreshold?: number;
  /** The project names its databases: messages say which database they are about. */
  readonly multi?: boolean;
}
