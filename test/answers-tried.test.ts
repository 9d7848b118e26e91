/**
 * Answers that compute values are tried against the live rows, read-only,
 * before anything is written (SPEC §6, issue 12): `1/0`, a value of the
 * wrong type, an unknown column or a USING that fails on a row is refused
 * with exit 2 naming the question and PostgreSQL's message; nothing is
 * written and no row changes. A good answer still writes the revision.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';

const V1 = `import { defineModel, fields } from 'fastedgy';
export const User = defineModel('User', { tablename: 'users', fields: { name: fields.CharField({ maxLength: 100 }), age: fields.CharField({ maxLength: 10 }) } });
`;
// A new NOT NULL column (backfill question) and age becoming an integer (alter-type question).
const V2 = `import { defineModel, fields } from 'fastedgy';
export const User = defineModel('User', { tablename: 'users', fields: { name: fields.CharField({ maxLength: 100 }), age: fields.IntegerField(), karma: fields.IntegerField() } });
`;

describe('answers tried on the live rows before writing', () => {
  let fresh: FreshDatabase;
  let dir: string;
  let env: Record<string, string>;
  const versions = () => readdirSync(join(dir, 'migrations', 'versions')).length;
  const make = (answers: unknown) => runCli(['db', 'makemigrations', '--answers', '-'], { cwd: dir, env, input: JSON.stringify(answers) });

  beforeAll(async () => {
    fresh = await freshDatabase('server');
    env = { DATABASE_URL: fresh.url! };
    dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': V1 });
    for (const args of [['init'], ['makemigrations', '-m', 'v1'], ['migrate']]) expect((await runCli(['db', ...args], { cwd: dir, env })).code).toBe(0);
    await fresh.db.query(`INSERT INTO users (name, age) VALUES ('ada', '36'), ('bob', 'forty')`);
    writeFileSync(join(dir, 'models.ts'), V2);
  });
  afterAll(async () => fresh?.dispose());

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['a division by zero', { 'backfill:users.karma': { sql: '1/0' } }, 'backfill:users.karma', /division by zero/],
    ['an unknown column', { 'backfill:users.karma': { sql: 'length(nam)' } }, 'backfill:users.karma', /column "nam" does not exist/],
    ['a value of the wrong type', { 'backfill:users.karma': { value: 'abc' } }, 'backfill:users.karma', /invalid input syntax for type integer/],
    ['a USING that fails on one row', { 'backfill:users.karma': { value: 1 }, 'alter-type:users.age': { using: 'age::integer' } }, 'alter-type:users.age', /invalid input syntax for type integer: "forty"/],
    ['statements hidden in an expression', { 'backfill:users.karma': { sql: '0); DROP TABLE users; SELECT (1' } }, 'backfill:users.karma', /./],
  ];
  for (const [name, answers, question, message] of cases) {
    it(`refuses ${name}, naming ${question}, writing nothing`, async () => {
      const r = await make({ 'alter-type:users.age': { using: "CASE WHEN age ~ '^[0-9]+$' THEN age::integer ELSE 0 END" }, ...answers });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(question);
      expect(r.stderr).toMatch(message);
      expect(versions()).toBe(1);
      expect(await fresh.db.query('SELECT count(*)::int AS n FROM users')).toEqual([{ n: 2 }]);
    });
  }

  it('a misspelt question id says which question it probably meant (issue 13)', async () => {
    const r = await make({ 'backfill:user.karma': { value: 1 }, 'alter-type:users.age': { using: '0' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"backfill:user.karma", which matches no question: did you mean "backfill:users.karma"?');
    expect(versions()).toBe(1);
  });

  it('writes the revision when every answer works on the rows, and migrate applies it', async () => {
    const r = await make({ 'backfill:users.karma': { sql: 'length(name)' }, 'alter-type:users.age': { using: "CASE WHEN age ~ '^[0-9]+$' THEN age::integer ELSE 0 END" } });
    expect(r.stderr).not.toContain('fails on the rows'); // (the lint's type-rewrite warning is expected)
    expect(r.code).toBe(0);
    expect(versions()).toBe(2);
    expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(0);
    expect(await fresh.db.query('SELECT name, age, karma FROM users ORDER BY name')).toEqual([
      { name: 'ada', age: 36, karma: 3 },
      { name: 'bob', age: 0, karma: 3 },
    ]);
  });
});
