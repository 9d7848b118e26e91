/**
 * `fastedgy db pull [--out FILE|DIR] [--force] [--baseline] [--database NAME]`:
 * writes the models of an existing database (source/pull/ does the reading
 * and the writing of text), lists what they cannot express, and checks right
 * away that `makemigrations` would find nothing to do. In a multi-database
 * project each database goes into its own models file (pull/out-files.ts).
 * `--baseline` also writes a first revision that creates the whole schema
 * (a section per database), proven up -> down -> up before it is written,
 * and records it as applied in each database.
 *
 * Nothing is written until everything that can refuse has: existing files,
 * existing revisions, databases already stamped, and the baseline's proof.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseEntry } from '../../config/project.js';
import { introspect } from '../../db/introspect.js';
import { ExitCode, UserError } from '../../errors.js';
import type { Proof, Rendered } from '../../make/make-revision.js';
import { pulledChanges } from '../../pull/check-pulled.js';
import { outFiles } from '../../pull/out-files.js';
import { readUnmodelled } from '../../pull/read-unmodelled.js';
import { renderModels } from '../../pull/render-models.js';
import type { PulledModels } from '../../pull/render-models.js';
import { readVersionState } from '../../runner/version-table.js';
import { warmCompiler } from '../../util/compile-module.js';
import { err, json, out, style } from '../output.js';
import { ensureMigrationsDir, loadHistory, openProject, revisionTemplate, selectDatabases, withDatabases } from '../session.js';
import type { GlobalOptions } from '../session.js';

export interface Options {
  out?: string;
  force?: boolean;
  baseline?: boolean;
  database?: string;
}

/**
 * What only --baseline needs (writing, proving and stamping a revision): a
 * third of the command's start-up when loaded up front, so it is loaded when
 * asked for, while the database is being read.
 */
const baselineModules = () =>
  Promise.all([import('../../make/make-revision.js'), import('../../pull/baseline.js'), import('../../pull/prove-baseline.js'), import('../../runner/migrate.js'), import('./make-report.js')]).then(
    ([{ writeRevision }, { baselineOperations }, { proveBaseline }, { stamp }, { proofLines }]) => ({ writeRevision, baselineOperations, proveBaseline, stamp, proofLines }),
  );

const STARTER = fileURLToPath(new URL('../../../templates/default/models.ts.tmpl', import.meta.url));

/** The models file `init` writes holds no model yet: replacing it loses nothing. */
function isStarterFile(file: string): boolean {
  return existsSync(STARTER) && readFileSync(file, 'utf8') === readFileSync(STARTER, 'utf8');
}

function sourceText(dir: string, entry: DatabaseEntry): string {
  const target = entry.target;
  if (target.kind === 'embedded') return `the embedded database (${relative(dir, target.dataDir)})`;
  try {
    const u = new URL(target.url);
    u.password = '';
    return `${u.toString()} (from ${target.source})`;
  } catch {
    return `the database from ${target.source}`;
  }
}

/** One database's result: its file, what was pulled, what makemigrations would still propose. */
interface PulledDatabase {
  readonly name: string;
  readonly file: string;
  readonly configReads: boolean;
  readonly modelFiles: readonly string[];
  readonly pulled: PulledModels;
  readonly changes: string[];
}

