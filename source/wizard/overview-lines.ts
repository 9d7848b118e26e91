/**
 * What the wizard's overview lists, as rows that fit the window: every
 * change and every open decision, folded (never cut: a type, a USING or a
 * row count at the end of a line decides the data), so the screen scrolls
 * by row and can say truly what is above and below. Pure.
 */
import type { Question } from '../diff/questions.js';
import { isDestructive } from '../ops/describe.js';
import type { Operation } from '../ops/types.js';
import { fold } from '../util/fold.js';

export interface Row {
  readonly text: string;
  readonly color?: 'red' | 'yellow' | 'cyan';
}

export function overviewRows(ops: readonly Operation[], questions: readonly Question[], describe: (op: Operation) => string, width: number): Row[] {
  const rows: Row[] = [];
  for (const op of ops) {
    const color = isDestructive(op) ? 'red' : undefined;
    for (const text of fold(`${color ? '! ' : '  '}${describe(op)}`, width, '    ')) rows.push({ text, color });
  }
  if (questions.length === 0) return rows;
  rows.push({ text: '' }, { text: `Needs a decision (${questions.length}):`, color: 'yellow' });
  for (const q of questions) for (const text of fold(`? ${q.id}${q.stake ? ` (${q.stake})` : ''}`, width, '    ')) rows.push({ text, color: 'yellow' });
  return rows;
}

/**
 * The names a question's id is about (`rename-column:users.name->users.display_name`
 * is about users.name and users.display_name; `enum-remove:userstatus.suspended` about userstatus).
 */
function subjects(q: Question): string[] {
  const about = q.id.slice(q.id.lastIndexOf(':') + 1).split('->');
  return q.kind === 'enum-remove' || q.kind === 'rename-enum' ? about.map((s) => (q.kind === 'enum-remove' ? s.slice(0, s.lastIndexOf('.')) : s)) : about;
}

/** What an operation acts on, in the form question ids use: `table.column`, `table` or an enum type. */
function objects(op: Operation): string[] {
  const o = op as unknown as Record<string, unknown>;
  const tableName = typeof o.table === 'string' ? o.table : (o.table as { name?: string } | undefined)?.name;
  const column = o.column as { name?: string } | string | undefined;
  const columnName = typeof column === 'string' ? column : column?.name;
  if (tableName && columnName) return [`${tableName}.${columnName}`];
  if (op.kind === 'renameColumn') return [`${op.table}.${op.from}`, `${op.table}.${op.to}`];
  if (op.kind === 'renameTable' || op.kind === 'renameEnum') return [op.from, op.to];
  if (op.kind === 'rebuildEnum' || op.kind === 'addEnumValue' || op.kind === 'renameEnumValue') return [op.type];
  if (op.kind === 'createEnum' || op.kind === 'dropEnum') return [op.name];
  return tableName && (op.kind === 'createTable' || op.kind === 'dropTable') ? [tableName] : [];
}

/**
 * The open decisions an operation waits on: the walk-through comes before
 * the questions, so a `DROP COLUMN` shown there may become a rename once
 * answered, and the screen must say so rather than show it as settled.
 */
export function waitingOn(op: Operation, questions: readonly Question[]): Question[] {
  const mine = objects(op);
  return questions.filter((q) => subjects(q).some((s) => mine.includes(s)));
}
