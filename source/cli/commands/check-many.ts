/**
 * `check` in a multi-database project: each database (or the one
 * `--database` names) against the revision files and its own models; exit 3
 * when any of them differs, with each difference under its database's name.
 */
import type { Project } from '../../config/project.js';
import { ExitCode } from '../../errors.js';
import { compare, FactCache, readSides } from '../../make/compare.js';
import { describeOperation } from '../../ops/describe.js';
import { historyProblems } from '../../runner/migrate.js';
import { readVersionState } from '../../runner/version-table.js';
import { json, out } from '../output.js';
import { loadHistory, withDatabases } from '../session.js';
import type { GlobalOptions } from '../session.js';

export async function checkMany(project: Project, only: string | undefined, globals: GlobalOptions): Promise<number> {
  const history = await loadHistory(project);
  const reports = await withDatabases(project, only, async (members) => {
    const all = [];
    for (const m of members) {
      const state = await readVersionState(m.db);
      const problems = historyProblems(history, state);
      const pending = history.graph.upgradePlan(state.heads, history.graph.heads().length > 1 ? 'heads' : 'head');
      const diff = await compare(await readSides(m.db, m.entry.modelFiles), {}, new FactCache(m.db));
      all.push({ database: m.name, problems, pending, changes: diff.operations.map(describeOperation), questions: diff.questions.map((q) => q.id) });
    }
    return all;
  });
  const differs = reports.some((r) => r.problems.length + r.pending.length + r.changes.length > 0);
  if (globals.json) {
    json({ ok: !differs, databases: Object.fromEntries(reports.map(({ database, ...r }) => [database, r])) });
    return differs ? ExitCode.differences : ExitCode.ok;
  }
  for (const r of reports) {
    if (r.problems.length + r.pending.length + r.changes.length === 0) {
      out(`${r.database}: no differences (at head, matches its models).`);
      continue;
    }
    for (const p of r.problems) out(`${r.database}: ! ${p}`);
    if (r.pending.length) out(`${r.database}: revisions not applied: ${r.pending.join(', ')} (run \`fastedgy db migrate\`)`);
    if (r.changes.length) {
      out(`${r.database}: the models differ from the database (run \`fastedgy db makemigrations\`):`);
      for (const c of r.changes) out(`  - ${c}`);
    }
  }
  return differs ? ExitCode.differences : ExitCode.ok;
}
