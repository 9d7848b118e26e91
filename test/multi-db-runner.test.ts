/**
 * The runner's safeguards hold on every database of a multi-database
 * project, not only the first (issue 10: the multi-database runner used to
 * have none of them): a lock timeout on the second database is retried, a
 * backfill of a big table on the second database takes the low-lock steps,
 * an INVALID index left there by a failed CONCURRENTLY build is rebuilt; and
 * a typed backfill value is checked in the database its question is about.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../source/db/database.js';
import { checkTypedInput } from '../source/cli/commands/ask-plain.js';
import { createPlanner } from '../source/make/make-revision.js';
import type { Operation } from '../source/ops/types.js';
import type { RevisionFile } from '../source/revisions/files.js';
import { buildGraph } from '../source/revisions/graph.js';
import { moveTo } from '../source/runner/migrate.js';
import type { RunOptions } from '../source/runner/migrate.js';
import { freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';
import { col } from './support/schema-builders.js';
import { makeProjectDir } from './support/cli.js';
import { join } from 'node:path';

const opened: FreshDatabase[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.dispose();
});

async function two(): Promise<{ main: FreshDatabase; analytics: FreshDatabase }> {
  const main = await freshDatabase('server');
  opened.push(main);
  const analytics = await freshDatabase('server');
  opened.push(analytics);
  return { main, analytics };
}

/** A revision with a section per database, each replaying its operations through the `op` API. */
function sectioned(id: string, sections: Record<string, Operation[]>, transactional = true, downs: Record<string, Operation[]> = {}): RevisionFile {
  const replay = async (list: Operation[], op: unknown) => {
    for (const o of list) {
      const { kind, ...args } = o;
      await (op as Record<string, (a: unknown) => Promise<void>>)[kind](args);
    }
  };
  return {
    id,
    downRevision: null,
    message: `rev ${id}`,
    file: `${id}.ts`,
    checksum: `sum-${id}`,
    transactional,
    upgrade: async (op: unknown, database?: string) => replay(sections[database ?? ''] ?? [], op),
    downgrade: async (op: unknown, database?: string) => replay(downs[database ?? ''] ?? [], op),
    load: async () => undefined,
    sections: async () => Object.keys(sections),
  } as unknown as RevisionFile;
}

async function migrateBoth(dbs: { main: Database; analytics: Database }, rev: RevisionFile, options: RunOptions = {}) {
  const history = { revisions: [rev], graph: buildGraph([{ id: rev.id, downRevision: null, message: rev.message }]) };
  return moveTo(
    [
      { name: 'main', db: dbs.main },
      { name: 'analytics', db: dbs.analytics },
    ],
    history,
    'upgrade',
    'head',
    { multi: true, ...options },
  );
}

const versions = async (db: Database) => (await db.query<{ v: string }>('SELECT version_num AS v FROM fastedgy_version')).map((r) => r.v);

