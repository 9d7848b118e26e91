/**
 * drizzle-kit's cases for identity, generated columns, checks, array
 * defaults, views and indexes (drizzle-team/drizzle-orm, drizzle-kit/tests/
 * pg-identity, pg-generated, pg-checks, pg-array, pg-views and
 * indexes/pg.test.ts), ported.
 */
import { model, runCases, type PeerCase } from './support/case-runner.js';

const DK = 'drizzle-kit tests';
const users = (fieldsSrc: string, extra = '') => model('User', 'users', fieldsSrc, extra);
const idPk = (identity: string | null) => `id: fields.IntegerField({ primaryKey: true${identity ? `, identity: '${identity}'` : ''} })`;
const people = (gen: string | null) =>
  users(`id2: fields.IntegerField({ null: true }), name: fields.TextField({ null: true }), gen_name: fields.TextField({ null: true${gen ? `, generated: ${JSON.stringify(gen)}` : ''} })`);
const aged = (checks: { name: string; sql: string }[]) =>
  users(`age: fields.IntegerField({ null: true }), name: fields.TextField({ null: true })`, checks.length ? `checks: ${JSON.stringify(checks)}` : '');
const withArray = (field: string) => model('T', 'test', `values: ${field}`);
const view = (name: string, sql: string) => `export const V_${name} = defineView('V_${name}', { viewname: '${name}', sql: ${JSON.stringify(sql)} });\n`;

