#!/usr/bin/env node
// Whole-process timings of `fastedgy db pull` on the synthetic schema (2,000
// tables unless told), beside its floor (bench/pull-floor.js: a bare node
// script running the same catalog queries with pg) and bare node start-up,
// all measured in the same run on a real PostgreSQL server this script
// starts. The database is built once by makemigrations + migrate from the
// synthetic models; each pull then writes the models afresh (--force).
//   node bench/pull.js [tables...]        (default 2000)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startBenchServer } from './server.js';
import { bin, measure, repo, RUNS, syntheticProject } from './whole-process.js';

const sizes = process.argv.slice(2).map(Number).filter(Boolean);

const server = await startBenchServer();
const rows = [];
try {
  for (const n of sizes.length ? sizes : [2000]) {
    const { dir, env } = syntheticProject(n, await server.createDatabase(`bench_pull_${n}`));
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
