/**
 * lock_timeout with retries, through the real CLI on a real server: a
 * revision whose ALTER TABLE meets another session's lock gives up after
 * lock_timeout (so queries queued behind it are never held longer), rolls
 * back, waits, and tries again; when the lock never goes away it fails with
 * one message and leaves the database as it was.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { makeProjectDir, runCli, handRevision } from './support/cli.js';
import { freshDatabase } from './support/databases.js';

const TEMPLATE = readFileSync(new URL('../templates/default/script.ts.tmpl', import.meta.url), 'utf8');

function config(extra: string): string {
  return `import { defineConfig } from 'fastedgy';
export default defineConfig({ models: './models.ts', migrations: './migrations', databaseUrl: process.env.DATABASE_URL, ${extra} });
`;
}

const revision = handRevision;

function project(configExtra: string, files: Record<string, string>): string {
  const dir = makeProjectDir({ 'fastedgy.config.ts': config(configExtra), 'models.ts': 'export {};\n', 'migrations/script.ts.tmpl': TEMPLATE, ...files });
  mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
  return dir;
}

async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ADD_Y = "await op.addColumn({ table: 't', column: { name: 'y', type: 'integer', nullable: true, default: null } });";

describe('lock_timeout', () => {
  it('retries a revision that waits for a lock; queries on the table are never held longer than lock_timeout', async () => {
    const fresh = await freshDatabase('server');
    await fresh.db.query('CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)');
    const dir = project('lockTimeout: 1', {
      'migrations/versions/aaaaaaaaaaaa.ts': revision('aaaaaaaaaaaa', null, ADD_Y, "await op.execute('ALTER TABLE t DROP COLUMN y');"),
    });
    // An open transaction that has read the table holds ACCESS SHARE on it until it ends.
    const blocker = await client(fresh.url!);
    const prober = await client(fresh.url!);
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT * FROM t');
      let done = false;
      const migrate = runCli(['db', 'migrate'], { cwd: dir, env: { DATABASE_URL: fresh.url! } }).finally(() => (done = true));

      // A third session keeps reading the table; its longest wait is what the application would feel.
      let longest = 0;
      const probing = (async () => {
        while (!done) {
          const started = performance.now();
          await prober.query('SELECT count(*) FROM t');
          longest = Math.max(longest, performance.now() - started);
          await sleep(20);
        }
      })();

      // The blocker ends about 3 s after the ALTER TABLE first waits for it.
      for (let i = 0; i < 300 && !done; i++) {
        const waiting = await fresh.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'ALTER TABLE%'`,
        );
        if (waiting[0].n > 0) break;
        await sleep(50);
      }
      await sleep(3000);
      await blocker.query('COMMIT');

      const r = await migrate;
      await probing;
      expect(r.stderr).toMatch(/revision aaaaaaaaaaaa waits for a lock on table t held by another session; retry 2\/5 in 0\.5 s/);
      expect(r.code).toBe(0);
      expect(await fresh.db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 't' AND column_name = 'y'`)).toEqual([{ n: 1 }]);
      expect(await fresh.db.query('SELECT version_num FROM fastedgy_version')).toEqual([{ version_num: 'aaaaaaaaaaaa' }]);
      // The prober did queue behind the waiting ALTER TABLE (without lock_timeout it would have
      // waited the whole 3 s), but never for much longer than lock_timeout = 1 s.
      expect(longest).toBeGreaterThan(300);
      expect(longest).toBeLessThan(1800);
    } finally {
      await blocker.end().catch(() => undefined);
      await prober.end().catch(() => undefined);
      await fresh.dispose();
    }
  });

  it('a CREATE INDEX CONCURRENTLY waits for an older writer as long as it needs, without lock_timeout, and blocks no query', async () => {
    const fresh = await freshDatabase('server');
    await fresh.db.query('CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)');
    const dir = project('lockTimeout: 1', {
      'migrations/versions/aaaaaaaaaaaa.ts': revision(
        'aaaaaaaaaaaa', null,
        "await op.execute('CREATE INDEX CONCURRENTLY t_x_idx ON t (x)');",
        "await op.execute('DROP INDEX CONCURRENTLY t_x_idx');",
        'export const transactional = false;',
      ),
    });
    // A writer's open transaction: the build must wait for it to end (PostgreSQL waits on its virtual xid).
    const writer = await client(fresh.url!);
    try {
      await writer.query('BEGIN');
      await writer.query('UPDATE t SET x = x WHERE x = 1');
      const migrate = runCli(['db', 'migrate'], { cwd: dir, env: { DATABASE_URL: fresh.url! } });
      for (let i = 0; i < 200; i++) {
        const waiting = await fresh.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'CREATE INDEX CONCURRENTLY%'`);
        if (waiting[0].n > 0) break;
        await sleep(50);
      }
      // Longer than lock_timeout = 1 s: with it, the build would have failed and left an INVALID index.
      await sleep(2500);
      const started = performance.now();
      await fresh.db.query('SELECT count(*) FROM t');
      expect(performance.now() - started).toBeLessThan(500);
      await writer.query('COMMIT');
      const r = await migrate;
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await fresh.db.query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 't_x_idx'::regclass`)).toEqual([{ valid: true }]);
    } finally {
      await writer.end().catch(() => undefined);
      await fresh.dispose();
    }
  });

  it('gives up after the last attempt: one message naming the revision and the statement; nothing changed', async () => {
    const fresh = await freshDatabase('server');
    await fresh.db.query('CREATE TABLE t (x int)');
    const dir = project('lockTimeout: 5, lockAttempts: 3', {
      'migrations/versions/aaaaaaaaaaaa.ts': revision(
        'aaaaaaaaaaaa',
        null,
        "await op.execute('CREATE TABLE other (x int)'); await op.execute('ALTER TABLE t ADD COLUMN z int');",
        "await op.execute('DROP TABLE other'); await op.execute('ALTER TABLE t DROP COLUMN z');",
      ),
    });
    const blocker = await client(fresh.url!);
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE t IN ACCESS SHARE MODE');
      // --lock-timeout wins over the config's 5 s.
      const started = performance.now();
      const r = await runCli(['db', 'migrate', '--lock-timeout', '0.5'], { cwd: dir, env: { DATABASE_URL: fresh.url! } });
      const elapsed = performance.now() - started;
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('retry 2/3 in 0.5 s');
      expect(r.stderr).toContain('retry 3/3 in 1 s');
      expect(r.stderr).toContain('revision aaaaaaaaaaaa (rev aaaaaaaaaaaa) could not get a lock in upgrade after 3 attempts');
      expect(r.stderr).toContain('waits for a lock held by another session (ALTER TABLE t ADD COLUMN z int); retry 2/3');
      expect(r.stderr).toContain('another session holds a lock this statement needs');
      expect(r.stderr).toContain('lock_timeout = 0.5 s');
      expect(r.stderr).toContain('statement: ALTER TABLE t ADD COLUMN z int');
      expect(r.stderr).toContain('nothing of revision aaaaaaaaaaaa was applied');
      // 3 × 0.5 s of waiting and 1.5 s of pauses, plus the CLI's start: far from 3 × 5 s.
      expect(elapsed).toBeLessThan(12_000);
      await blocker.query('ROLLBACK');
      expect(await fresh.db.query('SELECT version_num FROM fastedgy_version')).toEqual([]);
      expect(await fresh.db.query(`SELECT to_regclass('other')::text AS t`)).toEqual([{ t: null }]);
      expect(await fresh.db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 't'`)).toEqual([{ n: 1 }]);
    } finally {
      await blocker.end().catch(() => undefined);
      await fresh.dispose();
    }
  });

  it('a bad --lock-timeout is a usage error', async () => {
    const dir = project('', {});
    const r = await runCli(['db', 'migrate', '--lock-timeout', 'soon'], { cwd: dir, env: { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--lock-timeout must be a number of seconds');
  });

  it('the SET statements do not break the embedded database, transactional or not', async () => {
    const dir = project('lockTimeout: 1, statementTimeout: 30', {
      'migrations/versions/aaaaaaaaaaaa.ts': revision('aaaaaaaaaaaa', null, "await op.execute('CREATE TABLE t (x int)');", "await op.execute('DROP TABLE t');"),
      'migrations/versions/bbbbbbbbbbbb.ts': revision(
        'bbbbbbbbbbbb',
        'aaaaaaaaaaaa',
        "await op.createIndex({ table: 't', index: { name: 't_x_idx', columns: ['x'], unique: false, using: 'btree' }, concurrently: true });",
        "await op.dropIndex({ table: 't', index: { name: 't_x_idx', columns: ['x'], unique: false, using: 'btree' }, concurrently: true });",
        'export const transactional = false;',
      ),
    });
    const env = { DATABASE_URL: '' };
    const up = await runCli(['db', 'migrate'], { cwd: dir, env });
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const down = await runCli(['db', 'downgrade', 'base', '--lock-timeout', '2', '--statement-timeout', '60'], { cwd: dir, env });
    expect(down.stderr).toBe('');
    expect(down.code).toBe(0);
  });
});
