/**
 * drizzle-kit's table and column cases (drizzle-team/drizzle-orm,
 * drizzle-kit/tests/pg-tables.test.ts and pg-columns.test.ts), ported:
 * tables added, dropped and renamed, columns added and renamed, foreign keys
 * whose ON DELETE changes, unique constraints, quoted defaults.
 */
import { model, runCases, type PeerCase } from './support/case-runner.js';

const TABLES = 'drizzle-kit tests/pg-tables.test.ts';
const COLUMNS = 'drizzle-kit tests/pg-columns.test.ts';
const users = (fieldsSrc: string, extra = '', table = 'users') => model('User', table, fieldsSrc, extra);
const uuidPk = `id: fields.UUIDField({ primaryKey: true, serverDefault: 'gen_random_uuid()' })`;
const refs = (onDelete: [string, string, string] | null) => {
  const opt = (i: number) => (onDelete ? `, onDelete: '${onDelete[i]}'` : '');
  return model('T1', 't1', uuidPk) + model('T2', 't2', uuidPk) + model('T3', 't3', uuidPk)
    + model('Ref1', 'ref1', `id1: fields.ForeignKey(() => T1, { null: true, column: 'id1'${opt(0)} }), id2: fields.ForeignKey(() => T2, { null: true, column: 'id2'${opt(1)} }), id3: fields.ForeignKey(() => T3, { null: true, column: 'id3'${opt(2)} })`);
};

const cases: PeerCase[] = [
  { name: 'a table with only its key added', peer: `${TABLES}::add table #1`, v1: '', v2: users(``) },
  { name: 'a table with a text column added', peer: `${TABLES}::add table #2`, v1: '', v2: users(`name: fields.TextField({ null: true })`) },
  { name: 'two tables added', peer: `${TABLES}::add table #4`, v1: '', v2: users(``) + model('Post', 'posts', ``) },
  {
    name: 'a table dropped and another created (not a rename)',
    peer: `${TABLES}::add table #6`,
    v1: model('U1', 'users1', ``),
    v2: model('U2', 'users2', ``),
    answers: { 'rename-table:users1->users2': 'drop' },
  },
  {
    name: 'a table with a pgvector column added',
    peer: `${TABLES}::add table #8: column with pgvector`,
    only: 'embedded',
    v1: '',
    v2: users(`name: fields.VectorField({ dimensions: 3, null: true })`),
  },
  {
    name: 'a composite primary key (a many-to-many through table)',
    peer: `${TABLES}::composite primary key`,
    v1: users(``) + model('Group', 'groups', ``),
    v2: model('User', 'users', `groups: fields.ManyToManyField(() => Group)`) + model('Group', 'groups', ``),
  },
  {
    name: 'a NOT NULL column added with a named unique constraint on it',
    peer: `${TABLES}::add column before creating unique constraint`,
    v1: model('T', 'table', ``),
    seed: `INSERT INTO "table" DEFAULT VALUES`,
    v2: model('T', 'table', `name: fields.TextField()`, `uniqueTogether: [{ fields: ['name'], name: 'uq' }]`),
    answers: { 'backfill:table.name': { value: 'only' } },
    probe: { sql: 'SELECT name FROM "table"', up: [{ name: 'only' }] },
  },
  {
    // drizzle's case uses gin_trgm_ops (pg_trgm); the same shape with a core operator class.
    name: 'an index with an operator class added',
    peer: `${TABLES}::add index with op`,
    v1: users(`name: fields.TextField()`),
    v2: users(`name: fields.TextField()`, `indexes: [{ fields: ['name'], opclass: 'text_pattern_ops' }]`),
  },
  { name: 'a nullable column added', peer: `${COLUMNS}::add columns #1`, v1: users(``), seed: `INSERT INTO users DEFAULT VALUES`, v2: users(`name: fields.TextField({ null: true })`) },
  {
    name: 'two nullable columns added',
    peer: `${COLUMNS}::add columns #2`,
    v1: users(``),
    seed: `INSERT INTO users DEFAULT VALUES`,
    v2: users(`name: fields.TextField({ null: true }), email: fields.TextField({ null: true })`),
  },
  {
    name: 'a column renamed (rows carried)',
    peer: `${COLUMNS}::alter column change name #1`,
    v1: users(`name: fields.TextField({ null: true })`),
    seed: `INSERT INTO users (name) VALUES ('ada')`,
    v2: users(`name1: fields.TextField({ null: true })`),
    answers: { 'rename-column:users.name->users.name1': 'rename' },
    probe: { sql: 'SELECT * FROM users', up: [{ id: '1', name1: 'ada' }], down: [{ id: '1', name: 'ada' }] },
  },
  {
    name: 'a column renamed while another is added',
    peer: `${COLUMNS}::alter column change name #2`,
    v1: users(`name: fields.TextField({ null: true })`),
    seed: `INSERT INTO users (name) VALUES ('ada')`,
    v2: users(`name1: fields.TextField({ null: true }), email: fields.TextField({ null: true })`),
    answers: { 'rename-column:users.name->users.name1': 'rename' },
    probe: { sql: 'SELECT name1 FROM users', up: [{ name1: 'ada' }] },
  },
  {
    name: 'ON DELETE changed on three foreign keys to three tables',
    peer: `${COLUMNS}::add multiple constraints #1`,
    v1: refs(null),
    seed: `INSERT INTO t1 DEFAULT VALUES; INSERT INTO ref1 (id1) SELECT id FROM t1`,
    v2: refs(['cascade', 'set null', 'cascade']),
  },
  {
    name: 'ON DELETE changed on foreign keys from three tables to one',
    peer: `${COLUMNS}::add multiple constraints #3`,
    v1: model('T1', 't1', uuidPk) + ['ref1', 'ref2', 'ref3'].map((t, i) => model(`R${i}`, t, `id: fields.ForeignKey(() => T1, { null: true, column: 'ref_id' })`)).join(''),
    v2: model('T1', 't1', uuidPk) + ['ref1', 'ref2', 'ref3'].map((t, i) => model(`R${i}`, t, `id: fields.ForeignKey(() => T1, { null: true, column: 'ref_id', onDelete: '${i === 1 ? 'set null' : 'cascade'}' })`)).join(''),
  },
  {
    name: 'text and varchar defaults holding single quotes',
    peer: `${COLUMNS}::varchar and text default values escape single quotes`,
    v1: users(``),
    seed: `INSERT INTO users DEFAULT VALUES`,
    v2: users(`text: fields.TextField({ default: "escape's quotes" }), varchar: fields.CharField({ maxLength: 255, default: "escape's quotes" })`),
    answers: { 'backfill:users.text': { useDefault: true }, 'backfill:users.varchar': { useDefault: true } },
    probe: { sql: 'SELECT text, varchar FROM users', up: [{ text: "escape's quotes", varchar: "escape's quotes" }] },
  },
];

runCases('drizzle-kit: tables and columns', cases);
