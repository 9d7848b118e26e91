/**
 * What `migrate` and `downgrade` share: loading the history, `--sql`
 * (offline: no connection, from base — or from head for a downgrade), and
 * the Alembic-style lines printed while revisions run. In a multi-database
 * project every database moves together (or the one `--database` names),
 * each line says which database it is about, and `--sql` heads each
 * database's SQL with its name.
 */
import type { Project } from '../../config/project.js';
import { ExitCode } from '../../errors.js';
import { collectFor, statementsOf } from '../../runner/collect.js';
import type { Direction } from '../../runner/collect.js';
import { moveTo } from '../../runner/migrate.js';
import type { StepEvent } from '../../runner/migrate.js';
import { parseAttempts, parseSeconds } from '../../runner/timeouts.js';
import { CREATE_VERSION_TABLES, recordStatements } from '../../runner/version-table.js';
import { sqlValue } from '../../util/sql-text.js';
import { err, out, style } from '../output.js';
import { loadHistory, openProject, selectDatabases, withDatabases } from '../session.js';
import type { GlobalOptions } from '../session.js';

export interface MoveOptions {
  sql?: boolean;
  dryRun?: boolean;
  ignoreChecksums?: boolean;
  /** Seconds, as typed after --lock-timeout / --statement-timeout (they win over the config). */
  lockTimeout?: string;
  statementTimeout?: string;
  /** In a multi-database project: move only this database. */
  database?: string;
}

function inline(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n) => sqlValue(params[Number(n) - 1]));
}

/** Offline: each database from base (or from head, for a downgrade); under its own heading when the project names them. */
async function offlineSql(project: Project, direction: Direction, target: string, only: string | undefined): Promise<number> {
  // PostgreSQL's scanner (a WebAssembly module) loads only for `--sql`, not for a migrate that runs.
  const { terminated } = await import('../../util/sql-terminate.js');
  const { revisions, graph } = await loadHistory(project);
  const byId = new Map(revisions.map((r) => [r.id, r]));
  const primary = project.databases[0].name;
  for (const entry of selectDatabases(project, only)) {
    if (project.multi) out(`-- database: ${entry.name}`);
    const start = direction === 'upgrade' ? [] : graph.heads();
    const ids = direction === 'upgrade' ? graph.upgradePlan(start, target) : graph.downgradePlan(start, target);
    const applied = new Set(graph.appliedSet(start));
    if (direction === 'upgrade') for (const s of CREATE_VERSION_TABLES) out(s + (project.multi ? ';' : ';\n'));
    for (const id of ids) {
      const rev = byId.get(id)!;
      out(`-- ${direction === 'upgrade' ? 'Running upgrade' : 'Running downgrade'} ${rev.id}: ${rev.message}`);
      if (rev.transactional) out('BEGIN;');
      for (const s of statementsOf(await collectFor(rev, direction, { database: entry.name, primary }))) out(terminated(s.sql));
      if (direction === 'upgrade') applied.add(id);
      else applied.delete(id);
      const change = direction === 'upgrade' ? { applied: { revision: rev.id, checksum: rev.checksum, message: rev.message } } : { unapplied: rev.id };
      for (const r of recordStatements(graph.headsOf([...applied]), change)) out(terminated(inline(r.sql, r.params)));
      if (rev.transactional) out('COMMIT;');
      if (!project.multi) out('');
    }
    if (project.multi) out('');
  }
  return ExitCode.ok;
}

function printEvent(e: StepEvent, dryRun: boolean, multi: boolean): void {
  if (e.type === 'revision-start') {
    const arrow = e.direction === 'upgrade' ? `${e.from} -> ${e.revision.id}` : `${e.revision.id} -> ${parents(e.revision.downRevision)}`;
    out(`${dryRun ? '[dry run] ' : ''}${multi ? `[${e.database}] ` : ''}Running ${e.direction} ${arrow}, ${e.revision.message}`);
  } else if (e.type === 'statement' && e.sql) {
    // The whole statement, never cut: what changes the data must be readable in the log.
    const lines = e.sql.split('\n');
    lines[lines.length - 1] += `  (${(e.ms ?? 0).toFixed(1)} ms)`;
    out(style.dim(lines.map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`)).join('\n')));
  }
}

function parents(down: string | readonly string[] | null): string {
  if (down === null) return '<base>';
  return typeof down === 'string' ? down : down.join(', ');
}


export async function runMove(direction: Direction, target: string, options: MoveOptions, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  if (options.sql) return offlineSql(project, direction, target, options.database);
  const history = await loadHistory(project);
  const config = project.config;
  const lockTimeout = parseSeconds(options.lockTimeout, '--lock-timeout') ?? parseSeconds(config.lockTimeout, 'lockTimeout in the config');
  const statementTimeout =
    parseSeconds(options.statementTimeout, '--statement-timeout') ?? parseSeconds(config.statementTimeout, 'statementTimeout in the config');
  const lockAttempts = parseAttempts(config.lockAttempts, 'lockAttempts in the config');
  const { multi } = project;
  const result = await withDatabases(project, options.database, (members) =>
    moveTo(members, history, direction, target, {
      primary: project.databases[0].name,
      multi,
      dryRun: options.dryRun,
      ignoreChecksums: options.ignoreChecksums,
      lockTimeout,
      statementTimeout,
      lockAttempts,
      onNotice: (message) => err(message),
      onEvent: (e) => printEvent(e, !!options.dryRun, multi),
      onWait: () => err(`another fastedgy migration holds the lock on ${multi ? 'one of the databases' : 'this database'}; waiting for it to finish…`),
    }),
  );
  if (result.ran.length === 0) out(direction === 'upgrade' ? `Nothing to migrate: ${multi ? 'every database is' : 'the database is'} up to date.` : 'Nothing to downgrade.');
  else if (options.dryRun) out(`[dry run] rolled back; ${multi ? 'the databases are' : 'the database is'} unchanged.`);
  const at = (heads: readonly string[]) => (heads.length ? heads.join(', ') : '<base>');
  if (multi) for (const [name, heads] of Object.entries(result.heads)) out(`${name} is now at ${at(heads)}.`);
  else if (result.ran.length > 0 && !options.dryRun) out(`Database is now at ${at(Object.values(result.heads)[0])}.`);
  return ExitCode.ok;
}
