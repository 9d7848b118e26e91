/**
 * SQL a model carries that PostgreSQL stores in its own spelling (quoted
 * column names in index definitions, casts in index predicates and column
 * defaults) must not show as a change once migrated: `check` exits 0 and
 * `makemigrations` finds nothing, through the real CLI on both engines.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG, makeProjectDir, runCli } from './support/cli.js';
import type { CliResult } from './support/cli.js';
import { engines, freshDatabase } from './support/databases.js';

const HEADER = `import { defineModel, defineEnum, fields } from 'fastedgy';\n`;

interface Case {
  readonly name: string;
  readonly models: string;
}

const cases: Case[] = [
  {
    name: 'indexes on columns whose names need quoting',
    models: `
export const Thing = defineModel('Thing', {
  tablename: 'things',
  fields: {
    camel: fields.IntegerField({ column: 'CamelCase', index: true }),
    naive: fields.CharField({ maxLength: 20, column: 'naïve' }),
    spaced: fields.TextField({ column: 'with space', null: true }),
    sel: fields.IntegerField({ column: 'select' }),
  },
  indexes: [
    { fields: ['naive'] },
    { fields: ['spaced', 'sel'], name: 'things_spaced_select_idx' },
    { fields: ['sel'], unique: true, where: '"select" > 0', name: 'things_select_positive' },
  ],
});`,
  },
  {
    name: 'partial index predicates PostgreSQL stores with casts',
    models: `
export const Role = defineEnum('Role', ['admin', 'member'], { typeName: 'user_role' });
export const User = defineModel('User', {
  tablename: 'users',
  fields: {
    email: fields.EmailField(),
    role: fields.ChoiceField({ choices: Role, default: 'member' }),
    deleted_at: fields.DateTimeField({ null: true }),
  },
  indexes: [
    { fields: ['email'], where: "email <> ''", name: 'users_email_nonempty' },
    { fields: ['email'], unique: true, where: "role = 'admin'", name: 'users_admin_email' },
    { fields: ['email'], unique: true, where: 'deleted_at IS NULL AND (role = \\'member\\' OR email LIKE \\'%@x.org\\')', name: 'users_live_email' },
  ],
});`,
  },
  {
    name: 'server defaults PostgreSQL stores with casts',
    models: `
export const Tag = defineEnum('Tag', ['A', 'B', 'C'], { typeName: 'my_enum' });
export const Post = defineModel('Post', {
  tablename: 'posts',
  fields: {
    tags: fields.ArrayField(fields.ChoiceField({ choices: Tag }), { serverDefault: "ARRAY['A','B']::my_enum[]" }),
    words: fields.ArrayField(fields.TextField(), { serverDefault: "ARRAY['x', 'y']" }),
    due: fields.DateField({ serverDefault: "CURRENT_DATE + 7" }),
    price: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2, serverDefault: '-1.5' }),
    label: fields.CharField({ maxLength: 20, serverDefault: "upper('x' || 'y')" }),
  },
});`,
  },
  {
    name: 'a predicate PostgreSQL reduces to none, and default operator classes written out',
    models: `
export const Note = defineModel('Note', {
  tablename: 'notes',
  fields: {
    body: fields.TextField({ null: true }),
    code: fields.CharField({ maxLength: 10, null: true }),
  },
  indexes: [
    { fields: ['body'], where: 'true', name: 'notes_body_all' },
    { fields: ['body'], opclass: 'text_ops', name: 'notes_body_text' },
    { fields: ['code', 'body'], opclass: ['text_pattern_ops', 'text_ops'], name: 'notes_code_body' },
  ],
});`,
  },
];

// One project holds every case (their tables are independent): each CLI run
// on the embedded database pays for starting PGlite.
describe.each(engines)('no phantom differences on %s', (engine) => {
  it(`migrate, then check and makemigrations find nothing: ${cases.map((c) => c.name).join('; ')}`, async () => {
    const fresh = await freshDatabase(engine);
    try {
      // The CLI opens the embedded database itself: the test must not hold it.
      if (engine === 'embedded') await fresh.db.close();
      const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': HEADER + cases.map((c) => c.models).join('\n') });
      const env = { DATABASE_URL: fresh.url ?? '' };
      const cli = async (args: string[], code = 0): Promise<CliResult> => {
        const r = await runCli(['db', ...args], { cwd: dir, env });
        expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toMatchObject({ code });
        return r;
      };
      await cli(['makemigrations', '-m', 'first']);
      await cli(['migrate']);
      await cli(['check']);
      expect((await cli(['makemigrations', '-m', 'again'])).stdout).toContain('No changes detected');
    } finally {
      await fresh.dispose();
    }
  }, 600_000);
});
