/**
 * `fastedgy db makemigrations`: compare the models with the database, settle
 * every question (answers file, or — on a terminal — the wizard), and write
 * one revision. Nothing is written while a question is open.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Answers } from '../../diff/questions.js';
import { ExitCode } from '../../errors.js';
import { makeRevision } from '../../make/make-revision.js';
import type { MakeInput, MakeResult } from '../../make/make-revision.js';
import type { Operation } from '../../ops/types.js';
import { describeOperation } from '../../ops/describe.js';
import { statementsOf } from '../../runner/collect.js';
import { err, json, out, style } from '../output.js';
import { formatLint, lintRevisionText } from '../../lint/lint.js';
import { ensureMigrationsDir, loadHistory, openProject, readTemplate, withDatabase } from '../session.js';
import type { GlobalOptions } from '../session.js';
import { checkAnswers, readAnswers } from './answers-file.js';
import { questionsReport } from './questions-report.js';

export interface Options {
  message?: string;
  answers?: string;
  saveAnswers?: string;
  plain?: boolean;
  empty?: boolean;
  dryRun?: boolean;
  sql?: boolean;
  json?: boolean;
}

export async function run(_args: unknown[], options: Options, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  ensureMigrationsDir(project);
  if (project.databases) {
    const interactive = !options.dryRun && !options.sql && !options.json && !options.empty && !!process.stdin.isTTY && !!process.stdout.isTTY;
    return (await import('./makemigrations-many.js')).runMany(project, readAnswers(options.answers), options, interactive);
  }
  const history = await loadHistory(project);
  const input: MakeInput = { modelFiles: project.modelFiles, versionsDir: project.versionsDir, template: readTemplate(project), graph: history.graph };
  const answers: Answers = readAnswers(options.answers);
  const write = !options.dryRun && !options.sql;
  if (write && !options.json && !options.empty && process.stdin.isTTY && process.stdout.isTTY)
    return (await import('./makemigrations-interactive.js')).runInteractive(project, input, answers, options);
  const result = await withDatabase(project, (db) => makeRevision(db, input, { answers, message: options.message, empty: options.empty, write }));
  return report(result, answers, options, async (upgrade) => statementsOf(upgrade).map((s) => s.sql + ';'));
}

/**
 * The lint (issue 5) on the revision just written (or rendered), on stderr:
 * makemigrations only runs on a database at head (ensureUpToDate), so it is
 * the one revision not applied yet; the applied ones are `check`'s to report.
 */
export function warnLint(file: string, text: string, upgrade: readonly Operation[]): void {
  const warnings = lintRevisionText(file, text, upgrade);
  for (const line of formatLint({ warnings, skipped: [] }, 'Edit the revision before applying it, or silence the rule.', (t) => style.yellow(t, process.stderr))) err(line);
}

/**
 * What a non-interactive makemigrations prints, single- or multi-database:
 * the open questions (exit 2), "No changes detected.", the SQL (`sqlLines`
 * says how: a multi-database project heads each database's part), the
 * dry-run text, or the file written with its changes.
 */
export async function report(result: MakeResult, answers: Answers, options: Options, sqlLines: (upgrade: readonly Operation[]) => Promise<string[]>): Promise<number> {
  if (result.status === 'questions') {
    checkAnswers(answers, result.questions);
    if (options.json) json({ questions: result.questions });
    else err(questionsReport(result.questions));
    return ExitCode.usage;
  }
  if (result.status === 'no-changes') {
    if (options.json) json({ changes: [], file: null });
    else out('No changes detected.');
    return ExitCode.ok;
  }
  warnLint(result.file, result.text, result.upgrade);
  if (options.sql) {
    for (const line of await sqlLines(result.upgrade)) out(line);
    return ExitCode.ok;
  }
  if (options.dryRun) {
    out(result.text);
    return ExitCode.ok;
  }
  if (options.saveAnswers) writeFileSync(options.saveAnswers, JSON.stringify(answers, null, 2) + '\n');
  if (options.json) {
    json({ revision: result.revision, file: result.file, message: result.message, changes: result.upgrade.map(describeOperation) });
    return ExitCode.ok;
  }
  out(`Generated ${relative(process.cwd(), result.file) || result.file}`);
  for (const op of result.upgrade) out(`  ${style.dim('-')} ${describeOperation(op)}`);
  for (const n of result.notes) out(`  ${style.yellow('!')} the downgrade cannot restore: ${n}`);
  return ExitCode.ok;
}
