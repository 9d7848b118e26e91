/**
 * `fastedgy db browse` as a person runs it: the real CLI in a pseudo-terminal,
 * real keypresses, a real server. And without a terminal it refuses, pointing
 * at the commands that do the same from a script.
 */
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, runCli } from './support/cli.js';
import { HISTORY, projectWith } from './support/browser-history.js';
import { freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';
import { Terminal } from './support/terminal.js';

describe('browse in a terminal', () => {
  let fresh: FreshDatabase;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fresh = await freshDatabase('server');
    dir = dirname(dirname(projectWith(HISTORY, { 'fastedgy.config.ts': CONFIG })));
    env = { DATABASE_URL: fresh.url! };
  });
  afterAll(async () => fresh.dispose());

  it('steps the database back one revision and forward again with the keyboard', async () => {
    expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(0);
    const t = new Terminal(dir, env, ['db', 'browse']);
    await t.waitFor('create posts');
    await t.type('j');
    await t.type('d');
    await t.waitFor('Downgrade to bbbbbbbbbbbb');
    await t.waitFor('No data is lost');
    await t.type('y');
    await t.waitFor('Downgraded: the database is now at bbbbbbbbbbbb');
    await t.type('\r');
    await t.type('k');
    await t.type('u');
    await t.waitFor('Applies 1 revision');
    await t.type('y');
    await t.waitFor('Migrated: the database is now at cccccccccccc');
    await t.type('\r');
    await t.type('q');
    expect(await t.exited()).toBe(0);
    const current = await runCli(['db', 'current'], { cwd: dir, env });
    expect(current.stdout).toContain('cccccccccccc (head)');
  });

  it('keys typed while it is still loading act once it is up, Enter included', async () => {
    expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(0);
    const t = new Terminal(dir, env, ['db', 'browse']);
    // Before the screen is up the terminal is not in raw mode yet: it turns this Enter into a line feed,
    // which reaches the program on its own after the arrow.
    t.burst('\u001b[B\r');
    await t.waitFor('1 operations', 30_000);
    await t.waitFor('add column users.karma');
    await t.type('q');
    expect(await t.exited()).toBe(0);
  });

  it('migrate -i opens the same browser', async () => {
    const t = new Terminal(dir, env, ['db', 'migrate', '-i']);
    await t.waitFor('fastedgy browse');
    await t.waitFor('create posts');
    await t.type('q');
    expect(await t.exited()).toBe(0);
  });

  it('without a terminal it refuses and points to migrate and downgrade', async () => {
    const r = await runCli(['db', 'browse'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('needs a terminal');
    expect(r.stderr).toContain('fastedgy db migrate');
    expect(r.stderr).toContain('fastedgy db downgrade');
  });
});
