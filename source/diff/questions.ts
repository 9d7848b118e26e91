/**
 * The questions `makemigrations` asks when data is at stake (SPEC §6), and
 * the answers that settle them. The diff returns questions instead of
 * prompting, so the wizard, the plain prompts and an answers file all drive
 * the same pure code.
 */

export type QuestionKind =
  | 'rename-table'
  | 'rename-column'
  | 'rename-enum'
  | 'enum-remove'
  | 'backfill'
  | 'alter-type'
  | 'destructive';

export type Answer =
  | 'rename'
  | 'drop'
  | { readonly mapTo: string }
  | { readonly setNull: true }
  | { readonly deleteRows: true }
  | { readonly renameTo: string }
  | { readonly value: unknown }
  | { readonly sql: string }
  | { readonly useDefault: true }
  | { readonly using: string }
  | { readonly dropAndAdd: true }
  | { readonly confirm: true };

export type Answers = Readonly<Record<string, Answer>>;

/** One way to answer a question, as the UI lists it. */
export interface Choice {
  readonly label: string;
  /** The answer, or `input` when the user must type something (a value, an expression). */
  readonly answer: Answer | { readonly input: 'value' | 'sql' | 'using' | 'renameTo' };
  readonly hint?: string;
  /** The answer ids this choice settles (a rename to a second candidate answers another id). */
  readonly id?: string;
}

export interface RenameCandidate {
  readonly id: string;
  readonly name: string;
  readonly type?: string;
  readonly score: number;
}

export interface Question {
  readonly id: string;
  readonly kind: QuestionKind;
  /** One sentence: what changed and what must be decided. */
  readonly text: string;
  /** What is at stake, read live: "1,204 rows in users". Absent when not known. */
  readonly stake?: string;
  readonly choices: readonly Choice[];
  /** For renames: every candidate, best first; answering any of their ids settles the question. */
  readonly candidates?: readonly RenameCandidate[];
  /** What the UI needs to validate input: the table and column, the column type. */
  readonly table?: string;
  readonly column?: string;
  readonly columnType?: string;
  readonly hasDefault?: boolean;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** An answers file that would answer every open question, with its first choice. */
export function exampleAnswers(questions: readonly Question[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of questions) {
    const first = q.choices[0];
    out[first?.id ?? q.id] = first ? exampleOf(first.answer, q) : null;
  }
  return out;
}

function exampleOf(answer: Choice['answer'], q: Question): unknown {
  if (typeof answer !== 'object' || !('input' in answer)) return answer;
  switch (answer.input) {
    case 'value': {
      const t = (q.columnType ?? '').toLowerCase();
      if (/int|numeric|real|double/.test(t)) return { value: 0 };
      if (t === 'boolean') return { value: false };
      return { value: '' };
    }
    case 'sql':
      return { sql: '<expression>' };
    case 'using':
      return { using: '<expression>' };
    case 'renameTo':
      return { renameTo: '<value>' };
  }
}

/** Checks that an answer is one of the question's kinds of answer; returns a message if not. */
export function answerProblem(q: Question, a: unknown): string | null {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  switch (q.kind) {
    case 'rename-table':
    case 'rename-column':
    case 'rename-enum':
      return a === 'rename' || a === 'drop' ? null : `expected "rename" or "drop"`;
    case 'enum-remove':
      if (isObj(a)) {
        if (typeof a.mapTo === 'string') return null;
        if (a.setNull === true) return q.choices.some((c) => isObj(c.answer) && 'setNull' in c.answer) ? null : 'setNull is only allowed when every column using the type is nullable';
        if (a.deleteRows === true) return null;
        if (typeof a.renameTo === 'string' && a.renameTo.length > 0) return null;
      }
      return 'expected {"mapTo": "<value>"}, {"setNull": true}, {"deleteRows": true} or {"renameTo": "<value>"}';
    case 'backfill':
      if (isObj(a)) {
        if ('value' in a) return a.value === null ? 'a backfill value cannot be null for a NOT NULL column' : null;
        if (typeof a.sql === 'string' && a.sql.trim()) return null;
        if (a.useDefault === true) return q.hasDefault ? null : 'the column has no default to use';
      }
      return 'expected {"value": <literal>}, {"sql": "<expression>"} or {"useDefault": true}';
    case 'alter-type':
      if (isObj(a) && ((typeof a.using === 'string' && a.using.trim()) || a.dropAndAdd === true)) return null;
      return 'expected {"using": "<expression>"} or {"dropAndAdd": true}';
    case 'destructive':
      return isObj(a) && a.confirm === true ? null : 'expected {"confirm": true}';
  }
}
