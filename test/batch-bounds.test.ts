/**
 * Batches of the low-lock backfill are bounded by rows, not pages (issue
 * 13): on a table whose first pages are empty (rows deleted, not vacuumed
 * away), the page window grows across them, and then no batch takes more
 * than BATCH_MAX_ROWS rows of the dense part (by pages, one batch used to
 * take 122,880 rows).
 */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../source/ops/types.js';
import { BATCH_MAX_ROWS, runBatches } from '../source/runner/batches.js';
import { freshDatabase } from './support/databases.js';
import { moveAlong, revisionOf } from './support/low-lock-revisions.js';
import { col } from './support/schema-builders.js';

const batchLine = /^-- batch of t\.code: (\d+) rows$/;

describe('low-lock batches', () => {
  it('no batch exceeds the row bound on a table with many empty pages; every row is filled', async () => {
    const fresh = await freshDatabase('server');
    try {
      const { db } = fresh;
      await db.query(`CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL) WITH (autovacuum_enabled = off)`);
      await db.query(`INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, 300000) g`);
      // About 1,700 empty pages first, then 60,000 rows packed in the last ones.
      await db.query(`DELETE FROM t WHERE id <= 240000`);
      await db.query(`VACUUM t`);
      const [{ empty }] = await db.query<{ empty: number }>(`SELECT count(DISTINCT (ctid::text::point)[0])::int AS empty FROM t`);
      expect(empty).toBeLessThan(400);
      const ops: Operation[] = [{ kind: 'addColumn', table: 't', column: col('code', 'text'), backfill: { sql: `'c' || id` } }];
      const batches: number[] = [];
      await moveAlong(db, [revisionOf('b1', null, ops)], 'upgrade', undefined, {
        onEvent: (e) => {
          const m = e.sql ? batchLine.exec(e.sql) : null;
          if (m) batches.push(Number(m[1]));
        },
      });
      expect(batches.length).toBeGreaterThanOrEqual(60000 / BATCH_MAX_ROWS);
      expect(Math.max(...batches)).toBeLessThanOrEqual(BATCH_MAX_ROWS);
      expect(batches.reduce((a, b) => a + b, 0)).toBe(60000);
      expect(await db.query(`SELECT count(*)::int AS n FROM t WHERE code = 'c' || id`)).toEqual([{ n: 60000 }]);
      expect(await db.query(`SELECT attnotnull AS v FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'code'`)).toEqual([{ v: true }]);
    } finally {
      await fresh.dispose();
    }
  }, 120_000);

  it('a lower bound holds exactly, and rows that already hold a value are left alone', async () => {
    const fresh = await freshDatabase('server');
    try {
      const { db } = fresh;
      await db.query(`CREATE TABLE t (id bigint PRIMARY KEY, code text)`);
      await db.query(`INSERT INTO t SELECT g, CASE WHEN g % 7 = 0 THEN 'kept' END FROM generate_series(1, 20000) g`);
      const sizes: number[] = [];
      const total = await runBatches(
        { db, retry: (body) => body(), maxRows: 250, onBatch: (b) => sizes.push(b.rows) },
        { kind: 'batches', table: 't', column: 'code', value: `'c' || id` },
      );
      expect(total).toBe(20000 - Math.floor(20000 / 7));
      expect(Math.max(...sizes)).toBe(250);
      expect(await db.query(`SELECT count(*)::int AS n FROM t WHERE code = 'kept'`)).toEqual([{ n: Math.floor(20000 / 7) }]);
      expect(await db.query(`SELECT count(*)::int AS n FROM t WHERE code IS NULL`)).toEqual([{ n: 0 }]);
    } finally {
      await fresh.dispose();
    }
  }, 60_000);
});
