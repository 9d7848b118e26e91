/**
 * The way back. Each operation holds what it takes to undo it (a drop holds
 * the definition it drops, an alter both sides), so a downgrade is the
 * reverse of every operation in reverse order. What cannot come back (rows
 * an answer deleted or merged) is said in a note the revision file keeps.
 */
import { placeholderFor } from './placeholder.js';
import type { Operation, OperationOf } from './types.js';

export interface Reversed {
  readonly op: Operation | null;
  readonly note?: string;
}

type Reversers = { [K in Operation['kind']]: (op: OperationOf<K>) => Reversed };

const REVERSERS: Reversers = {
  createExtension: (op) => ({ op: { kind: 'dropExtension', name: op.name } }),
  dropExtension: (op) => ({ op: { kind: 'createExtension', name: op.name, ifNotExists: true } }),
  createEnum: (op) => ({ op: { kind: 'dropEnum', name: op.name, values: op.values } }),
  dropEnum: (op) => ({ op: { kind: 'createEnum', name: op.name, values: op.values } }),
  renameEnum: (op) => ({ op: { kind: 'renameEnum', from: op.to, to: op.from } }),
  addEnumValue: (op) =>
    // PostgreSQL cannot drop an enum value: the way back rebuilds the type
    // without it (and stops, saying which rows, if rows hold it by then).
    op.existing
      ? { op: { kind: 'rebuildEnum', type: op.type, from: withValue(op), to: op.existing, columns: op.columns ?? [], fates: {} } }
      : { op: null, note: `enum ${op.type} keeps the value '${op.value}' (the revision does not say which values it had before)` },
  renameEnumValue: (op) => ({ op: { kind: 'renameEnumValue', type: op.type, from: op.to, to: op.from } }),
  rebuildEnum: (op) => {
    const where = op.columns.map((c) => `${c.table}.${c.column}`).join(', ') || op.type;
    const lost = Object.entries(op.fates).map(([v, f]) =>
      'mapTo' in f
        ? `rows of ${where} that held '${v}' were mapped to '${f.mapTo}'; the downgrade cannot tell them apart`
        : 'setNull' in f
          ? `rows of ${where} that held '${v}' were set to NULL; the downgrade cannot tell them from other NULLs`
          : `rows of ${where} that held '${v}' were deleted`,
    );
    return {
      op: { kind: 'rebuildEnum', type: op.type, from: op.to, to: op.from, columns: op.columns, fates: {} },
      ...(lost.length ? { note: lost.join('; ') } : {}),
    };
  },
  createTable: (op) => ({ op: { kind: 'dropTable', table: op.table } }),
  dropTable: (op) => ({ op: { kind: 'createTable', table: op.table }, note: `table ${op.table.name} comes back empty` }),
  renameTable: (op) => ({ op: { kind: 'renameTable', from: op.to, to: op.from } }),
  renameConstraint: (op) => ({ op: { ...op, from: op.to, to: op.from } }),
  renameIndex: (op) => ({ op: { ...op, from: op.to, to: op.from } }),
  renameSequence: (op) => ({ op: { ...op, from: op.to, to: op.from } }),
  addColumn: (op) => ({ op: { kind: 'dropColumn', table: op.table, column: op.column } }),
  dropColumn: (op) => {
    // A generated column's values are computed again: nothing is lost.
    if (op.column.generated) return { op: { kind: 'addColumn', table: op.table, column: op.column } };
    if (op.column.nullable || op.column.default != null || op.column.identity)
      return { op: { kind: 'addColumn', table: op.table, column: op.column }, note: `column ${op.table}.${op.column.name} comes back without its values` };
    // NOT NULL and no default: the schema comes back exactly, with a
    // placeholder in every row, and the file says so.
    const fill = placeholderFor(op.column);
    return fill
      ? { op: { kind: 'addColumn', table: op.table, column: op.column, backfill: fill.backfill }, note: `column ${op.table}.${op.column.name} comes back with ${fill.text} in every row: its values are gone` }
      : { op: { kind: 'addColumn', table: op.table, column: { ...op.column, nullable: true } }, note: `column ${op.table}.${op.column.name} comes back empty and nullable: its values are gone` };
  },
  renameColumn: (op) => ({ op: { kind: 'renameColumn', table: op.table, from: op.to, to: op.from } }),
  alterColumn: (op) => ({
    op: {
      kind: 'alterColumn',
      table: op.table,
      column: op.column,
      from: op.to,
      to: op.from,
      ...(op.reverseUsing ? { using: op.reverseUsing } : {}),
      ...(op.using ? { reverseUsing: op.using } : {}),
    },
    ...(op.from.generated && !op.to.generated
      ? { note: `${op.table}.${op.column} is computed again from ${op.from.generated}; values written to it since are replaced` }
      : {}),
  }),
  createIndex: (op) => ({ op: { kind: 'dropIndex', table: op.table, index: op.index, ...(op.concurrently ? { concurrently: true } : {}) } }),
  dropIndex: (op) => ({ op: { kind: 'createIndex', table: op.table, index: op.index, ...(op.concurrently ? { concurrently: true } : {}) } }),
  addUnique: (op) => ({ op: { kind: 'dropUnique', table: op.table, unique: op.unique } }),
  dropUnique: (op) => ({ op: { kind: 'addUnique', table: op.table, unique: op.unique } }),
  addForeignKey: (op) => ({ op: { kind: 'dropForeignKey', table: op.table, foreignKey: op.foreignKey } }),
  dropForeignKey: (op) => ({ op: { kind: 'addForeignKey', table: op.table, foreignKey: op.foreignKey } }),
  addCheck: (op) => ({ op: { kind: 'dropCheck', table: op.table, check: op.check } }),
  dropCheck: (op) => ({ op: { kind: 'addCheck', table: op.table, check: op.check } }),
  setTableComment: (op) => ({ op: { kind: 'setTableComment', table: op.table, from: op.to, to: op.from } }),
  createView: (op) => ({ op: { kind: 'dropView', view: op.view } }),
  dropView: (op) => ({ op: { kind: 'createView', view: op.view } }),
  replaceView: (op) => ({ op: { kind: 'replaceView', from: op.to, to: op.from } }),
  deleteRows: (op) => ({ op: null, note: `rows deleted from ${op.table} (${op.where}) cannot be restored` }),
  execute: (op) => (op.reverse ? { op: { kind: 'execute', sql: op.reverse, reverse: op.sql } } : { op: null, note: `no reverse given for: ${op.sql}` }),
};

/** The type's values once `op` added its value, in the place BEFORE/AFTER put it. */
function withValue(op: OperationOf<'addEnumValue'>): string[] {
  const values = [...(op.existing ?? [])];
  const at = op.before !== undefined ? values.indexOf(op.before) : op.after !== undefined ? values.indexOf(op.after) + 1 : -1;
  if (at < 0 || (op.after !== undefined && at === 0)) values.push(op.value);
  else values.splice(at, 0, op.value);
  return values;
}

export function reverseOperation(op: Operation): Reversed {
  return (REVERSERS[op.kind] as (o: Operation) => Reversed)(op);
}

export function reverseAll(ops: readonly Operation[]): { ops: Operation[]; notes: string[] } {
  const out: Operation[] = [];
  const notes: string[] = [];
  for (const op of [...ops].reverse()) {
    const r = reverseOperation(op);
    if (r.op) out.push(r.op);
    if (r.note) notes.push(r.note);
  }
  return { ops: out, notes };
}
