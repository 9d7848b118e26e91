/** Reading and checking `--answers FILE` (or `-` for stdin). */
import { readFileSync } from 'node:fs';
import type { Answers, Question } from '../../diff/questions.js';
import { answerProblem } from '../../diff/questions.js';
import { expressionProblem } from '../../diff/expression-check.js';
import { nameSimilarity } from '../../diff/similarity.js';
import { UsageError } from '../../errors.js';

export function readAnswers(file: string | undefined): Answers {
  if (!file) return {};
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the answers file ${file}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the answers file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError(`the answers file ${file} must hold a JSON object of question id → answer`);
  checkExpressions(parsed as Record<string, unknown>, file);
  return parsed as Answers;
}

/**
 * A backfill's `sql` and a type change's `using` go into the revision's SQL
 * as they are: each must be one SQL expression, refused here otherwise,
 * before anything is compared or written.
 */
function checkExpressions(answers: Record<string, unknown>, file: string): void {
  for (const [id, answer] of Object.entries(answers)) {
    if (typeof answer !== 'object' || answer === null) continue;
    for (const key of ['sql', 'using'] as const) {
      const text = (answer as Record<string, unknown>)[key];
      if (typeof text !== 'string') continue;
      const problem = expressionProblem(text);
      if (problem) {
        throw new UsageError(
          `the answer to "${id}" in ${file === '-' ? 'the answers on stdin' : file} is not one SQL expression: ${problem}`,
          `"${key}" takes a single expression, such as lower(name) or price * 100; nothing was written`,
        );
      }
    }
  }
}

/**
 * An answer given for a question that is still open did not fit it (the diff
 * only accepts answers that fit): name the question and what it expects.
 */
export function checkAnswers(answers: Answers, open: readonly Question[]): void {
  misspelt(answers, open);
  for (const q of open) {
    const ids = [q.id, ...(q.candidates ?? []).map((c) => c.id)];
    for (const id of ids) {
      if (!(id in answers)) continue;
      const given = answers[id];
      const problem = answerProblem(q, given) ?? `${JSON.stringify(given)} is not one of its choices`;
      throw new UsageError(`the answer to "${id}" does not fit: ${problem}`, 'see the choices with `fastedgy db makemigrations` without --answers');
    }
  }
}

/**
 * An answer whose id matches no open question while a question close to it
 * is open: almost surely a misspelt id (`backfill:user.age` for
 * `backfill:users.age`), which would otherwise look like an answer ignored.
 */
function misspelt(answers: Answers, open: readonly Question[]): void {
  const ids = open.flatMap((q) => [q.id, ...(q.candidates ?? []).map((c) => c.id)]);
  for (const given of Object.keys(answers)) {
    if (ids.includes(given)) continue;
    const best = ids
      .map((id) => ({ id, score: nameSimilarity(given, id) }))
      .filter((x) => x.score >= 0.8)
      .sort((a, b) => b.score - a.score)[0];
    if (best)
      throw new UsageError(`the answers file has "${given}", which matches no question: did you mean "${best.id}"?`, 'fix the id in the answers file; nothing was written');
  }
}
