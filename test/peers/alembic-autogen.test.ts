/**
 * Alembic's autogenerate tests (tests/test_autogen_*.py, the shared suite in
 * alembic/testing/suite/test_autogen_*.py, tests/test_postgresql.py) ported
 * to our models: each case is the metadata change an Alembic test compares
 * against its database, run up, down and up again on both engines (see
 * support/peer-case.ts for what every case must show). Alembic's "no change"
 * tests become cases whose v2 writes the same thing differently (or not at
 * all): makemigrations must find nothing.
 */
import { expect } from 'vitest';
import type { PeerCase } from './support/peer-case.js';
import { model, peerSuite } from './support/peer-case.js';

const FK = 'alembic suite/test_autogen_fks.py::';
const IX = 'alembic test_autogen_indexes.py::';
const CK = 'alembic test_autogen_check_constraints.py::';
const CM = 'alembic suite/test_autogen_comments.py::';
const GC = 'alembic suite/test_autogen_computed.py::';
const ID = 'alembic suite/test_autogen_identity.py::';
const DF = 'alembic test_autogen_diffs.py::';
const SD = 'alembic suite/test_autogen_diffs.py::';
const PG = 'alembic test_postgresql.py::';

// Alembic's fixtures: a `user` table and an `address` table pointing at it.
const user = (f = `name: fields.CharField({ maxLength: 50 })`, extra = '') => model('User', 'users', f, extra);
const address = (fk: string, extra = '') =>
  model('Address', 'addresses', `email: fields.CharField({ maxLength: 50 }), user: fields.ForeignKey(() => User${fk ? `, { ${fk} }` : ''})`, extra);
const seedAddress = `INSERT INTO users (name) VALUES ('ed'); INSERT INTO addresses (email, user_id) VALUES ('ed@x.org', 1)`;
const item = (f: string, extra = '') => model('Item', 'items', f, extra);

