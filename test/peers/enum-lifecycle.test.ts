/**
 * alembic-postgresql-enum's own cases (Pogchamp-company/alembic-postgresql-enum,
 * tests/), ported: an enum type created with the table or column that first
 * uses it, dropped with the last one, in plain and array columns, and a text
 * column turned into an enum column while rows hold its values.
 */
import { enumOf, model, runCases, type PeerCase } from './support/case-runner.js';

const APE = 'alembic-postgresql-enum tests';
const userStatus = enumOf('Status', 'user_status', ['active', 'passive']);
const carColor = enumOf('CarColor', 'car_color', ['black', 'white', 'red', 'green', 'blue', 'other']);
const usersWithStatus = model('User', 'users', `status: fields.ChoiceField({ choices: Status, null: true })`);
const usersWithout = model('User', 'users', ``);
const carsWithColors = model('Car', 'cars', `colors: fields.ArrayField(fields.ChoiceField({ choices: CarColor }), { null: true })`);
const carsWithout = model('Car', 'cars', ``);

const cases: PeerCase[] = [
  {
    name: 'an enum created with the column that uses it',
    peer: `${APE}/test_enum_creation/test_add_column.py::TestCreateEnumBeforeAddColumn`,
    v1: usersWithout,
    seed: `INSERT INTO users DEFAULT VALUES`,
    v2: userStatus + usersWithStatus,
    probe: { sql: 'SELECT * FROM users', up: [{ id: '1', status: null }], down: [{ id: '1' }] },
  },
  {
    name: 'an enum created with the array column that uses it',
    peer: `${APE}/test_enum_creation/test_add_column.py::test_create_enum_diff_tuple_with_array`,
    v1: carsWithout,
    seed: `INSERT INTO cars DEFAULT VALUES`,
    v2: carColor + carsWithColors,
  },
  {
    name: 'an enum created with the table that uses it',
    peer: `${APE}/test_enum_creation/test_create_table.py::TestCreateEnumOnCreateTable`,
    v1: '',
    v2: userStatus + usersWithStatus,
  },
  {
    name: 'an enum created with the table whose array column uses it',
    peer: `${APE}/test_enum_creation/test_create_array.py::TestCreateEnumOnCreateTableWithArray`,
    v1: '',
    v2: carColor + carsWithColors,
  },
  {
    name: 'an enum dropped with the last column that uses it (rows held values)',
    peer: `${APE}/test_enum_creation/test_drop_column.py::TestDeleteEnumAfterDropColumn`,
    v1: userStatus + usersWithStatus,
    seed: `INSERT INTO users (status) VALUES ('active')`,
    v2: usersWithout,
    answers: { 'destructive:column:users.status': { confirm: true } },
    // A downgrade brings the column back, not the values that were dropped with it.
    probe: { sql: 'SELECT * FROM users', up: [{ id: '1' }], down: [{ id: '1', status: null }] },
  },
  {
    name: 'an enum dropped with the last array column that uses it',
    peer: `${APE}/test_enum_creation/test_drop_column.py::TestDeleteEnumAfterDropColumnWithArray`,
    v1: carColor + carsWithColors,
    v2: carsWithout,
  },
  {
    name: 'an enum dropped with the table that uses it',
    peer: `${APE}/test_enum_creation/test_drop_table.py::TestDropEnumAfterDropTable`,
    v1: userStatus + usersWithStatus,
    v2: '',
  },
  {
    name: 'a text column turned into an enum column while rows hold its values',
    peer: `${APE}/test_alter_column/test_text_column.py::TestTextColumn`,
    v1: model('A', 'a', `value: fields.TextField({ null: true })`),
    seed: `INSERT INTO a (value) VALUES ('A'), ('B'), ('B'), ('C')`,
    v2: enumOf('NewEnum', 'newenum', ['A', 'B', 'C']) + model('A', 'a', `value: fields.ChoiceField({ choices: NewEnum, null: true })`),
    asks: ['alter-type:a.value'],
    // The answer names the type the same revision creates: tried against the rows with that type in place.
    answers: { 'alter-type:a.value': { using: 'value::newenum' } },
    probe: {
      sql: 'SELECT value::text AS value FROM a ORDER BY id',
      up: [{ value: 'A' }, { value: 'B' }, { value: 'B' }, { value: 'C' }],
      down: [{ value: 'A' }, { value: 'B' }, { value: 'B' }, { value: 'C' }],
    },
  },
];

runCases('alembic-postgresql-enum: enums created and dropped', cases);
