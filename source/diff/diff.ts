/**
 * Compares two schemas and returns the operations that turn the first into
 * the second, plus the questions whose answers it still needs. Pure: the
 * live numbers questions show come in as `facts`, and what it would like to
 * know goes out as `probes`; call again with the answers and facts.
 */
import type { Operation } from '../ops/types.js';
import type { Schema, View } from '../schema/types.js';
import type { ColumnDiffEnv } from './columns.js';
import { DiffContext } from './context.js';
import type { Phase } from './context.js';
import type { Facts, Probes } from './context.js';
import { diffEnumRenames, diffEnumTypes } from './enums.js';
import { normalizeViewSql } from './normalize.js';
import type { Answers, Question } from './questions.js';
import { diffColumnRenames, diffTableRenames } from './table-renames.js';
import { diffTables } from './tables.js';

export interface DiffOptions {
  readonly answers?: Answers;
  readonly facts?: Facts;
}

export interface DiffResult {
  readonly operations: readonly Operation[];
  /** Questions still open; while any is, `operations` is provisional. */
  readonly questions: readonly Question[];
  /** Facts the diff asked for and did not have. */
  readonly probes: Probes;
}

export function diffSchemas(from: Schema, to: Schema, options: DiffOptions = {}): DiffResult {
  const ctx = new DiffContext(options.answers ?? {}, options.facts ?? {});
  const dbTable = new Map<string, string>();
  const dbEnum = new Map<string, string>();
  const dbColumn = new Map<string, { table: string; column: string }>();
  const liveTables = new Map(from.tables.map((t) => [t.name, t]));

  for (const name of to.extensions)
    if (!from.extensions.includes(name)) ctx.add('extensions', { kind: 'createExtension', name, ifNotExists: true });

  let cur = diffEnumRenames(ctx, from, to, dbEnum);
  cur = diffTableRenames(ctx, cur, to, dbTable);
  cur = diffColumnRenames(ctx, cur, to, dbTable, dbColumn);
  cur = diffEnumTypes(ctx, cur, from, to, dbEnum);

  const rebuilt = new Set(['enums', 'rebuildEnums'].flatMap((p) => ctx.ops.get(p as Phase)!).flatMap((op) => (op.kind === 'rebuildEnum' ? [op.type] : [])));
  const retyped = new Set(cur.tables.flatMap((t) => t.columns.filter((c) => c.enumType && rebuilt.has(c.enumType)).map((c) => `${t.name}.${c.name}`)));
  const env: ColumnDiffEnv = {
    ctx,
    dbTable: (t) => dbTable.get(t) ?? t,
    liveTable: (t) => liveTables.get(dbTable.get(t) ?? t),
    dbRef: (t, c) => dbColumn.get(`${t}.${c}`) ?? { table: dbTable.get(t) ?? t, column: c },
    touched: new Set<string>(),
    replaced: new Set<string>(),
    retyped,
  };
  diffTables(env, cur, to);
  stepAsideForRenames(ctx, cur, env.touched);
  // A rebuilt enum changes the type of every column using it.
  for (const c of retyped) env.touched.add(c);
  for (const op of ctx.ops.get('rebuildEnums')!)
    if (op.kind === 'rebuildEnum') for (const c of op.columns) env.touched.add(`${c.table}.${c.column}`);
  // An added value is undone by a rebuild on the way back: views reading the column must step aside then too.
  for (const op of ctx.ops.get('enums')!)
    if (op.kind === 'addEnumValue') for (const c of op.columns ?? []) env.touched.add(`${c.table}.${c.column}`);
  diffViews(ctx, cur.views, to.views, env.touched);

  return { operations: ctx.operations(), questions: ctx.questions, probes: ctx.probes };
}

/**
 * Views reading something a revision renames (a column, a table, an enum type
 * or value) are dropped before the renames and created again after them,
 * never replaced in place: their old SQL names the old names, so on the way
 * back it can only run once every rename is undone.
 */
function stepAsideForRenames(ctx: DiffContext, cur: Schema, touched: Set<string>): void {
  const renamedEnums = new Set<string>();
  for (const op of ctx.ops.get('renames')!) {
    if (op.kind === 'renameColumn') touched.add(`${op.table}.${op.to}`);
    if (op.kind === 'renameTable') for (const c of cur.tables.find((t) => t.name === op.to)?.columns ?? []) touched.add(`${op.to}.${c.name}`);
  }
  for (const op of ctx.ops.get('enums')!) {
    if (op.kind === 'renameEnum') renamedEnums.add(op.to);
    if (op.kind === 'renameEnumValue') renamedEnums.add(op.type);
  }
  for (const t of cur.tables)
    for (const c of t.columns) if (c.enumType && renamedEnums.has(c.enumType)) touched.add(`${t.name}.${c.name}`);
}

/**
 * Views: created, dropped, replaced when their definition changed, and
 * dropped and recreated around a change to a column they read (PostgreSQL
 * refuses to change the type of a column a view uses).
 */
function diffViews(ctx: DiffContext, cur: readonly View[], to: readonly View[], touched: Set<string>): void {
  const curByName = new Map(cur.map((v) => [v.name, v]));
  const toNames = new Set(to.map((v) => v.name));
  for (const v of to) {
    const before = curByName.get(v.name);
    if (!before) {
      ctx.add('createViews', { kind: 'createView', view: v });
      continue;
    }
    const changed = normalizeViewSql(before.definition ?? before.sql) !== normalizeViewSql(v.definition ?? v.sql);
    const affected = (before.dependsOn ?? []).some((r) => touched.has(`${r.table}.${r.column}`));
    if (affected) {
      ctx.add('dropViews', { kind: 'dropView', view: before });
      ctx.add('createViews', { kind: 'createView', view: v });
    } else if (changed) {
      ctx.add('createViews', { kind: 'replaceView', from: before, to: v });
    }
  }
  for (const v of cur) if (!toNames.has(v.name)) ctx.add('dropViews', { kind: 'dropView', view: v });
}
