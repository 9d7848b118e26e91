/**
 * Connecting: failures become one UserError that never shows the password;
 * URL-encoded user, password and database names work; createdb; the
 * embedded database; query results and errors as the core expects them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServerDatabase, openEmbedded, openServer, redactUrl } from '../source/db/connect.js';
import { UserError } from '../source/errors.js';
import { adminUrl, asAdmin, engines, freshDatabase, withDatabaseName } from './support/databases.js';

async function failure(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a failure');
}

const text = (e: UserError) => `${e.message}\n${e.hint ?? ''}`;

/** A port on localhost that nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('redactUrl', () => {
  it('removes the password and keeps the rest', () => {
    expect(redactUrl('postgresql://ada:s3cr%40t@db.example:6543/app?sslmode=require')).toBe('postgresql://ada@db.example:6543/app?sslmode=require');
    expect(redactUrl('postgres://ada@localhost/app')).toBe('postgres://ada@localhost/app');
    expect(redactUrl('postgres://ada@localhost/app?password=hunter2')).not.toContain('hunter2');
  });
});

describe('openServer failures', () => {
  const secret = 'Sup3rS3cret-pw';

  it('an unreachable port: one message, no password', async () => {
    const port = await closedPort();
    const e = await failure(openServer(`postgresql://ada:${secret}@127.0.0.1:${port}/app`));
    expect(e.message).toBe(`cannot reach the database server at 127.0.0.1:${port}`);
    expect(text(e)).not.toContain(secret);
  });

  it('an unknown host', async () => {
    const e = await failure(openServer(`postgresql://ada:${secret}@no-such-host.invalid:5432/app`));
    expect(e.message).toBe('cannot reach the database server at no-such-host.invalid:5432');
  });

  it('a missing database names it and points at createdb', async () => {
    const url = withDatabaseName(adminUrl(), 'fastedgy_no_such_db');
    const e = await failure(openServer(url));
    expect(e.message).toContain('"fastedgy_no_such_db" does not exist');
    expect(e.hint).toContain('fastedgy db createdb');
    expect(text(e)).not.toContain(new URL(adminUrl()).password);
  });

  it('a wrong password', async () => {
    const u = new URL(adminUrl());
    u.password = secret;
    const e = await failure(openServer(u.toString()));
    expect(e.message).toMatch(/^authentication failed for user "postgres"/);
    expect(text(e)).not.toContain(secret);
  });

  it('an unknown user', async () => {
    const u = new URL(adminUrl());
    u.username = 'nobody_here';
    const e = await failure(openServer(u.toString()));
    expect(e.message).toMatch(/^authentication failed for user "nobody_here"/);
  });
});

describe('URL-encoded names', () => {
  it('a user, password and database with special characters work, and createdb creates the database', async () => {
    const tag = randomBytes(3).toString('hex');
    const role = `fe user@${tag}`;
    const password = `p@ss:w/rd%?#&é'"${tag}`;
    const database = `fastedgy db/ü?#@ ${tag}`;
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    await asAdmin((c) => c.query(`CREATE ROLE ${q(role)} LOGIN CREATEDB PASSWORD '${password.replace(/'/g, "''")}'`));
    try {
      const u = new URL(adminUrl());
      u.username = encodeURIComponent(role);
      u.password = encodeURIComponent(password);
      u.pathname = '/' + encodeURIComponent(database);
      const url = u.toString();

      expect(text(await failure(openServer(url)))).toContain('createdb');
      expect(await createServerDatabase(url)).toBe('created');
      expect(await createServerDatabase(url)).toBe('exists');

      const db = await openServer(url);
      try {
        expect(db.kind).toBe('server');
        expect(db.label).not.toContain(encodeURIComponent(password));
        expect(await db.query('SELECT current_user AS "user", current_database() AS "database"')).toEqual([{ user: role, database }]);
      } finally {
        await db.close();
      }
    } finally {
      await asAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${q(database)} WITH (FORCE)`);
        await c.query(`DROP ROLE ${q(role)}`);
      });
    }
  });
});

describe.each(engines)('queries on %s', (engine) => {
  it('returns the last statement\'s rows, takes parameters, and keeps pg errors as they are', async () => {
    const fresh = await freshDatabase(engine);
    try {
      const { db } = fresh;
      expect(db.kind).toBe(engine);
      expect(await db.query('CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2); SELECT a FROM t ORDER BY a')).toEqual([{ a: 1 }, { a: 2 }]);
      expect(await db.query('SELECT a FROM t WHERE a = $1', [2])).toEqual([{ a: 2 }]);
      expect(await db.query('INSERT INTO t VALUES (3)')).toEqual([]);
      const err = await db.query('SELECT nope FROM t').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: '42703', position: '8' });
      expect((err as Error).message).toBe('column "nope" does not exist');
    } finally {
      await fresh.dispose();
    }
  });
});

describe('openEmbedded', () => {
  it('creates the directory, keeps data across opens, and has pgvector', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'fastedgy-open-')), 'nested', 'db');
    try {
      const first = await openEmbedded(dir);
      expect(first.label).toBe(dir);
      await first.query('CREATE EXTENSION vector; CREATE TABLE kept (v vector(2)); INSERT INTO kept VALUES (\'[1,2]\')');
      await first.close();
      await first.close(); // twice is harmless

      const again = await openEmbedded(dir);
      expect(await again.query('SELECT v::text AS v FROM kept')).toEqual([{ v: '[1,2]' }]);
      await again.close();
    } finally {
      rmSync(join(dir, '..', '..'), { recursive: true, force: true });
    }
  });

  it('accepts memory://', async () => {
    const db = await openEmbedded('memory://');
    expect(db.kind).toBe('embedded');
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await db.close();
  });
});
