/**
 * The lint reading raw SQL with PostgreSQL's own parser (issue 13): each
 * rule that the regular expressions missed is caught, each wrong flag is
 * gone, all from real revision files (written to a versions directory,
 * loaded and recorded as `check` does), and the warnings reach `--json`.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintRevisions } from '../source/lint/lint.js';
import type { LintWarning } from '../source/lint/lint.js';
import { loadRevisions } from '../source/revisions/files.js';
import { CONFIG, handRevision, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';

/** A revision file's name: sorted by it, so the history is in order. */
const fileName = (n: number, id: string) => `2026010${n}_000000_${id}_rev.ts`;
const id = (n: number) => String(n).repeat(12);
const NON_TRANSACTIONAL = 'export const transactional = false;';

/** The schema the revisions below start from, as a first (applied, not linted) revision. */
const BASE = `await op.execute(\`CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100), status mood, email text, score int);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
CREATE INDEX users_email_idx ON users (email)\`);`;

/**
 * The warnings for the last of `ups` (revision bodies, after BASE), linted as
 * `check` lints a pending revision: every earlier one read for its column types.
 */
async function lintLast(ups: readonly { up: string; extra?: string }[]): Promise<LintWarning[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fastedgy-lint-'));
  const all = [{ up: BASE }, ...ups];
  all.forEach((r, i) => writeFileSync(join(dir, fileName(i + 1, id(i + 1))), handRevision(id(i + 1), i ? id(i) : null, r.up, '', r.extra ?? '')));
  const revisions = await loadRevisions(dir);
  const report = await lintRevisions([revisions.at(-1)!], revisions);
  expect(report.skipped).toEqual([]);
  return report.warnings;
}

const rulesOf = async (up: string, extra = '') => (await lintLast([{ up, extra }])).map((w) => w.rule);
const exec = (sql: string) => `await op.execute(${JSON.stringify(sql)});`;

