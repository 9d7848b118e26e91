/**
 * `browse` (and `migrate -i`): the keyboard-driven revision browser. It
 * holds one connection for as long as it is open; without a terminal it
 * refuses, pointing at the commands that do the same from a script.
 */
import { existsSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { ExitCode } from '../../errors.js';
import { openProject, selectDatabases, withDatabases } from '../session.js';
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
  // One database is moved at a time (the first unless --database names
  // another); in a multi-database project every database is read so each
  // row shows where each one stands.
  const browsed = selectDatabases(project, options.database)[0] ?? project.databases[0];
  await withDatabases(project, undefined, async (members) => {
    const [{ runBrowser }, { createBrowserSession }, { readSnapshot }] = await ui;
    const db = members.find((m) => m.name === browsed.name)!.db;
    const databases = project.multi ? members.map((m) => ({ name: m.name, db: m.db })) : undefined;
    const snapshot = await readSnapshot(db, project.versionsDir, { databases });
    const ref = project.multi ? { database: browsed.name, primary: project.databases[0].name } : undefined;
    await runBrowser(createBrowserSession(db, project.versionsDir, snapshot, { ignoreChecksums: options.ignoreChecksums, ref, databases }), snapshot);
  });
  return ExitCode.ok;
}
