import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../source/diff/diff.js';
import type { Operation } from '../source/ops/types.js';
import { reverseAll } from '../source/ops/reverse.js';
import { col, enumCol, idCol, schema, table } from './support/schema-builders.js';

const kinds = (ops: readonly Operation[]) => ops.map((o) => o.kind);
const withRows = (rows: Record<string, number>) => ({ rows });

describe('diff: tables and columns', () => {
  it('finds nothing between equal schemas', () => {
    const s = schema({ tables: [table('users', [col('name', 'character varying(100)')])] });
    const r = diffSchemas(s, s);
    expect(r.operations).toEqual([]);
    expect(r.questions).toEqual([]);
  });

  it('creates a new table, and its foreign keys after every table', () => {
    const users = table('users', []);
    const docs = table('documents', [col('owner_id', 'bigint', { nullable: true })], {
      foreignKeys: [{ name: 'documents_owner_id_fkey', columns: ['owner_id'], refTable: 'users', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' }],
    });
    const r = diffSchemas(schema(), schema({ tables: [docs, users] }));
    expect(kinds(r.operations)).toEqual(['createTable', 'createTable', 'addForeignKey']);
  });

  it('treats type aliases and default casts as equal', () => {
    const db = schema({ tables: [table('t', [col('n', 'int4', { default: '0' }), col('s', 'character varying(10)', { default: "'a'::character varying" })])] });
    const model = schema({ tables: [table('t', [col('n', 'integer', { default: '0' }), col('s', 'varchar(10)', { default: "'a'" })])] });
    expect(diffSchemas(db, model).operations).toEqual([]);
  });

  it('asks before dropping a table that holds rows, not an empty one', () => {
    const before = schema({ tables: [table('legacy', [])] });
    const open = diffSchemas(before, schema(), { facts: withRows({ legacy: 3 }) });
    expect(open.questions.map((q) => q.id)).toEqual(['destructive:table:legacy']);
    expect(open.questions[0].stake).toBe('3 rows in legacy would be lost');
    const empty = diffSchemas(before, schema(), { facts: withRows({ legacy: 0 }) });
    expect(empty.questions).toEqual([]);
    expect(kinds(empty.operations)).toEqual(['dropTable']);
    const confirmed = diffSchemas(before, schema(), { facts: withRows({ legacy: 3 }), answers: { 'destructive:table:legacy': { confirm: true } } });
    expect(confirmed.questions).toEqual([]);
  });

  it('asks for the facts it does not have', () => {
    const r = diffSchemas(schema({ tables: [table('legacy', [])] }), schema());
    expect(r.probes.rows).toEqual(['legacy']);
  });
});

describe('diff: renames', () => {
  const before = schema({ tables: [table('users', [col('full_name', 'character varying(100)')])] });
  const after = schema({ tables: [table('users', [col('name', 'character varying(100)')])] });

  it('asks rename-column with ranked candidates', () => {
    const r = diffSchemas(before, after, { facts: withRows({ users: 2 }) });
    expect(r.questions.map((q) => q.id)).toEqual(['rename-column:users.full_name->users.name']);
    expect(r.questions[0].candidates?.[0].name).toBe('name');
  });

  it('renames a column when answered', () => {
    const r = diffSchemas(before, after, { answers: { 'rename-column:users.full_name->users.name': 'rename' }, facts: withRows({ users: 2 }) });
    expect(r.questions).toEqual([]);
    expect(r.operations).toEqual([{ kind: 'renameColumn', table: 'users', from: 'full_name', to: 'name' }]);
  });

  it('drops and adds when answered drop, then asks for the data', () => {
    const r = diffSchemas(before, after, { answers: { 'rename-column:users.full_name->users.name': 'drop' }, facts: withRows({ users: 2 }) });
    expect(r.questions.map((q) => q.id).sort()).toEqual(['backfill:users.name', 'destructive:column:users.full_name']);
  });

  it('ranks the most similar of several candidates first', () => {
    const b = schema({ tables: [table('users', [col('email', 'text')])] });
    const a = schema({ tables: [table('users', [col('nickname', 'text', { nullable: true }), col('email_address', 'text', { nullable: true })])] });
    const r = diffSchemas(b, a, { facts: withRows({ users: 0 }) });
    expect(r.questions[0].candidates?.map((c) => c.name)).toEqual(['email_address', 'nickname']);
  });

  it('does not offer a column of an incompatible type', () => {
    const b = schema({ tables: [table('users', [col('age', 'integer')])] });
    const a = schema({ tables: [table('users', [col('birthday', 'date', { nullable: true })])] });
    const r = diffSchemas(b, a, { facts: withRows({ users: 0 }) });
    expect(r.questions).toEqual([]);
    expect(kinds(r.operations)).toEqual(['addColumn', 'dropColumn']);
  });

  it('finds column changes inside a renamed table', () => {
    const b = schema({ tables: [table('people', [col('name', 'character varying(50)')])] });
    const a = schema({ tables: [table('members', [col('name', 'character varying(100)')])] });
    const r = diffSchemas(b, a, { answers: { 'rename-table:people->members': 'rename' }, facts: withRows({ people: 1 }) });
    expect(r.questions).toEqual([]);
    // The key and the identity sequence PostgreSQL named after the table follow it (a fresh build names them so).
    expect(r.operations.slice(0, 3)).toEqual([
      { kind: 'renameTable', from: 'people', to: 'members' },
      { kind: 'renameConstraint', table: 'members', from: 'people_pkey', to: 'members_pkey' },
      { kind: 'renameSequence', table: 'members', column: 'id', from: 'people_id_seq', to: 'members_id_seq' },
    ]);
    expect(kinds(r.operations)).toEqual(['renameTable', 'renameConstraint', 'renameSequence', 'alterColumn']);
    expect(r.operations[3]).toMatchObject({ table: 'members', column: 'name', to: { type: 'character varying(100)' } });
  });

  it('renames a primary key and an identity sequence named after another table, and names them back on the way down', () => {
    const live = table('members', [col('name', 'text')], { primaryKey: { name: 'people_pkey', columns: ['id'] } });
    const drifted = { ...live, columns: live.columns.map((c) => (c.name === 'id' ? { ...c, sequence: 'people_id_seq' } : c)) };
    const r = diffSchemas(schema({ tables: [drifted] }), schema({ tables: [table('members', [col('name', 'text')])] }));
    expect(r.operations).toEqual([
      { kind: 'renameConstraint', table: 'members', from: 'people_pkey', to: 'members_pkey' },
      { kind: 'renameSequence', table: 'members', column: 'id', from: 'people_id_seq', to: 'members_id_seq' },
    ]);
    expect(reverseAll(r.operations).ops).toEqual([
      { kind: 'renameSequence', table: 'members', column: 'id', from: 'members_id_seq', to: 'people_id_seq' },
      { kind: 'renameConstraint', table: 'members', from: 'members_pkey', to: 'people_pkey' },
    ]);
  });

  it('renames the identity sequence of a renamed column', () => {
    const b = schema({ tables: [table('people', [], { columns: [{ ...idCol(), name: 'pid' }], primaryKey: { name: 'people_pkey', columns: ['pid'] } })] });
    const a = schema({ tables: [table('people', [], { columns: [{ ...idCol(), name: 'person_id' }], primaryKey: { name: 'people_pkey', columns: ['person_id'] } })] });
    const r = diffSchemas(b, a, { answers: { 'rename-column:people.pid->people.person_id': 'rename' }, facts: withRows({ people: 1 }) });
    expect(r.questions).toEqual([]);
    expect(r.operations).toEqual([
      { kind: 'renameColumn', table: 'people', from: 'pid', to: 'person_id' },
      { kind: 'renameSequence', table: 'people', column: 'person_id', from: 'people_pid_seq', to: 'people_person_id_seq' },
    ]);
  });
});

describe('diff: backfill and nullability', () => {
  const before = schema({ tables: [table('users', [])] });
  const after = schema({ tables: [table('users', [col('age', 'integer')])] });

  it('asks for a backfill when the table has rows', () => {
    const r = diffSchemas(before, after, { facts: withRows({ users: 5 }) });
    expect(r.questions.map((q) => q.id)).toEqual(['backfill:users.age']);
    expect(r.questions[0].stake).toBe('5 rows in users need a value');
  });

  it('needs no backfill on an empty table or with a default', () => {
    expect(diffSchemas(before, after, { facts: withRows({ users: 0 }) }).questions).toEqual([]);
    const withDefault = schema({ tables: [table('users', [col('age', 'integer', { default: '0' })])] });
    expect(diffSchemas(before, withDefault, { facts: withRows({ users: 5 }) }).questions).toEqual([]);
  });

  it('carries the answer into the operation', () => {
    const r = diffSchemas(before, after, { facts: withRows({ users: 5 }), answers: { 'backfill:users.age': { value: 0 } } });
    expect(r.operations[0]).toMatchObject({ kind: 'addColumn', backfill: { value: 0 } });
  });

  it('asks when a column with NULLs becomes NOT NULL', () => {
    const b = schema({ tables: [table('users', [col('nick', 'text', { nullable: true })])] });
    const a = schema({ tables: [table('users', [col('nick', 'text')])] });
    expect(diffSchemas(b, a, { facts: { nulls: { 'users.nick': 0 } } }).questions).toEqual([]);
    const r = diffSchemas(b, a, { facts: { nulls: { 'users.nick': 4 } } });
    expect(r.questions[0]).toMatchObject({ id: 'backfill:users.nick', stake: '4 rows of users have nick NULL' });
  });
});

describe('diff: type changes', () => {
  it('alters without a question when PostgreSQL can cast', () => {
    const b = schema({ tables: [table('t', [col('c', 'character varying(50)')])] });
    const a = schema({ tables: [table('t', [col('c', 'character varying(200)')])] });
    const r = diffSchemas(b, a, { facts: withRows({ t: 9 }) });
    expect(r.questions).toEqual([]);
    expect(r.operations[0]).toMatchObject({ kind: 'alterColumn' });
    expect((r.operations[0] as { using?: string }).using).toBeUndefined();
  });

  it('asks for USING when there is no implicit cast', () => {
    const b = schema({ tables: [table('t', [col('c', 'text')])] });
    const a = schema({ tables: [table('t', [col('c', 'integer')])] });
    const r = diffSchemas(b, a, { facts: withRows({ t: 9 }) });
    expect(r.questions.map((q) => q.id)).toEqual(['alter-type:t.c']);
    const answered = diffSchemas(b, a, { facts: withRows({ t: 9 }), answers: { 'alter-type:t.c': { using: 'length(c)' } } });
    expect(answered.operations[0]).toMatchObject({ kind: 'alterColumn', using: 'length(c)' });
  });
});

describe('diff: enums', () => {
  const status = (values: string[]) => ({ name: 'userstatus', values });
  const users = table('users', [enumCol('status', 'userstatus', { default: "'active'" })]);

  it('creates a new enum type before the table using it', () => {
    const r = diffSchemas(schema(), schema({ enums: [status(['a', 'b'])], tables: [users] }));
    expect(kinds(r.operations)).toEqual(['createEnum', 'createTable']);
  });

  it('adds a value in place with ADD VALUE, no question', () => {
    const r = diffSchemas(
      schema({ enums: [status(['active', 'inactive'])], tables: [users] }),
      schema({ enums: [status(['active', 'pending', 'inactive'])], tables: [users] }),
    );
    expect(r.questions).toEqual([]);
    expect(r.operations[0]).toMatchObject({ kind: 'addEnumValue', type: 'userstatus', value: 'pending', after: 'active' });
  });

  it('asks what rows holding a removed value become', () => {
    const b = schema({ enums: [status(['active', 'inactive', 'suspended'])], tables: [users] });
    const a = schema({ enums: [status(['active', 'inactive'])], tables: [users] });
    const r = diffSchemas(b, a, { facts: { values: { 'userstatus.suspended': 2 } } });
    expect(r.questions.map((q) => q.id)).toEqual(['enum-remove:userstatus.suspended']);
    expect(r.questions[0].stake).toBe("2 rows hold 'suspended'");
    const answered = diffSchemas(b, a, { facts: { values: { 'userstatus.suspended': 2 } }, answers: { 'enum-remove:userstatus.suspended': { mapTo: 'inactive' } } });
    expect(answered.questions).toEqual([]);
    expect(answered.operations[0]).toMatchObject({ kind: 'rebuildEnum', to: ['active', 'inactive'], fates: { suspended: { mapTo: 'inactive' } } });
  });

  it('renames a value with RENAME VALUE when answered renameTo', () => {
    const b = schema({ enums: [status(['active', 'old'])], tables: [users] });
    const a = schema({ enums: [status(['active', 'new'])], tables: [users] });
    const r = diffSchemas(b, a, { facts: { values: { 'userstatus.old': 1 } }, answers: { 'enum-remove:userstatus.old': { renameTo: 'new' } } });
    expect(r.operations).toEqual([{ kind: 'renameEnumValue', type: 'userstatus', from: 'old', to: 'new' }]);
  });

  it('removes an unused value without a question', () => {
    const b = schema({ enums: [status(['active', 'gone'])], tables: [users] });
    const a = schema({ enums: [status(['active'])], tables: [users] });
    const r = diffSchemas(b, a, { facts: { values: { 'userstatus.gone': 0 } } });
    expect(r.questions).toEqual([]);
    expect(kinds(r.operations)).toEqual(['rebuildEnum']);
  });

  it('asks rename-enum when a type disappears and a similar one appears', () => {
    const b = schema({ enums: [status(['a', 'b'])], tables: [table('users', [enumCol('status', 'userstatus')])] });
    const a = schema({ enums: [{ name: 'user_status', values: ['a', 'b'] }], tables: [table('users', [enumCol('status', 'user_status')])] });
    const r = diffSchemas(b, a, { facts: withRows({ users: 1 }) });
    expect(r.questions.map((q) => q.id)).toEqual(['rename-enum:userstatus->user_status']);
    const answered = diffSchemas(b, a, { facts: withRows({ users: 1 }), answers: { 'rename-enum:userstatus->user_status': 'rename' } });
    expect(answered.operations).toEqual([{ kind: 'renameEnum', from: 'userstatus', to: 'user_status' }]);
  });
});

describe('diff: views', () => {
  const t = table('users', [col('name', 'character varying(50)')]);
  const view = { name: 'names', sql: 'SELECT name FROM users', definition: 'SELECT users.name FROM users;', dependsOn: [{ table: 'users', column: 'name' }] };

  it('drops and recreates a view around a type change of a column it reads', () => {
    const a = schema({ tables: [table('users', [col('name', 'text')])], views: [view] });
    const r = diffSchemas(schema({ tables: [t], views: [view] }), a, { facts: withRows({ users: 1 }) });
    expect(kinds(r.operations)).toEqual(['dropView', 'alterColumn', 'createView']);
  });

  it('replaces a view whose definition changed', () => {
    const changed = { ...view, sql: 'SELECT upper(name) FROM users', definition: 'SELECT upper(users.name) FROM users;' };
    const r = diffSchemas(schema({ tables: [t], views: [view] }), schema({ tables: [t], views: [changed] }));
    expect(kinds(r.operations)).toEqual(['replaceView']);
  });
});

describe('normalizeDefault', () => {
  it('strips the casts PostgreSQL adds, quoted type names and casts inside literals included', async () => {
    const { normalizeDefault } = await import('../source/diff/normalize.js');
    expect(normalizeDefault(`'it''s'::"Odd Type"`)).toBe(`'it''s'`);
    expect(normalizeDefault(`'a::b'::text`)).toBe(`'a::b'`);
    expect(normalizeDefault(`'active'::userstatus`)).toBe(`'active'`);
    expect(normalizeDefault(`'-1'::integer`)).toBe('-1');
    expect(normalizeDefault(`'{}'::jsonb`)).toBe(`'{}'`);
    expect(normalizeDefault('CURRENT_TIMESTAMP')).toBe('now()');
    expect(normalizeDefault(`LOWER('X'::text)`)).toBe(`lower('X'::text)`);
  });
});
