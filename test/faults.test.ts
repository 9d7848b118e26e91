/**
 * Concurrency and faults (issue 5), through the real CLI on a real server:
 * several migrate processes at once, processes racing to create the version
 * tables, a process killed at random points of a revision, a connection cut
 * in the middle of one, and applied history that changed on disk.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openServer } from '../source/db/connect.js';
import { checksumOf } from '../source/revisions/files.js';
import { runCli } from './support/cli.js';
import type { CliResult } from './support/cli.js';
import { freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';
import { advisoryLocks, cliSessions, executes, project, revision, seededRandom, sleep, startCli, until } from './support/faults-project.js';

const versions = (dir: string, file: string) => join(dir, 'migrations', 'versions', file);

/** The version table and fastedgy_revisions, as 'id,id'. */
async function recorded(fresh: FreshDatabase): Promise<{ v: string | null; r: string | null }> {
  const rows = await fresh.db.query<{ v: string | null; r: string | null }>(
    `SELECT (SELECT string_agg(version_num, ',' ORDER BY version_num) FROM fastedgy_version) AS v,
            (SELECT string_agg(revision, ',' ORDER BY revision) FROM fastedgy_revisions) AS r`,
  );
  return rows[0];
}

/** One message and no stack trace: the CLI's error edge, not a crash. */
function expectOneCleanError(r: CliResult): void {
  expect(r.stderr.match(/^error:/gm)?.length).toBe(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/--debug/);
}

describe('concurrency', () => {
  it('five migrate processes at once: each revision runs exactly once, the others wait and find nothing left', async () => {
    const fresh = await freshDatabase('server');
    await fresh.db.query('CREATE TABLE counter (revision text)');
    const files: Record<string, string> = {};
    let down: string | null = null;
    for (const id of ['c00000000001', 'c00000000002', 'c00000000003']) {
      files[`migrations/versions/${id}.ts`] = revision(
        id,
        down,
        executes([`INSERT INTO counter VALUES ('${id}')`, 'SELECT pg_sleep(0.2)']),
        executes([`DELETE FROM counter WHERE revision = '${id}'`]),
      );
      down = id;
    }
    const dir = project(files);
    try {
      const runs = await Promise.all([1, 2, 3, 4, 5].map(() => runCli(['db', 'migrate'], { cwd: dir, env: { DATABASE_URL: fresh.url! } })));
      for (const r of runs) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).not.toMatch(/error/i);
      }
      expect(await fresh.db.query(`SELECT revision, count(*)::int AS n FROM counter GROUP BY 1 ORDER BY 1`)).toEqual([
        { revision: 'c00000000001', n: 1 },
        { revision: 'c00000000002', n: 1 },
        { revision: 'c00000000003', n: 1 },
      ]);
      // The lock is held for the whole run, so one process applies all three and four find nothing.
      expect(runs.filter((r) => r.stdout.includes('Database is now at c00000000003')).length).toBe(1);
      expect(runs.filter((r) => r.stdout.includes('Nothing to migrate')).length).toBe(4);
      expect(runs.filter((r) => r.stderr.includes('holds the lock on this database; waiting')).length).toBeGreaterThanOrEqual(1);
      expect(await recorded(fresh)).toEqual({ v: 'c00000000003', r: 'c00000000001,c00000000002,c00000000003' });
      expect(await advisoryLocks(fresh.db)).toBe(0);
    } finally {
      await fresh.dispose();
    }
  });

  it('processes that find an empty database create the version tables without an error (migrate+migrate, stamp+stamp, current+migrate)', async () => {
    const dir = project({
      'migrations/versions/e00000000001.ts': revision('e00000000001', null, executes(['CREATE TABLE IF NOT EXISTS e (x int)']), executes(['DROP TABLE e'])),
    });
    const pairs: [string[], string[]][] = [
      [['db', 'migrate'], ['db', 'migrate']],
      [['db', 'stamp', 'head'], ['db', 'stamp', 'head']],
      [['db', 'current'], ['db', 'migrate']],
      [['db', 'current'], ['db', 'stamp', 'head']],
    ];
    // One database, emptied between pairs (a fresh database costs more than the CLI runs).
    const fresh = await freshDatabase('server');
    try {
      const env = { DATABASE_URL: fresh.url! };
      for (const [first, second] of pairs) {
        await fresh.db.query('DROP TABLE IF EXISTS fastedgy_version, fastedgy_revisions, e');
        const [a, b] = await Promise.all([runCli(first, { cwd: dir, env }), runCli(second, { cwd: dir, env })]);
        for (const r of [a, b]) {
          expect(r.code, `${first.join(' ')} / ${second.join(' ')}: ${r.stderr}`).toBe(0);
          expect(r.stderr).not.toMatch(/error/i);
        }
        expect(await recorded(fresh)).toEqual({ v: 'e00000000001', r: 'e00000000001' });
        if (first[1] === 'current') expect(a.stdout).toMatch(/<base>|e00000000001/);
      }
    } finally {
      await fresh.dispose();
    }
  });
});

