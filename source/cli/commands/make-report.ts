/**
 * What makemigrations prints about the revision it settled: the lint of
 * the revision just written, and the non-interactive report (open
 * questions, no changes, the SQL, the dry-run text, the file written).
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Answers } from '../../diff/questions.js';
import { ExitCode } from '../../errors.js';
import { formatLint, lintRevisionText } from '../../lint/lint.js';
import type { LintWarning } from '../../lint/lint.js';
import type { MakeResult, Planner, Proof } from '../../make/make-revision.js';
import { describeOperation } from '../../ops/describe.js';
import type { Operation } from '../../ops/types.js';
import { statementsOf } from '../../runner/collect.js';
import { err, json, out, style } from '../output.js';
import { checkAnswers } from './answers-file.js';
import { questionsReport } from './questions-report.js';
import { terminated } from '../../util/sql-terminate.js';

export interface ReportOptions {
  saveAnswers?: string;
  dryRun?: boolean;
  sql?: boolean;
  json?: boolean;
}

/**
 * The lint (issue 5) on the revision just written (or rendered), on stderr:
 * makemigrations only runs on a database at head (ensureUpToDate), so it is
 * the one revision not applied yet; the applied ones are `check`'s to report.
 */
export function warnLint(file: string, text: string, upgrade: readonly Operation[]): LintWarning[] {
  const warnings = lintRevisionText(file, text, upgrade);
  for (const line of formatLint({ warnings, skipped: [] }, 'Edit the revision before applying it, or silence the rule.', (t) => style.yellow(t, process.stderr))) err(line);
  return warnings;
}

/** What the proof of a revision showed, in a line (and a warning if it reached outside its copy). */
export function proofLines(proof: Proof | undefined): { line: string | null; warnings: string[] } {
  if (!proof) return { line: null, warnings: [] };
  const outside = proof.outside.length > 0 ? [`the proof locked ${proof.outside.join(', ')} outside its scratch copy (a fastedgy bug: please report it)`] : [];
  if (proof.unproven) return { line: `not proven: ${proof.unproven.join('; ')}`, warnings: outside };
  return { line: `proven: up -> down -> up (${Math.round(proof.ms)} ms)`, warnings: outside };
}

/** The SQL of a plan; each database's part under a heading naming it when the project names them. */
export function sqlLines(upgrade: readonly Operation[], planner: Planner | null, multi: boolean): string[] {
  if (!multi) return statementsOf(upgrade).map((s) => terminated(s.sql));
  return (planner?.group(upgrade) ?? []).flatMap((s) => [`-- database: ${s.database}`, ...statementsOf(s.operations).map((st) => terminated(st.sql))]);
}

/**
 * What a non-interactive makemigrations prints: the open questions (exit
 * 2), "No changes detected.", the SQL, the dry-run text, or the file
 * written with its changes.
 */
export function report(result: MakeResult, answers: Answers, options: ReportOptions, sql: (upgrade: readonly Operation[]) => string[]): number {
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
  const lint = warnLint(result.file, result.text, result.upgrade);
  const proof = proofLines(result.proof);
  for (const w of proof.warnings) err(`${style.yellow('!', process.stderr)} ${w}`);
  // Beside the SQL or the file text (stdout), the proof goes to stderr.
  if ((options.sql || options.dryRun) && proof.line) err(proof.line);
  if (options.sql) {
    for (const line of sql(result.upgrade)) out(line);
    return ExitCode.ok;
  }
  if (options.dryRun) {
    out(result.text);
    return ExitCode.ok;
  }
  if (options.saveAnswers) writeFileSync(options.saveAnswers, JSON.stringify(answers, null, 2) + '\n');
  if (options.json) {
    json({
      revision: result.revision, file: result.file, message: result.message, changes: result.upgrade.map(describeOperation), lint,
      ...(result.proof
        ? { proof: { steps: ['upgrade', 'downgrade', 'upgrade'], ms: Math.round(result.proof.ms), ...(result.proof.unproven ? { unproven: result.proof.unproven } : {}) } }
        : {}),
    });
    return ExitCode.ok;
  }
  out(`Generated ${relative(process.cwd(), result.file) || result.file}`);
  if (proof.line) out(proof.line);
  for (const op of result.upgrade) out(`  ${style.dim('-')} ${describeOperation(op)}`);
  for (const n of result.notes) out(`  ${style.yellow('!')} the downgrade cannot restore: ${n}`);
  return ExitCode.ok;
}
