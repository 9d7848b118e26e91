#!/usr/bin/env node
// The revision browser on a history of N revisions (default 1000) on the
// embedded database: time to open (read every file's header and the version
// table, build the rows, first frame), a keypress → next frame (median of
// 50 moves), and the schema at a revision computed from the files: first
// the newest (every file imported and replayed once), then its parent and
// the newest again (kept: nothing replayed). Reference in the same run: just
// reading the N files' text and the version table, the floor of opening.
// Revision modules compile into the project's cache as in the CLI: the first
// schema compiles all N (a first run); the same schema in a new session reads
// them from the cache (every run after).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement, render } from '../dist/ui-chunks/testing.js';
import { Browser } from '../dist/browser/browser.js';
import { initialState } from '../dist/browser/browser-state.js';
import { createBrowserSession } from '../dist/browser/session.js';
import { readSnapshot } from '../dist/browser/snapshot.js';
import { openEmbedded } from '../dist/db/connect.js';
import { ensureVersionTables } from '../dist/runner/version-table.js';
import { useModuleCache } from '../dist/util/import-module.js';

const N = Number(process.argv[2] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'fastedgy-bench-browser-'));
const versions = join(dir, 'migrations', 'versions');
mkdirSync(versions, { recursive: true });
useModuleCache(dir);

const id = (i) => `r${String(i).padStart(11, '0')}`;
const column = (i) => `{ name: 'c${i}', type: 'integer', nullable: true, default: null }`;
for (let i = 0; i < N; i++) {
  const table = `t${Math.floor(i / 10)}`;
  const up =
    i % 10 === 0
      ? `await op.createTable({ table: { name: '${table}', columns: [{ name: 'id', type: 'bigint', nullable: false, default: null }], primaryKey: { name: '${table}_pkey', columns: ['id'] }, uniques: [], indexes: [], foreignKeys: [], checks: [] } });`
      : `await op.addColumn({ table: '${table}', column: ${column(i)} });`;
  const down = i % 10 === 0 ? `await op.dropTable({ table: { name: '${table}', columns: [], primaryKey: null, uniques: [], indexes: [], foreignKeys: [], checks: [] } });` : `await op.dropColumn({ table: '${table}', column: ${column(i)} });`;
  writeFileSync(
    join(versions, `20261201_${String(i).padStart(6, '0')}_${id(i)}_step.ts`),
    `/** step ${i}\n *\n * Revision ID: ${id(i)}\n * Revises: ${i ? id(i - 1) : '<base>'}\n * Create Date: 2026-12-01 12:00:00\n */\nexport const revision = '${id(i)}';\nexport const downRevision: string | string[] | null = ${i ? `'${id(i - 1)}'` : 'null'};\nexport const message = 'step ${i}';\n\nexport async function upgrade(op: any): Promise<void> {\n  ${up}\n}\n\nexport async function downgrade(op: any): Promise<void> {\n  ${down}\n}\n`,
  );
}

const db = await openEmbedded(join(dir, 'pgdata'));
await ensureVersionTables(db);
await db.query(`INSERT INTO fastedgy_version VALUES ('${id(Math.floor(N / 2))}')`);

const waitFrame = async (app, predicate) => {
  const started = performance.now();
  while (!predicate(app.lastFrame() ?? '')) {
    if (performance.now() - started > 60_000) throw new Error(`no frame:\n${app.lastFrame()}`);
    await new Promise((r) => setImmediate(r));
  }
  return performance.now();
};

let t = performance.now();
for (const f of readdirSync(versions)) readFileSync(join(versions, f), 'utf8');
await db.query('SELECT version_num FROM fastedgy_version');
const floor = performance.now() - t;

t = performance.now();
const snapshot = await readSnapshot(db, versions);
const session = createBrowserSession(db, versions, snapshot);
const app = render(createElement(Browser, { session, initial: initialState(snapshot) }));
const open = (await waitFrame(app, (f) => f.includes(`step ${Math.floor(N / 2)}`))) - t;

const latencies = [];
for (let i = 0; i < 50; i++) {
  const before = app.lastFrame();
  const started = performance.now();
  app.stdin.write(i % 2 ? 'k' : 'j');
  latencies.push((await waitFrame(app, (f) => f !== before)) - started);
}
latencies.sort((a, b) => a - b);
app.unmount();

t = performance.now();
await session.details(id(N - 1));
const coldSchema = performance.now() - t;
t = performance.now();
await session.details(id(N - 2));
await session.details(id(N - 1));
const warmSchema = performance.now() - t;
// A new session (as the next `browse`): every module imported again, from the cache.
const again = createBrowserSession(db, versions, await readSnapshot(db, versions, { fresh: true }));
t = performance.now();
await again.details(id(N - 1));
const cachedSchema = performance.now() - t;

console.log(`${N} revisions on the embedded database:`);
console.log(`  open to first frame   ${open.toFixed(0)} ms   (reading the files and the version table alone: ${floor.toFixed(0)} ms, ${(open / floor).toFixed(1)}x)`);
console.log(`  keypress → next frame median ${latencies[25].toFixed(1)} ms, worst ${latencies.at(-1).toFixed(1)} ms (50 moves)`);
console.log(`  schema at the newest revision, first time ${coldSchema.toFixed(0)} ms (compiles, imports and replays all ${N}); then its parent and the newest again ${warmSchema.toFixed(1)} ms (kept)`);
console.log(`  schema at the newest revision, first time in a new session ${cachedSchema.toFixed(0)} ms (imports all ${N} from the module cache and replays them)`);
await db.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