export async function run(_args: unknown[], options: Options, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  const cwd = process.cwd();
  const shown = (file: string) => relative(cwd, file) || file;
  const entries = selectDatabases(project, options.database);
  if (options.baseline && project.multi && options.database)
    throw new UserError('--baseline pulls every database of the project: the baseline is one revision with a section per database, recorded as applied in each', {
      hint: 'leave out --database, or pull without --baseline',
    });
  const targets = outFiles({ dir: project.dir, cwd, multi: project.multi, entries, out: options.out });
  const taken = targets.filter((t) => existsSync(t.file) && !options.force && !isStarterFile(t.file));
  if (taken.length > 0)
    throw new UserError(`${taken.map((t) => shown(t.file)).join(', ')} ${taken.length === 1 ? 'exists' : 'exist'}; pull does not overwrite ${taken.length === 1 ? 'it' : 'them'}`, {
      hint: `pass --force to replace ${taken.length === 1 ? 'it' : 'them'}, or --out ${project.multi && targets.length > 1 ? 'DIR' : 'FILE'} to write elsewhere`,
    });

  if (options.baseline && existsSync(project.migrationsDir)) {
    const history = await loadHistory(project);
    if (history.revisions.length > 0)
      throw new UserError(`--baseline starts a history, and ${shown(project.versionsDir)} already holds ${history.revisions.length} revision(s)`, {
        hint: 'pull without --baseline, or start from an empty migrations directory',
      });
  }

  // The check compiles the written models: the compiler starts while the database is read.
  warmCompiler();
  const forBaseline = options.baseline ? baselineModules() : null;
  // Awaited where the baseline is made; a failure to load before then is not unhandled.
  forBaseline?.catch(() => undefined);
  const who = (name: string) => (project.multi ? `database ${name}: ` : '');
  const result = await withDatabases(project, options.database, async (members) => {
    const read = [];
    for (const m of members) {
      const schema = await introspect(m.db);
      const unmodelled = await readUnmodelled(m.db);
      if (options.baseline) {
        const state = await readVersionState(m.db);
        if (state.heads.length > 0)
          throw new UserError(`--baseline: ${who(m.name)}the database is already at revision ${state.heads.join(', ')}`, { hint: 'pull without --baseline' });
      }
      read.push({ m, schema, unmodelled });
    }

    // The baseline is rendered and proven before any file is written: a failed proof leaves nothing behind.
    let baseline: { rendered: Rendered; proof: Proof } | null = null;
    if (forBaseline) {
      const { writeRevision, baselineOperations, proveBaseline } = await forBaseline;
      ensureMigrationsDir(project);
      const history = await loadHistory(project);
      const sections = read.map(({ m, schema, unmodelled }) => ({ database: m.name, operations: baselineOperations(schema, unmodelled.sequences) }));
      const input = { versionsDir: project.versionsDir, template: revisionTemplate(project), graph: history.graph, multi: project.multi };
      const rendered = writeRevision(input, sections, { message: 'baseline', write: false });
      const proof = await proveBaseline(rendered, project.versionsDir, read.map(({ m, schema }) => ({ db: m.db, schema, ...(project.multi ? { database: m.name } : {}) })));
      baseline = { rendered, proof };
    }

    const pulledDatabases: PulledDatabase[] = [];
    for (const { m, schema, unmodelled } of read) {
      const file = targets.find((t) => t.entry.name === m.name)!.file;
      const pulled = renderModels({ schema, unmodelled: unmodelled.lines, source: sourceText(project.dir, m.entry), date: new Date() });
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, pulled.text);
      // The proof a user would run next: the models against this database.
      const changes = await pulledChanges(m.db, schema, file);
      pulledDatabases.push({ name: m.name, file, configReads: m.modelFiles.includes(file), modelFiles: m.modelFiles, pulled, changes });
    }

    if (baseline && forBaseline) {
      const { stamp } = await forBaseline;
      const { rendered } = baseline;
      mkdirSync(project.versionsDir, { recursive: true });
      writeFileSync(rendered.file, rendered.text);
      const history = await loadHistory(project);
      for (const m of members) await stamp(m.db, history, rendered.revision);
    }
    return { pulledDatabases, baseline };
  });

  const { pulledDatabases, baseline } = result;
  const baselineJson = baseline
    ? {
        revision: baseline.rendered.revision,
        file: baseline.rendered.file,
        proof: { steps: ['upgrade', 'downgrade', 'upgrade'], ms: Math.round(baseline.proof.ms), ...(baseline.proof.unproven ? { unproven: baseline.proof.unproven } : {}) },
      }
    : null;
  if (globals.json) {
    const one = (d: PulledDatabase) => ({ file: d.file, ...d.pulled.counts, unsupported: d.pulled.unsupported, changes: d.changes, configReadsFile: d.configReads });
    if (project.multi) json({ databases: Object.fromEntries(pulledDatabases.map((d) => [d.name, one(d)])), baseline: baselineJson });
    else json({ ...one(pulledDatabases[0]), baseline: baselineJson });
    return ExitCode.ok;
  }
  for (const d of pulledDatabases) {
    const from = project.multi ? ` from database ${d.name}` : '';
    const c = d.pulled.counts;
    out(`Wrote ${shown(d.file)}${from}: ${c.models} model(s), ${c.enums} enum(s), ${c.views} view(s)${c.manyToMany ? `, ${c.manyToMany} many-to-many field(s)` : ''}.`);
    if (d.pulled.unsupported.length) {
      out(`Not expressed by the models (listed at the top of ${shown(d.file)}; left in the database as they are):`);
      for (const u of d.pulled.unsupported) out(`  ${style.yellow('!')} ${u}`);
    }
    if (d.changes.length === 0) out(`Checked: makemigrations finds no changes against ${project.multi ? `database ${d.name}` : 'this database'}.`);
    else {
      out(`makemigrations would still propose ${d.changes.length} change(s)${project.multi ? ` in database ${d.name}` : ''}, from what the models cannot express:`);
      for (const ch of d.changes) out(`  - ${ch}`);
    }
    if (!d.configReads)
      out(
        `${style.yellow('note:')} the config reads ${project.multi ? `database ${d.name}'s` : 'its'} models from ${d.modelFiles.map(shown).join(', ')}; point it at ${shown(d.file)} to use them.`,
      );
  }
  if (baseline && forBaseline) {
    const { proofLines } = await forBaseline;
    const { line, warnings } = proofLines(baseline.proof);
    for (const w of warnings) err(`${style.yellow('!', process.stderr)} ${w}`);
    const where = project.multi ? `each database (${pulledDatabases.map((d) => d.name).join(', ')})` : 'the database';
    out(`Wrote the baseline revision ${shown(baseline.rendered.file)} and recorded it as applied in ${where} (nothing was run).`);
    if (line) out(line);
  }
  return ExitCode.ok;
}
