/**
 * The pieces of SPEC §4.1's model features without a database: what the
 * models compile to, the mistakes they refuse, how model SQL is compared,
 * the diff's operations and their SQL, reverse, replay and schema text.
 * (test/model-features.test.ts runs them against both engines.)
 */
import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../source/diff/diff.js';
import { normalizeExpr } from '../source/diff/normalize.js';
import { UserError } from '../source/errors.js';
import { defineModel, fields } from '../source/index.js';
import { lintOperations } from '../source/lint/rules.js';
import { compileModels } from '../source/models/compile.js';
import { reverseOperation } from '../source/ops/reverse.js';
import { operationToSql } from '../source/ops/sql.js';
import type { Operation } from '../source/ops/types.js';
import { applyOperations } from '../source/revisions/replay.js';
import { schemaText } from '../source/revisions/schema-text.js';
import type { Schema, Table } from '../source/schema/types.js';

const compile = (exports: Record<string, unknown>): Schema => compileModels([{ file: 'models.ts', exports }]);
const table = (s: Schema, name: string): Table => s.tables.find((t) => t.name === name)!;
const errorOf = (exports: Record<string, unknown>): string => {
  try {
    compile(exports);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Account: any = defineModel('Account', {
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
  checks: [{ name: 'accounts_quantity_positive', sql: 'quantity > 0' }, { sql: '0 < price' }],
  indexes: [
    { expressions: ['lower(email)'], unique: true, name: 'accounts_email_lower_uq' },
    { expressions: ['lower(email)', 'quantity + 1'] },
    { fields: ['email'], where: 'deleted_at IS NULL', unique: true },
  ],
  uniqueTogether: [{ fields: ['email', 'quantity'], nullsNotDistinct: true, deferrable: 'immediate' }],
});

const items = (extra: object, itemFields: object = {}) =>
  defineModel('Item', {
    tablename: 'items',
    timestamps: false,
    fields: { name: fields.CharField(), quantity: fields.IntegerField(), ...itemFields },
    ...extra,
  });

describe('compiling the features', () => {
  const t = table(compile({ Account }), 'accounts');

  it('identity, generated and the key a toField points at', () => {
    const col = (n: string) => t.columns.find((c) => c.name === n)!;
    expect(col('id')).toMatchObject({ type: 'bigint', identity: 'always', default: null });
    expect(col('total')).toMatchObject({ type: 'numeric(12,2)', generated: 'price * quantity', default: null });
    // Typed like the column it points at.
    expect(col('referrer_id')).toMatchObject({ type: 'character varying(255)', nullable: true });
    expect(t.foreignKeys).toEqual([
      { name: 'accounts_referrer_id_fkey', columns: ['referrer_id'], refTable: 'accounts', refColumns: ['email'], onDelete: 'no action', onUpdate: 'no action', deferrable: 'deferred' },
    ]);
  });

  it('checks, named or by their first column', () => {
    expect(t.checks).toEqual([
      { name: 'accounts_price_check', expression: '0 < price' },
      { name: 'accounts_quantity_positive', expression: 'quantity > 0' },
    ]);
    const s = compile({ Item: items({ checks: [{ sql: "upper('quantity') <> 'x'" }] }) });
    // A name inside a string literal is not a column: the check names none.
    expect(table(s, 'items').checks.map((c) => c.name)).toEqual(['items_check']);
  });

  it('expression, partial and NULLS NOT DISTINCT indexes and uniques', () => {
    expect(t.indexes.map((i) => [i.name, i.columns, i.unique, i.where])).toEqual([
      ['accounts_email_idx', ['email'], true, 'deleted_at IS NULL'],
      ['accounts_email_lower_uq', ['(lower(email))'], true, null],
      ['accounts_lower_quantity_idx', ['(lower(email))', '(quantity + 1)'], false, null],
    ]);
    expect(t.uniques).toEqual([
      { name: 'accounts_email_key', columns: ['email'] },
      { name: 'accounts_email_quantity_key', columns: ['email', 'quantity'], nullsNotDistinct: true, deferrable: 'immediate' },
    ]);
  });

  it('the implicit id is identity by default, an explicit key has none unless it says so', () => {
    expect(table(compile({ Item: items({}) }), 'items').columns[0]).toMatchObject({ name: 'id', identity: 'by default' });
    const own = items({}, { id: fields.IntegerField({ primaryKey: true }) });
    expect(table(compile({ Item: own }), 'items').columns.find((c) => c.name === 'id')!.identity).toBeNull();
  });

  it('refuses what PostgreSQL could not do, naming the place', () => {
    expect(errorOf({ Item: items({}, { code: fields.CharField({ identity: 'always' } as object) }) })).toMatch(/models\.ts, model Item, field code: identity needs an integer field/);
    expect(errorOf({ Item: items({}, { n: fields.IntegerField({ identity: 'sometimes' } as object) }) })).toMatch(/field n: identity must be 'always' or 'by default'/);
    expect(errorOf({ Item: items({}, { t: fields.IntegerField({ generated: 'quantity * 2', default: 1 }) }) })).toMatch(/field t: a generated column cannot have a default/);
    expect(errorOf({ Item: items({ checks: [{ sql: 'quantity > 0' }, { sql: 'quantity < 9' }] }) })).toMatch(/two checks are named "items_quantity_check"/);
    expect(errorOf({ Item: items({ checks: [{ sql: '' }] }) })).toMatch(/check #1: a check’s `sql` must be SQL text/);
    expect(errorOf({ Item: items({ indexes: [{ fields: ['name'], expressions: ['lower(name)'] }] }) })).toMatch(/give `fields` or `expressions`, not both/);
    expect(errorOf({ Item: items({ indexes: [{ fields: ['name'], nullsNotDistinct: true }] }) })).toMatch(/nullsNotDistinct needs unique: true/);
    expect(errorOf({ Item: items({ uniqueTogether: [{ fields: ['name', 'quantity'], deferrable: 'later' }] }) })).toMatch(/deferrable must be 'immediate' or 'deferred'/);
    const Target = items({});
    const Ref = (toField: string) =>
      defineModel('Ref', { tablename: 'refs', fields: { item: fields.ForeignKey(() => Target, { toField }) } });
    expect(errorOf({ Target, Ref: Ref('name') })).toMatch(/model Ref, field item: toField: Item\.name is not unique/);
    expect(errorOf({ Target, Ref: Ref('nope') })).toMatch(/toField: Item has no field "nope"/);
  });
});

describe('model SQL compared in one spelling', () => {
  it.each([
    ['quantity > 0', 'CHECK ((quantity > 0))'],
    ['quantity > 0', 'CHECK (quantity > 0) NOT VALID'],
    ['price > 0', 'CHECK (price > 0::numeric)'],
    ['price * quantity', '(price * (quantity)::numeric)'],
    ['lower(email)', '(lower((email)::text))'],
    ["email <> ''", "((email)::text <> ''::text)"],
    ["role = 'admin'", "(role = 'admin'::user_role)"],
    ['a > 0 AND (b > 0 OR c > 0)', '((a > 0) AND ((b > 0) OR (c > 0)))'],
    ['deleted_at IS NULL', 'deleted_at is null'],
  ])('%s is the same as %s', (model, database) => {
    expect(normalizeExpr(model)).toBe(normalizeExpr(database));
  });

  it.each([
    ['a > 0', 'a >= 0'],
    ['(a OR b) AND c', 'a OR b AND c'],
    ["name = 'X'", "name = 'x'"],
  ])('%s differs from %s', (a, b) => {
    expect(normalizeExpr(a)).not.toBe(normalizeExpr(b));
  });
});

describe('the diff', () => {
  const models = compile({ Account });
  /** The models as PostgreSQL prints them back. */
  const asDatabase: Schema = {
    ...models,
    tables: models.tables.map((t) => ({
      ...t,
      checks: t.checks.map((c) => ({ ...c, expression: `CHECK ((${c.expression}))` })),
      columns: t.columns.map((c) => (c.generated ? { ...c, generated: '(price * (quantity)::numeric)' } : c)),
      indexes: t.indexes.map((i) => ({ ...i, columns: i.columns.map((c) => (c === '(lower(email))' ? '(lower((email)::text))' : c)) })),
    })),
  };

  it("finds nothing between the models and PostgreSQL's spelling of them", () => {
    expect(diffSchemas(asDatabase, models).operations).toEqual([]);
  });

  it('sees identity added, removed and switched', () => {
    const withIdentity = (identity: 'always' | 'by default' | null): Schema => ({
      ...models,
      tables: models.tables.map((t) => ({ ...t, columns: t.columns.map((c) => (c.name === 'id' ? { ...c, identity } : c)) })),
    });
    for (const [from, to] of [[null, 'always'], ['always', null], ['by default', 'always']] as const) {
      const ops = diffSchemas(withIdentity(from), withIdentity(to), { facts: { rows: { accounts: 5 } } });
      expect(ops.questions).toEqual([]);
      expect(ops.operations).toHaveLength(1);
      expect(ops.operations[0]).toMatchObject({ kind: 'alterColumn', table: 'accounts', column: 'id' });
    }
  });

  it('manages checks: dropped when the models lose one, added when they gain one', () => {
    const without: Schema = { ...models, tables: models.tables.map((t) => ({ ...t, checks: [] })) };
    expect(diffSchemas(asDatabase, without).operations.map((o) => o.kind)).toEqual(['dropCheck', 'dropCheck']);
    expect(diffSchemas(without, models).operations.map((o) => o.kind)).toEqual(['addCheck', 'addCheck']);
  });

  it('asks before a plain column with rows becomes generated', () => {
    const plain: Schema = {
      ...models,
      tables: models.tables.map((t) => ({ ...t, columns: t.columns.map((c) => (c.generated ? { ...c, generated: undefined } : c)) })),
    };
    const asked = diffSchemas(plain, models, { facts: { rows: { accounts: 3 } } });
    expect(asked.questions.map((q) => q.id)).toEqual(['destructive:column:accounts.total']);
    const answered = diffSchemas(plain, models, { facts: { rows: { accounts: 3 } }, answers: { 'destructive:column:accounts.total': { confirm: true } } });
    expect(answered.operations.map((o) => o.kind)).toEqual(['dropColumn', 'addColumn']);
  });

  it('keeps the values of a generated column made plain (DROP EXPRESSION), without asking; the way back computes them again', () => {
    const plain: Schema = {
      ...models,
      tables: models.tables.map((t) => ({ ...t, columns: t.columns.map((c) => (c.generated ? { ...c, generated: undefined } : c)) })),
    };
    const made = diffSchemas(models, plain, { facts: { rows: { accounts: 3 } } });
    expect(made.questions).toEqual([]);
    const alter = made.operations.find((o) => o.kind === 'alterColumn');
    expect(alter && operationToSql(alter)).toEqual(['ALTER TABLE accounts ALTER COLUMN total DROP EXPRESSION']);
    const back = reverseOperation(alter!);
    expect(operationToSql(back.op!)).toEqual([
      'ALTER TABLE accounts DROP COLUMN total',
      expect.stringMatching(/^ALTER TABLE accounts ADD COLUMN total \S+ GENERATED ALWAYS AS \(.+\) STORED/),
    ]);
    expect(back.note).toMatch(/accounts\.total is computed again/);
  });
});

describe('operations', () => {
  const from = { type: 'integer', nullable: false, default: null };
  const addIdentity: Operation = { kind: 'alterColumn', table: 'items', column: 'id', from, to: { ...from, identity: 'always' } };

  it('identity added starts its sequence past the highest value; removed and switched', () => {
    expect(operationToSql(addIdentity)).toEqual([
      'ALTER TABLE items ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY',
      "SELECT setval(pg_get_serial_sequence('items', 'id'), coalesce(max(id), 0) + 1, false) FROM items",
    ]);
    expect(operationToSql(reverseOperation(addIdentity).op!)).toEqual(['ALTER TABLE items ALTER COLUMN id DROP IDENTITY']);
    expect(operationToSql({ ...addIdentity, from: { ...from, identity: 'by default' } } as Operation)).toEqual([
      'ALTER TABLE items ALTER COLUMN id SET GENERATED ALWAYS',
    ]);
  });

  it('a check is added NOT VALID, then validated; its reverse drops it', () => {
    const op: Operation = { kind: 'addCheck', table: 'items', check: { name: 'items_quantity_check', expression: 'quantity > 0' } };
    expect(operationToSql(op)).toEqual([
      'ALTER TABLE items ADD CONSTRAINT items_quantity_check CHECK (quantity > 0) NOT VALID',
      'ALTER TABLE items VALIDATE CONSTRAINT items_quantity_check',
    ]);
    expect(operationToSql(reverseOperation(op).op!)).toEqual(['ALTER TABLE items DROP CONSTRAINT items_quantity_check']);
  });

  it('the SPEC example as one CREATE TABLE', () => {
    const t = table(compile({ Account }), 'accounts');
    const sql = operationToSql({ kind: 'createTable', table: { ...t, foreignKeys: [] } }).join(';\n');
    expect(sql).toContain('id bigint GENERATED ALWAYS AS IDENTITY NOT NULL');
    expect(sql).toContain('total numeric(12,2) GENERATED ALWAYS AS (price * quantity) STORED NOT NULL');
    expect(sql).toContain('CONSTRAINT accounts_email_quantity_key UNIQUE NULLS NOT DISTINCT (email, quantity) DEFERRABLE INITIALLY IMMEDIATE');
    expect(sql).toContain('CONSTRAINT accounts_quantity_positive CHECK (quantity > 0)');
    expect(sql).toContain('CREATE UNIQUE INDEX accounts_email_lower_uq ON accounts ((lower(email)))');
    expect(operationToSql({ kind: 'addForeignKey', table: 'accounts', foreignKey: t.foreignKeys[0] })).toEqual([
      'ALTER TABLE accounts ADD CONSTRAINT accounts_referrer_id_fkey FOREIGN KEY (referrer_id) REFERENCES accounts (email) DEFERRABLE INITIALLY DEFERRED',
    ]);
  });

  it('replay follows checks and identity, and the schema text shows every feature', () => {
    const models = compile({ Account });
    const ops = diffSchemas({ extensions: [], enums: [], tables: [], views: [] }, models).operations;
    const replayed = applyOperations({ extensions: [], enums: [], tables: [], views: [] }, ops);
    expect(replayed.unknown).toEqual([]);
    expect(replayed.schema).toEqual(models);

    const dropped = applyOperations(replayed.schema, [
      { kind: 'dropCheck', table: 'accounts', check: table(models, 'accounts').checks[0] },
      { kind: 'alterColumn', table: 'accounts', column: 'id', from: { type: 'bigint', nullable: false, default: null, identity: 'always' }, to: { type: 'bigint', nullable: false, default: null } },
    ]);
    expect(table(dropped.schema, 'accounts').checks.map((c) => c.name)).toEqual(['accounts_quantity_positive']);
    expect(table(dropped.schema, 'accounts').columns[0].identity).toBeNull();

    const text = schemaText(models);
    expect(text).toContain('total numeric(12,2) NOT NULL generated (price * quantity) stored');
    expect(text).toContain('unique accounts_email_quantity_key nulls not distinct (email, quantity) deferrable initially immediate');
    expect(text).toContain('foreign key accounts_referrer_id_fkey (referrer_id) → accounts (email) deferrable initially deferred');
    expect(text).toContain('check accounts_quantity_positive quantity > 0');
  });
});

describe('lint', () => {
  it('flags a stored generated column added to an existing table, not a check (added NOT VALID, then validated)', () => {
    const total = { name: 'total', type: 'integer', nullable: true, default: null, identity: null, generated: 'quantity * 2', comment: null };
    expect(lintOperations([{ kind: 'addColumn', table: 'items', column: total }]).map((f) => [f.rule, f.risk])).toEqual([
      ['volatile-default', expect.stringContaining('a stored generated column is computed for each row')],
    ]);
    expect(lintOperations([{ kind: 'addCheck', table: 'items', check: { name: 'items_quantity_check', expression: 'quantity > 0' } }])).toEqual([]);
  });
});
