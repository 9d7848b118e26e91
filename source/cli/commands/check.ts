/**
 * `fastedgy db check`: exit 3 with a readable list when the models, the
 * revision files and the database disagree — revisions not applied (or
 * applied and then edited), or model changes no revision holds yet.
 */
import { ExitCode } from '../../errors.js';
import { compare, FactCache, readSides } from '../../make/compare.js';
import { describeOperation } from '../../ops/describe.js';
import { historyProblems } from '../../runner/migrate.js';
import { readVersionState } from '../../runner/version-table.js';
import { err, json, out, style } from '../output.js';
import { formatLint, lintRevisions } from '../../lint/lint.js';
import { loadHistory, openProject, withDatabase } from '../session.js';
import type { GlobalOptions } from '../session.js';

export async function run(_args: unknown[], options: { database?: string }, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  if (project.databases) return (await import('./check-many.js')).checkMany(project, options.database, globals);
  const history = await loadHistory(project);
  const report = await withDatabase(project, async (db) => {
    const state = await readVersionState(db);
    const problems = historyProblems(history, state);
    const pending = history.graph.upgradePlan(state.heads, history.graph.heads().length > 1 ? 'heads' : 'head');
    const sides = await readSides(db, project.modelFiles);
    // Answers do not matter here: any change at all is a difference.
    const diff = await compare(sides, {}, new FactCache(db));
    return { problems, pending, changes: diff.operations.map(describeOperation), questions: diff.questions.map((q) => q.id) };
  });
  // The lint (issue 5): every revision file, warnings on stderr only; the exit code stays about differences.
  const lint = formatLint(await lintRevisions(history.revisions), 'They do not change the exit code of `check`, which is only about differences.', (t) => style.yellow(t, process.stderr));
  for (const line of lint) err(line);
  const differs = report.problems.length + report.pending.length + report.changes.length > 0;
  if (globals.json) {
    json({ ok: !differs, ...report });
    return differs ? ExitCode.differences : ExitCode.ok;
  }
  if (!differs) {
    out('No differences: the database is at head and matches the models.');
    return ExitCode.ok;
  }
  for (const p of report.problems) out(`! ${p}`);
  if (report.pending.length) out(`Revisions not applied to the database: ${report.pending.join(', ')} (run \`fastedgy db migrate\`)`);
  if (report.changes.length) {
    out('The models differ from the database (run `fastedgy db makemigrations`):');
    for (const c of report.changes) out(`  - ${c}`);
  }
  return ExitCode.differences;
}
