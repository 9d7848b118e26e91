/**
 * The SQL of every operation kind, run for real on both engines: phases of
 * operations (each one transaction, as a revision runs), data checked after
 * each, then the reversed phases, each ending where its phase started.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../source/db/database.js';
import { introspect } from '../source/db/introspect.js';
import { reverseAll } from '../source/ops/reverse.js';
import { operationToSql } from '../source/ops/sql.js';
import type { EnumColumnRef, Operation } from '../source/ops/types.js';
import type { Schema, View } from '../source/schema/types.js';
import { engines, freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';
import { comparable } from './support/roundtrip.js';
import { col, enumCol, idCol, table } from './support/schema-builders.js';

const S = 'UserStatus';
const statusDefault = `'active'::"UserStatus"`;
const users = table('users', [
  col('name', 'character varying(100)', { comment: "the user's name" }),
  enumCol('status', S, { default: statusDefault }),
  enumCol('prev', S, { nullable: true }),
  enumCol('tags', `${S}[]`, { enumType: S, nullable: true }),
  col('score', 'integer', { default: '0' }),
  col('data', 'jsonb', { nullable: true }),
  col('flag', 'boolean', { default: 'true' }),
], {
  uniques: [{ name: 'users_name_key', columns: ['name'] }],
  checks: [{ name: 'users_score_check', expression: 'CHECK ((score >= 0))' }],
  indexes: [
    { name: 'users_status_idx', columns: ['status'], unique: false, using: 'btree', where: null },
    { name: 'users_lower_idx', columns: ['(lower((name)::text))'], unique: false, using: 'btree', where: null },
  ],
  comment: 'People',
});
const order = table('order', [], {
  columns: [{ ...idCol(), identity: 'always' }, col('user_id', 'bigint', { nullable: true }), col('Total', 'numeric(10,2)')],
  indexes: [{ name: 'order_user_idx', columns: ['user_id'], unique: false, using: 'btree', where: '(user_id IS NOT NULL)' }],
});
const fk = { name: 'order_user_id_fkey', columns: ['user_id'], refTable: 'users', refColumns: ['id'], onDelete: 'cascade' as const, onUpdate: 'no action' as const };
const active: View = { name: 'Active Users', sql: `SELECT id, name, status FROM users WHERE status = 'active'::"UserStatus"` };
const enumCols: EnumColumnRef[] = [
  { table: 'users', column: 'status', nullable: false, default: statusDefault },
  { table: 'users', column: 'prev', nullable: true },
  { table: 'users', column: 'tags', nullable: true, array: true },
];
const values = ['active', 'inactive', 'suspended', 'banned', 'gone'];

/** Each phase runs in one transaction, like a revision; `check` looks at the rows afterwards. */
const phases: { ops: Operation[]; setup?: string; check?: (db: Database) => Promise<void> }[] = [
  {
    ops: [
      { kind: 'createEnum', name: S, values },
      { kind: 'createTable', table: users },
      { kind: 'createTable', table: order },
      { kind: 'addForeignKey', table: 'order', foreignKey: fk },
      { kind: 'createView', view: active },
    ],
  },
  {
    setup: `INSERT INTO users (name, status, prev, tags) VALUES ('ada', 'active', 'banned', '{banned,active}'), ('bob', 'suspended', NULL, '{suspended}'),
      ('cy', 'gone', 'gone', NULL), ('dee', 'inactive', 'suspended', '{}'); INSERT INTO "order" (user_id, "Total") VALUES (1, 9.5), (3, 1)`,
    // Views read the columns the way back rebuilds: dropped and created around, as the diff does.
    ops: [
      { kind: 'dropView', view: active },
      { kind: 'addEnumValue', type: S, value: 'pending', after: 'active', existing: values, columns: enumCols },
      { kind: 'renameEnumValue', type: S, from: 'inactive', to: 'idle' },
      { kind: 'createView', view: active },
    ],
  },
  {
    ops: [
      { kind: 'dropView', view: active },
      {
        kind: 'rebuildEnum', type: S, from: ['active', 'pending', 'idle', 'suspended', 'banned', 'gone'], to: ['active', 'pending', 'idle'], columns: enumCols,
        fates: { suspended: { mapTo: 'idle' }, banned: { setNull: true }, gone: { deleteRows: true } },
      },
      { kind: 'createView', view: active },
    ],
    check: async (db) => {
      expect(await db.query(`SELECT name, status::text, prev::text, tags::text[] FROM users ORDER BY name`)).toEqual([
        { name: 'ada', status: 'active', prev: null, tags: ['active'] },
        { name: 'bob', status: 'idle', prev: null, tags: ['idle'] },
        { name: 'dee', status: 'idle', prev: 'idle', tags: [] },
      ]);
      expect(await db.query(`SELECT count(*)::int AS n FROM "order"`)).toEqual([{ n: 1 }]); // cy's order went with cy
    },
  },
  {
    ops: [
      { kind: 'addColumn', table: 'users', column: col('age', 'integer'), backfill: { value: 0 } },
      { kind: 'addColumn', table: 'users', column: col('handle', 'text'), backfill: { sql: 'upper(name)' } },
      { kind: 'addColumn', table: 'users', column: col('since', 'timestamp with time zone', { default: 'now()' }), backfill: { useDefault: true } },
      { kind: 'addColumn', table: 'users', column: enumCol('mood', S, { default: statusDefault, comment: 'x' }), backfill: { value: 'pending' } },
      { kind: 'addColumn', table: 'users', column: col('meta', 'jsonb'), backfill: { value: { q: "it's \\ $$" } } },
      { kind: 'addColumn', table: 'users', column: col('born', 'date'), backfill: { value: '2024-01-31' } },
      { kind: 'addColumn', table: 'users', column: col('ok', 'boolean'), backfill: { value: false } },
      { kind: 'addColumn', table: 'users', column: enumCol('more', `${S}[]`, { enumType: S }), backfill: { value: ['idle', 'active'] } },
      { kind: 'dropView', view: active },
      { kind: 'alterColumn', table: 'users', column: 'name', from: { type: 'character varying(100)', nullable: false, default: null, comment: "the user's name" }, to: { type: 'text', nullable: false, default: "'?'::text", comment: null } },
      { kind: 'alterColumn', table: 'users', column: 'prev', from: { type: S, enumType: S, nullable: true, default: null }, to: { type: S, enumType: S, nullable: false, default: statusDefault }, backfill: { value: 'active' } },
      { kind: 'alterColumn', table: 'order', column: 'Total', from: { type: 'numeric(10,2)', nullable: false, default: null }, to: { type: 'integer', nullable: true, default: '1' }, using: 'round("Total")::integer', reverseUsing: '"Total"::numeric(10,2)' },
      { kind: 'createView', view: active },
      { kind: 'renameColumn', table: 'users', from: 'flag', to: 'Flag' },
      { kind: 'renameTable', from: 'order', to: 'Order' },
      { kind: 'setTableComment', table: 'Order', from: null, to: "it's" },
      { kind: 'addUnique', table: 'users', unique: { name: 'users_handle_key', columns: ['handle'] } },
      { kind: 'createIndex', table: 'users', index: { name: 'users_tags_idx', columns: ['tags'], unique: false, using: 'gin', with: { fastupdate: 'off' }, where: null } },
      { kind: 'dropIndex', table: 'users', index: users.indexes[1] },
      { kind: 'dropUnique', table: 'users', unique: users.uniques[0] },
      { kind: 'dropForeignKey', table: 'Order', foreignKey: fk },
      { kind: 'dropColumn', table: 'users', column: col('data', 'jsonb', { nullable: true }) },
      { kind: 'deleteRows', table: 'users', where: `name = 'dee'` },
      { kind: 'execute', sql: 'CREATE TABLE x (y int)', reverse: 'DROP TABLE x' },
    ],
    check: async (db) => {
      expect(await db.query(`SELECT name, age, handle, mood::text, meta, born::text, ok, more::text[], prev::text, since IS NOT NULL AS since FROM users ORDER BY name`)).toEqual([
        { name: 'ada', age: 0, handle: 'ADA', mood: 'pending', meta: { q: "it's \\ $$" }, born: '2024-01-31', ok: false, more: ['idle', 'active'], prev: 'active', since: true },
        { name: 'bob', age: 0, handle: 'BOB', mood: 'pending', meta: { q: "it's \\ $$" }, born: '2024-01-31', ok: false, more: ['idle', 'active'], prev: 'active', since: true },
      ]);
      expect(await db.query(`SELECT "Total" FROM "Order"`)).toEqual([{ Total: 10 }]);
    },
  },
  { ops: [{ kind: 'replaceView', from: active, to: { name: 'Active Users', sql: 'SELECT id FROM users' } }] },
];