const cases: PeerCase[] = [
  // pg-identity
  { name: 'a table with an identity ALWAYS key created', peer: `${DK}/pg-identity.test.ts::create table: identity always/by default - no params`, v1: '', v2: users(idPk('always')) },
  { name: 'a table with an identity BY DEFAULT key created', peer: `${DK}/pg-identity.test.ts::create table: identity always/by default - no params`, v1: '', v2: users(idPk('by default')) },
  {
    name: 'identity dropped from a key with rows (and added back by the downgrade)',
    peer: `${DK}/pg-identity.test.ts::drop identity from a column - no params`,
    v1: users(idPk('by default')),
    seed: `INSERT INTO users DEFAULT VALUES; INSERT INTO users DEFAULT VALUES`,
    v2: users(idPk(null)),
    probe: { sql: 'SELECT id FROM users ORDER BY id', up: [{ id: 1 }, { id: 2 }], down: [{ id: 1 }, { id: 2 }] },
  },
  {
    name: 'identity switched from BY DEFAULT to ALWAYS',
    peer: `${DK}/pg-identity.test.ts::alter identity from a column - by default to always`,
    v1: users(idPk('by default')),
    seed: `INSERT INTO users DEFAULT VALUES`,
    v2: users(idPk('always')),
  },
  {
    name: 'identity switched from ALWAYS to BY DEFAULT',
    peer: `${DK}/pg-identity.test.ts::alter identity from a column - always to by default`,
    v1: users(idPk('always')),
    seed: `INSERT INTO users DEFAULT VALUES`,
    v2: users(idPk('by default')),
  },
  // pg-generated
  {
    name: 'a generated column added',
    peer: `${DK}/pg-generated.test.ts::generated as sql: add column with generated constraint`,
    v1: users(`id2: fields.IntegerField({ null: true }), name: fields.TextField({ null: true })`),
    seed: `INSERT INTO users (name) VALUES ('ada')`,
    v2: people(`name || 'hello'`),
    probe: { sql: 'SELECT gen_name FROM users', up: [{ gen_name: 'adahello' }] },
  },
  {
    name: 'an existing column made generated',
    peer: `${DK}/pg-generated.test.ts::generated as sql: add generated constraint to an exisiting column`,
    v1: people(null),
    seed: `INSERT INTO users (name, gen_name) VALUES ('ada', 'x')`,
    v2: people(`name || 'to add'`),
    asks: ['destructive:column:users.gen_name'],
    answers: { 'destructive:column:users.gen_name': { confirm: true } },
    probe: { sql: 'SELECT gen_name FROM users', up: [{ gen_name: 'adato add' }] },
  },
  {
    name: 'a generated column made plain',
    peer: `${DK}/pg-generated.test.ts::generated as sql: drop generated constraint`,
    v1: people(`name || 'to delete'`),
    seed: `INSERT INTO users (name) VALUES ('ada')`,
    v2: people(null),
    // DROP EXPRESSION, as drizzle-kit: the computed values stay as plain ones, nothing to ask.
    probe: { sql: 'SELECT gen_name FROM users', up: [{ gen_name: 'adato delete' }], down: [{ gen_name: 'adato delete' }] },
  },
  {
    name: "a generated column's expression changed",
    peer: `${DK}/pg-generated.test.ts::generated as sql: change generated constraint`,
    v1: people(`name`),
    seed: `INSERT INTO users (name) VALUES ('ada')`,
    v2: people(`name || 'hello'`),
    probe: { sql: 'SELECT gen_name FROM users', up: [{ gen_name: 'adahello' }], down: [{ gen_name: 'ada' }] },
  },
  // pg-checks
  { name: 'a table created with a check', peer: `${DK}/pg-checks.test.ts::create table with check`, v1: '', v2: aged([{ name: 'some_check_name', sql: 'age > 21' }]) },
  {
    name: 'a check added to a table with rows',
    peer: `${DK}/pg-checks.test.ts::add check contraint to existing table`,
    v1: aged([]),
    seed: `INSERT INTO users (age) VALUES (30)`,
    v2: aged([{ name: 'some_check_name', sql: 'age > 21' }]),
  },
  {
    name: 'a check dropped',
    peer: `${DK}/pg-checks.test.ts::drop check contraint in existing table`,
    v1: aged([{ name: 'some_check_name', sql: 'age > 21' }]),
    seed: `INSERT INTO users (age) VALUES (30)`,
    v2: aged([]),
  },
  {
    name: 'a check renamed',
    peer: `${DK}/pg-checks.test.ts::rename check constraint`,
    v1: aged([{ name: 'some_check_name', sql: 'age > 21' }]),
    seed: `INSERT INTO users (age) VALUES (30)`,
    v2: aged([{ name: 'new_check_name', sql: 'age > 21' }]),
  },
  {
    name: 'a check renamed and its expression changed',
    peer: `${DK}/pg-checks.test.ts::alter check constraint`,
    v1: aged([{ name: 'some_check_name', sql: 'age > 21' }]),
    seed: `INSERT INTO users (age) VALUES (30)`,
    v2: aged([{ name: 'new_check_name', sql: 'age > 10' }]),
  },
  {
    name: 'two checks renamed',
    peer: `${DK}/pg-checks.test.ts::alter multiple check constraints`,
    v1: aged([{ name: 'some_check_name_1', sql: 'age > 21' }, { name: 'some_check_name_2', sql: "name != 'Alex'" }]),
    seed: `INSERT INTO users (age, name) VALUES (30, 'Bob')`,
    v2: aged([{ name: 'some_check_name_3', sql: 'age > 21' }, { name: 'some_check_name_4', sql: "name != 'Alex'" }]),
  },
  // pg-array
  { name: 'an integer array column added with an empty array default', peer: `${DK}/pg-array.test.ts::array #1: empty array default`, v1: model('T', 'test', ``), seed: `INSERT INTO test DEFAULT VALUES`, v2: withArray(`fields.ArrayField(fields.IntegerField(), { null: true, default: [] })`) },
  { name: 'an integer array column added with a default', peer: `${DK}/pg-array.test.ts::array #2: integer array default`, v1: '', v2: withArray(`fields.ArrayField(fields.IntegerField(), { null: true, default: [1, 2, 3] })`) },
  { name: 'a bigint array column added with a default', peer: `${DK}/pg-array.test.ts::array #3: bigint array default`, v1: '', v2: withArray(`fields.ArrayField(fields.BigIntegerField(), { null: true, default: [1, 2, 3] })`) },
  { name: 'a boolean array column added with a default', peer: `${DK}/pg-array.test.ts::array #4: boolean array default`, v1: '', v2: withArray(`fields.ArrayField(fields.BooleanField(), { null: true, default: [true, false, true] })`) },
  {
    name: 'a two-dimensional integer array column added with a default',
    peer: `${DK}/pg-array.test.ts::array #5: multi-dimensional array default`,
    v1: '',
    v2: withArray(`fields.ArrayField(fields.ArrayField(fields.IntegerField()), { null: true, default: [[1, 2], [3, 4]] })`),
  },
  { name: 'a date array column added with a default', peer: `${DK}/pg-array.test.ts::array #6: date array default`, v1: '', v2: withArray(`fields.ArrayField(fields.DateField(), { null: true, default: ['2024-08-06', '2024-08-07'] })`) },
  {
    name: 'a timestamp array column added with a default',
    peer: `${DK}/pg-array.test.ts::array #7: timestamp array default`,
    v1: '',
    v2: withArray(`fields.ArrayField(fields.DateTimeField({ timezone: false }), { null: true, default: ['2024-08-06 00:00:00', '2024-08-07 00:00:00'] })`),
  },
  { name: 'a json array column added with a default', peer: `${DK}/pg-array.test.ts::array #8: json array default`, v1: '', v2: withArray(`fields.ArrayField(fields.JSONField(), { null: true, default: [{ a: 1 }, { b: 2 }] })`) },
  { name: 'a text array column added with a default', peer: `${DK}/pg-array.test.ts::array #9: text array default`, v1: '', v2: withArray(`fields.ArrayField(fields.TextField(), { null: true, default: ['abc', 'def'] })`) },
  {
    name: 'a uuid array column added with a default',
    peer: `${DK}/pg-array.test.ts::array #10: uuid array default`,
    v1: '',
    v2: withArray(`fields.ArrayField(fields.UUIDField(), { null: true, default: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'b0eebc99-9c0b-4ef8-bb6d-cbb9bd380a11'] })`),
  },
  // pg-views
  { name: 'a table and a view over it created', peer: `${DK}/pg-views.test.ts::create table and view #1`, v1: '', v2: users(``) + view('some_view', 'SELECT * FROM users') },
  {
    name: 'a view dropped',
    peer: `${DK}/pg-views.test.ts::drop view #1`,
    v1: users(``) + view('some_view', 'SELECT * FROM users'),
    v2: users(``),
  },
  {
    name: 'a view renamed',
    peer: `${DK}/pg-views.test.ts::rename view #1`,
    v1: users(``) + view('some_view', 'SELECT * FROM users'),
    v2: users(``) + view('new_some_view', 'SELECT * FROM users'),
  },
  {
    name: "a view's query changed",
    peer: `${DK}/pg-views.test.ts::alter view ".as" value`,
    v1: users(``) + view('some_view', 'SELECT * FROM users WHERE users.id = 1'),
    seed: `INSERT INTO users DEFAULT VALUES; INSERT INTO users DEFAULT VALUES`,
    v2: users(``) + view('some_view', 'SELECT * FROM users WHERE users.id = 2'),
    probe: { sql: 'SELECT * FROM some_view', up: [{ id: '2' }], down: [{ id: '1' }] },
  },
  {
    name: 'a view renamed and its query changed',
    peer: `${DK}/pg-views.test.ts::rename view and alter view`,
    v1: users(``) + view('some_view', 'SELECT * FROM users'),
    v2: users(``) + view('new_some_view', 'SELECT * FROM users WHERE id > 0'),
  },
  // indexes/pg
  {
    name: 'an hnsw index with an operator class and storage parameters on a vector column',
    peer: `${DK}/indexes/pg.test.ts::vectorIndex`,
    only: 'embedded',
    v1: users(`name: fields.VectorField({ dimensions: 3, null: true })`),
    v2: users(`embedding: fields.VectorField({ dimensions: 3, null: true, column: 'name' })`, `indexes: [{ fields: ['embedding'], using: 'hnsw', opclass: 'vector_ip_ops', with: { m: 16, ef_construction: 64 }, name: 'vector_embedding_idx' }]`),
  },
  {
    // drizzle's first predicate is the constant true and its first operator class text_ops (the
    // default): PostgreSQL stores neither, and neither may read as a difference.
    name: 'indexes whose WHERE, operator class and expression change',
    peer: `${DK}/indexes/pg.test.ts::indexesToBeTriggered`,
    v1: users(`name: fields.TextField({ null: true })`, `indexes: [
      { fields: ['name'], where: 'true', name: 'indx1' },
      { fields: ['name'], opclass: 'text_ops', where: 'id > 0', name: 'indx2' },
      { expressions: ['lower(name)'], where: 'id > 0', name: 'indx3' },
    ]`),
    seed: `INSERT INTO users (name) VALUES ('Ada')`,
    v2: users(`name: fields.TextField({ null: true })`, `indexes: [
      { fields: ['name'], where: 'id > 1', name: 'indx1' },
      { fields: ['name'], opclass: 'text_pattern_ops', where: 'id > 0', name: 'indx2' },
      { expressions: ['lower(id::text)'], where: 'id > 0', name: 'indx3' },
      { expressions: ['lower(id::text)'], where: 'id > 0', name: 'indx4' },
    ]`),
  },
  {
    name: 'a multi-column partial index and a hash index with storage parameters',
    peer: `${DK}/indexes/pg.test.ts::simpleIndex`,
    v1: users(`name: fields.TextField({ null: true })`),
    v2: users(`name: fields.TextField({ null: true })`, `indexes: [
      { fields: ['name', 'id'], with: { fillfactor: 70 }, where: 'id > 0' },
      { fields: ['name'], using: 'hash', with: { fillfactor: 70 }, name: 'indx1' },
    ]`),
  },
];

runCases('drizzle-kit: identity, generated, checks, arrays, views, indexes', cases);