describe('missed before, caught now', () => {
  it('type-rewrite: removing an enum value (rebuildEnum) rewrites every table using the type', async () => {
    const up = `await op.rebuildEnum({ type: 'mood', from: ['ok', 'sad'], to: ['ok'], columns: [{ table: 'users', column: 'status', nullable: true }], fates: { sad: { mapTo: 'ok' } } });`;
    const [w] = await lintLast([{ up }]);
    expect(w.rule).toBe('type-rewrite');
    expect(w.risk).toContain('rewrites users');
    expect(w.risk).toContain('ACCESS EXCLUSIVE');
  });

  it('type-rewrite: raw ALTER … TYPE judged against the type earlier revisions left: a shortened varchar and an enum made text rewrite', async () => {
    expect(await rulesOf(exec('ALTER TABLE users ALTER COLUMN name TYPE varchar(20)'))).toEqual(['type-rewrite']);
    expect(await rulesOf(exec('ALTER TABLE users ALTER COLUMN status TYPE text'))).toEqual(['type-rewrite']);
    const [w] = await lintLast([{ up: exec('ALTER TABLE users ALTER name SET DATA TYPE varchar(20)') }]);
    expect(w.risk).toContain('from varchar(100) to varchar(20)');
    // A widening, and a column renamed since, are still known.
    expect(await rulesOf(exec('ALTER TABLE users ALTER COLUMN name TYPE varchar(200)'))).toEqual([]);
    expect(await rulesOf(exec('ALTER TABLE users ALTER COLUMN name TYPE text'))).toEqual([]);
    expect((await lintLast([
      { up: exec('ALTER TABLE users RENAME COLUMN name TO full_name') },
      { up: exec('ALTER TABLE users ALTER COLUMN full_name TYPE varchar(50)') },
    ])).map((w) => w.rule)).toEqual(['type-rewrite']);
  });

  it('validate-in-transaction: NOT VALID then VALIDATE in one transactional revision; not in two revisions, nor outside a transaction', async () => {
    const add = exec('ALTER TABLE orders ADD CONSTRAINT orders_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID');
    const validate = exec('ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fkey');
    const [w] = await lintLast([{ up: add + validate }]);
    expect(w.rule).toBe('validate-in-transaction');
    expect(w.risk).toContain('held until COMMIT');
    expect(await rulesOf(add + validate, NON_TRANSACTIONAL)).toEqual([]);
    expect((await lintLast([{ up: add }, { up: validate }])).map((x) => x.rule)).toEqual([]);
  });

  it('cannot-run-in-transaction: CONCURRENTLY (raw or op) and VACUUM in a transactional revision', async () => {
    expect(await rulesOf(exec('CREATE INDEX CONCURRENTLY users_name_idx ON users (name)'))).toEqual(['cannot-run-in-transaction']);
    expect(await rulesOf(exec('DROP INDEX CONCURRENTLY users_email_idx'))).toEqual(['cannot-run-in-transaction']);
    expect(await rulesOf(exec('REINDEX INDEX CONCURRENTLY users_email_idx'))).toEqual(['cannot-run-in-transaction']);
    expect(await rulesOf(exec('VACUUM ANALYZE users'))).toEqual(['cannot-run-in-transaction']);
    expect(await rulesOf(`await op.createIndex({ table: 'users', index: { name: 'users_name_idx', columns: ['name'], unique: false, using: 'btree', where: null }, concurrently: true });`)).toEqual(['cannot-run-in-transaction']);
    expect(await rulesOf(exec('CREATE INDEX CONCURRENTLY users_name_idx ON users (name); VACUUM ANALYZE users'), NON_TRANSACTIONAL)).toEqual([]);
  });

  it('drop-index: DROP INDEX without CONCURRENTLY; not one the revision created', async () => {
    const [w] = await lintLast([{ up: exec('DROP INDEX IF EXISTS users_email_idx') }]);
    expect(w.rule).toBe('drop-index');
    expect(w.safer).toContain('DROP INDEX CONCURRENTLY users_email_idx');
    expect(await rulesOf(exec('DROP INDEX CONCURRENTLY users_email_idx'), NON_TRANSACTIONAL)).toEqual([]);
    expect(await rulesOf(exec('CREATE TABLE t (x int); CREATE INDEX t_x ON t (x); DROP INDEX t_x'))).toEqual([]);
  });

  it('reindex: REINDEX without CONCURRENTLY', async () => {
    expect(await rulesOf(exec('REINDEX TABLE users'))).toEqual(['reindex']);
    expect(await rulesOf(exec('REINDEX TABLE CONCURRENTLY users'), NON_TRANSACTIONAL)).toEqual([]);
  });

  it('constraint-not-valid: ADD COLUMN … REFERENCES', async () => {
    const [w] = await lintLast([{ up: exec('ALTER TABLE orders ADD COLUMN buyer_id bigint REFERENCES users (id)') }]);
    expect(w.rule).toBe('constraint-not-valid');
    expect(w.safer).toContain('NOT VALID');
    expect(await rulesOf(exec('ALTER TABLE orders ADD COLUMN buyer_id bigint'))).toEqual([]);
  });

  it('add-column-not-null: ADD COLUMN … NOT NULL without a default; not with one', async () => {
    expect(await rulesOf(exec('ALTER TABLE users ADD COLUMN age int NOT NULL'))).toEqual(['add-column-not-null']);
    expect(await rulesOf(exec('ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0'))).toEqual([]);
    expect(await rulesOf(exec('CREATE TABLE t (x int); ALTER TABLE t ADD COLUMN age int NOT NULL'))).toEqual([]);
  });

  it('rewrite-table, lock-table, whole-table-update: CLUSTER, VACUUM FULL, LOCK TABLE, UPDATE without WHERE', async () => {
    expect(await rulesOf(exec('CLUSTER users USING users_email_idx'))).toEqual(['rewrite-table']);
    expect(await rulesOf(exec('VACUUM FULL users'), NON_TRANSACTIONAL)).toEqual(['rewrite-table']);
    expect(await rulesOf(exec('VACUUM (FULL false) users'), NON_TRANSACTIONAL)).toEqual([]);
    const [lock] = await lintLast([{ up: exec('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE') }]);
    expect([lock.rule, lock.risk]).toEqual(['lock-table', expect.stringContaining('IN SHARE ROW EXCLUSIVE MODE')]);
    expect(await rulesOf(exec("UPDATE users SET email = lower(email)"))).toEqual(['whole-table-update']);
    expect(await rulesOf(exec("UPDATE users SET email = lower(email) WHERE id < 1000"))).toEqual([]);
    expect(await rulesOf(exec("UPDATE users SET email = lower(email)"), NON_TRANSACTIONAL)).toEqual([]);
  });

  it('reads SQL as PostgreSQL does: an E-string escape, a dollar body, a comment or a string is not a statement', async () => {
    // The regular expressions took `\\'` for the end of the string and read what followed as SQL.
    expect(await rulesOf(exec("SELECT E'it\\\\'s; CREATE INDEX i ON users (x)'"))).toEqual([]);
    expect(await rulesOf(exec("DO $$ BEGIN EXECUTE 'UPDATE users SET score = 0'; END $$"))).toEqual([]);
    expect(await rulesOf(exec("COMMENT ON TABLE users IS 'LOCK TABLE users'; /* REINDEX TABLE users; */ -- CLUSTER users"))).toEqual([]);
    // Options in any order, quoted names, ONLY: still the statement it is.
    expect(await rulesOf(exec('create unique index if not exists "Users_x" on only public.users using btree (lower(email))'))).toEqual(['create-index']);
  });
});

