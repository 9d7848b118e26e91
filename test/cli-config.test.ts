/** SPEC §3: config files of every kind, and where the database URL comes from. */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';

const TEMPLATE = readFileSync(new URL('../templates/default/script.ts.tmpl', import.meta.url), 'utf8');
const MODELS = `import { defineModel, fields } from 'fastedgy';
export const Note = defineModel('Note', { tablename: 'notes', fields: { body: fields.TextField() } });
`;

describe('configuration', () => {
  let url: string;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase('server');
    url = fresh.url!;
    dispose = fresh.dispose;
  });
  afterAll(async () => dispose?.());

  function project(config: Record<string, string>): string {
    const dir = makeProjectDir({ ...config, 'app/models.ts': MODELS, 'db/migrations/script.ts.tmpl': TEMPLATE });
    mkdirSync(join(dir, 'db', 'migrations', 'versions'), { recursive: true });
    return dir;
  }

  it('reads a .json config, and DATABASE_URL from a .env file beside it', async () => {
    const dir = project({
      'fastedgy.config.json': JSON.stringify({ models: './app/models.ts', migrations: './db/migrations' }),
      '.env': `# the database\nDATABASE_URL="${url}"\n`,
    });
    const r = await runCli(['db', 'makemigrations', '-m', 'notes'], { cwd: dir, env: { DATABASE_URL: undefined } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('db/migrations/versions/');
  });

  it('reads a .mjs config through --config from anywhere, and --database-url wins over DATABASE_URL', async () => {
    const dir = project({ 'conf/fastedgy.config.mjs': `export default { models: '../app/models.ts', migrations: '../db/migrations' };\n` });
    const r = await runCli(['db', 'history', '--config', 'conf/fastedgy.config.mjs'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No revisions yet.');
    const cur = await runCli(['db', 'current', '--config', join(dir, 'conf', 'fastedgy.config.mjs'), '--database-url', url], {
      cwd: dir,
      env: { DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none' },
    });
    expect(cur.stderr).toBe('');
    expect(cur.code).toBe(0);
  });

  it('a config that fails to load is named in one message', async () => {
    const dir = project({ 'fastedgy.config.ts': `throw new Error('boom');\n` });
    const r = await runCli(['db', 'history'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('fastedgy.config.ts');
    expect(r.stderr).toContain('boom');
  });
});
