/**
 * Applying a rename decision to the "before" schema, so the next level of
 * the comparison sees the renamed thing as the same thing. PostgreSQL itself
 * carries renames into indexes, constraints, foreign keys and views; these
 * functions do the same to the description.
 */
import { renameKeepingSequences } from '../schema/sequence-names.js';
import type { Column, Schema, Table, View } from '../schema/types.js';
import { ident, literal } from '../util/sql-text.js';

function mapTables(schema: Schema, f: (t: Table) => Table): Schema {
  return { ...schema, tables: schema.tables.map(f) };
}

/** A default that is a value of the enum, cast or not (`'active'`, `'active'::status`): the value, else null. */
function enumDefault(d: string): string | null {
  const m = /^'((?:[^']|'')*)'(?:::(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*))?$/.exec(d.trim());
  return m ? m[1].replace(/''/g, "'") : null;
}

/**
 * Enum types renamed in columns and in their defaults, whose cast names the
 * type: the way back sets a default before the type has its old name again.
 */
export function renameEnumIn(schema: Schema, from: string, to: string): Schema {
  const retype = (c: Column): Column => {
    if (c.enumType !== from) return c;
    const value = c.default != null && !c.type.endsWith('[]') ? enumDefault(c.default) : null;
    return { ...c, enumType: to, type: c.type.endsWith('[]') ? `${to}[]` : to, ...(value !== null ? { default: `${literal(value)}::${ident(to)}` } : {}) };
  };
  return {
    ...mapTables(schema, (t) => ({ ...t, columns: t.columns.map(retype) })),
    enums: schema.enums.map((e) => (e.name === from ? { ...e, name: to } : e)),
  };
}

/** A column default holding `from` of enum `type` (`'from'`, `'from'::type`) holds `to` after RENAME VALUE. */
export function renameEnumValueIn(schema: Schema, type: string, from: string, to: string): Schema {
  const rename = (c: Column): Column =>
    c.enumType === type && c.default != null && !c.type.endsWith('[]') && enumDefault(c.default) === from
      ? { ...c, default: `${literal(to)}::${ident(type)}` }
      : c;
  return mapTables(schema, (t) => ({ ...t, columns: t.columns.map(rename) }));
}

export function renameTableIn(schema: Schema, from: string, to: string): Schema {
  const renamed = mapTables(schema, (t) => ({
    // The table's identity sequences keep their names, as in PostgreSQL; the diff then renames them.
    ...(t.name === from ? renameKeepingSequences(t, { table: to }) : t),
    foreignKeys: t.foreignKeys.map((fk) => (fk.refTable === from ? { ...fk, refTable: to } : fk)),
  }));
  return { ...renamed, views: schema.views.map((v) => retargetView(v, (r) => (r.table === from ? { ...r, table: to } : r))) };
}

export function renameColumnIn(schema: Schema, table: string, from: string, to: string): Schema {
  const swap = (cols: readonly string[]) => cols.map((c) => (c === from ? to : c));
  const renamed = mapTables(schema, (t) => {
    const fks = t.foreignKeys.map((fk) => (fk.refTable === table ? { ...fk, refColumns: swap(fk.refColumns) } : fk));
    if (t.name !== table) return { ...t, foreignKeys: fks };
    return {
      ...t,
      columns: renameKeepingSequences(t, { column: { from, to } }).columns,
      primaryKey: t.primaryKey ? { ...t.primaryKey, columns: swap(t.primaryKey.columns) } : null,
      uniques: t.uniques.map((u) => ({ ...u, columns: swap(u.columns) })),
      indexes: t.indexes.map((i) => ({ ...i, columns: swap(i.columns) })),
      foreignKeys: fks.map((fk) => ({ ...fk, columns: swap(fk.columns) })),
    };
  });
  return {
    ...renamed,
    views: schema.views.map((v) => retargetView(v, (r) => (r.table === table && r.column === from ? { ...r, column: to } : r))),
  };
}

function retargetView(v: View, f: (r: { table: string; column: string }) => { table: string; column: string }): View {
  return v.dependsOn ? { ...v, dependsOn: v.dependsOn.map(f) } : v;
}
