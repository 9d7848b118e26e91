import { ExitCode } from '../../errors.js';
import { stamp } from '../../runner/migrate.js';
import { out } from '../output.js';
import { loadHistory, openProject, withDatabases } from '../session.js';
import type { GlobalOptions } from '../session.js';

export async function run(args: unknown[], options: { database?: string }, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  const history = await loadHistory(project);
  // Every database (or the one --database names) records the same revision.
  await withDatabases(project, options.database, async (members) => {
    for (const m of members) {
      const heads = await stamp(m.db, history, String(args[0]));
      out(`Stamped ${project.multi ? m.name : 'the database'} at ${heads.length ? heads.join(', ') : '<base>'} (nothing was run).`);
    }
  });
  return ExitCode.ok;
}
