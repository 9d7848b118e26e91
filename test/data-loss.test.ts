/**
 * What the browser's downgrade confirmation says it destroys, read from a
 * live database, when the revisions stepped back renamed things on the way:
 * a drop is named as it is when it runs and counted where the data lives now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataLoss } from '../source/browser/data-loss.js';
import type { Operations } from '../source/ops/api.js';
import type { RevisionFile } from '../source/revisions/files.js';
import { engines, freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';

/** A revision whose downgrade() declares `down` (the upgrade is not read here). */
function rev(id: string, down: (op: Operations) => Promise<void>): RevisionFile {
  const nothing = async () => undefined;
  return { id, downRevision: null, message: id, file: `/p/migrations/versions/${id}.ts`, checksum: id, transactional: true, load: nothing, upgrade: nothing, downgrade: down, sections: async () => null };
}

const table = (name: string, columns: string[]) => ({
  table: { name, columns: columns.map((c) => ({ name: c, type: 'text', nullable: true, default: null })), primaryKey: null, uniques: [], indexes: [], foreignKeys: [], checks: [] },
});

// Upgrade order: 1 creates posts(title) and adds users.nick; 2 renames posts -> articles and users.nick -> handle.
// Stepping back both, newest first: 2's reverse renames back (losing nothing), then 1's reverse drops.
const addedThem = rev('111111111111', async (op) => {
  await op.dropColumn({ table: 'users', column: { name: 'nick', type: 'text', nullable: true, default: null } });
  await op.dropTable(table('posts', ['title']));
});
const renamedThem = rev('222222222222', async (op) => {
  await op.renameColumn({ table: 'users', from: 'handle', to: 'nick' });
  await op.renameTable({ from: 'articles', to: 'posts' });
});

describe.each(engines)('downgrade data loss through renames on %s', (engine) => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    await fresh.db.query(`
      CREATE TABLE users (id int, handle text);
      INSERT INTO users VALUES (1, 'ada'), (2, NULL), (3, 'grace');
      CREATE TABLE articles (title text);
      INSERT INTO articles SELECT 'a' || g FROM generate_series(1, 5) g;
    `);
  });
  afterAll(async () => {
    await fresh?.dispose();
  });

  it('names the column and table as they are when dropped, counts their live rows, and a rename loses nothing', async () => {
    const loss = await dataLoss(fresh.db, [renamedThem, addedThem]);
    expect(loss).toEqual([
      { what: 'column users.nick (now users.handle)', rows: 2, unit: 'values' },
      { what: 'table posts (now articles)', rows: 5, unit: 'rows' },
    ]);
  });

  it('stepping back only the renames loses nothing', async () => {
    expect(await dataLoss(fresh.db, [renamedThem])).toEqual([]);
  });

  it('a table the downgrade creates again and then drops is not counted from the live table that had its name', async () => {
    // The live "articles" goes back to being "posts"; an older "articles" comes back and is dropped further back.
    const reused = rev('333333333333', async (op) => {
      await op.renameTable({ from: 'articles', to: 'posts' });
      await op.createTable(table('articles', ['body']));
      await op.dropTable(table('articles', ['body']));
    });
    expect(await dataLoss(fresh.db, [reused])).toEqual([{ what: 'table articles', rows: null, unit: 'rows' }]);
  });
});
