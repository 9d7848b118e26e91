/**
 * `fastedgy db makemigrations`: compare the models with the database(s),
 * settle every question (answers file, or — on a terminal — the wizard or
 * the plain prompts), and write one revision. Nothing is written while a
 * question is open.
 */
import type { Answers } from '../../diff/questions.js';
import { makeRevision } from '../../make/make-revision.js';
import type { MakeInput } from '../../make/make-revision.js';
import { assertModelFiles, ensureMigrationsDir, warnHistory, loadHistory, openProject, revisionTemplate, withDatabases } from '../session.js';
import type { GlobalOptions } from '../session.js';
import { readAnswers } from './answers-file.js';
import { report, sqlLines } from './make-report.js';

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
  assertModelFiles(project);
  ensureMigrationsDir(project);
  const history = await loadHistory(project);
  const input: MakeInput = { versionsDir: project.versionsDir, template: revisionTemplate(project), graph: history.graph, multi: project.multi };
  const answers: Answers = readAnswers(options.answers);
  const write = !options.dryRun && !options.sql;
  if (write && !options.json && !options.empty && process.stdin.isTTY && process.stdout.isTTY)
    return (await import('./makemigrations-interactive.js')).runInteractive(project, history, input, answers, options);
  return withDatabases(project, undefined, async (members) => {
    await warnHistory(history, members, project.multi);
    const { result, planner } = await makeRevision(members, input, { answers, message: options.message, empty: options.empty, write });
    return report(result, answers, options, (upgrade) => sqlLines(upgrade, planner, project.multi));
  });
}
