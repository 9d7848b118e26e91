/**
 * The edge where a command meets the outside: the project on disk, the
 * database connection (always closed), the revision files and their graph.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { err, registerSecret, style } from './output.js';
import { dirname, join } from 'node:path';
import { CONFIG_NAMES, loadProject } from '../config/project.js';
import type { DatabaseEntry, DatabaseTarget, Project, ProjectOptions } from '../config/project.js';
import { openEmbedded, openServer } from '../db/connect.js';
import { describeHolder, lockDirectory } from '../db/embedded-lock.js';
import type { Database } from '../db/database.js';
import { UsageError, UserError } from '../errors.js';
import { loadRevisions } from '../revisions/files.js';
import type { RevisionFile } from '../revisions/files.js';
import { buildGraph } from '../revisions/graph.js';
import { historyProblems } from '../runner/history-check.js';
import { readVersionState } from '../runner/version-table.js';
import type { RevisionGraph } from '../revisions/graph.js';

export interface GlobalOptions {
  readonly config?: string;
  readonly databaseUrl?: string;
  readonly json?: boolean;
  readonly debug?: boolean;
}

/**
 * The project of the current directory (or --config). Outside a project
 * every command but `init` stops here, before it creates anything (no
 * migrations directory, no embedded database), and says what it looked for.
 */
export async function openProject(options: GlobalOptions, { requireConfig = true } = {}): Promise<Project> {
  const projectOptions: ProjectOptions = { config: options.config, databaseUrl: options.databaseUrl };
  const project = await loadProject(projectOptions);
  if (requireConfig && project.configFile === null)
    throw new UserError(`no fastedgy config found: looked for ${CONFIG_NAMES.join(', ')} in ${process.cwd()} and every directory above it`, {
      hint: 'run `fastedgy db init` here to create one, or pass --config PATH',
    });
  return project;
}

/** The models modules must exist before anything is created for them. */
export function assertModelFiles(project: Project): void {
  for (const entry of project.databases)
    for (const file of entry.modelFiles)
      if (!existsSync(file))
        throw new UserError(`models module not found: ${file} (named by ${project.configFile ?? 'the config'})`, {
          hint: 'create it (`fastedgy db init` writes a starter one) or fix `models` in the config',
        });
}

/**
 * This process's command as the lock file records it, `fastedgy db browse`:
 * the words before the first option, never an option's value (a
 * --database-url holds a password).
 */
function runningCommand(): string {
  const words: string[] = [];
  for (const a of process.argv.slice(2)) {
    if (a.startsWith('-') || words.length >= 3) break;
    words.push(a);
  }
  return ['fastedgy', ...words].join(' ');
}

export async function connectTarget(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'server') {
    registerSecret(target.url);
    return openServer(target.url);
  }
  // The embedded database is created on first use: there is no server to set up.
  mkdirSync(dirname(target.dataDir), { recursive: true });
  const unlock = await lockDirectory(
    target.dataDir,
    (h) => err(`another fastedgy process (${describeHolder(h)}) is using the embedded database; waiting for it to finish (quit it, or Ctrl-C here to stop waiting)…`),
    runningCommand(),
  );
  try {
    const db = await openEmbedded(target.dataDir);
    const close = async () => {
      try {
        await db.close();
      } finally {
        unlock();
      }
    };
    return { ...db, close };
  } catch (e) {
    unlock();
    throw e;
  }
}

/** One database of the project, connected. */
export interface Member {
  readonly name: string;
  readonly entry: DatabaseEntry;
  readonly db: Database;
  readonly modelFiles: readonly string[];
}

/**
 * Opens the project's databases (every one, or the one `only` names), in the
 * config's order, and closes them all afterwards.
 */
export async function withDatabases<T>(project: Project, only: string | undefined, body: (members: Member[]) => Promise<T>): Promise<T> {
  const entries = selectDatabases(project, only);
  const members: Member[] = [];
  try {
    for (const entry of entries) members.push({ name: entry.name, entry, db: await connectTarget(entry.target), modelFiles: entry.modelFiles });
    return await body(members);
  } finally {
    for (const m of members) await m.db.close().catch(() => undefined);
  }
}

/**
 * A second connection beside the first, to read a concurrent index build's
 * progress while the first runs it: only for one server database (the
 * embedded database has a single connection; several databases would leave
 * unsaid which one is building).
 */
export function sideConnection(members: readonly Member[]): (() => Promise<Database>) | undefined {
  const target = members.length === 1 ? members[0].entry.target : undefined;
  return target?.kind === 'server' ? () => openServer(target.url) : undefined;
}

export function selectDatabases(project: Project, only: string | undefined): readonly DatabaseEntry[] {
  const all = project.databases;
  if (only === undefined) return all;
  if (!project.multi)
    throw new UsageError('--database names one database of a multi-database project; this project has one database', 'leave out --database');
  const one = all.find((d) => d.name === only);
  if (!one) throw new UsageError(`no database "${only}" in the config`, `the databases are: ${all.map((d) => d.name).join(', ')}`);
  return [one];
}

export interface History {
  readonly revisions: RevisionFile[];
  readonly graph: RevisionGraph;
}

export async function loadHistory(project: Project): Promise<History> {
  if (!existsSync(project.migrationsDir))
    throw new UserError(`no migrations directory at ${project.migrationsDir}`, { hint: 'run `fastedgy db init` first' });
  const revisions = await loadRevisions(project.versionsDir);
  const graph = buildGraph(revisions);
  return { revisions, graph };
}

/**
 * makemigrations in a project that never ran `init`: the migrations
 * directory is created with the default template (as `init` would), and
 * the user is told where it went.
 */
export function ensureMigrationsDir(project: Project): void {
  if (existsSync(project.migrationsDir)) return;
  mkdirSync(project.versionsDir, { recursive: true });
  copyFileSync(new URL('../../templates/default/script.ts.tmpl', import.meta.url), join(project.migrationsDir, 'script.ts.tmpl'));
  err(`Created ${project.migrationsDir} with the default revision template.`);
}

export function readTemplate(project: Project): string {
  const file = join(project.migrationsDir, 'script.ts.tmpl');
  if (!existsSync(file)) throw new UserError(`missing revision template ${file}`, { hint: 'run `fastedgy db init` to write it' });
  return readFileSync(file, 'utf8');
}

/**
 * The template new revisions are rendered from. A multi-database project
 * whose template has no section slots (it grew a second database) gets the
 * bundled multi-database template, so it needs no edit to keep working.
 */
export function revisionTemplate(project: Project): string {
  if (!project.multi) return readTemplate(project);
  const own = existsSync(join(project.migrationsDir, 'script.ts.tmpl')) ? readTemplate(project) : '';
  if (own.includes('${upgradeSections}')) return own;
  return readFileSync(new URL('../../templates/multidb/script.ts.tmpl', import.meta.url), 'utf8');
}

/**
 * Problems with the applied history (an applied revision edited or missing),
 * said on stderr by the commands that do not stop for them (`current`,
 * `makemigrations`), so they are not found only at the next migrate.
 */
export async function warnHistory(history: History, members: readonly Member[], multi: boolean): Promise<void> {
  for (const m of members) {
    const problems = historyProblems(history, await readVersionState(m.db));
    for (const p of problems) err(style.yellow(`warning: ${multi ? `database ${m.name}: ` : ''}${p}`, process.stderr));
  }
}
