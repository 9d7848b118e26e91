/** Pieces of DDL shared by several operations: a column definition, an index, a foreign key, a value. */
import type { Column, Deferrable, ForeignKey, Index, UniqueConstraint } from '../schema/types.js';
import { ident, identList, literal, sqlValue } from '../util/sql-text.js';
import type { Backfill } from './types.js';

export function columnType(c: Pick<Column, 'type' | 'enumType'>): string {
  if (c.enumType) return ident(c.enumType) + (c.type.endsWith('[]') ? '[]' : '');
  return c.type;
}

export function columnDefinition(c: Column, overrides: { nullable?: boolean; default?: string | null } = {}): string {
  const parts = [ident(c.name), columnType(c)];
  // A sequence named otherwise than PostgreSQL would name it (see sequence-names.ts) comes back under its own name.
  const sequence = c.sequence ? ` (SEQUENCE NAME ${ident(c.sequence)})` : '';
  if (c.identity) parts.push(`GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${sequence}`);
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated}) STORED`);
  const def = overrides.default !== undefined ? overrides.default : c.default;
  if (def !== null && def !== undefined && !c.identity && !c.generated) parts.push(`DEFAULT ${def}`);
  const nullable = overrides.nullable ?? c.nullable;
  if (!nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

/**
 * A typed value (from an answer or a revision file) as SQL of the column's
 * type. The explicit cast makes enum, json and date values work wherever the
 * expression lands; a JS array for an array column becomes `ARRAY[…]` (JSON
 * text is not PostgreSQL's array syntax).
 */
export function typedValue(value: unknown, c: Pick<Column, 'type' | 'enumType'>): string {
  const type = columnType(c);
  if (Array.isArray(value) && type.endsWith('[]')) return `ARRAY[${value.map((v) => sqlValue(v)).join(', ')}]::${type}`;
  return `${sqlValue(value)}::${type}`;
}

/** The value rows get from a backfill: a typed literal, an expression, or the default. */
export function backfillExpr(b: Backfill, c: Pick<Column, 'type' | 'enumType' | 'default'>): string {
  if ('value' in b) return typedValue(b.value, c);
  if ('sql' in b) return `(${b.sql})`;
  return c.default ?? 'NULL';
}

// Operator classes and storage parameters are names and simple values in
// practice; anything else is quoted rather than spliced.
const qualified = (name: string) => name.split('.').map(ident).join('.');
const paramValue = (v: string) => (/^[A-Za-z0-9_.+-]+$/.test(v) ? v : literal(v));

export function createIndexSql(table: string, i: Index, concurrently = false): string {
  const cols = i.columns.map((c, n) => {
    // A parenthesised entry is an expression: SQL by definition.
    const col = c.startsWith('(') ? c : ident(c);
    const opclass = i.opclasses?.[n];
    return opclass ? `${col} ${qualified(opclass)}` : col;
  });
  const using = i.using && i.using !== 'btree' ? ` USING ${ident(i.using)}` : '';
  const withs = Object.entries(i.with ?? {});
  const withSql = withs.length ? ` WITH (${withs.map(([k, v]) => `${ident(k)} = ${paramValue(v)}`).join(', ')})` : '';
  const where = i.where ? ` WHERE ${i.where}` : '';
  const nulls = i.nullsNotDistinct ? ' NULLS NOT DISTINCT' : '';
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${ident(i.name)} ON ${ident(table)}${using} (${cols.join(', ')})${nulls}${withSql}${where}`;
}

const ACTIONS = new Set(['restrict', 'cascade', 'set null', 'set default']);

export function foreignKeySql(fk: ForeignKey): string {
  let sql = `CONSTRAINT ${ident(fk.name)} FOREIGN KEY (${identList(fk.columns)}) REFERENCES ${ident(fk.refTable)} (${identList(fk.refColumns)})`;
  // 'no action' is PostgreSQL's default and is left out; an unknown action never reaches the SQL.
  if (ACTIONS.has(fk.onDelete)) sql += ` ON DELETE ${fk.onDelete.toUpperCase()}`;
  if (ACTIONS.has(fk.onUpdate)) sql += ` ON UPDATE ${fk.onUpdate.toUpperCase()}`;
  return sql + deferrableSql(fk.deferrable);
}

export function deferrableSql(d: Deferrable | undefined): string {
  return d === 'deferred' ? ' DEFERRABLE INITIALLY DEFERRED' : d === 'immediate' ? ' DEFERRABLE INITIALLY IMMEDIATE' : '';
}

export function uniqueSql(u: UniqueConstraint): string {
  const nulls = u.nullsNotDistinct ? ' NULLS NOT DISTINCT' : '';
  return `CONSTRAINT ${ident(u.name)} UNIQUE${nulls} (${identList(u.columns)})${deferrableSql(u.deferrable)}`;
}

/** A check's boolean expression: models give it bare, introspection as `CHECK (…)` (maybe `NOT VALID`). */
export function checkExpression(expression: string): string {
  const m = /^CHECK\s*\(([\s\S]*)\)(?:\s+NOT VALID)?$/i.exec(expression.trim());
  return m ? m[1] : expression.trim();
}

export function checkSql(name: string, expression: string): string {
  return `CONSTRAINT ${ident(name)} CHECK (${checkExpression(expression)})`;
}

export function commentSql(target: string, text: string | null | undefined): string {
  return `COMMENT ON ${target} IS ${text === null || text === undefined ? 'NULL' : literal(text)}`;
}
