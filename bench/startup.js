#!/usr/bin/env node
// Short commands as whole processes, each beside its floor measured in the
// same run on a real PostgreSQL server this script starts (medians):
//   - `current` (one revision) vs a bare node + pg script reading the version table;
//   - `migrate` of 200 small revisions on an empty database vs `psql -f` of
//     the same `migrate --sql` output; `downgrade base` of them vs psql of
//     `downgrade base --sql`.
// Every project file is TypeScript, as a user writes it; the first run of
// each command fills the module cache (.fastedgy/cache), the timed runs use it.
//   npm run bench:startup           node bench/startup.js [runs]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticModels } from './models.js';
import { startBenchServer } from './server.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
// BENCH_BIN: another build's bin/fastedgy.js, to compare before and after a change.
const bin = process.env.BENCH_BIN ?? join(repo, 'bin', 'fastedgy.js');
const RUNS = Number(process.argv[2]) || 5;
const REVISIONS = 200;
const psql = ['/usr/lib/postgresql/15/bin/psql'].find(existsSync) ?? 'psql';

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function run(file, args, env, cwd) {
  const started = performance.now();
  const r = spawnSync(file, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const fastedgy = (args, env, cwd) => run(process.execPath, [bin, 'db', ...args], env, cwd);

/** A hand-written revision creating one small table. */
function revision(i) {
  const id = `r${String(i).padStart(11, '0')}`;
  const down = i === 0 ? 'null' : `'r${String(i - 1).padStart(11, '0')}'`;
  return `import type { Operations } from 'fastedgy/migrations';

export const revision = '${id}';
export const downRevision: string | null = ${down};
export const message = 'table ${i}';

export async function upgrade(op: Operations): Promise<void> {
  await op.execute('CREATE TABLE t${i} (id bigint PRIMARY KEY, note text)');
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute('DROP TABLE t${i}');
}
`;
}

const server = await startBenchServer();
const rows = [];
try {
  // current: one revision, applied.
  {
    const url = await server.createDatabase('bench_current');
    const dir = mkdtempSync(join(tmpdir(), 'fastedgy-bench-'));
    writeFileSync(join(dir, 'fastedgy.config.ts'), "import { defineConfig } from 'fastedgy';\nexport default defineConfig({ models: './models.ts', migrations: './migrations' });\n");
    writeFileSync(join(dir, 'models.ts'), syntheticModels(3));
    const env = { ...process.env, DATABASE_URL: url, NO_COLOR: '1' };
    for (const step of [['init'], ['makemigrations', '-m', 'bench'], ['migrate'], ['current']]) fastedgy(step, env, dir);
    const floor = [];
    const command = [];
    for (let i = 0; i < RUNS; i++) {
      floor.push(run(process.execPath, [join(repo, 'bench', 'version-floor.js')], env, dir).ms);
      command.push(fastedgy(['current'], env, dir).ms);
    }
    rows.push({ work: '`current` (one revision)', floor: 'node + pg reading the version table', ms: median(command), floorMs: median(floor) });
    rmSync(dir, { recursive: true, force: true });
  }
  // migrate / downgrade base of 200 revisions.
  {
    const dir = mkdtempSync(join(tmpdir(), 'fastedgy-bench-'));
    writeFileSync(join(dir, 'fastedgy.config.ts'), "import { defineConfig } from 'fastedgy';\nexport default defineConfig({ models: './models.ts', migrations: './migrations' });\n");
    writeFileSync(join(dir, 'models.ts'), "export {};\n");
    mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
    for (let i = 0; i < REVISIONS; i++) writeFileSync(join(dir, 'migrations', 'versions', `${String(i).padStart(4, '0')}_t${i}.ts`), revision(i));
    const up = [];
    const down = [];
    const psqlUp = [];
    const psqlDown = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const ours = await server.createDatabase(`bench_ours_${i}`);
      const theirs = await server.createDatabase(`bench_psql_${i}`);
      const env = { ...process.env, DATABASE_URL: ours, NO_COLOR: '1' };
      const upSql = join(dir, 'up.sql');
      const downSql = join(dir, 'down.sql');
      writeFileSync(upSql, fastedgy(['migrate', '--sql'], env, dir).stdout);
      const m = fastedgy(['migrate'], env, dir).ms;
      writeFileSync(downSql, fastedgy(['downgrade', 'base', '--sql'], env, dir).stdout);
      const d = fastedgy(['downgrade', 'base'], env, dir).ms;
      const p = run(psql, ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', theirs, '-f', upSql], process.env, dir).ms;
      const pd = run(psql, ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', theirs, '-f', downSql], process.env, dir).ms;
      // The first round fills the module cache; it is not counted.
      if (i === 0) continue;
      up.push(m);
      down.push(d);
      psqlUp.push(p);
      psqlDown.push(pd);
    }
    rows.push({ work: `\`migrate\` ${REVISIONS} revisions`, floor: 'psql -f of `migrate --sql`', ms: median(up), floorMs: median(psqlUp) });
    rows.push({ work: `\`downgrade base\` of ${REVISIONS}`, floor: 'psql -f of `downgrade base --sql`', ms: median(down), floorMs: median(psqlDown) });
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  await server.stop();
}

console.log(`\nmedian of ${RUNS} whole-process runs; ratio = command / floor (target ≤ 1.3×)`);
console.log('| work | ms | floor | floor ms | ratio |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.work} | ${r.ms.toFixed(0)} | ${r.floor} | ${r.floorMs.toFixed(0)} | ${(r.ms / r.floorMs).toFixed(2)}× |`);
