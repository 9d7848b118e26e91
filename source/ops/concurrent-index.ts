/**
 * Indexes and unique constraints added to a table that has rows: their
 * low-lock form (see low-lock.ts for the rest).
 *
 * A plain `CREATE INDEX` holds a SHARE lock on the table for the whole
 * build, so every INSERT, UPDATE and DELETE waits; inside a revision's
 * transaction it also waits behind (and keeps) whatever that transaction
 * locked before, an ACCESS EXCLUSIVE lock after an ALTER TABLE included, so
 * readers wait too. `ADD CONSTRAINT … UNIQUE` builds its index under ACCESS
 * EXCLUSIVE. `CREATE INDEX CONCURRENTLY` takes SHARE UPDATE EXCLUSIVE, which
 * lets reads and writes go on; it cannot run in a transaction, so it is a
 * step of its own, between the revision's transactions. A unique constraint
 * is then attached to its concurrently built index (`UNIQUE USING INDEX`),
 * which only touches the catalog.
 *
 * The end state is what the one-transaction form gives: same names, same
 * definitions. The choice is made by the runner when the revision runs, from
 * the live row count, so the revision file does not change.
 */
import { ident, identList } from '../util/sql-text.js';
import { createIndexSql, deferrableSql } from './sql-parts.js';
import type { Operation } from './types.js';

/** A statement that runs outside any transaction; `index` is the index it builds (an INVALID leftover of it is dropped before it runs again). */
export interface ConcurrentStep {
  readonly kind: 'concurrently';
  readonly table: string;
  readonly index: string;
  readonly sql: string;
}

/** The table whose row count decides whether the index is built concurrently, or null. */
export function concurrentIndexTable(op: Operation): string | null {
  // An explicitly concurrent build belongs to a non-transactional revision, which runs statement by statement already.
  if (op.kind === 'createIndex') return op.concurrently ? null : op.table;
  if (op.kind === 'addUnique') return op.table;
  return null;
}

/** The concurrent build, then (for a unique constraint) the transaction that attaches the constraint to it. */
export function concurrentIndexSteps(op: Operation): (ConcurrentStep | { kind: 'transaction'; sql: string[] })[] | null {
  if (!concurrentIndexTable(op)) return null;
  if (op.kind === 'createIndex')
    return [{ kind: 'concurrently', table: op.table, index: op.index.name, sql: createIndexSql(op.table, op.index, true) }];
  if (op.kind === 'addUnique') {
    const u = op.unique;
    const nulls = u.nullsNotDistinct ? ' NULLS NOT DISTINCT' : '';
    // The index gets the constraint's name, as ADD CONSTRAINT … UNIQUE (…) names the index it builds.
    const build = `CREATE UNIQUE INDEX CONCURRENTLY ${ident(u.name)} ON ${ident(op.table)} (${identList(u.columns)})${nulls}`;
    const attach = `ALTER TABLE ${ident(op.table)} ADD CONSTRAINT ${ident(u.name)} UNIQUE USING INDEX ${ident(u.name)}${deferrableSql(u.deferrable)}`;
    return [
      { kind: 'concurrently', table: op.table, index: u.name, sql: build },
      { kind: 'transaction', sql: [attach] },
    ];
  }
  return null;
}
