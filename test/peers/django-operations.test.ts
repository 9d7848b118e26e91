/**
 * Django's migration operation tests (tests/migrations/test_operations.py)
 * ported to our models: each Django test applies one operation to a model
 * state and checks the database forwards and backwards; here the same change
 * is made by editing the models, and runs up, down and up again on both
 * engines (see support/peer-case.ts for what every case must show).
 */
import { expect } from 'vitest';
import type { PeerCase } from './support/peer-case.js';
import { model, peerSuite } from './support/peer-case.js';

const OP = 'django test_operations.py::OperationTests::';

// Django's `Pony` fixture: pink (integer, default 3) and weight (float).
const ponyFields = `pink: fields.IntegerField({ default: 3 }), weight: fields.FloatField()`;
const pony = (f = ponyFields, extra = '') => model('Pony', 'ponies', f, extra);
const seedPony = `INSERT INTO ponies (pink, weight) VALUES (3, 6.5)`;

/** The error a statement fails with (a constraint must now refuse a row). */
async function refused(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('the statement was accepted');
}

const cases: PeerCase[] = [
  {
    name: 'a partial unique index added',
    peer: `${OP}test_add_partial_unique_constraint`,
    v1: pony(),
    seed: seedPony,
    v2: pony(ponyFields, `indexes: [{ fields: ['pink'], unique: true, where: 'weight > 5', name: 'test_constraint_pony_pink_for_weight_gt_5_uniq' }]`),
    verify: async (p) => {
      await p.db.query(`INSERT INTO ponies (pink, weight) VALUES (3, 1)`); // outside the predicate
      expect(await refused(() => p.db.query(`INSERT INTO ponies (pink, weight) VALUES (3, 7)`))).toMatch(/duplicate key/);
    },
  },
  {
    name: 'a deferred unique constraint added',
    peer: `${OP}test_add_deferred_unique_constraint`,
    v1: pony(),
    seed: seedPony,
    v2: pony(ponyFields, `uniqueTogether: [{ fields: ['pink'], name: 'deferred_pink_constraint_add', deferrable: 'deferred' }]`),
    verify: async (p) => {
      // Deferred: two rows may hold the same value inside a transaction until it commits.
      const [row] = await p.rows<{ c: string }>(
        `SELECT condeferrable::text || condeferred::text AS c FROM pg_constraint WHERE conname = 'deferred_pink_constraint_add'`,
      );
      expect(row.c).toBe('truetrue');
    },
  },
  {
    name: 'an index on a function of a column added',
    peer: `${OP}test_add_func_index`,
    v1: pony(),
    seed: seedPony,
    v2: pony(ponyFields, `indexes: [{ expressions: ['abs(weight)'], name: 'test_adfuin_pony_abs_idx' }]`),
  },
  {
    name: 'a unique index on a function of a column added',
    peer: `${OP}test_add_func_unique_constraint`,
    v1: pony(),
    seed: seedPony,
    v2: pony(ponyFields, `indexes: [{ expressions: ['abs(weight)'], unique: true, name: 'test_adfuncuc_pony_abs_uq' }]`),
    verify: async (p) => expect(await refused(() => p.db.query(`INSERT INTO ponies (pink, weight) VALUES (1, -6.5)`))).toMatch(/duplicate key/),
  },
  {
    name: 'a check constraint with OR added',
    peer: `${OP}test_add_or_constraint`,
    v1: pony(),
    seed: seedPony,
    v2: pony(ponyFields, `checks: [{ name: 'add_constraint_or', sql: '(pink > 2 AND weight > 2) OR weight < 0' }]`),
    verify: async (p) => expect(await refused(() => p.db.query(`INSERT INTO ponies (pink, weight) VALUES (2, 3)`))).toMatch(/add_constraint_or/),
  },
  {
    name: 'a check constraint whose SQL holds percent signs added',
    peer: `${OP}test_add_constraint_percent_escaping`,
    v1: model('Author', 'authors', `name: fields.CharField({ maxLength: 100 }), rebate: fields.CharField({ maxLength: 100 })`),
    seed: `INSERT INTO authors (name, rebate) VALUES ('Albert', '10%')`,
    v2: model('Author', 'authors', `name: fields.CharField({ maxLength: 100 }), rebate: fields.CharField({ maxLength: 100 })`,
      `checks: [{ name: 'test_add_constraint_rebate_percent', sql: "rebate LIKE '%!%' ESCAPE '!'" }]`),
    verify: async (p) => expect(await refused(() => p.db.query(`INSERT INTO authors (name, rebate) VALUES ('Albert', '10$')`))).toMatch(/rebate_percent/),
  },
  {
    name: 'a stored generated column added',
    peer: `${OP}test_add_generated_field`,
    v1: pony(),
    seed: seedPony,
    v2: pony(`${ponyFields}, modified_pink: fields.IntegerField({ generated: 'pink + 1' })`),
    verify: async (p) => expect(await p.rows('SELECT modified_pink FROM ponies')).toEqual([{ modified_pink: 4 }]),
  },
  {
    name: "a primary key's type widened while a foreign key references it",
    peer: `${OP}test_alter_field_pk_fk`,
    v1: pony(`id: fields.IntegerField({ primaryKey: true, identity: 'by default' }), ${ponyFields}`)
      + model('Rider', 'riders', `pony: fields.ForeignKey(() => Pony, { onDelete: 'cascade' })`),
    seed: `${seedPony}; INSERT INTO riders (pony_id) VALUES (1)`,
    v2: pony(`id: fields.BigIntegerField({ primaryKey: true, identity: 'by default' }), ${ponyFields}`)
      + model('Rider', 'riders', `pony: fields.ForeignKey(() => Pony, { onDelete: 'cascade' })`),
  },
  {
    name: 'the unique field a foreign key points at (toField) changes type',
    peer: `${OP}test_alter_field_reloads_state_on_fk_with_to_field_target_type_change`,
    v1: model('Rider', 'riders', `code: fields.IntegerField({ unique: true })`)
      + model('Pony', 'ponies', `rider: fields.ForeignKey(() => Rider, { toField: 'code', onDelete: 'cascade' })`),
    seed: `INSERT INTO riders (code) VALUES (7); INSERT INTO ponies (rider_id) VALUES (7)`,
    v2: model('Rider', 'riders', `code: fields.BigIntegerField({ unique: true })`)
      + model('Pony', 'ponies', `rider: fields.ForeignKey(() => Rider, { toField: 'code', onDelete: 'cascade' })`),
  },
  {
    name: 'a model renamed that has a foreign key to itself',
    peer: `${OP}test_rename_model_with_self_referential_fk`,
    v1: model('Rider', 'riders', `friend: fields.ForeignKey(() => Rider, { null: true, onDelete: 'cascade' })`),
    seed: `INSERT INTO riders (friend_id) VALUES (NULL); INSERT INTO riders (friend_id) VALUES (1)`,
    v2: model('HorseRider', 'horse_riders', `friend: fields.ForeignKey(() => HorseRider, { null: true, onDelete: 'cascade' })`),
    answers: { 'rename-table:riders->horse_riders': 'rename' },
    verify: async (p) => expect(await p.rows('SELECT friend_id FROM horse_riders ORDER BY id')).toEqual([{ friend_id: null }, { friend_id: '1' }]),
  },
  {
    name: 'a default replaced by a server default',
    peer: `${OP}test_alter_field_change_default_to_database_default`,
    v1: pony(),
    v2: pony(`pink: fields.IntegerField({ serverDefault: '4' }), weight: fields.FloatField()`),
  },
  {
    name: 'a foreign key turned into a plain integer column',
    peer: `${OP}test_alter_fk_non_fk`,
    v1: pony() + model('Rider', 'riders', `pony: fields.ForeignKey(() => Pony, { onDelete: 'cascade' })`),
    seed: `${seedPony}; INSERT INTO riders (pony_id) VALUES (1)`,
    v2: pony() + model('Rider', 'riders', `pony: fields.BigIntegerField({ column: 'pony_id' })`),
  },
  {
    name: 'an index flag added to a field',
    peer: `${OP}test_alter_field_with_index`,
    v1: pony(),
    seed: seedPony,
    v2: pony(`pink: fields.IntegerField({ default: 3, index: true }), weight: fields.FloatField()`),
  },
  {
    name: 'NOT NULL binary fields with defaults added to a table with rows',
    peer: `${OP}test_add_binaryfield`,
    v1: pony(),
    seed: seedPony,
    v2: pony(`${ponyFields}, blob: fields.BinaryField({ serverDefault: "'\\\\x616c6c20796f7572'" }), empty: fields.BinaryField({ serverDefault: "''" })`),
    verify: async (p) => expect(await p.rows(`SELECT encode(blob, 'escape') AS b, length(empty) AS n FROM ponies`)).toEqual([{ b: 'all your', n: 0 }]),
  },
  {
    name: 'a many-to-many field added to an existing model',
    peer: `${OP}test_add_field_m2m`,
    v1: pony() + model('Stable', 'stables', `name: fields.CharField({ maxLength: 20 })`),
    seed: seedPony,
    v2: pony(`${ponyFields}, stables: fields.ManyToManyField(() => Stable)`) + model('Stable', 'stables', `name: fields.CharField({ maxLength: 20 })`),
  },
  {
    name: 'a many-to-many field removed',
    peer: `${OP}test_remove_field_m2m`,
    v1: pony(`${ponyFields}, stables: fields.ManyToManyField(() => Stable)`) + model('Stable', 'stables', `name: fields.CharField({ maxLength: 20 })`),
    v2: pony() + model('Stable', 'stables', `name: fields.CharField({ maxLength: 20 })`),
  },
];

peerSuite('Django operation cases', cases);
