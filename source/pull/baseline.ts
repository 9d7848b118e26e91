/**
 * The operations of a baseline revision: the whole pulled schema created
 * from nothing, as the diff of an empty schema against it, plus what the
 * Schema does not carry but its tables need to be built — the sequences of
 * serial columns (created before the tables, owned by their column after)
 * and generated columns (added after their table, since a column default
 * cannot read other columns).
 */
import { diffSchemas } from '../diff/diff.js';
import type { Operation } from '../ops/types.js';
import { emptySchema, type Schema } from '../schema/types.js';
import { ident } from '../util/sql-text.js';
import type { GeneratedColumn, SequenceInfo } from './read-unmodelled.js';

function createSequence(s: SequenceInfo): string {
  const parts = [`CREATE SEQUENCE ${ident(s.name)} AS ${s.type}`, `INCREMENT BY ${s.increment}`, `MINVALUE ${s.min}`, `MAXVALUE ${s.max}`, `START WITH ${s.start}`, `CACHE ${s.cache}`];
  if (s.cycle) parts.push('CYCLE');
  return parts.join(' ');
}

export function baselineOperations(schema: Schema, sequences: readonly SequenceInfo[], generated: readonly GeneratedColumn[]): Operation[] {
  const isGenerated = (table: string, column: string) => generated.some((g) => g.table === table && g.column === column);
  // Uniques and indexes on a generated column wait for it.
  const later: Operation[] = [];
  const tables = schema.tables.map((t) => {
    const onGenerated = (x: { columns: readonly string[] }) => x.columns.some((c) => isGenerated(t.name, c));
    for (const u of t.uniques.filter(onGenerated)) later.push({ kind: 'addUnique', table: t.name, unique: u });
    for (const i of t.indexes.filter(onGenerated)) later.push({ kind: 'createIndex', table: t.name, index: i });
    return {
      ...t,
      columns: t.columns.filter((c) => !isGenerated(t.name, c.name)),
      uniques: t.uniques.filter((u) => !onGenerated(u)),
      indexes: t.indexes.filter((i) => !onGenerated(i)),
    };
  });
  const { operations } = diffSchemas(emptySchema, { ...schema, tables });
  const before: Operation[] = sequences.map((s) => ({ kind: 'execute', sql: createSequence(s), reverse: `DROP SEQUENCE IF EXISTS ${ident(s.name)}` }));
  const after: Operation[] = [];
  for (const g of generated) {
    const column = schema.tables.find((t) => t.name === g.table)?.columns.find((c) => c.name === g.column);
    if (!column) continue;
    after.push({
      kind: 'execute',
      sql: `ALTER TABLE ${ident(g.table)} ADD COLUMN ${ident(g.column)} ${column.enumType ? ident(column.enumType) : column.type} GENERATED ALWAYS AS (${g.expression}) STORED${column.nullable ? '' : ' NOT NULL'}`,
      reverse: `ALTER TABLE ${ident(g.table)} DROP COLUMN IF EXISTS ${ident(g.column)}`,
    });
  }
  for (const s of sequences)
    if (s.ownedBy)
      after.push({ kind: 'execute', sql: `ALTER SEQUENCE ${ident(s.name)} OWNED BY ${ident(s.ownedBy.table)}.${ident(s.ownedBy.column)}`, reverse: `ALTER SEQUENCE ${ident(s.name)} OWNED BY NONE` });
  // Views may read a generated column: they go after everything else.
  const views = operations.filter((op) => op.kind === 'createView');
  const rest = operations.filter((op) => op.kind !== 'createView');
  return [...before, ...rest, ...after, ...later, ...views];
}
