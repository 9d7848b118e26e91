/** The way back: each operation's reverse, the notes for what cannot come back, the order. */
import { describe, expect, it } from 'vitest';
import { describeOperation, isDestructive } from '../source/ops/describe.js';
import { reverseAll, reverseOperation } from '../source/ops/reverse.js';
import type { EnumColumnRef, Operation } from '../source/ops/types.js';
import { col, table } from './support/schema-builders.js';

const status: EnumColumnRef = { table: 'orders', column: 'status', nullable: true, default: "'open'::orderstatus" };
const users = table('users', [col('name', 'text')]);
const index = { name: 'i', columns: ['name'], unique: false, using: 'btree' as const, where: null };
const fk = { name: 'f', columns: ['a'], refTable: 'b', refColumns: ['id'], onDelete: 'cascade' as const, onUpdate: 'no action' as const };
const view = { name: 'v', sql: 'SELECT 1' };

/** Pairs that are each other's reverse, with no note. */
const pairs: [Operation, Operation][] = [
  [{ kind: 'createExtension', name: 'vector' }, { kind: 'dropExtension', name: 'vector' }],
  [{ kind: 'createEnum', name: 'e', values: ['a', 'b'] }, { kind: 'dropEnum', name: 'e', values: ['a', 'b'] }],
  [{ kind: 'renameEnum', from: 'a', to: 'b' }, { kind: 'renameEnum', from: 'b', to: 'a' }],
  [{ kind: 'renameEnumValue', type: 'e', from: 'a', to: 'b' }, { kind: 'renameEnumValue', type: 'e', from: 'b', to: 'a' }],
  [{ kind: 'createTable', table: users }, { kind: 'dropTable', table: users }],
  [{ kind: 'renameTable', from: 'a', to: 'b' }, { kind: 'renameTable', from: 'b', to: 'a' }],
  [{ kind: 'addColumn', table: 't', column: col('c', 'text', { nullable: true }) }, { kind: 'dropColumn', table: 't', column: col('c', 'text', { nullable: true }) }],
  [{ kind: 'renameColumn', table: 't', from: 'a', to: 'b' }, { kind: 'renameColumn', table: 't', from: 'b', to: 'a' }],
  [{ kind: 'createIndex', table: 't', index }, { kind: 'dropIndex', table: 't', index }],
  [{ kind: 'addUnique', table: 't', unique: { name: 'u', columns: ['a'] } }, { kind: 'dropUnique', table: 't', unique: { name: 'u', columns: ['a'] } }],
  [{ kind: 'addForeignKey', table: 't', foreignKey: fk }, { kind: 'dropForeignKey', table: 't', foreignKey: fk }],
  [{ kind: 'setTableComment', table: 't', from: null, to: 'x' }, { kind: 'setTableComment', table: 't', from: 'x', to: null }],
  [{ kind: 'createView', view }, { kind: 'dropView', view }],
  [{ kind: 'replaceView', from: view, to: { name: 'v', sql: 'SELECT 2' } }, { kind: 'replaceView', from: { name: 'v', sql: 'SELECT 2' }, to: view }],
  [{ kind: 'execute', sql: 'CREATE TABLE x ()', reverse: 'DROP TABLE x' }, { kind: 'execute', sql: 'DROP TABLE x', reverse: 'CREATE TABLE x ()' }],
];

