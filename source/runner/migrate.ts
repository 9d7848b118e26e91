/**
 * Moving the project's databases (one, or several) along the revisions.
 * One history serves them all; each database has its own version tables and
 * records every revision it has passed, whether or not the revision has a
 * section for it, so "applied" means the same thing everywhere.
 *
 * Each revision runs in its own transaction per database together with its
 * version-table update, so a failure leaves the databases as they were
 * before that revision and names the revision and the statement (see
 * run-section.ts for one database, run-together.ts for several at once).
 */
import type { Database } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { RevisionFile } from '../revisions/files.js';
import { collectFor, statementsOf } from './collect.js';
import type { Direction } from './collect.js';
import { checkHistory } from './history-check.js';
import type { History } from './history-check.js';
import { withMigrationLock } from './lock.js';
import { PROGRESS_TABLE, readProgress, refuseStoppedDowngrades } from './low-lock.js';
import { announce, runSection } from './run-section.js';
import { runTogether } from './run-together.js';
import type { TogetherSection } from './run-together.js';
import type { RunOptions } from './run-options.js';
import { undoStoppedUpgrades } from './stopped-upgrade.js';
import { ensureVersionTables, readVersionState, recordQuery } from './version-table.js';

export { historyProblems } from './history-check.js';
export type { History } from './history-check.js';
export type { RunOptions, StepEvent } from './run-options.js';
export type { Direction };

/** A database to move: its name (`default` in a single-database project) and its connection. */
export interface RunTarget {
  readonly name: string;
  readonly db: Database;
}

export interface RunResult {
  readonly ran: readonly RevisionFile[];
  /** Where each database is afterwards, by name. */
  readonly heads: Readonly<Record<string, readonly string[]>>;
}

/** Takes every database's migration lock, in the config's order (so two processes never hold one each). */
function withLocks<T>(targets: readonly RunTarget[], options: RunOptions, body: () => Promise<T>): Promise<T> {
  const take = (i: number): Promise<T> =>
    i === targets.length ? body() : withMigrationLock(targets[i].db, () => take(i + 1), { onWait: options.onWait, signal: options.signal });
  return take(0);
}

function parentsText(rev: RevisionFile): string {
  if (rev.downRevision === null) return '<base>';
  return Array.isArray(rev.downRevision) ? rev.downRevision.join(', ') : (rev.downRevision as string);
}

/**
 * Moves every database in `targets` to `target` (upgrade or downgrade),
 * under their migration locks. `primary` is the project's first database,
 * where one-function revisions (single-database form, merges) run.
 */
export async function moveTo(
  targets: readonly RunTarget[],
  history: History,
  direction: Direction,
  target: string,
  options: RunOptions & { readonly primary?: string } = {},
): Promise<RunResult> {
  const primary = options.primary ?? targets[0].name;
  const who = (name: string) => (options.multi ? `database ${name}: ` : '');
  return withLocks(targets, options, async () => {
    // An upgrade stopped midway is what a downgrade undoes first (runner/stopped-upgrade.ts).
    const undone: RevisionFile[] = [];
    // Read once per database: the revisions of this direction stopped midway (they resume in the low-lock form).
    const stopped = new Map<string, Set<string>>();
    for (const t of targets) {
      const progress = await readProgress(t.db);
      if (direction === 'upgrade') refuseStoppedDowngrades(progress, who(t.name));
      if (direction === 'downgrade' && progress.some((r) => r.direction === 'upgrade')) {
        const u = await undoStoppedUpgrades(t.db, PROGRESS_TABLE, history.revisions, target, options, t.name, who(t.name));
        undone.push(...u.ran);
        if (u.target !== target) target = u.target;
      }
      stopped.set(t.name, new Set(progress.filter((r) => r.direction === direction).map((r) => r.revision)));
    }
    const applied = new Map<string, Set<string>>();
    const plans = new Map<string, Set<string>>();
    for (const t of targets) {
      await ensureVersionTables(t.db);
      const state = await readVersionState(t.db);
      checkHistory(history, state, options, who(t.name));
      applied.set(t.name, new Set(history.graph.appliedSet(state.heads)));
      const ids = direction === 'upgrade' ? history.graph.upgradePlan(state.heads, target) : history.graph.downgradePlan(state.heads, target);
      plans.set(t.name, new Set(ids));
    }
    const order = direction === 'upgrade' ? history.graph.topological() : history.graph.topological().reverse();
    const ids = order.filter((id) => targets.some((t) => plans.get(t.name)!.has(id)));
    const byId = new Map(history.revisions.map((r) => [r.id, r]));
    // Every revision about to run is imported first: a broken file stops the run before anything changes.
    await Promise.all(ids.map((id) => byId.get(id)!.load()));
    const ran: RevisionFile[] = [...undone];
    for (const id of ids) {
      const rev = byId.get(id)!;
      const sections: TogetherSection[] = [];
      const next = new Map<string, Set<string>>();
      for (const t of targets.filter((x) => plans.get(x.name)!.has(id))) {
        const before = applied.get(t.name)!;
        const after = new Set(before);
        if (direction === 'upgrade') after.add(id);
        else after.delete(id);
        next.set(t.name, after);
        const applyRow = { applied: { revision: rev.id, checksum: rev.checksum, message: rev.message } };
        const ops = await collectFor(rev, direction, { database: t.name, primary });
        sections.push({
          db: t.db,
          database: t.name,
          who: who(t.name),
          rev,
          direction,
          from: direction === 'upgrade' ? parentsText(rev) : rev.id,
          options,
          ops,
          statements: statementsOf(ops),
          record: recordQuery(history.graph.headsOf([...after]), direction === 'upgrade' ? applyRow : { unapplied: rev.id }),
          undoRecord: recordQuery(history.graph.headsOf([...before]), direction === 'upgrade' ? { unapplied: rev.id } : applyRow),
          stopped: stopped.get(t.name)!.has(rev.id),
        });
      }
      if (sections.length === 1) await announce(sections[0], () => runSection(sections[0]));
      else await runTogether({ sections, everyone: targets, primary });
      if (!options.dryRun) for (const [name, after] of next) applied.set(name, after);
      ran.push(rev);
    }
    const heads: Record<string, readonly string[]> = {};
    for (const t of targets) heads[t.name] = history.graph.headsOf([...applied.get(t.name)!]);
    return { ran, heads };
  });
}

/** Records `target` as the current revision of one database without running anything. */
export async function stamp(db: Database, history: History, target: string): Promise<readonly string[]> {
  return withMigrationLock(db, async () => {
    await ensureVersionTables(db);
    const state = await readVersionState(db);
    const ids = history.graph.resolveTarget(target, state.heads);
    const heads = ids.length === 0 ? [] : history.graph.headsOf([...history.graph.appliedSet(ids)]);
    const applied = new Set(history.graph.appliedSet(heads));
    const byId = new Map(history.revisions.map((r) => [r.id, r]));
    await inTransaction(db, async () => {
      await db.query('DELETE FROM fastedgy_version');
      await db.query('DELETE FROM fastedgy_revisions');
      for (const h of heads) await db.query('INSERT INTO fastedgy_version (version_num) VALUES ($1)', [h]);
      for (const id of applied) {
        const r = byId.get(id)!;
        await db.query('INSERT INTO fastedgy_revisions (revision, checksum, message) VALUES ($1, $2, $3)', [r.id, r.checksum, r.message]);
      }
      await db.query('COMMIT');
    });
    return heads;
  });
}
