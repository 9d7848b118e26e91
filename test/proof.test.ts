/**
 * Every revision is proven before it is written (SPEC §6, issue 12):
 * upgrade, downgrade and upgrade again on a scratch copy of the schema on
 * the same server, each step compared by introspection. The CLI says
 * `proven: up -> down -> up (N ms)`; a revision that fails its proof is not
 * written (exit 1, naming the step and the statement); the proof touches no
 * user row and takes no lock on a user table.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, makeProjectDir, runCli } from './support/cli.js';
import { adminUrl, engines, freshDatabase, withDatabaseName } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';
import { TestProject } from './support/roundtrip.js';

const V1 = `import { defineModel, fields } from 'fastedgy';
export const User = defineModel('User', { tablename: 'users', fields: { name: fields.CharField({ maxLength: 100 }) } });
`;
const V2 = `import { defineModel, fields } from 'fastedgy';
export const User = defineModel('User', { tablename: 'users', fields: { name: fields.CharField({ maxLength: 100 }), email: fields.CharField({ maxLength: 200, null: true }) } });
`;
const TEMPLATE = readFileSync(new URL('../templates/default/script.ts.tmpl', import.meta.url), 'utf8');

describe('makemigrations proves the revision before writing it', () => {
  let fresh: FreshDatabase;
  let dir: string;
  let env: Record<string, string>;
  const versionsDir = () => join(dir, 'migrations', 'versions');
  const files = () => readdirSync(versionsDir());

  beforeAll(async () => {
    fresh = await freshDatabase('server');
    env = { DATABASE_URL: fresh.url! };
    dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': V1 });
    for (const args of [['init'], ['makemigrations', '-m', 'v1'], ['migrate']]) expect((await runCli(['db', ...args], { cwd: dir, env })).code).toBe(0);
    await fresh.db.query(`INSERT INTO users (name) VALUES ('ada')`);
    writeFileSync(join(dir, 'models.ts'), V2);
  });
  afterAll(async () => fresh?.dispose());

  /** The project's template with one more statement in upgrade() or downgrade(). */
  const breakTemplate = (where: 'upgrade' | 'downgrade', statement: string) =>
    writeFileSync(join(dir, 'migrations', 'script.ts.tmpl'), TEMPLATE.replace(`\${${where}s}`, `\${${where}s}\n  await op.execute(${JSON.stringify(statement)});`));

  it.each([
    ['upgrade', 'SELECT 1/0', /division by zero/],
    ['downgrade', 'DROP TABLE no_such_table', /"no_such_table" does not exist/],
  ] as const)('a revision whose %s fails is not written: exit 1 naming the step and the statement', async (step, statement, message) => {
    breakTemplate(step, statement);
    const r = await runCli(['db', 'makemigrations', '-m', 'broken'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`failed its proof in ${step}`);
    expect(r.stderr).toContain(`statement: ${statement}`);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toContain('proven');
    expect(files()).toHaveLength(1); // v1 only, and no hidden proof file left behind
    expect(await fresh.db.query('SELECT name FROM users')).toEqual([{ name: 'ada' }]);
    expect(await fresh.db.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'fastedgy_proof%'`)).toEqual([]);
  });

  it('a downgrade that leaves the schema changed fails its proof in downgrade', async () => {
    // The reverse of the new column is dropped: after the downgrade the column is still there.
    writeFileSync(join(dir, 'migrations', 'script.ts.tmpl'), TEMPLATE.replace('${downgrades}', ''));
    const r = await runCli(['db', 'makemigrations', '-m', 'half'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('failed its proof in downgrade: afterwards the schema is not the schema it started from');
    expect(r.stderr).toContain('users.email');
    expect(files()).toHaveLength(1);
  });

  it('a sound revision is written and says it was proven; --json carries the proof', async () => {
    writeFileSync(join(dir, 'migrations', 'script.ts.tmpl'), TEMPLATE);
    const dry = await runCli(['db', 'makemigrations', '--dry-run'], { cwd: dir, env });
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(/proven: up -> down -> up \(\d+ ms\)/);
    const r = await runCli(['db', 'makemigrations', '-m', 'email'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/proven: up -> down -> up \(\d+ ms\)/);
    expect(files()).toHaveLength(2);
    expect(files().some((f) => f.startsWith('.'))).toBe(false);
    // The proof changed nothing: the database is still at v1 with its row.
    expect(await fresh.db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email'`)).toEqual([]);
    expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(0);
    writeFileSync(join(dir, 'models.ts'), V2.replace('null: true', 'null: true, index: true'));
    const j = await runCli(['db', 'makemigrations', '--json'], { cwd: dir, env });
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout).proof).toMatchObject({ steps: ['upgrade', 'downgrade', 'upgrade'] });
  });
});

