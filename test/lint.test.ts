/**
 * The lint (issue 5): each rule from literal operations and raw SQL, the
 * positive and the negative cases, silencing, and the real CLI printing the
 * warnings of `check` and `makemigrations` on stderr.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typeChangeRewrites } from '../source/lint/column-types.js';
import { allowedRules, formatLint, LintContext, lintOperations, lintRevisionText, sqlFindings } from '../source/lint/lint.js';
import type { ColumnState, Operation } from '../source/ops/types.js';
import type { Index } from '../source/schema/types.js';
import { CONFIG, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';
import { col, table } from './support/schema-builders.js';

const rules = (ops: Operation[]) => lintOperations(ops).map((f) => f.rule);
const sqlRules = (sql: string) => sqlFindings(sql).map((f) => f.rule);
/** A revision with `export const transactional = false`. */
const outside = () => new LintContext(false);
const rulesOutside = (ops: Operation[]) => lintOperations(ops, outside()).map((f) => f.rule);
const sqlRulesOutside = (sql: string) => sqlFindings(sql, outside()).map((f) => f.rule);
const index = (name: string, columns: string[], opts: Partial<Index> = {}): Index => ({ name, columns, unique: false, using: 'btree', where: null, ...opts });
const state = (type: string, opts: Partial<ColumnState> = {}): ColumnState => ({ type, nullable: true, default: null, ...opts });
const alter = (from: ColumnState, to: ColumnState, extra: Partial<Operation & { kind: 'alterColumn' }> = {}): Operation => ({
  kind: 'alterColumn', table: 'users', column: 'n', from, to, ...extra,
});

describe('create-index', () => {
  it('does not flag op.createIndex in a transactional revision: the runner builds it concurrently on a big table', () => {
    expect(rules([{ kind: 'createIndex', table: 'users', index: index('users_email_idx', ['email']) }])).toEqual([]);
    expect(rules([{ kind: 'addUnique', table: 'users', unique: { name: 'users_email_key', columns: ['email'] } }])).toEqual([]);
  });

  it('flags op.createIndex without concurrently on an existing table in a non-transactional revision (run as written), with the safer way', () => {
    const [f] = lintOperations([{ kind: 'createIndex', table: 'users', index: index('users_email_idx', ['email']) }], outside());
    expect(f.rule).toBe('create-index');
    expect(f.operation).toContain('users_email_idx');
    expect(f.risk).toMatch(/write to users waits/);
    expect(f.safer).toContain('concurrently: true');
    expect(f.safer).toContain('export const transactional = false');
  });

  it('does not flag a concurrent index (in a non-transactional revision), nor an index on a table the revision creates', () => {
    expect(rulesOutside([{ kind: 'createIndex', table: 'users', index: index('i', ['email']), concurrently: true }])).toEqual([]);
    expect(rules([
      { kind: 'createTable', table: table('users', [col('email', 'text')]) },
      { kind: 'createIndex', table: 'users', index: index('i', ['email']) },
    ])).toEqual([]);
  });

  it('flags a unique constraint added to an existing table, not to a new one', () => {
    expect(rulesOutside([{ kind: 'addUnique', table: 'users', unique: { name: 'users_email_key', columns: ['email'] } }])).toEqual(['create-index']);
    expect(rules([
      { kind: 'createTable', table: table('users', []) },
      { kind: 'addUnique', table: 'users', unique: { name: 'users_email_key', columns: ['email'] } },
    ])).toEqual([]);
  });

  it('reads raw CREATE INDEX: plain, unique, unnamed, quoted, schema-qualified', () => {
    expect(sqlRules('CREATE INDEX users_email_idx ON users (email)')).toEqual(['create-index']);
    expect(sqlRules('create unique index if not exists i on only public."Users" using btree (lower(email))')).toEqual(['create-index']);
    expect(sqlRules('CREATE INDEX ON users (email)')).toEqual(['create-index']);
    expect(sqlFindings('CREATE INDEX i ON "Users" (x)')[0].risk).toContain('Users');
    expect(sqlFindings('CREATE INDEX i ON users (x)')[0].safer).toContain('CREATE INDEX CONCURRENTLY');
  });

  it('does not flag CONCURRENTLY, an index on a table created earlier in the same SQL or operations, or text inside literals and comments', () => {
    expect(sqlRulesOutside('CREATE INDEX CONCURRENTLY users_email_idx ON users (email)')).toEqual([]);
    expect(sqlRules('CREATE TABLE a (x int); CREATE INDEX a_x ON a (x)')).toEqual([]);
    expect(sqlRules('CREATE TABLE IF NOT EXISTS public.a (x int);\nCREATE INDEX a_x ON "a" (x)')).toEqual([]);
    expect(sqlRules("-- CREATE INDEX old ON users (x)\nCOMMENT ON TABLE users IS 'CREATE INDEX i ON users (x); ok'")).toEqual([]);
    expect(sqlRules('CREATE FUNCTION f() RETURNS void AS $$ CREATE INDEX i ON users (x) $$ LANGUAGE sql')).toEqual([]);
    expect(rules([
      { kind: 'execute', sql: 'CREATE TABLE a (x int)' },
      { kind: 'createIndex', table: 'a', index: index('a_x', ['x']) },
    ])).toEqual([]);
  });

  it('a table renamed after being created in the same revision is still new', () => {
    expect(rules([
      { kind: 'createTable', table: table('tmp', []) },
      { kind: 'renameTable', from: 'tmp', to: 'users' },
      { kind: 'createIndex', table: 'users', index: index('i', ['id']) },
    ])).toEqual([]);
    expect(sqlRules('CREATE TABLE tmp (x int); ALTER TABLE tmp RENAME TO b; CREATE INDEX i ON b (x)')).toEqual([]);
  });
});

