/**
 * Multi-database projects through the real CLI: one revision history, two
 * databases (two on one server, and one server database plus the embedded
 * one). A revision that changes both, one that changes only one, a failure
 * in the second database rolled back in the first, `--database` targeting,
 * questions with their `DB:` prefix, `--sql` under a heading per database.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';
import { openEmbedded } from '../source/db/connect.js';

const CONFIG = `import { defineConfig } from 'fastedgy';
export default defineConfig({
  migrations: './migrations',
  databases: {
    main: { url: process.env.MAIN_URL, models: './models.ts' },
    analytics: { url: process.env.ANALYTICS_URL, models: './analytics.ts' },
  },
});
`;
const MAIN = `import { defineModel, fields } from 'fastedgy';
export const User = defineModel('User', { tablename: 'users', fields: { name: fields.CharField({ maxLength: 100 }) } });
`;
const ANALYTICS = `import { defineModel, fields } from 'fastedgy';
export const Event = defineModel('Event', { tablename: 'events', fields: { kind: fields.CharField({ maxLength: 40 }) } });
`;

const opened: FreshDatabase[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.dispose();
});

async function serverDb(): Promise<FreshDatabase> {
  const d = await freshDatabase('server');
  opened.push(d);
  return d;
}

async function tables(url: string | null, dir: string, name: string): Promise<string[]> {
  const query = `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'fastedgy_%' ORDER BY 1`;
  if (url) {
    const d = opened.find((x) => x.url === url)!;
    return (await d.db.query<{ t: string }>(query)).map((r) => r.t);
  }
  const db = await openEmbedded(join(dir, '.fastedgy', name, 'pgdata'));
  try {
    return (await db.query<{ t: string }>(query)).map((r) => r.t);
  } finally {
    await db.close();
  }
}

describe.each(['two server databases', 'a server database and the embedded one'])('a project with %s', (setup) => {
  it('moves both databases with one history; a revision touching one still moves both versions; --database targets one', async () => {
    const main = await serverDb();
    const analytics = setup === 'two server databases' ? await serverDb() : null;
    const env = { MAIN_URL: main.url!, ANALYTICS_URL: analytics?.url ?? undefined };
    const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': MAIN, 'analytics.ts': ANALYTICS });
    const cli = (...args: string[]) => runCli(['db', ...args], { cwd: dir, env });

    expect((await cli('init')).code).toBe(0);
    const first = await cli('makemigrations', '-m', 'users and events');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const [file1] = readdirSync(join(dir, 'migrations', 'versions'));
    const text1 = readFileSync(join(dir, 'migrations', 'versions', file1), 'utf8');
    expect(text1).toMatch(/export const upgrade = \{\n {2}async main\(op: Operations\)/);
    expect(text1).toContain('async analytics(op: Operations)');

    const up = await cli('migrate');
    expect(up.code).toBe(0);
    expect(up.stdout).toContain('[main] Running upgrade');
    expect(up.stdout).toContain('[analytics] Running upgrade');
    expect(await tables(main.url, dir, 'main')).toEqual(['users']);
    expect(await tables(analytics?.url ?? null, dir, 'analytics')).toEqual(['events']);
    const rev1 = file1.split('_')[2];
    expect((await cli('current')).stdout).toBe(`main: ${rev1} (head), users and events\nanalytics: ${rev1} (head), users and events\n`);
    expect((await cli('check')).code).toBe(0);

    // A change in analytics only: the file has one section, both version tables move.
    writeFileSync(join(dir, 'analytics.ts'), ANALYTICS.replace("maxLength: 40 })", "maxLength: 40 }), weight: fields.IntegerField({ null: true })"));
    expect((await cli('makemigrations', '-m', 'event weight')).code).toBe(0);
    const file2 = readdirSync(join(dir, 'migrations', 'versions')).sort()[1];
    const text2 = readFileSync(join(dir, 'migrations', 'versions', file2), 'utf8');
    expect(text2).toContain('async analytics(op: Operations)');
    expect(text2).not.toContain('async main(');
    const sql = await cli('migrate', '--sql');
    expect(sql.stdout).toContain('-- database: main');
    expect(sql.stdout).toContain('-- database: analytics');
    expect(sql.stdout.split('-- database: analytics')[1]).toContain('ALTER TABLE events ADD COLUMN weight integer');
    expect(sql.stdout.split('-- database: analytics')[0]).not.toContain('weight integer');

    expect((await cli('migrate', '--database', 'main')).code).toBe(0);
    const rev2 = file2.split('_')[2];
    expect((await cli('current')).stdout).toBe(`main: ${rev2} (head), event weight\nanalytics: ${rev1}, users and events\n`);
    const behind = await cli('check');
    expect(behind.code).toBe(3);
    expect(behind.stdout).toContain(`analytics: revisions not applied: ${rev2}`);
    expect((await cli('migrate')).code).toBe(0);
    expect((await cli('check')).code).toBe(0);

    // All the way down, together.
    expect((await cli('downgrade', 'base')).code).toBe(0);
    expect(await tables(main.url, dir, 'main')).toEqual([]);
    expect(await tables(analytics?.url ?? null, dir, 'analytics')).toEqual([]);
    expect((await cli('current')).stdout).toBe('main: <base> (no revision applied)\nanalytics: <base> (no revision applied)\n');
  }, 240_000); // a dozen CLI runs; each opening of the embedded database takes seconds
});

describe('failures and questions across databases', () => {
  function failingProject(env: Record<string, string>) {
    const revision = `export const revision = 'aaaaaaaaaaaa';
export const downRevision = null;
export const message = 'both';
export const upgrade = {
  async main(op: any) { await op.execute('CREATE TABLE made_in_main (x int)'); },
  async analytics(op: any) { await op.execute('SELECT * FROM no_such_table'); },
};
export const downgrade = {
  async main(op: any) { await op.execute('DROP TABLE made_in_main'); },
  async analytics(op: any) {},
};
`;
    const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': 'export {};\n', 'analytics.ts': 'export {};\n', 'migrations/versions/1_aaaaaaaaaaaa_both.ts': revision });
    return { dir, cli: (...args: string[]) => runCli(['db', ...args], { cwd: dir, env }) };
  }

  it('a failure in the second database is rolled back in the first, and the output says where each stands', async () => {
    const main = await serverDb();
    const analytics = await serverDb();
    const { cli } = failingProject({ MAIN_URL: main.url!, ANALYTICS_URL: analytics.url! });
    const r = await cli('migrate');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('database analytics: revision aaaaaaaaaaaa');
    expect(r.stderr).toContain('no_such_table');
    expect(r.stderr).toContain('main is at <base>; analytics is at <base>');
    expect(await main.db.query(`SELECT to_regclass('made_in_main')::text AS t`)).toEqual([{ t: null }]);
    expect(await main.db.query(`SELECT count(*)::int AS n FROM fastedgy_version`)).toEqual([{ n: 0 }]);
  });

  it('asks each database its questions with a DB: prefix, and one answers file settles them', async () => {
    const main = await serverDb();
    const analytics = await serverDb();
    const env = { MAIN_URL: main.url!, ANALYTICS_URL: analytics.url! };
    const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': MAIN, 'analytics.ts': ANALYTICS });
    const cli = (...args: string[]) => runCli(['db', ...args], { cwd: dir, env });
    expect((await cli('makemigrations')).code).toBe(0);
    expect((await cli('migrate')).code).toBe(0);
    await analytics.db.query(`INSERT INTO events (kind) VALUES ('click'), ('view')`);
    writeFileSync(join(dir, 'analytics.ts'), ANALYTICS.replace('kind:', 'category:'));
    const asked = await cli('makemigrations');
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain('analytics:rename-column:events.kind->events.category');
    writeFileSync(join(dir, 'answers.json'), JSON.stringify({ 'analytics:rename-column:events.kind->events.category': 'rename' }));
    const made = await cli('makemigrations', '--answers', 'answers.json', '-m', 'kind becomes category');
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect((await cli('migrate')).code).toBe(0);
    expect(await analytics.db.query(`SELECT category FROM events ORDER BY id`)).toEqual([{ category: 'click' }, { category: 'view' }]);
    expect((await cli('check')).code).toBe(0);
  });

  it('an unknown --database is a usage error naming the databases', async () => {
    const main = await serverDb();
    const { cli } = failingProject({ MAIN_URL: main.url!, ANALYTICS_URL: main.url! });
    const r = await cli('current', '--database', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no database "nope"');
    expect(r.stderr).toContain('main, analytics');
  });
});
