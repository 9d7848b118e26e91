/**
 * More of SPEC §5 and §8 through the real CLI on a real server: createdb,
 * stamp, merge, several migrate processes at once, non-transactional
 * revisions.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG, makeProjectDir, runCli, handRevision } from './support/cli.js';
import { asAdmin, adminUrl, freshDatabase, withDatabaseName } from './support/databases.js';

const TEMPLATE = readFileSync(new URL('../templates/default/script.ts.tmpl', import.meta.url), 'utf8');

const revision = handRevision;

function project(files: Record<string, string> = {}): string {
  const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': 'export {};\n', 'migrations/script.ts.tmpl': TEMPLATE, ...files });
  mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
  return dir;
}

describe('createdb', () => {
  it('a missing database is one message that points to createdb, which creates it, then says it exists', async () => {
    const name = `fastedgy_created_${process.pid}_${Date.now()}`;
    const url = withDatabaseName(adminUrl(), name);
    const dir = project();
    const missing = await runCli(['db', 'current'], { cwd: dir, env: { DATABASE_URL: url } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(name);
    expect(missing.stderr).toContain('createdb');
    const created = await runCli(['db', 'createdb'], { cwd: dir, env: { DATABASE_URL: url } });
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created/);
    const again = await runCli(['db', 'createdb'], { cwd: dir, env: { DATABASE_URL: url } });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already exists/);
    expect((await runCli(['db', 'current'], { cwd: dir, env: { DATABASE_URL: url } })).code).toBe(0);
    await asAdmin((c) => c.query(`DROP DATABASE "${name}"`));
  });
});

describe('revisions by hand', () => {
  it('stamp records a revision without running it; merge joins two heads', async () => {
    const fresh = await freshDatabase('server');
    const dir = project({
      'migrations/versions/1_aaaaaaaaaaaa_a.ts': revision('aaaaaaaaaaaa', null, "await op.execute('CREATE TABLE a (x int)');", "await op.execute('DROP TABLE a');"),
      'migrations/versions/2_bbbbbbbbbbbb_b.ts': revision('bbbbbbbbbbbb', 'aaaaaaaaaaaa', "await op.execute('CREATE TABLE b (x int)');", "await op.execute('DROP TABLE b');"),
      'migrations/versions/3_cccccccccccc_c.ts': revision('cccccccccccc', 'aaaaaaaaaaaa', "await op.execute('CREATE TABLE c (x int)');", "await op.execute('DROP TABLE c');"),
    });
    const env = { DATABASE_URL: fresh.url! };
    try {
      const heads = await runCli(['db', 'heads'], { cwd: dir, env });
      expect(heads.stdout).toContain('bbbbbbbbbbbb (head)');
      expect(heads.stdout).toContain('cccccccccccc (head)');
      const ambiguous = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toMatch(/several heads/);

      const stamped = await runCli(['db', 'stamp', 'aaaa'], { cwd: dir, env });
      expect(stamped.code).toBe(0);
      expect(await fresh.db.query(`SELECT to_regclass('a')::text AS t`)).toEqual([{ t: null }]);
      expect((await runCli(['db', 'current'], { cwd: dir, env })).stdout).toContain('aaaaaaaaaaaa');

      const merged = await runCli(['db', 'merge', '-m', 'join'], { cwd: dir, env });
      expect(merged.code).toBe(0);
      const mergeFile = readdirSync(join(dir, 'migrations', 'versions')).find((f) => f.includes('_join'))!;
      expect(readFileSync(join(dir, 'migrations', 'versions', mergeFile), 'utf8')).toContain("['bbbbbbbbbbbb', 'cccccccccccc']");
      const up = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(up.code).toBe(0);
      expect(await fresh.db.query(`SELECT to_regclass('b')::text AS b, to_regclass('c')::text AS c`)).toEqual([{ b: 'b', c: 'c' }]);
      const down = await runCli(['db', 'downgrade', 'aaaaaaaaaaaa'], { cwd: dir, env });
      expect(down.code).toBe(0);
      expect(await fresh.db.query(`SELECT to_regclass('b')::text AS b, to_regclass('c')::text AS c`)).toEqual([{ b: null, c: null }]);
    } finally {
      await fresh.dispose();
    }
  });

  it('runs a transactional = false revision statement by statement', async () => {
    const fresh = await freshDatabase('server');
    const dir = project({
      'migrations/versions/1_aaaaaaaaaaaa_a.ts': revision('aaaaaaaaaaaa', null, "await op.execute('CREATE TABLE a (x int)');", "await op.execute('DROP TABLE a');"),
      'migrations/versions/2_bbbbbbbbbbbb_b.ts': revision(
        'bbbbbbbbbbbb', 'aaaaaaaaaaaa',
        "await op.execute('CREATE INDEX CONCURRENTLY a_x_idx ON a (x)');",
        "await op.execute('DROP INDEX CONCURRENTLY a_x_idx');",
        'export const transactional = false;',
      ),
    });
    try {
      const r = await runCli(['db', 'migrate'], { cwd: dir, env: { DATABASE_URL: fresh.url! } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await fresh.db.query(`SELECT to_regclass('a_x_idx')::text AS i`)).toEqual([{ i: 'a_x_idx' }]);
      expect((await runCli(['db', 'downgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url! } })).code).toBe(0);
    } finally {
      await fresh.dispose();
    }
  });

  it('three migrate processes at once apply each revision exactly once', async () => {
    const fresh = await freshDatabase('server');
    await fresh.db.query('CREATE TABLE side_effects (revision text)');
    const files: Record<string, string> = {};
    let down: string | null = null;
    for (const id of ['111111111111', '222222222222', '333333333333']) {
      files[`migrations/versions/${id}.ts`] = revision(id, down, `await op.execute("INSERT INTO side_effects VALUES ('${id}'); SELECT pg_sleep(0.2)");`, `await op.execute("DELETE FROM side_effects WHERE revision = '${id}'");`);
      down = id;
    }
    const dir = project(files);
    try {
      const runs = await Promise.all([1, 2, 3].map(() => runCli(['db', 'migrate'], { cwd: dir, env: { DATABASE_URL: fresh.url! } })));
      for (const r of runs) expect(r.code).toBe(0);
      expect(await fresh.db.query(`SELECT revision, count(*)::int AS n FROM side_effects GROUP BY 1 ORDER BY 1`)).toEqual([
        { revision: '111111111111', n: 1 }, { revision: '222222222222', n: 1 }, { revision: '333333333333', n: 1 },
      ]);
      expect(runs.filter((r) => r.stdout.includes('Nothing to migrate')).length).toBeGreaterThanOrEqual(1);
    } finally {
      await fresh.dispose();
    }
  });

  it('two migrate processes on the embedded database take turns: each revision runs once', async () => {
    const files: Record<string, string> = {};
    let down: string | null = null;
    for (const id of ['aaaaaaaaaaa1', 'aaaaaaaaaaa2']) {
      files[`migrations/versions/${id}.ts`] = revision(id, down, `await op.execute("CREATE TABLE t_${id} (x int)");`, `await op.execute("DROP TABLE t_${id}");`);
      down = id;
    }
    const dir = project(files);
    const env = { DATABASE_URL: '' };
    const runs = await Promise.all([1, 2].map(() => runCli(['db', 'migrate'], { cwd: dir, env })));
    for (const r of runs) expect(r.stderr.replace(/another fastedgy process.*\n/, '')).toBe('');
    for (const r of runs) expect(r.code).toBe(0);
    expect(runs.filter((r) => r.stdout.includes('Nothing to migrate')).length).toBe(1);
    const history = await runCli(['db', 'current'], { cwd: dir, env });
    expect(history.stdout).toContain('aaaaaaaaaaa2 (head)');
  }, 120_000);
});
