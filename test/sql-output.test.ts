/**
 * `migrate --sql` prints a script that does what `migrate` does (issue 13):
 * a statement whose last line is a `--` comment gets its `;` on a line of
 * its own (it used to be swallowed by the comment, running the next
 * statement together with it), a `--` inside a string is not a comment, and
 * a statement that already ends with `;` gets no second one. The printed
 * script, run as it is, moves the database like `migrate` would.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG, handRevision, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';

describe('migrate --sql', () => {
  it('ends every statement so the script runs as printed', async () => {
    const fresh = await freshDatabase('server');
    try {
      const dir = makeProjectDir({
        'fastedgy.config.ts': CONFIG,
        'models.ts': 'export {};\n',
        'migrations/versions/0001_a.ts': handRevision(
          'a0000000000a',
          null,
          `await op.execute("CREATE TABLE notes (body text) -- the notes");
           await op.execute("INSERT INTO notes VALUES ('a -- not a comment')");
           await op.execute("INSERT INTO notes VALUES ('b');");`,
          `await op.execute('DROP TABLE notes');`,
        ),
      });
      mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
      const env = { DATABASE_URL: fresh.url! };
      const r = await runCli(['db', 'migrate', '--sql'], { cwd: dir, env });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('CREATE TABLE notes (body text) -- the notes\n;');
      expect(r.stdout).toContain("INSERT INTO notes VALUES ('a -- not a comment');\n");
      expect(r.stdout).toContain("INSERT INTO notes VALUES ('b');\n");
      expect(r.stdout).not.toContain(';;');
      // Run as printed: three statements, the version recorded.
      await fresh.db.query(r.stdout);
      expect(await fresh.db.query('SELECT body FROM notes ORDER BY body')).toEqual([{ body: 'a -- not a comment' }, { body: 'b' }]);
      const current = await runCli(['db', 'current'], { cwd: dir, env });
      expect(current.stdout).toContain('a0000000000a');
    } finally {
      await fresh.dispose();
    }
  });
});
