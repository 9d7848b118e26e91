/**
 * Tables: created, dropped, and for tables on both sides their columns,
 * primary key, unique constraints, indexes and foreign keys. Constraints and
 * indexes are matched by name, then by definition, so a rename (PostgreSQL
 * keeps `users_email_key` when `users` becomes `members`) is a rename, not a
 * drop and a rebuild.
 */
import type { Operation } from '../ops/types.js';
import type { Check, ForeignKey, Index, Schema, Table, UniqueConstraint } from '../schema/types.js';
import { sequenceOf } from '../schema/sequence-names.js';
import { ident, identList } from '../util/sql-text.js';
import { diffColumns, isConfirm } from './columns.js';
import type { ColumnDiffEnv } from './columns.js';
import { normalizeExpr, sameStrings } from './normalize.js';
import { plural } from './questions.js';
import { pendingKey } from './renames.js';

export function diffTables(env: ColumnDiffEnv, cur: Schema, to: Schema): void {
  const { ctx } = env;
  const curByName = new Map(cur.tables.map((t) => [t.name, t]));
  const toNames = new Set(to.tables.map((t) => t.name));
  for (const t of to.tables) {
    const before = curByName.get(t.name);
    if (!before) {
      // Its foreign keys are added once every table exists (addForeignKeys).
      ctx.add('createTables', { kind: 'createTable', table: { ...t, foreignKeys: [] } });
      for (const fk of t.foreignKeys) ctx.add('addForeignKeys', { kind: 'addForeignKey', table: t.name, foreignKey: fk });
      continue;
    }
    diffColumns(env, before, t);
    diffPrimaryKey(env, before, t);
    // A column dropped and added again takes its indexes and constraints with it: rebuild those.
    const rebuilt = (x: { columns: readonly string[] }) => x.columns.some((c) => env.replaced.has(`${t.name}.${c}`));
    const comparesRetyped = (i: Index) => [i.where ?? '', ...i.columns.filter((c) => c.startsWith('('))].some((sql) => mentionsAny(sql, t.name, env.retyped));
    // Drops run before any rename (see PHASES), so they name the table and
    // describe the object as the live database holds them.
    const live = env.liveTable(t.name);
    const liveName = env.dbTable(t.name);
    const asLive = <T extends Named>(list: readonly T[] | undefined, x: T): T => list?.find((y) => y.name === x.name) ?? x;
    const renameConstraint = (from: string, to: string): Operation => ({ kind: 'renameConstraint', table: t.name, from, to });
    diffNamed(env, rebuilt, before.uniques, t.uniques, uniqueKey, {
      drop: (u) => ({ kind: 'dropUnique', table: liveName, unique: asLive(live?.uniques, u) }),
      add: (u) => ({ kind: 'addUnique', table: t.name, unique: u }),
      rename: renameConstraint,
    });
    diffNamed(env, (i) => rebuilt(i) || comparesRetyped(i), before.indexes, t.indexes, indexKey, {
      drop: (i) => ({ kind: 'dropIndex', table: liveName, index: asLive(live?.indexes, i) }),
      add: (i) => ({ kind: 'createIndex', table: t.name, index: i }),
      rename: (from, to) => ({ kind: 'renameIndex', table: t.name, from, to }),
    });
    diffNamed(env, rebuilt, before.foreignKeys, t.foreignKeys, fkKey, {
      drop: (fk) => ({ kind: 'dropForeignKey', table: liveName, foreignKey: asLive(live?.foreignKeys, fk) }),
      add: (fk) => ({ kind: 'addForeignKey', table: t.name, foreignKey: fk }),
      rename: renameConstraint,
    });
    diffSequences(env, before, t);
    diffChecks(env, before, t);
    if ((before.comment ?? null) !== (t.comment ?? null))
      ctx.add('alterColumns', { kind: 'setTableComment', table: t.name, from: before.comment ?? null, to: t.comment ?? null });
  }
  for (const t of cur.tables) {
    if (toNames.has(t.name)) continue;
    for (const c of t.columns) env.touched.add(`${t.name}.${c.name}`);
    // Foreign keys are dropped on their own so the way back can add them after
    // every table it recreates exists.
    const live = env.liveTable(t.name);
    for (const fk of t.foreignKeys) {
      const foreignKey = live?.foreignKeys.find((y) => y.name === fk.name) ?? fk;
      ctx.add('dropForeignKeys', { kind: 'dropForeignKey', table: env.dbTable(t.name), foreignKey });
    }
    confirmTableDrop(env, t);
    ctx.add('dropTables', { kind: 'dropTable', table: { ...t, foreignKeys: [] } });
  }
}

