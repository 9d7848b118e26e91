/** Operations → SQL, from literal operations: quoting, the cheap paths, the enum rebuild. */
import { describe, expect, it } from 'vitest';
import { operationToSql } from '../source/ops/sql.js';
import { col, enumCol, table } from './support/schema-builders.js';

describe('operation SQL', () => {
  it('quotes reserved words, mixed case and quotes in names, never plain ones', () => {
    const t = table('order', [col('user', 'text'), col('UserName', 'text'), col('we"ird', 'text'), col('plain', 'text')]);
    const [create] = operationToSql({ kind: 'createTable', table: t });
    expect(create).toContain('CREATE TABLE "order" (');
    expect(create).toContain('"user" text NOT NULL');
    expect(create).toContain('"UserName" text NOT NULL');
    expect(create).toContain('"we""ird" text NOT NULL');
    expect(create).toContain('plain text NOT NULL');
  });

  it('adds an enum value in place and renames one without rebuilding', () => {
    expect(operationToSql({ kind: 'addEnumValue', type: 'userstatus', value: 'pending', after: 'active' })).toEqual([
      "ALTER TYPE userstatus ADD VALUE 'pending' AFTER 'active'",
    ]);
    expect(operationToSql({ kind: 'addEnumValue', type: 'Mood', value: "it's", before: 'ok' })).toEqual([`ALTER TYPE "Mood" ADD VALUE 'it''s' BEFORE 'ok'`]);
    expect(operationToSql({ kind: 'renameEnumValue', type: 'userstatus', from: 'banned', to: 'suspended' })).toEqual([
      "ALTER TYPE userstatus RENAME VALUE 'banned' TO 'suspended'",
    ]);
  });

  it('backfills a constant with a fast default it drops at once', () => {
    expect(operationToSql({ kind: 'addColumn', table: 'users', column: col('age', 'integer'), backfill: { value: 0 } })).toEqual([
      'ALTER TABLE users ADD COLUMN age integer DEFAULT 0::integer NOT NULL',
      'ALTER TABLE users ALTER COLUMN age DROP DEFAULT',
    ]);
  });

  it('backfills an expression row by row before SET NOT NULL', () => {
    expect(operationToSql({ kind: 'addColumn', table: 'users', column: col('handle', 'text'), backfill: { sql: 'lower(name)' } })).toEqual([
      'ALTER TABLE users ADD COLUMN handle text',
      'UPDATE users SET handle = (lower(name))',
      'ALTER TABLE users ALTER COLUMN handle SET NOT NULL',
    ]);
  });

  it('quotes a typed value, whatever it holds', () => {
    const [sql] = operationToSql({ kind: 'addColumn', table: 't', column: col('m', 'text'), backfill: { value: `'); DROP TABLE t; --` } });
    expect(sql).toBe(`ALTER TABLE t ADD COLUMN m text DEFAULT '''); DROP TABLE t; --'::text NOT NULL`);
  });

  it('rebuilds an enum, mapping and deleting rows as answered', () => {
    const sql = operationToSql({
      kind: 'rebuildEnum',
      type: 'userstatus',
      from: ['active', 'inactive', 'suspended', 'gone'],
      to: ['active', 'inactive'],
      columns: [{ table: 'users', column: 'status', nullable: false, default: "'active'::userstatus" }],
      fates: { suspended: { mapTo: 'inactive' }, gone: { deleteRows: true } },
    });
    expect(sql).toEqual([
      "DELETE FROM users WHERE status::text = 'gone'",
      'ALTER TYPE userstatus RENAME TO userstatus__old',
      "CREATE TYPE userstatus AS ENUM ('active', 'inactive')",
      'ALTER TABLE users ALTER COLUMN status DROP DEFAULT',
      "ALTER TABLE users ALTER COLUMN status TYPE userstatus USING (CASE status::text WHEN 'suspended' THEN 'inactive' ELSE status::text END)::userstatus",
      "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'active'::userstatus",
      'DROP TYPE userstatus__old',
    ]);
  });

  it('changes a type with the USING given, around the default', () => {
    const from = { type: 'text', nullable: false, default: "'0'" };
    const to = { type: 'integer', nullable: false, default: '0' };
    expect(operationToSql({ kind: 'alterColumn', table: 'users', column: 'code', from, to, using: 'code::integer' })).toEqual([
      'ALTER TABLE users ALTER COLUMN code DROP DEFAULT',
      'ALTER TABLE users ALTER COLUMN code TYPE integer USING code::integer',
      'ALTER TABLE users ALTER COLUMN code SET DEFAULT 0',
    ]);
  });

  it('widens a varchar with a plain TYPE change', () => {
    const op = { kind: 'alterColumn' as const, table: 'users', column: 'name', from: { type: 'character varying(50)', nullable: false, default: null }, to: { type: 'character varying(200)', nullable: false, default: null } };
    expect(operationToSql(op)).toEqual(['ALTER TABLE users ALTER COLUMN name TYPE character varying(200)']);
  });

  it('writes an hnsw index with its operator class and options', () => {
    const index = { name: 'documents_embedding_idx', columns: ['embedding'], unique: false, using: 'hnsw' as const, opclasses: ['vector_cosine_ops'], with: { m: '16' }, where: null };
    expect(operationToSql({ kind: 'createIndex', table: 'documents', index })).toEqual([
      'CREATE INDEX documents_embedding_idx ON documents USING hnsw (embedding vector_cosine_ops) WITH (m = 16)',
    ]);
  });

  it('types an enum column by its (quoted when needed) type name', () => {
    const [sql] = operationToSql({ kind: 'addColumn', table: 'users', column: enumCol('mood', 'Mood', { nullable: true }) });
    expect(sql).toBe('ALTER TABLE users ADD COLUMN mood "Mood"');
  });
});
