/**
 * The operations of a baseline revision: the whole pulled schema created
 * from nothing, as the diff of an empty schema against it, plus what the
 * Schema does not carry but its tables need to be built — the sequences of
 * serial columns, created before the tables and owned by their column after.
 */
import { diffSchemas } from '../diff/diff.js';
import type { Operation } from '../ops/types.js';
import { emptySchema, type Schema } from '../schema/types.js';
import { ident } from '../util/sql-text.js';
import type { SequenceInfo } from './read-unmodelled.js';

function createSequence(s: SequenceInfo): string {
  const parts = [`CREATE SEQUENCE ${ident(s.name)} AS ${s.type}`, `INCREMENT BY ${s.increment}`, `MINVALUE ${s.min}`, `MAXVALUE ${s.max}`, `START WITH ${s.start}`, `CACHE ${s.cache}`];
  if (s.cycle) parts.push('CYCLE');
  return parts.join(' ');
}

export function baselineOperations(schema: Schema, sequences: readonly SequenceInfo[]): Operation[] {
  const { operations } = diffSchemas(emptySchema, schema);
  const before: Operation[] = sequences.map((s) => ({ kind: 'execute', sql: createSequence(s), reverse: `DROP SEQUENCE IF EXISTS ${ident(s.name)}` }));
  const after: Operation[] = [];
  for (const s of sequences)
    if (s.ownedBy)
      after.push({ kind: 'execute', sql: `ALTER SEQUENCE ${ident(s.name)} OWNED BY ${ident(s.ownedBy.table)}.${ident(s.ownedBy.column)}`, reverse: `ALTER SEQUENCE ${ident(s.name)} OWNED BY NONE` });
  return [...before, ...operations, ...after];
}
