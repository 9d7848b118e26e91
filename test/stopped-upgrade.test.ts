/**
 * A low-lock revision stopped midway is always resumable or cleanly undoable
 * from the CLI (issue 13): a backfill expression that fails at run time on a
 * table above the threshold leaves the new column committed and the revision
 * unrecorded; then `migrate` with the file fixed resumes it, and `downgrade`
 * undoes its committed steps, even when the file changed in a way resuming
 * refuses.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../source/db/database.js';
import { CONFIG, handRevision, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';

const TEMPLATE = readFileSync(new URL('../templates/default/script.ts.tmpl', import.meta.url), 'utf8');
const A = 'aaaaaaaaaaaa';
const B = 'bbbbbbbbbbbb';
const COLUMN = (type: string) => `{ name: 'code', type: '${type}', nullable: false, default: null, identity: null, comment: null }`;
const INDEX = "{ table: 't', index: { name: 't_code_idx', columns: ['code'], unique: false, using: 'btree' } }";

function revisionB(backfill: string, type = 'text'): string {
  return handRevision(
    B,
    A,
    `await op.addColumn({ table: 't', column: ${COLUMN(type)}, backfill: { sql: ${JSON.stringify(backfill)} } }); await op.createIndex(${INDEX});`,
    `await op.dropIndex(${INDEX}); await op.dropColumn({ table: 't', column: ${COLUMN(type)} });`,
  );
}

function project(backfill: string): string {
  return makeProjectDir({
    'fastedgy.config.ts': CONFIG,
    'models.ts': 'export {};\n',
    'migrations/script.ts.tmpl': TEMPLATE,
    [`migrations/versions/${A}.ts`]: handRevision(A, null, `await op.execute('CREATE TABLE other (x int)', { reverse: 'DROP TABLE other' });`, `await op.execute('DROP TABLE other');`),
    [`migrations/versions/${B}.ts`]: revisionB(backfill),
  });
}

async function state(db: Database) {
  const [col] = await db.query<{ n: number; notnull: boolean | null }>(
    `SELECT count(*)::int AS n, bool_and(attnotnull) AS notnull FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'code' AND NOT attisdropped`,
  );
  const revisions = (await db.query<{ revision: string }>(`SELECT revision FROM fastedgy_revisions ORDER BY revision`)).map((r) => r.revision);
  const progress = await db.query(`SELECT revision, direction FROM fastedgy_progress`);
  const index = await db.query(`SELECT to_regclass('t_code_idx')::text AS i`);
  return { column: col.n === 1 ? (col.notnull ? 'NOT NULL' : 'nullable') : 'absent', revisions, progress, index: index[0].i };
}

async function setUp() {
  const fresh = await freshDatabase('server');
  // Above the low-lock threshold (10,000 rows).
  await fresh.db.query(`CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL); INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, 20000) g`);
  return fresh;
}

describe('a low-lock revision stopped midway', () => {
  it('migrate after fixing the file resumes it', async () => {
    const fresh = await setUp();
    const dir = project('(1 / (id - id))::text');
    const env = { DATABASE_URL: fresh.url! };
    try {
      const failed = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/division by zero[\s\S]*committed up to step 1/);
      expect(await state(fresh.db)).toEqual({ column: 'nullable', revisions: [A], progress: [{ revision: B, direction: 'upgrade' }], index: null });

      writeFileSync(join(dir, 'migrations', 'versions', `${B}.ts`), revisionB(`'c' || id`));
      // --sql shows what the rerun will do: the steps after the committed one.
      const script = await runCli(['db', 'migrate', '--sql', '--live'], { cwd: dir, env });
      expect(script.code).toBe(0);
      expect(script.stdout).toContain('-- 7 steps, each committed on its own (a table it touches has rows enough for the low-lock form); a previous run committed step 1, so it resumes at step 2');
      expect(script.stdout).not.toContain('ALTER TABLE t ADD COLUMN code text;');
      expect(script.stdout).toContain("UPDATE t SET code = ('c' || id) WHERE code IS NULL;");
      const fixed = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(fixed.stderr).toContain(`revision ${B} changed since it stopped; the steps it committed are unchanged`);
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toContain('CREATE INDEX CONCURRENTLY t_code_idx ON t (code)');
      expect(await state(fresh.db)).toEqual({ column: 'NOT NULL', revisions: [A, B], progress: [], index: 't_code_idx' });
      expect(await fresh.db.query(`SELECT count(*)::int AS n FROM t WHERE code = 'c' || id`)).toEqual([{ n: 20000 }]);
      // Recorded with the fixed file's checksum: nothing to complain about afterwards.
      const again = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('Nothing to migrate');
    } finally {
      await fresh.dispose();
    }
  }, 60_000);

  it('downgrade undoes its committed steps, also when the file changed so that it cannot resume', async () => {
    const fresh = await setUp();
    const dir = project('(1 / (id - id))::text');
    const env = { DATABASE_URL: fresh.url! };
    try {
      expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(1);
      // The committed step (ADD COLUMN code text) is not the file's first step any more.
      writeFileSync(join(dir, 'migrations', 'versions', `${B}.ts`), revisionB(`'c' || id`, 'varchar(20)'));
      const refused = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/stopped midway in upgrade[\s\S]*its file has changed since[\s\S]*fastedgy db downgrade/);
      expect(await state(fresh.db)).toEqual({ column: 'nullable', revisions: [A], progress: [{ revision: B, direction: 'upgrade' }], index: null });

      const down = await runCli(['db', 'downgrade'], { cwd: dir, env });
      expect(down.stderr).toContain(`revision ${B} was stopped midway in upgrade (committed up to step 1); undoing its committed steps`);
      expect(down.code).toBe(0);
      expect(down.stdout).toContain(`Running downgrade ${B}`);
      expect(down.stdout).toContain('ALTER TABLE t DROP COLUMN IF EXISTS code');
      expect(down.stdout).toContain(`Database is now at ${A}.`);
      // Only the stopped revision was undone: A stays.
      expect(await state(fresh.db)).toEqual({ column: 'absent', revisions: [A], progress: [], index: null });
      expect(await fresh.db.query(`SELECT to_regclass('other')::text AS o`)).toEqual([{ o: 'other' }]);

      // From there the fixed file runs like any other revision.
      const up = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(up.code).toBe(0);
      expect(await state(fresh.db)).toEqual({ column: 'NOT NULL', revisions: [A, B], progress: [], index: 't_code_idx' });
      expect(await fresh.db.query(`SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'code'`)).toEqual([
        { t: 'character varying(20)' },
      ]);
    } finally {
      await fresh.dispose();
    }
  }, 60_000);

  it('downgrade base undoes the stopped revision and then the applied ones', async () => {
    const fresh = await setUp();
    const dir = project('(1 / (id - id))::text');
    const env = { DATABASE_URL: fresh.url! };
    try {
      expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(1);
      const down = await runCli(['db', 'downgrade', 'base'], { cwd: dir, env });
      expect(down.code).toBe(0);
      expect(await state(fresh.db)).toEqual({ column: 'absent', revisions: [], progress: [], index: null });
      expect(await fresh.db.query(`SELECT to_regclass('other')::text AS o`)).toEqual([{ o: null }]);
    } finally {
      await fresh.dispose();
    }
  }, 60_000);
});
