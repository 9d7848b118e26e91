/** Operations in words, one line each, for people: the CLI, the wizard, `show`. */
import { sqlValue } from '../util/sql-text.js';
import { checkExpression } from './sql-parts.js';
import type { Backfill, Operation, OperationOf } from './types.js';

type Describers = { [K in Operation['kind']]: (op: OperationOf<K>) => string };

function backfillText(b: Backfill): string {
  if ('value' in b) return `backfill ${sqlValue(b.value)}`;
  if ('sql' in b) return `backfill ${b.sql}`;
  return 'backfill with the default';
}

const DESCRIBERS: Describers = {
  createExtension: (op) => `enable extension ${op.name}`,
  dropExtension: (op) => `drop extension ${op.name}`,
  createEnum: (op) => `create enum ${op.name} (${op.values.map((v) => `'${v}'`).join(', ')})`,
  dropEnum: (op) => `drop enum ${op.name}`,
  renameEnum: (op) => `rename enum ${op.from} to ${op.to}`,
  addEnumValue: (op) => `add value '${op.value}' to enum ${op.type}${op.before ? ` before '${op.before}'` : op.after ? ` after '${op.after}'` : ''}`,
  renameEnumValue: (op) => `rename value '${op.from}' of enum ${op.type} to '${op.to}'`,
  rebuildEnum: (op) => {
    const removed = op.from.filter((v) => !op.to.includes(v));
    const fate = (v: string) => {
      const f = Object.hasOwn(op.fates, v) ? op.fates[v] : undefined;
      return !f ? '' : 'mapTo' in f ? `rows → '${f.mapTo}'` : 'setNull' in f ? 'rows → NULL' : 'rows deleted';
    };
    if (removed.length === 0) return `reorder the values of enum ${op.type}`;
    if (removed.length === 1) {
      const what = fate(removed[0]);
      return `remove value '${removed[0]}' from enum ${op.type}${what ? ` (${what})` : ''}`;
    }
    const each = removed.map((v) => (fate(v) ? `'${v}' (${fate(v)})` : `'${v}'`));
    return `remove values ${each.join(', ')} from enum ${op.type}`;
  },
  createTable: (op) => `create table ${op.table.name} (${op.table.columns.length} columns)`,
  dropTable: (op) => `drop table ${op.table.name}`,
  renameTable: (op) => `rename table ${op.from} to ${op.to}`,
  renameConstraint: (op) => `rename constraint ${op.from} of ${op.table} to ${op.to}`,
  renameIndex: (op) => `rename index ${op.from} of ${op.table} to ${op.to}`,
  renameSequence: (op) => `rename sequence ${op.from} of ${op.table}.${op.column} to ${op.to}`,
  addColumn: (op) =>
    `add column ${op.table}.${op.column.name} ${op.column.type}${op.column.generated ? ` generated from ${op.column.generated}` : ''}${op.column.nullable ? '' : ' NOT NULL'}${op.backfill ? ` (${backfillText(op.backfill)})` : ''}`,
  dropColumn: (op) => `drop column ${op.table}.${op.column.name}`,
  renameColumn: (op) => `rename column ${op.table}.${op.from} to ${op.to}`,
  alterColumn: (op) => {
    const changes: string[] = [];
    if (op.from.type !== op.to.type) changes.push(`type ${op.from.type} → ${op.to.type}${op.using ? ` using ${op.using}` : ''}`);
    if (op.from.nullable !== op.to.nullable) changes.push(op.to.nullable ? 'nullable' : `NOT NULL${op.backfill ? ` (${backfillText(op.backfill)})` : ''}`);
    if ((op.from.default ?? null) !== (op.to.default ?? null)) changes.push(`default ${op.to.default ?? 'none'}`);
    if ((op.from.comment ?? null) !== (op.to.comment ?? null)) changes.push('comment');
    if ((op.from.identity ?? null) !== (op.to.identity ?? null)) changes.push(op.to.identity ? `identity ${op.to.identity}` : 'no identity');
    if ((op.from.generated ?? null) !== (op.to.generated ?? null))
      changes.push(op.to.generated ? `generated from ${op.to.generated} (dropped and added)` : 'no longer generated (values kept)');
    return `alter column ${op.table}.${op.column}: ${changes.join(', ') || 'no change'}`;
  },
  createIndex: (op) => `create ${op.index.unique ? 'unique ' : ''}index ${op.index.name} on ${op.table} (${op.index.columns.join(', ')})`,
  dropIndex: (op) => `drop index ${op.index.name}`,
  addUnique: (op) => `add unique constraint ${op.unique.name} on ${op.table} (${op.unique.columns.join(', ')})`,
  dropUnique: (op) => `drop unique constraint ${op.unique.name}`,
  addForeignKey: (op) => `add foreign key ${op.table} (${op.foreignKey.columns.join(', ')}) → ${op.foreignKey.refTable}`,
  dropForeignKey: (op) => `drop foreign key ${op.foreignKey.name}`,
  addCheck: (op) => `add check ${op.check.name} on ${op.table} (${checkExpression(op.check.expression)})`,
  dropCheck: (op) => `drop check ${op.check.name}`,
  setTableComment: (op) => `set the comment of table ${op.table}`,
  createView: (op) => `create view ${op.view.name}`,
  dropView: (op) => `drop view ${op.view.name}`,
  replaceView: (op) => `replace view ${op.to.name}`,
  deleteRows: (op) => `delete rows of ${op.table} where ${op.where}`,
  execute: (op) => `execute ${op.sql.split('\n')[0].slice(0, 60)}`,
};

export function describeOperation(op: Operation): string {
  return (DESCRIBERS[op.kind] as (o: Operation) => string)(op);
}

/** Operations that lose data or definitions: the UI marks them. */
export function isDestructive(op: Operation): boolean {
  switch (op.kind) {
    case 'dropTable':
    case 'dropColumn':
    case 'dropEnum':
    case 'dropView':
    case 'deleteRows':
      return true;
    case 'rebuildEnum':
      return op.from.some((v) => !op.to.includes(v));
    default:
      return false;
  }
}
