/**
 * The wizard as a person meets it, in a real pseudo-terminal on the
 * embedded database (the default set-up), issue 11: "Apply it now?" waits
 * for a key however long it takes, then applies inside the screen; keys
 * sent in one burst all act; declining leaves the database as it was and
 * says how to apply.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProjectDir, runCli } from './support/cli.js';
import { Terminal } from './support/terminal.js';

const CONFIG = `import { defineConfig } from 'fastedgy';
export default defineConfig({ models: './models.ts', migrations: './migrations' });
`;
const V1 = `import { defineModel, fields } from 'fastedgy';
export const User = defineModel('User', { tablename: 'users', fields: { name: fields.CharField({ maxLength: 100 }) } });
`;
const V2 = V1.replace("name: fields.CharField({ maxLength: 100 })", "name: fields.CharField({ maxLength: 100 }), nickname: fields.CharField({ maxLength: 40, null: true })");
const ENTER = '\r';

async function embeddedProject(): Promise<{ dir: string; env: Record<string, string> }> {
  // No DATABASE_URL: the embedded database under .fastedgy/.
  const env = { DATABASE_URL: '', TERM: 'xterm-256color' };
  const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': V1 });
  for (const args of [['init'], ['makemigrations', '-m', 'v1'], ['migrate']]) expect((await runCli(['db', ...args], { cwd: dir, env })).code).toBe(0);
  writeFileSync(join(dir, 'models.ts'), V2);
  return { dir, env };
}

describe('the wizard on the embedded database, in a terminal', () => {
  it('waits at "Apply it now?" untouched for 15 s, then applies on y', async () => {
    const { dir, env } = await embeddedProject();
    const t = new Terminal(dir, env, ['db', 'makemigrations']);
    await t.waitFor('enter walk through', 60_000);
    await t.type('d');
    await t.type(ENTER);
    await t.waitFor('revision file');
    await t.type(ENTER);
    await t.waitFor('message:');
    await t.type(ENTER);
    await t.waitFor('Apply it now?', 30_000);
    await new Promise((r) => setTimeout(r, 15_000));
    expect(t.running()).toBe(true);
    expect(t.seen('Cancelled')).toBe(false);
    await t.type('y');
    await t.waitFor('Database is now at', 60_000);
    expect(await t.exited()).toBe(0);
    expect(t.seen('ADD COLUMN nickname')).toBe(true);
    const check = await runCli(['db', 'check'], { cwd: dir, env });
    expect(check.stdout).toContain('No differences');
  }, 180_000);

  it('keys in one burst all act; declining applies nothing and says how to apply', async () => {
    const { dir, env } = await embeddedProject();
    const t = new Terminal(dir, env, ['db', 'makemigrations']);
    await t.waitFor('enter walk through', 60_000);
    // Decisions only, review, message, write, then "n" to the apply question: all in one write.
    t.burst(`d${ENTER}${ENTER}${ENTER}n`);
    await t.waitFor('Not applied: run `fastedgy db migrate` to apply it.', 60_000);
    expect(await t.exited()).toBe(0);
    expect(readdirSync(join(dir, 'migrations', 'versions'))).toHaveLength(2);
    const current = await runCli(['db', 'check'], { cwd: dir, env });
    expect(current.code).toBe(3);
    expect(current.stdout).toContain('Revisions not applied');
  }, 180_000);
});
