/**
 * Model views in the database's own spelling, on both engines: the same
 * text `pg_get_viewdef()` gives for the created view, nothing left behind,
 * and views the database cannot create yet left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalizeViews } from '../source/db/canonicalize-views.js';
import { introspect } from '../source/db/introspect.js';
import { engines, freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';
import { serverMajor } from './support/server-version.js';

describe.each(engines)('canonicalizeViews on %s', (engine) => {
  let fresh: FreshDatabase;
  /** Before 16, pg_get_viewdef() qualifies the columns of a single-table view: `users.id`. */
  let q: (table: string) => string;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    const major = await serverMajor(fresh.db);
    q = (table) => (major >= 16 ? '' : `${table}.`);
    await fresh.db.query(`
      CREATE TYPE userstatus AS ENUM ('active', 'inactive');
      CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, status userstatus NOT NULL);
    `);
  });
  afterAll(async () => fresh?.dispose());

  it('gives the text the created view reads back with', async () => {
    const sql = `select id, name from users where status = 'active'`;
    const canonical = await canonicalizeViews(fresh.db, [{ name: 'active_users', sql }]);
    await fresh.db.query(`CREATE VIEW active_users AS ${sql}`);
    try {
      const [view] = (await introspect(fresh.db)).views;
      expect(canonical).toEqual(new Map([['active_users', view.definition]]));
      expect(view.definition).toBe(`SELECT ${q('users')}id,\n    ${q('users')}name\n   FROM users\n  WHERE ${q('users')}status = 'active'::userstatus;`);
    } finally {
      await fresh.db.query('DROP VIEW active_users');
    }
  });

  it('leaves out views the database cannot create, keeps the others, and leaves nothing behind', async () => {
    const canonical = await canonicalizeViews(fresh.db, [
      { name: 'broken', sql: 'SELECT id FROM no_such_table' },
      { name: 'bad_column', sql: 'SELECT nope FROM users' },
      { name: 'names', sql: 'SELECT name FROM users;' },
    ]);
    expect([...canonical.keys()]).toEqual(['names']);
    expect(canonical.get('names')).toBe(`SELECT ${q('users')}name\n   FROM users;`);
    const left = await fresh.db.query(`SELECT relname FROM pg_class WHERE relname IN ('broken', 'bad_column', 'names')`);
    expect(left).toEqual([]);
    // The session is usable again: no transaction left open or aborted.
    expect(await fresh.db.query('SELECT count(*)::int AS n FROM users')).toEqual([{ n: 0 }]);
  });

  it('handles a view that reads another model view, in either order', async () => {
    const canonical = await canonicalizeViews(fresh.db, [
      { name: 'first_names', sql: 'SELECT name FROM named_users' },
      { name: 'named_users', sql: 'SELECT id, name FROM users WHERE name IS NOT NULL' },
    ]);
    expect(canonical.get('first_names')).toBe(`SELECT ${q('named_users')}name\n   FROM named_users;`);
    expect(canonical.get('named_users')).toBe(`SELECT ${q('users')}id,\n    ${q('users')}name\n   FROM users\n  WHERE ${q('users')}name IS NOT NULL;`);
  });

  it('runs nothing a view statement smuggles in', async () => {
    await canonicalizeViews(fresh.db, [{ name: 'sneaky', sql: 'SELECT 1 AS one; DROP TABLE users' }]);
    expect(await fresh.db.query(`SELECT to_regclass('users')::text AS t`)).toEqual([{ t: 'users' }]);
  });

  it('many views at once: the texts the created views read back with, a trailing -- comment and an odd name included, nothing left behind', async () => {
    const views = [
      ...Array.from({ length: 30 }, (_, i) => ({ name: `v${i}`, sql: `SELECT id, name FROM users WHERE id > ${i}` })),
      { name: 'Odd "name"', sql: 'SELECT name FROM users -- a note' },
      { name: 'of_v0', sql: 'SELECT name FROM v0;' },
    ];
    const canonical = await canonicalizeViews(fresh.db, views);
    expect(await fresh.db.query(`SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'v' AND relnamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema')`)).toEqual([{ n: 0 }]);
    for (const v of views) await fresh.db.query(`CREATE VIEW "${v.name.replace(/"/g, '""')}" AS ${v.sql.replace(/;$/, '')}\n`);
    try {
      const live = new Map((await introspect(fresh.db)).views.map((v) => [v.name, v.definition]));
      expect(canonical).toEqual(new Map(views.map((v) => [v.name, live.get(v.name)])));
      expect(canonical.size).toBe(32);
    } finally {
      for (const v of [...views].reverse()) await fresh.db.query(`DROP VIEW "${v.name.replace(/"/g, '""')}"`);
    }
  });

  it('returns an empty map for no views', async () => {
    expect(await canonicalizeViews(fresh.db, [])).toEqual(new Map());
  });
});
