/**
 * The edge where a command meets the outside: the project on disk, the
 * database connection (always closed), the revision files and their graph.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { err, registerSecret } from './output.js';
import { dirname, join } from 'node:path';
import { loadProject } from '../config/project.js';
import type { Project, ProjectOptions } from '../config/project.js';
import { openEmbedded, openServer } from '../db/connect.js';
import { lockDirectory } from '../db/embedded-lock.js';
import type { Database } from '../db/database.js';
import { UserError } from '../errors.js';
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
  const target = project.database;
  if (target.kind === 'server') {
    registerSecret(target.url);
    return openServer(target.url);
  }
  // The embedded database is created on first use: there is no server to set up.
  mkdirSync(dirname(target.dataDir), { recursive: true });
  const unlock = await lockDirectory(target.dataDir, () => err('another fastedgy process is using the embedded database; waiting for it to finish…'));
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

export async function withDatabase<T>(project: Project, body: (db: Database) => Promise<T>): Promise<T> {
  const db = await connect(project);
  try {
    return await body(db);
  } finally {
    await db.close().catch(() => undefined);
  }
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