describe('volatile-default', () => {
  it('flags op.addColumn with a volatile default on an existing table', () => {
    for (const def of ['gen_random_uuid()', 'random()', 'clock_timestamp()', 'public.uuid_generate_v4()', "nextval('users_n_seq'::regclass)"]) {
      const [f] = lintOperations([{ kind: 'addColumn', table: 'users', column: col('n', 'uuid', { nullable: true, default: def }) }]);
      expect(f?.rule, def).toBe('volatile-default');
      expect(f.risk).toContain('rewrites users');
    }
  });

  it('flags an identity column added to an existing table', () => {
    expect(rules([{ kind: 'addColumn', table: 'users', column: col('n', 'bigint', { identity: 'always' }) }])).toEqual(['volatile-default']);
  });

  it('does not flag now(), a constant, no default, a new table, or a constant backfill before a volatile default', () => {
    expect(rules([{ kind: 'addColumn', table: 'users', column: col('at', 'timestamp with time zone', { default: 'now()' }) }])).toEqual([]);
    expect(rules([{ kind: 'addColumn', table: 'users', column: col('n', 'integer', { default: '0' }) }])).toEqual([]);
    expect(rules([{ kind: 'addColumn', table: 'users', column: col('n', 'integer', { nullable: true }) }])).toEqual([]);
    expect(rules([
      { kind: 'createTable', table: table('users', []) },
      { kind: 'addColumn', table: 'users', column: col('n', 'uuid', { default: 'gen_random_uuid()' }) },
    ])).toEqual([]);
    // ADD COLUMN … DEFAULT <constant>, then SET DEFAULT gen_random_uuid(): no row is rewritten (see ops/sql.ts).
    expect(rules([{ kind: 'addColumn', table: 'users', column: col('n', 'uuid', { default: 'gen_random_uuid()' }), backfill: { value: '00000000-0000-0000-0000-000000000000' } }])).toEqual([]);
  });

  it('reads raw ADD COLUMN: volatile default, serial, identity, stored generated; not now() or a constant', () => {
    expect(sqlRules('ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()')).toEqual(['volatile-default']);
    expect(sqlRules('ALTER TABLE users ADD n bigserial')).toEqual(['volatile-default']);
    expect(sqlRules('ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY')).toEqual(['volatile-default']);
    expect(sqlRules('ALTER TABLE users ADD COLUMN l int GENERATED ALWAYS AS (length(name)) STORED')).toEqual(['volatile-default']);
    expect(sqlRules('ALTER TABLE users ADD COLUMN at timestamptz DEFAULT now()')).toEqual([]);
    expect(sqlRules("ALTER TABLE users ADD COLUMN s text NOT NULL DEFAULT 'random()'")).toEqual([]);
    expect(sqlRules('CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid()')).toEqual([]);
  });
});

