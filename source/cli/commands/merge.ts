import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ExitCode, UserError } from '../../errors.js';
import { newRevisionId, renderRevision, revisionFileName } from '../../revisions/render.js';
import { out } from '../output.js';
import { loadHistory, openProject, readTemplate } from '../session.js';
import type { GlobalOptions } from '../session.js';

export async function run(_args: unknown[], options: { message?: string }, globals: GlobalOptions): Promise<number> {
  const project = await openProject(globals);
  const history = await loadHistory(project);
  const heads = history.graph.heads();
  if (heads.length < 2) throw new UserError(`nothing to merge: there is ${heads.length === 0 ? 'no revision' : `one head (${heads[0]})`}`);
  const revision = newRevisionId();
  const now = new Date();
  const message = options.message ?? `merge ${heads.join(', ')}`;
  const text = renderRevision({ template: readTemplate(project), revision, downRevision: heads, message, createDate: now, upgrade: [], downgrade: [], notes: [] });
  mkdirSync(project.versionsDir, { recursive: true });
  const file = join(project.versionsDir, revisionFileName(now, revision, message));
  writeFileSync(file, text);
  out(`Generated ${relative(process.cwd(), file) || file} (merges ${heads.join(', ')})`);
  return ExitCode.ok;
}
