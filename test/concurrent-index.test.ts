/**
 * Indexes on live tables (issue 13): an index or unique constraint that a
 * revision adds to a table with rows (as many as the low-lock threshold) is
 * built with CREATE INDEX CONCURRENTLY, as a step of its own between the
 * revision's transactions, chosen when the revision runs (the file is the
 * same); the result is the one-transaction form's, names and definitions
 * included; another session's writes go on during the build; a build killed
 * midway leaves an INVALID index that the rerun drops and builds again.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openServer } from '../source/db/connect.js';
import type { Database } from '../source/db/database.js';
import type { Operation } from '../source/ops/types.js';
import { BATCH_THRESHOLD } from '../source/ops/low-lock.js';
import { freshDatabase } from './support/databases.js';
import type { Engine } from './support/databases.js';
import { moveAlong, revisionOf } from './support/low-lock-revisions.js';
import { until, waiting } from './support/wait-for-rows.js';
import { col } from './support/schema-builders.js';

const ROWS = 2 * BATCH_THRESHOLD;
/** Forces the one-transaction form, whatever the row count. */
const ONE_TRANSACTION = { batchThreshold: 1_000_000_000 };

async function fill(db: Database, rows = ROWS) {
  await db.query(`CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL)`);
  await db.query(`INSERT INTO t SELECT g, 'n' || (g % 100), 'u' || g || '@example.com' FROM generate_series(1, ${rows}) g`);
}

/** What a user would compare: every index and constraint of t, as PostgreSQL prints them. */
async function indexesOf(db: Database) {
  const indexes = await db.query(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 't'::regclass ORDER BY 1`,
  );
  const constraints = await db.query(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def, condeferrable AS deferrable, condeferred AS deferred, conindid::regclass::text AS index FROM pg_constraint WHERE conrelid = 't'::regclass ORDER BY 1`,
  );
  return { indexes, constraints };
}

const ops: Operation[] = [
  { kind: 'addColumn', table: 't', column: col('code', 'text'), backfill: { sql: `'c' || id` } },
  { kind: 'createIndex', table: 't', index: { name: 't_code_idx', columns: ['code'], unique: false, using: 'btree' } },
  { kind: 'createIndex', table: 't', index: { name: 't_lower_name_idx', columns: ['(lower(name))'], unique: false, using: 'btree', where: 'id > 10' } },
  { kind: 'addUnique', table: 't', unique: { name: 't_email_key', columns: ['email'], deferrable: 'deferred' } },
];

