/**
 * Resizing the window under the wizard and the browser, in a real
 * pseudo-terminal whose output goes through a terminal emulator (issue 11:
 * a duplicate header after shrinking, stale rows after growing). Started at
 * 120×40, shrunk to 60×20, grown back: the screen a person sees has one
 * header at the top, the footer with `? help` and `q quit` on the last row,
 * and, back at 120×40, is exactly the screen it started with.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';
import { Terminal } from './support/terminal.js';

const BIG = { cols: 120, rows: 40 };
const SMALL = { cols: 60, rows: 20 };

/** Thirty tables with long names: a plan taller than the small window. */
const MODELS =
  `import { defineModel, fields } from 'fastedgy';\n` +
  Array.from(
    { length: 30 },
    (_, i) =>
      `export const T${i} = defineModel('T${i}', { tablename: 'table_number_${String(i).padStart(2, '0')}_with_a_rather_long_name', fields: { name: fields.CharField({ maxLength: 100 }) } });\n`,
  ).join('');

/** Forty revisions, one after the other: a history taller than either window. */
function history(dir: string): void {
  const versions = join(dir, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  for (let i = 1; i <= 40; i++) {
    const id = `r${String(i).padStart(11, '0')}`;
    const down = i === 1 ? 'null' : `'r${String(i - 1).padStart(11, '0')}'`;
    writeFileSync(
      join(versions, `20261201_1200${String(i).padStart(2, '0')}_${id}_step.ts`),
      `export const revision = '${id}';\nexport const downRevision: string | null = ${down};\nexport const message = 'step number ${i} of the long history';\n` +
        `export async function upgrade(op: any): Promise<void> {\n  await op.execute('SELECT ${i}');\n}\nexport async function downgrade(op: any): Promise<void> {\n  await op.execute('SELECT ${i}');\n}\n`,
    );
  }
}

function count(lines: readonly string[], prefix: string): number {
  return lines.filter((l) => l.startsWith(prefix)).length;
}

/** The screen after a resize: one header, on the first row; the footer, whole enough to quit, on the last. */
function expectClean(lines: readonly string[], header: string, rows: number): void {
  const text = lines.join('\n');
  expect(lines, text).toHaveLength(rows);
  expect(count(lines, header), text).toBe(1);
  expect(lines[0].startsWith(header), text).toBe(true);
  expect(lines[rows - 1], text).toContain('? help');
  expect(lines[rows - 1], text).toContain('q quit');
}

/** Shrinks to 60×20 and grows back to 120×40, checking the screen each time. */
async function resizeAndBack(t: Terminal, header: string): Promise<void> {
  const before = await t.settled();
  expectClean(before, header, BIG.rows);
  t.resize(SMALL.cols, SMALL.rows);
  expectClean(await t.settled(), header, SMALL.rows);
  t.resize(BIG.cols, BIG.rows);
  const after = await t.settled();
  expectClean(after, header, BIG.rows);
  // No stale rows: the same screen as before the window was touched.
  expect(after.join('\n')).toBe(before.join('\n'));
}

describe('resizing the window', () => {
  const made: FreshDatabase[] = [];
  async function database(): Promise<string> {
    const fresh = await freshDatabase('server');
    made.push(fresh);
    return fresh.url!;
  }
  afterAll(async () => Promise.all(made.map((f) => f.dispose())));

  it('the browser redraws cleanly, on the list and on the help', async () => {
    const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': 'export {};\n' });
    history(dir);
    const env = { DATABASE_URL: await database(), TERM: 'xterm-256color' };
    expect((await runCli(['db', 'migrate', 'r00000000020'], { cwd: dir, env })).code).toBe(0);
    const t = new Terminal(dir, env, ['db', 'browse'], BIG);
    await t.waitFor('step number 20');
    await resizeAndBack(t, 'fastedgy browse');
    await t.type('?');
    await t.waitFor('any key closes this');
    await resizeAndBack(t, 'fastedgy browse');
    await t.type('x');
    await t.type('q');
    expect(await t.exited()).toBe(0);
  }, 120_000);

  it('the wizard redraws cleanly, on the overview and on a change', async () => {
    const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': MODELS });
    const env = { DATABASE_URL: await database(), TERM: 'xterm-256color' };
    expect((await runCli(['db', 'init'], { cwd: dir, env })).code).toBe(0);
    const t = new Terminal(dir, env, ['db', 'makemigrations'], BIG);
    await t.waitFor('enter walk through', 60_000);
    await resizeAndBack(t, 'fastedgy makemigrations');
    await t.type('\r');
    await t.waitFor('change 1 of 30');
    await resizeAndBack(t, 'fastedgy makemigrations');
    await t.type('q');
    expect(await t.exited()).toBe(130);
  }, 120_000);
});
