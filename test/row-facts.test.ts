/**
 * The live numbers questions show, on both engines: row counts, rows holding
 * a value, NULLs; missing tables and columns skipped; one counting query
 * whatever the number of tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../source/db/database.js';
import { countNulls, countRows, countValues } from '../source/db/row-facts.js';
import { engines, freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';

function counting(db: Database): { db: Database; count: () => number } {
  let n = 0;
  return { db: { ...db, query: (sql, params) => (n++, db.query(sql, params)) }, count: () => n };
}

describe.each(engines)('row facts on %s', (engine) => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    await fresh.db.query(`
      CREATE TYPE userstatus AS ENUM ('active', 'inactive', 'suspended');
      CREATE TABLE users (id int PRIMARY KEY, status userstatus, tags userstatus[], age int);
      INSERT INTO users VALUES
        (1, 'active', '{active}', 30), (2, 'suspended', '{suspended,active}', NULL),
        (3, 'suspended', NULL, NULL), (4, NULL, '{}', 41);
      CREATE TABLE "Order Items" ("Qty" int);
      INSERT INTO "Order Items" VALUES (1), (NULL);
      CREATE TABLE empty (x int);
    `);
  });
  afterAll(async () => fresh?.dispose());

  it('counts rows per table, skipping tables that do not exist', async () => {
    expect(await countRows(fresh.db, ['users', 'Order Items', 'empty', 'missing'])).toEqual({ users: 4, 'Order Items': 2, empty: 0 });
    expect(await countRows(fresh.db, [])).toEqual({});
  });

  it('counts rows holding a value, in plain and array columns', async () => {
    const counts = await countValues(fresh.db, [
      { table: 'users', column: 'status', value: 'suspended' },
      { table: 'users', column: 'tags', value: 'active' },
      { table: 'users', column: 'status', value: 'inactive' },
      { table: 'users', column: 'gone', value: 'x' },
      { table: 'missing', column: 'status', value: 'x' },
      { table: 'users', column: 'status', value: "it's" },
      { table: 'Order Items', column: 'Qty', value: '1' },
    ]);
    expect(counts).toEqual([2, 2, 0, 0, 0, 0, 1]);
  });

  it('counts NULLs', async () => {
    const counts = await countNulls(fresh.db, [
      { table: 'users', column: 'age' },
      { table: 'users', column: 'status' },
      { table: 'users', column: 'id' },
      { table: 'Order Items', column: 'Qty' },
      { table: 'missing', column: 'x' },
    ]);
    expect(counts).toEqual([2, 1, 0, 1, 0]);
  });

  it('uses the same number of queries for 1 table as for 40', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `t${i}`);
    await fresh.db.query(many.map((t) => `CREATE TABLE ${t} (a int); INSERT INTO ${t} VALUES (1), (NULL);`).join('\n'));
    const queries: number[] = [];
    for (const tables of [['t0'], many]) {
      const c = counting(fresh.db);
      const rows = await countRows(c.db, tables);
      expect(Object.values(rows)).toEqual(tables.map(() => 2));
      await countNulls(c.db, tables.map((table) => ({ table, column: 'a' })));
      await countValues(c.db, tables.map((table) => ({ table, column: 'a', value: '1' })));
      queries.push(c.count());
    }
    expect(queries[1]).toBe(queries[0]);
  });
});
