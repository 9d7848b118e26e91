/**
 * The edge where a command meets the outside: the project on disk, the
 * database connection (always closed), the revision files and their graph.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { err, registerSecret } from './output.js';
import { dirname, join } from 'node:path';
import { loadProject } from '../config/project.js';
import type { DatabaseEntry, DatabaseTarget, Project, ProjectOptions } from '../config/project.js';
import { openEmbedded, openServer } from '../db/connect.js';
import { describeHolder, lockDirectory } from '../db/embedded-lock.js';
import type { Database } from '../db/database.js';
import { UsageError, UserError } from '../errors.js';
import { loadRevisions } from '../revisions/files.js';
import type { RevisionFile } from '../revisions/files.js';
import { buildGraph } from '../revisions/graph.js';
import type { RevisionGraph } from '../revisions/graph.js';

export interface GlobalOptions {
  readonly config?: string;
  readonly databaseUrl?: string;
  readonly json?: boolean;
  readonly debug?: boolean;
}

export async function openProject(options: GlobalOptions): Promise<Project> {
  const projectOptions: ProjectOptions = { config: options.config, databaseUrl: options.databaseUrl };
  return loadProject(projectOptions);
}

export async function connect(project: Project): Promise<Database> {
  return connectTarget(project.database);
}

export async function connectTarget(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'server') {
    registerSecret(target.url);
    return openServer(target.url);
  }
  // The embedded database is created on first use: there is no server to set up.
  mkdirSync(dirname(target.dataDir), { recursive: true });
  const unlock = await lockDirectory(target.dataDir, (h) => err(`another fastedgy process (${describeHolder(h)}) is using the embedded database; waiting for it to finish…`));
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

export async function withDatabase<T>(project: Project, body: (db: Database) => Promise<T>, target: DatabaseTarget = project.database): Promise<T> {
  // A multi-database project has no one database: a command that reached
  // here without choosing one would silently act on the wrong place.
  if (project.databases && target === project.database)
    throw new UserError('this command works on one database, and this project has several', { hint: 'name one with --database NAME' });
  const db = await connectTarget(target);
  try {
    return await body(db);
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** One database of a multi-database project, connected. */
export interface Member {
  readonly name: string;
  readonly entry: DatabaseEntry;
  readonly db: Database;
}

/**
 * Opens every database of a multi-database project (or the one `only`
 * names), in the config's order, and closes them all afterwards.
 */
export async function withDatabases<T>(project: Project, only: string | undefined, body: (members: Member[]) => Promise<T>): Promise<T> {
  const entries = selectDatabases(project, only);
  const members: Member[] = [];
  try {
    for (const entry of entries) members.push({ name: entry.name, entry, db: await connectTarget(entry.target) });
    return await body(members);
  } finally {
    for (const m of members) await m.db.close().catch(() => undefined);
  }
}

export function selectDatabases(project: Project, only: string | undefined): readonly DatabaseEntry[] {
  const all = project.databases ?? [];
  if (only === undefined) return all;
  const one = all.find((d) => d.name === only);
  if (!one) throw new UsageError(`no database "${only}" in the config`, all.length ? `the databases are: ${all.map((d) => d.name).join(', ')}` : 'this project has a single database: leave out --database');
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
