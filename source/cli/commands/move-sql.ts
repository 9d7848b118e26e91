/**
 * `migrate --sql` / `downgrade --sql`: the script of the revisions a move
 * would run, printed, nothing run.
 *
 * By default it is offline, as SPEC §8 and Alembic's are (no connection):
 * from base (from head for a downgrade), every revision in its
 * one-transaction form; when a revision has a step a big table runs in the
 * low-lock form, a line on stderr says so. With `--live`, when the database can be
 * reached, the script is what `migrate` would run on it now: from its
 * current revision, each revision in the form the runner will choose from
 * the live row counts (the low-lock steps on a big table, a stopped revision
 * from where it stopped), read-only (no lock taken, nothing written).
 */
import { existsSync } from 'node:fs';
import type { DatabaseEntry, Project } from '../../config/project.js';
import type { Database } from '../../db/database.js';
import { ExitCode } from '../../errors.js';
import { collectFor } from '../../runner/collect.js';
import type { Direction } from '../../runner/collect.js';
import { lowLockTable } from '../../ops/low-lock.js';
import { chooseLowLock, stoppedProgress } from '../../runner/low-lock.js';
import { revisionScript } from '../../runner/script.js';
import type { TimeoutOptions } from '../../runner/timeouts.js';
import { CREATE_VERSION_TABLES, readVersionState, recordStatements } from '../../runner/version-table.js';
import { sqlValue } from '../../util/sql-text.js';
import { err, out } from '../output.js';
import { connectTarget, loadHistory, selectDatabases } from '../session.js';

function inline(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n) => sqlValue(params[Number(n) - 1]));
}

const OFFLINE_NOTE = (direction: Direction) =>
  `--sql: the offline script (no connection): from ${direction === 'upgrade' ? 'base' : 'head'}, every revision in its one-transaction form. ` +
  'On a table of 10,000 rows or more, migrate runs backfills, NOT NULL, checks and indexes in several steps instead; --sql --live prints those steps as they would run on the database now.';

/** The database, when it can be read without creating anything; null (and why, on stderr) when not. */
async function reach(entry: DatabaseEntry, multi: boolean, direction: Direction): Promise<Database | null> {
  const name = multi ? `database ${entry.name}` : 'the database';
  if (entry.target.kind === 'embedded' && !existsSync(entry.target.dataDir)) return null; // nothing in it yet: the offline script is exact
  try {
    return await connectTarget(entry.target);
  } catch (e) {
    err(`--sql --live: could not reach ${name} (${(e as Error).message}); printing the offline script instead.`);
    return null;
  }
}

export async function printMoveSql(
  project: Project,
  direction: Direction,
  target: string,
  only: string | undefined,
  timeouts: TimeoutOptions & { batchThreshold?: number },
  live = false,
): Promise<number> {
  const { revisions, graph } = await loadHistory(project);
  const byId = new Map(revisions.map((r) => [r.id, r]));
  const primary = project.databases[0].name;
  // Said once, and only when some revision has a step a big table would run otherwise.
  let mayRunOtherwise = false;
  for (const entry of selectDatabases(project, only)) {
    const db = live ? await reach(entry, project.multi, direction) : null;
    try {
      if (project.multi) out(`-- database: ${entry.name}`);
      const start = db ? (await readVersionState(db)).heads : direction === 'upgrade' ? [] : graph.heads();
      if (db) out(`-- as migrate would run it on this database now: from ${start.length ? start.join(', ') : '<base>'}, row counts read now`);
      const ids = direction === 'upgrade' ? graph.upgradePlan(start, target) : graph.downgradePlan(start, target);
      const applied = new Set(graph.appliedSet(start));
      if (direction === 'upgrade') for (const s of CREATE_VERSION_TABLES) out(s + (project.multi ? ';' : ';\n'));
      // Tables renamed by one revision are counted under their live names in the next ones too.
      const live = new Map<string, string | null>();
      for (const id of ids) {
        const rev = byId.get(id)!;
        out(`-- ${direction === 'upgrade' ? 'Running upgrade' : 'Running downgrade'} ${rev.id}: ${rev.message}`);
        const ops = await collectFor(rev, direction, { database: entry.name, primary });
        if (!db && rev.transactional && ops.some((op) => lowLockTable(op) !== null)) mayRunOtherwise = true;
        if (direction === 'upgrade') applied.add(id);
        else applied.delete(id);
        const change = direction === 'upgrade' ? { applied: { revision: rev.id, checksum: rev.checksum, message: rev.message } } : { unapplied: rev.id };
        const record = recordStatements(graph.headsOf([...applied]), change).map((r) => inline(r.sql, r.params));
        const stopped = db && rev.transactional ? await stoppedProgress(db, rev, direction) : null;
        const lowLock = stopped ? stopped.lowLock : db && rev.transactional ? await chooseLowLock(db, ops, timeouts.batchThreshold, live) : [];
        for (const line of revisionScript({ ops, transactional: rev.transactional, record, lowLock, resumeAfter: stopped?.step }, timeouts)) out(line);
        if (!project.multi) out('');
      }
      if (project.multi) out('');
    } finally {
      await db?.close().catch(() => undefined);
    }
  }
  if (mayRunOtherwise) err(OFFLINE_NOTE(direction));
  return ExitCode.ok;
}
