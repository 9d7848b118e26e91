/**
 * The model features of SPEC §4.1 through the whole pipeline, on the real
 * server and on PGlite: models → revision → migrate, then the database
 * introspects equal to the models (nothing pending), a downgrade brings back
 * the start exactly, and upgrading again works. A feature built in one
 * revision from nothing equals the same feature added to an existing table.
 */
import { describe, expect, it } from 'vitest';
import type { Answers } from '../source/diff/questions.js';
import type { Schema, Table } from '../source/schema/types.js';
import { engines } from './support/databases.js';
import type { Engine } from './support/databases.js';
import { comparable, TestProject } from './support/roundtrip.js';

interface Scenario {
  readonly name: string;
  readonly v1: string;
  readonly seed?: string;
  readonly v2: string;
  readonly answers?: Answers;
  /** Checks made once v2 is migrated. */
  readonly verify?: (p: TestProject) => Promise<void>;
}

const table = (s: Schema, name: string): Table => {
  const t = s.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
};

/** Error message of a statement that must fail. */
async function failure(p: TestProject, sql: string): Promise<string> {
  try {
    await p.db.query(sql);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error(`expected to fail: ${sql}`);
}

async function roundTrip(engine: Engine, s: Scenario): Promise<void> {
  const p = await TestProject.create(engine);
  try {
    p.models(s.v1);
    const first = await p.make({}, 'v1');
    expect(first.status === 'written' || first.status === 'no-changes').toBe(true);
    await p.migrate();
    expect((await p.pending()).operations).toEqual([]);
    const before = await p.schema();
    if (s.seed) await p.db.query(s.seed);

    p.models(s.v2);
    const made = await p.make(s.answers ?? {}, 'v2');
    if (made.status === 'questions') throw new Error(`questions left open: ${made.questions.map((q) => q.id).join(', ')}`);
    expect(made.status).toBe('written');
    await p.migrate();
    // The database now says what the models say: a second makemigrations finds nothing.
    expect(await p.pending()).toEqual({ operations: [], questions: [] });
    await s.verify?.(p);
    const after = await p.schema();

    await p.downgrade();
    expect(comparable(await p.schema())).toEqual(comparable(before));
    await p.migrate();
    expect((await p.pending()).operations).toEqual([]);
    expect(comparable(await p.schema())).toEqual(comparable(after));
  } finally {
    await p.dispose();
  }
}

/** The v2 models built in one revision from nothing equal, by introspection, the v1 → v2 history. */
async function freshEqualsHistory(engine: Engine, s: Scenario): Promise<void> {
  const history = await TestProject.create(engine);
  const fresh = await TestProject.create(engine);
  try {
    history.models(s.v1);
    await history.make({}, 'v1');
    await history.migrate();
    history.models(s.v2);
    const made = await history.make(s.answers ?? {}, 'v2');
    if (made.status === 'questions') throw new Error(`questions left open: ${made.questions.map((q) => q.id).join(', ')}`);
    await history.migrate();

    fresh.models(s.v2);
    await fresh.make({}, 'all');
    await fresh.migrate();
    expect(comparable(await history.schema())).toEqual(comparable(await fresh.schema()));
  } finally {
    await history.dispose();
    await fresh.dispose();
  }
}

const items = (fields: string, extra = '') => `
export const Item = defineModel('Item', {
  tablename: 'items',
  timestamps: false,
  fields: { ${fields} },
  ${extra}
});`;

const ITEM = `name: fields.CharField({ maxLength: 50 }), price: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2 }), quantity: fields.IntegerField()`;
const seedItems = `INSERT INTO items (name, price, quantity) VALUES ('pen', 1.50, 4), ('ink', 3.00, 2)`;

const ACCOUNT = `
export const Account = defineModel('Account', {
  tablename: 'accounts',
  fields: {
    id: fields.BigIntegerField({ primaryKey: true, identity: 'always' }),
    email: fields.EmailField({ unique: true }),
    price: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    quantity: fields.IntegerField(),
    deleted_at: fields.DateTimeField({ null: true }),
    total: fields.DecimalField({ maxDigits: 12, decimalPlaces: 2, generated: 'price * quantity' }),
    referrer: fields.ForeignKey(() => Account, { toField: 'email', null: true, deferrable: 'deferred' }),
  },
  checks: [{ name: 'accounts_quantity_positive', sql: 'quantity > 0' }],
  indexes: [
    { expressions: ['lower(email)'], unique: true, name: 'accounts_email_lower_uq' },
    { fields: ['email'], where: "deleted_at IS NULL", unique: true },
  ],
  uniqueTogether: [{ fields: ['email', 'quantity'], nullsNotDistinct: true, deferrable: 'immediate' }],
});`;

const scenarios: Scenario[] = [
  {
    name: 'identity: an explicit key without identity over the implicit id removes it',
    v1: items(ITEM),
    seed: seedItems,
    v2: items(`id: fields.BigIntegerField({ primaryKey: true }), ${ITEM}`),
    verify: async (p) => {
      const id = table(await p.schema(), 'items').columns.find((c) => c.name === 'id');
      expect(id?.identity).toBeNull();
      expect(await failure(p, `INSERT INTO items (name, price, quantity) VALUES ('cap', 1, 1)`)).toMatch(/null value in column "id"/);
    },
  },
  {
    name: 'identity added to a key with rows starts past the highest value',
    v1: items(`id: fields.IntegerField({ primaryKey: true }), ${ITEM}`),
    seed: `INSERT INTO items (id, name, price, quantity) VALUES (10, 'pen', 1, 1), (41, 'ink', 2, 2)`,
    v2: items(`id: fields.IntegerField({ primaryKey: true, identity: 'always' }), ${ITEM}`),
    verify: async (p) => {
      const [row] = await p.rows<{ id: number }>(`INSERT INTO items (name, price, quantity) VALUES ('cap', 1, 1) RETURNING id`);
      expect(row.id).toBe(42);
      expect(await failure(p, `INSERT INTO items (id, name, price, quantity) VALUES (99, 'x', 1, 1)`)).toMatch(/non-DEFAULT value into column "id"/);
      await p.db.query(`DELETE FROM items WHERE name = 'cap'`);
    },
  },
  {
    name: 'identity switched from by default to always',
    v1: items(`id: fields.BigIntegerField({ primaryKey: true, autoincrement: true }), ${ITEM}`),
    seed: seedItems,
    v2: items(`id: fields.BigIntegerField({ primaryKey: true, identity: 'always' }), ${ITEM}`),
    verify: async (p) => {
      const id = table(await p.schema(), 'items').columns.find((c) => c.name === 'id');
      expect(id?.identity).toBe('always');
    },
  },
  {
    name: 'checks added to a table with rows: NOT VALID, then validated',
    v1: items(ITEM),
    seed: seedItems,
    v2: items(ITEM, `checks: [{ sql: 'quantity > 0' }, { name: 'items_price_positive', sql: 'price > 0 AND price < 1000' }]`),
    verify: async (p) => {
      const checks = table(await p.schema(), 'items').checks.map((c) => c.name);
      expect(checks).toEqual(['items_price_positive', 'items_quantity_check']);
      const rows = await p.rows<{ conname: string; convalidated: boolean }>(
        `SELECT conname, convalidated FROM pg_constraint WHERE contype = 'c' AND conrelid = 'items'::regclass ORDER BY conname`,
      );
      expect(rows).toEqual([
        { conname: 'items_price_positive', convalidated: true },
        { conname: 'items_quantity_check', convalidated: true },
      ]);
      expect(await failure(p, `INSERT INTO items (name, price, quantity) VALUES ('x', 1, 0)`)).toMatch(/items_quantity_check/);
    },
  },
  {
    name: 'a check whose expression changes is replaced',
    v1: items(ITEM, `checks: [{ sql: 'quantity > 0' }]`),
    seed: seedItems,
    v2: items(ITEM, `checks: [{ sql: 'quantity >= 2' }]`),
    verify: async (p) => {
      expect(await failure(p, `INSERT INTO items (name, price, quantity) VALUES ('x', 1, 1)`)).toMatch(/items_quantity_check/);
    },
  },
  {
    name: 'a stored generated column',
    v1: items(ITEM),
    seed: seedItems,
    v2: items(`${ITEM}, total: fields.DecimalField({ maxDigits: 12, decimalPlaces: 2, generated: 'price * quantity' })`),
    verify: async (p) => {
      const rows = await p.rows<{ name: string; total: string }>(`SELECT name, total::text FROM items ORDER BY name`);
      expect(rows).toEqual([{ name: 'ink', total: '6.00' }, { name: 'pen', total: '6.00' }]);
    },
  },
  {
    name: 'a generated column whose expression changes is computed again',
    v1: items(`${ITEM}, total: fields.DecimalField({ maxDigits: 12, decimalPlaces: 2, generated: 'price * quantity' })`),
    seed: seedItems,
    v2: items(`${ITEM}, total: fields.DecimalField({ maxDigits: 12, decimalPlaces: 2, generated: 'price * quantity + 1' })`),
    verify: async (p) => {
      const rows = await p.rows<{ total: string }>(`SELECT total::text FROM items ORDER BY name`);
      expect(rows).toEqual([{ total: '7.00' }, { total: '7.00' }]);
    },
  },
  {
    name: 'expression and partial indexes, NULLS NOT DISTINCT',
    v1: items(`${ITEM}, email: fields.EmailField({ null: true }), deleted_at: fields.DateTimeField({ null: true })`),
    seed: seedItems,
    v2: items(
      `${ITEM}, email: fields.EmailField({ null: true }), deleted_at: fields.DateTimeField({ null: true })`,
      `indexes: [
        { expressions: ['lower(email)'], unique: true, name: 'items_email_lower_uq' },
        { expressions: ['lower(name)', 'quantity + 1'] },
        { fields: ['email'], where: "deleted_at IS NULL AND email <> ''", unique: true },
        { fields: ['name'], unique: true, nullsNotDistinct: true },
      ],
      uniqueTogether: [{ fields: ['email', 'quantity'], nullsNotDistinct: true }]`,
    ),
    verify: async (p) => {
      const names = table(await p.schema(), 'items').indexes.map((i) => i.name);
      expect(names).toEqual(['items_email_idx', 'items_email_lower_uq', 'items_lower_quantity_idx', 'items_name_idx']);
      // Both rows have email NULL and different quantities; NULLS NOT DISTINCT makes (NULL, 4) twice a duplicate.
      await p.db.query(`INSERT INTO items (name, price, quantity) VALUES ('cap', 1, 9)`);
      expect(await failure(p, `INSERT INTO items (name, price, quantity) VALUES ('hat', 1, 9)`)).toMatch(/items_email_quantity_key/);
      await p.db.query(`DELETE FROM items WHERE name = 'cap'`);
    },
  },
  {
    name: 'a foreign key to a unique non-key column, deferrable constraints',
    v1: `
export const User = defineModel('User', { tablename: 'users', timestamps: false, fields: { email: fields.EmailField({ unique: true }), team: fields.IntegerField() } });
export const Note = defineModel('Note', { tablename: 'notes', timestamps: false, fields: { body: fields.TextField() } });`,
    seed: `INSERT INTO users (email, team) VALUES ('a@x', 1), ('b@x', 1); INSERT INTO notes (body) VALUES ('hi')`,
    v2: `
export const User = defineModel('User', {
  tablename: 'users', timestamps: false,
  fields: { email: fields.EmailField({ unique: true }), team: fields.IntegerField() },
  uniqueTogether: [{ fields: ['team', 'email'], deferrable: 'immediate' }],
});
export const Note = defineModel('Note', {
  tablename: 'notes', timestamps: false,
  fields: { body: fields.TextField(), author: fields.ForeignKey(() => User, { toField: 'email', null: true, deferrable: 'deferred' }) },
});`,
    verify: async (p) => {
      const s = await p.schema();
      expect(table(s, 'notes').foreignKeys).toEqual([
        { name: 'notes_author_id_fkey', columns: ['author_id'], refTable: 'users', refColumns: ['email'], onDelete: 'no action', onUpdate: 'no action', deferrable: 'deferred' },
      ]);
      expect(table(s, 'notes').columns.find((c) => c.name === 'author_id')?.type).toBe('character varying(255)');
      expect(table(s, 'users').uniques.find((u) => u.name === 'users_team_email_key')?.deferrable).toBe('immediate');
      // Deferred: the row may point nowhere until the transaction commits.
      await p.db.query('BEGIN');
      await p.db.query(`INSERT INTO notes (body, author_id) VALUES ('early', 'c@x')`);
      await p.db.query(`INSERT INTO users (email, team) VALUES ('c@x', 2)`);
      await p.db.query('COMMIT');
      await p.db.query(`DELETE FROM notes WHERE body = 'early'; DELETE FROM users WHERE email = 'c@x'`);
    },
  },
  {
    name: "SPEC's Account example from nothing",
    v1: 'export {};',
    v2: ACCOUNT,
    verify: async (p) => {
      await p.db.query(`INSERT INTO accounts (email, price, quantity) VALUES ('a@x', 2.5, 4)`);
      const [row] = await p.rows<{ id: string; total: string }>(`SELECT id::text, total::text FROM accounts`);
      expect(row).toEqual({ id: '1', total: '10.00' });
      expect(await failure(p, `INSERT INTO accounts (email, price, quantity) VALUES ('b@x', 1, 0)`)).toMatch(/accounts_quantity_positive/);
      expect(await failure(p, `INSERT INTO accounts (email, price, quantity) VALUES ('A@x', 1, 1)`)).toMatch(/accounts_email_lower_uq/);
      await p.db.query(`DELETE FROM accounts`);
    },
  },
];

for (const engine of engines) {
  describe(`model features (${engine})`, () => {
    for (const s of scenarios) it(s.name, () => roundTrip(engine, s), 120_000);

    it('features added to existing tables equal the same models built fresh', async () => {
      await freshEqualsHistory(engine, {
        name: 'account',
        v1: `
export const Account = defineModel('Account', {
  tablename: 'accounts',
  fields: {
    id: fields.BigIntegerField({ primaryKey: true }),
    email: fields.EmailField({ unique: true }),
    price: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    quantity: fields.IntegerField(),
    deleted_at: fields.DateTimeField({ null: true }),
  },
});`,
        v2: ACCOUNT,
      });
    }, 120_000);
  });
}
