#!/usr/bin/env node
// The cost of proving a revision (upgrade -> downgrade -> upgrade on a
// scratch copy) on the synthetic 2,000-table schema, for a revision that
// touches a few tables: a column added to one, an index to another, a new
// table with a foreign key to a third. Measured in-process beside the floor
// of the same run: one introspection of the whole schema (the raw catalog
// queries every makemigrations starts with). Median of 5.
//   node bench/proof.js [tables]        (default 2000)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { introspect } from '../dist/db/introspect.js';
import { createPlanner, proveAndWrite } from '../dist/make/make-revision.js';
import { loadRevisions } from '../dist/revisions/files.js';
import { buildGraph } from '../dist/revisions/graph.js';
import { syntheticModels } from './models.js';
import { startBenchServer } from './server.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'fastedgy.js');
const n = Number(process.argv[2]) || 2000;
const RUNS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startBenchServer();
const dir = mkdtempSync(join(tmpdir(), 'fastedgy-bench-proof-'));
try {
  const url = await server.createDatabase(`bench_proof_${n}`);
  writeFileSync(join(dir, 'fastedgy.config.ts'), "export default { models: './models.ts', migrations: './migrations' };\n");
  writeFileSync(join(dir, 'models.ts'), syntheticModels(n));
  const env = { ...process.env, DATABASE_URL: url, NO_COLOR: '1' };
  for (const step of [['init'], ['makemigrations', '-m', 'bench'], ['migrate']]) {
    const r = spawnSync(process.execPath, [bin, 'db', ...step], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`${step[0]} failed (${r.status ?? r.signal}): ${r.stderr}${r.stdout}${r.error ?? ""}`);
  }
  // Three tables touched, in the middle and at the end of the foreign-key chain.
  const changed = syntheticModels(n)
    .replace("tablename: 't10', fields: {", "tablename: 't10', fields: {\n  note: fields.TextField({ null: true }),")
    .replace(`tablename: 't${Math.floor(n / 2)}', fields: {`, `tablename: 't${Math.floor(n / 2)}', fields: {\n  slug: fields.CharField({ maxLength: 50, null: true, index: true }),`)
    + `export const Extra = defineModel('Extra', { tablename: 'extra', fields: { owner: fields.ForeignKey(() => T${n - 1}), label: fields.CharField({ maxLength: 20 }) } });\n`;
  writeFileSync(join(dir, 'models_v2.ts'), changed);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const db = { kind: 'server', label: '', query: async (sql, params) => (await client.query(sql, params)).rows, close: () => client.end() };
  const floor = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await introspect(db);
    floor.push(performance.now() - t);
  }
  const targets = [{ name: 'default', db, modelFiles: [join(dir, 'models_v2.ts')] }];
  const graph = buildGraph(await loadRevisions(join(dir, 'migrations', 'versions')));
  const input = { versionsDir: join(dir, 'migrations', 'versions'), template: (await import('node:fs')).readFileSync(join(dir, 'migrations', 'script.ts.tmpl'), 'utf8'), graph, multi: false };
  const planner = await createPlanner(targets, false);
  const { operations, questions } = await planner.plan({});
  if (questions.length) throw new Error(`unexpected questions: ${questions.map((q) => q.id)}`);
  const proofs = [];
  for (let i = 0; i < RUNS; i++) proofs.push((await proveAndWrite(targets, planner, input, operations, { write: false })).proof.ms);
  await client.end();
  const p = median(proofs);
  const f = median(floor);
  console.log(`${n} tables, a revision of ${operations.length} operations on 3 tables; median of ${RUNS} (ms)`);
  console.log(`floor (introspect the whole schema): ${f.toFixed(0)}   proof: ${p.toFixed(0)}   proof / floor: ${(p / f).toFixed(2)}x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await server.stop();
}
