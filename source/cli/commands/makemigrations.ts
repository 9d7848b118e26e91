/**
 * `fastedgy db makemigrations`: compare the models with the database, settle
 * every question (answers file, or — on a terminal — the wizard), and write
 * one revision. Nothing is written while a question is open.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Database } from '../../db/database.js';
import type { Answers } from '../../diff/questions.js';
import { ExitCode, UserError } from '../../errors.js';
import { compare, FactCache, readSides } from '../../make/compare.js';
import { describeOperation } from '../../ops/describe.js';
import { reverseAll } from '../../ops/reverse.js';
import type { Operation } from '../../ops/types.js';
import { newRevisionId, renderRevision, revisionFileName } from '../../revisions/render.js';
import { statementsOf } from '../../runner/collect.js';
import { readVersionState } from '../../runner/version-table.js';
import { err, json, out, style } from '../output.js';
import { loadHistory, openProject, readTemplate, withDatabase } from '../session.js';
import type { GlobalOptions } from '../session.js';
import { checkAnswers, readAnswers } from './answers-file.js';
import { questionsReport } from './questions-report.js';

interface Options {
  message?: string;
  answers?: string;
  saveAnswers?: string;
  plain?: boolean;
  empty?: boolean;
  dryRun?: boolean;
  sql?: boolean;
  json?: boolean;
}

export function autoMessage(ops: readonly Operation[]): string {
  if (ops.length === 0) return 'empty';
  const first = describeOperation(ops[0]);
  return ops.length === 1 ? first : `${first} and ${ops.length - 1} more`;
}

async function ensureUpToDate(db: Database, heads: readonly string[]): Promise<void> {
  const state = await readVersionState(db);
  const at = [...state.heads].sort().join(', ');
  const want = [...heads].sort().join(', ');
  if (at !== want)
    throw new UserError(`the database is not up to date (it is at ${at || '<base>'}, the revisions end at ${want || '<base>'})`, {
      hint: 'run `fastedgy db migrate` first, so the new revision starts where the others end',
    });
}

export async function run(_args: unknown[], options: Options, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  const history = await loadHistory(project);
  const template = readTemplate(project);
  const heads = history.graph.heads();
  if (heads.length > 1)
    throw new UserError(`the revisions have several heads: ${heads.join(', ')}`, { hint: 'run `fastedgy db merge` to join them first' });
  const answers: Answers = readAnswers(options.answers);

  const result = await withDatabase(project, async (db) => {
    await ensureUpToDate(db, heads);
    if (options.empty) return { operations: [] as Operation[], questions: [] };
    const sides = await readSides(db, project.modelFiles);
    const diff = await compare(sides, answers, new FactCache(db));
    return { operations: [...diff.operations], questions: [...diff.questions] };
  });

  if (result.questions.length > 0) {
    checkAnswers(answers, result.questions);
    if (options.json) json({ questions: result.questions });
    else err(questionsReport(result.questions));
    return ExitCode.usage;
  }
  if (result.operations.length === 0 && !options.empty) {
    if (options.json) json({ changes: [], file: null });
    else out('No changes detected.');
    return ExitCode.ok;
  }

  const upgrade = result.operations;
  const { ops: downgrade, notes } = reverseAll(upgrade);
  if (options.sql) {
    for (const s of statementsOf(upgrade)) out(s.sql + ';');
    return ExitCode.ok;
  }
  const message = options.message ?? autoMessage(upgrade);
  const revision = newRevisionId();
  const now = new Date();
  const text = renderRevision({ template, revision, downRevision: heads[0] ?? null, message, createDate: now, upgrade, downgrade, notes });
  const file = join(project.versionsDir, revisionFileName(now, revision, message));
  if (options.dryRun) {
    out(text);
    return ExitCode.ok;
  }
  mkdirSync(project.versionsDir, { recursive: true });
  writeFileSync(file, text);
  if (options.saveAnswers) writeFileSync(options.saveAnswers, JSON.stringify(answers, null, 2) + '\n');
  if (options.json) {
    json({ revision, file, message, changes: upgrade.map(describeOperation) });
  } else {
    out(`Generated ${relative(process.cwd(), file) || file}`);
    for (const op of upgrade) out(`  ${style.dim('-')} ${describeOperation(op)}`);
    for (const n of notes) out(`  ${style.yellow('!')} downgrade cannot restore: ${n}`);
  }
  return ExitCode.ok;
}