describe.each(engines)('the proof on %s', (engine) => {
  it('reports no lock taken outside its copy, for tables, foreign keys, views and enums', async () => {
    const p = await TestProject.create(engine);
    try {
      p.models(`export const Status = defineEnum('Status', ['on', 'off']);
export const User = defineModel('User', { tablename: 'users', fields: { name: fields.CharField({ maxLength: 100 }), status: fields.ChoiceField({ choices: Status, default: 'on' }) } });
export const Post = defineModel('Post', { tablename: 'posts', fields: { author: fields.ForeignKey(() => User), title: fields.CharField({ maxLength: 100 }) } });
export const Other = defineModel('Other', { tablename: 'others', fields: { code: fields.CharField({ maxLength: 10, unique: true }) } });
export const V = defineView('Names', { viewname: 'names', sql: 'SELECT id, name FROM users' });`);
      expect((await p.make()).status).toBe('written');
      await p.migrate();
      await p.db.query(`INSERT INTO users (name) VALUES ('ada'); INSERT INTO posts (author_id, title) VALUES (1, 'hello')`);
      // users loses name for full_name (a view reads it), status gains a value, posts gets a FK to others.
      p.models(`export const Status = defineEnum('Status', ['on', 'off', 'away']);
export const User = defineModel('User', { tablename: 'users', fields: { full_name: fields.CharField({ maxLength: 100 }), status: fields.ChoiceField({ choices: Status, default: 'on' }) } });
export const Post = defineModel('Post', { tablename: 'posts', fields: { author: fields.ForeignKey(() => User), title: fields.CharField({ maxLength: 100 }), other: fields.ForeignKey(() => Other, { null: true }) } });
export const Other = defineModel('Other', { tablename: 'others', fields: { code: fields.CharField({ maxLength: 10, unique: true }) } });
export const V = defineView('Names', { viewname: 'names', sql: 'SELECT id, full_name FROM users' });`);
      const made = await p.make({ 'rename-column:users.name->users.full_name': 'rename' });
      expect(made.status).toBe('written');
      if (made.status !== 'written') return;
      expect(made.proof?.outside).toEqual([]);
      expect(made.proof?.ms).toBeGreaterThan(0);
      expect(await p.rows('SELECT name FROM users')).toEqual([{ name: 'ada' }]);
    } finally {
      await p.dispose();
    }
  }, 120_000);
});

describe('the proof and other sessions', () => {
  it('is not held up by an open write transaction on the tables the revision changes', async () => {
    const p = await TestProject.create('server');
    try {
      p.models(`export const User = defineModel('User', { tablename: 'users', fields: { name: fields.CharField({ maxLength: 100 }) } });`);
      await p.make();
      await p.migrate();
      await p.db.query(`INSERT INTO users (name) VALUES ('ada')`);
      p.models(`export const User = defineModel('User', { tablename: 'users', fields: { name: fields.CharField({ maxLength: 100 }), bio: fields.TextField({ null: true }) } });
export const Post = defineModel('Post', { tablename: 'posts', fields: { author: fields.ForeignKey(() => User) } });`);
      const made = await withLockHeld(p, 'users', () => p.make());
      expect(made.status).toBe('written');
    } finally {
      await p.dispose();
    }
  }, 60_000);
});

/**
 * Runs `body` while another connection has an open write transaction on
 * `table` (ROW EXCLUSIVE, as a busy application holds): the DDL the proof
 * runs would wait for it and fail after its 5 s lock_timeout if it reached
 * the real table rather than its copy. (Introspection's AccessShare reads do
 * not conflict with it.)
 */
async function withLockHeld<T>(p: TestProject, table: string, body: () => Promise<T>): Promise<T> {
  const [{ name }] = await p.rows<{ name: string }>(`SELECT current_database() AS name`);
  const other = new pg.Client({ connectionString: withDatabaseName(adminUrl(), name) });
  await other.connect();
  try {
    await other.query(`BEGIN; UPDATE ${table} SET name = name`);
    return await body();
  } finally {
    await other.query('ROLLBACK').catch(() => undefined);
    await other.end();
  }
}
