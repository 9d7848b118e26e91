#!/usr/bin/env node
// Issue 14's table: on a real PostgreSQL server this script starts, a
// no-change `makemigrations` and `check` on N synthetic tables (default
// 2,000) against the floor of the same catalog queries in bare node
// (bench/floor.js); on the embedded database (PGlite, the default), `current`
// against a bare node script opening PGlite and reading the version table
// (bench/embedded-floor.js). Whole processes, medians, peak RSS from
// /usr/bin/time; every floor is measured in the same run.
//   npm run bench:check        node bench/check.js [tables]
// BENCH_BEFORE: another build's bin/fastedgy.js, measured in the same run on
// the same databases (rows marked "before"), to compare before and after.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticModels } from './models.js';
import { startBenchServer } from './server.js';
import { bin as ownBin, measure, repo, RUNS, syntheticProject } from './whole-process.js';

const n = Number(process.argv[2]) || 2000;
const bins = [[ownBin, ''], ...(process.env.BENCH_BEFORE ? [[process.env.BENCH_BEFORE, ' (before)']] : [])];
const rows = [];
const row = (work, r, floorName, floor) => rows.push({ work, ms: r.ms, cpu: r.cpuMs, mb: r.rssMb, floorName, floorMs: floor.ms, floorCpu: floor.cpuMs, floorMb: floor.rssMb });

const server = await startBenchServer();
try {
  const { dir, env } = syntheticProject(n, await server.createDatabase(`bench_check_${n}`));
  const node = measure(['-e', ''], env, dir);
  row('`node -e ""`', node, '', node);
  const floor = measure([join(repo, 'bench', 'floor.js')], env, dir);
  for (const [bin, tag] of bins) {
    // The first run fills the module cache (.fastedgy/cache); the timed runs use it.
    measure([bin, 'db', 'check'], env, dir);
    row(`no-change \`makemigrations\`, ${n} tables${tag}`, measure([bin, 'db', 'makemigrations'], env, dir), 'catalog queries in bare node', floor);
    row(`\`check\`, ${n} tables${tag}`, measure([bin, 'db', 'check'], env, dir), 'catalog queries in bare node', floor);
  }
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
    const r = spawnSync(process.execPath, [ownBin, 'db', ...step], { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${step[0]} failed: ${r.stderr}`);
  }
  const floor = measure([join(repo, 'bench', 'embedded-floor.js'), join(dir, '.fastedgy', 'pgdata')], env, dir);
  for (const [bin, tag] of bins) row(`\`current\`, embedded (PGlite)${tag}`, measure([bin, 'db', 'current'], env, dir), 'PGlite.create + version query', floor);
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\nmedian of ${RUNS} whole-process runs; peak RSS is the largest of them; CPU = user + system; ratio = command / floor (targets: ≤ 1.3×, check ≤ 250 MB)`);
console.log('| work | ms | CPU ms | peak MB | floor | floor ms | floor CPU ms | floor MB | ratio (wall) | ratio (CPU) |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
const x = (a, b) => (a / b).toFixed(2) + '×';
for (const r of rows)
  console.log(
    `| ${r.work} | ${r.ms.toFixed(0)} | ${r.cpu.toFixed(0)} | ${r.mb.toFixed(0)} | ${r.floorName} | ` +
      (r.floorName ? `${r.floorMs.toFixed(0)} | ${r.floorCpu.toFixed(0)} | ${r.floorMb.toFixed(0)} | ${x(r.ms, r.floorMs)} | ${x(r.cpu, r.floorCpu)} |` : ' | | | | |'),
  );
