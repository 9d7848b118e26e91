/** Pieces of DDL shared by several operations: a column definition, an index, a foreign key. */
import type { Column, ForeignKey, Index } from '../schema/types.js';
import { ident, identList, literal } from '../util/sql-text.js';

export function columnType(c: Pick<Column, 'type' | 'enumType'>): string {
  if (c.enumType) return ident(c.enumType) + (c.type.endsWith('[]') ? '[]' : '');
  return c.type;
}

export function columnDefinition(c: Column, overrides: { nullable?: boolean; default?: string | null } = {}): string {
  const parts = [ident(c.name), columnType(c)];
  if (c.identity) parts.push(`GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
  const def = overrides.default !== undefined ? overrides.default : c.default;
  if (def !== null && def !== undefined && !c.identity) parts.push(`DEFAULT ${def}`);
  const nullable = overrides.nullable ?? c.nullable;
  if (!nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

export function createIndexSql(table: string, i: Index, concurrently = false): string {
  const cols = i.columns.map((c, n) => {
    const col = c.startsWith('(') ? c : ident(c);
    const opclass = i.opclasses?.[n];
    return opclass ? `${col} ${opclass}` : col;
  });
  const using = i.using && i.using !== 'btree' ? ` USING ${i.using}` : '';
  const withs = Object.entries(i.with ?? {});
  const withSql = withs.length ? ` WITH (${withs.map(([k, v]) => `${k} = ${v}`).join(', ')})` : '';
  const where = i.where ? ` WHERE ${i.where}` : '';
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${ident(i.name)} ON ${ident(table)}${using} (${cols.join(', ')})${withSql}${where}`;
}

export function foreignKeySql(fk: ForeignKey): string {
  let sql = `CONSTRAINT ${ident(fk.name)} FOREIGN KEY (${identList(fk.columns)}) REFERENCES ${ident(fk.refTable)} (${identList(fk.refColumns)})`;
  if (fk.onDelete && fk.onDelete !== 'no action') sql += ` ON DELETE ${fk.onDelete.toUpperCase()}`;
  if (fk.onUpdate && fk.onUpdate !== 'no action') sql += ` ON UPDATE ${fk.onUpdate.toUpperCase()}`;
  return sql;
}

export function commentSql(target: string, text: string | null | undefined): string {
  return `COMMENT ON ${target} IS ${text === null || text === undefined ? 'NULL' : literal(text)}`;
}
