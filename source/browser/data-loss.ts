/**
 * What stepping back would destroy, read live before the user confirms: the
 * tables, columns and enum values the downgrade drops and the rows it
 * deletes, each with how many rows hold data now. A count that cannot be
 * read (the table only appears partway through the plan, say) is shown as
 * unknown rather than as zero.
 */
import type { Database } from '../db/database.js';
import type { Operation } from '../ops/types.js';
import { collectFor } from '../runner/collect.js';
import type { DatabaseRef } from '../runner/collect.js';
import type { RevisionFile } from '../revisions/files.js';
import { literal, quoteIdent } from '../util/sql-text.js';
import type { LossItem } from './browser-state.js';

interface Probe {
  readonly what: string;
  readonly unit: string;
  readonly sql: string | null;
}

/** The destructive steps of a list of downgrade operations, with the query that counts what they take. Pure. */
export function lossProbes(ops: readonly Operation[]): Probe[] {
  const probes: Probe[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case 'dropTable':
        probes.push({ what: `table ${op.table.name}`, unit: 'rows', sql: `SELECT count(*)::bigint AS n FROM ${quoteIdent(op.table.name)}` });
        break;
      case 'dropColumn':
        probes.push({
          what: `column ${op.table}.${op.column.name}`,
          unit: 'values',
          sql: `SELECT count(${quoteIdent(op.column.name)})::bigint AS n FROM ${quoteIdent(op.table)}`,
        });
        break;
      case 'alterColumn':
        // Made generated again: the column is dropped and added, its values computed anew.
        if (!op.from.generated && op.to.generated)
          probes.push({
            what: `values of column ${op.table}.${op.column} (computed again)`,
            unit: 'values',
            sql: `SELECT count(${quoteIdent(op.column)})::bigint AS n FROM ${quoteIdent(op.table)}`,
          });
        break;
      case 'rebuildEnum':
        for (const value of op.from.filter((v) => !op.to.includes(v))) {
          const counts = op.columns.map(
            (c) =>
              `(SELECT count(*) FROM ${quoteIdent(c.table)} WHERE ${c.array ? `${literal(value)} = ANY(${quoteIdent(c.column)}::text[])` : `${quoteIdent(c.column)}::text = ${literal(value)}`})`,
          );
          probes.push({
            what: `enum value '${value}' of ${op.type}`,
            unit: 'rows hold it',
            sql: counts.length ? `SELECT (${counts.join(' + ')})::bigint AS n` : null,
          });
        }
        break;
      case 'deleteRows':
        probes.push({ what: `rows of ${op.table} where ${op.where}`, unit: 'rows', sql: `SELECT count(*)::bigint AS n FROM ${quoteIdent(op.table)} WHERE ${op.where}` });
        break;
      case 'dropEnum':
      case 'dropView':
        probes.push({ what: `${op.kind === 'dropEnum' ? 'enum type' : 'view'} ${'name' in op ? op.name : op.view.name}`, unit: '', sql: null });
        break;
      default:
        break;
    }
  }
  return probes;
}

/** The downgrade operations of each revision in the plan (newest first), then the live counts. */
export async function dataLoss(db: Database, revisions: readonly RevisionFile[], ref?: DatabaseRef): Promise<LossItem[]> {
  const ops = (await Promise.all(revisions.map((r) => collectFor(r, 'downgrade', ref)))).flat();
  const items: LossItem[] = [];
  for (const p of lossProbes(ops)) {
    if (!p.sql) {
      items.push({ what: p.what, rows: null, unit: p.unit });
      continue;
    }
    // Each count in its own savepoint-free query: a failure (a table that does not exist yet) is local.
    const rows = await db.query<{ n: string }>(p.sql).then(
      (r) => Number(r[0]?.n ?? 0),
      () => null,
    );
    items.push({ what: p.what, rows, unit: p.unit });
  }
  return items;
}
