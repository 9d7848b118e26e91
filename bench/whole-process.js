// Whole-process measurement for the benches that time CLI commands against a
// floor script: a run under /usr/bin/time (wall ms and peak RSS), the median
// of RUNS, and the synthetic project (init, makemigrations, migrate) they
// all start from.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticModels } from './models.js';

export const repo = fileURLToPath(new URL('..', import.meta.url));
export const bin = join(repo, 'bin', 'fastedgy.js');
export const RUNS = 3;

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed(args, env, cwd) {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  const [rssKb, user, sys] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  // CPU time (user + system) as well: on a shared machine it varies far less than wall time.
  return { ms, rssMb: rssKb / 1024, cpuMs: (user + sys) * 1000, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The median wall and CPU time of RUNS runs of `node ...args`, and their peak memory. */
export function measure(args, env, cwd, okStatus = [0]) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = timed(args, env, cwd);
    if (!okStatus.includes(r.status)) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    runs.push(r);
  }
  return { ms: median(runs.map((r) => r.ms)), rssMb: Math.max(...runs.map((r) => r.rssMb)), cpuMs: median(runs.map((r) => r.cpuMs)) };
}

/** A project of `n` synthetic tables in a temp directory, migrated into the database at `url`. */
export function syntheticProject(n, url) {
  const dir = mkdtempSync(join(tmpdir(), 'fastedgy-bench-'));
  writeFileSync(join(dir, 'fastedgy.config.ts'), "export default { models: './models.ts', migrations: './migrations' };\n");
  writeFileSync(join(dir, 'models.ts'), syntheticModels(n));
  const env = { ...process.env, DATABASE_URL: url, NO_COLOR: '1' };
  for (const step of [['init'], ['makemigrations', '-m', 'bench'], ['migrate']]) {
    const r = spawnSync(process.execPath, [bin, 'db', ...step], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`${step[0]} failed: ${r.stderr}`);
  }
  return { dir, env };
}
