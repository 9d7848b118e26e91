/**
 * Columns of a table present on both sides: added, dropped and changed
 * columns, with the questions their data raises (backfill, type conversion,
 * destructive drop).
 */
import type { Backfill, ColumnState } from '../ops/types.js';
import type { Column, Table } from '../schema/types.js';
import { ident } from '../util/sql-text.js';
import { castsWithoutUsing, obviousUsing } from './casts.js';
import type { DiffContext, Phase } from './context.js';
import { normalizeDefault, normalizeExpr, normalizeType } from './normalize.js';
import { plural } from './questions.js';
import type { Answer } from './questions.js';
import { pendingKey } from './renames.js';

/** The type as compared: enums by name (case kept), other types normalised. */
export function columnKey(c: Pick<Column, 'type' | 'enumType'>): string {
  if (c.enumType) return `enum:${c.enumType}${c.type.endsWith('[]') ? '[]' : ''}`;
  return normalizeType(c.type);
}

export function typeSql(c: Pick<Column, 'type' | 'enumType'>): string {
  if (c.enumType) return ident(c.enumType) + (c.type.endsWith('[]') ? '[]' : '');
  return c.type;
}

export function stateOf(c: Column): ColumnState {
  return {
    type: c.type,
    enumType: c.enumType ?? null,
    nullable: c.nullable,
    default: c.default ?? null,
    comment: c.comment ?? null,
    ...(c.identity ? { identity: c.identity } : {}),
    ...(c.generated ? { generated: c.generated } : {}),
  };
}

/** Where a column lives in the live database (before renames), for the facts. */
export type DbRef = (table: string, column: string) => { table: string; column: string };

export interface ColumnDiffEnv {
  readonly ctx: DiffContext;
  readonly dbRef: DbRef;
  readonly dbTable: (table: string) => string;
  /**
   * The table as the live database holds it (before renames), by its patched
   * name: what is dropped before the renames is described with the names it has then.
   */
  readonly liveTable: (table: string) => Table | undefined;
  /** Columns whose values or type change: views reading them are dropped and recreated. */
  readonly touched: Set<string>;
  /** Columns dropped and added again (`table.column`): PostgreSQL drops their indexes and constraints with them. */
  readonly replaced: Set<string>;
  /**
   * Columns whose enum type the revision rebuilds (`table.column`): an index
   * predicate or expression, or a CHECK, comparing them with a literal keeps
   * the old type's literal and stops the rebuild, so those are rebuilt around it.
   */
  readonly retyped: ReadonlySet<string>;
}

export function diffColumns(env: ColumnDiffEnv, cur: Table, to: Table): void {
  const { ctx } = env;
  const curByName = new Map(cur.columns.map((c) => [c.name, c]));
  const toNames = new Set(to.columns.map((c) => c.name));
  for (const c of to.columns) {
    const before = curByName.get(c.name);
    if (!before) addColumn(env, to.name, c);
    else alterColumn(env, to.name, before, c);
  }
  for (const c of cur.columns) {
    if (toNames.has(c.name)) continue;
    env.touched.add(`${cur.name}.${c.name}`);
    if (confirmDrop(env, cur.name, c)) ctx.add('dropColumns', { kind: 'dropColumn', table: cur.name, column: c });
  }
}

/** Asks before dropping a column of a table that holds rows; true when the drop may go ahead. */
function confirmDrop(env: ColumnDiffEnv, table: string, c: Column): boolean {
  const { ctx } = env;
  if (ctx.pending.has(pendingKey('column', `${table}.${c.name}`))) return true;
  const rows = ctx.rows(env.dbTable(table));
  if (rows === 0) return true;
  const id = `destructive:column:${table}.${c.name}`;
  const a = ctx.answer(id);
  if (isConfirm(a)) return true;
  ctx.ask({
    id,
    kind: 'destructive',
    text: `Column ${table}.${c.name} (${c.type}) is gone from the models: drop it and the values it holds?`,
    stake: rows === undefined ? undefined : `${plural(rows, 'row')} in ${table} lose their ${c.name}`,
    choices: [{ label: `drop ${table}.${c.name}`, answer: { confirm: true }, hint: 'the values are lost; the downgrade brings the column back empty' }],
    table,
    column: c.name,
  });
  return true;
}

