/**
 * The browser's edge: the one database connection it holds while open, the
 * revision files, and the runner. The view calls these as effects of the
 * pure state; tests pass a real database and a real migrations directory.
 */
import { relative } from 'node:path';
import type { Database } from '../db/database.js';
import { isUserError } from '../errors.js';
import type { DatabaseRef } from '../runner/collect.js';
import { moveTo } from '../runner/migrate.js';
import type { RunOptions, StepEvent } from '../runner/migrate.js';
import { LockWaitCancelled } from '../runner/lock.js';
import { readVersionState } from '../runner/version-table.js';
import type { LossItem, Plan, RunLine } from './browser-state.js';
import { progressHandler } from '../db/run-progress.js';
import { progressText } from '../util/progress-text.js';
import { dataLoss } from './data-loss.js';
import { DetailsLoader } from './details.js';
import type { Details } from './details.js';
import { readSnapshot } from './snapshot.js';
import type { OtherDatabase, Snapshot } from './snapshot.js';

export interface RunOutcome {
  readonly ok: boolean;
  readonly cancelled?: boolean;
  readonly error?: string;
  readonly summary: string;
}

export interface BrowserSession {
  /** Where the database is, for the header (never with a password). */
  readonly label: string;
  /** In a multi-database project: the database browsed. */
  readonly database?: string;
  snapshot(): Promise<Snapshot>;
  details(id: string): Promise<Details>;
  loss(plan: Plan): Promise<LossItem[]>;
  run(plan: Plan, on: { line: (l: RunLine) => void; waiting: () => void; started: () => void; progress?: (text: string | null) => void }, signal: AbortSignal): Promise<RunOutcome>;
}

/**
 * The log lines of one step. A statement is shown whole, one log line per
 * line of SQL, its time after the last: a USING or a WHERE further down
 * decides what happens to the data, so it is never cut.
 */
export function linesOf(e: StepEvent): RunLine[] {
  if (e.type === 'revision-start') {
    const arrow = e.direction === 'upgrade' ? `▲ ${e.from} → ${e.revision.id}` : `▼ ${e.revision.id} → ${parentsText(e.revision.downRevision)}`;
    return [{ kind: 'revision', text: `${arrow}  ${e.revision.message}` }];
  }
  if (e.type === 'statement' && e.sql) {
    const sql = e.sql.replace(/\s+$/, '').split('\n');
    const time = `  (${(e.ms ?? 0).toFixed(1)} ms)`;
    return sql.map((line, i) => ({ kind: 'statement', text: `  ${line}${i === sql.length - 1 ? time : ''}` }));
  }
  if (e.type === 'revision-done') return [{ kind: 'info', text: `  ${e.revision.id} done in ${(e.ms ?? 0).toFixed(0)} ms` }];
  return [];
}

function parentsText(down: string | readonly string[] | null): string {
  if (down === null) return '<base>';
  return typeof down === 'string' ? down : down.join(', ');
}

export interface SessionOptions {
  readonly ignoreChecksums?: boolean;
  /** In a multi-database project: the database browsed, and the first one (where one-function revisions run). */
  readonly ref?: DatabaseRef;
  /** In a multi-database project: every database, read for the per-database state of each row. */
  readonly databases?: readonly OtherDatabase[];
  /** Opens a second connection to the browsed database (a server), to read an index build's progress beside the run. */
  readonly side?: () => Promise<Database>;
}

export function createBrowserSession(db: Database, versionsDir: string, first: Snapshot, options: SessionOptions = {}): BrowserSession {
  let current = first;
  let loader = new DetailsLoader(first.revisions, first.graph, options.ref);
  const at = async () => {
    const heads = (await readVersionState(db)).heads;
    return heads.length ? heads.join(', ') : '<base>';
  };
  return {
    database: options.ref?.database,
    label: (db.kind === 'embedded' ? `embedded ${relative(process.cwd(), db.label) || '.'}` : db.label),
    async snapshot() {
      // fresh: an edited file is imported again, not served from the module cache.
      current = await readSnapshot(db, versionsDir, { fresh: true, databases: options.databases });
      loader = new DetailsLoader(current.revisions, current.graph, options.ref);
      return current;
    },
    details: (id) => loader.details(id),
    async loss(plan) {
      const byId = new Map(current.revisions.map((r) => [r.id, r]));
      return dataLoss(db, plan.ids.map((id) => byId.get(id)!), options.ref);
    },
    async run(plan, on, signal) {
      let started = false;
      const ref = options.ref;
      const move = (opts: RunOptions) =>
        moveTo([{ name: ref?.database ?? 'default', db }], current, plan.direction, plan.target, { ...opts, primary: ref?.primary }).then((r) => ({
          ran: r.ran,
          heads: Object.values(r.heads)[0] ?? [],
        }));
      try {
        const result = await move({
          signal,
          ignoreChecksums: options.ignoreChecksums,
          onWait: on.waiting,
          // A retry after a lock timeout, an INVALID index rebuilt: said in the log, as the CLI does.
          onNotice: (text) => on.line({ kind: 'info', text }),
          // A bar for a batched backfill or an index build, gone once it is done (its lines stay in the log).
          onProgress: progressHandler((p) => on.progress?.(p.finished ? null : progressText(p)), options.side),
          onEvent: (e) => {
            if (!started) {
              started = true;
              on.started();
            }
            for (const line of linesOf(e)) on.line(line);
          },
        });
        const where = result.heads.length ? result.heads.join(', ') : '<base>';
        if (result.ran.length === 0) return { ok: true, summary: `Nothing to run: the database is at ${where}.` };
        return { ok: true, summary: `${plan.direction === 'upgrade' ? 'Migrated' : 'Downgraded'}: the database is now at ${where}.` };
      } catch (e) {
        if (e instanceof LockWaitCancelled) return { ok: false, cancelled: true, summary: 'Cancelled while waiting for the lock: nothing was run.' };
        const message = isUserError(e) ? `${e.message}${e.hint ? `\n(${e.hint})` : ''}` : (e as Error).message;
        const where = await at().catch(() => 'unknown (could not read the version table)');
        return { ok: false, error: message, summary: `Failed: the database stays at ${where}.` };
      }
    },
  };
}