async function onBoth(engine: Engine) {
  const big = await freshDatabase(engine);
  const small = await freshDatabase(engine);
  try {
    for (const f of [big, small]) await fill(f.db);
    const rev = revisionOf('i1', null, ops);
    const statements: string[] = [];
    await moveAlong(big.db, [rev], 'upgrade', undefined, { onEvent: (e) => e.sql && statements.push(e.sql) });
    const plain: string[] = [];
    await moveAlong(small.db, [rev], 'upgrade', undefined, { ...ONE_TRANSACTION, onEvent: (e) => e.sql && plain.push(e.sql) });

    // The same revision file, two forms chosen at run time.
    expect(statements).toContain('CREATE INDEX CONCURRENTLY t_code_idx ON t (code)');
    expect(statements).toContain('CREATE INDEX CONCURRENTLY t_lower_name_idx ON t ((lower(name))) WHERE id > 10');
    expect(statements).toContain('CREATE UNIQUE INDEX CONCURRENTLY t_email_key ON t (email)');
    expect(statements).toContain('ALTER TABLE t ADD CONSTRAINT t_email_key UNIQUE USING INDEX t_email_key DEFERRABLE INITIALLY DEFERRED');
    expect(statements.filter((s) => /^CREATE INDEX t_|ADD CONSTRAINT t_email_key UNIQUE \(/.test(s))).toEqual([]);
    // The index on the new column is built after SET NOT NULL's transaction, not inside it.
    expect(statements.indexOf('CREATE INDEX CONCURRENTLY t_code_idx ON t (code)')).toBeGreaterThan(statements.findIndex((s) => /SET NOT NULL/.test(s)));
    expect(plain).toContain('CREATE INDEX t_code_idx ON t (code)');
    expect(plain).toContain('ALTER TABLE t ADD CONSTRAINT t_email_key UNIQUE (email) DEFERRABLE INITIALLY DEFERRED');
    expect(plain.some((s) => /CONCURRENTLY/.test(s))).toBe(false);

    const after = await indexesOf(big.db);
    expect(after).toEqual(await indexesOf(small.db));
    expect(after.indexes.map((i) => i.name)).toEqual(['t_code_idx', 't_email_key', 't_lower_name_idx', 't_pkey']);
    expect(after.indexes.every((i) => i.valid)).toBe(true);
    expect(after.constraints.find((c) => c.name === 't_email_key')).toEqual({ name: 't_email_key', def: 'UNIQUE (email) DEFERRABLE INITIALLY DEFERRED', deferrable: true, deferred: true, index: 't_email_key' });
    expect(await big.db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([{ revision: 'i1' }]);
    expect(await big.db.query(`SELECT * FROM fastedgy_progress`)).toEqual([]);

    await moveAlong(big.db, [rev], 'downgrade', 'base');
    expect((await indexesOf(big.db)).indexes.map((i) => i.name)).toEqual(['t_pkey']);
    expect(await big.db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([]);
    expect(await big.db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 't' AND column_name = 'code'`)).toEqual([{ n: 0 }]);
    // And up again: the concurrent form again, the same result.
    await moveAlong(big.db, [rev], 'upgrade');
    expect(await indexesOf(big.db)).toEqual(await indexesOf(small.db));
  } finally {
    await big.dispose();
    await small.dispose();
  }
}

describe('indexes on live tables', () => {
  it('server: built concurrently above the threshold, equal to the one-transaction form; downgrade and upgrade again', async () => {
    await onBoth('server');
  }, 60_000);

  it('embedded: the same', async () => {
    await onBoth('embedded');
  }, 60_000);

  it('another session inserts while the index is built (and waits behind the one-transaction form)', async () => {
    const fresh = await freshDatabase('server');
    const holder = new pg.Client({ connectionString: fresh.url! });
    const writer = new pg.Client({ connectionString: fresh.url! });
    await holder.connect();
    await writer.connect();
    // The runner on its own connection: this test's queries must not queue behind its statements.
    const runner = await openServer(fresh.url!);
    try {
      const { db } = fresh;
      await fill(db);
      const rev = revisionOf('i1', null, [{ kind: 'createIndex', table: 't', index: { name: 't_name_idx', columns: ['name'], unique: false, using: 'btree' } }]);
      // An application transaction that wrote to t and has not committed: any index build waits for it.
      await holder.query(`BEGIN; UPDATE t SET name = name WHERE id = 1`);
      const run = moveAlong(runner, [rev], 'upgrade');
      const [{ pid }] = await until(db, waiting('CREATE INDEX CONCURRENTLY t_name_idx%'));
      // While it waits, the build holds SHARE UPDATE EXCLUSIVE on t, which lets writes through.
      const locks = await db.query(`SELECT mode FROM pg_locks WHERE pid = $1 AND relation = 't'::regclass AND granted`, [pid]);
      expect(locks.map((l) => l.mode)).toEqual(['ShareUpdateExclusiveLock']);
      const started = performance.now();
      await writer.query(`SET statement_timeout = 5000`);
      await writer.query(`INSERT INTO t VALUES (${ROWS + 1}, 'written during the build', 'during@example.com')`);
      expect(performance.now() - started).toBeLessThan(1000);
      await holder.query('COMMIT');
      await run;
      expect(await db.query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 't_name_idx'::regclass`)).toEqual([{ valid: true }]);
      expect(await db.query(`SELECT count(*)::int AS n FROM t WHERE name = 'written during the build'`)).toEqual([{ n: 1 }]);

      // The one-transaction form of the same revision: the build waits with a SHARE lock, and the insert queues behind it.
      await moveAlong(db, [rev], 'downgrade', 'base');
      await holder.query(`BEGIN; UPDATE t SET name = name WHERE id = 1`);
      const plain = moveAlong(runner, [rev], 'upgrade', undefined, { ...ONE_TRANSACTION, lockTimeout: 0 });
      await until(db, waiting('CREATE INDEX t_name_idx%'));
      await writer.query(`SET statement_timeout = 500`);
      await expect(writer.query(`INSERT INTO t VALUES (${ROWS + 2}, 'blocked', 'blocked@example.com')`)).rejects.toThrow(/statement timeout/);
      await holder.query('COMMIT');
      await plain;
    } finally {
      await holder.end();
      await writer.end();
      await runner.close();
      await fresh.dispose();
    }
  }, 60_000);

  it('a build killed midway leaves an INVALID index: the rerun drops it and builds it again', async () => {
    const fresh = await freshDatabase('server');
    const holder = new pg.Client({ connectionString: fresh.url! });
    await holder.connect();
    const runner = await openServer(fresh.url!);
    try {
      const { db } = fresh;
      await fill(db);
      const rev = revisionOf('i1', null, [{ kind: 'addUnique', table: 't', unique: { name: 't_email_key', columns: ['email'] } }]);
      await holder.query(`BEGIN; UPDATE t SET name = name WHERE id = 1`);
      const run = moveAlong(runner, [rev], 'upgrade');
      const [{ pid }] = await until(db, waiting('CREATE UNIQUE INDEX CONCURRENTLY t_email_key%'));
      await db.query(`SELECT pg_terminate_backend($1)`, [pid]);
      await expect(run).rejects.toThrow();
      await holder.query('COMMIT');
      expect(await db.query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 't_email_key'::regclass`)).toEqual([{ valid: false }]);
      expect(await db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([]);

      const notices: string[] = [];
      const statements: string[] = [];
      await moveAlong(db, [rev], 'upgrade', undefined, { onNotice: (m) => notices.push(m), onEvent: (e) => e.sql && statements.push(e.sql) });
      expect(notices.some((n) => /t_email_key was left INVALID .* dropped it, building it again/.test(n))).toBe(true);
      expect(statements).toContain('CREATE UNIQUE INDEX CONCURRENTLY t_email_key ON t (email)');
      const { indexes, constraints } = await indexesOf(db);
      expect(indexes.find((i) => i.name === 't_email_key')).toMatchObject({ valid: true });
      expect(constraints.find((c) => c.name === 't_email_key')).toMatchObject({ def: 'UNIQUE (email)' });
      expect(await db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([{ revision: 'i1' }]);
      expect(await db.query(`SELECT * FROM fastedgy_progress`)).toEqual([]);
    } finally {
      await holder.end();
      await runner.close().catch(() => undefined);
      await fresh.dispose();
    }
  }, 60_000);

  it('duplicate rows: the unique build fails, nothing is left behind, and it runs once they are fixed', async () => {
    const fresh = await freshDatabase('server');
    try {
      const { db } = fresh;
      await fill(db);
      await db.query(`UPDATE t SET email = 'dup@example.com' WHERE id IN (7, 8)`);
      const rev = revisionOf('i1', null, [
        { kind: 'execute', sql: 'CREATE TABLE before_it (x int)' },
        { kind: 'addUnique', table: 't', unique: { name: 't_email_key', columns: ['email'] } },
      ]);
      await expect(moveAlong(db, [rev], 'upgrade')).rejects.toThrow(/could not create unique index "t_email_key"[\s\S]*committed up to step 1/);
      // Step 1 (the statement before it) is committed; the failed build left no INVALID index.
      expect(await db.query(`SELECT to_regclass('t_email_key')::text AS i, to_regclass('before_it')::text AS b`)).toEqual([{ i: null, b: 'before_it' }]);
      expect(await db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([]);
      await db.query(`UPDATE t SET email = 'u8@example.com' WHERE id = 8`);
      await moveAlong(db, [rev], 'upgrade');
      expect((await indexesOf(db)).constraints.map((c) => c.name)).toEqual(['t_email_key', 't_pkey']);
      expect(await db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([{ revision: 'i1' }]);
    } finally {
      await fresh.dispose();
    }
  }, 60_000);
});
