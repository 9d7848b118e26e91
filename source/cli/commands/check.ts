/**
 * `fastedgy db check`: exit 3 with a readable list when the models, the
 * revision files and the database disagree — revisions not applied (or
 * applied and then edited), or model changes no revision holds yet. In a
 * multi-database project each database (or the one `--database` names) is
 * checked against its own models, each difference under its name.
 */
import { ExitCode } from '../../errors.js';
import { compare, FactCache, readSides } from '../../make/compare.js';
import { describeOperation } from '../../ops/describe.js';
import { historyProblems } from '../../runner/migrate.js';
import { readVersionState } from '../../runner/version-table.js';
import { err, json, out, style } from '../output.js';
import { formatLint, lintRevisions } from '../../lint/lint.js';
import { loadHistory, openProject, withDatabases } from '../session.js';
import type { GlobalOptions } from '../session.js';

interface Report {
  readonly database: string;
  readonly problems: string[];
  readonly pending: string[];
  readonly changes: string[];
  readonly questions: string[];
}

const differs = (r: Report) => r.problems.length + r.pending.length + r.changes.length > 0;

export async function run(_args: unknown[], options: { database?: string; lintAll?: boolean }, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  const history = await loadHistory(project);
  const reports = await withDatabases(project, options.database, async (members) => {
    const all: Report[] = [];
    for (const m of members) {
      const state = await readVersionState(m.db);
      const problems = historyProblems(history, state);
      const pending = history.graph.upgradePlan(state.heads, history.graph.heads().length > 1 ? 'heads' : 'head');
      // Answers do not matter here: any change at all is a difference.
      const diff = await compare(await readSides(m.db, m.entry.modelFiles), {}, new FactCache(m.db));
      all.push({ database: m.name, problems, pending, changes: diff.operations.map(describeOperation), questions: diff.questions.map((q) => q.id) });
    }
    return all;
  });
  // The lint (issue 5): warnings on stderr only; the exit code stays about differences. An applied
  // revision has run: warning about it again at every check helps nobody, unless asked (--lint-all).
  const pending = new Set(reports.flatMap((r) => r.pending));
  const linted = options.lintAll ? history.revisions : history.revisions.filter((r) => pending.has(r.id));
  // Every revision is read (parents first) for the column types a raw ALTER … TYPE changes from.
  const byId = new Map(history.revisions.map((r) => [r.id, r]));
  const report = await lintRevisions(linted, history.graph.topological().flatMap((id) => byId.get(id) ?? []));
  const lint = formatLint(report, 'They do not change the exit code of `check`, which is only about differences.', (t) => style.yellow(t, process.stderr));
  for (const line of lint) err(line);
  const any = reports.some(differs);
  const code = any ? ExitCode.differences : ExitCode.ok;
  if (globals.json) {
    const lintJson = { warnings: report.warnings, notLinted: report.skipped };
    if (project.multi) json({ ok: !any, databases: Object.fromEntries(reports.map(({ database, ...r }) => [database, r])), lint: lintJson });
    else json({ ok: !any, ...withoutName(reports[0]), lint: lintJson });
    return code;
  }
  if (!project.multi) {
    const r = reports[0];
    if (!differs(r)) out('No differences: the database is at head and matches the models.');
    for (const p of r.problems) out(`! ${p}`);
    if (r.pending.length) out(`Revisions not applied to the database: ${r.pending.join(', ')} (run \`fastedgy db migrate\`)`);
    if (r.changes.length) {
      out('The models differ from the database (run `fastedgy db makemigrations`):');
      for (const c of r.changes) out(`  - ${c}`);
    }
    return code;
  }
  for (const r of reports) {
    if (!differs(r)) {
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
  return code;
}

function withoutName({ database: _, ...rest }: Report): Omit<Report, 'database'> {
  return rest;
}
