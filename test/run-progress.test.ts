/**
 * Long steps of a run show how far they are (issue 11): a batched backfill
 * reports rows done of how many, the rate and the time left after each
 * batch; a concurrent index build is followed from
 * pg_stat_progress_create_index on a second connection. The same line shows
 * on stderr (a terminal only), in the wizard's apply screen and in the
 * browser's run log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialState as browserState, reducer as browserReducer } from '../source/browser/browser-state.js';
import type { BrowserState } from '../source/browser/browser-state.js';
import { buildGraph } from '../source/revisions/graph.js';
import { openServer } from '../source/db/connect.js';
import { progressHandler, readIndexBuild } from '../source/db/run-progress.js';
import { progressReporter } from '../source/cli/progress.js';
import type { Operation } from '../source/ops/types.js';
import type { ProgressEvent } from '../source/runner/run-options.js';
import { batchProgress, indexProgress, progressText } from '../source/util/progress-text.js';
import type { Progress } from '../source/util/progress-text.js';
import { engines, freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';
import { moveAlong, revisionOf } from './support/low-lock-revisions.js';

const col = (name: string, type: string) => ({ name, type, nullable: false, default: null });

describe('progress in words', () => {
  it('a backfill halfway: rows done of the estimated total, the rate, the time left; then the exact total', () => {
    const half: ProgressEvent = { kind: 'batches', table: 'users', column: 'karma', rows: 120_000, pagesDone: 500, pagesTotal: 1000, elapsedMs: 3000, done: false };
    expect(progressText(batchProgress(half))).toBe('filling users.karma [########--------] 50% · 120,000 of ~240,000 rows · 40,000 rows/s · about 3.0 s left');
    const end = progressText(batchProgress({ ...half, rows: 240_000, pagesDone: 1000, elapsedMs: 6000, done: true }));
    expect(end).toBe('filling users.karma [################] 100% · 240,000 of 240,000 rows · 40,000 rows/s · in 6.0 s');
  });

  it('an index build: rows while it loads them, blocks while it scans, and only the time while nothing is known', () => {
    const loading = indexProgress('users_email_idx', { phase: 'building index: loading tuples in tree', blocks_done: '0', blocks_total: '0', tuples_done: '250', tuples_total: '1000' }, 2000);
    expect(progressText(loading)).toBe('building index users_email_idx (building index: loading tuples in tree) [####------------] 25% · 250 of 1,000 rows · 125 rows/s · about 6.0 s left');
    const scanning = indexProgress('i', { phase: 'building index: scanning table', blocks_done: 10, blocks_total: 40, tuples_done: 0, tuples_total: 0 }, 1000);
    expect(progressText(scanning)).toContain('25% · 10 of 40 blocks');
    expect(progressText(indexProgress('i', undefined, 1500))).toBe('building index i · 0 rows · 1.5 s');
  });
});

describe.each(engines)('progress of a batched backfill on %s', (engine) => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    await fresh.db.query(`CREATE TABLE t (id int PRIMARY KEY, name text); INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, 20000) g`);
  });
  afterAll(async () => {
    await fresh?.dispose();
  });

  it('is reported after every batch, never going back, and ends at every row of the table', async () => {
    const events: ProgressEvent[] = [];
    const op: Operation = { kind: 'addColumn', table: 't', column: col('code', 'text'), backfill: { sql: `'c' || id` } };
    await moveAlong(fresh.db, [revisionOf('p1', null, [op])], 'upgrade', undefined, { batchThreshold: 0, onProgress: (e) => events.push(e) });
    const batches = events.filter((e): e is ProgressEvent & { kind: 'batches' } => e.kind === 'batches');
    expect(batches.length).toBeGreaterThan(2);
    for (const [i, e] of batches.entries()) {
      if (i === 0) continue;
      expect(e.rows).toBeGreaterThanOrEqual(batches[i - 1].rows);
      expect(e.pagesDone).toBeGreaterThanOrEqual(batches[i - 1].pagesDone);
    }
    const last = batches.at(-1)!;
    expect(last).toMatchObject({ table: 't', column: 'code', rows: 20_000, done: true });
    expect(last.pagesDone).toBe(last.pagesTotal);
    expect(batches.slice(0, -1).every((e) => !e.done)).toBe(true);
    expect(progressText(batchProgress(last))).toContain('100% · 20,000 of 20,000 rows');
    expect(await fresh.db.query(`SELECT count(*)::int AS n FROM t WHERE code = 'c' || id`)).toEqual([{ n: 20_000 }]);
  });
});

describe('progress of a concurrent index build on the server', () => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase('server');
    await fresh.db.query(`CREATE TABLE t (id int PRIMARY KEY, name text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 200000) g`);
  });
  afterAll(async () => {
    await fresh?.dispose();
  });

  it('reads the build from a second connection while it runs, and ends when it is built', async () => {
    // No build running: no row (and the query is one PostgreSQL accepts).
    expect(await readIndexBuild(fresh.db, 't')).toBeUndefined();
    const shown: Progress[] = [];
    const onProgress = progressHandler((p) => shown.push(p), () => openServer(fresh.url!), 5);
    const op: Operation = { kind: 'createIndex', table: 't', index: { name: 't_name_idx', columns: ['name'], unique: false, using: 'btree' } };
    await moveAlong(fresh.db, [revisionOf('i1', null, [op])], 'upgrade', undefined, { batchThreshold: 0, onProgress });
    // Counters read while it ran (a build of 200,000 rows outlasts many 5 ms polls).
    expect(shown.some((p) => !p.finished && p.total !== null && p.done > 0)).toBe(true);
    expect(shown.every((p) => p.label.startsWith('building index t_name_idx'))).toBe(true);
    expect(shown.at(-1)).toMatchObject({ finished: true, fraction: 1 });
    expect(shown.slice(0, -1).every((p) => !p.finished)).toBe(true);
    expect(await fresh.db.query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 't_name_idx'::regclass`)).toEqual([{ valid: true }]);
  });
});

describe('where the bar shows', () => {
  const half = batchProgress({ kind: 'batches', table: 't', column: 'c', rows: 10, pagesDone: 1, pagesTotal: 2, elapsedMs: 1000, done: false });

  it('on a terminal: one line on stderr, redrawn in place, cleared before the run prints its next line', () => {
    const written: string[] = [];
    const tty = { isTTY: true, columns: 200, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const ci = process.env.CI;
    process.env.CI = '0';
    try {
      const bar = progressReporter(tty);
      bar.update(half);
      bar.clear();
      bar.clear();
      expect(written).toEqual([`\r${progressText(half)}\u001b[K`, '\r\u001b[K']);
      // Not a terminal: a plain line at each further tenth, every 5 s, and when done.
      const piped: string[] = [];
      const plain = progressReporter({ isTTY: false, write: (s: string) => piped.push(s) } as unknown as NodeJS.WriteStream);
      const at = (pagesDone: number, elapsedMs: number, done = false) =>
        batchProgress({ kind: 'batches', table: 't', column: 'c', rows: pagesDone * 10, pagesDone, pagesTotal: 100, elapsedMs, done });
      for (let page = 1; page <= 100; page++) plain.update(at(page, page * 10));
      plain.update(at(100, 1000, true));
      expect(piped).toHaveLength(12); // the first batch, each further tenth to 100%, and done
      expect(piped.every((line) => line.endsWith('\n') && !line.includes('\u001b'))).toBe(true);
      expect(piped[0]).toMatch(/^filling t\.c .*1%/);
      plain.update(at(100, 9000)); // a new step, slow: a line every 5 s even within a tenth
      plain.update(at(100, 9100));
      plain.update(at(100, 15000));
      expect(piped).toHaveLength(14);
    } finally {
      if (ci === undefined) delete process.env.CI;
      else process.env.CI = ci;
    }
  });

  it("in the browser's run log, until the step is done", () => {
    const plan = { direction: 'upgrade' as const, target: 'head', ids: [] };
    const empty = browserState({ revisions: [], graph: buildGraph([]), heads: [], applied: new Map(), broken: [], missing: [] });
    let s: BrowserState = { ...empty, run: { plan, status: 'running', lines: [], error: null } };
    s = browserReducer(s, { type: 'runProgress', text: progressText(half) });
    expect(s.run).toMatchObject({ progress: progressText(half) });
    s = browserReducer(s, { type: 'runProgress', text: null });
    expect(s.run).toMatchObject({ progress: null });
  });
});
