/**
 * A non-transactional revision that fails half-way says where the database
 * stands (issue 13): after a failed upgrade it is not recorded; after a
 * failed downgrade it is still recorded as applied (the message used to say
 * "not recorded" there too, and the rerun then failed). Either way the
 * advice is to fix the file and run the same direction again, with the
 * statements already run made safe to repeat; doing so works.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG, handRevision, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';

const ID = 'b0000000000b';
const file = (up: string, down: string) => handRevision(ID, null, up, down, 'export const transactional = false;');

describe('a non-transactional revision that fails half-way', () => {
  it('says what was applied and whether it is recorded, in both directions, and a fixed file runs', async () => {
    const fresh = await freshDatabase('server');
    try {
      const rev = 'migrations/versions/0001_b.ts';
      const up = `await op.execute('CREATE TABLE notes (body text)'); await op.execute('CREATE INDEX CONCURRENTLY notes_body ON notes (body)');`;
      const dir = makeProjectDir({
        'fastedgy.config.ts': CONFIG,
        'models.ts': 'export {};\n',
        [rev]: file(up + ` await op.execute('SELECT 1/0');`, ''),
      });
      const env = { DATABASE_URL: fresh.url! };
      const failedUp = await runCli(['db', 'migrate'], { cwd: dir, env });
      expect(failedUp.code).toBe(1);
      expect(failedUp.stderr).toContain('statement: SELECT 1/0');
      expect(failedUp.stderr).toContain('the statements of its upgrade before this one were applied, and it is not recorded as applied');
      expect(failedUp.stderr).toContain('IF NOT EXISTS');
      expect((await runCli(['db', 'current'], { cwd: dir, env })).stdout).not.toContain(ID);

      // Fixed, made safe to repeat: the upgrade runs again and is recorded.
      writeFileSync(join(dir, rev), file(up.replace('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS').replace('INDEX CONCURRENTLY', 'INDEX CONCURRENTLY IF NOT EXISTS'),
        `await op.execute('DROP INDEX CONCURRENTLY notes_body'); await op.execute('DROP TABLE no_such_table');`));
      expect((await runCli(['db', 'migrate'], { cwd: dir, env })).code).toBe(0);

      const failedDown = await runCli(['db', 'downgrade', 'base'], { cwd: dir, env });
      expect(failedDown.code).toBe(1);
      expect(failedDown.stderr).toContain('statement: DROP TABLE no_such_table');
      expect(failedDown.stderr).toContain('the statements of its downgrade before this one were applied, and it is still recorded as applied');
      expect((await runCli(['db', 'current'], { cwd: dir, env })).stdout).toContain(ID);
      expect(await fresh.db.query(`SELECT to_regclass('notes_body') IS NULL AS gone`)).toEqual([{ gone: true }]);

      writeFileSync(join(dir, rev), file(up, `await op.execute('DROP INDEX CONCURRENTLY IF EXISTS notes_body'); await op.execute('DROP TABLE notes');`));
      const again = await runCli(['db', 'downgrade', 'base', '--ignore-checksums'], { cwd: dir, env });
      expect(again.code).toBe(0);
      expect(await fresh.db.query(`SELECT to_regclass('notes') IS NULL AS gone`)).toEqual([{ gone: true }]);
    } finally {
      await fresh.dispose();
    }
  });
});