describe('faults', () => {
  it('a process killed at random points of a revision leaves the database before or after it, the lock released, and the next migrate succeeds', async () => {
    const seed = Number(process.env.FAULTS_SEED ?? 20240605);
    const random = seededRandom(seed);
    const fresh = await freshDatabase('server');
    const dir = project({
      'migrations/versions/k00000000001.ts': revision('k00000000001', null, executes(['CREATE TABLE base_t (x int)', 'INSERT INTO base_t VALUES (1)']), executes(['DROP TABLE base_t'])),
    });
    const env = { DATABASE_URL: fresh.url! };
    // The revision that gets killed: several statements with pauses between them.
    const steps = [
      'CREATE TABLE k1 (x int)',
      'SELECT pg_sleep(0.05)',
      'INSERT INTO k1 VALUES (1)',
      'SELECT pg_sleep(0.05)',
      'ALTER TABLE base_t ADD COLUMN y int',
      'SELECT pg_sleep(0.05)',
      'CREATE TABLE k2 (x int)',
      'SELECT pg_sleep(0.05)',
      'UPDATE base_t SET y = 2',
    ];
    const state = async () =>
      (
        await fresh.db.query(
          `SELECT to_regclass('k1')::text AS k1, to_regclass('k2')::text AS k2,
                  (SELECT count(*)::int FROM information_schema.columns WHERE table_name = 'base_t' AND column_name = 'y') AS y`,
        )
      )[0];
    const BEFORE = { k1: null, k2: null, y: 0 };
    const AFTER = { k1: 'k1', k2: 'k2', y: 1 };
    try {
      expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(0);
      writeFileSync(
        versions(dir, 'k00000000002.ts'),
        revision('k00000000002', 'k00000000001', executes(steps), executes(['DROP TABLE k2', 'ALTER TABLE base_t DROP COLUMN y', 'DROP TABLE k1'])),
      );
      const outcomes: string[] = [];
      for (let i = 0; i < 8; i++) {
        const delay = Math.floor(random() * 320);
        const where = `seed ${seed}, iteration ${i}, kill ${delay} ms after the revision started`;
        // After a kill, this is also "the next migrate": it must get the lock and find the history
        // consistent to reach the revision at all (limitMs turns a wait forever into a failure).
        const run = startCli(['db', 'migrate'], { cwd: dir, env, limitMs: 20_000 });
        await run.printed('Running upgrade k00000000001 -> k00000000002');
        await sleep(delay);
        run.child.kill('SIGKILL');
        await run.done;

        // PostgreSQL ends the backend (rolling back, releasing the session's advisory lock) once it notices the client is gone.
        const released = await until(async () => (await advisoryLocks(fresh.db)) === 0 && (await cliSessions(fresh.db)).length === 0, 10_000);
        expect(released, `${where}: the migration lock or the session is still there`).toBe(true);

        const s = await state();
        const r = await recorded(fresh);
        if (r.v === 'k00000000002') {
          expect(s, where).toEqual(AFTER);
          expect(r.r, where).toBe('k00000000001,k00000000002');
          expect(await fresh.db.query('SELECT (SELECT count(*)::int FROM k1) AS k1, (SELECT y FROM base_t) AS y'), where).toEqual([{ k1: 1, y: 2 }]);
          outcomes.push('after');
          // Back to before the revision for the next kill.
          await fresh.db.query(`DROP TABLE k1, k2; ALTER TABLE base_t DROP COLUMN y;
            DELETE FROM fastedgy_version; INSERT INTO fastedgy_version VALUES ('k00000000001');
            DELETE FROM fastedgy_revisions WHERE revision = 'k00000000002'`);
        } else {
          expect(s, where).toEqual(BEFORE);
          expect(r, where).toEqual({ v: 'k00000000001', r: 'k00000000001' });
          outcomes.push('before');
        }
      }
      // And after the last kill, a migrate that runs to the end.
      const last = await startCli(['db', 'migrate'], { cwd: dir, env, limitMs: 20_000 }).done;
      expect(last.code, last.stderr).toBe(0);
      expect(last.stdout).toMatch(/Database is now at k00000000002/);
      expect(await state()).toEqual(AFTER);
      expect(await recorded(fresh)).toEqual({ v: 'k00000000002', r: 'k00000000001,k00000000002' });
      // Most kills land inside the revision (it takes 200+ ms, the delays are under 320 ms).
      expect(outcomes.filter((o) => o === 'before').length, outcomes.join(' ')).toBeGreaterThanOrEqual(1);
    } finally {
      await fresh.dispose();
    }
  }, 90_000);

  it('a connection cut in the middle of a revision: exit 1, one message naming the revision, nothing half-recorded', async () => {
    const fresh = await freshDatabase('server');
    const dir = project({
      'migrations/versions/t00000000001.ts': revision('t00000000001', null, executes(['CREATE TABLE cut_ok (x int)']), executes(['DROP TABLE cut_ok'])),
      'migrations/versions/t00000000002.ts': revision(
        't00000000002',
        't00000000001',
        executes(['CREATE TABLE cut_a (x int)', 'INSERT INTO cut_a VALUES (1)', 'SELECT pg_sleep(30)', 'CREATE TABLE cut_b (x int)']),
        executes(['DROP TABLE cut_b', 'DROP TABLE cut_a']),
      ),
    });
    try {
      const run = startCli(['db', 'migrate'], { cwd: dir, env: { DATABASE_URL: fresh.url! } });
      let pid: number | undefined;
      const sleeping = await until(async () => {
        pid = (await cliSessions(fresh.db)).find((s) => s.state === 'active' && s.query.includes('pg_sleep(30)'))?.pid;
        return pid !== undefined;
      }, 20_000);
      expect(sleeping, run.stdout()).toBe(true);
      await fresh.db.query('SELECT pg_terminate_backend($1)', [pid]);
      const r = await run.done;
      expect(r.code, r.stderr).toBe(1);
      expectOneCleanError(r);
      expect(r.stderr).toContain('error: revision t00000000002 (rev t00000000002) was interrupted in upgrade: the connection to the database was lost');
      expect(r.stderr).toMatch(/terminating connection due to administrator command/);
      expect(r.stderr).toContain('statement: SELECT pg_sleep(30)');
      expect(r.stderr).toContain('nothing of revision t00000000002 was applied');
      // The revision file is not at fault: no "fix the file".
      expect(r.stderr).not.toMatch(/fix .* and run again/);
      // The first revision committed; the second left nothing, not even its first statements.
      const untouched = async () => {
        expect(await recorded(fresh)).toEqual({ v: 't00000000001', r: 't00000000001' });
        expect(await fresh.db.query(`SELECT to_regclass('cut_ok')::text AS ok, to_regclass('cut_a')::text AS a, to_regclass('cut_b')::text AS b`)).toEqual([
          { ok: 'cut_ok', a: null, b: null },
        ]);
      };
      await untouched();
      expect(await until(async () => (await advisoryLocks(fresh.db)) === 0, 5_000)).toBe(true);

      // Cut again while the revision records itself: its statements ran, the version table waits
      // behind another session's lock (SHARE lets the runner read it, not write it).
      writeFileSync(
        versions(dir, 't00000000002.ts'),
        revision('t00000000002', 't00000000001', executes(['CREATE TABLE cut_a (x int)', 'CREATE TABLE cut_b (x int)']), executes(['DROP TABLE cut_b', 'DROP TABLE cut_a'])),
      );
      const blocker = await openServer(fresh.url!);
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE fastedgy_version IN SHARE MODE');
        const again = startCli(['db', 'migrate'], { cwd: dir, env: { DATABASE_URL: fresh.url! } });
        const waiting = await until(async () => {
          pid = (await cliSessions(fresh.db)).find((s) => s.state === 'active' && s.query.includes('DELETE FROM fastedgy_version'))?.pid;
          return pid !== undefined;
        }, 20_000);
        expect(waiting, again.stdout()).toBe(true);
        await fresh.db.query('SELECT pg_terminate_backend($1)', [pid]);
        const cut = await again.done;
        expect(cut.code, cut.stderr).toBe(1);
        expectOneCleanError(cut);
        expect(cut.stderr).toContain('revision t00000000002 (rev t00000000002) was interrupted in upgrade: the connection to the database was lost');
        expect(cut.stderr).toContain('nothing of revision t00000000002 was applied');
      } finally {
        await blocker.query('ROLLBACK').catch(() => undefined);
        await blocker.close();
      }
      await untouched();
    } finally {
      await fresh.dispose();
    }
  });
});

