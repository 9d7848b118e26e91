/**
 * What `--sql` and `--dry-run` show is what `migrate` runs (issue 13).
 *
 * `migrate --sql` against a database it can reach prints the revisions as the
 * runner would run them there now: from the database's revision, a revision
 * touching a big table in its low-lock steps (transactions between BEGIN and
 * COMMIT with their lock_timeout, CREATE INDEX CONCURRENTLY and VALIDATE
 * outside any, the batches described with their first batch), and the
 * script, run as printed, gives what `migrate` gives.
 *
 * `migrate --dry-run` of such a revision takes no lock the real run would
 * not: it does not run the whole-table UPDATE, the NOT NULL scan or the index
 * build inside its rolled-back transaction; it says what it did not run.
 */
import { join } from 'node:path';
import { mkdirSync, readFileSync } from 'node:fs';
import { loadModule, parseSync } from 'libpg-query';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Database } from '../source/db/database.js';
import { CONFIG, handRevision, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';

const TEMPLATE = readFileSync(new URL('../templates/default/script.ts.tmpl', import.meta.url), 'utf8');
const A = 'aaaaaaaaaaaa';
const B = 'bbbbbbbbbbbb';
const ROWS = 10_500;
const COLUMN = `{ name: 'code', type: 'text', nullable: false, default: null, identity: null, comment: null }`;
const INDEX = "{ table: 't', index: { name: 't_code_idx', columns: ['code'], unique: false, using: 'btree' } }";
const CHECK = (expression: string) => `{ table: 't', check: { name: 't_id_check', expression: '${expression}' } }`;

function project(backfill = "'c' || id", check = 'id > 0'): string {
  const dir = makeProjectDir({
    'fastedgy.config.ts': CONFIG,
    'models.ts': 'export {};\n',
    'migrations/script.ts.tmpl': TEMPLATE,
    [`migrations/versions/${A}.ts`]: handRevision(A, null, `await op.execute('CREATE TABLE other (x int)', { reverse: 'DROP TABLE other' });`, `await op.execute('DROP TABLE other');`),
    [`migrations/versions/${B}.ts`]: handRevision(
      B,
      A,
      `await op.addColumn({ table: 't', column: ${COLUMN}, backfill: { sql: ${JSON.stringify(backfill)} } }); await op.createIndex(${INDEX}); await op.addCheck(${CHECK(check)});`,
      `await op.dropCheck(${CHECK(check)}); await op.dropIndex(${INDEX}); await op.dropColumn({ table: 't', column: ${COLUMN} });`,
    ),
  });
  mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
  return dir;
}

async function withTable(rows: number) {
  const fresh = await freshDatabase('server');
  await fresh.db.query(`CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL); INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, ${rows}) g`);
  return fresh;
}

/** What a user compares after a migration: t's columns, indexes and constraints, and the revision recorded. */
async function outcome(db: Database) {
  return {
    columns: await db.query(`SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = 't' ORDER BY 1`),
    indexes: await db.query(`SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 't'::regclass ORDER BY 1`),
    constraints: await db.query(`SELECT conname, convalidated, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 't'::regclass ORDER BY 1`),
    filled: await db.query(`SELECT count(*)::int AS n FROM t WHERE code = 'c' || id`),
    revisions: await db.query(`SELECT revision FROM fastedgy_revisions ORDER BY 1`),
  };
}

/** The script's statements, as psql would send them one by one (PostgreSQL's parser finds where each ends). */
async function statementsOf(script: string): Promise<string[]> {
  await loadModule();
  const tree = parseSync(script) as { stmts: { stmt_location?: number; stmt_len?: number }[] };
  return tree.stmts.map((s) => {
    const start = s.stmt_location ?? 0;
    return script.slice(start, s.stmt_len ? start + s.stmt_len : undefined).trim();
  });
}

/** Each statement with whether a transaction is open when it runs. */
function inTransaction(statements: string[]): { sql: string; open: boolean }[] {
  let open = false;
  return statements.map((sql) => {
    if (/^BEGIN$/i.test(sql)) open = true;
    const here = { sql, open };
    if (/^COMMIT$/i.test(sql)) open = false;
    return here;
  });
}

describe('migrate --sql --live with the database reachable', () => {
  it('prints the low-lock steps migrate will run on this database, and the script gives what migrate gives', async () => {
    const printed = await withTable(ROWS);
    const migrated = await withTable(ROWS);
    try {
      const dir = project();
      const env = (url: string) => ({ DATABASE_URL: url });
      for (const f of [printed, migrated]) expect((await runCli(['db', 'migrate', A], { cwd: dir, env: env(f.url!) })).code).toBe(0);

      const r = await runCli(['db', 'migrate', '--sql', '--live'], { cwd: dir, env: env(printed.url!) });
      expect(r.code).toBe(0);
      const out = r.stdout;
      // From where the database is, not from base.
      expect(out).toContain(`-- as migrate would run it on this database now: from ${A}, row counts read now`);
      expect(out).not.toContain(`Running upgrade ${A}`);
      expect(out).toContain(`-- Running upgrade ${B}: rev ${B}`);
      expect(out).toContain('-- 9 steps, each committed on its own');
      expect(out).toContain('BEGIN;\nSET LOCAL lock_timeout = 5000;\nALTER TABLE t ADD COLUMN code text;\nCOMMIT;');
      expect(out).toContain('-- step 2 of 9: in batches, each committed on its own');
      expect(out).toMatch(/The first batch, as sent:\n-- {3}WITH pick AS MATERIALIZED \(SELECT ctid FROM t WHERE .* LIMIT 1000\), u AS \(UPDATE t SET code = \('c' \|\| id\) WHERE .*;\n/);
      expect(out).toContain("-- Run by hand, the same rows in one statement (they stay locked until it ends):\nUPDATE t SET code = ('c' || id) WHERE code IS NULL;");
      expect(out).toContain('SET lock_timeout = 0;\nCREATE INDEX CONCURRENTLY t_code_idx ON t (code);\nSET lock_timeout = 5000;');
      expect(out).toContain('ALTER TABLE t ADD CONSTRAINT t_id_check CHECK (id > 0) NOT VALID;');
      expect(out).toContain('ALTER TABLE t VALIDATE CONSTRAINT t_id_check;');
      // No whole-table UPDATE, NOT NULL scan or index build inside a transaction; the builds and validations outside any.
      const statements = inTransaction(await statementsOf(out));
      const inside = statements.filter((s) => s.open).map((s) => s.sql);
      expect(inside.filter((s) => /^UPDATE t|CREATE INDEX|VALIDATE CONSTRAINT/.test(s))).toEqual([]);
      expect(inside).toContain('ALTER TABLE t ALTER COLUMN code SET NOT NULL');
      expect(statements.filter((s) => /CONCURRENTLY|VALIDATE/.test(s.sql)).every((s) => !s.open)).toBe(true);
      // The revision is recorded in the last transaction.
      const last = out.slice(out.lastIndexOf('BEGIN;'));
      expect(last).toMatch(/INSERT INTO fastedgy_revisions[\s\S]*COMMIT;/);
      expect(await printed.db.query(`SELECT to_regclass('fastedgy_progress')::text AS p`)).toEqual([{ p: null }]);

      // Run as printed, statement by statement (as psql does), and migrate on the twin database: the same result.
      const client = new pg.Client({ connectionString: printed.url! });
      await client.connect();
      try {
        for (const s of statements) await client.query(s.sql);
      } finally {
        await client.end();
      }
      expect((await runCli(['db', 'migrate'], { cwd: dir, env: env(migrated.url!) })).code).toBe(0);
      const after = await outcome(printed.db);
      expect(after).toEqual(await outcome(migrated.db));
      expect(after.filled).toEqual([{ n: ROWS }]);
      expect(after.revisions).toEqual([{ revision: A }, { revision: B }]);
    } finally {
      await printed.dispose();
      await migrated.dispose();
    }
  }, 120_000);

  it('a small table: the one-transaction form; unreachable, or without --live (SPEC §8: no connection): the offline script, and stderr says so', async () => {
    const small = await withTable(10);
    try {
      const dir = project();
      expect((await runCli(['db', 'migrate', A], { cwd: dir, env: { DATABASE_URL: small.url! } })).code).toBe(0);
      const r = await runCli(['db', 'migrate', '--sql', '--live'], { cwd: dir, env: { DATABASE_URL: small.url! } });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('CONCURRENTLY');
      expect(r.stdout).toMatch(/BEGIN;\nSET LOCAL lock_timeout = 5000;\nALTER TABLE t ADD COLUMN code text;\nUPDATE t SET code = \('c' \|\| id\);\nALTER TABLE t ALTER COLUMN code SET NOT NULL;\nCREATE INDEX t_code_idx ON t \(code\);/);

      const offline = await runCli(['db', 'migrate', '--sql', '--live'], { cwd: dir, env: { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none' } });
      expect(offline.code).toBe(0);
      expect(offline.stdout).toContain(`-- Running upgrade ${A}`);
      expect(offline.stdout).not.toContain('CONCURRENTLY');
      expect(offline.stderr).toMatch(/--sql --live: could not reach the database \(.*\); printing the offline script instead/);
      expect(offline.stderr).toMatch(/--sql: the offline script \(no connection\): from base, every revision in its one-transaction form/);
      expect(offline.stderr).not.toContain('secret');

      // Without --live, nothing is read: the script starts from base although the database is at A.
      const plain = await runCli(['db', 'migrate', '--sql'], { cwd: dir, env: { DATABASE_URL: small.url! } });
      expect(plain.code).toBe(0);
      expect(plain.stdout).toContain(`-- Running upgrade ${A}`);
      expect(plain.stdout).not.toContain('as migrate would run it on this database now');
      expect(plain.stderr).toContain('--sql: the offline script (no connection)');
    } finally {
      await small.dispose();
    }
  }, 60_000);
});

describe('migrate --dry-run of a revision that touches a big table', () => {
  it('runs the instant part in its rolled-back transaction and lists the steps that go through the rows, without running them', async () => {
    const fresh = await withTable(ROWS);
    const holder = new pg.Client({ connectionString: fresh.url! });
    await holder.connect();
    try {
      const { db } = fresh;
      // A backfill and a check that wait for a lock the test holds: a dry run that ran them on the rows would not finish.
      const wait = 'PERFORM pg_advisory_lock_shared(42); PERFORM pg_advisory_unlock_shared(42);';
      await db.query(`CREATE FUNCTION gate_code(x bigint) RETURNS text LANGUAGE plpgsql AS $$ BEGIN ${wait} RETURN 'c' || x; END $$`);
      await db.query(`CREATE FUNCTION gate(x bigint) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN ${wait} RETURN x > 0; END $$`);
      const dir = project('gate_code(id)', 'gate(id)');
      const env = { DATABASE_URL: fresh.url! };
      expect((await runCli(['db', 'migrate', A], { cwd: dir, env })).code).toBe(0);

      await holder.query('SELECT pg_advisory_lock(42)');
      const r = await runCli(['db', 'migrate', '--dry-run'], { cwd: dir, env });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`revision ${B} touches a big table: the dry run runs the instant part of each such change and lists, without running them, the steps that go through the rows`);
      expect(r.stdout).toMatch(/\n {2}ALTER TABLE t ADD COLUMN code text {2}\(\d+\.\d ms\)\n/);
      expect(r.stdout).toContain('  -- not run (touches every row; migrate runs it in committed batches): UPDATE t SET code = (gate_code(id)) WHERE code IS NULL\n');
      expect(r.stdout).toContain('  -- not run (scans every row; migrate runs it outside a transaction): ALTER TABLE t VALIDATE CONSTRAINT code_fastedgy_nn\n');
      expect(r.stdout).toContain('  -- not run (follows the steps above): ALTER TABLE t ALTER COLUMN code SET NOT NULL\n');
      expect(r.stdout).toContain('  -- not run (builds the index; migrate runs it outside any transaction): CREATE INDEX CONCURRENTLY t_code_idx ON t (code)\n');
      expect(r.stdout).toMatch(/\n {2}ALTER TABLE t ADD CONSTRAINT t_id_check CHECK \(gate\(id\)\) NOT VALID {2}\(/);
      expect(r.stdout).toContain('  -- not run (scans every row; migrate runs it outside a transaction): ALTER TABLE t VALIDATE CONSTRAINT t_id_check\n');
      expect(r.stdout).toContain('[dry run] rolled back; the database is unchanged.');
      // Unchanged indeed, and nothing left to resume.
      expect(await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 't' ORDER BY 1`)).toEqual([{ column_name: 'id' }, { column_name: 'name' }]);
      expect(await db.query(`SELECT revision FROM fastedgy_revisions`)).toEqual([{ revision: A }]);
      expect(await db.query(`SELECT to_regclass('fastedgy_progress')::text AS p`)).toEqual([{ p: null }]);

      // The real run goes through the rows (once the test lets the gates open).
      await holder.query('SELECT pg_advisory_unlock(42)');
      expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(0);
      expect(await db.query(`SELECT count(*)::int AS n FROM t WHERE code = 'c' || id`)).toEqual([{ n: ROWS }]);
    } finally {
      await holder.end();
      await fresh.dispose();
    }
  }, 120_000);
});