describe('type-rewrite', () => {
  it('knows which changes rewrite', () => {
    expect(typeChangeRewrites('integer', 'bigint')).toBe(true);
    expect(typeChangeRewrites('text', 'integer')).toBe(true);
    expect(typeChangeRewrites('character varying(255)', 'character varying(100)')).toBe(true);
    expect(typeChangeRewrites('timestamp without time zone', 'timestamp with time zone')).toBe(true);
    expect(typeChangeRewrites('timestamptz', 'timestamp')).toBe(true);
    expect(typeChangeRewrites('numeric(10,2)', 'numeric(12,4)')).toBe(true);
    expect(typeChangeRewrites('integer[]', 'bigint[]')).toBe(true);
    expect(typeChangeRewrites('text', 'text[]')).toBe(true);
    expect(typeChangeRewrites('character varying(10)', 'character varying(20)', 'lower(n)')).toBe(true);

    expect(typeChangeRewrites('character varying(100)', 'character varying(255)')).toBe(false);
    expect(typeChangeRewrites('varchar(100)', 'text')).toBe(false);
    expect(typeChangeRewrites('character varying(100)', 'character varying')).toBe(false);
    expect(typeChangeRewrites('text', 'varchar')).toBe(false);
    expect(typeChangeRewrites('numeric(10,2)', 'numeric(12,2)')).toBe(false);
    expect(typeChangeRewrites('numeric(10,2)', 'numeric')).toBe(false);
    expect(typeChangeRewrites('int4', 'integer')).toBe(false);
    expect(typeChangeRewrites('cidr', 'inet')).toBe(false);
  });

  it('flags op.alterColumn that rewrites, naming both types; not a widening, nor a default-only change', () => {
    const [f] = lintOperations([alter(state('integer'), state('bigint'))]);
    expect(f.rule).toBe('type-rewrite');
    expect(f.risk).toContain('from integer to bigint');
    expect(f.risk).toContain('rewrites users');
    expect(rules([alter(state('timestamp without time zone'), state('timestamp with time zone'))])).toEqual(['type-rewrite']);
    expect(rules([alter(state('character varying(100)'), state('character varying(255)'))])).toEqual([]);
    expect(rules([alter(state('character varying(100)'), state('text'))])).toEqual([]);
    expect(rules([alter(state('integer'), state('integer', { default: '0' }))])).toEqual([]);
    expect(rules([{ kind: 'createTable', table: table('users', [col('n', 'integer')]) }, alter(state('integer'), state('bigint'))])).toEqual([]);
  });

  it('an enum column changed to text rewrites', () => {
    expect(rules([alter(state('status', { enumType: 'status' }), state('text'))])).toEqual(['type-rewrite']);
  });

  it('reads raw ALTER COLUMN TYPE: a target only a rewrite reaches, or USING, is flagged; a possible widening is not', () => {
    expect(sqlRules('ALTER TABLE users ALTER COLUMN id TYPE bigint')).toEqual(['type-rewrite']);
    expect(sqlRules('ALTER TABLE users ALTER id SET DATA TYPE timestamptz')).toEqual(['type-rewrite']);
    expect(sqlRules('ALTER TABLE users ALTER COLUMN code TYPE text USING code::text')).toEqual(['type-rewrite']);
    expect(sqlRules('ALTER TABLE users ALTER COLUMN name TYPE varchar(500)')).toEqual([]);
    expect(sqlRules('ALTER TABLE users ALTER COLUMN name TYPE text')).toEqual([]);
    expect(sqlRules('ALTER TABLE users ALTER COLUMN price TYPE numeric(12, 2), ALTER COLUMN id TYPE bigint')).toEqual(['type-rewrite']);
  });
});

