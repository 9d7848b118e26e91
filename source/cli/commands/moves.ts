/**
 * What `migrate` and `downgrade` share: loading the history, `--sql`
 * (move-sql.ts), and the Alembic-style lines printed while revisions run. In a multi-database
 * project every database moves together (or the one `--database` names),
 * each line says which database it is about, and `--sql` heads each
 * database's SQL with its name.
 */
import { ExitCode } from '../../errors.js';
import type { Direction } from '../../runner/collect.js';
import { moveTo } from '../../runner/migrate.js';
import type { StepEvent } from '../../runner/migrate.js';
import { parseAttempts, parseSeconds } from '../../runner/timeouts.js';
import { progressHandler } from '../../db/run-progress.js';
import { err, out, style } from '../output.js';
import { progressReporter } from '../progress.js';
import { loadHistory, openProject, sideConnection, withDatabases } from '../session.js';
import type { GlobalOptions } from '../session.js';

export interface MoveOptions {
  sql?: boolean;
  /** With --sql: read the database and print the script as it would run on it now. */
  live?: boolean;
  dryRun?: boolean;
  ignoreChecksums?: boolean;
  /** Seconds, as typed after --lock-timeout / --statement-timeout (they win over the config). */
  lockTimeout?: string;
  statementTimeout?: string;
  /** In a multi-database project: move only this database. */
  database?: string;
}

function printEvent(e: StepEvent, dryRun: boolean, multi: boolean): void {
  if (e.type === 'revision-start') {
    const arrow = e.direction === 'upgrade' ? `${e.from} -> ${e.revision.id}` : `${e.revision.id} -> ${parents(e.revision.downRevision)}`;
    out(`${dryRun ? '[dry run] ' : ''}${multi ? `[${e.database}] ` : ''}Running ${e.direction} ${arrow}, ${e.revision.message}`);
  } else if (e.type === 'statement' && e.sql) {
    // The whole statement, never cut: what changes the data must be readable in the log.
    const lines = e.sql.split('\n');
    if (e.ms !== undefined) lines[lines.length - 1] += `  (${e.ms.toFixed(1)} ms)`;
    out(style.dim(lines.map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`)).join('\n')));
  }
}

function parents(down: string | readonly string[] | null): string {
  if (down === null) return '<base>';
  return typeof down === 'string' ? down : down.join(', ');
}


export async function runMove(direction: Direction, target: string, options: MoveOptions, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  const config = project.config;
  const lockTimeout = parseSeconds(options.lockTimeout, '--lock-timeout') ?? parseSeconds(config.lockTimeout, 'lockTimeout in the config');
  const statementTimeout =
    parseSeconds(options.statementTimeout, '--statement-timeout') ?? parseSeconds(config.statementTimeout, 'statementTimeout in the config');
  // PostgreSQL's scanner (a WebAssembly module) loads only for `--sql`, not for a migrate that runs.
  if (options.sql) return (await import('./move-sql.js')).printMoveSql(project, direction, target, options.database, { lockTimeout, statementTimeout }, !!options.live);
  const history = await loadHistory(project);
  const lockAttempts = parseAttempts(config.lockAttempts, 'lockAttempts in the config');
  const { multi } = project;
  // A bar for batched backfills and concurrent index builds, on stderr; the run's lines clear it first.
  const bar = progressReporter();
  const result = await withDatabases(project, options.database, (members) =>
    moveTo(members, history, direction, target, {
      primary: project.databases[0].name,
      multi,
      dryRun: options.dryRun,
      ignoreChecksums: options.ignoreChecksums,
      lockTimeout,
      statementTimeout,
      lockAttempts,
      onNotice: (message) => (bar.clear(), err(message)),
      onEvent: (e) => (bar.clear(), printEvent(e, !!options.dryRun, multi)),
      onProgress: progressHandler(bar.update, sideConnection(members)),
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