function confirmTableDrop(env: ColumnDiffEnv, t: Table): void {
  const { ctx } = env;
  if (ctx.pending.has(pendingKey('table', t.name))) return;
  const rows = ctx.rows(env.dbTable(t.name));
  if (rows === 0) return;
  const id = `destructive:table:${t.name}`;
  if (isConfirm(ctx.answer(id))) return;
  ctx.ask({
    id,
    kind: 'destructive',
    text: `Table ${t.name} is gone from the models: drop it and every row in it?`,
    stake: rows === undefined ? undefined : `${plural(rows, 'row')} in ${t.name} would be lost`,
    choices: [{ label: `drop ${t.name}`, answer: { confirm: true }, hint: 'the rows are lost; the downgrade brings the table back empty' }],
    table: t.name,
  });
}

/**
 * The primary key: the same columns under another name (a renamed table's
 * `<old>_pkey`, also in databases migrated before renames renamed it) is a
 * rename, which renames its index too; other columns, a drop and an add.
 */
function diffPrimaryKey(env: ColumnDiffEnv, cur: Table, to: Table): void {
  const a = cur.primaryKey;
  const b = to.primaryKey;
  if (sameStrings(a?.columns, b?.columns)) {
    if (a && b && a.name !== b.name) env.ctx.add('renames', { kind: 'renameConstraint', table: to.name, from: a.name, to: b.name });
    return;
  }
  const t = ident(to.name);
  const drop = a ? `ALTER TABLE ${t} DROP CONSTRAINT ${ident(a.name)}` : null;
  const add = b ? `ALTER TABLE ${t} ADD CONSTRAINT ${ident(b.name)} PRIMARY KEY (${identList(b.columns)})` : null;
  const reverseDrop = b ? `ALTER TABLE ${t} DROP CONSTRAINT ${ident(b.name)}` : null;
  const reverseAdd = a ? `ALTER TABLE ${t} ADD CONSTRAINT ${ident(a.name)} PRIMARY KEY (${identList(a.columns)})` : null;
  const sql = [drop, add].filter(Boolean).join(';\n');
  const reverse = [reverseDrop, reverseAdd].filter(Boolean).join(';\n');
  env.ctx.add('alterColumns', { kind: 'execute', sql, reverse });
}

/**
 * Identity sequences named otherwise than a new table's would be (the table
 * or the column was renamed, today or by an older revision) take the name a
 * fresh database gives them.
 */
function diffSequences(env: ColumnDiffEnv, cur: Table, to: Table): void {
  const curByName = new Map(cur.columns.map((c) => [c.name, c]));
  for (const c of to.columns) {
    const before = curByName.get(c.name);
    if (!before || env.replaced.has(`${to.name}.${c.name}`)) continue;
    const from = sequenceOf(cur.name, before);
    const want = sequenceOf(to.name, c);
    if (from && want && from !== want) env.ctx.add('renames', { kind: 'renameSequence', table: to.name, column: c.name, from, to: want });
  }
}

interface Named { readonly name: string }

