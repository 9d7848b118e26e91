/**
 * A CREATE INDEX CONCURRENTLY that fails leaves an INVALID index behind;
 * running the revision again drops it and builds it anew. A VALID index of
 * that name is still an error. (A unique index built concurrently over
 * duplicate rows is the deterministic way to get an INVALID one.)
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';
import type { Database } from '../source/db/database.js';

const TEMPLATE = readFileSync(new URL('../templates/default/script.ts.tmpl', import.meta.url), 'utf8');
const INDEX = "{ table: 't', index: { name: 't_x_key', columns: ['x'], unique: true, using: 'btree' }, concurrently: true }";

function project(): string {
  const dir = makeProjectDir({
    'fastedgy.config.ts': CONFIG,
    'models.ts': 'export {};\n',
    'migrations/script.ts.tmpl': TEMPLATE,
    'migrations/versions/aaaaaaaaaaaa.ts': `export const revision = 'aaaaaaaaaaaa';
export const downRevision = null;
export const message = 'unique x';
export const transactional = false;
export async function upgrade(op: any) { await op.createIndex(${INDEX}); }
export async function downgrade(op: any) { await op.dropIndex(${INDEX}); }
`,
  });
  mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
  return dir;
}

async function indexValid(db: Database): Promise<boolean | null> {
  const rows = await db.query<{ valid: boolean }>(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass('t_x_key')`);
  return rows.length ? rows[0].valid : null;
}

describe('INVALID index recovery', () => {
  it('drops the INVALID index a failed CREATE INDEX CONCURRENTLY left, and builds it again', async () => {
    const fresh = await freshDatabase('server');
    await fresh.db.query('CREATE TABLE t (x int); INSERT INTO t VALUES (1), (1), (2)');
    const dir = project();
    const env = { DATABASE_URL: fresh.url! };
    try {
      const failed = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/could not create unique index/);
      expect(await indexValid(fresh.db)).toBe(false);

      await fresh.db.query('DELETE FROM t; INSERT INTO t VALUES (1), (2)');
      const again = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(again.code).toBe(0);
      expect(again.stderr).toContain('index t_x_key was left INVALID by an interrupted CREATE INDEX CONCURRENTLY; dropped it, building it again');
      expect(await indexValid(fresh.db)).toBe(true);
      expect(await fresh.db.query('SELECT revision FROM fastedgy_revisions')).toEqual([{ revision: 'aaaaaaaaaaaa' }]);
      expect(await fresh.db.query('SELECT version_num FROM fastedgy_version')).toEqual([{ version_num: 'aaaaaaaaaaaa' }]);
    } finally {
      await fresh.dispose();
    }
  });

  it('a VALID index of that name is still an error, and is left alone', async () => {
    const fresh = await freshDatabase('server');
    await fresh.db.query('CREATE TABLE t (x int); CREATE UNIQUE INDEX t_x_key ON t (x)');
    const dir = project();
    try {
      const r = await runCli(['db', 'migrate'], { cwd: dir, env: { DATABASE_URL: fresh.url! } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/already exists/);
      expect(r.stderr).not.toContain('INVALID');
      expect(await indexValid(fresh.db)).toBe(true);
    } finally {
      await fresh.dispose();
    }
  });
});
