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
import { openEmbedded } from '../source/db/connect.js';
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

/** From the review: Enter to the message, Enter to write; back when "Apply it now?" is asked. */
async function writeFromReview(t: Terminal, reviewWithinMs?: number): Promise<void> {
  await t.waitFor('revision file', reviewWithinMs);
  await t.type(ENTER);
  await t.waitFor('message:');
  await t.type(ENTER);
  await t.waitFor('Apply it now?', 30_000);
}

async function embeddedProject(): Promise<{ dir: string; env: Record<string, string> }> {
  // No DATABASE_URL: the embedded database under .fastedgy/.
  const env = { DATABASE_URL: '', TERM: 'xterm-256color' };
  const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': V1 });
  for (const args of [['init'], ['makemigrations', '-m', 'v1'], ['migrate']]) expect((await runCli(['db', ...args], { cwd: dir, env })).code).toBe(0);
  writeFileSync(join(dir, 'models.ts'), V2);
  return { dir, env };
}

describe('the wizard on the embedded database, in a terminal', () => {
  it('once its screen closes, says what the downgrade cannot restore, as the plain prompts do', async () => {
    const env = { DATABASE_URL: '', TERM: 'xterm-256color' };
    const model = (values: string) =>
      `import { defineEnum, defineModel, fields } from 'fastedgy';\nexport const Plan = defineEnum('Plan', [${values}]);\nexport const User = defineModel('User', { tablename: 'users', fields: { plan: fields.ChoiceField({ choices: Plan, null: true }) } });\n`;
    const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': model("'free', 'trial'") });
    for (const args of [['init'], ['makemigrations', '-m', 'v1'], ['migrate']]) expect((await runCli(['db', ...args], { cwd: dir, env })).code).toBe(0);
    const db = await openEmbedded(join(dir, '.fastedgy', 'pgdata'));
    await db.query(`INSERT INTO users (plan) VALUES ('free'), ('trial')`);
    await db.close();
    writeFileSync(join(dir, 'models.ts'), model("'free'"));
    const t = new Terminal(dir, env, ['db', 'makemigrations']);
    await t.waitFor('enter walk through', 60_000);
    // Decisions only; map the rows holding 'trial' to 'free' (the first choice); review, message, write; n to applying.
    await t.type('d');
    await t.type(ENTER);
    await t.waitFor("map those rows to 'free'");
    await t.type(ENTER);
    await writeFromReview(t, 30_000);
    await t.type('n');
    expect(await t.exited()).toBe(0);
    const after = (await t.settled()).join('\n');
    expect(after).toMatch(/the downgrade cannot restore: rows of users\.plan that held 'trial'/);
    expect(after).toContain('Not applied');
  }, 180_000);

  it('waits at "Apply it now?" untouched for 15 s, then applies on y', async () => {
    const { dir, env } = await embeddedProject();
    const t = new Terminal(dir, env, ['db', 'makemigrations']);
    await t.waitFor('enter walk through', 60_000);
    await t.type('d');
    await t.type(ENTER);
    await writeFromReview(t);
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
