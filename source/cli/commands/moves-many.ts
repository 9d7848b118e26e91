/**
 * `migrate` and `downgrade` in a multi-database project: every database
 * moves together (or the one `--database` names), each line says which
 * database it is about, and `--sql` prints each database's SQL under a
 * heading naming it.
 */
import type { Project } from '../../config/project.js';
import { ExitCode } from '../../errors.js';
import { collectFor, statementsOf } from '../../runner/collect.js';
import type { Direction } from '../../runner/collect.js';
import { moveMany } from '../../runner/migrate-many.js';
import type { ManyEvent } from '../../runner/migrate-many.js';
import { CREATE_VERSION_TABLES, recordStatements } from '../../runner/version-table.js';
import { sqlValue } from '../../util/sql-text.js';
import { err, out, style } from '../output.js';
import { loadHistory, selectDatabases, withDatabases } from '../session.js';
import type { MoveOptions } from './moves.js';

function inline(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n) => sqlValue(params[Number(n) - 1]));
}

function parents(down: string | readonly string[] | null): string {
  if (down === null) return '<base>';
  return typeof down === 'string' ? down : down.join(', ');
}

function printEvent(e: ManyEvent, dryRun: boolean): void {
  if (e.type === 'revision-start') {
    const arrow = e.direction === 'upgrade' ? `${e.from} -> ${e.revision.id}` : `${e.revision.id} -> ${parents(e.revision.downRevision)}`;
    out(`${dryRun ? '[dry run] ' : ''}[${e.database}] Running ${e.direction} ${arrow}, ${e.revision.message}`);
  } else if (e.type === 'statement' && e.sql) {
    const line = e.sql.split('\n')[0];
    out(style.dim(`  ${line.length > 100 ? line.slice(0, 97) + '...' : line}  (${(e.ms ?? 0).toFixed(1)} ms)`));
  }
}

/** Offline: each database from base (or from head, for a downgrade), under its own heading. */
async function offlineSql(project: Project, direction: Direction, target: string, only: string | undefined): Promise<number> {
  const { revisions, graph } = await loadHistory(project);
  const byId = new Map(revisions.map((r) => [r.id, r]));
  const entries = selectDatabases(project, only);
  const primary = project.databases![0].name;
  for (const entry of entries) {
    out(`-- database: ${entry.name}`);
    const start = direction === 'upgrade' ? [] : graph.heads();
    const ids = direction === 'upgrade' ? graph.upgradePlan(start, target) : graph.downgradePlan(start, target);
    const applied = new Set(graph.appliedSet(start));
    if (direction === 'upgrade') for (const s of CREATE_VERSION_TABLES) out(s + ';');
    for (const id of ids) {
      const rev = byId.get(id)!;
      out(`-- ${direction === 'upgrade' ? 'Running upgrade' : 'Running downgrade'} ${rev.id}: ${rev.message}`);
      out('BEGIN;');
      for (const s of statementsOf(await collectFor(rev, direction, { database: entry.name, primary }))) out(s.sql + ';');
      if (direction === 'upgrade') applied.add(id);
      else applied.delete(id);
      const change = direction === 'upgrade' ? { applied: { revision: rev.id, checksum: rev.checksum, message: rev.message } } : { unapplied: rev.id };
      for (const r of recordStatements(graph.headsOf([...applied]), change)) out(inline(r.sql, r.params) + ';');
      out('COMMIT;');
    }
    out('');
  }
  return ExitCode.ok;
}

export async function runMoveMany(project: Project, direction: Direction, target: string, options: MoveOptions): Promise<number> {
  if (options.sql) return offlineSql(project, direction, target, options.database);
  const history = await loadHistory(project);
  const primary = project.databases![0].name;
  const result = await withDatabases(project, options.database, (members) =>
    moveMany(members, history, direction, target, {
      primary,
      dryRun: options.dryRun,
      ignoreChecksums: options.ignoreChecksums,
      onEvent: (e) => printEvent(e, !!options.dryRun),
      onWait: () => err('another fastedgy migration holds the lock on one of the databases; waiting for it to finish…'),
    }),
  );
  if (result.ran.length === 0) out(direction === 'upgrade' ? 'Nothing to migrate: every database is up to date.' : 'Nothing to downgrade.');
  else if (options.dryRun) out('[dry run] rolled back; the databases are unchanged.');
  for (const [name, heads] of Object.entries(result.heads)) out(`${name} is now at ${heads.length ? heads.join(', ') : '<base>'}.`);
  return ExitCode.ok;
}
