/**
 * Identity sequence names as PostgreSQL gives them (shortened to 63 bytes
 * the way it does), and the rename operations that keep them in step: their
 * SQL, their reverse, and the replay, which must tell what introspection
 * tells after a rename (the sequence keeps its old name).
 */
import { describe, expect, it } from 'vitest';
import { introspect } from '../source/db/introspect.js';
import { reverseAll } from '../source/ops/reverse.js';
import { operationToSql } from '../source/ops/sql.js';
import type { Operation } from '../source/ops/types.js';
import { applyOperations } from '../source/revisions/replay.js';
import { identitySequenceName } from '../source/schema/sequence-names.js';
import { engines, freshDatabase } from './support/databases.js';
import { columnSequences } from './support/sequences.js';
import { comparable } from './support/roundtrip.js';
import { col, idCol, schema, table } from './support/schema-builders.js';

describe('identitySequenceName', () => {
  it('is <table>_<column>_seq', () => {
    expect(identitySequenceName('users', 'id')).toBe('users_id_seq');
  });

  it.runIf(engines.includes('server'))('shortens long names as PostgreSQL does', async () => {
    const fresh = await freshDatabase('server');
    try {
      const names: [string, string][] = [
        ['t'.repeat(60), 'id'],
        ['a'.repeat(40), 'b'.repeat(40)],
        ['é'.repeat(30), 'identifier'],
      ];
      for (const [t, c] of names) await fresh.db.query(`CREATE TABLE "${t}" ("${c}" bigint GENERATED ALWAYS AS IDENTITY)`);
      const seqs = await columnSequences(fresh.db);
      for (const [t, c] of names) expect(identitySequenceName(t, c)).toBe(seqs[`${t}.${c}`]);
    } finally {
      await fresh.dispose();
    }
  });
});

describe('rename operations', () => {
  const ops: Operation[] = [
    { kind: 'renameTable', from: 'people', to: 'members' },
    { kind: 'renameConstraint', table: 'members', from: 'people_pkey', to: 'members_pkey' },
    { kind: 'renameSequence', table: 'members', column: 'id', from: 'people_id_seq', to: 'members_id_seq' },
  ];

  it('write their SQL and reverse exactly', () => {
    expect(ops.slice(1).flatMap(operationToSql)).toEqual([
      'ALTER TABLE members RENAME CONSTRAINT people_pkey TO members_pkey',
      'ALTER SEQUENCE people_id_seq RENAME TO members_id_seq',
    ]);
    expect(reverseAll(reverseAll(ops).ops).ops).toEqual(ops);
  });

  it('replay as introspection reads the database, step by step', async () => {
    const engine = engines[0];
    const fresh = await freshDatabase(engine);
    try {
      let s = schema({ tables: [table('people', [col('name', 'text')])] });
      for (const sql of applyOperations(schema(), [{ kind: 'createTable', table: s.tables[0] }]).unknown) throw new Error(sql);
      for (const sql of operationToSql({ kind: 'createTable', table: s.tables[0] })) await fresh.db.query(sql);
      for (const op of ops) {
        for (const sql of operationToSql(op)) await fresh.db.query(sql);
        const replayed = applyOperations(s, [op]);
        expect(replayed.unknown).toEqual([]);
        s = replayed.schema;
        expect(comparable(await introspect(fresh.db))).toEqual(comparable(s));
      }
      expect(s.tables[0].columns[0]).toEqual(idCol());
    } finally {
      await fresh.dispose();
    }
  }, 60_000);
});