describe('set-not-null', () => {
  it('flags op.alterColumn making an existing column NOT NULL in a non-transactional revision, with the CHECK … NOT VALID way', () => {
    const [f] = lintOperations([alter(state('integer'), state('integer', { nullable: false }))], outside());
    expect(f.rule).toBe('set-not-null');
    expect(f.safer).toContain('CHECK (n IS NOT NULL) NOT VALID');
    expect(f.safer).toContain('VALIDATE CONSTRAINT');
  });

  it('does not flag it after a validated CHECK in the same revision, nor on a new table, nor DROP NOT NULL', () => {
    expect(rulesOutside([
      { kind: 'execute', sql: 'ALTER TABLE users ADD CONSTRAINT users_n_nn CHECK (n IS NOT NULL) NOT VALID' },
      { kind: 'execute', sql: 'ALTER TABLE users VALIDATE CONSTRAINT users_n_nn' },
      alter(state('integer'), state('integer', { nullable: false })),
    ])).toEqual([]);
    expect(rulesOutside([{ kind: 'createTable', table: table('users', [col('n', 'integer', { nullable: true })]) }, alter(state('integer'), state('integer', { nullable: false }))])).toEqual([]);
    expect(rulesOutside([alter(state('integer', { nullable: false }), state('integer'))])).toEqual([]);
  });

  it('a type change that rewrites is one warning: NOT NULL is checked in the same pass', () => {
    expect(rules([alter(state('integer'), state('bigint', { nullable: false }))])).toEqual(['type-rewrite']);
  });

  it('reads raw SET NOT NULL, and a validated check before it', () => {
    expect(sqlRules('ALTER TABLE users ALTER COLUMN email SET NOT NULL')).toEqual(['set-not-null']);
    expect(sqlRulesOutside('ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID; ALTER TABLE users VALIDATE CONSTRAINT c; ALTER TABLE users ALTER email SET NOT NULL')).toEqual([]);
    expect(sqlRules('ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID; ALTER TABLE users ALTER email SET NOT NULL')).toEqual(['set-not-null']);
    expect(sqlRules('ALTER TABLE users ALTER COLUMN email DROP NOT NULL')).toEqual([]);
  });
});

