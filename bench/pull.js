#!/usr/bin/env node
// Whole-process timings of `fastedgy db pull` on the synthetic schema (2,000
// tables unless told), beside its floor (bench/pull-floor.js: a bare node
// script running the same catalog queries with pg) and bare node start-up,
// all measured in the same run on a real PostgreSQL server this script
// starts. The database is built once by makemigrations + migrate from the
// synthetic models; each pull then writes the models afresh (--force).
//   node bench/pull.js [tables...]        (default 2000)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticModels } from './models.js';
import { startBenchServer } from './server.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'fastedgy.js');
const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const RUNS = 3;

function timed(args, env, cwd) {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  const rssKb = Number(r.stderr.trim().split('\n').at(-1));
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return { ms, rssMb: rssKb / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(args, env, cwd) {
  const runs = Array.from({ length: RUNS }, () => timed(args, env, cwd));
  return { ms: median(runs.map((r) => r.ms)), rssMb: Math.max(...runs.map((r) => r.rssMb)) };
}

const server = await startBenchServer();
const rows = [];
try {
  for (const n of sizes.length ? sizes : [2000]) {
    const url = await server.createDatabase(`bench_pull_${n}`);
    const dir = mkdtempSync(join(tmpdir(), 'fastedgy-bench-pull-'));
    writeFileSync(join(dir, 'fastedgy.config.ts'), "export default { models: './models.ts', migrations: './migrations' };\n");
    writeFileSync(join(dir, 'models.ts'), syntheticModels(n));
    const env = { ...process.env, DATABASE_URL: url, NO_COLOR: '1' };
    for (const step of [['init'], ['makemigrations', '-m', 'bench'], ['migrate']]) {
      const r = spawnSync(process.execPath, [bin, 'db', ...step], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 30 });
      if (r.status !== 0) throw new Error(`${step[0]} failed: ${r.stderr}`);
    }
    const node = measure(['-e', ''], env, dir);
    const floor = measure([join(repo, 'bench', 'pull-floor.js')], env, dir);
    const pull = measure([bin, 'db', 'pull', '--out', 'pulled.ts', '--force'], env, dir);
    rows.push({ n, node, floor, pull });
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  await server.stop();
}

const f = (x) => x.toFixed(0).padStart(6);
console.log(`\nmedian of ${RUNS} whole-process runs (ms); ratio = pull / floor; beyond start-up = pull - node start-up`);
console.log('tables |  node | floor | pull (ratio, beyond start-up, MB)');
for (const r of rows)
  console.log(`${String(r.n).padStart(6)} |${f(r.node.ms)} |${f(r.floor.ms)} | ${f(r.pull.ms)} (${(r.pull.ms / r.floor.ms).toFixed(2)}x, ${f(r.pull.ms - r.node.ms)}, ${r.pull.rssMb.toFixed(0)} MB)`);
