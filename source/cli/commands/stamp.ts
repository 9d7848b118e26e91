import { ExitCode } from '../../errors.js';
import { stamp } from '../../runner/migrate.js';
import { out } from '../output.js';
import { loadHistory, openProject, withDatabase } from '../session.js';
import type { GlobalOptions } from '../session.js';

export async function run(args: unknown[], _options: unknown, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  const history = await loadHistory(project);
  const heads = await withDatabase(project, (db) => stamp(db, history, String(args[0])));
  out(`Stamped the database at ${heads.length ? heads.join(', ') : '<base>'} (nothing was run).`);
  return ExitCode.ok;
}
