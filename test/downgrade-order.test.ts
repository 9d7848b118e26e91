/**
 * A revision that renames something and rebuilds an object depending on it
 * (a view reading a renamed column or table, a partial index whose WHERE
 * names a renamed column, an enum value renamed while it is a default or a
 * view compares with it) must go down as well as up: upgrade, downgrade and
 * upgrade again, each step's schema (by introspection) what it should be.
 */
import { describe, expect, it } from 'vitest';
import type { Answers } from '../source/diff/questions.js';
import { engines } from './support/databases.js';
import type { Engine } from './support/databases.js';
import { comparable, TestProject } from './support/roundtrip.js';

interface Scenario {
  readonly name: string;
  readonly v1: string;
  readonly seed: string;
  readonly v2: string;
  readonly answers: Answers;
  /** What the rows read after the upgrade, and after the downgrade. */
  readonly probe?: { readonly sql: string; readonly up: unknown[]; readonly down: unknown[] };
}

const users = (fields: string, extra = '') => `
export const User = defineModel('User', { tablename: 'users', timestamps: false, fields: { ${fields} }, ${extra} });`;
const status = (values: string[]) => `export const Status = defineEnum('UserStatus', ${JSON.stringify(values)});`;
const view = (sql: string) => `export const V = defineView('Named', { viewname: 'named_users', sql: ${JSON.stringify(sql)} });`;

const scenarios: Scenario[] = [
  {
    name: 'a column renamed while a view reads it',
    v1: users(`full_name: fields.CharField({ maxLength: 100 })`) + view('SELECT id, full_name FROM users'),
    seed: `INSERT INTO users (full_name) VALUES ('ada')`,
    v2: users(`name: fields.CharField({ maxLength: 100 })`) + view('SELECT id, name FROM users'),
    answers: { 'rename-column:users.full_name->users.name': 'rename' },
    probe: { sql: 'SELECT * FROM named_users', up: [{ id: '1', name: 'ada' }], down: [{ id: '1', full_name: 'ada' }] },
  },
  {
    name: 'a table renamed while a view reads it',
    v1: users(`name: fields.CharField({ maxLength: 100 })`) + view('SELECT id, name FROM users'),
    seed: `INSERT INTO users (name) VALUES ('ada')`,
    v2: `export const User = defineModel('User', { tablename: 'members', timestamps: false, fields: { name: fields.CharField({ maxLength: 100 }) } });`
      + view('SELECT id, name FROM members'),
    answers: { 'rename-table:users->members': 'rename' },
    probe: { sql: 'SELECT * FROM named_users', up: [{ id: '1', name: 'ada' }], down: [{ id: '1', name: 'ada' }] },
  },
  {
    name: "a column renamed that a partial index's WHERE names",
    v1: users(
      `email: fields.EmailField(), deleted_at: fields.DateTimeField({ null: true })`,
      `indexes: [{ fields: ['email'], unique: true, where: 'deleted_at IS NULL', name: 'users_live_email' }]`,
    ),
    seed: `INSERT INTO users (email) VALUES ('a@x.org')`,
    v2: users(
      `email: fields.EmailField(), removed_at: fields.DateTimeField({ null: true })`,
      `indexes: [{ fields: ['email'], unique: true, where: 'removed_at IS NULL', name: 'users_live_email' }]`,
    ),
    answers: { 'rename-column:users.deleted_at->users.removed_at': 'rename' },
  },
  {
    name: 'a column renamed that an index lists and a foreign key references',
    v1: users(`code: fields.CharField({ maxLength: 10, unique: true, index: true })`)
      + `export const Post = defineModel('Post', { tablename: 'posts', timestamps: false, fields: { author: fields.ForeignKey(() => User, { null: true }) } });`,
    seed: `INSERT INTO users (code) VALUES ('a')`,
    v2: users(`handle: fields.CharField({ maxLength: 10, unique: true, index: true })`)
      + `export const Post = defineModel('Post', { tablename: 'posts', timestamps: false, fields: { author: fields.ForeignKey(() => User, { null: true }) } });`,
    answers: { 'rename-column:users.code->users.handle': 'rename' },
  },
  {
    name: 'an enum value renamed while it is a column default',
    v1: status(['active', 'inactive']) + users(`status: fields.ChoiceField({ choices: Status, default: 'active' })`),
    seed: `INSERT INTO users (status) VALUES ('active'), ('inactive')`,
    v2: status(['enabled', 'inactive']) + users(`status: fields.ChoiceField({ choices: Status, default: 'enabled' })`),
    answers: { 'enum-remove:userstatus.active': { renameTo: 'enabled' } },
    probe: { sql: 'SELECT status FROM users ORDER BY id', up: [{ status: 'enabled' }, { status: 'inactive' }], down: [{ status: 'active' }, { status: 'inactive' }] },
  },
  {
    name: 'an enum value renamed while a view and a partial index compare with it',
    v1: status(['active', 'inactive'])
      + users(`name: fields.CharField({ maxLength: 100 }), status: fields.ChoiceField({ choices: Status })`,
        `indexes: [{ fields: ['name'], where: "status = 'active'", name: 'users_active_name' }]`)
      + view(`SELECT id, name FROM users WHERE status = 'active'`),
    seed: `INSERT INTO users (name, status) VALUES ('ada', 'active'), ('bob', 'inactive')`,
    v2: status(['enabled', 'inactive'])
      + users(`name: fields.CharField({ maxLength: 100 }), status: fields.ChoiceField({ choices: Status })`,
        `indexes: [{ fields: ['name'], where: "status = 'enabled'", name: 'users_active_name' }]`)
      + view(`SELECT id, name FROM users WHERE status = 'enabled'`),
    answers: { 'enum-remove:userstatus.active': { renameTo: 'enabled' } },
    probe: { sql: 'SELECT * FROM named_users', up: [{ id: '1', name: 'ada' }], down: [{ id: '1', name: 'ada' }] },
  },
];

async function run(engine: Engine, s: Scenario): Promise<void> {
  const p = await TestProject.create(engine);
  try {
    p.models(s.v1);
    expect((await p.make({}, 'v1')).status).toBe('written');
    await p.migrate();
    const before = comparable(await p.schema());
    await p.db.query(s.seed);

    p.models(s.v2);
    const made = await p.make(s.answers, 'v2');
    if (made.status === 'questions') throw new Error(`questions left open: ${made.questions.map((q) => q.id).join(', ')}`);
    expect(made.status).toBe('written');

    await p.migrate();
    expect(await p.pending()).toEqual({ operations: [], questions: [] });
    const after = comparable(await p.schema());
    if (s.probe) expect(await p.rows(s.probe.sql)).toEqual(s.probe.up);

    await p.downgrade();
    expect(comparable(await p.schema())).toEqual(before);
    if (s.probe) expect(await p.rows(s.probe.sql)).toEqual(s.probe.down);

    await p.migrate();
    expect(comparable(await p.schema())).toEqual(after);
    expect(await p.pending()).toEqual({ operations: [], questions: [] });
  } finally {
    await p.dispose();
  }
}

describe.each(engines)('downgrades that undo renames on %s', (engine) => {
  for (const s of scenarios) it(s.name, () => run(engine, s), 180_000);
});
