#!/usr/bin/env node
// A revision run under load (issue 13): a reader loop and a writer loop hit a
// table of 200,000 rows while `fastedgy db migrate` (the real CLI, a whole
// process) adds a NOT NULL column filled by an SQL backfill and an index on
// it. Beside it, in the same run on an identical database, the naive form:
// the same revision's SQL (`migrate --sql`, offline) in one transaction.
// Reported: the longest time one reader query and one writer query waited,
// for each form, and the runs' wall times. Target: no wait over 100 ms.
// Needs `npm run build`.
//   node bench/live-load.js [rows]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startBenchServer } from './server.js';

const ROWS = Number(process.argv[2]) || 200_000;
const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'fastedgy.js');

const CONFIG = `export default { models: './models.ts', migrations: './migrations' };\n`;
const HEADER = `import { defineModel, fields } from 'fastedgy';\n`;
const V1 = `${HEADER}export const Item = defineModel('Item', { tablename: 'items', timestamps: false, fields: { name: fields.CharField({ maxLength: 100 }) } });\n`;
const V2 = `${HEADER}export const Item = defineModel('Item', { tablename: 'items', timestamps: false, fields: { name: fields.CharField({ maxLength: 100 }), code: fields.TextField({ index: true }) } });\n`;

function cli(dir, url, ...args) {
  const r = spawnSync(process.execPath, [bin, 'db', ...args], { cwd: dir, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fastedgy db ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function cliAsync(dir, url, ...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'db', ...args], { cwd: dir, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fastedgy db ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

/** Runs `body` while a reader and a writer loop each time their queries; the longest of each, and the wall time. */
async function underLoad(url, body) {
  const clients = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
  await Promise.all(clients.map((c) => c.connect()));
  let done = false;
  const longest = { reader: 0, writer: 0 };
  const loop = (c, which, sql) =>
    (async () => {
      while (!done) {
        const id = 1 + Math.floor(Math.random() * ROWS);
        const started = performance.now();
        await c.query(sql, [id]);
        longest[which] = Math.max(longest[which], performance.now() - started);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
  const loops = [loop(clients[0], 'reader', 'SELECT name FROM items WHERE id = $1'), loop(clients[1], 'writer', `UPDATE items SET name = 'w' || id WHERE id = $1`)];
  const started = performance.now();
  try {
    await body();
  } finally {
    done = true;
    await Promise.all(loops);
    await Promise.all(clients.map((c) => c.end()));
  }
  return { ...longest, total: performance.now() - started };
}

const server = await startBenchServer();
const dir = mkdtempSync(join(tmpdir(), 'fastedgy-bench-load-'));
try {
  const urls = { fastedgy: await server.createDatabase('load_fastedgy'), naive: await server.createDatabase('load_naive') };
  cli(dir, urls.fastedgy, 'init');
  writeFileSync(join(dir, 'fastedgy.config.ts'), CONFIG);
  writeFileSync(join(dir, 'answers.json'), JSON.stringify({ 'backfill:items.code': { sql: `'c' || id` } }));
  // Version 1 made on one database, then both migrated and filled alike.
  writeFileSync(join(dir, 'models.ts'), V1);
  cli(dir, urls.fastedgy, 'makemigrations', '-m', 'items');
  for (const url of Object.values(urls)) {
    cli(dir, url, 'migrate');
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`INSERT INTO items (name) SELECT 'item ' || g FROM generate_series(1, ${ROWS}) g`);
    await c.query('VACUUM ANALYZE items');
    await c.end();
  }
  // Version 2: the code column (NOT NULL, filled from id) and its index.
  writeFileSync(join(dir, 'models.ts'), V2);
  cli(dir, urls.fastedgy, 'makemigrations', '-m', 'code', '--answers', 'answers.json');
  const script = cli(dir, urls.naive, 'migrate', '--sql');
  const second = script.slice(script.lastIndexOf('-- Running upgrade'));

  const results = {
    // Spawned, not spawnSync: the loops must keep running while migrate does.
    fastedgy: await underLoad(urls.fastedgy, () => cliAsync(dir, urls.fastedgy, 'migrate')),
    naive: await underLoad(urls.naive, async () => {
      const c = new pg.Client({ connectionString: urls.naive });
      await c.connect();
      // The offline script's own BEGIN/COMMIT, or one around it.
      await c.query(/^BEGIN;/m.test(second) ? second : `BEGIN;\n${second}\nCOMMIT;`);
      await c.end();
    }),
  };
  const fmt = (ms) => `${Math.round(ms)} ms`.padStart(10);
  console.log(`${ROWS.toLocaleString('en-US')} rows; a reader and a writer loop, each query timed; target: no wait over 100 ms\n`);
  console.log(`${'form'.padEnd(40)}${'reader max'.padStart(10)}${'writer max'.padStart(12)}${'wall'.padStart(10)}`);
  console.log(`${'fastedgy db migrate (low-lock steps)'.padEnd(40)}${fmt(results.fastedgy.reader)}  ${fmt(results.fastedgy.writer)}${fmt(results.fastedgy.total)}`);
  console.log(`${'naive: the SQL in one transaction'.padEnd(40)}${fmt(results.naive.reader)}  ${fmt(results.naive.writer)}${fmt(results.naive.total)}`);
  const ratio = (a, b) => (a / Math.max(b, 0.1)).toFixed(1);
  console.log(`\nnaive / fastedgy: reader ${ratio(results.naive.reader, results.fastedgy.reader)}x, writer ${ratio(results.naive.writer, results.fastedgy.writer)}x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await server.stop();
}
