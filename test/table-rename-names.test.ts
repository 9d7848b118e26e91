/**
 * A table renamed by a revision ends up as a fresh database built from the
 * same models would be: its primary key (and the key's index), its identity
 * sequence, its uniques, indexes and foreign keys, and the many-to-many
 * through table named after it, all carry the new name. The downgrade gives
 * every old name back, and the old name is free for a new table afterwards.
 * A database renamed before renames renamed these (or by hand) is put right
 * by the next revision.
 */
import { describe, expect, it } from 'vitest';
import { engines } from './support/databases.js';
import type { Engine } from './support/databases.js';
import { comparable, TestProject } from './support/roundtrip.js';
import { columnSequences } from './support/sequences.js';

const tag = `export const Tag = defineModel('Tag', { tablename: 'tags', timestamps: false, fields: { label: fields.CharField({ maxLength: 40 }) } });`;
const author = (table: string, through = '') => `${tag}
export const Author = defineModel('Author', {
  tablename: '${table}',
  timestamps: false,
  fields: {
    id: fields.BigIntegerField({ primaryKey: true, identity: 'always' }),
    email: fields.EmailField({ unique: true }),
    name: fields.CharField({ maxLength: 80, index: true }),
    tags: fields.ManyToManyField(() => Tag${through}),
  },
});
export const Book = defineModel('Book', {
  tablename: 'books',
  timestamps: false,
  fields: { title: fields.TextField(), author: fields.ForeignKey(() => Author, { onDelete: 'cascade' }) },
});`;

const renameAnswers = {
  'rename-table:authors->writers': 'rename',
  'rename-table:authors_tags->writers_tags': 'rename',
} as const;

describe.each(engines.map((e) => [e] as [Engine]))('a renamed table on %s', (engine) => {
  it('renames its primary key, sequence and through table, and the downgrade names them back', async () => {
    const p = await TestProject.create(engine);
    try {
      p.models(author('authors'));
      expect((await p.make({}, 'v1')).status).toBe('written');
      await p.migrate();
      await p.rows(`INSERT INTO authors (email, name) VALUES ('a@x.org', 'Ada')`);
      const before = comparable(await p.schema());
      const seqBefore = await columnSequences(p.db);
      expect(seqBefore['authors.id']).toBe('authors_id_seq');

      p.models(author('writers'));
      const made = await p.make(renameAnswers, 'rename');
      expect(made.status).toBe('written');
      await p.migrate();
      expect(await p.pending()).toEqual({ operations: [], questions: [] });
      const after = await p.schema();
      const writers = after.tables.find((t) => t.name === 'writers')!;
      expect(writers.primaryKey?.name).toBe('writers_pkey');
      expect(after.tables.find((t) => t.name === 'writers_tags')!.primaryKey?.name).toBe('writers_tags_pkey');
      expect(await columnSequences(p.db)).toEqual({ 'books.id': 'books_id_seq', 'tags.id': 'tags_id_seq', 'writers.id': 'writers_id_seq' });
      expect(comparable(after)).toEqual(comparable(await p.freshBuild(engine)));
      // The rows kept their ids and the renamed sequence goes on from them.
      await p.rows(`INSERT INTO writers (email, name) VALUES ('b@x.org', 'Bea')`);
      expect(await p.rows(`SELECT id::int FROM writers ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);

      await p.rows(`DELETE FROM writers WHERE id = 2`);
      await p.downgrade();
      expect(comparable(await p.schema())).toEqual(before);
      expect(await columnSequences(p.db)).toEqual(seqBefore);

      // Up again, then a new table takes the old name: nothing of it is left.
      await p.migrate();
      p.models(`${author('writers')}
export const Old = defineModel('Old', { tablename: 'authors', fields: { note: fields.TextField({ null: true }) } });`);
      expect((await p.make({}, 'authors again')).status).toBe('written');
      await p.migrate();
      expect(await p.pending()).toEqual({ operations: [], questions: [] });
      expect((await columnSequences(p.db))['authors.id']).toBe('authors_id_seq');
    } finally {
      await p.dispose();
    }
  }, 120_000);

  it('puts right a table renamed without its primary key and sequence', async () => {
    const p = await TestProject.create(engine);
    try {
      p.models(author('authors'));
      expect((await p.make({}, 'v1')).status).toBe('written');
      await p.migrate();
      // What a rename by hand, or by a revision of an earlier version, leaves.
      await p.rows(`ALTER TABLE authors RENAME TO writers`);
      await p.rows(`ALTER TABLE authors_tags RENAME TO writers_tags`);
      await p.rows(`ALTER TABLE writers RENAME CONSTRAINT authors_email_key TO writers_email_key`);
      await p.rows(`ALTER INDEX authors_name_idx RENAME TO writers_name_idx`).catch(() => undefined);
      const drifted = comparable(await p.schema());
      expect(drifted.tables.find((t) => t.name === 'writers')!.primaryKey?.name).toBe('authors_pkey');

      p.models(author('writers'));
      const made = await p.make({}, 'names');
      expect(made.status).toBe('written');
      await p.migrate();
      expect(await p.pending()).toEqual({ operations: [], questions: [] });
      expect(comparable(await p.schema())).toEqual(comparable(await p.freshBuild(engine)));
      expect((await columnSequences(p.db))['writers.id']).toBe('writers_id_seq');
      await p.downgrade();
      expect(comparable(await p.schema())).toEqual(drifted);
      expect((await columnSequences(p.db))['writers.id']).toBe('authors_id_seq');
    } finally {
      await p.dispose();
    }
  }, 120_000);
});
