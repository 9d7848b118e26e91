/**
 * Round trips on the real server and on the embedded database: models v1 →
 * revision → migrate; rows; models v2 → revision with answers → migrate;
 * the models then match the database, the data the answers keep is there,
 * downgrade restores v1's schema exactly, and upgrading again works.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Answers } from '../source/diff/questions.js';
import { engines } from './support/databases.js';
import type { Engine } from './support/databases.js';
import { comparable, TestProject } from './support/roundtrip.js';
import type { ProjectShape } from './support/roundtrip.js';

interface Scenario {
  readonly name: string;
  readonly v1: string;
  readonly seed?: string;
  readonly v2: string;
  /** The question ids asked without answers (sorted). */
  readonly asks?: readonly string[];
  readonly answers?: Answers;
  readonly verify?: (p: TestProject) => Promise<void>;
  readonly only?: Engine;
}

const user = (fields: string, extra = '') => `
export const User = defineModel('User', {
  tablename: 'users',
  fields: { ${fields} },
  ${extra}
});`;

const status = (values: string[]) => `export const Status = defineEnum('UserStatus', ${JSON.stringify(values)});`;

async function runScenario(engine: Engine, s: Scenario, shape: ProjectShape = 'single'): Promise<void> {
  const p = await TestProject.create(engine, shape);
  try {
    p.models(s.v1);
    const first = await p.make({}, 'v1');
    expect(first.status === 'written' || first.status === 'no-changes').toBe(true);
    await p.migrate();
    const before = await p.schema();
    if (s.seed) await p.db.query(s.seed);

    p.models(s.v2);
    if (s.asks) {
      const open = await p.make();
      expect(open.status).toBe('questions');
      if (open.status === 'questions') expect(open.questions.map((q) => q.id).sort()).toEqual([...s.asks].sort());
    }
    const made = await p.make(s.answers ?? {}, 'v2');
    if (made.status === 'questions') throw new Error(`questions left open: ${made.questions.map((q) => q.id).join(', ')}`);
    expect(made.status).toBe('written');
    await p.migrate();
    expect(await p.pending()).toEqual({ operations: [], questions: [] });
    await s.verify?.(p);

    await p.downgrade();
    expect(comparable(await p.schema())).toEqual(comparable(before));
    await p.migrate();
    expect((await p.pending()).operations).toEqual([]);
  } finally {
    await p.dispose();
  }
}

const seedUsers = `INSERT INTO users (name) VALUES ('ada'), ('grace')`;