describe('the runner on the second database of two', () => {
  it('retries a revision whose statement meets a lock timeout there, then commits both', async () => {
    const { main, analytics } = await two();
    await main.db.query('CREATE TABLE users (name text)');
    await analytics.db.query('CREATE TABLE events (kind text)');
    // Another session holds the events table for a moment.
    const holder = new pg.Client({ connectionString: analytics.url! });
    await holder.connect();
    await holder.query('BEGIN; LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
    const release = setTimeout(() => void holder.query('COMMIT'), 1500);
    const notices: string[] = [];
    try {
      const rev = sectioned('r1', {
        main: [{ kind: 'addColumn', table: 'users', column: col('age', 'integer', { nullable: true }) }],
        analytics: [{ kind: 'addColumn', table: 'events', column: col('weight', 'integer', { nullable: true }) }],
      });
      const result = await migrateBoth({ main: main.db, analytics: analytics.db }, rev, { lockTimeout: 0.3, lockAttempts: 10, onNotice: (m) => notices.push(m) });
      expect(result.heads).toEqual({ main: ['r1'], analytics: ['r1'] });
    } finally {
      clearTimeout(release);
      await holder.end();
    }
    expect(notices.some((n) => /^database analytics: revision r1 waits for a lock on table events/.test(n))).toBe(true);
    expect(await versions(main.db)).toEqual(['r1']);
    expect(await versions(analytics.db)).toEqual(['r1']);
    expect((await analytics.db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'weight'`)).length).toBe(1);
    expect((await main.db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'age'`)).length).toBe(1);
  });

  it('fills a NOT NULL column of a big table there in committed batches', async () => {
    const { main, analytics } = await two();
    await main.db.query('CREATE TABLE users (name text)');
    await analytics.db.query('CREATE TABLE events (id int, kind text); INSERT INTO events SELECT g, g::text FROM generate_series(1, 500) g');
    const statements: { database: string; sql: string }[] = [];
    const rev = sectioned('r1', {
      main: [{ kind: 'addColumn', table: 'users', column: col('age', 'integer', { nullable: true }) }],
      analytics: [{ kind: 'addColumn', table: 'events', column: col('code', 'text'), backfill: { sql: `'c' || id` } }],
    });
    // Threshold 100 rows: the 500-row table of analytics takes the low-lock form, main's empty one does not.
    await migrateBoth({ main: main.db, analytics: analytics.db }, rev, {
      batchThreshold: 100,
      onEvent: (e) => e.sql && statements.push({ database: e.database, sql: e.sql }),
    });
    expect(statements.some((s) => s.database === 'analytics' && s.sql.startsWith('-- batch of events.code'))).toBe(true);
    expect(statements.some((s) => s.database === 'main' && s.sql.startsWith('-- batch'))).toBe(false);
    expect(await analytics.db.query(`SELECT count(*)::int AS n FROM events WHERE code = 'c' || id`)).toEqual([{ n: 500 }]);
    expect(await analytics.db.query(`SELECT is_nullable AS n FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'code'`)).toEqual([{ n: 'NO' }]);
    expect(await versions(main.db)).toEqual(['r1']);
    expect(await versions(analytics.db)).toEqual(['r1']);
  });

  it('a dry run there runs the instant part only and lists the batched steps; both databases are left unchanged', async () => {
    const { main, analytics } = await two();
    await main.db.query('CREATE TABLE users (name text)');
    await analytics.db.query('CREATE TABLE events (id int, kind text); INSERT INTO events SELECT g, g::text FROM generate_series(1, 500) g');
    const statements: { database: string; sql: string }[] = [];
    const notices: string[] = [];
    const rev = sectioned('r1', {
      main: [{ kind: 'addColumn', table: 'users', column: col('age', 'integer', { nullable: true }) }],
      analytics: [{ kind: 'addColumn', table: 'events', column: col('code', 'text'), backfill: { sql: `'c' || id` } }],
    });
    await migrateBoth({ main: main.db, analytics: analytics.db }, rev, {
      batchThreshold: 100,
      dryRun: true,
      onNotice: (m) => notices.push(m),
      onEvent: (e) => e.sql && statements.push({ database: e.database, sql: e.sql }),
    });
    expect(notices.some((n) => n.startsWith('database analytics: revision r1 touches a big table: the dry run runs the instant part'))).toBe(true);
    const there = statements.filter((s) => s.database === 'analytics').map((s) => s.sql);
    expect(there).toContain('ALTER TABLE events ADD COLUMN code text');
    expect(there).toContain(`-- not run (touches every row; migrate runs it in committed batches): UPDATE events SET code = ('c' || id) WHERE code IS NULL`);
    expect(there.some((s) => /^(UPDATE|ALTER TABLE events ALTER COLUMN code SET NOT NULL)/.test(s))).toBe(false);
    expect(statements.filter((s) => s.database === 'main').map((s) => s.sql)).toContain('ALTER TABLE users ADD COLUMN age integer');
    for (const db of [main.db, analytics.db]) expect(await versions(db)).toEqual([]);
    expect(await analytics.db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'code'`)).toEqual([{ n: 0 }]);
  });

  it('drops an INVALID index left there by a failed CONCURRENTLY build and builds it again', async () => {
    const { main, analytics } = await two();
    await main.db.query('CREATE TABLE users (name text)');
    await analytics.db.query('CREATE TABLE t (x int); INSERT INTO t VALUES (1), (1), (2)');
    const index = { name: 't_x_key', columns: ['x'], unique: true, using: 'btree' };
    const rev = sectioned(
      'r1',
      {
        main: [{ kind: 'execute', sql: 'CREATE INDEX CONCURRENTLY users_name_idx ON users (name)' }],
        analytics: [{ kind: 'createIndex', table: 't', index, concurrently: true } as Operation],
      },
      false,
      { main: [{ kind: 'execute', sql: 'DROP INDEX CONCURRENTLY users_name_idx' }] },
    );
    const dbs = { main: main.db, analytics: analytics.db };
    await expect(migrateBoth(dbs, rev)).rejects.toThrow(/database analytics: revision r1[\s\S]*could not create unique index/);
    expect(await analytics.db.query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass('t_x_key')`)).toEqual([{ valid: false }]);
    // main was moved back when analytics failed.
    expect(await versions(main.db)).toEqual([]);
    expect(await main.db.query(`SELECT to_regclass('users_name_idx') AS i`)).toEqual([{ i: null }]);

    await analytics.db.query('DELETE FROM t; INSERT INTO t VALUES (1), (2)');
    const notices: string[] = [];
    await migrateBoth(dbs, rev, { onNotice: (m) => notices.push(m) });
    expect(notices).toContain('database analytics: revision r1: index t_x_key was left INVALID by an interrupted CREATE INDEX CONCURRENTLY; dropped it, building it again');
    expect(await analytics.db.query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass('t_x_key')`)).toEqual([{ valid: true }]);
    expect(await versions(analytics.db)).toEqual(['r1']);
  });
});

describe('questions of a multi-database project', () => {
  it('checks a typed backfill value in the database the question is about', async () => {
    const { main, analytics } = await two();
    // Only analytics has the enum type the new column uses.
    await analytics.db.query(`CREATE TYPE mood AS ENUM ('ok', 'meh'); CREATE TABLE events (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY); INSERT INTO events DEFAULT VALUES`);
    const dir = makeProjectDir({
      'main.ts': 'export {};\n',
      'analytics.ts': `import { defineEnum, defineModel, fields } from 'fastedgy';
export const Mood = defineEnum('Mood', ['ok', 'meh']);
export const Event = defineModel('Event', { tablename: 'events', timestamps: false, fields: { mood: fields.ChoiceField({ choices: Mood }) } });
`,
    });
    const planner = await createPlanner(
      [
        { name: 'main', db: main.db, modelFiles: [join(dir, 'main.ts')] },
        { name: 'analytics', db: analytics.db, modelFiles: [join(dir, 'analytics.ts')] },
      ],
      true,
    );
    const { questions } = await planner.plan({});
    const q = questions.find((x) => x.id === 'analytics:backfill:events.mood');
    expect(q, questions.map((x) => x.id).join(', ')).toBeDefined();
    expect(await checkTypedInput(planner.dbFor(q!.id), q!, 'value', 'meh')).toEqual({ error: null, value: 'meh' });
    expect((await checkTypedInput(planner.dbFor(q!.id), q!, 'value', 'nope')).error).toMatch(/invalid input value for enum mood/);
  });
});
