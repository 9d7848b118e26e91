/**
 * `fastedgy db pull [--out FILE] [--force] [--baseline]`: writes the models
 * of an existing database (source/pull/ does the reading and the writing of
 * text), lists what they cannot express, and checks right away that
 * `makemigrations` would find nothing to do. `--baseline` also writes a first
 * revision that creates the whole schema and records it as applied.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Project } from '../../config/project.js';
import { introspect } from '../../db/introspect.js';
import { ExitCode, UserError } from '../../errors.js';
import { writeRevision } from '../../make/make-revision.js';
import { compare, FactCache, readSides } from '../../make/compare.js';
import { describeOperation } from '../../ops/describe.js';
import { baselineOperations } from '../../pull/baseline.js';
import { readUnmodelled } from '../../pull/read-unmodelled.js';
import { renderModels } from '../../pull/render-models.js';
import { stamp } from '../../runner/migrate.js';
import { readVersionState } from '../../runner/version-table.js';
import { json, out, style } from '../output.js';
import { ensureMigrationsDir, loadHistory, openProject, readTemplate, withDatabases } from '../session.js';
import type { GlobalOptions } from '../session.js';

export interface Options {
  out?: string;
  force?: boolean;
  baseline?: boolean;
}

const STARTER = fileURLToPath(new URL('../../../templates/default/models.ts.tmpl', import.meta.url));

/** The models file `init` writes holds no model yet: replacing it loses nothing. */
function isStarterFile(file: string): boolean {
  return existsSync(STARTER) && readFileSync(file, 'utf8') === readFileSync(STARTER, 'utf8');
}

function sourceText(project: Project): string {
  const target = project.databases[0].target;
  if (target.kind === 'embedded') return `the embedded database (${relative(project.dir, target.dataDir)})`;
  try {
    const u = new URL(target.url);
    u.password = '';
    return `${u.toString()} (from ${target.source})`;
  } catch {
    return `the database from ${target.source}`;
  }
}

export async function run(_args: unknown[], options: Options, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  if (project.multi)
    throw new UserError('pull works on a project with one database; this one has several', {
      hint: 'pull each database from a single-database config (--config), or with --database-url into its own --out file',
    });
  const cwd = process.cwd();
  const modelFiles = project.databases[0].modelFiles;
  const outFile = options.out ? resolve(cwd, options.out) : modelFiles.length === 1 ? modelFiles[0] : join(project.dir, 'models.ts');
  const shown = relative(cwd, outFile) || outFile;
  if (existsSync(outFile) && !options.force && !isStarterFile(outFile))
    throw new UserError(`${shown} exists; pull does not overwrite it`, { hint: 'pass --force to replace it, or --out FILE to write elsewhere' });

  let history = null as Awaited<ReturnType<typeof loadHistory>> | null;
  let template = '';
  if (options.baseline) {
    if (existsSync(project.migrationsDir)) {
      history = await loadHistory(project);
      if (history.revisions.length > 0)
        throw new UserError(`--baseline starts a history, and ${relative(cwd, project.versionsDir) || project.versionsDir} already holds ${history.revisions.length} revision(s)`, {
          hint: 'pull without --baseline, or start from an empty migrations directory',
        });
    }
  }

  const result = await withDatabases(project, undefined, async ([{ db }]) => {
    const schema = await introspect(db);
    const unmodelled = await readUnmodelled(db);
    if (options.baseline) {
      const state = await readVersionState(db);
      if (state.heads.length > 0)
        throw new UserError(`--baseline: the database is already at revision ${state.heads.join(', ')}`, { hint: 'pull without --baseline' });
      ensureMigrationsDir(project);
      history = await loadHistory(project);
      template = readTemplate(project);
    }
    const pulled = renderModels({ schema, unmodelled: unmodelled.lines, source: sourceText(project), date: new Date() });
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, pulled.text);

    // The proof a user would run next: the models against this database.
    const sides = await readSides(db, [outFile]);
    const diff = await compare(sides, {}, new FactCache(db));
    const changes = diff.operations.map(describeOperation);

    let baseline: { revision: string; file: string } | null = null;
    if (options.baseline && history) {
      const ops = baselineOperations(schema, unmodelled.sequences);
      const written = writeRevision(
        { versionsDir: project.versionsDir, template, graph: history.graph, multi: false },
        [{ database: project.databases[0].name, operations: ops }],
        { message: 'baseline' },
      );
      if (written.status === 'written' || written.status === 'rendered') {
        await stamp(db, await loadHistory(project), written.revision);
        baseline = { revision: written.revision, file: written.file };
      }
    }
    return { pulled, changes, baseline };
  });

  const { pulled, changes, baseline } = result;
  const configReads = modelFiles.includes(outFile);
  if (globals.json) {
    json({
      file: outFile,
      ...pulled.counts,
      unsupported: pulled.unsupported,
      changes,
      baseline,
      configReadsFile: configReads,
    });
    return ExitCode.ok;
  }
  const c = pulled.counts;
  out(`Wrote ${shown}: ${c.models} model(s), ${c.enums} enum(s), ${c.views} view(s)${c.manyToMany ? `, ${c.manyToMany} many-to-many field(s)` : ''}.`);
  if (pulled.unsupported.length) {
    out(`Not expressed by the models (listed at the top of ${shown}; left in the database as they are):`);
    for (const u of pulled.unsupported) out(`  ${style.yellow('!')} ${u}`);
  }
  if (changes.length === 0) out('Checked: makemigrations finds no changes against this database.');
  else {
    out(`makemigrations would still propose ${changes.length} change(s), from what the models cannot express:`);
    for (const ch of changes) out(`  - ${ch}`);
  }
  if (baseline) {
    out(`Wrote the baseline revision ${relative(cwd, baseline.file) || baseline.file} and recorded it as applied (nothing was run).`);
  }
  if (!configReads)
    out(`${style.yellow('note:')} the config reads its models from ${modelFiles.map((f) => relative(cwd, f) || f).join(', ')}; point it at ${shown} to use them.`);
  return ExitCode.ok;
}
