/**
 * Applying and unapplying revisions. Each revision runs in its own
 * transaction together with its version-table update, so a failure leaves
 * the database as it was before that revision and names the revision and
 * the statement. `transactional = false` revisions run statement by
 * statement, then record themselves.
 */
import type { Database } from '../db/database.js';
import { UserError } from '../errors.js';
import type { RevisionFile } from '../revisions/files.js';
import type { RevisionGraph } from '../revisions/graph.js';
import { collectOperations, statementsOf } from './collect.js';
import type { Direction, Statement } from './collect.js';
import { withMigrationLock } from './lock.js';
import { ensureVersionTables, readVersionState, recordStatements } from './version-table.js';
import type { VersionState } from './version-table.js';

export interface StepEvent {
  readonly type: 'revision-start' | 'statement' | 'revision-done';
  readonly direction: Direction;
  readonly revision: RevisionFile;
  readonly from: string;
  readonly sql?: string;
  readonly ms?: number;
}

export interface RunOptions {
  readonly dryRun?: boolean;
  readonly ignoreChecksums?: boolean;
  readonly onEvent?: (e: StepEvent) => void;
  readonly onWait?: () => void;
  /** Gives up waiting for another process's lock (nothing has run yet then). */
  readonly signal?: AbortSignal;
}

export interface Project {
  readonly revisions: readonly RevisionFile[];
  readonly graph: RevisionGraph;
}

/** Problems with applied revisions: edited, or missing on disk. */
export function historyProblems(project: Project, state: VersionState): string[] {
  const problems: string[] = [];
  const byId = new Map(project.revisions.map((r) => [r.id, r]));
  for (const a of state.applied.values()) {
    const rev = byId.get(a.revision);
    if (!rev) problems.push(`revision ${a.revision} is applied to the database but its file is missing`);
    else if (rev.checksum !== a.checksum) problems.push(`revision ${a.revision} (${rev.file}) was edited after it was applied`);
  }
  for (const h of state.heads)
    if (!byId.has(h) && !state.applied.has(h)) problems.push(`the database is at revision ${h}, which no revision file defines`);
  return problems;
}

function checkHistory(project: Project, state: VersionState, options: RunOptions): void {
  if (options.ignoreChecksums) return;
  const problems = historyProblems(project, state);
  if (problems.length > 0)
    throw new UserError(problems.join('\n'), { hint: 'restore the revision files as they were applied, or pass --ignore-checksums to proceed anyway' });
}

async function runStatement(db: Database, rev: RevisionFile, s: Statement, direction: Direction, options: RunOptions, from: string): Promise<void> {
  const started = performance.now();
  try {
    await db.query(s.sql);
  } catch (e) {
    const err = e as { message?: string; code?: string };
    throw new UserError(
      `revision ${rev.id} (${rev.message || 'no message'}) failed in ${direction}: ${err.message}\n  statement: ${s.sql}`,
      { hint: `nothing of revision ${rev.id} was applied; fix ${rev.file} and run again` },
    );
  }
  options.onEvent?.({ type: 'statement', direction, revision: rev, from, sql: s.sql, ms: performance.now() - started });
}

async function runRevision(db: Database, project: Project, rev: RevisionFile, direction: Direction, applied: Set<string>, options: RunOptions): Promise<void> {
  const ops = await collectOperations(rev, direction);
  const statements = statementsOf(ops);
  const from = direction === 'upgrade' ? parentsText(rev) : rev.id;
  options.onEvent?.({ type: 'revision-start', direction, revision: rev, from });
  const next = new Set(applied);
  if (direction === 'upgrade') next.add(rev.id);
  else next.delete(rev.id);
  const heads = project.graph.headsOf([...next]);
  const record = recordStatements(heads, direction === 'upgrade' ? { applied: { revision: rev.id, checksum: rev.checksum, message: rev.message } } : { unapplied: rev.id });
  const started = performance.now();
  if (rev.transactional || options.dryRun) {
    await db.query('BEGIN');
    try {
      for (const s of statements) await runStatement(db, rev, s, direction, options, from);
      for (const r of record) await db.query(r.sql, r.params);
      await db.query(options.dryRun ? 'ROLLBACK' : 'COMMIT');
    } catch (e) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  } else {
    for (const s of statements) await runStatement(db, rev, s, direction, options, from);
    await db.query('BEGIN');
    for (const r of record) await db.query(r.sql, r.params);
    await db.query('COMMIT');
  }
  if (!options.dryRun) {
    applied.clear();
    for (const id of next) applied.add(id);
  }
  options.onEvent?.({ type: 'revision-done', direction, revision: rev, from, ms: performance.now() - started });
}

function parentsText(rev: RevisionFile): string {
  if (rev.downRevision === null) return '<base>';
  return Array.isArray(rev.downRevision) ? rev.downRevision.join(', ') : (rev.downRevision as string);
}

export interface RunResult {
  readonly ran: readonly RevisionFile[];
  readonly heads: readonly string[];
}

/** Moves the database to `target` (upgrade or downgrade), under the migration lock. */
export async function moveTo(db: Database, project: Project, direction: Direction, target: string, options: RunOptions = {}): Promise<RunResult> {
  return withMigrationLock(
    db,
    async () => {
      await ensureVersionTables(db);
      const state = await readVersionState(db);
      checkHistory(project, state, options);
      const ids =
        direction === 'upgrade' ? project.graph.upgradePlan(state.heads, target) : project.graph.downgradePlan(state.heads, target);
      const byId = new Map(project.revisions.map((r) => [r.id, r]));
      // Every revision about to run is imported first: a broken file stops the run before anything changes.
      await Promise.all(ids.map((id) => byId.get(id)!.load()));
      const applied = new Set(project.graph.appliedSet(state.heads));
      const ran: RevisionFile[] = [];
      for (const id of ids) {
        const rev = byId.get(id)!;
        await runRevision(db, project, rev, direction, applied, options);
        ran.push(rev);
      }
      const after = options.dryRun ? state.heads : project.graph.headsOf([...applied]);
      return { ran, heads: after };
    },
    { onWait: options.onWait, signal: options.signal },
  );
}

/** Records `target` as the current revision without running anything. */
export async function stamp(db: Database, project: Project, target: string): Promise<readonly string[]> {
  return withMigrationLock(db, async () => {
    await ensureVersionTables(db);
    const state = await readVersionState(db);
    const ids = project.graph.resolveTarget(target, state.heads);
    const heads = ids.length === 0 ? [] : project.graph.headsOf([...project.graph.appliedSet(ids)]);
    const applied = new Set(project.graph.appliedSet(heads));
    const byId = new Map(project.revisions.map((r) => [r.id, r]));
    await db.query('BEGIN');
    try {
      await db.query('DELETE FROM fastedgy_version');
      await db.query('DELETE FROM fastedgy_revisions');
      for (const h of heads) await db.query('INSERT INTO fastedgy_version (version_num) VALUES ($1)', [h]);
      for (const id of applied) {
        const r = byId.get(id)!;
        await db.query('INSERT INTO fastedgy_revisions (revision, checksum, message) VALUES ($1, $2, $3)', [r.id, r.checksum, r.message]);
      }
      await db.query('COMMIT');
    } catch (e) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    return heads;
  });
}

export type { Direction };