describe('applied history changed on disk', () => {
  const A = 'h0000000000a';
  const B = 'h0000000000b';
  const C = 'h0000000000c';
  const X = 'h0000000000x';
  const aFile = `1_${A}.ts`;
  const bFile = `2_${B}.ts`;
  const cFile = `3_${C}.ts`;
  const xFile = `1b_${X}.ts`;
  const make = (id: string, down: string | null) => revision(id, down, executes([`CREATE TABLE t_${id} (x int)`]), executes([`DROP TABLE t_${id}`]));
  const exists = async (fresh: FreshDatabase, id: string) =>
    (await fresh.db.query<{ t: string | null }>(`SELECT to_regclass('t_${id}')::text AS t`))[0].t !== null;

  /** a -> b applied (and c above b, with `withC`). */
  async function applied(withC = false): Promise<{ fresh: FreshDatabase; dir: string; env: Record<string, string> }> {
    const fresh = await freshDatabase('server');
    const files = { [`migrations/versions/${aFile}`]: make(A, null), [`migrations/versions/${bFile}`]: make(B, A) };
    if (withC) files[`migrations/versions/${cFile}`] = make(C, B);
    const dir = project(files);
    const env = { DATABASE_URL: fresh.url! };
    const r = await runCli(['db', 'migrate'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    return { fresh, dir, env };
  }

  it('an applied revision edited only in whitespace or only in line endings is reported before anything runs; --ignore-checksums proceeds', async () => {
    const { fresh, dir, env } = await applied();
    try {
      writeFileSync(versions(dir, cFile), make(C, B));
      const original = readFileSync(versions(dir, aFile), 'utf8');
      for (const edited of [original.replace('export const message', '\nexport const message'), original.replace(/\n/g, '\r\n')]) {
        writeFileSync(versions(dir, aFile), edited);
        const r = await runCli(['db', 'migrate'], { cwd: dir, env });
        expect(r.code, r.stderr).toBe(1);
        expectOneCleanError(r);
        expect(r.stderr).toContain(aFile);
        expect(r.stderr).toMatch(/edited after it was applied/);
        expect(r.stderr).toContain('--ignore-checksums');
        expect(await exists(fresh, C)).toBe(false);
      }
      // downgrade checks too: it would run an edited file's downgrade().
      const d = await runCli(['db', 'downgrade'], { cwd: dir, env });
      expect(d.code).toBe(1);
      expect(d.stderr).toContain(aFile);
      expect(await exists(fresh, B)).toBe(true);
      const r = await runCli(['db', 'migrate', '--ignore-checksums'], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(aFile); // said once, not silently
      expect(await exists(fresh, C)).toBe(true);
    } finally {
      await fresh.dispose();
    }
  });

  it('a deleted applied revision file is reported before anything runs', async () => {
    const { fresh, dir, env } = await applied(true);
    try {
      rmSync(versions(dir, cFile));
      const r = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(1);
      expectOneCleanError(r);
      expect(r.stderr).toContain(`revision ${C} is applied to the database but its file is missing`);
      // c is where the database is: without its file nothing can be planned, so the hint is not --ignore-checksums.
      expect(r.stderr).toMatch(/restore the missing revision file, or `fastedgy db stamp`/);
      const ignored = await runCli(['db', 'migrate', '--ignore-checksums'], { cwd: dir, env });
      expect(ignored.code).toBe(1);
      expectOneCleanError(ignored);
      expect(ignored.stderr).toContain(`the database is at revision ${C}, which no revision file defines`);
      // An applied file deleted below the head breaks the graph, which is reported as well.
      writeFileSync(versions(dir, cFile), make(C, B));
      rmSync(versions(dir, bFile));
      const middle = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(middle.code).toBe(1);
      expectOneCleanError(middle);
      expect(middle.stderr).toContain(B);
      expect(await recorded(fresh)).toEqual({ v: C, r: `${A},${B},${C}` });
    } finally {
      await fresh.dispose();
    }
  });

  it('a new revision inserted below the applied head is reported before anything runs (migrate and downgrade); --ignore-checksums proceeds', async () => {
    const { fresh, dir, env } = await applied();
    try {
      // x revises a, and b is changed to revise x: x sits below the applied head b but never ran.
      writeFileSync(versions(dir, xFile), make(X, A));
      writeFileSync(versions(dir, bFile), make(B, X));
      writeFileSync(versions(dir, cFile), make(C, B));
      const r = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(1);
      expectOneCleanError(r);
      expect(r.stderr).toContain(xFile);
      expect(r.stderr).toMatch(new RegExp(`revision ${X} .* was never applied, but it sits below the applied revision ${B}`));
      expect(r.stderr).toContain(bFile); // b's file was edited as well
      expect(await exists(fresh, X)).toBe(false);
      expect(await exists(fresh, C)).toBe(false);

      // Even when b's recorded checksum matches its file (a row written by a run that ignored
      // checksums, say), x is still found: by the row fastedgy_revisions does not have.
      await fresh.db.query('UPDATE fastedgy_revisions SET checksum = $1 WHERE revision = $2', [checksumOf(readFileSync(versions(dir, bFile))), B]);
      const only = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(only.code, only.stderr).toBe(1);
      expectOneCleanError(only);
      expect(only.stderr).toContain(xFile);
      expect(only.stderr).not.toContain('edited');
      // A downgrade would otherwise run x's downgrade() although its upgrade never ran.
      const down = await runCli(['db', 'downgrade', A], { cwd: dir, env });
      expect(down.code).toBe(1);
      expect(down.stderr).toContain(xFile);
      expect(await exists(fresh, B)).toBe(true);
      expect(await recorded(fresh)).toEqual({ v: B, r: `${A},${B}` });

      const ignored = await runCli(['db', 'migrate', '--ignore-checksums'], { cwd: dir, env });
      expect(ignored.code, ignored.stderr).toBe(0);
      expect(ignored.stderr).toContain(xFile);
      expect(await exists(fresh, C)).toBe(true);
    } finally {
      await fresh.dispose();
    }
  });

  it('revisions applied before fastedgy_revisions had rows (an older fastedgy) are not reported as inserted', async () => {
    const { fresh, dir, env } = await applied();
    try {
      // a was applied by an older version (no row), b by this one.
      await fresh.db.query('DELETE FROM fastedgy_revisions WHERE revision = $1', [A]);
      writeFileSync(versions(dir, cFile), make(C, B));
      const r = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(await recorded(fresh)).toEqual({ v: C, r: `${B},${C}` });
    } finally {
      await fresh.dispose();
    }
  });
});
