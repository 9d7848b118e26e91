/**
 * Table and column renames. Candidates are ranked by type compatibility and
 * name similarity; a column is only a candidate when its type is compatible
 * (a rename never converts data).
 */
import type { Column, Schema, Table } from '../schema/types.js';
import type { DiffContext } from './context.js';
import { columnKey } from './columns.js';
import { renameColumnIn, renameTableIn } from './patch.js';
import { plural } from './questions.js';
import { resolveRenames, unmatched } from './renames.js';
import { nameSimilarity, overlap, typeCompatibility } from './similarity.js';

/** `dbTable` maps a (patched) table name to its name in the live database. */
export function diffTableRenames(ctx: DiffContext, cur: Schema, to: Schema, dbTable: Map<string, string>): Schema {
  const { removed, added } = unmatched(cur.tables, to.tables);
  const stake = (t: Table) => {
    const n = ctx.rows(dbTable.get(t.name) ?? t.name);
    return n === undefined ? undefined : `${plural(n, 'row')} in ${t.name}`;
  };
  const result = resolveRenames<Table>(ctx, {
    kind: 'rename-table',
    name: (t) => t.name,
    label: (t) => t.name,
    score: (r, a) => {
      const cols = overlap(r.columns.map((c) => c.name), a.columns.map((c) => c.name));
      return 0.7 * cols + 0.3 * nameSimilarity(r.name, a.name);
    },
    text: (r) => `Table ${r.name} is gone from the models and a new table appeared: rename ${r.name} (keeping its rows), or drop it and create the new one?`,
    stake,
  }, removed, added);
  let patched = cur;
  for (const [r, a] of result.renames) {
    ctx.add('renames', { kind: 'renameTable', from: r.name, to: a.name });
    dbTable.set(a.name, dbTable.get(r.name) ?? r.name);
    patched = renameTableIn(patched, r.name, a.name);
  }
  return patched;
}

/** `dbColumn` maps `table.column` (patched names) to the column's place in the live database. */
export function diffColumnRenames(
  ctx: DiffContext,
  cur: Schema,
  to: Schema,
  dbTable: Map<string, string>,
  dbColumn: Map<string, { table: string; column: string }>,
): Schema {
  let patched = cur;
  const toByName = new Map(to.tables.map((t) => [t.name, t]));
  for (const table of cur.tables) {
    const target = toByName.get(table.name);
    if (!target) continue;
    const { removed, added } = unmatched(table.columns, target.columns);
    if (removed.length === 0 || added.length === 0) continue;
    const result = resolveRenames<Column>(ctx, {
      kind: 'rename-column',
      name: (c) => c.name,
      label: (c) => `${table.name}.${c.name}`,
      score: (r, a) => {
        const sameType = columnKey(r) === columnKey(a);
        const names = nameSimilarity(r.name, a.name);
        // Another type of the same family (numeric → bigint) is a candidate only
        // when the names are alike too: a decimal `delta` is not a `parent_id`.
        if (!sameType && (typeCompatibility(r.type, a.type) === 0 || names < 0.5)) return null;
        return 0.5 * (sameType ? 1 : typeCompatibility(r.type, a.type)) + 0.5 * names;
      },
      typeOf: (c) => c.type,
      text: (r) => `Column ${table.name}.${r.name} (${r.type}) is gone from the models and a compatible column appeared: rename it (keeping its values), or drop it and add the new one?`,
      stake: () => {
        const n = ctx.rows(dbTable.get(table.name) ?? table.name);
        return n === undefined ? undefined : `${plural(n, 'row')} in ${table.name}`;
      },
    }, removed, added);
    for (const [r, a] of result.renames) {
      ctx.add('renames', { kind: 'renameColumn', table: table.name, from: r.name, to: a.name });
      dbColumn.set(`${table.name}.${a.name}`, { table: dbTable.get(table.name) ?? table.name, column: r.name });
      patched = renameColumnIn(patched, table.name, r.name, a.name);
    }
  }
  return patched;
}
