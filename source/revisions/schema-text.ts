/**
 * A whole schema as stable, DDL-like text, for people: one line per column,
 * key, index and constraint, so a line diff between two revisions shows what
 * changed and nothing else. Everything is put in name order here (columns
 * keep their position, enum values their order), so two equal schemas give
 * the same text whatever order their lists came in.
 */
import type { Column, ForeignKey, Index, Schema, Table, View } from '../schema/types.js';
import { ident, identList, literal } from '../util/sql-text.js';

const byName = <T extends { readonly name: string }>(xs: readonly T[]) => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

function columnLine(c: Column): string {
  const parts = [ident(c.name), c.type];
  if (!c.nullable) parts.push('NOT NULL');
  if (c.default != null) parts.push(`DEFAULT ${c.default}`);
  if (c.identity) parts.push(`identity ${c.identity}`);
  if (c.generated) parts.push(`generated (${c.generated}) stored`);
  if (c.comment) parts.push(`comment ${literal(c.comment)}`);
  return `  ${parts.join(' ')}`;
}

function indexLine(i: Index): string {
  const cols = i.columns.map((c, n) => (i.opclasses?.[n] ? `${c} ${i.opclasses[n]}` : c)).join(', ');
  const withs = Object.entries(i.with ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const opts = withs.length ? ` with (${withs.map(([k, v]) => `${k} = ${v}`).join(', ')})` : '';
  const nulls = i.nullsNotDistinct ? ' nulls not distinct' : '';
  return `  ${i.unique ? 'unique ' : ''}index ${ident(i.name)} (${cols}) ${i.using ?? 'btree'}${nulls}${opts}${i.where ? ` where ${i.where}` : ''}`;
}

function foreignKeyLine(fk: ForeignKey): string {
  // 'no action' is PostgreSQL's default: left out, as one would write it.
  const actions = [fk.onDelete && fk.onDelete !== 'no action' ? ` on delete ${fk.onDelete}` : '', fk.onUpdate && fk.onUpdate !== 'no action' ? ` on update ${fk.onUpdate}` : ''];
  return `  foreign key ${ident(fk.name)} (${identList(fk.columns)}) → ${ident(fk.refTable)} (${identList(fk.refColumns)})${actions.join('')}${deferrableText(fk.deferrable)}`;
}

function deferrableText(d: string | undefined): string {
  return d ? ` deferrable initially ${d}` : '';
}

function tableBlock(t: Table): string[] {
  const lines = [`table ${ident(t.name)}`];
  if (t.comment) lines.push(`  comment ${literal(t.comment)}`);
  lines.push(...t.columns.map(columnLine));
  if (t.primaryKey) lines.push(`  primary key ${ident(t.primaryKey.name)} (${identList(t.primaryKey.columns)})`);
  for (const u of byName(t.uniques))
    lines.push(`  unique ${ident(u.name)}${u.nullsNotDistinct ? ' nulls not distinct' : ''} (${identList(u.columns)})${deferrableText(u.deferrable)}`);
  for (const i of byName(t.indexes)) lines.push(indexLine(i));
  for (const fk of byName(t.foreignKeys)) lines.push(foreignKeyLine(fk));
  for (const c of byName(t.checks)) lines.push(`  check ${ident(c.name)} ${c.expression}`);
  return lines;
}

function viewBlock(v: View): string[] {
  // The SQL as the revision wrote it, each of its lines indented (blank ones
  // dropped, so the blank line between blocks stays the only separator).
  const body = v.sql.trim().replace(/;\s*$/, '').split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  return [`view ${ident(v.name)}`, ...body.map((l) => `  ${l}`)];
}

export function schemaText(schema: Schema): string {
  const blocks: string[][] = [];
  if (schema.extensions.length) blocks.push([...schema.extensions].sort().map((e) => `extension ${ident(e)}`));
  if (schema.enums.length) blocks.push(byName(schema.enums).map((e) => `enum ${ident(e.name)} (${e.values.map(literal).join(', ')})`));
  for (const t of byName(schema.tables)) blocks.push(tableBlock(t));
  for (const v of byName(schema.views)) blocks.push(viewBlock(v));
  return blocks.length ? `${blocks.map((b) => b.join('\n')).join('\n\n')}\n` : '';
}
