/**
 * `makemigrations` in a real pseudo-terminal, driven by keypresses: a
 * rename, an enum value removal, a typed backfill (first an invalid one the
 * database rejects), then apply-now; the file and the database are checked.
 * And Ctrl-C writes nothing and exits 130.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, makeProjectDir, runCli } from './support/cli.js';
import { Terminal } from './support/terminal.js';
import { freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';

const V1 = `import { defineModel, defineEnum, fields } from 'fastedgy';
export const S = defineEnum('UserStatus', ['active', 'inactive', 'suspended']);
export const User = defineModel('User', { tablename: 'users', fields: { name: fields.CharField({ maxLength: 100 }), status: fields.ChoiceField({ choices: S }) } });
`;
const V2 = `import { defineModel, defineEnum, fields } from 'fastedgy';
export const S = defineEnum('UserStatus', ['active', 'inactive']);
export const User = defineModel('User', { tablename: 'users', fields: { display_name: fields.CharField({ maxLength: 100 }), status: fields.ChoiceField({ choices: S }), karma: fields.IntegerField() } });
`;

const ENTER = '\r';
const DOWN = '\u001b[B';

describe('makemigrations on a terminal', () => {
  let fresh: FreshDatabase;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fresh = await freshDatabase('server');
    env = { DATABASE_URL: fresh.url!, TERM: 'xterm-256color' };
    dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': V1 });
    for (const args of [['init'], ['makemigrations', '-m', 'v1'], ['migrate']]) expect((await runCli(['db', ...args], { cwd: dir, env })).code).toBe(0);
    await fresh.db.query(`INSERT INTO users (name, status) VALUES ('ada', 'suspended'), ('bob', 'active')`);
    writeFileSync(join(dir, 'models.ts'), V2);
  });
  afterAll(async () => fresh?.dispose());

  it('in a CI environment a terminal gets the line prompts, not the full-screen wizard', async () => {
    const t = new Terminal(dir, { ...env, CI: 'true' }, ['db', 'makemigrations']);
    await t.waitFor('choose 1-2');
    expect(t.seen('Needs a decision')).toBe(false);
    await t.type('\u0003');
    expect(await t.exited()).toBe(130);
  });

  it('the wizard draws on the alternate screen and restores the terminal on q and on Ctrl-C (issue 11)', async () => {
    for (const key of ['q', '\u0003']) {
      const t = new Terminal(dir, env, ['db', 'makemigrations']);
      await t.waitFor('Needs a decision');
      await t.type(key);
      expect(await t.exited()).toBe(130);
      const out = t.output();
      const entered = out.indexOf('\u001b[?1049h');
      expect(entered).toBeGreaterThanOrEqual(0);
      expect(out.indexOf('\u001b[?1049l', entered)).toBeGreaterThan(entered);
      // The outcome is said on the normal screen, after leaving the alternate one.
      expect(out.lastIndexOf('Cancelled: nothing was written.')).toBeGreaterThan(out.indexOf('\u001b[?1049l', entered));
    }
    expect(readdirSync(join(dir, 'migrations', 'versions'))).toHaveLength(1);
  });

  it('Ctrl-C writes nothing and exits 130', async () => {
    const t = new Terminal(dir, env, ['db', 'makemigrations', '--plain']);
    await t.waitFor('rename-column:users.name->users.display_name');
    await t.type('\u0003');
    expect(await t.exited()).toBe(130);
    expect(readdirSync(join(dir, 'migrations', 'versions'))).toHaveLength(1);
  });

  it('asks a rename, an enum removal and a backfill with keys, writes the file and applies it', async () => {
    const t = new Terminal(dir, env, ['db', 'makemigrations', '--plain', '--save-answers', 'answers.json']);
    await t.waitFor('rename-column:users.name->users.display_name');
    await t.type(ENTER); // rename (the best candidate is first)
    await t.waitFor("1 row holds 'suspended'");
    await t.type(DOWN + ENTER); // map to 'inactive'
    await t.waitFor('backfill:users.karma');
    await t.type(ENTER); // a value
    await t.waitFor('Value for the existing rows (integer)');
    await t.type('abc' + ENTER);
    await t.waitFor('invalid input syntax for type integer');
    await t.type('\u007f\u007f\u007f' + '42' + ENTER);
    await t.waitFor('Message for the revision');
    await t.type('karma and names' + ENTER);
    await t.waitFor('Write the revision?');
    await t.type(ENTER);
    await t.waitFor('Apply it now?');
    await t.type('y' + ENTER);
    await t.waitFor('Database is now at');
    expect(await t.exited()).toBe(0);

    const files = readdirSync(join(dir, 'migrations', 'versions'));
    expect(files.some((f) => f.endsWith('_karma_and_names.ts'))).toBe(true);
    expect(await fresh.db.query(`SELECT display_name, status::text AS status, karma FROM users ORDER BY display_name`)).toEqual([
      { display_name: 'ada', status: 'inactive', karma: 42 },
      { display_name: 'bob', status: 'active', karma: 42 },
    ]);
    expect(existsSync(join(dir, 'answers.json'))).toBe(true);
    expect((await runCli(['db', 'check'], { cwd: dir, env })).code).toBe(0);
  });

  it('the full-screen wizard: walk, answer with keys, review, write, apply', async () => {
    await runCli(['db', 'downgrade'], { cwd: dir, env });
    const versions = join(dir, 'migrations', 'versions');
    for (const f of readdirSync(versions)) if (f.endsWith('_karma_and_names.ts')) rmSync(join(versions, f));
    await fresh.db.query(`UPDATE users SET status = 'suspended' WHERE name = 'ada'`);
    const t = new Terminal(dir, env, ['db', 'makemigrations']);
    await t.waitFor('Needs a decision');
    await t.type('d'); // decisions only
    await t.type(ENTER);
    await t.waitFor('rename-column:users.name->users.display_name');
    await t.type(ENTER);
    await t.waitFor("1 row holds 'suspended'");
    await t.type(DOWN + ENTER);
    await t.waitFor('backfill:users.karma');
    await t.type(ENTER);
    await t.waitFor('value (integer)');
    await t.type('x');
    await t.type(ENTER);
    await t.waitFor('invalid input syntax for type integer');
    await t.type('\u007f' + '5');
    await t.type(ENTER);
    await t.waitFor('revision file');
    await t.type(ENTER);
    await t.waitFor('message:');
    await t.type(ENTER);
    await t.waitFor('Apply it now?');
    await t.type('y' + ENTER);
    await t.waitFor('Database is now at');
    expect(await t.exited()).toBe(0);
    expect(await fresh.db.query(`SELECT display_name, status::text AS status, karma FROM users ORDER BY display_name`)).toEqual([
      { display_name: 'ada', status: 'inactive', karma: 5 },
      { display_name: 'bob', status: 'active', karma: 5 },
    ]);
  });
});

describe('makemigrations on a terminal, lint', () => {
  it('warns about a risky step in the revision it writes (a column type that rewrites a table that exists)', async () => {
    const fresh = await freshDatabase('server');
    try {
      const env = { DATABASE_URL: fresh.url!, TERM: 'xterm-256color' };
      const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': V1 });
      for (const args of [['init'], ['makemigrations', '-m', 'v1'], ['migrate']]) expect((await runCli(['db', ...args], { cwd: dir, env })).code).toBe(0);
      writeFileSync(join(dir, 'models.ts'), V1.replace('fields.CharField({ maxLength: 100 })', 'fields.CharField({ maxLength: 50 })'));
      const t = new Terminal(dir, env, ['db', 'makemigrations', '--plain']);
      await t.waitFor('Message for the revision');
      await t.type(ENTER);
      await t.waitFor('Write the revision?');
      await t.type(ENTER);
      await t.waitFor('Apply it now?');
      expect(t.seen('type-rewrite')).toBe(true);
      await t.type('n' + ENTER);
      expect(await t.exited()).toBe(0);
    } finally {
      await fresh.dispose();
    }
  });
});
