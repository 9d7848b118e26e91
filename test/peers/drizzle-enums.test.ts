/**
 * drizzle-kit's enum cases (drizzle-team/drizzle-orm,
 * drizzle-kit/tests/pg-enums.test.ts and pg-array.test.ts), ported: enum
 * types created, dropped, renamed, given values (at the end and in the
 * middle), values dropped and shuffled while columns, arrays and defaults use
 * them, and columns moved between text, varchar and enum types with rows.
 */
import { enumOf, model, runCases, type PeerCase } from './support/case-runner.js';

const DK = 'drizzle-kit tests/pg-enums.test.ts';
const E = (values: string[], typeName = 'enum') => enumOf('E', typeName, values);
/** The peers' table named "table" (a keyword) with one column named "column" (another). */
const table = (field: string) => model('T', 'table', `column: ${field}`);
const choice = (opts = '') => `fields.ChoiceField({ choices: E, null: true${opts} })`;
const choices = (opts = '') => `fields.ArrayField(fields.ChoiceField({ choices: E }), { null: true${opts} })`;
const V123 = ['value1', 'value2', 'value3'];
const V132 = ['value1', 'value3', 'value2'];
const columnText = 'SELECT "column"::text AS c FROM "table" ORDER BY id';

const cases: PeerCase[] = [
  { name: 'an enum type created on its own', peer: `${DK}::enums #1`, v1: '', v2: E(['value']) },
  { name: 'an enum type dropped', peer: `${DK}::enums #3`, v1: E(['value']), v2: model('T', 'others', ``) },
  { name: 'a value appended', peer: `${DK}::enums #7`, v1: E(['value1']), v2: E(['value1', 'value2']) },
  { name: 'two values appended', peer: `${DK}::enums #8`, v1: E(['value1']), v2: E(['value1', 'value2', 'value3']) },
  {
    name: 'a value inserted before another (rows keep their order)',
    peer: `${DK}::enums #9`,
    v1: E(['value1', 'value3']) + table(choice()),
    seed: `INSERT INTO "table" ("column") VALUES ('value3'), ('value1')`,
    v2: E(['value1', 'value2', 'value3']) + table(choice()),
    probe: {
      sql: `SELECT "column"::text AS c, "column" > 'value1' AS after1 FROM "table" ORDER BY "column"`,
      up: [{ c: 'value1', after1: false }, { c: 'value3', after1: true }],
      down: [{ c: 'value1', after1: false }, { c: 'value3', after1: true }],
    },
  },
  {
    name: 'an enum type renamed',
    peer: `${DK}::enums #13`,
    v1: E(['value1'], 'enum1'),
    v2: E(['value1'], 'enum2'),
    answers: { 'rename-enum:enum1->enum2': 'rename' },
  },
  {
    name: 'an enum type renamed while a column uses it and rows hold it',
    peer: `${DK}::enums #16`,
    v1: E(['value1'], 'enum1') + table(choice()),
    seed: `INSERT INTO "table" ("column") VALUES ('value1')`,
    v2: E(['value1'], 'enum2') + table(choice()),
    answers: { 'rename-enum:enum1->enum2': 'rename' },
    probe: { sql: columnText, up: [{ c: 'value1' }], down: [{ c: 'value1' }] },
  },
  {
    name: 'a value holding a quote',
    peer: `${DK}::enums #19`,
    v1: '',
    v2: enumOf('E', 'my_enum', ["escape's quotes"]) + table(choice(`, default: "escape's quotes"`)),
  },
  {
    name: 'an enum column and an integer column added',
    peer: `${DK}::enums #20`,
    v1: enumOf('E', 'my_enum', ['one', 'two', 'three']) + model('T', 'table', ``),
    seed: `INSERT INTO "table" DEFAULT VALUES`,
    v2: enumOf('E', 'my_enum', ['one', 'two', 'three']) + model('T', 'table', `col1: ${choice()}, col2: fields.IntegerField({ null: true })`),
  },
  {
    name: 'an enum array column and an integer array column added',
    peer: `${DK}::enums #21`,
    v1: enumOf('E', 'my_enum', ['one', 'two', 'three']) + model('T', 'table', ``),
    seed: `INSERT INTO "table" DEFAULT VALUES`,
    v2: enumOf('E', 'my_enum', ['one', 'two', 'three'])
      + model('T', 'table', `col1: ${choices()}, col2: fields.ArrayField(fields.IntegerField(), { null: true })`),
  },
  { name: 'a value dropped from an enum no column uses', peer: `${DK}::drop enum value`, v1: E(V123), v2: E(['value1', 'value3']) },
  {
    name: 'a value dropped from an enum two tables use, rows mapped',
    peer: `${DK}::drop enum value. enum is columns data type`,
    v1: E(V123) + table(choice()) + model('T2', 'table2', `column: ${choice()}`),
    seed: `INSERT INTO "table" ("column") VALUES ('value2'), ('value3'); INSERT INTO table2 ("column") VALUES ('value2')`,
    v2: E(['value1', 'value3']) + table(choice()) + model('T2', 'table2', `column: ${choice()}`),
    answers: { 'enum-remove:enum.value2': { mapTo: 'value1' } },
    probe: {
      sql: `SELECT "column"::text AS c FROM "table" UNION ALL SELECT "column"::text FROM table2 ORDER BY 1`,
      up: [{ c: 'value1' }, { c: 'value1' }, { c: 'value3' }],
      down: [{ c: 'value1' }, { c: 'value1' }, { c: 'value3' }],
    },
  },
  {
    name: 'values shuffled while two tables use the enum',
    peer: `${DK}::shuffle enum values`,
    v1: E(V123) + table(choice()) + model('T2', 'table2', `column: ${choice()}`),
    seed: `INSERT INTO "table" ("column") VALUES ('value2'), ('value3'); INSERT INTO table2 ("column") VALUES ('value3')`,
    v2: E(V132) + table(choice()) + model('T2', 'table2', `column: ${choice()}`),
    probe: {
      sql: `SELECT "column"::text AS c FROM "table" UNION ALL SELECT "column"::text FROM table2 ORDER BY 1`,
      up: [{ c: 'value2' }, { c: 'value3' }, { c: 'value3' }],
      down: [{ c: 'value2' }, { c: 'value3' }, { c: 'value3' }],
    },
  },
  {
    name: 'an enum given as a TypeScript string enum',
    peer: `${DK}::enums as ts enum`,
    v1: '',
    v2: `enum Test { value = 'value' }\n` + model('T', 'table', `column: fields.ChoiceField({ choices: Test, enumName: 'enum', null: true })`),
  },
  {
    name: 'values shuffled while a column defaults to one of them',
    peer: `${DK}::column is enum type with default value. shuffle enum`,
    v1: E(V123) + table(choice(`, default: 'value2'`)),
    seed: `INSERT INTO "table" DEFAULT VALUES; INSERT INTO "table" ("column") VALUES ('value3')`,
    v2: E(V132) + table(choice(`, default: 'value2'`)),
    probe: { sql: columnText, up: [{ c: 'value2' }, { c: 'value3' }], down: [{ c: 'value2' }, { c: 'value3' }] },
  },
  {
    name: 'values shuffled while an enum array column defaults to an array, default changed',
    peer: `${DK}::column is array enum type with default value. shuffle enum`,
    v1: E(V123) + table(choices(`, default: ['value2']`)),
    seed: `INSERT INTO "table" DEFAULT VALUES`,
    v2: E(V132) + table(choices(`, default: ['value3']`)),
    probe: { sql: columnText, up: [{ c: '{value2}' }], down: [{ c: '{value2}' }] },
  },
  {
    name: 'values shuffled while an enum array column holds rows',
    peer: `${DK}::column is array enum with custom size type. shuffle enum`,
    v1: E(V123) + table(choices()),
    seed: `INSERT INTO "table" ("column") VALUES ('{value3,value1}')`,
    v2: E(V132) + table(choices()),
    probe: { sql: columnText, up: [{ c: '{value3,value1}' }], down: [{ c: '{value3,value1}' }] },
  },
  {
    name: 'a default added to an enum column',
    peer: `${DK}::column is enum type without default value. add default to column`,
    v1: E(['value1', 'value3']) + table(choice()),
    v2: E(['value1', 'value3']) + table(choice(`, default: 'value3'`)),
  },
  {
    name: 'a varchar column turned into an enum column',
    peer: `${DK}::change data type from standart type to enum`,
    v1: E(['value1', 'value3']) + table(`fields.CharField({ maxLength: 20, null: true })`),
    seed: `INSERT INTO "table" ("column") VALUES ('value3'), (NULL)`,
    v2: E(['value1', 'value3']) + table(choice()),
    answers: { 'alter-type:table.column': { using: '"column"::enum' } },
    probe: { sql: columnText, up: [{ c: 'value3' }, { c: null }], down: [{ c: 'value3' }, { c: null }] },
  },
  {
    name: 'a varchar column with a default turned into an enum column with another default',
    peer: `${DK}::change data type from standart type to enum. column has default`,
    v1: E(['value1', 'value3']) + table(`fields.CharField({ maxLength: 20, null: true, default: 'value2' })`),
    seed: `INSERT INTO "table" ("column") VALUES ('value1')`,
    v2: E(['value1', 'value3']) + table(choice(`, default: 'value3'`)),
    answers: { 'alter-type:table.column': { using: '"column"::enum' } },
    probe: { sql: columnText, up: [{ c: 'value1' }], down: [{ c: 'value1' }] },
  },
  {
    name: 'a varchar array column with a default turned into an enum array column',
    peer: `${DK}::change data type from array standart type to array enum. column has default`,
    v1: E(['value1', 'value3']) + table(`fields.ArrayField(fields.CharField({ maxLength: 20 }), { null: true, default: ['value2'] })`),
    seed: `INSERT INTO "table" ("column") VALUES ('{value1,value3}')`,
    v2: E(['value1', 'value3']) + table(choices(`, default: ['value3']`)),
    answers: { 'alter-type:table.column': { using: '"column"::enum[]' } },
    probe: { sql: columnText, up: [{ c: '{value1,value3}' }], down: [{ c: '{value1,value3}' }] },
  },
  {
    name: 'a varchar array column turned into an enum array column',
    peer: `${DK}::change data type from array standart type to array enum. column without default`,
    v1: E(['value1', 'value3']) + table(`fields.ArrayField(fields.CharField({ maxLength: 20 }), { null: true })`),
    v2: E(['value1', 'value3']) + table(choices()),
    answers: { 'alter-type:table.column': { using: '"column"::enum[]' } },
  },
  {
    name: 'an enum column turned into a varchar column',
    peer: `${DK}::change data type from enum type to standart type`,
    v1: E(['value1', 'value3']) + table(choice()),
    seed: `INSERT INTO "table" ("column") VALUES ('value3')`,
    v2: E(['value1', 'value3']) + table(`fields.CharField({ maxLength: 20, null: true })`),
    probe: { sql: columnText, up: [{ c: 'value3' }], down: [{ c: 'value3' }] },
  },
  {
    name: 'an enum column with a default turned into a varchar column',
    peer: `${DK}::change data type from enum type to standart type. column has default`,
    v1: E(['value1', 'value3']) + table(choice(`, default: 'value3'`)),
    seed: `INSERT INTO "table" DEFAULT VALUES`,
    v2: E(['value1', 'value3']) + table(`fields.CharField({ maxLength: 20, null: true, default: 'value2' })`),
    probe: { sql: columnText, up: [{ c: 'value3' }], down: [{ c: 'value3' }] },
  },
  {
    name: 'an enum array column turned into a varchar array column',
    peer: `${DK}::change data type from array enum type to array standart type`,
    v1: E(['value1', 'value3']) + table(choices()),
    seed: `INSERT INTO "table" ("column") VALUES ('{value3}')`,
    v2: E(['value1', 'value3']) + table(`fields.ArrayField(fields.CharField({ maxLength: 20 }), { null: true })`),
    probe: { sql: columnText, up: [{ c: '{value3}' }], down: [{ c: '{value3}' }] },
  },
  {
    name: 'an enum array column with a default turned into a varchar array column',
    peer: `${DK}::change data type from array enum type to array standart type. column has default`,
    v1: E(['value1', 'value3']) + table(choices(`, default: ['value1']`)),
    v2: E(['value1', 'value3']) + table(`fields.ArrayField(fields.CharField({ maxLength: 20 }), { null: true, default: ['value2'] })`),
  },
  {
    name: 'a varchar column turned into text',
    peer: `${DK}::change data type from standart type to standart type`,
    v1: table(`fields.CharField({ maxLength: 20, null: true })`),
    seed: `INSERT INTO "table" ("column") VALUES ('x')`,
    v2: table(`fields.TextField({ null: true })`),
    probe: { sql: columnText, up: [{ c: 'x' }], down: [{ c: 'x' }] },
  },
  {
    name: 'a varchar column with a default turned into text with another default',
    peer: `${DK}::change data type from standart type to standart type. column has default`,
    v1: table(`fields.CharField({ maxLength: 20, null: true, default: 'value3' })`),
    v2: table(`fields.TextField({ null: true, default: 'value2' })`),
  },
  {
    name: 'a varchar array column turned into a text array',
    peer: `${DK}::change data type from standart type to standart type. columns are arrays`,
    v1: table(`fields.ArrayField(fields.CharField({ maxLength: 20 }), { null: true })`),
    seed: `INSERT INTO "table" ("column") VALUES ('{a,b}')`,
    v2: table(`fields.ArrayField(fields.TextField(), { null: true })`),
    probe: { sql: columnText, up: [{ c: '{a,b}' }], down: [{ c: '{a,b}' }] },
  },
  {
    name: 'a varchar array column with a default turned into a text array with another default',
    peer: `${DK}::change data type from standart type to standart type. columns are arrays. column has default`,
    v1: table(`fields.ArrayField(fields.CharField({ maxLength: 20 }), { null: true, default: ['hello'] })`),
    v2: table(`fields.ArrayField(fields.TextField(), { null: true, default: ['hello', 'world'] })`),
  },
  {
    name: 'a column moved from one enum to another',
    peer: `${DK}::change data type from one enum to other`,
    v1: E(['value1', 'value3'], 'enum1') + enumOf('F', 'enum2', ['value1', 'value3']) + table(choice()),
    seed: `INSERT INTO "table" ("column") VALUES ('value1')`,
    v2: E(['value1', 'value3'], 'enum1') + enumOf('F', 'enum2', ['value1', 'value3']) + table(`fields.ChoiceField({ choices: F, null: true })`),
    answers: { 'alter-type:table.column': { using: '"column"::text::enum2' } },
    probe: { sql: columnText, up: [{ c: 'value1' }], down: [{ c: 'value1' }] },
  },
  {
    name: 'a column with a default moved from one enum to another',
    peer: `${DK}::change data type from one enum to other. column has default`,
    v1: E(['value1', 'value3'], 'enum1') + enumOf('F', 'enum2', ['value1', 'value3']) + table(choice(`, default: 'value3'`)),
    v2: E(['value1', 'value3'], 'enum1') + enumOf('F', 'enum2', ['value1', 'value3']) + table(`fields.ChoiceField({ choices: F, null: true, default: 'value3' })`),
    answers: { 'alter-type:table.column': { using: '"column"::text::enum2' } },
  },
  {
    name: 'a column moved from one enum to another, default changed',
    peer: `${DK}::change data type from one enum to other. changed defaults`,
    v1: E(['value1', 'value3'], 'enum1') + enumOf('F', 'enum2', ['value1', 'value3']) + table(choice(`, default: 'value3'`)),
    seed: `INSERT INTO "table" DEFAULT VALUES`,
    v2: E(['value1', 'value3'], 'enum1') + enumOf('F', 'enum2', ['value1', 'value3']) + table(`fields.ChoiceField({ choices: F, null: true, default: 'value1' })`),
    answers: { 'alter-type:table.column': { using: '"column"::text::enum2' } },
    probe: { sql: columnText, up: [{ c: 'value3' }], down: [{ c: 'value3' }] },
  },
  {
    name: 'an enum array column added with a default of every value',
    peer: 'drizzle-kit tests/pg-array.test.ts::array #11: enum array default',
    v1: enumOf('E', 'test_enum', ['a', 'b', 'c']) + model('T', 'test', ``),
    seed: `INSERT INTO test DEFAULT VALUES`,
    v2: enumOf('E', 'test_enum', ['a', 'b', 'c']) + model('T', 'test', `values: ${choices(`, default: ['a', 'b', 'c']`)}`),
  },
  {
    name: 'an enum array column added with an empty array default',
    peer: 'drizzle-kit tests/pg-array.test.ts::array #12: enum empty array default',
    v1: enumOf('E', 'test_enum', ['a', 'b', 'c']) + model('T', 'test', ``),
    v2: enumOf('E', 'test_enum', ['a', 'b', 'c']) + model('T', 'test', `values: ${choices(`, default: []`)}`),
  },
];

runCases('drizzle-kit: enums', cases);