export function isConfirm(a: Answer | undefined): boolean {
  return typeof a === 'object' && a !== null && 'confirm' in a && a.confirm === true;
}

/** The answer to a backfill question, or undefined when it is still open (then asked). */
function backfillFor(env: ColumnDiffEnv, table: string, c: Column, stake: string | undefined, becomesNotNull: boolean): Backfill | undefined {
  const { ctx } = env;
  const id = `backfill:${table}.${c.name}`;
  const a = ctx.answer(id);
  if (a && typeof a === 'object') {
    if ('value' in a && a.value !== null && a.value !== undefined) return { value: a.value };
    if ('sql' in a && typeof a.sql === 'string' && a.sql.trim()) return { sql: a.sql };
    if ('useDefault' in a && c.default !== null) return { useDefault: true };
  }
  ctx.ask({
    id,
    kind: 'backfill',
    text: becomesNotNull
      ? `Column ${table}.${c.name} becomes NOT NULL. What value should the rows where it is NULL get?`
      : `New NOT NULL column ${table}.${c.name} (${c.type}) without a default, on a table with rows. What value should the existing rows get?`,
    stake,
    choices: [
      { label: 'a value', answer: { input: 'value' }, hint: `a literal of type ${c.type}` },
      { label: 'an SQL expression', answer: { input: 'sql' }, hint: 'evaluated for each row, e.g. lower(name)' },
      ...(c.default !== null ? [{ label: `the column default (${c.default})`, answer: { useDefault: true as const } }] : []),
    ],
    table,
    column: c.name,
    columnType: c.type,
    hasDefault: c.default !== null,
  });
  return undefined;
}

/** `phase`: a column dropped and added again (a type change answered dropAndAdd) is added right after its drop. */
function addColumn(env: ColumnDiffEnv, table: string, c: Column, phase: Phase = 'addColumns'): void {
  const { ctx } = env;
  const needsValue = !c.nullable && c.default === null && !c.identity && !c.generated;
  if (!needsValue || ctx.pending.has(pendingKey('column', `${table}.${c.name}`))) {
    ctx.add(phase, { kind: 'addColumn', table, column: c });
    return;
  }
  const rows = ctx.rows(env.dbTable(table));
  if (rows === 0) {
    ctx.add(phase, { kind: 'addColumn', table, column: c });
    return;
  }
  const backfill = backfillFor(env, table, c, rows === undefined ? undefined : `${plural(rows, 'row')} in ${table} need a value`, false);
  ctx.add(phase, { kind: 'addColumn', table, column: c, ...(backfill ? { backfill } : {}) });
}

/**
 * A generated column whose expression changes, or a column that becomes or
 * stops being generated, is dropped and added again (PostgreSQL cannot turn
 * one into the other in place before 17): a generated column's values are
 * computed again, so the values at stake are a plain column's, the one that
 * is dropped or the one that is added empty, and those need a confirmation
 * when rows hold them.
 */
function regenerate(env: ColumnDiffEnv, table: string, before: Column, after: Column): void {
  const { ctx } = env;
  if ((!before.generated || !after.generated) && !ctx.pending.has(pendingKey('column', `${table}.${before.name}`))) {
    const rows = ctx.rows(env.dbTable(table));
    const id = `destructive:column:${table}.${before.name}`;
    const becomesPlain = !after.generated;
    if (rows !== 0 && !isConfirm(ctx.answer(id))) {
      ctx.ask({
        id,
        kind: 'destructive',
        text: becomesPlain
          ? `Column ${table}.${after.name} stops being generated: drop it, and the values computed for it, and add it again empty?`
          : `Column ${table}.${after.name} becomes generated (${after.generated}): drop it, and the values it holds, and add it again?`,
        stake: rows === undefined ? undefined : `${plural(rows, 'row')} in ${table} ${becomesPlain ? `get ${after.name} empty` : `get ${after.name} computed instead`}`,
        choices: [
          becomesPlain
            ? { label: `drop and add ${table}.${after.name} again, empty`, answer: { confirm: true }, hint: 'the values are lost; the downgrade computes them again' }
            : { label: `drop and regenerate ${table}.${after.name}`, answer: { confirm: true }, hint: 'the values are lost; the downgrade brings the column back empty' },
        ],
        table,
        column: after.name,
      });
    }
  }
  env.touched.add(`${table}.${after.name}`);
  env.replaced.add(`${table}.${after.name}`);
  ctx.add('alterColumns', { kind: 'dropColumn', table, column: before });
  addColumn(env, table, after, 'alterColumns');
}

