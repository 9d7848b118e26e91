/**
 * What the diff carries while it compares: the answers given so far, the
 * live facts (row counts…) known so far, the operations collected by phase,
 * the questions still open, and the facts it would like to know.
 */
import type { Operation } from '../ops/types.js';
import type { Answer, Answers, Question } from './questions.js';

/** Numbers read from the live database; a missing number means "may hold rows". */
export interface Facts {
  /** Rows per table, by its name in the database. */
  readonly rows?: Readonly<Record<string, number>>;
  /** Rows holding an enum value over every column that uses the type, keyed `type.value`. */
  readonly values?: Readonly<Record<string, number>>;
  /** NULLs per column, keyed `table.column` (database names). */
  readonly nulls?: Readonly<Record<string, number>>;
}

/** The facts a diff could not find in `Facts` and would ask for. */
export interface Probes {
  readonly rows: string[];
  readonly values: { key: string; type: string; value: string; columns: { table: string; column: string }[] }[];
  readonly nulls: { key: string; table: string; column: string }[];
}

/**
 * Upgrade order. Dependencies first: extensions and enum types before the
 * tables that use them, foreign keys after both tables, views after their
 * tables; drops in the reverse order of their dependents.
 */
export const PHASES = [
  'extensions',
  // Views step aside before enum changes: the way back of an added value is a
  // rebuild of the type, which PostgreSQL refuses under a view reading it.
  'dropViews',
  // Views, keys and indexes go before any rename, described as the database
  // holds them (old names, old enum values in their WHERE): the way back
  // recreates them last, once every rename is undone, so their SQL is valid again.
  'dropForeignKeys',
  'dropIndexes',
  'enums',
  'renames',
  'createTables',
  'addColumns',
  'alterColumns',
  'dropColumns',
  // After the tables go: a dropped table's column would otherwise still use the old type.
  'dropTables',
  'rebuildEnums',
  'createIndexes',
  'addForeignKeys',
  'createViews',
  'dropEnums',
] as const;
export type Phase = (typeof PHASES)[number];

export class DiffContext {
  readonly ops = new Map<Phase, Operation[]>(PHASES.map((p) => [p, []]));
  readonly questions: Question[] = [];
  readonly probes: Probes = { rows: [], values: [], nulls: [] };
  readonly notes: string[] = [];
  /** Names (table, `table.column`, enum) waiting on a rename question: no other question about them yet. */
  readonly pending = new Set<string>();

  constructor(readonly answers: Answers, readonly facts: Facts) {}

  add(phase: Phase, op: Operation): void {
    this.ops.get(phase)!.push(op);
  }

  answer(id: string): Answer | undefined {
    return Object.prototype.hasOwnProperty.call(this.answers, id) ? this.answers[id] : undefined;
  }

  ask(q: Question): void {
    if (!this.questions.some((x) => x.id === q.id)) this.questions.push(q);
  }

  rows(table: string): number | undefined {
    const n = this.facts.rows?.[table];
    if (n === undefined && !this.probes.rows.includes(table)) this.probes.rows.push(table);
    return n;
  }

  nulls(table: string, column: string): number | undefined {
    const key = `${table}.${column}`;
    const n = this.facts.nulls?.[key];
    if (n === undefined && !this.probes.nulls.some((p) => p.key === key)) this.probes.nulls.push({ key, table, column });
    return n;
  }

  valueCount(type: string, value: string, columns: { table: string; column: string }[]): number | undefined {
    const key = `${type}.${value}`;
    const n = this.facts.values?.[key];
    if (n === undefined && !this.probes.values.some((p) => p.key === key)) this.probes.values.push({ key, type, value, columns });
    return n;
  }

  operations(): Operation[] {
    return PHASES.flatMap((p) => this.ops.get(p)!);
  }
}
