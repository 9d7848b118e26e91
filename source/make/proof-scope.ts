/**
 * What the proof of a revision copies: the tables and views the revision
 * names, the views reading them, and — as stubs — the tables they only lean
 * on (a foreign key's target, a table holding a foreign key to one of them,
 * a table a view reads). A revision touching three tables of a 2,000-table
 * schema is proven on a copy of a handful, so the proof costs milliseconds.
 *
 * Stubs keep what the others need of them: every column (types only: no
 * default, identity or generated expression), the primary key, the unique
 * constraints and unique indexes (a foreign key's target), and foreign keys
 * pointing at the copied tables (so dropping or changing what they point at
 * fails in the copy as it would in the database). Pure: no connection.
 */
import type { Operation } from '../ops/types.js';
import type { Column, Schema, Table, View } from '../schema/types.js';
import { relationsIn } from './sql-relations.js';

export interface ProofScope {
  /** The part of the current schema the scratch copy is built from (every enum, so types resolve in the copy). */
  readonly copy: Schema;
  /** Tables copied only as far as others need them: never compared with the models. */
  readonly stubs: ReadonlySet<string>;
  /** Table names the upgraded copy is compared with the models on (stubs left out). */
  readonly tables: ReadonlySet<string>;
  /** View names the upgraded copy is compared with the models on. */
  readonly views: ReadonlySet<string>;
}

/** The tables and views an operation names (a view: also the tables its body reads). */
function namesOf(op: Operation): { tables: string[]; views: string[] } {
  switch (op.kind) {
    case 'createExtension':
    case 'dropExtension':
    case 'createEnum':
    case 'dropEnum':
    case 'renameEnum':
    case 'renameEnumValue':
      return { tables: [], views: [] };
    case 'addEnumValue':
      return { tables: (op.columns ?? []).map((c) => c.table), views: [] };
    case 'rebuildEnum':
      return { tables: op.columns.map((c) => c.table), views: [] };
    case 'createTable':
    case 'dropTable':
      return { tables: [op.table.name, ...op.table.foreignKeys.map((f) => f.refTable)], views: [] };
    case 'renameTable':
      return { tables: [op.from, op.to], views: [] };
    case 'addForeignKey':
    case 'dropForeignKey':
      return { tables: [op.table, op.foreignKey.refTable], views: [] };
    case 'createView':
    case 'dropView':
      return { tables: viewReads(op.view), views: [op.view.name] };
    case 'replaceView':
      return { tables: [...viewReads(op.from), ...viewReads(op.to)], views: [op.from.name, op.to.name] };
    case 'execute':
      return { tables: [...relationsIn(op.sql), ...(op.reverse ? relationsIn(op.reverse) : [])], views: [] };
    default:
      return { tables: [op.table], views: [] };
  }
}

function viewReads(v: View): string[] {
  return [...(v.dependsOn ?? []).map((d) => d.table), ...relationsIn(v.sql)];
}

export function proofScope(current: Schema, operations: readonly Operation[]): ProofScope {
  const tablesByName = new Map(current.tables.map((t) => [t.name, t]));
  const viewsByName = new Map(current.views.map((v) => [v.name, v]));
  const named = { tables: new Set<string>(), views: new Set<string>() };
  for (const op of operations) {
    const n = namesOf(op);
    for (const v of n.views) named.views.add(v);
    // What SQL reads may be a view as well as a table (a view's body, an execute).
    for (const t of n.tables) (viewsByName.has(t) ? named.views : named.tables).add(t);
  }

  const full = new Set([...named.tables].filter((t) => tablesByName.has(t)));
  const views = new Set([...named.views].filter((v) => viewsByName.has(v)));
  // Views reading what is copied, and what those views read, until nothing new comes in.
  const read = new Set<string>();
  // Each view body parsed once, however many passes the loop takes.
  const readsOf = new Map(current.views.map((v) => [v.name, viewReads(v)]));
  for (let grew = true; grew; ) {
    grew = false;
    for (const v of current.views) {
      const reads = readsOf.get(v.name)!;
      if (!views.has(v.name) && reads.some((r) => full.has(r) || views.has(r))) {
        views.add(v.name);
        grew = true;
      }
      if (!views.has(v.name)) continue;
      for (const r of reads) {
        if (viewsByName.has(r) && !views.has(r)) {
          views.add(r);
          grew = true;
        } else if (tablesByName.has(r)) read.add(r);
      }
    }
  }

  const stubs = new Set<string>();
  for (const r of read) if (!full.has(r)) stubs.add(r);
  // Targets of foreign keys held by copied tables or added by the revision.
  for (const t of full) for (const fk of tablesByName.get(t)?.foreignKeys ?? []) if (!full.has(fk.refTable)) stubs.add(fk.refTable);
  // Tables whose foreign keys point at a copied table.
  for (const t of current.tables) if (!full.has(t.name) && t.foreignKeys.some((fk) => full.has(fk.refTable))) stubs.add(t.name);

  const copy: Schema = {
    extensions: current.extensions,
    enums: current.enums,
    tables: current.tables.filter((t) => full.has(t.name) || stubs.has(t.name)).map((t) => (full.has(t.name) ? t : stub(t, full))),
    views: current.views.filter((v) => views.has(v.name)),
  };
  return { copy, stubs, tables: new Set([...named.tables].filter((t) => !stubs.has(t))), views: new Set([...named.views, ...views]) };
}

function stub(t: Table, full: ReadonlySet<string>): Table {
  const plain = (c: Column): Column => ({ name: c.name, type: c.type, ...(c.enumType ? { enumType: c.enumType } : {}), nullable: c.nullable, default: null, identity: null, comment: null });
  return {
    ...t,
    columns: t.columns.map(plain),
    indexes: t.indexes.filter((i) => i.unique && !i.where),
    foreignKeys: t.foreignKeys.filter((fk) => full.has(fk.refTable)),
    checks: [],
    comment: null,
  };
}
