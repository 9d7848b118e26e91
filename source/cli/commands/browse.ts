/**
 * `browse` (and `migrate -i`): the keyboard-driven revision browser. It
 * holds one connection for as long as it is open; without a terminal it
 * refuses, pointing at the commands that do the same from a script.
 */
import { existsSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { ExitCode } from '../../errors.js';
import { openProject, selectDatabases, withDatabase, withDatabases } from '../session.js';
import type { GlobalOptions } from '../session.js';

export async function run(_args: unknown[], options: { ignoreChecksums?: boolean; database?: string }, globals: GlobalOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY)
    throw new UserError('the revision browser needs a terminal', {
      hint: 'use `fastedgy db history`, `fastedgy db migrate [TARGET]` and `fastedgy db downgrade [TARGET]`',
    });
  const project = await openProject(globals);
  if (!existsSync(project.migrationsDir))
    throw new UserError(`no migrations directory at ${project.migrationsDir}`, { hint: 'run `fastedgy db init` first' });
  // Ink and React load in parallel with the connection: they are only needed here.
  const ui = Promise.all([import('../../browser/run-browser.js'), import('../../browser/session.js'), import('../../browser/snapshot.js')]);
  if (!project.databases) {
    await withDatabase(project, async (db) => {
      const [{ runBrowser }, { createBrowserSession }, { readSnapshot }] = await ui;
      const snapshot = await readSnapshot(db, project.versionsDir);
      await runBrowser(createBrowserSession(db, project.versionsDir, snapshot, { ignoreChecksums: options.ignoreChecksums }), snapshot);
    });
    return ExitCode.ok;
  }
  // A multi-database project moves one database at a time (the first unless
  // --database names another); every database is read so each row shows
  // where each one stands.
  const browsed = selectDatabases(project, options.database ?? project.databases[0].name)[0];
  await withDatabases(project, undefined, async (members) => {
    const [{ runBrowser }, { createBrowserSession }, { readSnapshot }] = await ui;
    const db = members.find((m) => m.name === browsed.name)!.db;
    const databases = members.map((m) => ({ name: m.name, db: m.db }));
    const snapshot = await readSnapshot(db, project.versionsDir, { databases });
    const ref = { database: browsed.name, primary: project.databases![0].name };
    await runBrowser(createBrowserSession(db, project.versionsDir, snapshot, { ignoreChecksums: options.ignoreChecksums, ref, databases }), snapshot);
  });
  return ExitCode.ok;
}