describe('constraint-not-valid', () => {
  it('flags a raw FOREIGN KEY or CHECK without NOT VALID on an existing table', () => {
    expect(sqlRules('ALTER TABLE orders ADD CONSTRAINT orders_user_fkey FOREIGN KEY (user_id) REFERENCES users (id)')).toEqual(['constraint-not-valid']);
    expect(sqlRules('ALTER TABLE orders ADD CHECK (total >= 0)')).toEqual(['constraint-not-valid']);
    const [f] = sqlFindings('ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id)');
    expect(f.risk).toContain('referenced table');
    expect(f.safer).toContain('NOT VALID');
  });

  it('does not flag NOT VALID, VALIDATE CONSTRAINT, a new table, ALTER TYPE … ADD VALUE, or renames', () => {
    expect(sqlRulesOutside('ALTER TABLE orders ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID; ALTER TABLE orders VALIDATE CONSTRAINT f')).toEqual([]);
    expect(sqlRules('CREATE TABLE orders (user_id int); ALTER TABLE orders ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id)')).toEqual([]);
    expect(sqlRules("ALTER TYPE status ADD VALUE 'archived'")).toEqual([]);
    expect(sqlRules('ALTER TABLE users RENAME COLUMN a TO b; ALTER TABLE users RENAME TO people')).toEqual([]);
    expect(rules([
      { kind: 'renameColumn', table: 'users', from: 'a', to: 'b' },
      { kind: 'renameTable', from: 'users', to: 'people' },
    ])).toEqual([]);
  });

  it('flags op.addForeignKey on an existing table, not on one the revision creates', () => {
    const fk = { name: 'orders_user_fkey', columns: ['user_id'], refTable: 'users', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' } as const;
    expect(rules([{ kind: 'addForeignKey', table: 'orders', foreignKey: fk }])).toEqual(['constraint-not-valid']);
    expect(rules([{ kind: 'createTable', table: table('orders', [col('user_id', 'bigint')]) }, { kind: 'addForeignKey', table: 'orders', foreignKey: fk }])).toEqual([]);
  });
});

describe('silencing and wording', () => {
  const risky: Operation[] = [{ kind: 'execute', sql: 'CREATE INDEX i ON users (x)' }, alter(state('integer'), state('bigint'))];

  it('a `fastedgy-lint-allow` comment silences the rules it names, `all` every rule', () => {
    expect(allowedRules('// fastedgy-lint-allow create-index, set-not-null\n')).toEqual(new Set(['create-index', 'set-not-null']));
    expect(lintRevisionText('/x/1_a.ts', '// fastedgy-lint-allow create-index\n', risky).map((w) => w.rule)).toEqual(['type-rewrite']);
    expect(lintRevisionText('/x/1_a.ts', '/* fastedgy-lint-allow all */', risky)).toEqual([]);
    expect(lintRevisionText('/x/1_a.ts', '', risky).map((w) => [w.rule, w.file])).toEqual([['create-index', '1_a.ts'], ['type-rewrite', '1_a.ts']]);
  });

  it('formats each warning with its file, operation, risk and safer way, and a footer', () => {
    const lines = formatLint({ warnings: lintRevisionText('/x/1_a.ts', '', risky), skipped: [] }, 'Footer.');
    expect(lines[0]).toBe('warning [create-index] 1_a.ts: op.execute: CREATE INDEX i ON users (x)');
    expect(lines[1]).toMatch(/^ {2}risk: /);
    expect(lines[2]).toMatch(/^ {2}safer: /);
    expect(lines.at(-1)).toContain('2 lint warnings');
    expect(lines.at(-1)).toContain('Footer.');
    expect(lines.at(-1)).toContain('fastedgy-lint-allow create-index, type-rewrite');
    expect(formatLint({ warnings: [], skipped: [] }, 'Footer.')).toEqual([]);
  });

  it('a revision that could not be linted is counted beside the warnings, never as a clean "0 lint warnings" (issue 13)', () => {
    const lines = formatLint({ warnings: [], skipped: ['2_b.ts: cannot load revision'] }, 'Footer.');
    expect(lines[0]).toBe('warning not linted: 2_b.ts: cannot load revision');
    expect(lines.at(-1)).toBe('0 lint warnings about locks on big tables, and 1 revision not linted. Footer.');
  });
});

// ---------------------------------------------------------------------------
// The real CLI (dist/: `npm run build` first).

const TEMPLATE = readFileSync(new URL('../templates/default/script.ts.tmpl', import.meta.url), 'utf8');

function revision(id: string, down: string | null, up: string, extra = ''): string {
  return `${extra}
export const revision = '${id}';
export const downRevision = ${JSON.stringify(down)};
export const message = 'rev ${id}';
export async function upgrade(op: any) { ${up} }
export async function downgrade(op: any) {}
`;
}

function project(files: Record<string, string>, models = 'export {};\n'): string {
  const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': models, 'migrations/script.ts.tmpl': TEMPLATE, ...files });
  mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
  return dir;
}

describe('the lint through the CLI', () => {
  it('check prints a risky revision on stderr, not a silenced one nor a safe one, and keeps its exit code', async () => {
    const fresh = await freshDatabase('server');
    const dir = project({
      'migrations/versions/1_aaaaaaaaaaaa_a.ts': revision('aaaaaaaaaaaa', null, "await op.execute('CREATE TABLE a (x int); CREATE INDEX a_x ON a (x)');"),
      'migrations/versions/2_bbbbbbbbbbbb_b.ts': revision('bbbbbbbbbbbb', 'aaaaaaaaaaaa', "await op.execute('CREATE INDEX a_x2 ON a (x)');"),
      'migrations/versions/3_cccccccccccc_c.ts': revision('cccccccccccc', 'bbbbbbbbbbbb', "await op.execute('CREATE INDEX a_x3 ON a (x)');", '// fastedgy-lint-allow create-index'),
    });
    try {
      const env = { DATABASE_URL: fresh.url! };
      const r = await runCli(['db', 'check'], { cwd: dir, env });
      expect(r.code).toBe(3); // revisions not applied: the lint does not change that
      expect(r.stderr).toContain('warning [create-index] 2_bbbbbbbbbbbb_b.ts: op.execute: CREATE INDEX a_x2 ON a (x)');
      expect(r.stderr).toContain('CREATE INDEX CONCURRENTLY');
      expect(r.stderr).toContain('do not change the exit code');
      expect(r.stderr).not.toContain('1_aaaaaaaaaaaa_a.ts');
      expect(r.stderr).not.toContain('3_cccccccccccc_c.ts');
      expect(r.stdout).not.toContain('warning');

      // Once the models agree, check exits 0 and still warns.
      writeFileSync(join(dir, 'migrations', 'versions', '2_bbbbbbbbbbbb_b.ts'), revision('bbbbbbbbbbbb', 'aaaaaaaaaaaa', "await op.execute('CREATE INDEX a_x2 ON a (x)');", '// fastedgy-lint-allow create-index'));
      const quiet = await runCli(['db', 'check'], { cwd: dir, env });
      expect(quiet.stderr).toBe('');
    } finally {
      await fresh.dispose();
    }
  });

  it('an applied revision: an allow comment added later is not an edit, and check warns about it only with --lint-all (issue 11)', async () => {
    const fresh = await freshDatabase('server');
    const file = join('migrations', 'versions', '2_bbbbbbbbbbbb_b.ts');
    const dir = project({
      'migrations/versions/1_aaaaaaaaaaaa_a.ts': revision('aaaaaaaaaaaa', null, "await op.execute('CREATE TABLE a (x int)');"),
      [file]: revision('bbbbbbbbbbbb', 'aaaaaaaaaaaa', "await op.execute('CREATE INDEX a_x ON a (x)');"),
    });
    try {
      const env = { DATABASE_URL: fresh.url! };
      expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(0);
      // (The models are empty, so check exits 3 about table a throughout: only what it says of the revision matters here.)
      const applied = await runCli(['db', 'check'], { cwd: dir, env });
      expect(applied.stdout).not.toContain('edited');
      expect(applied.stderr).not.toContain('create-index'); // applied: not repeated at every check
      expect((await runCli(['db', 'check', '--lint-all'], { cwd: dir, env })).stderr).toContain('warning [create-index] 2_bbbbbbbbbbbb_b.ts');
      // Following the lint's advice on the applied revision.
      writeFileSync(join(dir, file), revision('bbbbbbbbbbbb', 'aaaaaaaaaaaa', "await op.execute('CREATE INDEX a_x ON a (x)');", '\n// fastedgy-lint-allow create-index'));
      const after = await runCli(['db', 'check', '--lint-all'], { cwd: dir, env });
      expect(after.stdout + after.stderr).not.toContain('edited');
      expect(after.stderr).toBe('');
      expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(0);
      // A change to what runs is still an edit.
      writeFileSync(join(dir, file), revision('bbbbbbbbbbbb', 'aaaaaaaaaaaa', "await op.execute('CREATE INDEX a_x ON a (x DESC)');"));
      const edited = await runCli(['db', 'check'], { cwd: dir, env });
      expect(edited.stdout).toContain('was edited after it was applied');
      expect((await runCli(['db', 'migrate'], { cwd: dir, env })).stderr).toContain('was edited after it was applied');
      // current and makemigrations do not stop for it, but say it (issue 13).
      const current = await runCli(['db', 'current'], { cwd: dir, env });
      expect(current.code).toBe(0);
      expect(current.stderr).toMatch(/warning: revision bbbbbbbbbbbb .* was edited after it was applied/);
      expect((await runCli(['db', 'makemigrations', '--dry-run'], { cwd: dir, env })).stderr).toMatch(/warning: revision bbbbbbbbbbbb .* was edited/);
    } finally {
      await fresh.dispose();
    }
  });

  it('makemigrations warns about the revision it writes', async () => {
    const fresh = await freshDatabase('server');
    const v1 = `import { defineModel, fields } from 'fastedgy';
export const Item = defineModel('Item', { tablename: 'items', fields: { code: fields.IntegerField({ null: true }) } });
`;
    const v2 = `import { defineModel, fields } from 'fastedgy';
export const Item = defineModel('Item', { tablename: 'items', fields: { code: fields.IntegerField({ null: true }) }, indexes: [{ fields: ['code'] }] });
`;
    const dir = project({}, v1);
    const env = { DATABASE_URL: fresh.url! };
    try {
      const first = await runCli(['db', 'makemigrations', '-m', 'items'], { cwd: dir, env });
      expect(first.stderr).toBe(''); // a new table: nothing to say
      expect(first.code).toBe(0);
      expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(0);
      writeFileSync(join(dir, 'models.ts'), v2);
      // An index on a table that exists: the runner builds it concurrently where it matters, so no warning.
      const second = await runCli(['db', 'makemigrations', '-m', 'index code'], { cwd: dir, env });
      expect(second.code).toBe(0);
      expect(second.stderr).not.toContain('warning');
      expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(0);
      // A type that rewrites the table is warned about, naming the file and the step.
      writeFileSync(join(dir, 'models.ts'), v2.replace('IntegerField', 'BigIntegerField'));
      const third = await runCli(['db', 'makemigrations', '-m', 'bigger code'], { cwd: dir, env });
      expect(third.code).toBe(0);
      expect(third.stderr).toMatch(/warning \[type-rewrite\] \S+_bigger_code\.ts: op\.alterColumn/);
    } finally {
      await fresh.dispose();
    }
  });
});
