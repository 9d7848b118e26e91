/**
 * Where `pull` writes each database's models. Pure: the project's databases
 * and the options in, a file per database out (or the one clear refusal).
 *
 * One database: `--out FILE`, else the config's models file when it names
 * exactly one, else `models.ts` beside the config. Several databases: each
 * into its own file — the one its config entry names, else `<name>.models.ts`
 * beside the config — and `--out` names a directory that receives
 * `<name>.ts` for each, since one file cannot hold two databases' models
 * (each database's models are compared with that database alone).
 */
import { join, relative, resolve } from 'node:path';
import type { DatabaseEntry } from '../config/project.js';
import { UserError } from '../errors.js';

export interface OutTarget {
  readonly entry: DatabaseEntry;
  readonly file: string;
}

export interface OutInput {
  readonly dir: string;
  readonly cwd: string;
  readonly multi: boolean;
  /** The databases to pull (every one, or the one `--database` names). */
  readonly entries: readonly DatabaseEntry[];
  readonly out?: string;
}

export function outFiles(input: OutInput): OutTarget[] {
  const { dir, cwd, entries } = input;
  // A single database of a multi-database project (--database) is written like the only one of a project.
  if (entries.length === 1) {
    const [entry] = entries;
    const fallback = input.multi ? join(dir, `${entry.name}.models.ts`) : join(dir, 'models.ts');
    return [{ entry, file: input.out ? resolve(cwd, input.out) : entry.modelFiles.length === 1 ? entry.modelFiles[0] : fallback }];
  }
  const targets = entries.map((entry) => ({
    entry,
    file: input.out ? join(resolve(cwd, input.out), `${entry.name}.ts`) : entry.modelFiles.length === 1 ? entry.modelFiles[0] : join(dir, `${entry.name}.models.ts`),
  }));
  const seen = new Map<string, string>();
  for (const t of targets) {
    const other = seen.get(t.file);
    if (other)
      throw new UserError(`databases ${other} and ${t.entry.name} would both be pulled into ${relative(cwd, t.file) || t.file}`, {
        hint: 'give each database its own models file in the config, or pass --out DIR to write DIR/<database>.ts for each',
      });
    seen.set(t.file, t.entry.name);
  }
  return targets;
}
