/**
 * An enum value the same revision adds, used at once: as a column's default
 * (changed, or on a new column or table), as the value that fills a new NOT
 * NULL column, in a partial index's WHERE or a CHECK. PostgreSQL refuses to
 * use a value `ALTER TYPE … ADD VALUE` added before the transaction commits
 * ("unsafe use of new value"), so such a revision must bring the value in a
 * way the rest of the revision can use, and step back cleanly.
 * Found by the wide random generator (issue 12); each case round-trips on
 * both engines through the peer-case runner.
 */
import { enumOf, model, runCases, type PeerCase } from './peers/support/case-runner.js';

const FOUND = 'fastedgy random-roundtrip wideModels';
const status = (values: string[]) => enumOf('Status', 'user_status', values);
const OLD = ['active', 'passive'];
const NEW = ['active', 'passive', 'banned'];

const cases: PeerCase[] = [
  {
    name: "a column's default changed to a value added in the same revision",
    peer: FOUND,
    v1: status(OLD) + model('User', 'users', `status: fields.ChoiceField({ choices: Status, default: 'active' })`),
    seed: `INSERT INTO users (status) VALUES ('active'), ('passive')`,
    v2: status(NEW) + model('User', 'users', `status: fields.ChoiceField({ choices: Status, default: 'banned' })`),
    probe: {
      sql: "SELECT column_default FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'status'",
      up: [{ column_default: "'banned'::user_status" }],
      down: [{ column_default: "'active'::user_status" }],
    },
  },
  {
    name: 'a new column whose default is a value added in the same revision',
    peer: FOUND,
    v1: status(OLD) + model('User', 'users', `status: fields.ChoiceField({ choices: Status, null: true })`),
    seed: `INSERT INTO users (status) VALUES ('active'), (NULL)`,
    v2: status(NEW) + model('User', 'users', `status: fields.ChoiceField({ choices: Status, null: true }), level: fields.ChoiceField({ choices: Status, default: 'banned' })`),
    probe: { sql: 'SELECT status, level FROM users ORDER BY id', up: [{ status: 'active', level: 'banned' }, { status: null, level: 'banned' }] },
  },
  {
    name: 'a new table whose default is a value added in the same revision',
    peer: FOUND,
    v1: status(OLD) + model('User', 'users', `status: fields.ChoiceField({ choices: Status })`),
    seed: `INSERT INTO users (status) VALUES ('passive')`,
    v2: status(NEW)
      + model('User', 'users', `status: fields.ChoiceField({ choices: Status })`)
      + model('Ban', 'bans', `status: fields.ChoiceField({ choices: Status, default: 'banned' })`),
    probe: { sql: 'SELECT status FROM users', up: [{ status: 'passive' }], down: [{ status: 'passive' }] },
  },
  {
    name: 'a new NOT NULL column on a table with rows, filled with a value added in the same revision',
    peer: FOUND,
    v1: status(OLD) + model('User', 'users', `name: fields.CharField({ maxLength: 20 })`),
    seed: `INSERT INTO users (name) VALUES ('ann'), ('bob')`,
    v2: status(NEW) + model('User', 'users', `name: fields.CharField({ maxLength: 20 }), status: fields.ChoiceField({ choices: Status })`),
    answers: { 'backfill:users.status': { value: 'banned' } },
    probe: { sql: 'SELECT name, status FROM users ORDER BY id', up: [{ name: 'ann', status: 'banned' }, { name: 'bob', status: 'banned' }] },
  },
  {
    name: "a partial index whose WHERE names a value added in the same revision",
    peer: FOUND,
    v1: status(OLD) + model('User', 'users', `status: fields.ChoiceField({ choices: Status })`),
    seed: `INSERT INTO users (status) VALUES ('active'), ('passive')`,
    v2: status(NEW) + model('User', 'users', `status: fields.ChoiceField({ choices: Status })`, `indexes: [{ fields: ['status'], where: "status = 'banned'", name: 'users_banned' }]`),
    probe: { sql: 'SELECT status FROM users ORDER BY id', up: [{ status: 'active' }, { status: 'passive' }], down: [{ status: 'active' }, { status: 'passive' }] },
  },
  {
    name: 'a value added and used as a default while a partial index compares the column with an old value',
    peer: FOUND,
    v1: status(OLD) + model('User', 'users', `status: fields.ChoiceField({ choices: Status, default: 'active' })`, `indexes: [{ fields: ['status'], unique: true, where: "status = 'passive'", name: 'one_passive' }]`),
    seed: `INSERT INTO users (status) VALUES ('active'), ('passive')`,
    v2: status(NEW) + model('User', 'users', `status: fields.ChoiceField({ choices: Status, default: 'banned' })`, `indexes: [{ fields: ['status'], unique: true, where: "status = 'passive'", name: 'one_passive' }]`),
    probe: { sql: 'SELECT status FROM users ORDER BY id', up: [{ status: 'active' }, { status: 'passive' }], down: [{ status: 'active' }, { status: 'passive' }] },
  },
  {
    name: 'a CHECK naming a value added in the same revision',
    peer: FOUND,
    v1: status(OLD) + model('User', 'users', `status: fields.ChoiceField({ choices: Status })`),
    seed: `INSERT INTO users (status) VALUES ('active')`,
    v2: status(NEW) + model('User', 'users', `status: fields.ChoiceField({ choices: Status })`, `checks: [{ name: 'not_banned', sql: "status <> 'banned'" }]`),
    probe: { sql: 'SELECT status FROM users', up: [{ status: 'active' }], down: [{ status: 'active' }] },
  },
  {
    name: 'a value removed (its rows mapped) while another is added and made the default',
    peer: FOUND,
    v1: status(OLD) + model('User', 'users', `status: fields.ChoiceField({ choices: Status, default: 'passive' })`),
    seed: `INSERT INTO users (status) VALUES ('active'), ('passive')`,
    v2: status(['active', 'banned']) + model('User', 'users', `status: fields.ChoiceField({ choices: Status, default: 'banned' })`),
    answers: { 'enum-remove:user_status.passive': { mapTo: 'active' } },
    probe: { sql: 'SELECT status FROM users ORDER BY id', up: [{ status: 'active' }, { status: 'active' }] },
  },
  {
    name: 'values reordered while one is added and made the default',
    peer: FOUND,
    v1: status(OLD) + model('User', 'users', `status: fields.ChoiceField({ choices: Status, default: 'active' })`),
    seed: `INSERT INTO users (status) VALUES ('active'), ('passive')`,
    v2: status(['passive', 'banned', 'active']) + model('User', 'users', `status: fields.ChoiceField({ choices: Status, default: 'banned' })`),
    probe: { sql: 'SELECT status FROM users ORDER BY status', up: [{ status: 'passive' }, { status: 'active' }], down: [{ status: 'active' }, { status: 'passive' }] },
  },
  {
    name: 'a view that reads the column and names a value added in the same revision',
    peer: FOUND,
    v1: status(OLD) + model('User', 'users', `status: fields.ChoiceField({ choices: Status })`)
      + `export const Active = defineView('Active', { viewname: 'active_users', sql: "SELECT id FROM users WHERE status = 'active'" });\n`,
    seed: `INSERT INTO users (status) VALUES ('active'), ('passive')`,
    v2: status(NEW) + model('User', 'users', `status: fields.ChoiceField({ choices: Status })`)
      + `export const Active = defineView('Active', { viewname: 'active_users', sql: "SELECT id FROM users WHERE status = 'active'" });\n`
      + `export const Banned = defineView('Banned', { viewname: 'banned_users', sql: "SELECT id FROM users WHERE status = 'banned'" });\n`,
    probe: { sql: 'SELECT count(*)::int AS n FROM active_users', up: [{ n: 1 }], down: [{ n: 1 }] },
  },
];

runCases('enum values used by the revision that adds them', cases);
