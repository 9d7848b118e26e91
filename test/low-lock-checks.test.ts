/**
 * Issue 13, the low-lock forms the first round missed:
 * - a check constraint added to a big table commits NOT VALID first, then
 *   validates in its own transaction (SHARE UPDATE EXCLUSIVE: reads and
 *   writes go on during the scan); a validation that fails leaves it
 *   resumable (after the rows are fixed) or undoable by `downgrade`;
 * - a table renamed in the same revision that adds an index to it: the row
 *   count is read under the table's live (old) name, so the index is still
 *   built concurrently.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openServer } from '../source/db/connect.js';
import type { Database } from '../source/db/database.js';
import { BATCH_THRESHOLD } from '../source/ops/low-lock.js';
import type { Operation } from '../source/ops/types.js';
import { freshDatabase } from './support/databases.js';
import { moveAlong, revisionOf } from './support/low-lock-revisions.js';
import { until, waiting } from './support/wait-for-rows.js';

const ROWS = BATCH_THRESHOLD + 500;

async function fill(db: Database, table = 't') {
  await db.query(`CREATE TABLE ${table} (id bigint PRIMARY KEY, qty int NOT NULL)`);
  await db.query(`INSERT INTO ${table} SELECT g, g % 50 FROM generate_series(1, ${ROWS}) g`);
}

const positive: Operation = { kind: 'addCheck', table: 't', check: { name: 't_qty_check', expression: 'qty >= 0' } };

async function checkOf(db: Database) {
  return db.query(`SELECT conname AS name, convalidated AS validated, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 't'::regclass AND contype = 'c'`);
}

/** A fresh database on the server, disposed of afterwards. */
async function onServer(body: (db: Database) => Promise<void>): Promise<void> {
  const fresh = await freshDatabase('server');
  try {
    await body(fresh.db);
  } finally {
    await fresh.dispose();
  }
}

/** The statements a run of `rev` sent. */
async function ran(db: Database, rev: ReturnType<typeof revisionOf>, options: Parameters<typeof moveAlong>[4] = {}): Promise<string[]> {
  const statements: string[] = [];
  await moveAlong(db, [rev], 'upgrade', undefined, { ...options, onEvent: (e) => e.sql && statements.push(e.sql) });
  return statements;
}