function alterColumn(env: ColumnDiffEnv, table: string, before: Column, after: Column): void {
  const { ctx } = env;
  const typeChanged = columnKey(before) !== columnKey(after);
  // Stops being generated, same type: DROP EXPRESSION keeps the values (below); anything else is rebuilt.
  const becomesPlain = !!before.generated && !after.generated && !typeChanged;
  if (normalizeExpr(before.generated) !== normalizeExpr(after.generated) && !becomesPlain) return regenerate(env, table, before, after);
  const defaultChanged = normalizeDefault(before.default) !== normalizeDefault(after.default);
  const nullChanged = before.nullable !== after.nullable;
  const commentChanged = (before.comment ?? null) !== (after.comment ?? null);
  const identityChanged = (before.identity ?? null) !== (after.identity ?? null);
  if (!typeChanged && !defaultChanged && !nullChanged && !commentChanged && !identityChanged && !becomesPlain) return;
  if (becomesPlain) {
    // Its way back drops and adds the column generated again: views, indexes
    // and constraints on it step aside around that, as for any rebuilt column.
    env.touched.add(`${table}.${after.name}`);
    env.replaced.add(`${table}.${after.name}`);
  }

  let using: string | undefined;
  let reverseUsing: string | undefined;
  if (typeChanged) {
    env.touched.add(`${table}.${after.name}`);
    const col = ident(after.name);
    const obvious = obviousUsing(col, before.type, after.type, typeSql(after), !!before.enumType, !!after.enumType);
    reverseUsing = obviousUsing(col, after.type, before.type, typeSql(before), !!after.enumType, !!before.enumType);
    if (!castsWithoutUsing(before.type, after.type, !!before.enumType, !!after.enumType)) {
      const rows = ctx.rows(env.dbTable(table));
      const id = `alter-type:${table}.${after.name}`;
      const a = ctx.answer(id);
      const renamePending = !!before.enumType && ctx.pending.has(pendingKey('enum', before.enumType));
      if (rows === 0 || renamePending) using = obvious;
      else if (a && typeof a === 'object' && 'using' in a && a.using.trim()) using = a.using;
      else if (a && typeof a === 'object' && 'dropAndAdd' in a) {
        env.replaced.add(`${table}.${after.name}`);
        ctx.add('alterColumns', { kind: 'dropColumn', table, column: before });
        addColumn(env, table, after, 'alterColumns');
        return;
      } else {
        ctx.ask({
          id,
          kind: 'alter-type',
          text: `Column ${table}.${after.name} changes type from ${before.type} to ${after.type}, and PostgreSQL has no automatic conversion. How should the values be converted?`,
          stake: rows === undefined ? undefined : `${plural(rows, 'row')} in ${table}`,
          choices: [
            { label: `convert with USING ${obvious}`, answer: { using: obvious } },
            { label: 'another USING expression', answer: { input: 'using' } },
            { label: `drop ${after.name} and add it again`, answer: { dropAndAdd: true }, hint: 'the values are lost' },
          ],
          table,
          column: after.name,
          columnType: after.type,
        });
        using = obvious;
      }
    }
  }

  let backfill: Backfill | undefined;
  if (nullChanged && !after.nullable) {
    const ref = env.dbRef(table, before.name);
    const nulls = ctx.nulls(ref.table, ref.column);
    if (nulls !== 0) {
      if (after.default !== null) backfill = { useDefault: true };
      else backfill = backfillFor(env, table, after, nulls === undefined ? undefined : `${plural(nulls, 'row')} of ${table} have ${after.name} NULL`, true);
    }
  }
  ctx.add('alterColumns', {
    kind: 'alterColumn',
    table,
    column: after.name,
    from: stateOf(before),
    to: stateOf(after),
    ...(using ? { using } : {}),
    ...(typeChanged && !castsWithoutUsing(after.type, before.type, !!after.enumType, !!before.enumType) ? { reverseUsing } : {}),
    ...(backfill ? { backfill } : {}),
  });
}
