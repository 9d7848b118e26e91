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

/**
 * Where each name used by the downgrade's operations lives now. The
 * operations run one after the other, so a table or column a later step
 * drops may carry another name today (a revision stepped back first renames
 * it back) or not exist yet (an earlier step creates it again): its rows are
 * counted under its live name, or not at all.
 */
class LiveNames {
  // Name at this point of the downgrade -> live name now, or null: created by the downgrade itself.
  private readonly tables = new Map<string, string | null>();
  private readonly columns = new Map<string, string | null>();

  table(name: string): string | null {
    return this.tables.has(name) ? this.tables.get(name)! : name;
  }

  column(table: string, name: string): string | null {
    const key = `${table}\u0000${name}`;
    return this.columns.has(key) ? this.columns.get(key)! : name;
  }

  /** Follows one operation: renames carry the live name along, creations are not live. */
  follow(op: Operation): void {
    if (op.kind === 'renameTable') {
      const live = this.table(op.from);
      // Columns are keyed by the table's name at the point they are met: move them along.
      for (const [key, col] of [...this.columns]) {
        if (!key.startsWith(`${op.from}\u0000`)) continue;
        this.columns.delete(key);
        this.columns.set(`${op.to}${key.slice(op.from.length)}`, col);
      }
      this.tables.set(op.from, null);
      this.tables.set(op.to, live);
    } else if (op.kind === 'renameColumn') {
      const live = this.column(op.table, op.from);
      this.columns.set(`${op.table}\u0000${op.from}`, null);
      this.columns.set(`${op.table}\u0000${op.to}`, live);
    } else if (op.kind === 'createTable') {
      this.tables.set(op.table.name, null);
    } else if (op.kind === 'addColumn') {
      this.columns.set(`${op.table}\u0000${op.column.name}`, null);
    }
  }
}

/** `users.nick (now users.handle)` when the live name differs from the name at that point. */
function named(then: string, now: string | null): string {
  return now === null || now === then ? then : `${then} (now ${now})`;
}

/** The values of a column the downgrade takes, counted under its live name. */
function columnProbe(names: LiveNames, tableThen: string, columnThen: string, before: string, after = ''): Probe {
  const table = names.table(tableThen);
  const column = table === null ? null : names.column(tableThen, columnThen);
  const live = table === null || column === null ? null : { table, column };
  return {
    what: `${before}${named(`${tableThen}.${columnThen}`, live && `${live.table}.${live.column}`)}${after}`,
    unit: 'values',
    sql: live && `SELECT count(${quoteIdent(live.column)})::bigint AS n FROM ${quoteIdent(live.table)}`,
  };
}

/** The destructive steps of a list of downgrade operations, with the query that counts what they take (under today's names). Pure. */
export function lossProbes(ops: readonly Operation[]): Probe[] {
  const probes: Probe[] = [];
  const names = new LiveNames();
  for (const op of ops) {
    switch (op.kind) {
      case 'dropTable': {
        const live = names.table(op.table.name);
        probes.push({ what: `table ${named(op.table.name, live)}`, unit: 'rows', sql: live === null ? null : `SELECT count(*)::bigint AS n FROM ${quoteIdent(live)}` });
        break;
      }
      case 'dropColumn':
        probes.push(columnProbe(names, op.table, op.column.name, 'column '));
        break;
      case 'alterColumn':
        // Made generated again: the column is dropped and added, its values computed anew.
        if (!op.from.generated && op.to.generated) probes.push(columnProbe(names, op.table, op.column, 'values of column ', ' (computed again)'));
        break;
      case 'rebuildEnum':
        for (const value of op.from.filter((v) => !op.to.includes(v))) {
          const live = op.columns.map((c) => ({ ...c, table: names.table(c.table), column: names.column(c.table, c.column) }));
          const counts = live.map(
            (c) =>
              `(SELECT count(*) FROM ${quoteIdent(c.table ?? '')} WHERE ${c.array ? `${literal(value)} = ANY(${quoteIdent(c.column ?? '')}::text[])` : `${quoteIdent(c.column ?? '')}::text = ${literal(value)}`})`,
          );
          probes.push({
            what: `enum value '${value}' of ${op.type}`,
            unit: 'rows hold it',
            sql: counts.length && live.every((c) => c.table !== null && c.column !== null) ? `SELECT (${counts.join(' + ')})::bigint AS n` : null,
          });
        }
        break;
      case 'deleteRows': {
        const live = names.table(op.table);
        probes.push({ what: `rows of ${named(op.table, live)} where ${op.where}`, unit: 'rows', sql: live === null ? null : `SELECT count(*)::bigint AS n FROM ${quoteIdent(live)} WHERE ${op.where}` });
        break;
      }
      case 'dropEnum':
      case 'dropView':
        probes.push({ what: `${op.kind === 'dropEnum' ? 'enum type' : 'view'} ${'name' in op ? op.name : op.view.name}`, unit: '', sql: null });
        break;
      default:
        break;
    }
    names.follow(op);
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