describe('a check constraint on a big table', () => {
  it('commits NOT VALID, then validates in its own transaction: reads go on during the scan (and wait in the one-transaction form)', async () => {
    const fresh = await freshDatabase('server');
    const holder = new pg.Client({ connectionString: fresh.url! });
    const reader = new pg.Client({ connectionString: fresh.url! });
    await holder.connect();
    await reader.connect();
    const runner = await openServer(fresh.url!);
    try {
      const { db } = fresh;
      await fill(db);
      // A check that waits for an advisory lock the test holds: the scan of the rows stays in progress while the test looks.
      await db.query(
        `CREATE FUNCTION gate(x int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_lock_shared(42); PERFORM pg_advisory_unlock_shared(42); RETURN x >= 0; END $$`,
      );
      const rev = revisionOf('c1', null, [{ kind: 'addCheck', table: 't', check: { name: 't_qty_check', expression: 'gate(qty)' } }]);
      await reader.query(`SET statement_timeout = 2000`);
      const scanning = (like: string) => until(db, waiting(like));
      const locksOn = async (pid: unknown) =>
        (await db.query(`SELECT mode FROM pg_locks WHERE pid = $1 AND relation = 't'::regclass AND granted ORDER BY mode`, [pid])).map((l) => l.mode);

      await holder.query(`SELECT pg_advisory_lock(42)`);
      const statements: string[] = [];
      const run = moveAlong(runner, [rev], 'upgrade', undefined, { lockTimeout: 0, onEvent: (e) => e.sql && statements.push(e.sql) });
      const [{ pid }] = await scanning('ALTER TABLE % VALIDATE CONSTRAINT%');
      // The ADD … NOT VALID is committed; the scan holds SHARE UPDATE EXCLUSIVE only, and reads go on.
      expect(await checkOf(db)).toEqual([{ name: 't_qty_check', validated: false, def: 'CHECK (gate(qty)) NOT VALID' }]);
      expect(await locksOn(pid)).toEqual(['ShareUpdateExclusiveLock']);
      expect((await reader.query(`SELECT count(*)::int AS n FROM t`)).rows).toEqual([{ n: ROWS }]);
      await holder.query(`SELECT pg_advisory_unlock(42)`);
      await run;
      expect(statements).toEqual(['ALTER TABLE t ADD CONSTRAINT t_qty_check CHECK (gate(qty)) NOT VALID', 'ALTER TABLE t VALIDATE CONSTRAINT t_qty_check']);
      expect(await checkOf(db)).toEqual([{ name: 't_qty_check', validated: true, def: 'CHECK (gate(qty))' }]);
      expect(await db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([{ revision: 'c1' }]);
      expect(await db.query(`SELECT * FROM fastedgy_progress`)).toEqual([]);

      // The one-transaction form (a small table's): the scan runs under the ADD's ACCESS EXCLUSIVE lock, and reads wait.
      await moveAlong(db, [rev], 'downgrade', 'base');
      await holder.query(`SELECT pg_advisory_lock(42)`);
      const plain = moveAlong(runner, [rev], 'upgrade', undefined, { lockTimeout: 0, batchThreshold: 1_000_000_000 });
      const [{ pid: plainPid }] = await scanning('ALTER TABLE % VALIDATE CONSTRAINT%');
      expect(await locksOn(plainPid)).toContain('AccessExclusiveLock');
      await expect(reader.query(`SELECT count(*)::int AS n FROM t`)).rejects.toThrow(/statement timeout/);
      await holder.query(`SELECT pg_advisory_unlock(42)`);
      await plain;
    } finally {
      await holder.end();
      await reader.end();
      await runner.close();
      await fresh.dispose();
    }
  }, 60_000);

  it('rows that break it: stopped after the NOT VALID step; migrate resumes once they are fixed, downgrade undoes it', () =>
    onServer(async (db) => {
      await fill(db);
      await db.query(`UPDATE t SET qty = -1 WHERE id = 5`);
      const rev = revisionOf('c1', null, [positive]);
      await expect(moveAlong(db, [rev], 'upgrade')).rejects.toThrow(/violated by some row[\s\S]*committed up to step 1/);
      expect(await checkOf(db)).toEqual([{ name: 't_qty_check', validated: false, def: 'CHECK ((qty >= 0)) NOT VALID' }]);
      expect(await db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([]);

      // Undo: downgrade drops the NOT VALID constraint and the progress row.
      await moveAlong(db, [rev], 'downgrade', 'base');
      expect(await checkOf(db)).toEqual([]);
      expect(await db.query(`SELECT * FROM fastedgy_progress`)).toEqual([]);

      // Resume: stopped again, the row fixed, migrate goes on with the validation only.
      await expect(moveAlong(db, [rev], 'upgrade')).rejects.toThrow(/violated by some row/);
      await db.query(`UPDATE t SET qty = 1 WHERE id = 5`);
      const notices: string[] = [];
      const statements = await ran(db, rev, { onNotice: (m) => notices.push(m) });
      expect(notices).toContain('revision c1 was stopped midway; resuming after step 1');
      expect(statements).toEqual(['ALTER TABLE t VALIDATE CONSTRAINT t_qty_check']);
      expect(await checkOf(db)).toEqual([{ name: 't_qty_check', validated: true, def: 'CHECK ((qty >= 0))' }]);
      expect(await db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([{ revision: 'c1' }]);
    }), 60_000);

  it('a small table keeps the one-transaction form', () =>
    onServer(async (db) => {
      await db.query(`CREATE TABLE t (id bigint PRIMARY KEY, qty int NOT NULL)`);
      expect(await ran(db, revisionOf('c1', null, [positive]))).toEqual([
        'ALTER TABLE t ADD CONSTRAINT t_qty_check CHECK (qty >= 0) NOT VALID',
        'ALTER TABLE t VALIDATE CONSTRAINT t_qty_check',
      ]);
      expect(await db.query(`SELECT to_regclass('fastedgy_progress')::text AS p`)).toEqual([{ p: null }]);
    }), 60_000);
});

const qtyIndex = (table: string): Operation => ({ kind: 'createIndex', table, index: { name: `${table}_qty_idx`, columns: ['qty'], unique: false, using: 'btree' } });

describe('a table renamed and indexed in the same revision', () => {
  it('the index is built concurrently: its rows are counted under the old name', () =>
    onServer(async (db) => {
      await fill(db, 'old_t');
      const rev = revisionOf('r1', null, [{ kind: 'renameTable', from: 'old_t', to: 't' }, qtyIndex('t')]);
      expect(await ran(db, rev)).toEqual(['ALTER TABLE old_t RENAME TO t', 'CREATE INDEX CONCURRENTLY t_qty_idx ON t (qty)']);
      expect(await db.query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 't_qty_idx'::regclass`)).toEqual([{ valid: true }]);
      expect(await db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([{ revision: 'r1' }]);
    }), 60_000);

  it("a table created under a big table's old name is new and empty: its index is the plain form", () =>
    onServer(async (db) => {
      await fill(db, 'old_t');
      const rev = revisionOf('r1', null, [
        { kind: 'renameTable', from: 'old_t', to: 't' },
        { kind: 'execute', sql: 'CREATE TABLE old_t (id bigint PRIMARY KEY, qty int)' },
        qtyIndex('t'),
        qtyIndex('old_t'),
      ]);
      const statements = await ran(db, rev);
      expect(statements).toContain('CREATE INDEX CONCURRENTLY t_qty_idx ON t (qty)');
      expect(statements).toContain('CREATE INDEX old_t_qty_idx ON old_t (qty)');
    }), 60_000);
});

describe('a low-lock downgrade stopped midway', () => {
  it('says which steps committed and that the revision is still applied; migrate refuses; downgrade again resumes and finishes', () =>
    onServer(async (db) => {
      await fill(db);
      // The downgrade's backfill fails while the switch is on (a row it cannot compute, fixed later).
      await db.query(`CREATE TABLE switch (fail boolean NOT NULL); INSERT INTO switch VALUES (true)`);
      await db.query(
        `CREATE FUNCTION code_of(x bigint) RETURNS text LANGUAGE plpgsql AS $$ BEGIN IF x = 5000 AND (SELECT fail FROM switch) THEN RAISE EXCEPTION 'no code for row %', x; END IF; RETURN 'c' || x; END $$`,
      );
      const column = { name: 'code', type: 'text', nullable: false, default: null, identity: null, comment: null };
      const rev = {
        ...revisionOf('d1', null, [{ kind: 'dropColumn', table: 't', column }]),
        downgrade: async (op: unknown) => {
          await (op as { addColumn: (a: unknown) => Promise<void> }).addColumn({ table: 't', column, backfill: { sql: 'code_of(id)' } });
        },
      };
      await db.query(`ALTER TABLE t ADD COLUMN code text`);
      await moveAlong(db, [rev], 'upgrade');

      const stopped = await moveAlong(db, [rev], 'downgrade', 'base').then(
        () => null,
        (e: { message: string; hint?: string }) => e,
      );
      expect(stopped?.message).toMatch(/no code for row 5000\n {2}\(in step 2 of 5; revision d1 is committed up to step 1\)/);
      expect(stopped?.hint).toBe(
        'revision d1 runs its downgrade in several transactions because it touches every row of a big table: step 1 of 5 is committed, and it is still recorded as applied. ' +
          'Fix the cause and run the same `fastedgy db downgrade` again: it resumes after step 1 (the batches and checks after it are safe to repeat). `fastedgy db migrate` refuses to run until it is finished.',
      );
      // Where it stands: the column is back (nullable, partly filled), the revision still applied.
      expect(await db.query(`SELECT is_nullable FROM information_schema.columns WHERE table_name = 't' AND column_name = 'code'`)).toEqual([{ is_nullable: 'YES' }]);
      expect(await db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([{ revision: 'd1' }]);

      // migrate would build on a half-undone revision: refused, saying how to go on.
      await expect(moveAlong(db, [rev], 'upgrade')).rejects.toThrow(
        /revision d1 was stopped midway in downgrade \(committed up to step 1\): part of it is undone while it is still recorded as applied, so migrate cannot run from here/,
      );

      // The cause fixed, the same downgrade resumes after step 1 and finishes.
      await db.query(`UPDATE switch SET fail = false`);
      const notices: string[] = [];
      await moveAlong(db, [rev], 'downgrade', 'base', { onNotice: (m) => notices.push(m) });
      expect(notices).toContain('revision d1 was stopped midway; resuming after step 1');
      expect(await db.query(`SELECT is_nullable FROM information_schema.columns WHERE table_name = 't' AND column_name = 'code'`)).toEqual([{ is_nullable: 'NO' }]);
      expect(await db.query(`SELECT count(*)::int AS n FROM t WHERE code = 'c' || id`)).toEqual([{ n: ROWS }]);
      expect(await db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([]);
      expect(await db.query(`SELECT * FROM fastedgy_progress`)).toEqual([]);
      // And migrate runs again.
      await moveAlong(db, [rev], 'upgrade');
      expect(await db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([{ revision: 'd1' }]);
    }), 60_000);
});
