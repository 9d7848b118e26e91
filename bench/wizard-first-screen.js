#!/usr/bin/env node
// From pressing Enter on `fastedgy db makemigrations` to the wizard's first
// interactive screen, on the example project (examples/blog migrated, given
// rows, then changed to models.next.ts so three questions come up), on the
// embedded database and on a real server (bench/server.js). The command runs
// in a pseudo-terminal (`script -q`), and the clock stops when its output
// first holds the overview's "Needs a decision". The floor, measured in the
// same run on the same project: `makemigrations --dry-run`, which loads the
// same models, reads the same database and computes the same plan, then
// prints the questions and exits. Runs alternate, medians are compared.
//
//   node bench/wizard-first-screen.js [runs=5]      (npm run build first)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startBenchServer } from './server.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'fastedgy.js');
const RUNS = Number(process.argv[2] ?? 5);
const TARGET = 1.2;

const ROWS = [
  `INSERT INTO users (name, status, email) VALUES ('Ada', 'active', 'ada@example.com'), ('Grace', 'suspended', NULL), ('Linus', 'suspended', NULL), ('Barbara', 'inactive', NULL), ('Ken', 'suspended', NULL)`,
  `INSERT INTO documents (title, embedding, owner_id) SELECT 'Notes of ' || name, array_fill(0.5, ARRAY[1536])::vector, id FROM users WHERE name = 'Ada'`,
];

/**
 * The example's models, as they are or (on the bench server, which has no
 * pgvector) without the vector column and its index; the change to
 * models.next.ts asks the same three questions either way.
 */
function models(file, vector) {
  const text = readFileSync(join(repo, 'examples', 'blog', file), 'utf8');
  return vector ? text : text.replace(/^\s*embedding: .*\n/m, '').replace(/^\s*indexes: \[\{ fields: \['embedding'\].*\n/m, '');
}

/** The example project in a temporary directory, migrated, with rows, and its models changed. */
async function project(url) {
  const dir = mkdtempSync(join(tmpdir(), 'fastedgy-bench-first-'));
  const vector = !url;
  writeFileSync(join(dir, 'models.ts'), models('models.ts', vector));
  writeFileSync(join(dir, 'fastedgy.config.ts'), "import { defineConfig } from 'fastedgy';\nexport default defineConfig({ models: './models.ts', migrations: './migrations' });\n");
  // A person's terminal: no CI variables (under CI the wizard gives way to line prompts).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION' && !k.startsWith('CI_')));
  Object.assign(env, { DATABASE_URL: url ?? '', TERM: 'xterm-256color' });
  const cli = (...args) => {
    const r = spawnSync(process.execPath, [bin, 'db', ...args], { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`fastedgy db ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
  };
  // The repository's own history where it fits (the embedded database has pgvector); else one made from the models.
  if (vector) cpSync(join(repo, 'migrations'), join(dir, 'migrations'), { recursive: true });
  else cli('makemigrations', '-m', 'initial');
  cli('migrate');
  const rows = vector ? ROWS : [ROWS[0], ROWS[1].replace(', embedding', '').replace(", array_fill(0.5, ARRAY[1536])::vector", '')];
  if (url) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    for (const q of rows) await c.query(q);
    await c.end();
  } else {
    const { openEmbedded } = await import(join(repo, 'dist', 'db', 'connect.js'));
    const db = await openEmbedded(join(dir, '.fastedgy', 'pgdata'));
    for (const q of rows) await db.query(q);
    await db.close();
  }
  writeFileSync(join(dir, 'models.ts'), models('models.next.ts', vector));
  return { dir, env };
}

/** Milliseconds from starting the command in a pseudo-terminal to the first screen that can take a key. */
function firstScreen({ dir, env }) {
  return new Promise((resolve, reject) => {
    const command = `${process.execPath} ${bin} db makemigrations`;
    const started = performance.now();
    // `script` gives the command a terminal of its own; its output comes to us through the pipe.
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let seen = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no first screen within 120 s:\n${seen.slice(-2000)}`)), 120_000);
    function finish(result) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // q leaves the wizard writing nothing; the process group goes if it lingers.
      child.stdin.write('q');
      setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 3000).unref();
      child.once('exit', () => (result instanceof Error ? reject(result) : resolve(result)));
    }
    child.stdout.on('data', (chunk) => {
      seen += chunk.toString('utf8');
      if (!done && seen.includes('Needs a decision')) finish(performance.now() - started);
    });
    child.on('error', (e) => finish(e));
  });
}

/** Milliseconds of `makemigrations --dry-run` on the same project: the same plan, printed. */
function dryRun({ dir, env }) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [bin, 'db', 'makemigrations', '--dry-run'], { cwd: dir, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 2 || !(r.stdout + r.stderr).includes('needs answers to 3 questions')) throw new Error(`dry run: exit ${r.status}\n${r.stdout}${r.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(name, setup) {
  const p = await setup();
  try {
    // One of each first, not counted: the files come into the page cache.
    await firstScreen(p);
    dryRun(p);
    const screen = [];
    const floor = [];
    for (let i = 0; i < RUNS; i++) {
      floor.push(dryRun(p));
      screen.push(await firstScreen(p));
    }
    return { name, screen: median(screen), floor: median(floor) };
  } finally {
    rmSync(p.dir, { recursive: true, force: true });
  }
}

const rows = [await measure('embedded', () => project(null))];
const server = await startBenchServer();
try {
  rows.push(await measure('server', async () => project(await server.createDatabase(`first_${process.pid}`))));
} finally {
  await server.stop();
}

console.log(`makemigrations on the example project: first interactive screen vs --dry-run (floor), median of ${RUNS}`);
console.log('database  first screen   --dry-run   ratio   target');
for (const r of rows) {
  const ratio = r.screen / r.floor;
  console.log(
    `${r.name.padEnd(9)} ${`${r.screen.toFixed(0)} ms`.padStart(12)} ${`${r.floor.toFixed(0)} ms`.padStart(11)} ${`${ratio.toFixed(2)}x`.padStart(7)}   ${TARGET}x ${ratio <= TARGET ? 'met' : 'NOT met'}`,
  );
}
process.exit(0);
