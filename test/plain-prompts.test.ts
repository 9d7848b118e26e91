/**
 * makemigrations on a terminal that cannot redraw (TERM=dumb) or with
 * `--plain` (issue 11): the questions are plain lines, choices numbered,
 * typed answers echoed by the terminal itself; not one escape sequence is
 * written, from the first line to the outcome. Ctrl-C at a question still
 * cancels with nothing written.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';
import { Terminal } from './support/terminal.js';

const V1 = `import { defineModel, fields } from 'fastedgy';
export const User = defineModel('User', { tablename: 'users', fields: { name: fields.CharField({ maxLength: 100 }), age: fields.CharField({ maxLength: 10 }) } });
`;
const V2 = `import { defineModel, fields } from 'fastedgy';
export const User = defineModel('User', { tablename: 'users', fields: { full_name: fields.CharField({ maxLength: 100 }), age: fields.CharField({ maxLength: 10 }) } });
`;
const ENTER = '\r';

describe('makemigrations as plain lines', () => {
  let fresh: FreshDatabase;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fresh = await freshDatabase('server');
    dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': V1 });
    env = { DATABASE_URL: fresh.url! };
    for (const args of [['init'], ['makemigrations', '-m', 'v1'], ['migrate']]) expect((await runCli(['db', ...args], { cwd: dir, env })).code).toBe(0);
    await fresh.db.query(`INSERT INTO users (name, age) VALUES ('ada', '36')`);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'models.ts'), V2);
  });
  afterAll(async () => fresh.dispose());

  it('Ctrl-C at a question on TERM=dumb writes nothing and exits 130', async () => {
    const t = new Terminal(dir, { ...env, TERM: 'dumb' }, ['db', 'makemigrations']);
    await t.waitFor('choose 1-2', 60_000);
    await t.type('\u0003');
    expect(await t.exited()).toBe(130);
    expect(t.output()).toContain('Cancelled: nothing was written.');
    expect(t.output()).not.toContain('\u001b');
    expect(readdirSync(join(dir, 'migrations', 'versions'))).toHaveLength(1);
  }, 90_000);

  it('TERM=dumb: numbered choices, a wrong number asked again, the file written and applied, no escape at all', async () => {
    const t = new Terminal(dir, { ...env, TERM: 'dumb' }, ['db', 'makemigrations']);
    await t.waitFor('choose 1-2', 60_000);
    expect(t.output()).toMatch(/1\) rename users\.name to full_name/);
    await t.type('7' + ENTER);
    await t.waitFor('type a number from 1 to 2');
    await t.type('1' + ENTER);
    await t.waitFor('Message for the revision');
    await t.type('rename to full name' + ENTER);
    await t.waitFor('Write the revision?');
    await t.type(ENTER);
    await t.waitFor('Apply it now?');
    await t.type('y' + ENTER);
    await t.waitFor('Database is now at');
    expect(await t.exited()).toBe(0);
    expect(t.output()).not.toContain('\u001b');
    expect(await fresh.db.query(`SELECT full_name FROM users`)).toEqual([{ full_name: 'ada' }]);
  }, 90_000);

  it('--plain on a capable terminal: no spinner while loading, no escape', async () => {
    const t = new Terminal(dir, { ...env, TERM: 'xterm-256color', NO_COLOR: '1' }, ['db', 'makemigrations', '--plain', '-m', 'nothing']);
    expect(await t.exited()).toBe(0);
    expect(t.output()).toContain('No changes');
    expect(t.output()).not.toContain('\u001b');
  }, 90_000);
});
