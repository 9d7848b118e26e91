/**
 * The command line as SPEC §5–8 describe it, run as a real process against a
 * real PostgreSQL server: exit codes, messages, files written or not.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';

const MODELS_V1 = `import { defineModel, defineEnum, fields } from 'fastedgy';
export const Status = defineEnum('UserStatus', ['active', 'inactive', 'suspended']);
export const User = defineModel('User', {
  tablename: 'users',
  fields: {
    full_name: fields.CharField({ maxLength: 100 }),
    status: fields.ChoiceField({ choices: Status, default: 'active' }),
  },
});
`;

const MODELS_V2 = `import { defineModel, defineEnum, fields } from 'fastedgy';
export const Status = defineEnum('UserStatus', ['active', 'inactive']);
export const User = defineModel('User', {
  tablename: 'users',
  fields: {
    name: fields.CharField({ maxLength: 100 }),
    status: fields.ChoiceField({ choices: Status, default: 'active' }),
    age: fields.IntegerField(),
  },
});
`;

const ANSWERS = {
  'rename-column:users.full_name->users.name': 'rename',
  'enum-remove:userstatus.suspended': { mapTo: 'inactive' },
  'backfill:users.age': { value: 0 },
};

function revisionFiles(dir: string): string[] {
  const versions = join(dir, 'migrations', 'versions');
  return existsSync(versions) ? readdirSync(versions).filter((f) => f.endsWith('.ts')) : [];
}

describe('the CLI on a real server', () => {
  let url: string;
  let dispose: () => Promise<void>;
  let query: (sql: string) => Promise<Record<string, unknown>[]>;
  let dir: string;
  const cli = (args: string[], input?: string) => runCli(['db', ...args], { cwd: dir, env: { DATABASE_URL: url }, input });

  beforeAll(async () => {
    const fresh = await freshDatabase('server');
    url = fresh.url!;
    query = (sql) => fresh.db.query(sql);
    dispose = fresh.dispose;
    dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': MODELS_V1 });
  });
  afterAll(async () => dispose?.());

  it('prints help and exits 0', async () => {
    const r = await runCli(['db', '--help'], { cwd: dir });
    expect(r.code).toBe(0);
    for (const c of ['makemigrations', 'migrate', 'downgrade', 'current', 'history', 'check']) expect(r.stdout).toContain(c);
  });

  it('init writes the migrations directory and keeps the existing config', async () => {
    const r = await cli(['init']);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'migrations', 'script.ts.tmpl'))).toBe(true);
    expect(existsSync(join(dir, 'migrations', 'versions'))).toBe(true);
    expect(readFileSync(join(dir, 'fastedgy.config.ts'), 'utf8')).toBe(CONFIG);
  });

  it('makemigrations writes the first revision, migrate applies it', async () => {
    const made = await cli(['makemigrations', '-m', 'Add user model']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const files = revisionFiles(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}_\d{6}_[0-9a-f]{12}_add_user_model\.ts$/);
    const text = readFileSync(join(dir, 'migrations', 'versions', files[0]), 'utf8');
    expect(text).toContain('Revision ID:');
    expect(text).toContain("export const downRevision: string | string[] | null = null;");
    expect(text).toContain('export async function downgrade(op: Operations)');

    const migrated = await cli(['migrate']);
    expect(migrated.code).toBe(0);
    expect(await query(`SELECT enumlabel FROM pg_enum ORDER BY enumsortorder`)).toEqual([
      { enumlabel: 'active' }, { enumlabel: 'inactive' }, { enumlabel: 'suspended' },
    ]);
    const current = await cli(['current']);
    expect(current.code).toBe(0);
    expect(current.stdout).toContain(files[0].split('_')[2]);
    expect(current.stdout).toContain('(head)');
  });

  it('says "No changes detected." and writes nothing when models match', async () => {
    const r = await cli(['makemigrations']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes detected.');
    expect(revisionFiles(dir)).toHaveLength(1);
  });

  it('check exits 0 when everything agrees', async () => {
    const r = await cli(['check']);
    expect(r.code).toBe(0);
  });

  it('without a terminal, open questions exit 2 with every id and an answers file, writing nothing', async () => {
    await query(`INSERT INTO users (full_name, status) VALUES ('ada', 'suspended'), ('bob', 'active')`);
    writeFileSync(join(dir, 'models.ts'), MODELS_V2);
    const r = await cli(['makemigrations']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rename-column:users.full_name->users.name');
    expect(r.stderr).toContain('enum-remove:userstatus.suspended');
    expect(r.stderr).toContain('1 row holds');
    expect(r.stderr).toContain('--answers');
    expect(revisionFiles(dir)).toHaveLength(1);
  });

  it('check exits 3 and lists the difference', async () => {
    const r = await cli(['check']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/users/);
  });

  it('rejects an answer that does not fit, naming the question', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...ANSWERS, 'enum-remove:userstatus.suspended': { mapTo: 'nope' } }));
    const r = await cli(['makemigrations', '--answers', 'bad.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('enum-remove:userstatus.suspended');
    expect(revisionFiles(dir)).toHaveLength(1);
  });

  it('answers from stdin write the revision; migrate honours them', async () => {
    const r = await cli(['makemigrations', '--answers', '-', '-m', 'rename and map'], JSON.stringify(ANSWERS));
    // The only thing on stderr: the lint on removing an enum value, which rewrites users (issue 13).
    expect(r.stderr.split('\n').filter((l) => /^\S/.test(l) && !l.startsWith('1 lint warning'))).toEqual([expect.stringMatching(/^warning \[type-rewrite\] \S+: op\.rebuildEnum: /)]);
    expect(r.code).toBe(0);
    expect(revisionFiles(dir)).toHaveLength(2);
    expect((await cli(['migrate'])).code).toBe(0);
    expect(await query(`SELECT name, status::text AS status, age FROM users ORDER BY name`)).toEqual([
      { name: 'ada', status: 'inactive', age: 0 },
      { name: 'bob', status: 'active', age: 0 },
    ]);
    expect((await cli(['check'])).code).toBe(0);
  });

  it('history lists newest first; heads and show name the revision', async () => {
    const h = await cli(['history']);
    expect(h.code).toBe(0);
    const lines = h.stdout.trim().split('\n');
    expect(lines[0]).toContain('rename and map');
    expect(lines[1]).toContain('<base> ->');
    const heads = await cli(['heads', '--json']);
    const [head] = JSON.parse(heads.stdout) as { revision: string }[];
    const show = await cli(['show', head.revision.slice(0, 6)]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('ALTER TABLE users RENAME COLUMN full_name TO name');
  });

  it('--dry-run leaves the database unchanged; --sql prints without connecting', async () => {
    const dry = await cli(['downgrade', '--dry-run']);
    expect(dry.code).toBe(0);
    expect((await cli(['check'])).code).toBe(0);
    const sql = await runCli(['db', 'migrate', '--sql'], { cwd: dir, env: { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none' } });
    expect(sql.code).toBe(0);
    expect(sql.stdout).toContain('CREATE TYPE userstatus');
    expect(sql.stdout).toContain('fastedgy_version');
  });

  it('downgrade steps back one revision, then to base', async () => {
    expect((await cli(['downgrade'])).code).toBe(0);
    expect(await query(`SELECT full_name FROM users ORDER BY full_name`)).toEqual([{ full_name: 'ada' }, { full_name: 'bob' }]);
    expect((await cli(['downgrade', 'base'])).code).toBe(0);
    expect(await query(`SELECT to_regclass('users')::text AS t`)).toEqual([{ t: null }]);
    const current = await cli(['current']);
    expect(current.stdout).toContain('<base>');
    expect((await cli(['migrate', 'head'])).code).toBe(0);
  });

  it('works from a subdirectory of the project', async () => {
    const r = await runCli(['db', 'current'], { cwd: join(dir, 'migrations', 'versions'), env: { DATABASE_URL: url } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(head)');
  });

  it('reports an applied revision edited on disk before running anything', async () => {
    const file = join(dir, 'migrations', 'versions', revisionFiles(dir)[0]);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text + '\n');
    const r = await cli(['migrate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('edited after it was applied');
    writeFileSync(file, text);
    expect((await cli(['migrate'])).code).toBe(0);
  });

  it('a failing revision names itself and the statement, and changes nothing', async () => {
    const { graphHead } = { graphHead: JSON.parse((await cli(['heads', '--json'])).stdout)[0].revision as string };
    writeFileSync(
      join(dir, 'migrations', 'versions', '29990101_000000_badbadbadbad_broken.ts'),
      `export const revision = 'badbadbadbad';
export const downRevision = '${graphHead}';
export const message = 'broken';
export async function upgrade(op: any) { await op.execute('CREATE TABLE half_done (x int)'); await op.execute('SELECT no_such_function()'); }
export async function downgrade(op: any) { await op.execute('DROP TABLE half_done'); }
`,
    );
    const r = await cli(['migrate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('badbadbadbad');
    expect(r.stderr).toContain('no_such_function');
    expect(await query(`SELECT to_regclass('half_done')::text AS t`)).toEqual([{ t: null }]);
    const current = await cli(['current']);
    expect(current.stdout).not.toContain('badbadbadbad');
  });
});

describe('the CLI: errors and the embedded default', () => {
  it('an unreachable server is one message, exit 1, without the password', async () => {
    const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': 'export {};\n', 'migrations/versions/.keep': '' });
    writeFileSync(join(dir, 'migrations', 'script.ts.tmpl'), readFileSync(new URL('../templates/default/script.ts.tmpl', import.meta.url), 'utf8'));
    const r = await runCli(['db', 'current'], { cwd: dir, env: { DATABASE_URL: 'postgres://me:s3cr%40t-pw@127.0.0.1:1/app' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/reach/i);
    expect(r.stderr).not.toContain('s3cr');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a broken model file is named in one message', async () => {
    const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': 'export const x = ;\n' });
    await runCli(['db', 'init'], { cwd: dir, env: { DATABASE_URL: '' } });
    const r = await runCli(['db', 'makemigrations'], { cwd: dir, env: { DATABASE_URL: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('models.ts');
    expect(revisionFiles(dir)).toHaveLength(0);
  });

  it('with no database configured, uses the embedded one under .fastedgy/', async () => {
    const dir = makeProjectDir({});
    const env = { DATABASE_URL: '' };
    expect((await runCli(['db', 'init'], { cwd: dir, env })).code).toBe(0);
    expect(existsSync(join(dir, 'fastedgy.config.ts'))).toBe(true);
    writeFileSync(join(dir, 'models.ts'), MODELS_V1);
    expect((await runCli(['db', 'createdb'], { cwd: dir, env })).code).toBe(0);
    expect((await runCli(['db', 'makemigrations', '-m', 'first'], { cwd: dir, env })).code).toBe(0);
    const migrated = await runCli(['db', 'migrate'], { cwd: dir, env });
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    expect(existsSync(join(dir, '.fastedgy'))).toBe(true);
    expect((await runCli(['db', 'check'], { cwd: dir, env })).code).toBe(0);
  }, 120_000);
});
