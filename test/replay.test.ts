/**
 * The replay of revision operations (`applyOperations`) and the schema text.
 * Unit tests per kind, then the convincing one: the diff is the reference.
 * For pairs (from, to), the diff's operations replayed on `from` must diff
 * empty against `to`, and their reverse replayed on `to` empty against
 * `from`; literal pairs for the known cases, seeded random ones for the rest.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from './support/seeded-random.js';
import { diffSchemas } from '../source/diff/diff.js';
import type { Answers, Question } from '../source/diff/questions.js';
import { reverseAll } from '../source/ops/reverse.js';
import type { Operation } from '../source/ops/types.js';
import { applyOperations } from '../source/revisions/replay.js';
import { schemaText } from '../source/revisions/schema-text.js';
import type { Column, EnumType, ForeignKey, Index, Schema, Table, View } from '../source/schema/types.js';
import { col, enumCol, schema, table } from './support/schema-builders.js';

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

const fk = (name: string, columns: string[], refTable: string, refColumns = ['id'], onDelete: ForeignKey['onDelete'] = 'no action'): ForeignKey => ({
  name, columns, refTable, refColumns, onDelete, onUpdate: 'no action',
});
const ix = (name: string, columns: string[], opts: Partial<Index> = {}): Index => ({ name, columns, unique: false, using: 'btree', ...opts });
const view = (name: string, sql: string, dependsOn: { table: string; column: string }[] = []): View => ({ name, sql, dependsOn });

/** users(id, name, email, status) with an index, a unique; docs(id, owner_id → users.id, title); a view on users. */
function base(): Schema {
  return deepFreeze(schema({
    extensions: ['vector'],
    enums: [{ name: 'userstatus', values: ['active', 'inactive'] }],
    tables: [
      table('docs', [col('owner_id', 'bigint'), col('title', 'text', { nullable: true })], {
        foreignKeys: [fk('docs_owner_id_fkey', ['owner_id'], 'users', ['id'], 'cascade')],
        indexes: [ix('ix_docs_owner', ['owner_id'])],
      }),
      table('users', [
        col('name', 'character varying(100)'),
        col('email', 'text'),
        enumCol('status', 'userstatus', { default: "'active'::userstatus" }),
        enumCol('tags', 'userstatus[]', { enumType: 'userstatus', nullable: true }),
      ], {
        uniques: [{ name: 'users_email_key', columns: ['email'] }],
        indexes: [ix('ix_users_lower', ['(lower(name))']), ix('ix_users_name', ['name'])],
      }),
    ],
    views: [view('active_users', "SELECT id, name FROM users WHERE status = 'active'", [{ table: 'users', column: 'id' }, { table: 'users', column: 'name' }])],
  }));
}

const run = (s: Schema, ...ops: Operation[]) => applyOperations(s, ops);
const tableOf = (s: Schema, name: string) => s.tables.find((t) => t.name === name)!;