describe('flagged wrongly before, not now', () => {
  it('set-not-null: op.alterColumn making a column NOT NULL in a transactional revision (the runner validates a CHECK first on big tables)', async () => {
    const up = `await op.alterColumn({ table: 'users', column: 'email', from: { type: 'text', nullable: true, default: null }, to: { type: 'text', nullable: false, default: null }, backfill: { value: '' } });`;
    expect(await rulesOf(up)).toEqual([]);
    // Without a transaction the runner runs it as written: a scan under ACCESS EXCLUSIVE.
    expect(await rulesOf(up, NON_TRANSACTIONAL)).toEqual(['set-not-null']);
    // Raw SQL is run as written, so it is still flagged.
    expect(await rulesOf(exec('ALTER TABLE users ALTER COLUMN email SET NOT NULL'))).toEqual(['set-not-null']);
  });

  it('create-index on ADD CONSTRAINT UNIQUE says reads wait too (ACCESS EXCLUSIVE), not only writes', async () => {
    const [w] = await lintLast([{ up: exec('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)') }]);
    expect(w.rule).toBe('create-index');
    expect(w.risk).toContain('ACCESS EXCLUSIVE lock (every read and write of users waits)');
    expect(await rulesOf(exec('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx'))).toEqual([]);
  });

  it('a new rule is silenced like the old ones', async () => {
    expect(await rulesOf(exec('REINDEX TABLE users'), '// fastedgy-lint-allow reindex')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// The real CLI (dist/: `npm run build` first) on the real server.


describe('through the CLI', () => {
  it('a flagged CONCURRENTLY in a transactional revision really fails; check --json carries the warnings', async () => {
    const fresh = await freshDatabase('server');
    const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': 'export {};\n' });
    const versions = join(dir, 'migrations', 'versions');
    mkdirSync(versions, { recursive: true });
    writeFileSync(join(versions, fileName(1, id(1))), handRevision(id(1), null, exec('CREATE TABLE a (x int)'), exec('DROP TABLE a')));
    writeFileSync(join(versions, fileName(2, id(2))), handRevision(id(2), id(1), exec('CREATE INDEX CONCURRENTLY a_x ON a (x)'), ''));
    const env = { DATABASE_URL: fresh.url! };
    try {
      const check = await runCli(['db', 'check', '--json'], { cwd: dir, env });
      expect(check.code).toBe(3);
      const out = JSON.parse(check.stdout);
      expect(out.lint.warnings.map((w: LintWarning) => [w.rule, w.file])).toEqual([['cannot-run-in-transaction', fileName(2, id(2))]]);
      expect(out.lint.notLinted).toEqual([]);
      const migrate = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(migrate.code).toBe(1);
      expect(migrate.stderr).toContain('cannot run inside a transaction block');
    } finally {
      await fresh.dispose();
    }
  });

  it('makemigrations --json: removing an enum value is flagged as a rewrite, the backfilled NOT NULL is not', async () => {
    const fresh = await freshDatabase('server');
    const models = (values: string, codeNull: boolean) => `import { defineEnum, defineModel, fields } from 'fastedgy';
export const Mood = defineEnum('Mood', [${values}]);
export const Item = defineModel('Item', { tablename: 'items', fields: { mood: fields.ChoiceField({ choices: Mood }), code: fields.IntegerField({ null: ${codeNull} }) } });
`;
    const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': models("'ok', 'sad'", true) });
    const env = { DATABASE_URL: fresh.url! };
    try {
      expect((await runCli(['db', 'init'], { cwd: dir, env })).code).toBe(0);
      expect((await runCli(['db', 'makemigrations', '-m', 'items'], { cwd: dir, env })).code).toBe(0);
      expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(0);
      await fresh.db.query("INSERT INTO items (mood, code) VALUES ('sad', NULL), ('ok', 1)");
      writeFileSync(join(dir, 'models.ts'), models("'ok'", false));
      writeFileSync(join(dir, 'answers.json'), JSON.stringify({ 'enum-remove:mood.sad': { mapTo: 'ok' }, 'backfill:items.code': { value: 0 } }));
      const r = await runCli(['db', 'makemigrations', '-m', 'drop sad', '--answers', 'answers.json', '--json'], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.lint.map((w: LintWarning) => w.rule)).toEqual(['type-rewrite']);
      expect(out.lint[0].risk).toContain('enum mood');
      expect(r.stderr).toContain('warning [type-rewrite]');
      expect(r.stderr).not.toContain('set-not-null');
      expect(readdirSync(join(dir, 'migrations', 'versions')).some((f) => f.endsWith('_drop_sad.ts'))).toBe(true);
    } finally {
      await fresh.dispose();
    }
  });
});


describe('what the lint reads', () => {
  it('revisions after the last linted one are not imported (check at head imports no revision)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fastedgy-lint-'));
    const seen = `fastedgyLintSeen${Date.now()}`;
    // Each module notes on import that it ran; the later one's upgrade would also fail if recorded.
    const mark = (n: number) => `(globalThis as any).${seen} = [...((globalThis as any).${seen} ?? []), ${n}];`;
    writeFileSync(join(dir, fileName(1, id(1))), handRevision(id(1), null, BASE, '', mark(1)));
    writeFileSync(join(dir, fileName(2, id(2))), handRevision(id(2), id(1), 'throw new Error("recorded");', '', mark(2)));
    const revisions = await loadRevisions(dir);
    expect(await lintRevisions([], revisions)).toEqual({ warnings: [], skipped: [] });
    expect((globalThis as Record<string, unknown>)[seen]).toBeUndefined();
    const first = await lintRevisions([revisions[0]], revisions);
    expect(first).toEqual({ warnings: [], skipped: [] });
    expect((globalThis as Record<string, unknown>)[seen]).toEqual([1]);
    // Linting the later one reads both, and reports it as not linted.
    const second = await lintRevisions([revisions[1]], revisions);
    expect(second.skipped).toEqual([expect.stringContaining('recorded')]);
    expect((globalThis as Record<string, unknown>)[seen]).toEqual([1, 2]);
  });
});
