/**
 * Finding the project (the nearest directory with a config file, so every
 * command works from a subdirectory), reading its config, and choosing the
 * database: --database-url, then DATABASE_URL (a `.env` beside the config is
 * read), then the config, then the embedded database under `.fastedgy/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { importModule, useModuleCache } from '../util/import-module.js';
import type { FastedgyConfig } from './types.js';

export const CONFIG_NAMES = ['fastedgy.config.ts', 'fastedgy.config.mts', 'fastedgy.config.js', 'fastedgy.config.mjs', 'fastedgy.config.json'];

export interface Project {
  readonly dir: string;
  /** null when the project has no config file yet (before `init`). */
  readonly configFile: string | null;
  readonly config: FastedgyConfig;
  readonly migrationsDir: string;
  readonly versionsDir: string;
  /**
   * Every database of the project, each with its models and connection, in
   * the config's order; never empty. A single-database config is the list of
   * one, named `default`.
   */
  readonly databases: readonly DatabaseEntry[];
  /**
   * The config names its databases (`databases: {…}`). Only output and file
   * shapes depend on it: revision files with a section per database,
   * question ids and lines prefixed with the database's name.
   */
  readonly multi: boolean;
}

/** The name of the one database of a single-database project. */
export const DEFAULT_DATABASE = 'default';

export interface DatabaseEntry {
  readonly name: string;
  readonly modelFiles: readonly string[];
  readonly target: DatabaseTarget;
}

export type DatabaseTarget =
  | { readonly kind: 'server'; readonly url: string; readonly source: string }
  | { readonly kind: 'embedded'; readonly dataDir: string };

export function findConfig(from: string): string | null {
  let dir = resolve(from);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function loadDotEnv(dir: string): void {
  const file = join(dir, '.env');
  if (!existsSync(file)) return;
  // Values already in the environment win, as with every dotenv loader.
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    let value = m[2];
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    if (process.env[m[1]] === undefined) process.env[m[1]] = value;
  }
}

async function readConfig(file: string): Promise<FastedgyConfig> {
  try {
    if (file.endsWith('.json')) return JSON.parse(readFileSync(file, 'utf8')) as FastedgyConfig;
    const mod = await importModule(file);
    const config = (mod.default ?? mod.config ?? mod) as FastedgyConfig;
    if (typeof config !== 'object' || config === null) throw new Error('it does not export a config object (export default defineConfig({...}))');
    return config;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot load the config ${file}: ${(e as Error).message}`);
  }
}

export interface ProjectOptions {
  readonly cwd?: string;
  readonly config?: string;
  readonly databaseUrl?: string;
}

export async function loadProject(options: ProjectOptions = {}): Promise<Project> {
  const cwd = options.cwd ?? process.cwd();
  let configFile: string | null;
  if (options.config) {
    configFile = resolve(cwd, options.config);
    if (!existsSync(configFile)) throw new UserError(`config file not found: ${configFile}`);
  } else {
    configFile = findConfig(cwd);
  }
  const dir = configFile ? dirname(configFile) : resolve(cwd);
  loadDotEnv(dir);
  if (configFile) useModuleCache(dir);
  const config = configFile ? await readConfig(configFile) : {};
  const migrationsDir = resolve(dir, config.migrations ?? './migrations');
  const multi = !!config.databases;
  const databases = config.databases ? databaseEntries(dir, config.databases, configFile) : [singleEntry(dir, config, options)];
  return { dir, configFile, config, migrationsDir, versionsDir: join(migrationsDir, 'versions'), databases, multi };
}

/** The one database of a config without `databases`. */
function singleEntry(dir: string, config: FastedgyConfig, options: ProjectOptions): DatabaseEntry {
  const models = config.models ?? './models.ts';
  const modelFiles = (Array.isArray(models) ? models : [models as string]).map((m) => resolve(dir, m));
  const url = options.databaseUrl ?? process.env.DATABASE_URL ?? config.databaseUrl;
  const source = options.databaseUrl ? '--database-url' : process.env.DATABASE_URL ? 'DATABASE_URL' : 'the config';
  const target: DatabaseTarget = url ? { kind: 'server', url, source } : { kind: 'embedded', dataDir: join(dir, '.fastedgy', 'pgdata') };
  return { name: DEFAULT_DATABASE, modelFiles, target };
}

/**
 * The `databases` of a multi-database config. Each name becomes a section of
 * the revision files and a prefix of question ids, so it must be a plain
 * identifier. A database without `url` is an embedded one of its own under
 * `.fastedgy/<name>/`; `DATABASE_URL_<NAME>` (upper case) overrides a URL,
 * as DATABASE_URL does for a single database.
 */
function databaseEntries(dir: string, databases: NonNullable<FastedgyConfig['databases']>, configFile: string | null): DatabaseEntry[] {
  const entries = Object.entries(databases);
  if (entries.length === 0) throw new UserError(`the config ${configFile ?? ''} has an empty \`databases\``, { hint: 'name at least one database, or use `models` and `databaseUrl`' });
  return entries.map(([name, db]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new UserError(`database name "${name}" in ${configFile ?? 'the config'} is not a plain identifier`, { hint: 'use letters, digits and _ (it names a section of each revision file)' });
    if (!db || (typeof db.models !== 'string' && !Array.isArray(db.models)))
      throw new UserError(`database "${name}" in ${configFile ?? 'the config'} has no \`models\``, { hint: 'give it models: \'./path/to/models.ts\'' });
    const envName = `DATABASE_URL_${name.toUpperCase()}`;
    const url = process.env[envName] ?? db.url;
    const target: DatabaseTarget = url
      ? { kind: 'server', url, source: process.env[envName] ? envName : 'the config' }
      : { kind: 'embedded', dataDir: join(dir, '.fastedgy', name, 'pgdata') };
    const models = typeof db.models === 'string' ? [db.models] : [...db.models];
    return { name, modelFiles: models.map((m) => resolve(dir, m)), target };
  });
}
