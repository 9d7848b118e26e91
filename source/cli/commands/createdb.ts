import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServerDatabase, openEmbedded, redactUrl } from '../../db/connect.js';
import { ExitCode } from '../../errors.js';
import { out } from '../output.js';
import { openProject } from '../session.js';
import type { GlobalOptions } from '../session.js';

export async function run(_args: unknown[], _options: unknown, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  const target = project.database;
  if (target.kind === 'server') {
    const result = await createServerDatabase(target.url);
    out(result === 'created' ? `Created database ${redactUrl(target.url)}` : `Database ${redactUrl(target.url)} already exists.`);
    return ExitCode.ok;
  }
  const existed = existsSync(join(target.dataDir, 'PG_VERSION'));
  const db = await openEmbedded(target.dataDir);
  await db.close();
  out(existed ? `The embedded database at ${target.dataDir} already exists.` : `Created the embedded database at ${target.dataDir}`);
  return ExitCode.ok;
}
