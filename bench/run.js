#!/usr/bin/env node
// Whole-process timings of a no-change `makemigrations` and of `check` on a
// synthetic schema of 100, 500 and 2,000 tables, beside the floor (a bare
// node script running the same catalog queries with pg) and bare node
// start-up, all measured in the same run on a real PostgreSQL server that
// this script starts. Prints ratios to the floor, and peak memory.
//   npm run bench            (all sizes)    node bench/run.js 100 500
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
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  const rssKb = Number(r.stderr.trim().split('\n').at(-1));
  return { ms, rssMb: rssKb / 1024, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(args, env, cwd, okStatus = [0]) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = timed(args, env, cwd);
    if (!okStatus.includes(r.status)) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    runs.push(r);
  }
  return { ms: median(runs.map((r) => r.ms)), rssMb: Math.max(...runs.map((r) => r.rssMb)) };
}

const server = await startBenchServer();
const rows = [];
try {
  for (const n of sizes.length ? sizes : [100, 500, 2000]) {
    const url = await server.createDatabase(`bench_${n}`);
    const dir = mkdtempSync(join(tmpdir(), 'fastedgy-bench-'));
    writeFileSync(join(dir, 'fastedgy.config.ts'), "export default { models: './models.ts', migrations: './migrations' };\n");
    writeFileSync(join(dir, 'models.ts'), syntheticModels(n));
    const env = { ...process.env, DATABASE_URL: url, NO_COLOR: '1' };
    for (const step of [['init'], ['makemigrations', '-m', 'bench'], ['migrate']]) {
      const r = spawnSync(process.execPath, [bin, 'db', ...step], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 30 });
      if (r.status !== 0) throw new Error(`${step[0]} failed: ${r.stderr}`);
    }
    const node = measure(['-e', ''], env, dir);
    const floor = measure([join(repo, 'bench', 'floor.js')], env, dir);
    const make = measure([bin, 'db', 'makemigrations'], env, dir);
    const check = measure([bin, 'db', 'check'], env, dir);
    rows.push({ n, node, floor, make, check });
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  await server.stop();
}

const f = (x) => x.toFixed(0).padStart(6);
console.log(`\nmedian of ${RUNS} whole-process runs (ms); ratio = command / floor; beyond start-up = command - node start-up`);
console.log('tables |  node | floor | makemigrations (ratio, beyond start-up, MB) | check (ratio, beyond start-up, MB)');
for (const r of rows)
  console.log(
    `${String(r.n).padStart(6)} |${f(r.node.ms)} |${f(r.floor.ms)} | ${f(r.make.ms)} (${(r.make.ms / r.floor.ms).toFixed(2)}x, ${f(r.make.ms - r.node.ms)}, ${r.make.rssMb.toFixed(0)} MB)` +
      ` | ${f(r.check.ms)} (${(r.check.ms / r.floor.ms).toFixed(2)}x, ${f(r.check.ms - r.node.ms)}, ${r.check.rssMb.toFixed(0)} MB)`,
  );
