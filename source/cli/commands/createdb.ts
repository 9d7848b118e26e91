import { existsSync, mkdirSync } from 'node:fs';
import type { DatabaseTarget } from '../../config/project.js';
import { join } from 'node:path';
import { createServerDatabase, openEmbedded, redactUrl } from '../../db/connect.js';
import { ExitCode } from '../../errors.js';
import { out } from '../output.js';
import { openProject } from '../session.js';
import type { GlobalOptions } from '../session.js';

export async function run(_args: unknown[], _options: unknown, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  // A multi-database project creates each of its databases.
  for (const entry of project.databases) await create(entry.target, project.multi ? `${entry.name}: ` : '');
  return ExitCode.ok;
}

async function create(target: DatabaseTarget, prefix: string): Promise<void> {
  if (target.kind === 'server') {
    const result = await createServerDatabase(target.url);
    out(prefix + (result === 'created' ? `Created database ${redactUrl(target.url)}` : `Database ${redactUrl(target.url)} already exists.`));
    return;
  }
  const existed = existsSync(join(target.dataDir, 'PG_VERSION'));
  mkdirSync(target.dataDir, { recursive: true });
  const db = await openEmbedded(target.dataDir);
  await db.close();
  out(prefix + (existed ? `The embedded database at ${target.dataDir} already exists.` : `Created the embedded database at ${target.dataDir}`));
}
