/**
 * `fastedgy db init`: the config file (when missing), a starter models file
 * (when missing), and the migrations directory with its revision template.
 * Never overwrites a file that exists.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findConfig } from '../../config/project.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../errors.js';
import { out } from '../output.js';
import { openProject } from '../session.js';
import type { GlobalOptions } from '../session.js';

/** The embedded database lives under .fastedgy/: it never belongs in version control. */
function ignoreEmbedded(dir: string, wrote: string[]): void {
  const file = join(dir, '.gitignore');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (text.split(/\r?\n/).some((l) => /^\/?\.fastedgy\/?$/.test(l.trim()))) return;
  writeFileSync(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}.fastedgy/\n`);
  wrote.push(file);
}

const TEMPLATES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../templates');

export async function run(_args: unknown[], options: { template?: string }, globals: GlobalOptions): Promise<number> {
  const name = options.template ?? 'default';
  const templateDir = join(TEMPLATES, name);
  if (!/^[\w-]+$/.test(name) || !existsSync(templateDir)) {
    const known = existsSync(TEMPLATES) ? readdirSync(TEMPLATES).join(', ') : '';
    throw new UsageError(`unknown template "${name}"`, `templates: ${known}`);
  }
  const wrote: string[] = [];
  const write = (file: string, text: string) => {
    if (existsSync(file)) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    wrote.push(file);
  };
  const cwd = process.cwd();
  const existing = globals.config ? resolve(globals.config) : findConfig(cwd);
  if (!existing) write(join(cwd, 'fastedgy.config.ts'), readFileSync(join(templateDir, 'fastedgy.config.ts.tmpl'), 'utf8'));
  const project = await openProject(globals, { requireConfig: false });
  ignoreEmbedded(project.dir, wrote);
  const modelFiles = project.databases.flatMap((d) => d.modelFiles);
  for (const file of modelFiles) if (!existsSync(file)) write(file, readFileSync(join(templateDir, 'models.ts.tmpl'), 'utf8'));
  mkdirSync(project.versionsDir, { recursive: true });
  write(join(project.migrationsDir, 'script.ts.tmpl'), readFileSync(join(templateDir, 'script.ts.tmpl'), 'utf8'));
  if (wrote.length === 0) out('Nothing to do: the project is already initialised.');
  for (const f of wrote) out(`Wrote ${relative(cwd, f) || f}`);
  out(`Migrations directory: ${relative(cwd, project.migrationsDir) || '.'}`);
  return ExitCode.ok;
}