describe('reverseOperation', () => {
  it.each(pairs.map(([a, b]) => [a.kind, a, b] as const))('reverses %s without a note, and back', (_kind, a, b) => {
    expect(reverseOperation(a)).toEqual({ op: b });
    const back = reverseOperation(b).op;
    if (a.kind === 'createExtension') expect(back).toEqual({ ...a, ifNotExists: true });
    else expect(back).toEqual(a);
  });

  it('says that a dropped table or column comes back without its rows', () => {
    expect(reverseOperation({ kind: 'dropTable', table: users })).toEqual({ op: { kind: 'createTable', table: users }, note: 'table users comes back empty' });
    const r = reverseOperation({ kind: 'dropColumn', table: 'users', column: col('age', 'integer') });
    expect(r.op).toEqual({ kind: 'addColumn', table: 'users', column: col('age', 'integer'), backfill: { value: 0 } });
    expect(r.note).toContain('users.age comes back with 0');
  });

  it('swaps both sides of an alter and its USING expressions, and drops the backfill', () => {
    const from = { type: 'text', nullable: true, default: null };
    const to = { type: 'integer', nullable: false, default: '0' };
    const r = reverseOperation({ kind: 'alterColumn', table: 't', column: 'c', from, to, using: 'c::integer', reverseUsing: 'c::text', backfill: { value: 0 } });
    expect(r).toEqual({ op: { kind: 'alterColumn', table: 't', column: 'c', from: to, to: from, using: 'c::text', reverseUsing: 'c::integer' } });
  });

  it('rebuilds an enum back to its old values, saying which rows cannot be told apart', () => {
    const r = reverseOperation({
      kind: 'rebuildEnum', type: 'orderstatus', from: ['open', 'closed', 'cancelled', 'lost', 'x'], to: ['open', 'closed'], columns: [status],
      fates: { cancelled: { mapTo: 'closed' }, lost: { setNull: true }, x: { deleteRows: true } },
    });
    expect(r.op).toEqual({ kind: 'rebuildEnum', type: 'orderstatus', from: ['open', 'closed'], to: ['open', 'closed', 'cancelled', 'lost', 'x'], columns: [status], fates: {} });
    expect(r.note).toBe(
      "rows of orders.status that held 'cancelled' were mapped to 'closed'; the downgrade cannot tell them apart; " +
        "rows of orders.status that held 'lost' were set to NULL; the downgrade cannot tell them from other NULLs; " +
        "rows of orders.status that held 'x' were deleted",
    );
    expect(reverseOperation({ kind: 'rebuildEnum', type: 'e', from: ['b', 'a'], to: ['a', 'b'], columns: [], fates: {} })).toEqual({
      op: { kind: 'rebuildEnum', type: 'e', from: ['a', 'b'], to: ['b', 'a'], columns: [], fates: {} },
    });
  });

  it('removes an added enum value by a rebuild that keeps its place', () => {
    const add = (where: { before?: string; after?: string }) =>
      reverseOperation({ kind: 'addEnumValue', type: 'orderstatus', value: 'new', ...where, existing: ['open', 'closed'], columns: [status] }).op;
    expect(add({ after: 'open' })).toEqual({ kind: 'rebuildEnum', type: 'orderstatus', from: ['open', 'new', 'closed'], to: ['open', 'closed'], columns: [status], fates: {} });
    expect(add({ before: 'open' })).toMatchObject({ from: ['new', 'open', 'closed'] });
    expect(add({})).toMatchObject({ from: ['open', 'closed', 'new'] });
    // Without the values it had, the type cannot be rebuilt: the value stays, and the file says so.
    const r = reverseOperation({ kind: 'addEnumValue', type: 'e', value: 'v' });
    expect(r.op).toBeNull();
    expect(r.note).toContain("enum e keeps the value 'v'");
  });

  it('cannot bring back deleted rows or run an execute without its reverse', () => {
    expect(reverseOperation({ kind: 'deleteRows', table: 'orders', where: "status = 'x'" })).toEqual({
      op: null, note: "rows deleted from orders (status = 'x') cannot be restored",
    });
    expect(reverseOperation({ kind: 'execute', sql: 'VACUUM' })).toEqual({ op: null, note: 'no reverse given for: VACUUM' });
  });
});

describe('reverseAll', () => {
  it('reverses in reverse order and collects the notes', () => {
    const { ops, notes } = reverseAll([
      { kind: 'createEnum', name: 'e', values: ['a'] },
      { kind: 'deleteRows', table: 't', where: 'true' },
      { kind: 'createTable', table: users },
      { kind: 'addForeignKey', table: 'users', foreignKey: fk },
    ]);
    expect(ops.map((o) => o.kind)).toEqual(['dropForeignKey', 'dropTable', 'dropEnum']);
    expect(notes).toEqual(['rows deleted from t (true) cannot be restored']);
  });
});

describe('describeOperation and isDestructive', () => {
  it('puts operations in words', () => {
    expect(describeOperation({ kind: 'createTable', table: users })).toBe('create table users (2 columns)');
    expect(describeOperation({ kind: 'addColumn', table: 'users', column: col('age', 'integer'), backfill: { value: 0 } })).toBe('add column users.age integer NOT NULL (backfill 0)');
    expect(describeOperation({ kind: 'dropTable', table: table('legacy', []) })).toBe('drop table legacy');
    const rebuild = { kind: 'rebuildEnum', type: 'userstatus', from: ['active', 'inactive', 'suspended'], to: ['active', 'inactive'], columns: [], fates: { suspended: { mapTo: 'inactive' } } } as const;
    expect(describeOperation(rebuild)).toBe("remove value 'suspended' from enum userstatus (rows → 'inactive')");
    expect(describeOperation({ ...rebuild, to: ['active'], fates: { ...rebuild.fates, inactive: { deleteRows: true } } })).toBe(
      "remove values 'inactive' (rows deleted), 'suspended' (rows → 'inactive') from enum userstatus",
    );
  });

  it('has a description for every kind', () => {
    for (const [a, b] of pairs) for (const op of [a, b]) expect(describeOperation(op)).toMatch(/\w/);
  });

  it('marks what loses data or definitions', () => {
    expect(isDestructive({ kind: 'dropTable', table: users })).toBe(true);
    expect(isDestructive({ kind: 'dropColumn', table: 't', column: col('c', 'text') })).toBe(true);
    expect(isDestructive({ kind: 'dropEnum', name: 'e', values: [] })).toBe(true);
    expect(isDestructive({ kind: 'dropView', view })).toBe(true);
    expect(isDestructive({ kind: 'deleteRows', table: 't', where: 'true' })).toBe(true);
    expect(isDestructive({ kind: 'rebuildEnum', type: 'e', from: ['a', 'b'], to: ['a'], columns: [], fates: {} })).toBe(true);
    expect(isDestructive({ kind: 'rebuildEnum', type: 'e', from: ['a', 'b'], to: ['b', 'a'], columns: [], fates: {} })).toBe(false);
    expect(isDestructive({ kind: 'createTable', table: users })).toBe(false);
    expect(isDestructive({ kind: 'renameColumn', table: 't', from: 'a', to: 'b' })).toBe(false);
  });
});
