/**
 * An answer's `sql` (backfill) and `using` (type change) are one SQL
 * expression, never statements: `makemigrations --answers FILE` refuses
 * anything else with exit 2, naming the question, and writes nothing; a
 * plain expression is still taken, and the revision it makes runs. Through
 * the real CLI, against the real test server.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';

const MODELS_V1 = `import { defineModel, fields } from 'fastedgy';
export const User = defineModel('User', {
  tablename: 'users',
  fields: { name: fields.CharField({ maxLength: 100 }), code: fields.CharField({ maxLength: 10 }) },
});
`;

// A NOT NULL column on a table with rows (a backfill question) and a text
// column becoming an integer (a type change PostgreSQL will not cast alone).
const MODELS_V2 = `import { defineModel, fields } from 'fastedgy';
export const User = defineModel('User', {
  tablename: 'users',
  fields: { name: fields.CharField({ maxLength: 100 }), code: fields.IntegerField(), age: fields.IntegerField() },
});
`;

const INJECTION = '0); COMMIT; DROP TABLE other.victim; SELECT (1';

describe('makemigrations --answers with an expression that is not one', () => {
  let fresh: FreshDatabase;
  let dir: string;
  const cli = (args: string[]) => runCli(['db', ...args], { cwd: dir, env: { DATABASE_URL: fresh.url! } });
  const revisions = () => readdirSync(join(dir, 'migrations', 'versions')).filter((f) => f.endsWith('.ts'));
  const victimExists = async () => (await fresh.db.query<{ t: string | null }>(`SELECT to_regclass('other.victim')::text AS t`))[0].t !== null;

  function answersFile(name: string, answers: Record<string, unknown>): string {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(answers));
    return file;
  }

  beforeAll(async () => {
    fresh = await freshDatabase('server');
    dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': MODELS_V1 });
    expect((await cli(['init'])).code).toBe(0);
    expect((await cli(['makemigrations', '-m', 'users'])).code).toBe(0);
    expect((await cli(['migrate'])).code).toBe(0);
    await fresh.db.query(`INSERT INTO users (name, code) VALUES ('ada', '7'), ('grace', '42')`);
    await fresh.db.query(`CREATE SCHEMA other; CREATE TABLE other.victim (x int); INSERT INTO other.victim VALUES (1)`);
    writeFileSync(join(dir, 'models.ts'), MODELS_V2);
  }, 120_000);

  afterAll(async () => {
    await fresh?.dispose();
  });

  it('a backfill `sql` holding statements is refused with exit 2, naming the question; nothing is written', async () => {
    const file = answersFile('inject-sql.json', { 'backfill:users.age': { sql: INJECTION }, 'alter-type:users.code': { using: 'code::integer' } });
    const r = await cli(['makemigrations', '-m', 'age', '--answers', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"backfill:users.age"');
    expect(r.stderr).toContain('not one SQL expression');
    expect(revisions()).toHaveLength(1);
    expect(await victimExists()).toBe(true);
  });

  it('a type change `using` that goes on past its expression is refused the same way', async () => {
    for (const using of ['code::integer) FROM other.victim WHERE (true', 'code::integer -- and the rest']) {
      const file = answersFile('inject-using.json', { 'backfill:users.age': { sql: 'length(name)' }, 'alter-type:users.code': { using } });
      const r = await cli(['makemigrations', '-m', 'age', '--answers', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('"alter-type:users.code"');
      expect(r.stderr).toContain('inject-using.json');
      expect(revisions()).toHaveLength(1);
    }
  });

  it('plain expressions are still taken, and the revision runs them', async () => {
    const file = answersFile('good.json', { 'backfill:users.age': { sql: "length(name) + position(';' in name)" }, 'alter-type:users.code': { using: 'code::integer' } });
    const r = await cli(['makemigrations', '-m', 'age', '--answers', file]);
    expect(r.code).toBe(0);
    // The lint's warning about rewriting the table is expected; no refusal.
    expect(r.stderr).not.toContain('not one SQL expression');
    expect(revisions()).toHaveLength(2);
    const written = revisions().map((f) => readFileSync(join(dir, 'migrations', 'versions', f), 'utf8')).join('\n');
    expect(written).toContain('length(name)');
    expect((await cli(['migrate'])).code).toBe(0);
    expect(await fresh.db.query(`SELECT name, code, age FROM users ORDER BY name`)).toEqual([
      { name: 'ada', code: 7, age: 3 },
      { name: 'grace', code: 42, age: 5 },
    ]);
    expect(await victimExists()).toBe(true);
  });
});