const cases: PeerCase[] = [
  // Foreign keys
  {
    name: 'a foreign key constraint removed, its column kept',
    peer: `${FK}AutogenerateForeignKeysTest::test_remove_fk`,
    v1: user() + address(''),
    seed: seedAddress,
    v2: user() + model('Address', 'addresses', `email: fields.CharField({ maxLength: 50 }), user_id: fields.BigIntegerField()`),
    verify: async (p) => expect(await p.rows('SELECT user_id FROM addresses')).toEqual([{ user_id: '1' }]),
  },
  {
    name: 'a foreign key constraint added to an existing column',
    peer: `${FK}AutogenerateForeignKeysTest::test_add_fk`,
    v1: user() + model('Address', 'addresses', `email: fields.CharField({ maxLength: 50 }), user_id: fields.BigIntegerField()`),
    seed: seedAddress,
    v2: user() + address(''),
  },
  {
    name: 'ON DELETE CASCADE added',
    peer: `${FK}AutogenerateFKOptionsTest::test_add_ondelete`,
    v1: user() + address(''),
    seed: seedAddress,
    v2: user() + address(`onDelete: 'cascade'`),
  },
  {
    name: 'ON DELETE CASCADE removed',
    peer: `${FK}AutogenerateFKOptionsTest::test_remove_ondelete`,
    v1: user() + address(`onDelete: 'cascade'`),
    v2: user() + address(''),
  },
  {
    name: 'ON UPDATE CASCADE added',
    peer: `${FK}AutogenerateFKOptionsTest::test_add_onupdate`,
    v1: user() + address(''),
    v2: user() + address(`onUpdate: 'cascade'`),
  },
  {
    name: 'ON UPDATE CASCADE removed',
    peer: `${FK}AutogenerateFKOptionsTest::test_remove_onupdate`,
    v1: user() + address(`onUpdate: 'cascade'`),
    v2: user() + address(''),
  },
  {
    name: 'ON DELETE RESTRICT changed to CASCADE',
    peer: `${FK}AutogenerateFKOptionsTest::test_change_ondelete_from_restrict`,
    v1: user() + address(`onDelete: 'restrict'`),
    v2: user() + address(`onDelete: 'cascade'`),
  },
  {
    name: 'ON DELETE and ON UPDATE changed together',
    peer: `${FK}AutogenerateFKOptionsTest::test_ondelete_onupdate_combo`,
    v1: user() + address(`onDelete: 'set null', null: true`),
    v2: user() + address(`onDelete: 'cascade', onUpdate: 'set null', null: true`),
  },
  {
    name: 'ON DELETE RESTRICT and ON UPDATE NO ACTION unchanged',
    peer: `${FK}AutogenerateFKOptionsTest::test_nochange_ondelete_restrict`,
    v1: user() + address(`onDelete: 'restrict', onUpdate: 'no action'`),
    v2: user() + address(`onDelete: 'restrict', onUpdate: 'no action'`),
    noChange: true,
  },
  {
    name: 'a foreign key made DEFERRABLE INITIALLY DEFERRED',
    peer: `${FK}AutogenerateFKOptionsTest::test_add_initially_deferred`,
    v1: user() + address(''),
    seed: seedAddress,
    v2: user() + address(`deferrable: 'deferred'`),
  },
  {
    name: 'DEFERRABLE INITIALLY DEFERRED removed from a foreign key',
    peer: `${FK}AutogenerateFKOptionsTest::test_remove_initially_deferred`,
    v1: user() + address(`deferrable: 'deferred'`),
    v2: user() + address(''),
  },
  {
    name: 'a foreign key made DEFERRABLE INITIALLY IMMEDIATE',
    peer: `${FK}AutogenerateFKOptionsTest::test_add_initially_immediate_plus_deferrable`,
    v1: user() + address(''),
    v2: user() + address(`deferrable: 'immediate'`),
  },
  {
    name: 'a deferrable foreign key switched from immediate to deferred',
    peer: `${FK}AutogenerateFKOptionsTest::test_add_initially_deferrable_nochange_one`,
    v1: user() + address(`deferrable: 'immediate'`),
    v2: user() + address(`deferrable: 'deferred'`),
  },
  {
    name: 'a new table and a foreign key to it from an existing table',
    peer: `${DF}AutogenerateDiffOrderTest::test_diffs_order`,
    v1: item(`name: fields.CharField({ maxLength: 50 })`),
    seed: `INSERT INTO items (name) VALUES ('a')`,
    v2: model('Order', 'orders', `code: fields.CharField({ maxLength: 20 })`)
      + item(`name: fields.CharField({ maxLength: 50 }), order: fields.ForeignKey(() => Order, { null: true })`),
  },

  // Unique constraints and indexes
  {
    name: 'a plain index flag replaced by a unique one',
    peer: `${IX}AutogenerateUniqueIndexTest::test_index_flag_becomes_named_unique_constraint`,
    v1: user(`name: fields.CharField({ maxLength: 50, index: true })`),
    seed: `INSERT INTO users (name) VALUES ('ed')`,
    v2: user(`name: fields.CharField({ maxLength: 50, unique: true })`),
  },
  {
    name: 'a named unique constraint added',
    peer: `${IX}AutogenerateUniqueIndexTest::test_add_unique_constraint`,
    v1: user() + address(''),
    v2: user() + address('', `uniqueTogether: [{ fields: ['email', 'user'], name: 'uq_email_address' }]`),
  },
  {
    name: 'a plain index made unique',
    peer: `${IX}AutogenerateUniqueIndexTest::test_index_becomes_unique`,
    v1: item(`order_id: fields.IntegerField(), amount: fields.IntegerField()`, `indexes: [{ fields: ['order_id', 'amount'], name: 'order_user_id_amount_idx' }]`),
    seed: `INSERT INTO items (order_id, amount) VALUES (1, 2)`,
    v2: item(`order_id: fields.IntegerField(), amount: fields.IntegerField()`, `indexes: [{ fields: ['order_id', 'amount'], name: 'order_user_id_amount_idx', unique: true }]`),
  },
  {
    name: "a named unique constraint's columns changed",
    peer: `${IX}AutogenerateUniqueIndexTest::test_named_cols_changed`,
    v1: item(`a: fields.IntegerField(), b: fields.IntegerField()`, `uniqueTogether: [{ fields: ['a'], name: 'xidx' }]`),
    v2: item(`a: fields.IntegerField(), b: fields.IntegerField()`, `uniqueTogether: [{ fields: ['a', 'b'], name: 'xidx' }]`),
  },
  {
    name: 'a named unique index removed',
    peer: `${IX}AutogenerateUniqueIndexTest::test_remove_named_unique_index`,
    v1: item(`a: fields.IntegerField()`, `indexes: [{ fields: ['a'], name: 'xidx', unique: true }]`),
    v2: item(`a: fields.IntegerField()`),
  },
  {
    name: 'a named unique constraint removed',
    peer: `${IX}AutogenerateUniqueIndexTest::test_remove_named_unique_constraint`,
    v1: item(`a: fields.IntegerField()`, `uniqueTogether: [{ fields: ['a'], name: 'xidx' }]`),
    v2: item(`a: fields.IntegerField()`),
  },
  {
    name: 'an expression index added',
    peer: `${IX}AutogenerateExpressionIndexTest::test_expression_indexes_add`,
    v1: user(),
    seed: `INSERT INTO users (name) VALUES ('Ed')`,
    v2: user(undefined, `indexes: [{ expressions: ['lower(name)'], name: 'users_name_lower' }]`),
  },
  {
    name: "an expression index's expression changed",
    peer: `${IX}AutogenerateExpressionIndexTest::test_expression_indexes_changed`,
    v1: user(undefined, `indexes: [{ expressions: ['lower(name)'], name: 'users_name_fn' }]`),
    v2: user(undefined, `indexes: [{ expressions: ['upper(name)'], name: 'users_name_fn' }]`),
  },
  {
    name: 'an expression index written differently is no change',
    peer: `${IX}AutogenerateExpressionIndexTest::test_expression_indexes_no_change`,
    v1: user(undefined, `indexes: [{ expressions: ['lower(name)'], name: 'users_name_lower' }]`),
    v2: user(undefined, `indexes: [{ expressions: ['LOWER( "name" )'], name: 'users_name_lower' }]`),
    noChange: true,
  },
  {
    name: 'an expression index removed',
    peer: `${IX}AutogenerateExpressionIndexTest::test_expression_indexes_remove`,
    v1: user(undefined, `indexes: [{ expressions: ['lower(name)'], name: 'users_name_lower' }]`),
    v2: user(),
  },
  {
    name: 'a partial index added',
    peer: `${PG}PostgresqlOpTest::test_create_index_postgresql_where`,
    v1: item(`a: fields.IntegerField(), b: fields.IntegerField({ null: true })`),
    seed: `INSERT INTO items (a, b) VALUES (1, NULL)`,
    v2: item(`a: fields.IntegerField(), b: fields.IntegerField({ null: true })`, `indexes: [{ fields: ['a', 'b'], where: 'b IS NOT NULL AND a > 5', name: 'geocoded' }]`),
  },
  {
    name: 'an index on a jsonb expression added',
    peer: `${PG}PostgresqlAutogenRenderTest::test_jsonb_expression_in_index`,
    v1: item(`data: fields.JSONField({ null: true })`),
    seed: `INSERT INTO items (data) VALUES ('{"q": "x"}')`,
    v2: item(`data: fields.JSONField({ null: true })`, `indexes: [{ expressions: ["(data ->> 'q')"], name: 'items_data_q_idx' }]`),
  },
  {
    name: 'NULLS NOT DISTINCT added to a unique constraint',
    peer: `${PG}PGNullsNotDistinctAutogenerateTest::test_add`,
    v1: item(`a: fields.IntegerField({ null: true })`, `uniqueTogether: [{ fields: ['a'], name: 'items_a_key' }]`),
    seed: `INSERT INTO items (a) VALUES (NULL)`,
    v2: item(`a: fields.IntegerField({ null: true })`, `uniqueTogether: [{ fields: ['a'], name: 'items_a_key', nullsNotDistinct: true }]`),
    minMajor: 15,
  },
  {
    name: 'NULLS NOT DISTINCT removed from a unique index',
    peer: `${PG}PGNullsNotDistinctAutogenerateTest::test_remove`,
    v1: item(`a: fields.IntegerField({ null: true })`, `indexes: [{ fields: ['a'], unique: true, nullsNotDistinct: true, name: 'items_a_uq' }]`),
    v2: item(`a: fields.IntegerField({ null: true })`, `indexes: [{ fields: ['a'], unique: true, name: 'items_a_uq' }]`),
    minMajor: 15,
  },

  // CHECK constraints
  {
    name: 'a named check constraint added',
    peer: `${CK}AutogenCheckConstraintTest::test_add_check_constraint`,
    v1: item(`value: fields.IntegerField()`),
    seed: `INSERT INTO items (value) VALUES (5)`,
    v2: item(`value: fields.IntegerField()`, `checks: [{ name: 'ck_value_positive', sql: 'value > 0' }]`),
  },
  {
    name: 'a named check constraint removed',
    peer: `${CK}AutogenCheckConstraintTest::test_remove_check_constraint`,
    v1: item(`value: fields.IntegerField()`, `checks: [{ name: 'ck_value_positive', sql: 'value > 0' }]`),
    v2: item(`value: fields.IntegerField()`),
  },
  {
    name: "a check constraint's expression changed under the same name",
    peer: `${CK}AutogenCheckConstraintTest::test_compare_check_constraint_is_different`,
    v1: item(`value: fields.IntegerField()`, `checks: [{ name: 'ck_value', sql: 'value > 0' }]`),
    seed: `INSERT INTO items (value) VALUES (5)`,
    v2: item(`value: fields.IntegerField()`, `checks: [{ name: 'ck_value', sql: 'value > 1' }]`),
  },
  {
    name: 'two check constraints added at once',
    peer: `${CK}AutogenCheckConstraintTest::test_multiple_check_constraints`,
    v1: item(`value: fields.IntegerField(), other: fields.IntegerField()`),
    v2: item(`value: fields.IntegerField(), other: fields.IntegerField()`, `checks: [{ name: 'ck_value', sql: 'value > 0' }, { name: 'ck_other', sql: 'other < 100' }]`),
  },
  {
    name: 'one of two check constraints removed',
    peer: `${CK}AutogenCheckConstraintTest::test_remove_one_of_multiple`,
    v1: item(`value: fields.IntegerField(), other: fields.IntegerField()`, `checks: [{ name: 'ck_value', sql: 'value > 0' }, { name: 'ck_other', sql: 'other < 100' }]`),
    v2: item(`value: fields.IntegerField(), other: fields.IntegerField()`, `checks: [{ name: 'ck_value', sql: 'value > 0' }]`),
  },
  {
    name: 'an unnamed check constraint added (named by PostgreSQL’s rule)',
    peer: `${CK}AutogenCheckConstraintTest::test_unnamed_check_constraint_in_metadata_ignored`,
    v1: item(`value: fields.IntegerField()`),
    v2: item(`value: fields.IntegerField()`, `checks: [{ sql: 'value > 0' }]`),
  },
  {
    name: 'a check constraint written differently is no change',
    peer: `${CK}AutogenCheckConstraintTest::test_no_change_check_constraint`,
    v1: item(`value: fields.IntegerField()`, `checks: [{ name: 'ck_value', sql: 'value > 0' }]`),
    v2: item(`value: fields.IntegerField()`, `checks: [{ name: 'ck_value', sql: '(("value" > 0))' }]`),
    noChange: true,
  },

  // Comments
  {
    name: 'a column comment added',
    peer: `${CM}AutogenerateCommentsTest::test_add_column_comment`,
    v1: item(`amount: fields.IntegerField()`),
    v2: item(`amount: fields.IntegerField({ comment: 'the amount' })`),
  },
  {
    name: 'a column comment removed',
    peer: `${CM}AutogenerateCommentsTest::test_remove_column_comment`,
    v1: item(`amount: fields.IntegerField({ comment: 'the amount' })`),
    v2: item(`amount: fields.IntegerField()`),
  },
  {
    name: 'a column comment changed',
    peer: `${CM}AutogenerateCommentsTest::test_alter_column_comment`,
    v1: item(`amount: fields.IntegerField({ comment: 'the amount' })`),
    v2: item(`amount: fields.IntegerField({ comment: "the item's amount" })`),
  },
  {
    name: 'a column added with a comment',
    peer: `${PG}PostgresqlOpTest::test_add_column_with_comment`,
    v1: item(`amount: fields.IntegerField()`),
    v2: item(`amount: fields.IntegerField(), note: fields.TextField({ null: true, comment: 'free text' })`),
  },

  // Generated columns
  {
    name: 'a stored generated column added to a table with rows',
    peer: `${GC}AutogenerateComputedTest::test_add_computed_column`,
    v1: item(`foo: fields.IntegerField()`),
    seed: `INSERT INTO items (foo) VALUES (5)`,
    v2: item(`foo: fields.IntegerField(), bar: fields.IntegerField({ generated: 'foo * 5' })`),
    verify: async (p) => expect(await p.rows('SELECT bar FROM items')).toEqual([{ bar: 25 }]),
  },
  {
    name: 'a stored generated column removed',
    peer: `${GC}AutogenerateComputedTest::test_remove_computed_column`,
    v1: item(`foo: fields.IntegerField(), bar: fields.IntegerField({ generated: 'foo * 5' })`),
    seed: `INSERT INTO items (foo) VALUES (5)`,
    v2: item(`foo: fields.IntegerField()`),
    answers: { 'destructive:column:items.bar': { confirm: true } },
  },
  {
    name: "a generated column's expression changed",
    peer: `${GC}AutogenerateComputedTest::test_cant_change_computed_warning`,
    v1: item(`foo: fields.IntegerField(), bar: fields.IntegerField({ generated: 'foo * 5' })`),
    seed: `INSERT INTO items (foo) VALUES (5)`,
    v2: item(`foo: fields.IntegerField(), bar: fields.IntegerField({ generated: 'foo * 6' })`),
    verify: async (p) => expect(await p.rows('SELECT bar FROM items')).toEqual([{ bar: 30 }]),
  },
  {
    name: 'a generated column written differently is no change',
    peer: `${GC}AutogenerateComputedTest::test_computed_unchanged`,
    v1: item(`foo: fields.IntegerField(), bar: fields.IntegerField({ generated: 'foo * 5' })`),
    v2: item(`foo: fields.IntegerField(), bar: fields.IntegerField({ generated: '(("foo" * 5))' })`),
    noChange: true,
  },

  // Identity
  {
    name: 'a table with an identity ALWAYS key added',
    peer: `${ID}AutogenerateIdentityTest::test_add_identity_column`,
    v1: '',
    v2: item(`id: fields.IntegerField({ primaryKey: true, identity: 'always' }), name: fields.CharField({ maxLength: 10 })`),
  },
  {
    name: 'identity switched from BY DEFAULT to ALWAYS',
    peer: `${ID}AutogenerateIdentityTest::test_change_identity`,
    v1: item(`id: fields.BigIntegerField({ primaryKey: true, identity: 'by default' }), name: fields.CharField({ maxLength: 10 })`),
    seed: `INSERT INTO items (name) VALUES ('a')`,
    v2: item(`id: fields.BigIntegerField({ primaryKey: true, identity: 'always' }), name: fields.CharField({ maxLength: 10 })`),
  },
  {
    name: 'identity added to an integer key with rows',
    peer: `${ID}AutogenerateIdentityTest::test_add_identity_to_column`,
    v1: item(`id: fields.IntegerField({ primaryKey: true }), name: fields.CharField({ maxLength: 10 })`),
    seed: `INSERT INTO items (id, name) VALUES (41, 'a')`,
    v2: item(`id: fields.IntegerField({ primaryKey: true, identity: 'by default' }), name: fields.CharField({ maxLength: 10 })`),
    verify: async (p) => expect(await p.rows(`INSERT INTO items (name) VALUES ('b') RETURNING id`)).toEqual([{ id: 42 }]),
  },
  {
    name: 'identity removed from an integer key',
    peer: `${ID}AutogenerateIdentityTest::test_remove_identity_from_column`,
    v1: item(`id: fields.IntegerField({ primaryKey: true, identity: 'always' }), name: fields.CharField({ maxLength: 10 })`),
    seed: `INSERT INTO items (name) VALUES ('a')`,
    v2: item(`id: fields.IntegerField({ primaryKey: true }), name: fields.CharField({ maxLength: 10 })`),
  },

  // Columns
  {
    name: 'a server default changed',
    peer: `${SD}AlterColumnTest::test_all_existings_filled_in_server_default`,
    v1: item(`a: fields.IntegerField({ serverDefault: '5' })`),
    v2: item(`a: fields.IntegerField({ serverDefault: '7' })`),
  },
  {
    name: 'a column made NOT NULL, NULLs filled with a value',
    peer: `${SD}AlterColumnTest::test_all_existings_filled_in_notnull`,
    v1: item(`a: fields.IntegerField({ null: true })`),
    seed: `INSERT INTO items (a) VALUES (NULL), (3)`,
    v2: item(`a: fields.IntegerField()`),
    answers: { 'backfill:items.a': { value: 0 } },
    verify: async (p) => expect(await p.rows('SELECT a FROM items ORDER BY id')).toEqual([{ a: 0 }, { a: 3 }]),
  },
  {
    name: 'a blank string default added',
    peer: `${PG}PostgresqlDefaultCompareTest::test_compare_string_blank_default`,
    v1: item(`name: fields.CharField({ maxLength: 50 })`),
    v2: item(`name: fields.CharField({ maxLength: 50, default: '' })`),
  },
  {
    name: 'an interval default written differently is no change',
    peer: `${PG}PostgresqlDefaultCompareTest::test_compare_interval_str`,
    v1: item(`d: fields.DurationField({ serverDefault: "'5 days'" })`),
    v2: item(`d: fields.DurationField({ serverDefault: "'5 days'::interval" })`),
    noChange: true,
  },
  {
    name: 'a float default written differently is no change',
    peer: `${PG}PostgresqlDefaultCompareTest::test_compare_float_no_diff1`,
    v1: item(`f: fields.FloatField({ serverDefault: '5.2' })`),
    v2: item(`f: fields.FloatField({ serverDefault: '5.2::double precision' })`),
    noChange: true,
  },
  {
    name: 'a text column converted to integer with USING',
    peer: `${PG}PostgresqlOpTest::test_alter_column_type_using`,
    v1: item(`code: fields.CharField({ maxLength: 10 })`),
    seed: `INSERT INTO items (code) VALUES ('42')`,
    v2: item(`code: fields.IntegerField()`),
    answers: { 'alter-type:items.code': { using: 'code::integer' } },
    verify: async (p) => expect(await p.rows('SELECT code FROM items')).toEqual([{ code: 42 }]),
  },
  {
    name: 'a table renamed',
    peer: `${PG}PostgresqlOpTest::test_rename_table_postgresql`,
    v1: item(`name: fields.CharField({ maxLength: 10, unique: true })`, `indexes: [{ fields: ['name'], where: "name <> ''" }]`),
    seed: `INSERT INTO items (name) VALUES ('a')`,
    v2: model('Item', 'products', `name: fields.CharField({ maxLength: 10, unique: true })`, `indexes: [{ fields: ['name'], where: "name <> ''" }]`),
    answers: { 'rename-table:items->products': 'rename' },
  },
];

peerSuite('Alembic autogenerate cases', cases);