function diffNamed<T extends Named & { readonly columns: readonly string[] }>(
  env: ColumnDiffEnv,
  rebuilt: (x: T) => boolean,
  cur: readonly T[],
  to: readonly T[],
  key: (x: T) => string,
  make: { drop: (x: T) => Operation; add: (x: T) => Operation; rename: (from: string, to: string) => Operation },
): void {
  const { ctx } = env;
  const toByName = new Map(to.map((x) => [x.name, x]));
  const leftCur: T[] = [];
  for (const x of cur) {
    const same = toByName.get(x.name);
    if (same && key(same) === key(x) && !rebuilt(x)) toByName.delete(x.name);
    else leftCur.push(x);
  }
  const leftTo = [...toByName.values()];
  for (const x of leftCur) {
    const twin = rebuilt(x) ? undefined : leftTo.find((y) => key(y) === key(x) && !cur.some((c) => c.name === y.name));
    if (twin) {
      leftTo.splice(leftTo.indexOf(twin), 1);
      ctx.add('renames', make.rename(x.name, twin.name));
      continue;
    }
    const op = make.drop(x);
    ctx.add(op.kind === 'dropForeignKey' ? 'dropForeignKeys' : 'dropIndexes', op);
  }
  for (const y of leftTo) {
    const op = make.add(y);
    ctx.add(op.kind === 'addForeignKey' ? 'addForeignKeys' : 'createIndexes', op);
  }
}

/**
 * CHECK constraints, by name then by expression (a rename is a rename).
 * A changed expression is a drop and an add; one reading a column that is
 * dropped and added again is added again after it.
 */
function diffChecks(env: ColumnDiffEnv, cur: Table, to: Table): void {
  const { ctx } = env;
  const key = (c: Check) => normalizeExpr(c.expression) ?? '';
  const rebuilt = (c: Check) => mentionsAny(c.expression, to.name, env.replaced) || mentionsAny(c.expression, to.name, env.retyped);
  const toByName = new Map(to.checks.map((c) => [c.name, c]));
  const leftCur: Check[] = [];
  for (const c of cur.checks) {
    const same = toByName.get(c.name);
    if (same && key(same) === key(c) && !rebuilt(c)) toByName.delete(c.name);
    else leftCur.push(c);
  }
  const leftTo = [...toByName.values()];
  for (const c of leftCur) {
    const twin = rebuilt(c) ? undefined : leftTo.find((y) => key(y) === key(c) && !cur.checks.some((x) => x.name === y.name));
    if (twin) {
      leftTo.splice(leftTo.indexOf(twin), 1);
      ctx.add('renames', { kind: 'renameConstraint', table: to.name, from: c.name, to: twin.name });
      continue;
    }
    ctx.add('dropIndexes', { kind: 'dropCheck', table: to.name, check: c });
  }
  for (const c of leftTo) ctx.add('createIndexes', { kind: 'addCheck', table: to.name, check: c });
}

/** Whether `expr` names a column of `table` among `columns` (`table.column` keys). */
function mentionsAny(expr: string, table: string, columns: ReadonlySet<string>): boolean {
  return [...columns].some((r) => r.startsWith(`${table}.`) && mentionsColumn(expr, r.slice(table.length + 1)));
}

function mentionsColumn(expr: string, column: string): boolean {
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_$])"?${escaped}"?($|[^A-Za-z0-9_$])`).test(expr);
}

function uniqueKey(u: UniqueConstraint): string {
  return JSON.stringify([u.columns, u.nullsNotDistinct === true, u.deferrable ?? null]);
}

/** Plain column names as they are, expressions (parenthesised) in the compared spelling. */
function indexColumnKey(c: string): string {
  return c.startsWith('(') ? `(${normalizeExpr(c)})` : c;
}

function indexKey(i: Index): string {
  const opclasses = (i.opclasses ?? []).some((o) => o) ? i.opclasses : [];
  const withs = Object.entries(i.with ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${String(v).toLowerCase()}`);
  return JSON.stringify([i.columns.map(indexColumnKey), i.unique, i.using ?? 'btree', opclasses, withs, normalizeExpr(i.where ?? null), i.nullsNotDistinct === true]);
}

function fkKey(fk: ForeignKey): string {
  return JSON.stringify([fk.columns, fk.refTable, fk.refColumns, fk.onDelete ?? 'no action', fk.onUpdate ?? 'no action', fk.deferrable ?? null]);
}
