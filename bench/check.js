#!/usr/bin/env node
// Issue 14's table: on a real PostgreSQL server this script starts, a
// no-change `makemigrations` and `check` on N synthetic tables (default
// 2,000) against the floor of the same catalog queries in bare node
// (bench/floor.js); on the embedded database (PGlite, the default), `current`
// against a bare node script opening PGlite and reading the version table
// (bench/embedded-floor.js). Whole processes, medians, peak RSS from
// /usr/bin/time; every floor is measured in the same run.
//   npm run bench:check        node bench/check.js [tables]
// BENCH_BIN: another build's bin/fastedgy.js, to compare before and after.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticModels } from './models.js';
import { startBenchServer } from './server.js';
import { bin as ownBin, measure, repo, RUNS, syntheticProject } from './whole-process.js';

const n = Number(process.argv[2]) || 2000;
const bin = process.env.BENCH_BIN ?? ownBin;
const rows = [];
const row = (work, r, floorName, floor) => rows.push({ work, ms: r.ms, mb: r.rssMb, floorName, floorMs: floor.ms, floorMb: floor.rssMb });

const server = await startBenchServer();
try {
  const { dir, env } = syntheticProject(n, await server.createDatabase(`bench_check_${n}`));
  const node = measure(['-e', ''], env, dir);
  row('`node -e ""`', node, '', node);
  const floor = measure([join(repo, 'bench', 'floor.js')], env, dir);
  // The first run fills the module cache (.fastedgy/cache); the timed runs use it.
  measure([bin, 'db', 'check'], env, dir);
  row(`no-change \`makemigrations\`, ${n} tables`, measure([bin, 'db', 'makemigrations'], env, dir), 'catalog queries in bare node', floor);
  row(`\`check\`, ${n} tables`, measure([bin, 'db', 'check'], env, dir), 'catalog queries in bare node', floor);
  rmSync(dir, { recursive: true, force: true });
} finally {
  await server.stop();
}

// The embedded database: a small project (the cost here is opening PGlite).
{
  const dir = mkdtempSync(join(tmpdir(), 'fastedgy-bench-'));
  writeFileSync(join(dir, 'fastedgy.config.ts'), "export default { models: './models.ts', migrations: './migrations' };\n");
  writeFileSync(join(dir, 'models.ts'), syntheticModels(3));
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.DATABASE_URL;
  for (const step of [['init'], ['makemigrations', '-m', 'bench'], ['migrate'], ['current']]) {
    const r = spawnSync(process.execPath, [bin, 'db', ...step], { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${step[0]} failed: ${r.stderr}`);
  }
  const floor = measure([join(repo, 'bench', 'embedded-floor.js'), join(dir, '.fastedgy', 'pgdata')], env, dir);
  row('`current`, embedded (PGlite)', measure([bin, 'db', 'current'], env, dir), 'PGlite.create + version query', floor);
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\nmedian of ${RUNS} whole-process runs; peak RSS is the largest of them; ratio = command / floor (targets: ≤ 1.3×, check ≤ 250 MB)`);
console.log('| work | ms | peak MB | floor | floor ms | floor MB | ratio |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(`| ${r.work} | ${r.ms.toFixed(0)} | ${r.mb.toFixed(0)} | ${r.floorName} | ${r.floorName ? r.floorMs.toFixed(0) : ''} | ${r.floorName ? r.floorMb.toFixed(0) : ''} | ${r.floorName ? (r.ms / r.floorMs).toFixed(2) + '×' : ''} |`);
