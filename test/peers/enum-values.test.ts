/**
 * alembic-postgresql-enum's own cases (Pogchamp-company/alembic-postgresql-enum,
 * tests/), ported: enum values added, removed, renamed and reordered, with
 * rows holding them, in plain and array columns, behind defaults and partial
 * unique indexes, and one enum shared by several tables and columns.
 */
import { enumOf, model, runCases, type PeerCase } from './support/case-runner.js';

const APE = 'alembic-postgresql-enum tests';
const userStatus = (values: string[]) => enumOf('Status', 'user_status', values);
const users = (nullable = true) => model('User', 'users', `status: fields.ChoiceField({ choices: Status${nullable ? ', null: true' : ''} })`);
const carColor = (values: string[]) => enumOf('CarColor', 'car_color', values);
const cars = (extra = '') => model('Car', 'cars', `colors: fields.ArrayField(fields.ChoiceField({ choices: CarColor }), { null: true${extra} })`);
const COLORS = ['black', 'white', 'red', 'green', 'blue', 'other'];

const cases: PeerCase[] = [
  {
    name: 'a value added to an enum a column uses',
    peer: `${APE}/sync_enum_values/test_render.py::test_add_new_enum_value_diff_tuple`,
    v1: userStatus(['active', 'passive']) + users(),
    seed: `INSERT INTO users (status) VALUES ('active'), ('passive'), (NULL)`,
    v2: userStatus(['active', 'passive', 'banned']) + users(),
    probe: {
      sql: 'SELECT status FROM users ORDER BY id',
      up: [{ status: 'active' }, { status: 'passive' }, { status: null }],
      down: [{ status: 'active' }, { status: 'passive' }, { status: null }],
    },
  },
  {
    name: 'a value removed while rows hold it, mapped to another',
    peer: `${APE}/sync_enum_values/test_render.py::test_remove_enum_value_diff_tuple`,
    v1: userStatus(['active', 'passive', 'banned']) + users(),
    seed: `INSERT INTO users (status) VALUES ('active'), ('banned')`,
    v2: userStatus(['active', 'passive']) + users(),
    answers: { 'enum-remove:user_status.banned': { mapTo: 'passive' } },
    // A mapped value is gone for good: the downgrade brings the value back, not the rows' old value.
    probe: {
      sql: 'SELECT status FROM users ORDER BY id',
      up: [{ status: 'active' }, { status: 'passive' }],
      down: [{ status: 'active' }, { status: 'passive' }],
    },
  },
  {
    name: 'a value renamed while rows hold it',
    peer: `${APE}/sync_enum_values/test_run_sync_enum_values.py::test_sync_enum_values_with_renamed_value`,
    v1: userStatus(['active', 'passive']) + users(),
    seed: `INSERT INTO users (status) VALUES ('active'), ('passive')`,
    v2: userStatus(['active', 'inactive']) + users(),
    answers: { 'enum-remove:user_status.passive': { renameTo: 'inactive' } },
    probe: {
      sql: 'SELECT status FROM users ORDER BY id',
      up: [{ status: 'active' }, { status: 'inactive' }],
      down: [{ status: 'active' }, { status: 'passive' }],
    },
  },
  {
    name: 'a value removed and another appended: the rename answer',
    peer: `${APE}/sync_enum_values/test_render.py::test_rename_enum_value_diff_tuple`,
    v1: userStatus(['active', 'passive', 'banned']) + users(false),
    seed: `INSERT INTO users (status) VALUES ('banned'), ('passive')`,
    v2: userStatus(['active', 'passive', 'inactive']) + users(false),
    answers: { 'enum-remove:user_status.banned': { renameTo: 'inactive' } },
    probe: {
      sql: 'SELECT status FROM users ORDER BY id',
      up: [{ status: 'inactive' }, { status: 'passive' }],
      down: [{ status: 'banned' }, { status: 'passive' }],
    },
  },
  {
    name: 'a value removed while rows hold it: those rows deleted',
    peer: `${APE}/sync_enum_values/test_run_sync_enum_values.py::test_sync_enum_values_raise_custom_exception`,
    v1: userStatus(['active', 'passive', 'banned']) + users(),
    seed: `INSERT INTO users (status) VALUES ('active'), ('passive'), ('banned')`,
    v2: userStatus(['active', 'passive']) + users(),
    answers: { 'enum-remove:user_status.banned': { deleteRows: true } },
    probe: {
      sql: 'SELECT status FROM users ORDER BY id',
      up: [{ status: 'active' }, { status: 'passive' }],
      down: [{ status: 'active' }, { status: 'passive' }],
    },
  },
  {
    name: 'a value removed while rows hold it: set to NULL',
    peer: `${APE}/sync_enum_values/test_render.py::test_remove_enum_value_diff_tuple`,
    v1: userStatus(['active', 'passive', 'banned']) + users(),
    seed: `INSERT INTO users (status) VALUES ('banned'), ('active')`,
    v2: userStatus(['active', 'passive']) + users(),
    answers: { 'enum-remove:user_status.banned': { setNull: true } },
    probe: {
      sql: 'SELECT status FROM users ORDER BY id',
      up: [{ status: null }, { status: 'active' }],
      down: [{ status: null }, { status: 'active' }],
    },
  },
  {
    name: 'values reordered',
    peer: `${APE}/sync_enum_values/test_reorder.py::TestEnumValuesReorderingDoNotIgnoreValuesOrder`,
    v1: userStatus(['active', 'passive']) + users(),
    seed: `INSERT INTO users (status) VALUES ('passive'), ('active')`,
    v2: userStatus(['passive', 'active']) + users(),
    probe: {
      sql: `SELECT status, status < 'active' AS first FROM users ORDER BY id`,
      up: [{ status: 'passive', first: true }, { status: 'active', first: false }],
      down: [{ status: 'passive', first: false }, { status: 'active', first: false }],
    },
  },
  {
    name: 'a value added to an enum an array column uses',
    peer: `${APE}/sync_enum_values/test_array_column.py::TestAddNewEnumValueRenderWithArray`,
    v1: carColor(COLORS) + cars(),
    seed: `INSERT INTO cars (colors) VALUES ('{black}'), ('{white,red}')`,
    v2: carColor([...COLORS, 'violet']) + cars(),
    probe: {
      sql: 'SELECT colors::text AS colors FROM cars ORDER BY id',
      up: [{ colors: '{black}' }, { colors: '{white,red}' }],
      down: [{ colors: '{black}' }, { colors: '{white,red}' }],
    },
  },
  {
    name: 'a value removed from an enum array rows hold, mapped to another',
    peer: `${APE}/sync_enum_values/test_array_column.py::test_remove_enum_value_diff_tuple_with_array`,
    v1: carColor(['black', 'white', 'red', 'green', 'blue', 'violet', 'other']) + cars(),
    seed: `INSERT INTO cars (colors) VALUES ('{black}'), ('{white,violet}')`,
    v2: carColor(COLORS) + cars(),
    answers: { 'enum-remove:car_color.violet': { mapTo: 'other' } },
    probe: {
      sql: 'SELECT colors::text AS colors FROM cars ORDER BY id',
      up: [{ colors: '{black}' }, { colors: '{white,other}' }],
      down: [{ colors: '{black}' }, { colors: '{white,other}' }],
    },
  },
  {
    name: 'a value renamed inside enum arrays rows hold',
    peer: `${APE}/sync_enum_values/test_run_sync_enum_values.py::test_sync_enum_values_with_renamed_value_with_array`,
    v1: carColor(['black', 'white', 'red', 'green', 'blue', 'violet', 'other']) + cars(),
    seed: `INSERT INTO cars (colors) VALUES ('{black}'), ('{white,violet}')`,
    v2: carColor(['black', 'white', 'red', 'green', 'blue', 'other', 'purple']) + cars(),
    answers: { 'enum-remove:car_color.violet': { renameTo: 'purple' } },
    probe: {
      sql: 'SELECT colors::text AS colors FROM cars ORDER BY id',
      up: [{ colors: '{black}' }, { colors: '{white,purple}' }],
      down: [{ colors: '{black}' }, { colors: '{white,violet}' }],
    },
  },
  {
    name: 'a value renamed in an enum array: green out, violet in',
    peer: `${APE}/sync_enum_values/test_array_column.py::test_rename_enum_value_diff_tuple_with_array`,
    v1: carColor(COLORS) + cars(),
    seed: `INSERT INTO cars (colors) VALUES ('{green,green}'), ('{}')`,
    v2: carColor(['black', 'white', 'red', 'blue', 'other', 'violet']) + cars(),
    answers: { 'enum-remove:car_color.green': { renameTo: 'violet' } },
    probe: {
      sql: 'SELECT colors::text AS colors FROM cars ORDER BY id',
      up: [{ colors: '{violet,violet}' }, { colors: '{}' }],
      down: [{ colors: '{green,green}' }, { colors: '{}' }],
    },
  },
  {
    name: 'a value added where the column is named with a keyword ("case")',
    peer: `${APE}/sync_enum_values/test_exotic_column_name.py::TestExoticColumnNameRender`,
    v1: userStatus(['active', 'passive']) + model('User', 'users', `case: fields.ChoiceField({ choices: Status, null: true })`),
    seed: `INSERT INTO users ("case") VALUES ('passive')`,
    v2: userStatus(['active', 'passive', 'banned']) + model('User', 'users', `case: fields.ChoiceField({ choices: Status, null: true })`),
  },
  {
    name: 'a value added to an enum type named with a keyword ("type")',
    peer: `${APE}/sync_enum_values/test_exotic_enum_name.py::TestExoticColumnNameRender`,
    v1: enumOf('Status', 'type', ['active', 'passive']) + users(),
    seed: `INSERT INTO users (status) VALUES ('passive')`,
    v2: enumOf('Status', 'type', ['active', 'passive', 'banned']) + users(),
  },
  {
    name: 'a value with spaces removed while rows hold it (public schema)',
    peer: `${APE}/sync_enum_values/test_exotic_schema_name.py::TestExoticSchemaNameRender`,
    v1: enumOf('Dealers', 'dealers', ['Walter White', 'Jesse Pinkman', 'Tuco'])
      + model('Pricing', 'pricing', `dealer: fields.ChoiceField({ choices: Dealers, null: true })`),
    seed: `INSERT INTO pricing (dealer) VALUES ('Tuco'), ('Walter White')`,
    v2: enumOf('Dealers', 'dealers', ['Walter White', 'Jesse Pinkman'])
      + model('Pricing', 'pricing', `dealer: fields.ChoiceField({ choices: Dealers, null: true })`),
    answers: { 'enum-remove:dealers.Tuco': { mapTo: 'Jesse Pinkman' } },
    probe: {
      sql: 'SELECT dealer FROM pricing ORDER BY id',
      up: [{ dealer: 'Jesse Pinkman' }, { dealer: 'Walter White' }],
      down: [{ dealer: 'Jesse Pinkman' }, { dealer: 'Walter White' }],
    },
  },
  {
    name: 'a value added while another value is the column default',
    peer: `${APE}/sync_enum_values/test_render.py::TestServerDefault`,
    v1: enumOf('MyEnum', 'my_enum', ['one', 'two', 'three'])
      + model('Example', 'example_table', `test_field: fields.IntegerField({ primaryKey: true }), enum_field: fields.ChoiceField({ choices: MyEnum, null: true, default: 'one' })`),
    seed: `INSERT INTO example_table (test_field) VALUES (1)`,
    v2: enumOf('MyEnum', 'my_enum', ['one', 'two', 'three', 'four'])
      + model('Example', 'example_table', `test_field: fields.IntegerField({ primaryKey: true }), enum_field: fields.ChoiceField({ choices: MyEnum, null: true, default: 'one' })`),
    probe: { sql: 'SELECT enum_field FROM example_table', up: [{ enum_field: 'one' }], down: [{ enum_field: 'one' }] },
  },
  {
    name: 'a value added while the column has a raw server default',
    peer: `${APE}/sync_enum_values/test_run_sync_enum_values.py::test_sync_enum_values_with_server_default`,
    v1: enumOf('OrderStatus', 'order_status', ['active', 'passive'])
      + model('Order', 'orders', `status: fields.ChoiceField({ choices: OrderStatus, null: true, serverDefault: "'active'" })`),
    seed: `INSERT INTO orders DEFAULT VALUES`,
    v2: enumOf('OrderStatus', 'order_status', ['active', 'passive', 'banned'])
      + model('Order', 'orders', `status: fields.ChoiceField({ choices: OrderStatus, null: true, serverDefault: "'active'" })`),
  },
  {
    name: 'the value that is the column default renamed',
    peer: `${APE}/sync_enum_values/test_run_sync_enum_values.py::test_sync_enum_values_with_server_default_renamed`,
    v1: enumOf('OrderStatus', 'order_status', ['active', 'passive'])
      + model('Order', 'orders', `status: fields.ChoiceField({ choices: OrderStatus, null: true, default: 'passive' })`),
    seed: `INSERT INTO orders DEFAULT VALUES`,
    v2: enumOf('OrderStatus', 'order_status', ['active', 'inactive'])
      + model('Order', 'orders', `status: fields.ChoiceField({ choices: OrderStatus, null: true, default: 'inactive' })`),
    answers: { 'enum-remove:order_status.passive': { renameTo: 'inactive' } },
    probe: { sql: 'SELECT status FROM orders', up: [{ status: 'inactive' }], down: [{ status: 'passive' }] },
  },
  {
    name: 'a value added while two array columns default to enum arrays, one of them new',
    peer: `${APE}/sync_enum_values/test_run_array_new_column.py::TestNewArrayColumnColumn`,
    v1: enumOf('MyEnum', 'my_enum', ['A', 'B'])
      + model('A', 'a', ``)
      + model('B', 'b', `value: fields.ArrayField(fields.ChoiceField({ choices: MyEnum }), { null: true, default: ['A', 'B'] })`),
    seed: `INSERT INTO a DEFAULT VALUES; INSERT INTO b DEFAULT VALUES`,
    v2: enumOf('MyEnum', 'my_enum', ['A', 'B', 'C'])
      + model('A', 'a', `value: fields.ArrayField(fields.ChoiceField({ choices: MyEnum }), { null: true, default: ['A', 'B'] })`)
      + model('B', 'b', `value: fields.ArrayField(fields.ChoiceField({ choices: MyEnum }), { null: true, default: ['A', 'B'] })`),
    probe: { sql: 'SELECT value::text AS value FROM b', up: [{ value: '{A,B}' }], down: [{ value: '{A,B}' }] },
  },
  {
    name: "a value renamed that a partial unique index's WHERE compares with (=)",
    peer: `${APE}/test_constraints/test_unique.py::test_sync_enum_values_unique_column_with_equals`,
    v1: enumOf('Role', 'user_role', ['admin', 'writer'])
      + model('User', 'users', `role: fields.ChoiceField({ choices: Role, null: true })`, `indexes: [{ fields: ['role'], unique: true, where: "role = 'admin'", name: 'admin_unique' }]`),
    seed: `INSERT INTO users (role) VALUES ('admin'), ('writer'), (NULL)`,
    v2: enumOf('Role', 'user_role', ['administrator', 'writer'])
      + model('User', 'users', `role: fields.ChoiceField({ choices: Role, null: true })`, `indexes: [{ fields: ['role'], unique: true, where: "role = 'administrator'", name: 'admin_unique' }]`),
    answers: { 'enum-remove:user_role.admin': { renameTo: 'administrator' } },
    probe: {
      sql: 'SELECT role FROM users ORDER BY id',
      up: [{ role: 'administrator' }, { role: 'writer' }, { role: null }],
      down: [{ role: 'admin' }, { role: 'writer' }, { role: null }],
    },
  },
  {
    name: "a value renamed that a partial unique index's WHERE compares with (<>)",
    peer: `${APE}/test_constraints/test_unique.py::test_sync_enum_values_unique_column_with_not_equals`,
    v1: enumOf('Role', 'user_role', ['admin', 'writer'])
      + model('User', 'users', `role: fields.ChoiceField({ choices: Role, null: true })`, `indexes: [{ fields: ['role'], unique: true, where: "role <> 'admin'", name: 'admin_unique' }]`),
    seed: `INSERT INTO users (role) VALUES ('admin'), ('admin'), ('writer'), (NULL)`,
    v2: enumOf('Role', 'user_role', ['administrator', 'writer'])
      + model('User', 'users', `role: fields.ChoiceField({ choices: Role, null: true })`, `indexes: [{ fields: ['role'], unique: true, where: "role <> 'administrator'", name: 'admin_unique' }]`),
    answers: { 'enum-remove:user_role.admin': { renameTo: 'administrator' } },
    probe: {
      sql: 'SELECT role FROM users ORDER BY id',
      up: [{ role: 'administrator' }, { role: 'administrator' }, { role: 'writer' }, { role: null }],
      down: [{ role: 'admin' }, { role: 'admin' }, { role: 'writer' }, { role: null }],
    },
  },
  {
    name: 'a value removed from an enum three columns of two tables use',
    peer: `${APE}/get_enum_data/test_get_declared_enums.py + schemas.py::get_declared_enum_values_with_orders_and_users`,
    v1: enumOf('UserStatus', 'user_status_enum', ['active', 'inactive', 'banned'])
      + model('User', 'users', `user_status: fields.ChoiceField({ choices: UserStatus }), last_user_status: fields.ChoiceField({ choices: UserStatus, null: true })`)
      + model('Order', 'orders', `user_status: fields.ChoiceField({ choices: UserStatus, default: 'banned' })`),
    seed: `INSERT INTO users (user_status, last_user_status) VALUES ('banned', 'banned'), ('active', NULL);
           INSERT INTO orders (user_status) VALUES ('banned'), ('inactive')`,
    v2: enumOf('UserStatus', 'user_status_enum', ['active', 'inactive'])
      + model('User', 'users', `user_status: fields.ChoiceField({ choices: UserStatus }), last_user_status: fields.ChoiceField({ choices: UserStatus, null: true })`)
      + model('Order', 'orders', `user_status: fields.ChoiceField({ choices: UserStatus, default: 'inactive' })`),
    answers: { 'enum-remove:user_status_enum.banned': { mapTo: 'inactive' } },
    probe: {
      sql: `SELECT 'u' AS t, user_status::text AS s, last_user_status::text AS l FROM users UNION ALL SELECT 'o', user_status::text, NULL FROM orders ORDER BY 1, 2`,
      up: [{ t: 'o', s: 'inactive', l: null }, { t: 'o', s: 'inactive', l: null }, { t: 'u', s: 'active', l: null }, { t: 'u', s: 'inactive', l: 'inactive' }],
      down: [{ t: 'o', s: 'inactive', l: null }, { t: 'o', s: 'inactive', l: null }, { t: 'u', s: 'active', l: null }, { t: 'u', s: 'inactive', l: 'inactive' }],
    },
  },
];

runCases('alembic-postgresql-enum: enum values', cases);