describe('applyOperations, one kind at a time', () => {
  it('extensions: created once, dropped', () => {
    const s = run(base(), { kind: 'createExtension', name: 'pg_trgm' }, { kind: 'createExtension', name: 'vector' }).schema;
    expect(s.extensions).toEqual(['pg_trgm', 'vector']);
    expect(run(s, { kind: 'dropExtension', name: 'vector' }).schema.extensions).toEqual(['pg_trgm']);
  });

  it('enums: create (sorted), drop, rename (columns, arrays and defaults follow)', () => {
    let r = run(base(), { kind: 'createEnum', name: 'alpha', values: ['a'] });
    expect(r.schema.enums.map((e) => e.name)).toEqual(['alpha', 'userstatus']);
    r = run(base(), { kind: 'renameEnum', from: 'userstatus', to: 'state' });
    expect(r.unknown).toEqual([]);
    const users = tableOf(r.schema, 'users');
    expect(users.columns.find((c) => c.name === 'status')).toMatchObject({ type: 'state', enumType: 'state', default: "'active'::state" });
    expect(users.columns.find((c) => c.name === 'tags')).toMatchObject({ type: 'state[]', enumType: 'state' });
    expect(r.schema.enums).toEqual([{ name: 'state', values: ['active', 'inactive'] }]);
    r = run(base(), { kind: 'dropEnum', name: 'userstatus', values: [] });
    expect(r.schema.enums).toEqual([]);
    expect(r.unknown[0]).toMatch(/still used by users.status, users.tags/);
  });

  it('enum values: added before/after/at the end, renamed (defaults follow), rebuilt', () => {
    const add = (extra: { before?: string; after?: string }) =>
      run(base(), { kind: 'addEnumValue', type: 'userstatus', value: 'x', ...extra }).schema.enums[0].values;
    expect(add({})).toEqual(['active', 'inactive', 'x']);
    expect(add({ before: 'active' })).toEqual(['x', 'active', 'inactive']);
    expect(add({ after: 'active' })).toEqual(['active', 'x', 'inactive']);
    const r = run(base(), { kind: 'renameEnumValue', type: 'userstatus', from: 'active', to: 'on' });
    expect(r.schema.enums[0].values).toEqual(['on', 'inactive']);
    expect(tableOf(r.schema, 'users').columns.find((c) => c.name === 'status')!.default).toBe("'on'::userstatus");
    const rebuilt = run(base(), { kind: 'rebuildEnum', type: 'userstatus', from: ['active', 'inactive'], to: ['inactive'], columns: [], fates: {} });
    expect(rebuilt.schema.enums[0].values).toEqual(['inactive']);
  });

  it('tables: create (sorted, without foreign keys), drop, rename (references follow)', () => {
    let r = run(base(), { kind: 'createTable', table: table('aaa', []) });
    expect(r.schema.tables.map((t) => t.name)).toEqual(['aaa', 'docs', 'users']);
    r = run(base(), { kind: 'renameTable', from: 'users', to: 'members' });
    expect(r.schema.tables.map((t) => t.name)).toEqual(['docs', 'members']);
    expect(tableOf(r.schema, 'docs').foreignKeys[0].refTable).toBe('members');
    expect(r.schema.views[0].dependsOn!.map((d) => d.table)).toEqual(['members', 'members']);
    // Constraint and index names stay, as in PostgreSQL.
    expect(tableOf(r.schema, 'members').uniques[0].name).toBe('users_email_key');
    r = run(base(), { kind: 'dropTable', table: tableOf(base(), 'docs') });
    expect(r.schema.tables.map((t) => t.name)).toEqual(['users']);
    expect(r.unknown).toEqual([]);
    r = run(base(), { kind: 'createTable', table: table('zzz', [col('u', 'bigint')], { foreignKeys: [fk('zzz_u_fkey', ['u'], 'users')] }) });
    expect(tableOf(r.schema, 'zzz').foreignKeys).toEqual([]);
    expect(r.unknown[0]).toMatch(/not created by createTable/);
  });

  it('dropTable of a referenced table is noted (PostgreSQL would refuse)', () => {
    const r = run(base(), { kind: 'dropTable', table: tableOf(base(), 'users') });
    expect(r.schema.tables.map((t) => t.name)).toEqual(['docs']);
    expect(r.unknown[0]).toMatch(/foreign key docs_owner_id_fkey, view active_users/);
  });

  it('columns: added last, altered, renamed everywhere it is named', () => {
    let r = run(base(), { kind: 'addColumn', table: 'users', column: col('age', 'integer') });
    expect(tableOf(r.schema, 'users').columns.at(-1)!.name).toBe('age');
    r = run(base(), {
      kind: 'alterColumn', table: 'users', column: 'email',
      from: { type: 'text', nullable: false, default: null }, to: { type: 'character varying(200)', nullable: true, default: "''", comment: 'mail' },
    });
    expect(tableOf(r.schema, 'users').columns.find((c) => c.name === 'email')).toMatchObject({ type: 'character varying(200)', nullable: true, default: "''", comment: 'mail', enumType: null });
    r = run(base(), { kind: 'renameColumn', table: 'users', from: 'name', to: 'full_name' }, { kind: 'renameColumn', table: 'users', from: 'id', to: 'uid' });
    const users = tableOf(r.schema, 'users');
    expect(users.columns.map((c) => c.name)).toEqual(['uid', 'full_name', 'email', 'status', 'tags']);
    expect(users.primaryKey!.columns).toEqual(['uid']);
    expect(users.indexes.map((i) => i.columns)).toEqual([['(lower(name))'], ['full_name']]);
    expect(tableOf(r.schema, 'docs').foreignKeys[0].refColumns).toEqual(['uid']);
    expect(r.schema.views[0].dependsOn).toEqual([{ table: 'users', column: 'uid' }, { table: 'users', column: 'full_name' }]);
    r = run(base(), { kind: 'renameColumn', table: 'docs', from: 'owner_id', to: 'owner' });
    expect(tableOf(r.schema, 'docs').foreignKeys[0].columns).toEqual(['owner']);
    expect(tableOf(r.schema, 'docs').indexes[0].columns).toEqual(['owner']);
  });

  it('dropColumn takes its indexes, constraints and foreign keys along', () => {
    let r = run(base(), { kind: 'dropColumn', table: 'docs', column: col('owner_id', 'bigint') });
    expect(tableOf(r.schema, 'docs')).toMatchObject({ foreignKeys: [], indexes: [] });
    r = run(base(), { kind: 'dropColumn', table: 'users', column: col('name', 'text') }, { kind: 'dropColumn', table: 'users', column: col('email', 'text') });
    expect(tableOf(r.schema, 'users')).toMatchObject({ indexes: [], uniques: [] });
    expect(r.unknown).toEqual(['dropColumn: column users.name is still used by view active_users (PostgreSQL would refuse without CASCADE)']);
  });

  it('indexes, uniques, foreign keys, comments', () => {
    const r = run(
      base(),
      { kind: 'createIndex', table: 'users', index: ix('ix_users_email', ['email']) },
      { kind: 'dropIndex', table: 'users', index: ix('ix_users_name', ['name']) },
      { kind: 'addUnique', table: 'users', unique: { name: 'users_name_key', columns: ['name'] } },
      { kind: 'dropUnique', table: 'users', unique: { name: 'users_email_key', columns: ['email'] } },
      { kind: 'dropForeignKey', table: 'docs', foreignKey: fk('docs_owner_id_fkey', ['owner_id'], 'users') },
      { kind: 'addForeignKey', table: 'users', foreignKey: fk('users_self_fkey', ['id'], 'users') },
      { kind: 'setTableComment', table: 'users', from: null, to: 'people' },
    );
    expect(r.unknown).toEqual([]);
    const users = tableOf(r.schema, 'users');
    expect(users.indexes.map((i) => i.name)).toEqual(['ix_users_email', 'ix_users_lower']);
    expect(users.uniques.map((u) => u.name)).toEqual(['users_name_key']);
    expect(users.foreignKeys.map((f) => f.name)).toEqual(['users_self_fkey']);
    expect(users.comment).toBe('people');
    expect(tableOf(r.schema, 'docs').foreignKeys).toEqual([]);
  });

  it('views: create (sorted), drop, replace; rows and unknown SQL', () => {
    let r = run(base(), { kind: 'createView', view: view('a_view', 'SELECT 1') });
    expect(r.schema.views.map((v) => v.name)).toEqual(['a_view', 'active_users']);
    r = run(base(), { kind: 'replaceView', from: base().views[0], to: view('active_users', 'SELECT id FROM users') });
    expect(r.schema.views).toEqual([view('active_users', 'SELECT id FROM users')]);
    r = run(base(), { kind: 'dropView', view: base().views[0] }, { kind: 'deleteRows', table: 'users', where: 'true' });
    expect(r.schema.views).toEqual([]);
    expect(r.unknown).toEqual([]);
    const s = base();
    r = run(s, { kind: 'execute', sql: `ALTER TABLE users ADD CONSTRAINT c CHECK (${'x'.repeat(100)})` });
    expect(r.schema).toBe(s);
    expect(r.unknown).toEqual([`execute: ALTER TABLE users ADD CONSTRAINT c CHECK (${'x'.repeat(18)}`]);
  });

  it('missing objects are recorded, never thrown', () => {
    const s = base();
    const r = run(
      s,
      { kind: 'dropTable', table: table('nope', []) },
      { kind: 'renameTable', from: 'nope', to: 'x' },
      { kind: 'renameTable', from: 'docs', to: 'users' },
      { kind: 'addColumn', table: 'nope', column: col('a', 'text') },
      { kind: 'addColumn', table: 'users', column: col('email', 'text') },
      { kind: 'dropColumn', table: 'users', column: col('nope', 'text') },
      { kind: 'renameColumn', table: 'users', from: 'nope', to: 'x' },
      { kind: 'alterColumn', table: 'users', column: 'nope', from: { type: 'text', nullable: true, default: null }, to: { type: 'text', nullable: false, default: null } },
      { kind: 'dropEnum', name: 'nope', values: [] },
      { kind: 'renameEnum', from: 'nope', to: 'x' },
      { kind: 'addEnumValue', type: 'userstatus', value: 'active' },
      { kind: 'addEnumValue', type: 'userstatus', value: 'y', after: 'nope' },
      { kind: 'renameEnumValue', type: 'userstatus', from: 'nope', to: 'x' },
      { kind: 'rebuildEnum', type: 'nope', from: [], to: [], columns: [], fates: {} },
      { kind: 'dropIndex', table: 'users', index: ix('nope', ['a']) },
      { kind: 'dropUnique', table: 'users', unique: { name: 'nope', columns: [] } },
      { kind: 'dropForeignKey', table: 'users', foreignKey: fk('nope', [], 'users') },
      { kind: 'dropView', view: view('nope', '') },
      { kind: 'createIndex', table: 'users', index: ix('ix_docs_owner', ['email']) },
      { kind: 'setTableComment', table: 'nope', from: null, to: 'x' },
      // A hand-edited file may hold anything at all.
      { kind: 'bogus' } as unknown as Operation,
      { kind: 'addColumn', table: 'users' } as unknown as Operation,
    );
    expect(r.schema).toBe(s);
    expect(r.unknown).toHaveLength(22);
    expect(r.unknown.slice(0, 3)).toEqual(['dropTable: no table nope', 'renameTable: no table nope', 'renameTable: users exists already']);
    expect(r.unknown.at(-2)).toBe('unknown operation: bogus');
  });

  it('notes what PostgreSQL would refuse: missing enums, columns, referenced tables', () => {
    const r = run(
      base(),
      { kind: 'addColumn', table: 'users', column: enumCol('mood', 'mood') },
      { kind: 'createIndex', table: 'users', index: ix('ix_users_x', ['x', '(lower(name))']) },
      { kind: 'addUnique', table: 'users', unique: { name: 'users_y_key', columns: ['y'] } },
      { kind: 'addForeignKey', table: 'docs', foreignKey: fk('docs_z_fkey', ['owner_id'], 'nope') },
      { kind: 'addForeignKey', table: 'docs', foreignKey: fk('docs_w_fkey', ['w'], 'users', ['v']) },
      { kind: 'rebuildEnum', type: 'userstatus', from: [], to: ['a'], columns: [{ table: 'users', column: 'gone', nullable: true }], fates: {} },
    );
    expect(r.unknown).toEqual([
      'addColumn: users.mood uses a missing enum mood',
      'createIndex: index ix_users_x names missing columns users.x',
      'addUnique: unique users_y_key names missing columns users.y',
      'addForeignKey: docs_z_fkey references a missing table nope',
      'addForeignKey: foreign key docs_w_fkey names missing columns docs.w',
      'addForeignKey: foreign key docs_w_fkey names missing columns users.v',
      'rebuildEnum: enum userstatus names missing columns users.gone',
    ]);
    // Applied all the same: the browser shows what the file says.
    expect(tableOf(r.schema, 'docs').foreignKeys.map((f) => f.name)).toEqual(['docs_owner_id_fkey', 'docs_w_fkey', 'docs_z_fkey']);
  });

  it('never mutates its input', () => {
    const s = base();
    const before = JSON.stringify(s);
    const all = diffAll(s, schema()).concat(diffAll(schema(), s));
    expect(() => applyOperations(s, all)).not.toThrow();
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('schemaText', () => {
  it('reads like DDL, one line per column, in a stable order', () => {
    const text = schemaText(base());
    expect(text).toBe(`extension vector

enum userstatus ('active', 'inactive')

table docs
  id bigint NOT NULL identity by default
  owner_id bigint NOT NULL
  title text
  primary key docs_pkey (id)
  index ix_docs_owner (owner_id) btree
  foreign key docs_owner_id_fkey (owner_id) → users (id) on delete cascade

table users
  id bigint NOT NULL identity by default
  name character varying(100) NOT NULL
  email text NOT NULL
  status userstatus NOT NULL DEFAULT 'active'::userstatus
  tags userstatus[]
  primary key users_pkey (id)
  unique users_email_key (email)
  index ix_users_lower ((lower(name))) btree
  index ix_users_name (name) btree

view active_users
  SELECT id, name FROM users WHERE status = 'active'
`);
    const shuffled: Schema = { ...base(), tables: [...base().tables].reverse() };
    expect(schemaText(shuffled)).toBe(text);
    expect(schemaText(schema())).toBe('');
  });
});

// ---------------------------------------------------------------------------
// The diff is the reference.

/** An answer to every question: renames, the first remaining enum value, a typed value, dropAndAdd or USING, confirm. */
function answer(q: Question, flip: boolean): Answers[string] {
  switch (q.kind) {
    case 'rename-table':
    case 'rename-column':
    case 'rename-enum':
      return 'rename';
    case 'destructive':
      return { confirm: true };
    case 'enum-remove': {
      const rename = q.choices.find((c) => typeof c.answer === 'object' && 'renameTo' in c.answer);
      if (flip && rename) return rename.answer as Answers[string];
      const map = q.choices.find((c) => typeof c.answer === 'object' && 'mapTo' in c.answer);
      return map ? (map.answer as Answers[string]) : { deleteRows: true };
    }
    case 'backfill':
      return q.hasDefault && flip ? { useDefault: true } : { value: 0 };
    case 'alter-type': {
      const using = q.choices.find((c) => typeof c.answer === 'object' && 'using' in c.answer);
      return flip && using ? (using.answer as Answers[string]) : { dropAndAdd: true };
    }
  }
}

/** The diff's operations once every question is answered. */
function diffAll(from: Schema, to: Schema, flip = false): Operation[] {
  let answers: Answers = {};
  for (let round = 0; round < 10; round++) {
    const d = diffSchemas(from, to, { answers });
    if (d.questions.length === 0) return [...d.operations];
    for (const q of d.questions) answers = { ...answers, [q.id]: answer(q, flip) };
  }
  throw new Error('questions left after 10 rounds');
}

const executes = (ops: readonly Operation[]) => ops.filter((o) => o.kind === 'execute').length;

/**
 * Replays the diff both ways. Returns false when the diff used an `execute`
 * the replay cannot read (a primary key change): only that it was recorded
 * is checked then.
 */
function checkPair(from: Schema, to: Schema, flip = false): boolean {
  deepFreeze(from);
  deepFreeze(to);
  const ops = diffAll(from, to, flip);
  const up = applyOperations(from, ops);
  const back = reverseAll(ops).ops;
  // The way back starts from the replayed schema, as a downgrade starts from
  // the database the upgrade left: an extension the models dropped is still
  // there (the diff never drops one), which \`to\` does not say.
  const down = applyOperations(up.schema, back);
  // Index and constraint renames the replay reads from their SQL; any other execute it cannot know.
  if ([...up.unknown, ...down.unknown].some((u) => u.startsWith('execute: '))) {
    expect(executes(ops)).toBeGreaterThan(0);
    return false;
  }
  const ctx = () => `\n--- from ---\n${schemaText(from)}--- to ---\n${schemaText(to)}--- ops ---\n${JSON.stringify(ops, null, 1)}`;
  // Nothing PostgreSQL would refuse either: the diff orders its operations so they run.
  expect(up.unknown, ctx()).toEqual([]);
  expect(diffSchemas(up.schema, to), ctx()).toMatchObject({ operations: [], questions: [] });
  expect(down.unknown, ctx()).toEqual([]);
  expect(diffSchemas(down.schema, from), ctx()).toMatchObject({ operations: [], questions: [] });
  return true;
}

describe('replaying the diff gives the target schema, both ways (literal pairs)', () => {
  const b = base();
  const users = tableOf(b, 'users');
  const docs = tableOf(b, 'docs');
  const withTables = (...tables: Table[]) => ({ ...b, tables: tables.sort((x, y) => (x.name < y.name ? -1 : 1)) });
  const withUsers = (u: Partial<Table>) => withTables(docs, { ...users, ...u });
  const usersCols = (f: (cs: Column[]) => Column[]) => withUsers({ columns: f([...users.columns]) });
  const withEnum = (e: EnumType) => ({ ...b, enums: [e] });
  const cases: [string, Schema, Schema][] = [
    ['table added', b, withTables(docs, users, table('tags', [col('label', 'text')], { foreignKeys: [fk('tags_doc_fkey', ['id'], 'docs')] }))],
    ['table renamed', b, { ...withTables({ ...users, name: 'members' }, { ...docs, foreignKeys: [{ ...docs.foreignKeys[0], refTable: 'members' }] }), views: [view('active_users', "SELECT id, name FROM members WHERE status = 'active'", [{ table: 'members', column: 'id' }, { table: 'members', column: 'name' }])] }],
    ['column added', b, usersCols((cs) => [...cs, col('age', 'integer'), col('nick', 'text', { nullable: true })])],
    ['column renamed', b, { ...withUsers({ columns: users.columns.map((c) => (c.name === 'name' ? { ...c, name: 'full_name' } : c)), indexes: [users.indexes[0], ix('ix_users_name', ['full_name'])] }), views: [view('active_users', "SELECT id, full_name FROM users WHERE status = 'active'", [{ table: 'users', column: 'id' }, { table: 'users', column: 'full_name' }])] }],
    ['column dropped with its index', b, { ...withUsers({ columns: users.columns.filter((c) => c.name !== 'name'), indexes: [] }), views: [] }],
    ['column retyped and nullable', b, usersCols((cs) => cs.map((c) => (c.name === 'email' ? { ...c, type: 'integer', nullable: true } : c.name === 'title' ? { ...c, type: 'character varying(200)' } : c)))],
    ['column becomes NOT NULL', b, usersCols((cs) => cs.map((c) => (c.name === 'tags' ? { ...c, nullable: false } : c)))],
    ['enum created', b, { ...b, enums: [...b.enums, { name: 'zone', values: ['a', 'b'] }] }],
    ['enum values added', b, withEnum({ name: 'userstatus', values: ['new', 'active', 'gone', 'inactive', 'last'] })],
    ['enum value removed', b, withEnum({ name: 'userstatus', values: ['active'] })],
    ['enum reordered', b, withEnum({ name: 'userstatus', values: ['inactive', 'active'] })],
    ['unique, index and foreign key swapped', b, withTables(
      { ...docs, indexes: [ix('ix_docs_title', ['title'], { using: 'hash' })], foreignKeys: [fk('docs_owner_id_fkey', ['owner_id'], 'users', ['id'], 'set null')] },
      { ...users, uniques: [{ name: 'users_name_key', columns: ['name'] }], indexes: [ix('ix_users_name', ['name', 'email'], { unique: true })] },
    )],
    ['view replaced and added', b, { ...b, views: [view('active_users', 'SELECT id FROM users', [{ table: 'users', column: 'id' }]), view('docs_v', 'SELECT title FROM docs', [{ table: 'docs', column: 'title' }])] }],
    ['everything dropped', b, schema()],
  ];
  it.each(cases)('%s', (_name, from, to) => {
    expect(checkPair(from, to)).toBe(true);
    expect(checkPair(from, to, true)).toBe(true);
  });

  it('enum renamed with its columns', () => {
    const renamed = (s: Schema) => ({
      ...s,
      enums: [{ name: 'state', values: ['active', 'inactive'] }],
      tables: s.tables.map((t) => ({ ...t, columns: t.columns.map((c) => (c.enumType ? { ...c, enumType: 'state', type: c.type.replace('userstatus', 'state'), default: c.default && "'active'::state" } : c)) })),
    });
    expect(checkPair(b, renamed(b))).toBe(true);
  });

  it('an index renamed is an execute the replay reads, both ways', () => {
    const to = withUsers({ indexes: [users.indexes[0], { ...users.indexes[1], name: 'ix_users_name2' }] });
    expect(checkPair(b, to)).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// Seeded random pairs.

const rng = seededRandom;

const TYPES: [string, string | null][] = [
  ['character varying(40)', null], ['character varying(80)', "''::character varying"], ['text', null], ['integer', '1'], ['bigint', null],
  ['boolean', 'false'], ['timestamp with time zone', 'now()'], ['jsonb', null], ['numeric(8,2)', '0.00'], ['integer[]', null],
];
const COLUMNS = ['alpha', 'beta', 'gamma', 'delta', 'note', 'status', 'kind'];
const VALUES = ['ok', 'meh', 'great', 'bad', 'worse'];
// Slots: t2 and t2b are the same slot, so a table is sometimes renamed; names
// of indexes and constraints follow the slot and an ordinal (not the
// columns), so a rename or a changed column does not read as an index rename.
const TABLES: [string, number][] = [['t0', 0], ['t1', 1], ['t2', 2], ['t2b', 2], ['t3', 3]];

function randomSchema(random: () => number): Schema {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const chance = (p: number) => random() < p;
  const enums: EnumType[] = [];
  for (const name of ['mood', 'mood2', 'level']) {
    if (name === 'mood2' && enums.some((e) => e.name === 'mood')) continue;
    if (chance(0.55)) enums.push({ name, values: chance(0.2) ? [...VALUES.slice(1, 3), 'ok'] : VALUES.filter((v, i) => i === 0 || chance(0.5)) });
  }
  const slots = new Set<number>();
  const tables: Table[] = [];
  for (const [name, slot] of TABLES) {
    if (slots.has(slot) || !chance(0.6)) continue;
    slots.add(slot);
    const columns: Column[] = [];
    for (const c of COLUMNS) {
      if (!chance(0.45)) continue;
      const nullable = chance(0.4);
      const comment = chance(0.1) ? `the ${c}` : null;
      if (enums.length && chance(0.25)) {
        const e = pick(enums);
        const array = chance(0.25);
        columns.push(enumCol(c, array ? `${e.name}[]` : e.name, { enumType: e.name, nullable, default: !array && chance(0.5) ? `'${e.values[e.values.length - 1]}'::${e.name}` : null, comment }));
      } else {
        const [type, def] = pick(TYPES);
        columns.push(col(c, type, { nullable, default: chance(0.5) ? def : null, comment }));
      }
    }
    const plain = columns.filter((c) => !c.type.endsWith('[]') && c.type !== 'jsonb');
    const t = table(name, columns, { primaryKey: { name: `pk${slot}`, columns: ['id'] }, comment: chance(0.15) ? `table ${slot}` : null });
    const uniques = plain.length && chance(0.3) ? [{ name: `uq${slot}_0`, columns: [pick(plain).name] }] : [];
    const indexes: Index[] = [];
    for (let n = 0; n < 2 && plain.length; n++)
      if (chance(0.35)) indexes.push(ix(`ix${slot}_${n}`, [...new Set([pick(plain).name, ...(chance(0.3) ? [pick(plain).name] : [])])], { using: chance(0.2) ? 'hash' : 'btree', unique: chance(0.2) }));
    tables.push({ ...t, uniques, indexes: indexes.filter((i) => i.using === 'btree' || i.columns.length === 1).map((i) => (i.using === 'hash' ? { ...i, unique: false } : i)) });
  }
  // Foreign keys: a nullable parent_id to another table (or itself).
  const withFks = tables.map((t) => {
    if (!chance(0.4)) return t;
    const target = pick(tables);
    const slot = TABLES.find(([n]) => n === t.name)![1];
    return {
      ...t,
      columns: [...t.columns, col('parent_id', 'bigint', { nullable: true })],
      foreignKeys: [fk(`fk${slot}_0`, ['parent_id'], target.name, ['id'], pick(['no action', 'cascade', 'set null'] as const))],
    };
  });
  const views: View[] = [];
  for (const name of ['v0', 'v1']) {
    if (!withFks.length || !chance(0.35)) continue;
    const t = pick(withFks);
    const cols = [...new Set(['id', ...t.columns.filter(() => chance(0.3)).map((c) => c.name)])];
    views.push(view(name, `SELECT ${cols.join(', ')} FROM ${t.name}`, cols.map((c) => ({ table: t.name, column: c })).sort((a, b) => (a.column < b.column ? -1 : 1))));
  }
  return schema({ extensions: ['vector', 'pg_trgm'].filter(() => chance(0.3)).sort(), enums, tables: withFks, views });
}

describe('replaying the diff gives the target schema, both ways (random pairs)', () => {
  it('300 seeds', () => {
    let checked = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const random = rng(seed);
      const from = randomSchema(random);
      const to = randomSchema(random);
      try {
        if (checkPair(from, to, seed % 2 === 0)) checked++;
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).message}`);
      }
    }
    // Pairs whose diff uses `execute` cannot be checked; they must stay few.
    expect(checked).toBeGreaterThan(270);
  });
});

describe('execute statements the diff itself writes', () => {
  it('replays index and constraint renames; any other SQL stays unknown', () => {
    const start = schema({
      tables: [table('users', [col('email', 'text')], { uniques: [{ name: 'users_email_key', columns: ['email'] }], indexes: [{ name: 'users_email_idx', columns: ['email'], unique: false, using: 'btree' }] })],
    });
    const r = applyOperations(start, [
      { kind: 'execute', sql: 'ALTER INDEX users_email_idx RENAME TO "Users Mail"' },
      { kind: 'execute', sql: 'ALTER TABLE users RENAME CONSTRAINT users_email_key TO users_mail_key' },
      { kind: 'execute', sql: 'UPDATE users SET email = lower(email)' },
    ]);
    expect(r.schema.tables[0].indexes.map((i) => i.name)).toEqual(['Users Mail']);
    expect(r.schema.tables[0].uniques.map((u) => u.name)).toEqual(['users_mail_key']);
    expect(r.unknown).toEqual(['execute: UPDATE users SET email = lower(email)']);
  });
});
