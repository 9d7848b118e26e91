/**
 * Database passwords never reach the output, and nothing else is hidden in
 * their place: a URL that does not parse is shown as its scheme only; a
 * password that is also a word of the SQL (`password`, `id`) leaves that SQL
 * alone. Through the real CLI, against the real test server.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, makeProjectDir, runCli } from './support/cli.js';
import { adminUrl, asAdmin, freshDatabase, withDatabaseName } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';

const MODELS = `import { defineModel, fields } from 'fastedgy';
export const Account = defineModel('Account', {
  tablename: 'accounts',
  fields: { password: fields.CharField({ maxLength: 128 }) },
});
`;

function project(models = MODELS): string {
  const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': models, 'migrations/versions/.keep': '' });
  writeFileSync(join(dir, 'migrations', 'script.ts.tmpl'), readFileSync(new URL('../templates/default/script.ts.tmpl', import.meta.url), 'utf8'));
  return dir;
}

describe('a database URL that does not parse', () => {
  it('is shown as its scheme only, never the password around its @', async () => {
    const url = 'postgres://u:S3cr@t:w/rd#?&%!x@host/db';
    const r = await runCli(['db', 'current'], { cwd: project(), env: { DATABASE_URL: url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid database URL postgres://…');
    expect(r.stderr).toContain('URL-encode');
    for (const piece of ['S3cr', 't:w', 'w/rd', '%!x', 'x@host', 'host/db']) expect(r.stderr + r.stdout).not.toContain(piece);
  });

  it('is refused the same way from --database-url', async () => {
    const r = await runCli(['db', 'current', '--database-url', 'postgresql://admin:p@ss/w0rd@db.example/app'], { cwd: project(), env: { DATABASE_URL: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid database URL postgresql://…');
    expect(r.stderr).not.toContain('w0rd');
    expect(r.stderr).not.toContain('p@ss');
  });
});

describe('a password that is also a word of the output', () => {
  let fresh: FreshDatabase;
  const tag = randomBytes(3).toString('hex');
  // Roles whose passwords are words the generated SQL contains.
  const roles = { password: `fe_pw_password_${tag}`, id: `fe_pw_id_${tag}` };

  beforeAll(async () => {
    fresh = await freshDatabase('server');
    await asAdmin(async (c) => {
      for (const [password, role] of Object.entries(roles)) await c.query(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${password}'`);
    });
  });

  afterAll(async () => {
    await fresh?.dispose();
    await asAdmin(async (c) => {
      for (const role of Object.values(roles)) await c.query(`DROP ROLE IF EXISTS ${role}`);
    });
  });

  function urlAs(password: keyof typeof roles): string {
    const u = new URL(withDatabaseName(adminUrl(), new URL(fresh.url!).pathname.slice(1)));
    u.username = roles[password];
    u.password = password;
    return u.toString();
  }

  it('makemigrations --sql keeps `password character varying(128)` and `PRIMARY KEY (id)`', async () => {
    for (const password of ['password', 'id'] as const) {
      const r = await runCli(['db', 'makemigrations', '--sql'], { cwd: project(), env: { DATABASE_URL: urlAs(password) } });
      // Nothing but the proof's line on stderr (no error, no redaction mark).
      expect(r.stderr).toMatch(/^proven: up -> down -> up \(\d+ ms\)\n$/);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('password character varying(128) NOT NULL');
      expect(r.stdout).toContain('PRIMARY KEY (id)');
      expect(r.stdout).not.toContain('***');
    }
  });

  it('migrate --sql (offline) keeps the SQL whole as well', async () => {
    const dir = project();
    expect((await runCli(['db', 'makemigrations', '-m', 'accounts'], { cwd: dir, env: { DATABASE_URL: urlAs('id') } })).code).toBe(0);
    const r = await runCli(['db', 'migrate', '--sql'], { cwd: dir, env: { DATABASE_URL: 'postgres://app:password@127.0.0.1:1/none' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('password character varying(128) NOT NULL');
    expect(r.stdout).toContain('PRIMARY KEY (id)');
  });

  it('the URL itself, wherever a message carries it, loses its password and only that', async () => {
    // A models file whose error message quotes the URL, as a careless config might.
    const models = `throw new Error('cannot reach ' + process.env.DATABASE_URL + ' (password column id)');\n`;
    const url = urlAs('password');
    const r = await runCli(['db', 'makemigrations'], { cwd: project(models), env: { DATABASE_URL: url } });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain(`:password@`);
    expect(r.stderr).toContain(`postgresql://${roles.password}@`);
    expect(r.stderr).toContain('(password column id)');
  });

  it('createdb names the database by its URL without the password', async () => {
    const url = urlAs('id');
    const r = await runCli(['db', 'createdb'], { cwd: project(), env: { DATABASE_URL: url } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`postgresql://${roles.id}@`);
    expect(r.stdout).not.toContain(':id@');
  });
});
