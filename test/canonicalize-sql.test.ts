/**
 * Pieces of model SQL in the database's own spelling, on both engines: the
 * same text introspection reads back once the object exists, in one batch,
 * NULL for what the database refuses, and nothing left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalizeSql, singleExpression } from '../source/db/canonicalize-sql.js';
import type { SqlTableContext } from '../source/db/canonicalize-sql.js';
import { introspect } from '../source/db/introspect.js';
import { engines, freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';

const users: SqlTableContext = {
  table: 'users',
  columns: [
    { name: 'email', type: 'character varying(255)' },
    { name: 'role', type: 'user_role' },
    { name: 'tags', type: 'my_enum[]' },
    { name: 'price', type: 'numeric(10,2)' },
    { name: 'quantity', type: 'integer' },
    { name: 'total', type: 'numeric(12,2)' },
  ],
};

describe.each(engines)('canonicalizeSql on %s', (engine) => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
  });
  afterAll(async () => fresh?.dispose());

  it('prints each kind of piece as introspection reads it back, with enum types the database does not hold yet', async () => {
    const enums = [{ name: 'user_role', values: ['admin', 'member'] }, { name: 'my_enum', values: ['A', 'B'] }];
    const texts = await canonicalizeSql(fresh.db, [
      { kind: 'indexPredicate', context: users, sql: "email <> ''" },
      { kind: 'indexPredicate', context: users, sql: "role = 'admin'" },
      { kind: 'indexExpression', context: users, sql: 'lower(email)' },
      { kind: 'default', context: users, column: 'tags', sql: "ARRAY['A','B']::my_enum[]" },
      { kind: 'check', context: users, sql: 'quantity > 0' },
      { kind: 'generated', context: users, column: 'total', sql: 'price * quantity' },
    ], enums);

    // The same objects made for real, then introspected.
    await fresh.db.query(`
      CREATE TYPE user_role AS ENUM ('admin', 'member');
      CREATE TYPE my_enum AS ENUM ('A', 'B');
      CREATE TABLE users (email character varying(255), role user_role, tags my_enum[] DEFAULT ARRAY['A','B']::my_enum[],
        price numeric(10,2), quantity integer, total numeric(12,2) GENERATED ALWAYS AS (price * quantity) STORED,
        CONSTRAINT users_quantity_check CHECK (quantity > 0));
      CREATE INDEX a ON users (email) WHERE email <> '';
      CREATE INDEX b ON users (email) WHERE role = 'admin';
      CREATE INDEX c ON users (lower(email));`);
    try {
      const [table] = (await introspect(fresh.db)).tables;
      const generated = await fresh.db.query<{ expr: string }>(
        `SELECT pg_get_expr(d.adbin, d.adrelid) AS expr FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
         WHERE d.adrelid = 'users'::regclass AND a.attname = 'total'`);
      expect(texts).toEqual([
        table.indexes.find((i) => i.name === 'a')!.where,
        table.indexes.find((i) => i.name === 'b')!.where,
        table.indexes.find((i) => i.name === 'c')!.columns[0],
        table.columns.find((c) => c.name === 'tags')!.default,
        table.checks[0].expression,
        generated[0].expr,
      ]);
      expect(texts[1]).toBe("role = 'admin'::user_role");
      expect(texts[4]).toBe('CHECK (quantity > 0)');
    } finally {
      await fresh.db.query('DROP TABLE users; DROP TYPE user_role; DROP TYPE my_enum');
    }
  });

  it('gives NULL for what the database refuses, keeps the rest, and leaves nothing behind', async () => {
    await fresh.db.query('CREATE TABLE things (n integer)');
    try {
      const ctx: SqlTableContext = { table: 'things', columns: [{ name: 'n', type: 'integer' }] };
      const texts = await canonicalizeSql(fresh.db, [
        { kind: 'indexPredicate', context: ctx, sql: 'nope > 0' },
        { kind: 'default', context: ctx, column: 'n', sql: "'x'" },
        { kind: 'default', context: ctx, column: 'n', sql: '1 + 1' },
        { kind: 'indexPredicate', context: ctx, sql: 'n > 0); DROP TABLE things; SELECT (1' },
        { kind: 'check', context: { table: 'other', columns: [{ name: 'v', type: 'no_such_type' }] }, sql: 'v > 0' },
        { kind: 'check', context: ctx, sql: 'CHECK (n > 0)' },
      ]);
      expect(texts).toEqual([null, null, '(1 + 1)', null, null, 'CHECK (n > 0)']);
      expect(await fresh.db.query(`SELECT to_regclass('things')::text AS t`)).toEqual([{ t: 'things' }]);
      const left = await fresh.db.query(`SELECT relname FROM pg_class WHERE relname LIKE 'fastedgy_probe%' OR relnamespace = pg_my_temp_schema()`);
      expect(left).toEqual([]);
      // The session is usable again: no transaction left open or aborted.
      expect(await fresh.db.query('SELECT count(*)::int AS n FROM things')).toEqual([{ n: 0 }]);
    } finally {
      await fresh.db.query('DROP TABLE things');
    }
  });

  it('asks nothing for no pieces', async () => {
    expect(await canonicalizeSql(fresh.db, [])).toEqual([]);
  });
});

describe('singleExpression', () => {
  it('accepts one expression and refuses what could end the statement it is put in', () => {
    expect(singleExpression("email <> '' AND note = 'a;b)'")).toBe(true);
    expect(singleExpression(`"we;ird" > 0`)).toBe(true);
    expect(singleExpression("x = E'it\\'s; fine'")).toBe(true);
    expect(singleExpression('n > 0; DROP TABLE t')).toBe(false);
    expect(singleExpression('n > 0) OR (true')).toBe(false);
    expect(singleExpression("x = E'\\''; DROP TABLE t; --'")).toBe(false);
    expect(singleExpression('n > 0 -- comment')).toBe(false);
    expect(singleExpression("'unterminated")).toBe(false);
  });
});
