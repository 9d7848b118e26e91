/**
 * `browse` (and `migrate -i`): the keyboard-driven revision browser. It
 * holds one connection for as long as it is open; without a terminal it
 * refuses, pointing at the commands that do the same from a script. On a
 * terminal that cannot redraw (TERM=dumb) or with `--plain` it prints the
 * history and where the database stands as plain lines, and says so.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { UserError } from '../../errors.js';
import { ExitCode } from '../../errors.js';
import { err, out } from '../output.js';
import { openProject, selectDatabases, sideConnection, withDatabases } from '../session.js';
import type { GlobalOptions } from '../session.js';

export async function run(_args: unknown[], options: { ignoreChecksums?: boolean; database?: string; plain?: boolean }, globals: GlobalOptions): Promise<number> {
  // Full-screen drawing needs cursor movement: TERM=dumb has none, and --plain asks for none.
  const plain = !!options.plain || process.env.TERM === 'dumb';
  if (plain) return listPlain(options, globals);
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
    await runBrowser(createBrowserSession(db, project.versionsDir, snapshot, { ignoreChecksums: options.ignoreChecksums, ref, databases, side: sideConnection(members.filter((m) => m.name === browsed.name)) }), snapshot);
  });
  return ExitCode.ok;
}

async function listPlain(options: { database?: string }, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  if (!existsSync(project.migrationsDir))
    throw new UserError(`no migrations directory at ${project.migrationsDir}`, { hint: 'run `fastedgy db init` first' });
  const browsed = selectDatabases(project, options.database)[0] ?? project.databases[0];
  const [{ plainListing }, { readSnapshot }] = await Promise.all([import('../../browser/plain-list.js'), import('../../browser/snapshot.js')]);
  await withDatabases(project, undefined, async (members) => {
    const db = members.find((m) => m.name === browsed.name)!.db;
    const databases = project.multi ? members.map((m) => ({ name: m.name, db: m.db })) : undefined;
    const snapshot = await readSnapshot(db, project.versionsDir, { databases });
    const label = db.kind === 'embedded' ? `embedded ${relative(process.cwd(), db.label) || '.'}` : db.label;
    for (const line of plainListing(snapshot, label, project.multi ? browsed.name : undefined)) out(line);
  });
  err(`No interactive browser ${process.env.TERM === 'dumb' ? 'on a TERM=dumb terminal' : 'with --plain'}: move with \`fastedgy db migrate [TARGET]\` and \`fastedgy db downgrade [TARGET]\`.`);
  return ExitCode.ok;
}
