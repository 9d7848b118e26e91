/**
 * Asking the open questions on a terminal with plain prompts
 * (see prompts.ts), one at a time: after each answer the diff runs again
 * with the answers so far, so a rename removes the drop and the add it
 * replaces, and the next question is the one that still applies. A typed
 * backfill value is checked by the database before it is accepted. Ctrl-C
 * cancels: nothing is written.
 */
import { confirm, input, select } from '../prompts.js';
import type { Database } from '../../db/database.js';
import { answerProblem } from '../../diff/questions.js';
import { expressionProblem } from '../../diff/expression-check.js';
import type { Answer, Answers, Choice, Question } from '../../diff/questions.js';
import type { Planner } from '../../make/make-revision.js';
import { runTrial } from '../../make/try-answers.js';
import { questionCost } from '../../ops/low-lock.js';
import type { Operation } from '../../ops/types.js';
import { out, style } from '../output.js';

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** Runs a prompt; Ctrl-C (inquirer's ExitPromptError) becomes Cancelled. */
export async function prompt<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if ((e as Error)?.name === 'ExitPromptError' || (e as Error)?.name === 'AbortPromptError') throw new Cancelled();
    throw e;
  }
}

/** A typed value as the JSON the answers file holds: numbers and booleans as such. */
export function typedValue(text: string, type: string): unknown {
  const t = type.toLowerCase();
  if (/^(smallint|integer|bigint|numeric|real|double precision)/.test(t) && text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  if (t === 'boolean' && /^(true|false)$/i.test(text.trim())) return text.trim().toLowerCase() === 'true';
  return text;
}

/**
 * The wizard's check of typed input: a backfill value is judged by the
 * database (and stored typed); SQL and USING text must be one expression;
 * a new name is taken as typed.
 */
export async function checkTypedInput(db: Database, q: Question, kind: string, text: string): Promise<{ error: string | null; value?: unknown }> {
  if (kind === 'sql' || kind === 'using') {
    // One SQL expression (never statements), then tried on the live rows, read-only, as the answers of a file are before writing.
    const problem = expressionError(text);
    if (problem || !q.table || !q.column) return { error: problem };
    const error = await runTrial(db, { question: q.id, table: q.table, expr: `(${text})`, type: q.columnType ?? 'text', renamed: new Map() });
    return { error };
  }
  if (kind !== 'value') return { error: null };
  const type = q.columnType ?? 'text';
  const error = await validateLiteral(db, text, type);
  return { error, value: error ? undefined : typedValue(text, type) };
}

/** A typed `sql` / `using` answer must be one SQL expression (see expression-check.ts). */
function expressionError(text: string): string | null {
  const problem = expressionProblem(text);
  return problem ? `not one SQL expression: ${problem}` : null;
}

/** The database's own verdict on a literal of the column's type: null when it is fine. */
export async function validateLiteral(db: Database, value: string, type: string): Promise<string | null> {
  try {
    await db.query(`SELECT $1::${type}`, [value]);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

async function askInput(db: Database, q: Question, kind: string): Promise<Answer> {
  if (kind === 'value') {
    const type = q.columnType ?? 'text';
    const text = await prompt(() =>
      input({ message: `Value for the existing rows (${type}):`, validate: async (v) => (await validateLiteral(db, v, type)) ?? true }),
    );
    return { value: typedValue(text, type) };
  }
  if (kind === 'sql') {
    const sql = await prompt(() =>
      input({ message: 'SQL expression, evaluated for each row:', validate: async (v) => (v.trim() === '' ? 'an expression is needed' : ((await checkTypedInput(db, q, 'sql', v)).error ?? true)) }),
    );
    return { sql };
  }
  if (kind === 'using') {
    const first = q.choices.find((c) => typeof c.answer === 'object' && 'using' in c.answer)?.answer as { using: string } | undefined;
    const using = await prompt(() =>
      input({ message: 'USING expression:', default: first?.using, validate: async (v) => (v.trim() === '' ? 'an expression is needed' : ((await checkTypedInput(db, q, 'using', v)).error ?? true)) }),
    );
    return { using };
  }
  const renameTo = await prompt(() => input({ message: 'New name of the value:', validate: (v) => v.trim() !== '' || 'a name is needed' }));
  return { renameTo };
}

async function askOne(db: Database, q: Question): Promise<[string, Answer]> {
  out('');
  out(style.bold(q.text));
  if (q.stake) out(style.yellow(`  at stake: ${q.stake}`));
  const cost = questionCost(q);
  if (cost) out(style.dim(`  cost: ${cost}`));
  const picked = await prompt(() =>
    select<Choice>({
      message: q.id,
      choices: q.choices.map((c) => ({ name: c.label, value: c, description: c.hint })),
    }),
  );
  const answer = typeof picked.answer === 'object' && 'input' in picked.answer ? await askInput(db, q, picked.answer.input) : (picked.answer as Answer);
  if (typeof answer === 'object' && 'deleteRows' in answer) {
    const sure = await prompt(() => confirm({ message: `Delete them for good${q.stake ? ` (${q.stake})` : ''}?`, default: false }));
    if (!sure) return askOne(db, q);
  }
  return [picked.id ?? q.id, answer];
}

/** Asks until no question is open; returns the answers and the operations they settle. */
export async function askPlain(planner: Planner, initial: Answers): Promise<{ answers: Answers; operations: Operation[] }> {
  const answers: Record<string, Answer> = { ...initial };
  for (;;) {
    const plan = await planner.plan(answers);
    if (plan.questions.length === 0) return { answers, operations: plan.operations };
    const q = plan.questions[0];
    const given = [q.id, ...(q.candidates ?? []).map((c) => c.id)].find((id) => id in answers);
    if (given) out(style.yellow(`The answer to ${given} does not fit: ${answerProblem(q, answers[given]) ?? 'it is not one of the choices'}.`));
    // A typed value is checked in the database the question is about.
    const [id, answer] = await askOne(planner.dbFor(q.id), q);
    answers[id] = answer;
  }
}
