/**
 * Removing values from an enum type. PostgreSQL has no `DROP VALUE`, so the
 * type is rebuilt: rows holding a removed value are deleted first when the
 * answer said so, then every column is converted to the new type in one
 * ALTER each, mapping removed values (or NULLing them) in its USING clause.
 */
import type { RebuildEnum } from './types.js';
import { ident, literal } from '../util/sql-text.js';

export function rebuildEnumSql(op: RebuildEnum): string[] {
  const type = ident(op.type);
  const old = ident(`${op.type}__old`);
  const removed = op.from.filter((v) => !op.to.includes(v));
  const out: string[] = [];
  for (const c of op.columns) {
    for (const v of removed) {
      if (!('deleteRows' in (op.fates[v] ?? {}))) continue;
      const test = c.array ? `${literal(v)} = ANY(${ident(c.column)}::text[])` : `${ident(c.column)}::text = ${literal(v)}`;
      out.push(`DELETE FROM ${ident(c.table)} WHERE ${test}`);
    }
  }
  out.push(`ALTER TYPE ${type} RENAME TO ${old}`);
  out.push(`CREATE TYPE ${type} AS ENUM (${op.to.map(literal).join(', ')})`);
  for (const c of op.columns) {
    const table = ident(c.table);
    const col = ident(c.column);
    if (c.default) out.push(`ALTER TABLE ${table} ALTER COLUMN ${col} DROP DEFAULT`);
    out.push(`ALTER TABLE ${table} ALTER COLUMN ${col} TYPE ${type}${c.array ? '[]' : ''} USING ${conversion(op, c.column, !!c.array, removed)}`);
    if (c.default) out.push(`ALTER TABLE ${table} ALTER COLUMN ${col} SET DEFAULT ${retype(c.default, op.type)}`);
  }
  out.push(`DROP TYPE ${old}`);
  return out;
}

function conversion(op: RebuildEnum, column: string, array: boolean, removed: readonly string[]): string {
  const col = ident(column);
  const type = ident(op.type);
  const mapped = removed.filter((v) => op.fates[v] && !('deleteRows' in op.fates[v]));
  if (array) {
    let expr = `${col}::text[]`;
    for (const v of mapped) {
      const fate = op.fates[v];
      expr = 'mapTo' in fate ? `array_replace(${expr}, ${literal(v)}, ${literal(fate.mapTo)})` : `array_remove(${expr}, ${literal(v)})`;
    }
    return `${expr}::${type}[]`;
  }
  if (mapped.length === 0) return `${col}::text::${type}`;
  const whens = mapped.map((v) => {
    const fate = op.fates[v];
    return `WHEN ${literal(v)} THEN ${'mapTo' in fate ? literal(fate.mapTo) : 'NULL'}`;
  });
  return `(CASE ${col}::text ${whens.join(' ')} ELSE ${col}::text END)::${type}`;
}

/** A default written against the old type (`'a'::userstatus`) re-cast to the rebuilt one. */
function retype(def: string, type: string): string {
  const m = /^('(?:[^']|'')*')(::.*)?$/s.exec(def.trim());
  return m ? `${m[1]}::${ident(type)}` : def;
}