describe.each(engines)('operations on %s', (engine) => {
  let fresh: FreshDatabase;
  let db: Database;
  const before: Schema[] = [];
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    db = fresh.db;
  });
  afterAll(async () => fresh?.dispose());

  async function run(ops: readonly Operation[]): Promise<void> {
    await db.query('BEGIN');
    try {
      for (const op of ops) for (const sql of operationToSql(op)) await db.query(sql);
      await db.query('COMMIT');
    } catch (e) {
      await db.query('ROLLBACK');
      throw e;
    }
  }

  it('runs every phase, each in one transaction', async () => {
    for (const phase of phases) {
      if (phase.setup) await db.query(phase.setup);
      before.push(await introspect(db));
      await run(phase.ops);
      await phase.check?.(db);
    }
  });

  it('runs the reversed phases, each back to where its phase started', async () => {
    expect(before).toHaveLength(phases.length);
    for (let i = phases.length - 1; i >= 0; i--) {
      await run(reverseAll(phases[i].ops).ops);
      expect(comparable(await introspect(db)), `after undoing phase ${i + 1}`).toEqual(comparable(before[i]));
    }
  });

  it('stops a rebuild when rows hold a removed value nobody answered for', async () => {
    await run([{ kind: 'createEnum', name: 'e', values: ['a', 'b'] }, { kind: 'createTable', table: table('t', [enumCol('c', 'e')]) }]);
    await db.query(`INSERT INTO t (c) VALUES ('b')`);
    const rebuild: Operation = { kind: 'rebuildEnum', type: 'e', from: ['a', 'b'], to: ['a'], columns: [{ table: 't', column: 'c', nullable: false }], fates: {} };
    await expect(run([rebuild])).rejects.toThrow("rows of t.c hold 'b', which enum e no longer has");
    expect((await introspect(db)).enums.find((e) => e.name === 'e')?.values).toEqual(['a', 'b']);
  });
});
