/**
 * Outside a project (issue 11, 13): every command but `init` says which
 * config it looked for and where, and creates nothing; `init` keeps the
 * embedded database out of version control; a wrong models path stops
 * makemigrations before it creates the migrations directory.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProjectDir, runCli } from './support/cli.js';

const env = { DATABASE_URL: '' };

describe('outside a project', () => {
  for (const args of [['makemigrations'], ['migrate'], ['current'], ['check'], ['history'], ['createdb']]) {
    it(`${args[0]} in an empty folder names the config it looked for and creates nothing`, async () => {
      const dir = makeProjectDir({});
      const r = await runCli(['db', ...args], { cwd: dir, env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('no fastedgy config found');
      expect(r.stderr).toContain('fastedgy.config.ts');
      expect(r.stderr).toContain(dir);
      expect(r.stderr).toContain('fastedgy db init');
      expect(r.stderr).not.toMatch(/node_modules|dist\//);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('init adds .fastedgy/ to .gitignore (creating it), once, keeping what was there', async () => {
    const dir = makeProjectDir({});
    expect((await runCli(['db', 'init'], { cwd: dir, env })).code).toBe(0);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('.fastedgy/\n');
    const other = makeProjectDir({ '.gitignore': 'node_modules' });
    expect((await runCli(['db', 'init'], { cwd: other, env })).code).toBe(0);
    expect((await runCli(['db', 'init'], { cwd: other, env })).code).toBe(0);
    expect(readFileSync(join(other, '.gitignore'), 'utf8')).toBe('node_modules\n.fastedgy/\n');
  });

  it('makemigrations with a models path that does not exist names it and creates nothing', async () => {
    const dir = makeProjectDir({});
    writeFileSync(join(dir, 'fastedgy.config.ts'), "export default { models: './app/models.ts', migrations: './migrations' };\n");
    const r = await runCli(['db', 'makemigrations'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(dir, 'app', 'models.ts'));
    expect(existsSync(join(dir, 'migrations'))).toBe(false);
    expect(existsSync(join(dir, '.fastedgy'))).toBe(false);
  });
});
