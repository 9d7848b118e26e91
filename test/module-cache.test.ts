/**
 * Issue 14: config, models and revisions load from compiled modules cached
 * under `.fastedgy/cache/`, keyed by content. A changed file is never run
 * stale, an entry that is not whole is never used, a broken file is named,
 * and a module that imports a file beside it still loads (through tsx).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entryBody, entryText } from '../source/util/module-cache.js';
import { linked } from '../source/util/compile-module.js';
import { CONFIG, handRevision, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';

const MODELS = `import { defineModel, fields } from 'fastedgy';
export const Note = defineModel('Note', { tablename: 'notes', fields: { body: fields.TextField() } });
`;
const MORE = MODELS.replace('body: fields.TextField()', 'body: fields.TextField(), title: fields.CharField({ maxLength: 80, null: true })');

function entries(dir: string): string[] {
  return readdirSync(join(dir, '.fastedgy', 'cache')).map((f) => join(dir, '.fastedgy', 'cache', f));
}

describe('module cache entries', () => {
  it('an entry is whole only with its closing line matching what is above it', () => {
    const text = entryText('export const a = 1;\n');
    expect(entryBody(text)).toBe('export const a = 1;\n');
    expect(entryBody(text.slice(0, text.length - 10))).toBeNull();
    expect(entryBody(text.slice(0, 12))).toBeNull();
    expect(entryBody(text.replace('a = 1', 'a = 2'))).toBeNull();
  });

  it('fastedgy imports point at this package; a module importing a file beside it is left to the loader', () => {
    const aliases = { fastedgy: 'file:///pkg/index.js', 'fastedgy/migrations': 'file:///pkg/migrations.js' };
    expect(linked('import { defineModel } from "fastedgy";\nexport * from "zod";\nconst s = \'from "fastedgy"\';\n', aliases)).toBe(
      'import { defineModel } from "file:///pkg/index.js";\nexport * from "zod";\nconst s = \'from "fastedgy"\';\n',
    );
    expect(linked('const m = await import("fastedgy/migrations");\n', aliases)).toBe('const m = await import("file:///pkg/migrations.js");\n');
    expect(linked('import { x } from "./enums.js";\n', aliases)).toBeNull();
    expect(linked('const m = await import(name);\n', aliases)).toBeNull();
  });
});

describe('loading through the module cache', () => {
  async function migratedProject(): Promise<{ dir: string; env: Record<string, string> }> {
    const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': MODELS });
    const db = await freshDatabase('server');
    const env = { DATABASE_URL: db.url! };
    for (const step of [['init'], ['makemigrations', '-m', 'notes'], ['migrate']]) {
      const r = await runCli(['db', ...step], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
    }
    disposers.push(db.dispose);
    return { dir, env };
  }
  const disposers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of disposers) await d();
  });

  it('keeps compiled modules under .fastedgy/cache, and a changed model file is seen at once', async () => {
    const { dir, env } = await migratedProject();
    const cached = entries(dir);
    // The config, the models and the revision (makemigrations may have kept one for a draft of it); nothing half-written left behind.
    expect(cached.length).toBeGreaterThanOrEqual(3);
    expect(cached.every((f) => /\/[0-9a-f]{40}\.mjs$/.test(f))).toBe(true);
    const same = await runCli(['db', 'check'], { cwd: dir, env });
    expect(same.stdout).toContain('No differences');
    expect(same.code).toBe(0);

    writeFileSync(join(dir, 'models.ts'), MORE);
    const changed = await runCli(['db', 'check'], { cwd: dir, env });
    expect(changed.stdout).toContain('add column notes.title');
    expect(changed.code).not.toBe(0);
  });

  it('an entry cut short or edited is not used: the source is compiled again', async () => {
    const { dir, env } = await migratedProject();
    for (const [i, file] of entries(dir).entries()) {
      const text = readFileSync(file, 'utf8');
      // One cut short (as by a crash mid-write), the others edited to run something else.
      writeFileSync(file, i === 0 ? text.slice(0, text.length / 2) : text.replace(/^/, 'throw new Error("stale entry ran");\n'));
    }
    // check loads the config and the models; downgrade --sql the config and the revision.
    for (const args of [['check'], ['downgrade', 'base', '--sql']]) {
      const r = await runCli(['db', ...args], { cwd: dir, env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const whole = entries(dir).filter((file) => entryBody(readFileSync(file, 'utf8')) !== null);
    expect(whole.length).toBeGreaterThanOrEqual(3);
  });

  it('a revision that does not compile is named, with where in it', async () => {
    const { dir, env } = await migratedProject();
    const versions = join(dir, 'migrations', 'versions');
    const [first] = readdirSync(versions);
    const file = '20990101_000000_bbbbbbbbbbbb_broken.ts';
    const head = /export const revision = '(\w+)'/.exec(readFileSync(join(versions, first), 'utf8'))![1];
    writeFileSync(join(versions, file), handRevision('bbbbbbbbbbbb', head, 'await op.execute("SELECT 1");', 'await op.execute("SELECT (");').replace('downgrade(op: any) {', 'downgrade(op: any) { (('));
    const r = await runCli(['db', 'migrate'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`cannot load revision ${file}: .*\\(line \\d+, column \\d+\\)`));
  });

  it('a model file importing a file beside it loads (through tsx), and sees that file change', async () => {
    const { dir, env } = await migratedProject();
    writeFileSync(join(dir, 'sizes.ts'), 'export const TITLE: number = 80;\n');
    writeFileSync(join(dir, 'models.ts'), `import { TITLE } from './sizes.ts';\n${MORE.replace('maxLength: 80', 'maxLength: TITLE')}`);
    const r = await runCli(['db', 'check'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('add column notes.title character varying(80)');
    writeFileSync(join(dir, 'sizes.ts'), 'export const TITLE: number = 120;\n');
    const changed = await runCli(['db', 'check'], { cwd: dir, env });
    expect(changed.stdout).toContain('add column notes.title character varying(120)');
  });

  it('many revisions load together (one pack), and one failing at its top level is still named', async () => {
    const db = await freshDatabase('server');
    disposers.push(db.dispose);
    const env = { DATABASE_URL: db.url! };
    const files: Record<string, string> = { 'fastedgy.config.ts': CONFIG, 'models.ts': 'export {};\n' };
    const id = (i: number) => `c${String(i).padStart(11, '0')}`;
    for (let i = 0; i < 12; i++)
      files[`migrations/versions/${String(i).padStart(4, '0')}_t${i}.ts`] = handRevision(id(i), i ? id(i - 1) : null, `await op.execute('CREATE TABLE t${i} (id int)');`, `await op.execute('DROP TABLE t${i}');`);
    const dir = makeProjectDir(files);
    const up = await runCli(['db', 'migrate'], { cwd: dir, env });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(`Database is now at ${id(11)}.`);
    expect(readdirSync(join(dir, '.fastedgy', 'cache')).some((f) => f.startsWith('pack-'))).toBe(true);
    const down = await runCli(['db', 'downgrade', 'base'], { cwd: dir, env });
    expect(down.code, down.stderr).toBe(0);

    const broken = join(dir, 'migrations', 'versions', '0005_t5.ts');
    writeFileSync(broken, `throw new Error('top-level boom');\n${readFileSync(broken, 'utf8')}`);
    const again = await runCli(['db', 'migrate'], { cwd: dir, env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('cannot load revision 0005_t5.ts: top-level boom');
  });
});