const scenarios: Scenario[] = [
  {
    name: 'creates a table from nothing',
    v1: 'export {};',
    v2: user(`name: fields.CharField({ maxLength: 100 })`),
  },
  {
    name: 'adds a nullable column',
    v1: user(`name: fields.CharField({ maxLength: 100 })`),
    seed: seedUsers,
    v2: user(`name: fields.CharField({ maxLength: 100 }), bio: fields.TextField({ null: true })`),
  },
  {
    name: 'adds a NOT NULL column with a default: no question, rows get the default',
    v1: user(`name: fields.CharField({ maxLength: 100 })`),
    seed: seedUsers,
    v2: user(`name: fields.CharField({ maxLength: 100 }), score: fields.IntegerField({ default: 7 })`),
    verify: async (p) => expect(await p.rows(`SELECT score FROM users`)).toEqual([{ score: 7 }, { score: 7 }]),
  },
  {
    name: 'backfills a new NOT NULL column with a value, keeping no default',
    v1: user(`name: fields.CharField({ maxLength: 100 })`),
    seed: seedUsers,
    v2: user(`name: fields.CharField({ maxLength: 100 }), age: fields.IntegerField()`),
    asks: ['backfill:users.age'],
    answers: { 'backfill:users.age': { value: 0 } },
    verify: async (p) => {
      expect(await p.rows(`SELECT age FROM users`)).toEqual([{ age: 0 }, { age: 0 }]);
      const col = (await p.schema()).tables.find((t) => t.name === 'users')!.columns.find((c) => c.name === 'age')!;
      expect(col.default).toBeNull();
    },
  },
  {
    name: 'backfills a new NOT NULL column with an SQL expression',
    v1: user(`name: fields.CharField({ maxLength: 100 })`),
    seed: seedUsers,
    v2: user(`name: fields.CharField({ maxLength: 100 }), handle: fields.CharField({ maxLength: 100 })`),
    answers: { 'backfill:users.handle': { sql: `upper(name)` } },
    verify: async (p) => expect(await p.rows(`SELECT handle FROM users ORDER BY handle`)).toEqual([{ handle: 'ADA' }, { handle: 'GRACE' }]),
  },
  {
    name: 'backfills a string value with quotes and backslashes exactly',
    v1: user(`name: fields.CharField({ maxLength: 100 })`),
    seed: seedUsers,
    v2: user(`name: fields.CharField({ maxLength: 100 }), motto: fields.TextField()`),
    answers: { 'backfill:users.motto': { value: `it's a \\ $$ -- /* test` } },
    verify: async (p) => expect((await p.rows<{ motto: string }>(`SELECT motto FROM users LIMIT 1`))[0].motto).toBe(`it's a \\ $$ -- /* test`),
  },
  {
    name: 'makes a column with NULLs NOT NULL after filling them',
    v1: user(`name: fields.CharField({ maxLength: 100 }), nick: fields.CharField({ maxLength: 50, null: true })`),
    seed: `INSERT INTO users (name, nick) VALUES ('ada', 'a'), ('grace', NULL)`,
    v2: user(`name: fields.CharField({ maxLength: 100 }), nick: fields.CharField({ maxLength: 50 })`),
    asks: ['backfill:users.nick'],
    answers: { 'backfill:users.nick': { value: 'anon' } },
    verify: async (p) => expect(await p.rows(`SELECT nick FROM users ORDER BY nick`)).toEqual([{ nick: 'a' }, { nick: 'anon' }]),
  },
  {
    name: 'makes a NOT NULL column nullable',
    v1: user(`name: fields.CharField({ maxLength: 100 })`),
    seed: seedUsers,
    v2: user(`name: fields.CharField({ maxLength: 100, null: true })`),
  },
  {
    name: 'asks before dropping a column with rows, then drops it',
    v1: user(`name: fields.CharField({ maxLength: 100 }), age: fields.IntegerField({ null: true })`),
    seed: seedUsers,
    v2: user(`name: fields.CharField({ maxLength: 100 })`),
    asks: ['destructive:column:users.age'],
    answers: { 'destructive:column:users.age': { confirm: true } },
  },
  {
    name: 'renames a column and keeps its values',
    v1: user(`full_name: fields.CharField({ maxLength: 100 })`),
    seed: `INSERT INTO users (full_name) VALUES ('ada')`,
    v2: user(`name: fields.CharField({ maxLength: 100 })`),
    asks: ['rename-column:users.full_name->users.name'],
    answers: { 'rename-column:users.full_name->users.name': 'rename' },
    verify: async (p) => expect(await p.rows(`SELECT name FROM users`)).toEqual([{ name: 'ada' }]),
  },
  {
    name: 'drops and adds when a rename is declined',
    v1: user(`full_name: fields.CharField({ maxLength: 100 })`),
    seed: `INSERT INTO users (full_name) VALUES ('ada')`,
    v2: user(`name: fields.CharField({ maxLength: 100 })`),
    answers: {
      'rename-column:users.full_name->users.name': 'drop',
      'destructive:column:users.full_name': { confirm: true },
      'backfill:users.name': { value: 'unknown' },
    },
    verify: async (p) => expect(await p.rows(`SELECT name FROM users`)).toEqual([{ name: 'unknown' }]),
  },
  {
    name: 'renames a table with its indexes and constraints, keeping rows',
    v1: `export const P = defineModel('Person', { tablename: 'people', fields: { email: fields.EmailField({ unique: true }), name: fields.CharField({ maxLength: 50, index: true }) } });`,
    seed: `INSERT INTO people (email, name) VALUES ('a@x.io', 'ada')`,
    v2: `export const P = defineModel('Member', { tablename: 'members', fields: { email: fields.EmailField({ unique: true }), name: fields.CharField({ maxLength: 50, index: true }) } });`,
    asks: ['rename-table:people->members'],
    answers: { 'rename-table:people->members': 'rename' },
    verify: async (p) => expect(await p.rows(`SELECT email, name FROM members`)).toEqual([{ email: 'a@x.io', name: 'ada' }]),
  },
  {
    name: 'asks before dropping a table with rows',
    v1: user(`name: fields.CharField({ maxLength: 100 })`) + `\nexport const L = defineModel('Legacy', { tablename: 'legacy', fields: { x: fields.IntegerField() } });`,
    seed: `INSERT INTO legacy (x) VALUES (1)`,
    v2: user(`name: fields.CharField({ maxLength: 100 })`),
    asks: ['destructive:table:legacy'],
    answers: { 'destructive:table:legacy': { confirm: true } },
  },
  {
    name: 'widens a varchar without a question and keeps the data',
    v1: user(`name: fields.CharField({ maxLength: 50 })`),
    seed: seedUsers,
    v2: user(`name: fields.CharField({ maxLength: 200 })`),
    verify: async (p) => expect((await p.rows(`SELECT name FROM users ORDER BY name`)).length).toBe(2),
  },
  {
    name: 'converts text to integer with the USING expression given',
    v1: user(`name: fields.CharField({ maxLength: 100 }), code: fields.TextField()`),
    seed: `INSERT INTO users (name, code) VALUES ('ada', '42')`,
    v2: user(`name: fields.CharField({ maxLength: 100 }), code: fields.IntegerField()`),
    asks: ['alter-type:users.code'],
    answers: { 'alter-type:users.code': { using: 'code::integer' } },
    verify: async (p) => expect(await p.rows(`SELECT code FROM users`)).toEqual([{ code: 42 }]),
  },
  {
    name: 'replaces a column whose type cannot convert when answered dropAndAdd',
    v1: user(`name: fields.CharField({ maxLength: 100 }), flag: fields.TextField({ null: true })`),
    seed: `INSERT INTO users (name, flag) VALUES ('ada', 'yes')`,
    v2: user(`name: fields.CharField({ maxLength: 100 }), flag: fields.BooleanField({ null: true })`),
    answers: { 'alter-type:users.flag': { dropAndAdd: true } },
    verify: async (p) => expect(await p.rows(`SELECT flag FROM users`)).toEqual([{ flag: null }]),
  },
  {
    name: 'changes a default',
    v1: user(`name: fields.CharField({ maxLength: 100, default: 'a' })`),
    v2: user(`name: fields.CharField({ maxLength: 100, default: 'b' })`),
  },
  {
    name: 'adds and removes unique constraints and indexes',
    v1: user(`name: fields.CharField({ maxLength: 100, unique: true }), email: fields.EmailField()`),
    v2: user(`name: fields.CharField({ maxLength: 100, index: true }), email: fields.EmailField({ unique: true })`, `indexes: [{ fields: ['name', 'email'], name: 'users_name_email_idx' }],`),
  },
  {
    name: 'adds a model with a foreign key (on delete cascade)',
    v1: user(`name: fields.CharField({ maxLength: 100 })`),
    seed: seedUsers,
    v2: user(`name: fields.CharField({ maxLength: 100 })`) + `
export const Post = defineModel('Post', { tablename: 'posts', fields: { author: fields.ForeignKey(() => User, { onDelete: 'cascade' }), title: fields.CharField({ maxLength: 100 }) } });`,
    verify: async (p) => {
      await p.db.query(`INSERT INTO posts (author_id, title) SELECT id, 'hello' FROM users`);
      await p.db.query(`DELETE FROM users WHERE name = 'ada'`);
      expect(await p.rows(`SELECT count(*)::int AS n FROM posts`)).toEqual([{ n: 1 }]);
    },
  },
  {
    name: 'adds a many-to-many through table and a one-to-one field',
    v1: user(`name: fields.CharField({ maxLength: 100 })`) + `\nexport const Tag = defineModel('Tag', { tablename: 'tags', fields: { label: fields.CharField({ maxLength: 30 }) } });`,
    v2: user(`name: fields.CharField({ maxLength: 100 }), tags: fields.ManyToManyField(() => Tag)`) +
      `\nexport const Tag = defineModel('Tag', { tablename: 'tags', fields: { label: fields.CharField({ maxLength: 30 }) } });` +
      `\nexport const Profile = defineModel('Profile', { tablename: 'profiles', fields: { user: fields.OneToOneField(() => User, { onDelete: 'cascade' }) } });`,
  },
  {
    name: 'creates an enum type and a column using it',
    v1: user(`name: fields.CharField({ maxLength: 100 })`),
    seed: seedUsers,
    v2: status(['active', 'inactive']) + user(`name: fields.CharField({ maxLength: 100 }), status: fields.ChoiceField({ choices: Status, default: 'active' })`),
    verify: async (p) => expect(await p.rows(`SELECT DISTINCT status::text AS s FROM users`)).toEqual([{ s: 'active' }]),
  },
  {
    name: 'adds an enum value in the middle with ADD VALUE',
    v1: status(['active', 'inactive']) + user(`status: fields.ChoiceField({ choices: Status })`),
    seed: `INSERT INTO users (status) VALUES ('inactive')`,
    v2: status(['active', 'pending', 'inactive']) + user(`status: fields.ChoiceField({ choices: Status })`),
    verify: async (p) =>
      expect(await p.rows(`SELECT enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'userstatus' ORDER BY enumsortorder`)).toEqual([
        { enumlabel: 'active' }, { enumlabel: 'pending' }, { enumlabel: 'inactive' },
      ]),
  },
  {
    name: 'adds an enum value to a column a view reads, and steps back',
    v1: status(['active', 'inactive']) + user(`status: fields.ChoiceField({ choices: Status })`) + `\nexport const V = defineView('V', { viewname: 'v_status', sql: "SELECT id FROM users WHERE status = 'active'" });`,
    seed: `INSERT INTO users (status) VALUES ('active')`,
    v2: status(['active', 'pending', 'inactive']) + user(`status: fields.ChoiceField({ choices: Status })`) + `\nexport const V = defineView('V', { viewname: 'v_status', sql: "SELECT id FROM users WHERE status = 'active'" });`,
  },
  {
    name: 'maps rows holding a removed enum value to another value',
    v1: status(['active', 'inactive', 'suspended']) + user(`status: fields.ChoiceField({ choices: Status, default: 'active' })`),
    seed: `INSERT INTO users (status) VALUES ('active'), ('suspended'), ('suspended')`,
    v2: status(['active', 'inactive']) + user(`status: fields.ChoiceField({ choices: Status, default: 'active' })`),
    asks: ['enum-remove:userstatus.suspended'],
    answers: { 'enum-remove:userstatus.suspended': { mapTo: 'inactive' } },
    verify: async (p) =>
      expect(await p.rows(`SELECT status::text AS s, count(*)::int AS n FROM users GROUP BY 1 ORDER BY 1`)).toEqual([{ s: 'active', n: 1 }, { s: 'inactive', n: 2 }]),
  },
  {
    name: 'sets NULL where rows hold a removed enum value (nullable column)',
    v1: status(['a', 'b']) + user(`status: fields.ChoiceField({ choices: Status, null: true })`),
    seed: `INSERT INTO users (status) VALUES ('a'), ('b')`,
    v2: status(['a']) + user(`status: fields.ChoiceField({ choices: Status, null: true })`),
    answers: { 'enum-remove:userstatus.b': { setNull: true } },
    verify: async (p) => expect(await p.rows(`SELECT status::text AS s FROM users ORDER BY 1`)).toEqual([{ s: 'a' }, { s: null }]),
  },
  {
    name: 'deletes rows holding a removed enum value when answered so',
    v1: status(['a', 'b']) + user(`status: fields.ChoiceField({ choices: Status })`),
    seed: `INSERT INTO users (status) VALUES ('a'), ('b'), ('b')`,
    v2: status(['a']) + user(`status: fields.ChoiceField({ choices: Status })`),
    answers: { 'enum-remove:userstatus.b': { deleteRows: true } },
    verify: async (p) => expect(await p.rows(`SELECT count(*)::int AS n FROM users`)).toEqual([{ n: 1 }]),
  },
  {
    name: 'renames an enum value, rows keep it',
    v1: status(['active', 'banned']) + user(`status: fields.ChoiceField({ choices: Status })`),
    seed: `INSERT INTO users (status) VALUES ('banned')`,
    v2: status(['active', 'suspended']) + user(`status: fields.ChoiceField({ choices: Status })`),
    answers: { 'enum-remove:userstatus.banned': { renameTo: 'suspended' } },
    verify: async (p) => expect(await p.rows(`SELECT status::text AS s FROM users`)).toEqual([{ s: 'suspended' }]),
  },
  {
    name: 'renames an enum type',
    v1: status(['a', 'b']) + user(`status: fields.ChoiceField({ choices: Status })`),
    seed: `INSERT INTO users (status) VALUES ('b')`,
    v2: `export const Status = defineEnum('UserState', ['a', 'b'], { typeName: 'user_state' });` + user(`status: fields.ChoiceField({ choices: Status })`),
    asks: ['rename-enum:userstatus->user_state'],
    answers: { 'rename-enum:userstatus->user_state': 'rename' },
    verify: async (p) => expect(await p.rows(`SELECT status::text AS s FROM users`)).toEqual([{ s: 'b' }]),
  },
  {
    name: 'creates, then changes a view',
    v1: user(`name: fields.CharField({ maxLength: 100 }), age: fields.IntegerField({ null: true })`) +
      `\nexport const V = defineView('Names', { viewname: 'user_names', sql: 'SELECT id, name FROM users' });`,
    v2: user(`name: fields.CharField({ maxLength: 100 }), age: fields.IntegerField({ null: true })`) +
      `\nexport const V = defineView('Names', { viewname: 'user_names', sql: 'SELECT id, upper(name) AS name FROM users WHERE age > 18' });`,
  },
  {
    name: 'drops and recreates a view around a type change of a column it reads',
    v1: user(`name: fields.CharField({ maxLength: 50 })`) + `\nexport const V = defineView('Names', { viewname: 'user_names', sql: 'SELECT name FROM users' });`,
    seed: seedUsers,
    v2: user(`name: fields.TextField()`) + `\nexport const V = defineView('Names', { viewname: 'user_names', sql: 'SELECT name FROM users' });`,
    verify: async (p) => expect((await p.rows(`SELECT * FROM user_names`)).length).toBe(2),
  },
  {
    name: 'drops a view that left the models',
    v1: user(`name: fields.CharField({ maxLength: 50 })`) + `\nexport const V = defineView('Names', { viewname: 'user_names', sql: 'SELECT name FROM users' });`,
    v2: user(`name: fields.CharField({ maxLength: 50 })`),
  },
  {
    name: 'turns labels into column comments',
    v1: user(`name: fields.CharField({ maxLength: 100, label: _t('Name') })`),
    v2: user(`name: fields.CharField({ maxLength: 100, label: _t('Full name') })`),
    verify: async (p) =>
      expect(await p.rows(`SELECT col_description('users'::regclass, 2) AS c`)).toEqual([{ c: 'Full name' }]),
  },
  {
    name: 'covers every field kind',
    v1: 'export {};',
    v2: `export const K = defineModel('Kitchen', { tablename: 'kitchen', fields: {
      c: fields.CharField({ maxLength: 10 }), t: fields.TextField(), e: fields.EmailField(), u: fields.URLField(),
      i: fields.IntegerField(), si: fields.SmallIntegerField(), bi: fields.BigIntegerField(), f: fields.FloatField(),
      d: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2 }), b: fields.BooleanField({ default: false }), dt: fields.DateField(),
      tm: fields.TimeField(), ts: fields.DateTimeField(), tsn: fields.DateTimeField({ timezone: false }), du: fields.DurationField(),
      uu: fields.UUIDField(), bin: fields.BinaryField(), j: fields.JSONField({ default: {} }), ip: fields.IPAddressField(),
      arr: fields.ArrayField(fields.IntegerField()), sd: fields.CharField({ maxLength: 10, serverDefault: "'draft'" }),
    } });`,
  },
  {
    name: 'handles reserved words, mixed case, spaces, quotes and unicode in names and values',
    v1: 'export {};',
    v2: `export const Odd = defineEnum('Odd', ["it's", 'back\\\\slash', '$$', '-- not a comment', '/* nor this */', 'ünï'], { typeName: 'Odd Type' });
export const T = defineModel('Order', { tablename: 'order', fields: {
  user: fields.CharField({ maxLength: 20, column: 'user' }),
  mixed: fields.TextField({ column: 'Mixed Case', default: "a'b" }),
  odd: fields.ChoiceField({ choices: Odd, default: "it's" }),
  naïve: fields.IntegerField({ null: true }),
} });`,
    seed: undefined,
    verify: async (p) => {
      await p.db.query(`INSERT INTO "order" ("user") VALUES ('x')`);
      expect(await p.rows(`SELECT "Mixed Case" AS m, odd::text AS o FROM "order"`)).toEqual([{ m: "a'b", o: "it's" }]);
      const s = await p.schema();
      expect(s.enums[0].values).toEqual(["it's", 'back\\slash', '$$', '-- not a comment', '/* nor this */', 'ünï']);
    },
  },
  {
    name: "SPEC §4's User and Document: enum, vector extension, hnsw index, view",
    only: 'embedded',
    v1: 'export {};',
    v2: readSpecExample(),
    verify: async (p) => {
      const s = await p.schema();
      expect(s.extensions).toContain('vector');
      expect(s.enums).toEqual([{ name: 'userstatus', values: ['active', 'inactive', 'suspended'] }]);
      expect(s.tables.find((t) => t.name === 'documents')!.columns.find((c) => c.name === 'embedding')!.type).toBe('vector(1536)');
    },
  },
];

/** SPEC §4's example, as the example project has it (TestProject adds the import line). */
function readSpecExample(): string {
  const text = readFileSync(new URL('../examples/blog/models.ts', import.meta.url), 'utf8');
  return text.split('\n').filter((line) => !line.startsWith('import ')).join('\n');
}

describe.each(engines)('round trips on %s', (engine) => {
  for (const s of scenarios) {
    if (s.only && s.only !== engine) continue;
    it(s.name, () => runScenario(engine, s), 120_000);
  }
});

// The same project written as a one-entry `databases: { main: … }` config goes
// through the same planner and runner: every scenario's schema and data
// assertions hold unchanged (issue 10). Defined on the default server only:
// the version matrix (FASTEDGY_TEST_PG_MAJOR) is about the server, not the
// project's shape.
if (engines.includes('server') && !process.env.FASTEDGY_TEST_PG_MAJOR)
  describe('round trips on server, as a one-entry databases config', () => {
    for (const s of scenarios) {
      if (s.only && s.only !== 'server') continue;
      it(s.name, () => runScenario('server', s, 'databases'), 120_000);
    }
  });
