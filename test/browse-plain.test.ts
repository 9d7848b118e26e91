/**
 * `fastedgy db browse` on a terminal that cannot redraw (TERM=dumb) or with
 * `--plain` (issue 11): the real CLI in a pseudo-terminal prints the
 * history and where the database stands as plain lines, not one cursor
 * escape, says in one line that there is no interactive screen, and ends.
 */
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, runCli } from './support/cli.js';
import { HISTORY, projectWith } from './support/browser-history.js';
import { freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';
import { Terminal } from './support/terminal.js';

// Any CSI sequence (cursor moves, erasing, modes such as the alternate screen) or other escape.
const ESCAPE = /\u001b[[\]()78=>PX^_c]/;

describe('browse without a screen to draw on', () => {
  let fresh: FreshDatabase;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fresh = await freshDatabase('server');
    dir = dirname(dirname(projectWith(HISTORY, { 'fastedgy.config.ts': CONFIG })));
    env = { DATABASE_URL: fresh.url! };
    expect((await runCli(['db', 'migrate', 'bbbbbbbbbbbb'], { cwd: dir, env })).code).toBe(0);
  });
  afterAll(async () => fresh.dispose());

  function expectListing(output: string): void {
    expect(output).not.toMatch(ESCAPE);
    const lines = output.split(/\r?\n/);
    expect(lines.some((l) => l.startsWith('database at bbbbbbbbbbbb · 3 revisions, 1 pending'))).toBe(true);
    const row = (id: string) => lines.find((l) => l.includes(id) && !l.startsWith('database at'));
    expect(row('cccccccccccc')).toMatch(/cccccccccccc +2026-12-01 12:00 +pending · head +create posts/);
    expect(row('bbbbbbbbbbbb')).toMatch(/bbbbbbbbbbbb +2026-12-01 12:00 +current +add karma/);
    expect(row('aaaaaaaaaaaa')).toMatch(/applied +create users/);
    expect(lines.some((l) => l.includes('<base>'))).toBe(true);
  }

  it('TERM=dumb on a terminal: plain lines, no cursor escapes, and it says why there is no screen', async () => {
    const t = new Terminal(dir, { ...env, TERM: 'dumb' }, ['db', 'browse']);
    expect(await t.exited()).toBe(0);
    expectListing(t.output());
    expect(t.output()).toContain('No interactive browser on a TERM=dumb terminal: move with `fastedgy db migrate [TARGET]` and `fastedgy db downgrade [TARGET]`.');
  }, 60_000);

  it('migrate -i on TERM=dumb lists the same way', async () => {
    const t = new Terminal(dir, { ...env, TERM: 'dumb' }, ['db', 'migrate', '-i']);
    expect(await t.exited()).toBe(0);
    expectListing(t.output());
  }, 60_000);

  it('--plain on a capable terminal: the same plain lines, and nothing was moved', async () => {
    const t = new Terminal(dir, { ...env, TERM: 'xterm-256color', NO_COLOR: '1' }, ['db', 'browse', '--plain']);
    expect(await t.exited()).toBe(0);
    expectListing(t.output());
    expect(t.output()).toContain('No interactive browser with --plain');
    expect((await runCli(['db', 'current'], { cwd: dir, env })).stdout).toContain('bbbbbbbbbbbb');
  }, 60_000);

  it('--plain through a pipe prints the listing to stdout and the note to stderr', async () => {
    const r = await runCli(['db', 'browse', '--plain'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expectListing(r.stdout);
    expect(r.stderr.trim()).toBe('No interactive browser with --plain: move with `fastedgy db migrate [TARGET]` and `fastedgy db downgrade [TARGET]`.');
  }, 60_000);
});
