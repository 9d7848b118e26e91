import { describe, expect, it } from 'vitest';
import { UserError } from '../source/errors.js';
import { defineConfig, defineEnum, defineModel, defineView, fields, _t } from '../source/index.js';
import { compileModels } from '../source/models/compile.js';
import { loadModels } from '../source/models/load.js';
import type { Column, Schema, Table } from '../source/schema/types.js';

const FILE = 'models.ts';
const compile = (exports: Record<string, unknown>, file = FILE): Schema => compileModels([{ file, exports }]);
const table = (s: Schema, name: string): Table => {
  const t = s.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name} in ${s.tables.map((x) => x.name).join(', ')}`);
  return t;
};
const col = (s: Schema, t: string, c: string): Column => {
  const found = table(s, t).columns.find((x) => x.name === c);
  if (!found) throw new Error(`no column ${t}.${c}`);
  return found;
};
/** The UserError a compile throws (fails the test when it does not throw one). */
const errorOf = (exports: Record<string, unknown>, file = FILE): UserError => {
  try {
    compile(exports, file);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
};
const one = (f: unknown, extra: object = {}) =>
  defineModel('Thing', { tablename: 'things', fields: { f: f as ReturnType<typeof fields.TextField> }, ...extra });

const id: Column = { name: 'id', type: 'bigint', nullable: false, default: null, identity: 'by default', comment: null };
const ts = (name: string): Column => ({
  name,
  type: 'timestamp with time zone',
  nullable: false,
  default: 'now()',
  identity: null,
  comment: null,
});

describe('SPEC §4 example', () => {
  const UserStatus = defineEnum('UserStatus', ['active', 'inactive', 'suspended']);
  const User = defineModel('User', {
    tablename: 'users',
    fields: {
      name: fields.CharField({ maxLength: 100, label: _t('Name') }),
      status: fields.ChoiceField({ choices: UserStatus, default: 'active', label: _t('Status') }),
      email: fields.EmailField({ unique: true, null: true }),
    },
    indexes: [{ fields: ['name'] }],
  });
  const Document = defineModel('Document', {
    tablename: 'documents',
    fields: {
      title: fields.CharField({ maxLength: 255, label: _t('Title') }),
      embedding: fields.VectorField({ dimensions: 1536, label: _t('AI Embedding') }),
      owner: fields.ForeignKey(() => User, { onDelete: 'cascade', null: true }),
    },
    indexes: [{ fields: ['embedding'], using: 'hnsw', opclass: 'vector_cosine_ops' }],
  });
  const ActiveUsers = defineView('ActiveUsers', {
    viewname: 'active_users',
    sql: `SELECT id, name FROM users WHERE status = 'active'`,
  });

  it('compiles to the expected Schema', () => {
    const sql = `SELECT id, name FROM users WHERE status = 'active'`;
    const expected: Schema = {
      extensions: ['vector'],
      enums: [{ name: 'userstatus', values: ['active', 'inactive', 'suspended'] }],
      tables: [
        {
          name: 'documents',
          columns: [
            id,
            { name: 'title', type: 'character varying(255)', nullable: false, default: null, identity: null, comment: 'Title' },
            { name: 'embedding', type: 'vector(1536)', nullable: false, default: null, identity: null, comment: 'AI Embedding' },
            { name: 'owner_id', type: 'bigint', nullable: true, default: null, identity: null, comment: null },
            ts('created_at'),
            ts('updated_at'),
          ],
          primaryKey: { name: 'documents_pkey', columns: ['id'] },
          uniques: [],
          indexes: [
            {
              name: 'documents_embedding_idx',
              columns: ['embedding'],
              unique: false,
              using: 'hnsw',
              opclasses: ['vector_cosine_ops'],
              where: null,
            },
          ],
          foreignKeys: [
            {
              name: 'documents_owner_id_fkey',
              columns: ['owner_id'],
              refTable: 'users',
              refColumns: ['id'],
              onDelete: 'cascade',
              onUpdate: 'no action',
            },
          ],
          checks: [],
          comment: null,
        },
        {
          name: 'users',
          columns: [
            id,
            { name: 'name', type: 'character varying(100)', nullable: false, default: null, identity: null, comment: 'Name' },
            {
              name: 'status',
              type: 'userstatus',
              enumType: 'userstatus',
              nullable: false,
              default: "'active'",
              identity: null,
              comment: 'Status',
            },
            { name: 'email', type: 'character varying(255)', nullable: true, default: null, identity: null, comment: null },
            ts('created_at'),
            ts('updated_at'),
          ],
          primaryKey: { name: 'users_pkey', columns: ['id'] },
          uniques: [{ name: 'users_email_key', columns: ['email'] }],
          indexes: [{ name: 'users_name_idx', columns: ['name'], unique: false, using: 'btree', where: null }],
          foreignKeys: [],
          checks: [],
          comment: null,
        },
      ],
      views: [{ name: 'active_users', sql, definition: sql }],
    };
    expect(compile({ UserStatus, User, Document, ActiveUsers })).toStrictEqual(expected);
  });

  it('finds enums used only by a ChoiceField and models reached only through a ForeignKey', () => {
    // Only Document is exported: User comes in through the FK, the enum through User.
    const notes: string[] = [];
    const s = compileModels([{ file: 'models.ts', exports: { Document } }], notes);
    expect(s.tables.map((t) => t.name)).toEqual(['documents', 'users']);
    expect(s.enums).toEqual([{ name: 'userstatus', values: ['active', 'inactive', 'suspended'] }]);
    // Included, and said: a missing `export` is a likely slip.
    expect(notes).toEqual([expect.stringMatching(/^model User \(table users\) is not exported from any models module; Document\.\w+ in models\.ts refers to it/)]);
    const none: string[] = [];
    compileModels([{ file: 'models.ts', exports: { Document, User } }], none);
    expect(none).toEqual([]);
  });

  it('recognises models by their tag, not by identity (a second module instance)', () => {
    const copy = { ...User }; // another object with the same data, like a re-imported module's
    const s = compile({ User, copy, Document });
    expect(s.tables.map((t) => t.name)).toEqual(['documents', 'users']);
    expect(compile({ copy }).tables.map((t) => t.name)).toEqual(['users']);
  });

  it('loads modules through the given importer', async () => {
    const s = await loadModels(['a.ts', 'b.ts'], async (f) => (f === 'a.ts' ? { User } : { Document, ActiveUsers }));
    expect(s.tables.map((t) => t.name)).toEqual(['documents', 'users']);
    expect(s.views.map((v) => v.name)).toEqual(['active_users']);
  });

  it('reports a module that fails to import', async () => {
    const load = loadModels(['broken.ts'], async () => {
      throw new SyntaxError('Unexpected token )');
    });
    await expect(load).rejects.toThrow(UserError);
    await expect(load).rejects.toThrow('cannot load models from broken.ts: Unexpected token )');
  });
});

describe('field kinds', () => {
  const Color = defineEnum('Color', ['red', 'green']);
  const all = defineModel('All', {
    fields: {
      char: fields.CharField({ maxLength: 20 }),
      charText: fields.CharField(),
      text: fields.TextField(),
      email: fields.EmailField(),
      email80: fields.EmailField({ maxLength: 80 }),
      url: fields.URLField(),
      int: fields.IntegerField(),
      small: fields.SmallIntegerField(),
      big: fields.BigIntegerField(),
      float: fields.FloatField(),
      dec: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
      dec0: fields.DecimalField({ maxDigits: 5 }),
      bool: fields.BooleanField(),
      date: fields.DateField(),
      time: fields.TimeField(),
      timetz: fields.TimeField({ timezone: true }),
      dt: fields.DateTimeField(),
      dtNaive: fields.DateTimeField({ timezone: false }),
      dur: fields.DurationField(),
      uuid: fields.UUIDField(),
      bin: fields.BinaryField(),
      json: fields.JSONField(),
      ip: fields.IPAddressField(),
      ints: fields.ArrayField(fields.IntegerField()),
      texts: fields.ArrayField({ of: fields.CharField({ maxLength: 5 }) }),
      grid: fields.ArrayField(fields.ArrayField(fields.FloatField())),
      colors: fields.ArrayField(fields.ChoiceField({ choices: Color })),
      color: fields.ChoiceField({ choices: Color }),
      vec: fields.VectorField({ dimensions: 3 }),
    },
  });
  const s = compile({ all });
  const types = Object.fromEntries(table(s, 'alls').columns.map((c) => [c.name, c.type]));

  it('gives each kind its format_type() text', () => {
    expect(types).toEqual({
      id: 'bigint',
      char: 'character varying(20)',
      charText: 'text',
      text: 'text',
      email: 'character varying(255)',
      email80: 'character varying(80)',
      url: 'character varying(255)',
      int: 'integer',
      small: 'smallint',
      big: 'bigint',
      float: 'double precision',
      dec: 'numeric(10,2)',
      dec0: 'numeric(5,0)',
      bool: 'boolean',
      date: 'date',
      time: 'time without time zone',
      timetz: 'time with time zone',
      dt: 'timestamp with time zone',
      dtNaive: 'timestamp without time zone',
      dur: 'interval',
      uuid: 'uuid',
      bin: 'bytea',
      json: 'jsonb',
      ip: 'inet',
      ints: 'integer[]',
      texts: 'character varying(5)[]',
      grid: 'double precision[]',
      colors: 'color[]',
      color: 'color',
      vec: 'vector(3)',
      created_at: 'timestamp with time zone',
      updated_at: 'timestamp with time zone',
    });
  });

  it('sets enumType only on enum columns, and identity/comment on every column', () => {
    const cols = table(s, 'alls').columns;
    expect(cols.filter((c) => 'enumType' in c).map((c) => [c.name, c.enumType])).toEqual([
      ['colors', 'color'],
      ['color', 'color'],
    ]);
    expect(cols.every((c) => c.identity !== undefined && c.comment !== undefined)).toBe(true);
    expect(s.extensions).toEqual(['vector']);
  });

  it('uses the default table name: lower-cased model name plus s', () => {
    expect(compile({ m: defineModel('BlogPost', { fields: {} }) }).tables[0].name).toBe('blogposts');
  });
});

describe('defaults', () => {
  const Status = defineEnum('Status', ['draft', 'done']);
  const M = defineModel('M', {
    tablename: 'm',
    fields: {
      s: fields.CharField({ default: "it's" }),
      n: fields.IntegerField({ default: 0 }),
      neg: fields.IntegerField({ default: -1 }),
      f: fields.FloatField({ default: 1.5 }),
      big: fields.FloatField({ default: 1e21 }),
      d: fields.DecimalField({ maxDigits: 6, decimalPlaces: 2, default: '12.50' }),
      b: fields.BooleanField({ default: false }),
      j: fields.JSONField({ default: { zz: 1, a: [true, null, 'x'], bb: { c: 'd' } } }),
      arr: fields.ArrayField(fields.TextField(), { default: ['a', 'b c', '', 'NULL', 'q"\\'] }),
      flags: fields.ArrayField(fields.BooleanField(), { default: [true, false] }),
      st: fields.ChoiceField({ choices: Status, default: 'done' }),
      raw: fields.CharField({ default: 'ignored', serverDefault: " 'draft' " }),
      now: fields.DateTimeField({ serverDefault: 'now()' }),
    },
  });
  const s = compile({ M });
  const dflt = (c: string) => col(s, 'm', c).default;

  it('renders values as SQL text without casts', () => {
    expect(dflt('s')).toBe("'it''s'");
    expect(dflt('n')).toBe('0');
    expect(dflt('neg')).toBe('-1');
    expect(dflt('f')).toBe('1.5');
    expect(dflt('big')).toBe('1000000000000000000000');
    expect(dflt('d')).toBe('12.50');
    expect(dflt('b')).toBe('false');
    // jsonb_out's spelling: keys shorter first, ", " and ": " separators.
    expect(dflt('j')).toBe(`'{"a": [true, null, "x"], "bb": {"c": "d"}, "zz": 1}'`);
    // array_out's spelling: quotes only where needed, booleans t/f.
    expect(dflt('arr')).toBe(`'{a,"b c","","NULL","q\\"\\\\"}'`);
    expect(dflt('flags')).toBe(`'{t,f}'`);
    expect(dflt('st')).toBe("'done'");
  });

  it('lets serverDefault win, as raw SQL', () => {
    expect(dflt('raw')).toBe("'draft'");
    expect(dflt('now')).toBe('now()');
  });

  it('refuses a ChoiceField default that is not one of the values', () => {
    const e = errorOf({ x: one(fields.ChoiceField({ choices: Status, default: 'gone' as 'done' })) });
    expect(e.message).toMatch(/^models\.ts, model Thing, field f: default "gone" is not one of the enum's values \(draft, done\)/);
  });

  it('refuses a default of the wrong type', () => {
    expect(errorOf({ x: one(fields.IntegerField({ default: 'x' as unknown as number })) }).message).toMatch(
      /field f: default "x" is not an integer/,
    );
  });
});

describe('relations', () => {
  it('types a ForeignKey like the target key and honours column', () => {
    const Tag = defineModel('Tag', { fields: { code: fields.CharField({ maxLength: 8, primaryKey: true }) } });
    const Post = defineModel('Post', {
      fields: {
        tag: fields.ForeignKey(() => Tag, { column: 'tag_code', onDelete: 'restrict' }),
        parent: fields.ForeignKey(() => Post, { null: true, onDelete: 'set null' }),
      },
    });
    const s = compile({ Tag, Post });
    expect(table(s, 'tags').columns.map((c) => c.name)).toEqual(['code', 'created_at', 'updated_at']);
    expect(table(s, 'tags').primaryKey).toEqual({ name: 'tags_pkey', columns: ['code'] });
    expect(col(s, 'posts', 'tag_code')).toEqual({
      name: 'tag_code',
      type: 'character varying(8)',
      nullable: false,
      default: null,
      identity: null,
      comment: null,
    });
    expect(table(s, 'posts').foreignKeys).toEqual([
      { name: 'posts_parent_id_fkey', columns: ['parent_id'], refTable: 'posts', refColumns: ['id'], onDelete: 'set null', onUpdate: 'no action' },
      { name: 'posts_tag_code_fkey', columns: ['tag_code'], refTable: 'tags', refColumns: ['code'], onDelete: 'restrict', onUpdate: 'no action' },
    ]);
  });

  it('adds a unique constraint for a OneToOneField', () => {
    const User = defineModel('User', { fields: {} });
    const Profile = defineModel('Profile', { fields: { user: fields.OneToOneField(() => User, { onDelete: 'cascade' }) } });
    const t = table(compile({ User, Profile }), 'profiles');
    expect(t.uniques).toEqual([{ name: 'profiles_user_id_key', columns: ['user_id'] }]);
    expect(t.foreignKeys[0]).toMatchObject({ name: 'profiles_user_id_fkey', onDelete: 'cascade' });
  });

  it('builds a many-to-many through table', () => {
    const Tag = defineModel('Tag', { fields: {} });
    const Article = defineModel('Article', { fields: { tags: fields.ManyToManyField(() => Tag) } });
    const s = compile({ Tag, Article });
    expect(s.tables.map((t) => t.name)).toEqual(['articles', 'articles_tags', 'tags']);
    expect(table(s, 'articles').columns.map((c) => c.name)).toEqual(['id', 'created_at', 'updated_at']);
    const plain = (name: string): Column => ({ name, type: 'bigint', nullable: false, default: null, identity: null, comment: null });
    expect(table(s, 'articles_tags')).toStrictEqual({
      name: 'articles_tags',
      columns: [plain('article_id'), plain('tag_id')],
      primaryKey: { name: 'articles_tags_pkey', columns: ['article_id', 'tag_id'] },
      uniques: [],
      indexes: [],
      foreignKeys: [
        { name: 'articles_tags_article_id_fkey', columns: ['article_id'], refTable: 'articles', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' },
        { name: 'articles_tags_tag_id_fkey', columns: ['tag_id'], refTable: 'tags', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' },
      ],
      checks: [],
      comment: null,
    });
  });

  it('names self-referencing many-to-many columns from_/to_ and honours through', () => {
    const Person = defineModel('Person', {
      tablename: 'people',
      fields: { friends: fields.ManyToManyField(() => Person, { through: 'friendships' }) },
    });
    const t = table(compile({ Person }), 'friendships');
    expect(t.columns.map((c) => c.name)).toEqual(['from_person_id', 'to_person_id']);
    expect(t.foreignKeys.map((f) => f.refTable)).toEqual(['people', 'people']);
  });
});

describe('enums', () => {
  enum Mood {
    Happy = 'happy',
    Sad = 'sad',
  }

  it('accepts a TypeScript string enum with enumName', () => {
    const M = defineModel('M', { fields: { mood: fields.ChoiceField({ choices: Mood, enumName: 'Mood', default: Mood.Sad }) } });
    const s = compile({ M });
    expect(s.enums).toEqual([{ name: 'mood', values: ['happy', 'sad'] }]);
    expect(col(s, 'ms', 'mood')).toMatchObject({ type: 'mood', enumType: 'mood', default: "'sad'" });
  });

  it('refuses a TypeScript enum without enumName', () => {
    const e = errorOf({ M: one(fields.ChoiceField({ choices: Mood })) });
    expect(e.message).toMatch(/models\.ts, model Thing, field f: .*needs `enumName`/);
  });

  it('uses typeName when given', () => {
    const S = defineEnum('UserStatus', ['a', 'b'], { typeName: 'user_status' });
    const M = defineModel('M', {
      fields: {
        s: fields.ChoiceField({ choices: S }),
        t: fields.ChoiceField({ choices: Mood, enumName: 'Mood', typeName: 'mood_kind' }),
      },
    });
    const s = compile({ M });
    expect(s.enums.map((e) => e.name)).toEqual(['mood_kind', 'user_status']);
    expect(col(s, 'ms', 's')).toMatchObject({ type: 'user_status', enumType: 'user_status' });
  });

  it('exports enums even when no field uses them', () => {
    expect(compile({ E: defineEnum('Lonely', ['x']) }).enums).toEqual([{ name: 'lonely', values: ['x'] }]);
  });
});

describe('labels, comments, indexes', () => {
  it('turns a label into the column comment unless comment is given', () => {
    const M = defineModel('M', {
      comment: 'things we keep',
      fields: {
        a: fields.TextField({ label: _t('Alpha') }),
        b: fields.TextField({ label: 'Plain label', comment: 'the real comment' }),
        c: fields.TextField({ label: '' }),
      },
    });
    const s = compile({ M });
    expect(['a', 'b', 'c'].map((c) => col(s, 'ms', c).comment)).toEqual(['Alpha', 'the real comment', null]);
    expect(table(s, 'ms').comment).toBe('things we keep');
    expect(String(_t('Alpha'))).toBe('Alpha');
  });

  it('compiles index: true, unique: true, indexes and uniqueTogether', () => {
    const M = defineModel('M', {
      fields: {
        a: fields.TextField({ index: true }),
        b: fields.IntegerField({ unique: true, column: 'bee' }),
        c: fields.TextField(),
      },
      indexes: [
        { fields: ['a', 'b'], unique: true, name: 'ab_unique' },
        { fields: ['c'], using: 'gin', opclass: ['gin_trgm_ops'], with: { fastupdate: false }, where: 'c IS NOT NULL' },
      ],
      uniqueTogether: [['a', 'c'], { fields: ['c', 'created_at'], name: 'c_created' }],
    });
    const t = table(compile({ M }), 'ms');
    expect(t.uniques).toEqual([
      { name: 'c_created', columns: ['c', 'created_at'] },
      { name: 'ms_a_c_key', columns: ['a', 'c'] },
      { name: 'ms_bee_key', columns: ['bee'] },
    ]);
    expect(t.indexes).toStrictEqual([
      { name: 'ab_unique', columns: ['a', 'bee'], unique: true, using: 'btree', where: null },
      { name: 'ms_a_idx', columns: ['a'], unique: false, using: 'btree', where: null },
      {
        name: 'ms_c_idx',
        columns: ['c'],
        unique: false,
        using: 'gin',
        opclasses: ['gin_trgm_ops'],
        with: { fastupdate: 'false' },
        where: 'c IS NOT NULL',
      },
    ]);
  });

  it('leaves out id when a field is the primary key, and timestamps when asked', () => {
    const M = defineModel('M', { timestamps: false, fields: { code: fields.UUIDField({ primaryKey: true }) } });
    const t = table(compile({ M }), 'ms');
    expect(t.columns.map((c) => c.name)).toEqual(['code']);
    expect(t.primaryKey).toEqual({ name: 'ms_pkey', columns: ['code'] });
  });

  it('has defineConfig return its argument', () => {
    const config = { models: './models.ts', migrations: './migrations' };
    expect(defineConfig(config)).toBe(config);
  });
});

describe('validation', () => {
  const Target = defineModel('Target', { fields: {} });

  it.each([
    ['not a field object', () => one({ kind: 'CharField' }), /field f: is not a field/],
    ['an unknown field kind', () => one({ __fastedgy: 'field', kind: 'MoneyField' }), /field f: unknown field kind "MoneyField"/],
    ['a DecimalField without maxDigits', () => one(fields.DecimalField({} as { maxDigits: number })), /field f: DecimalField needs maxDigits/],
    ['a VectorField without dimensions', () => one(fields.VectorField({} as { dimensions: number })), /field f: VectorField needs dimensions/],
    ['a ForeignKey to a non-model', () => one(fields.ForeignKey(() => ({ name: 'nope' }))), /field f: the ForeignKey target is not a model/],
    [
      'a ForeignKey whose thunk throws',
      () =>
        one(
          fields.ForeignKey(() => {
            throw new ReferenceError('Cannot access Later before initialization');
          }),
        ),
      /field f: the ForeignKey target could not be read: Cannot access Later before initialization/,
    ],
    ['a ManyToMany to a non-model', () => one(fields.ManyToManyField(() => 42)), /field f: the ManyToManyField target is not a model/],
    ['set null on a NOT NULL column', () => one(fields.ForeignKey(() => Target, { onDelete: 'set null' })), /field f: onDelete: 'set null' needs null: true/],
    ['a nullable primary key', () => one(fields.IntegerField({ primaryKey: true, null: true })), /field f: a primary key .* cannot be null/],
    ['an index on an unknown field', () => one(fields.TextField(), { indexes: [{ fields: ['f', 'nope'] }] }), /model Thing, index #1: unknown field "nope"/],
  ])('refuses %s, naming file, model and field', (_what, make, pattern) => {
    const e = errorOf({ Thing: make(), Target });
    expect(e.message.startsWith('models.ts, model Thing')).toBe(true);
    expect(e.message).toMatch(pattern);
  });

  it('refuses two models on one table', () => {
    const A = defineModel('A', { tablename: 'shared', fields: {} });
    const B = defineModel('B', { tablename: 'shared', fields: { x: fields.TextField() } });
    expect(errorOf({ A, B }).message).toMatch(/model B: the table "shared" is also defined by models\.ts, model A/);
  });

  it('refuses a through table that collides with a model table', () => {
    const A = defineModel('A', { fields: { bs: fields.ManyToManyField(() => B, { through: 'bs' }) } });
    const B = defineModel('B', { fields: {} });
    expect(errorOf({ A, B }).message).toMatch(/the table "bs" is also defined by/);
  });

  it('refuses duplicate column names', () => {
    const M = defineModel('M', { fields: { a: fields.TextField(), b: fields.TextField({ column: 'a' }) } });
    expect(errorOf({ M }).message).toMatch(/model M, field b: the column "a" is also the column of field a/);
    const N = defineModel('N', { fields: { created_at: fields.DateTimeField() } });
    expect(errorOf({ N }).message).toMatch(/model N, field created_at: the column "created_at" is also the created_at timestamp/);
    const O = defineModel('O', { fields: { id: fields.IntegerField() } });
    expect(errorOf({ O }).message).toMatch(/model O, field id: the column "id" is also the implicit primary key/);
  });

  it('refuses enums with duplicate values or no values', () => {
    expect(errorOf({ E: defineEnum('E', ['a', 'b', 'a']) }).message).toMatch(/^models\.ts, enum E: enum e lists the value "a" twice/);
    expect(errorOf({ E: defineEnum('E', []) }).message).toMatch(/enum E: enum e needs at least one value/);
    expect(errorOf({ M: one(fields.ChoiceField({ choices: ['x', 'x'], enumName: 'X' })) }).message).toMatch(
      /model Thing, field f: enum x lists the value "x" twice/,
    );
  });

  it('refuses one enum type name with two value lists', () => {
    const A = defineEnum('Kind', ['a']);
    const B = defineEnum('KIND', ['b']);
    expect(errorOf({ A, B }).message).toMatch(/the enum type "kind" is also defined/);
  });

  it('refuses an index name used twice in the schema', () => {
    const A = defineModel('A', { fields: { x: fields.TextField() }, indexes: [{ fields: ['x'], name: 'same' }] });
    const B = defineModel('B', { fields: { y: fields.TextField() }, indexes: [{ fields: ['y'], name: 'same' }] });
    expect(errorOf({ A, B }).message).toMatch(/the index name "same" is already used by index same/);
  });

  it('names the file the model came from', () => {
    const M = defineModel('M', { fields: { bad: fields.DecimalField({} as { maxDigits: number }) } });
    expect(errorOf({ M }, '/app/models/shop.ts').message).toMatch(/^\/app\/models\/shop\.ts, model M, field bad: /);
  });
});

describe('63-byte identifiers', () => {
  // 'é' is two bytes in UTF-8, '€' three: count bytes, not characters.
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  const name63 = 'é'.repeat(30) + '€' ; // 60 + 3 = 63 bytes, 31 characters
  const name64 = 'é'.repeat(32); // 64 bytes, 32 characters

  it('accepts a 63-byte column name and refuses a 64-byte one', () => {
    expect(bytes(name63)).toBe(63);
    expect(bytes(name64)).toBe(64);
    const ok = defineModel('M', { fields: { [name63]: fields.TextField() } });
    expect(col(compile({ ok }), 'ms', name63).name).toBe(name63);
    const bad = defineModel('M', { fields: { [name64]: fields.TextField() } });
    expect(errorOf({ bad }).message).toMatch(
      new RegExp(`model M, field ${name64}: the column name "${name64}" is 64 bytes long; PostgreSQL allows at most 63 bytes`),
    );
  });

  it('counts generated names too: <table>_pkey must fit', () => {
    const t58 = 'a'.repeat(56) + 'é'; // 58 bytes → "<t>_pkey" is 63
    const t59 = 'a'.repeat(57) + 'é'; // 59 bytes → 64
    expect(table(compile({ m: defineModel('M', { tablename: t58, fields: {} }) }), t58).primaryKey?.name).toBe(`${t58}_pkey`);
    expect(errorOf({ m: defineModel('M', { tablename: t59, fields: {} }) }).message).toMatch(/the primary key name ".*_pkey" is 64 bytes long/);
    expect(errorOf({ m: defineModel('M', { tablename: name64, fields: {} }) }).message).toMatch(/the table name .* is 64 bytes long/);
  });

  it('checks enum type, index, unique and view names', () => {
    expect(compile({ e: defineEnum(name63, ['x']) }).enums[0].name).toBe(name63.toLowerCase());
    expect(errorOf({ e: defineEnum('E', ['x'], { typeName: name64 }) }).message).toMatch(/enum E: the enum type name .* 64 bytes/);
    expect(errorOf({ e: defineEnum('E', ['x', 'y'.repeat(64)]) }).message).toMatch(/enum e value name .* 64 bytes/);
    const idx = (name: string) => defineModel('M', { fields: { a: fields.TextField() }, indexes: [{ fields: ['a'], name }] });
    expect(table(compile({ m: idx(name63) }), 'ms').indexes[0].name).toBe(name63);
    expect(errorOf({ m: idx(name64) }).message).toMatch(/model M, index .*: the index name .* 64 bytes/);
    const uniq = defineModel('M', { fields: { ['b'.repeat(57)]: fields.TextField({ unique: true }) } });
    expect(errorOf({ uniq }).message).toMatch(/the unique constraint name "ms_b+_key" is 64 bytes long/);
    expect(compile({ v: defineView('V', { viewname: name63, sql: 'SELECT 1' }) }).views[0].name).toBe(name63);
    expect(errorOf({ v: defineView('V', { viewname: name64, sql: 'SELECT 1' }) }).message).toMatch(/view V: the view name .* 64 bytes/);
  });
});
