#!/usr/bin/env node
// Whole-process timings of a no-change `makemigrations` and of `check` on a
// synthetic schema of 100, 500 and 2,000 tables, beside the floor (a bare
// node script running the same catalog queries with pg) and bare node
// start-up, all measured in the same run on a real PostgreSQL server that
// this script starts. Prints ratios to the floor, and peak memory.
//   npm run bench            (all sizes)    node bench/run.js 100 500
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startBenchServer } from './server.js';
import { bin, measure, repo, RUNS, syntheticProject } from './whole-process.js';

const sizes = process.argv.slice(2).map(Number).filter(Boolean);

const server = await startBenchServer();
const rows = [];
try {
  for (const n of sizes.length ? sizes : [100, 500, 2000]) {
    const { dir, env } = syntheticProject(n, await server.createDatabase(`bench_${n}`));
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
