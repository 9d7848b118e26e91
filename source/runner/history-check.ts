/**
 * Before anything runs: the applied revisions must still be what was
 * applied — not edited, not missing on disk, nothing inserted below them.
 */
import { UserError } from '../errors.js';
import { unedited } from '../revisions/files.js';
import type { RevisionFile } from '../revisions/files.js';
import type { RevisionGraph } from '../revisions/graph.js';
import type { VersionState } from './version-table.js';

export interface History {
  readonly revisions: readonly RevisionFile[];
  readonly graph: RevisionGraph;
}

/** Problems with applied revisions: edited, missing on disk, or a revision inserted below them. */
export function historyProblems(project: History, state: VersionState): string[] {
  const problems: string[] = [];
  const byId = new Map(project.revisions.map((r) => [r.id, r]));
  for (const a of state.applied.values()) {
    const rev = byId.get(a.revision);
    if (!rev) problems.push(`revision ${a.revision} is applied to the database but its file is missing`);
    else if (!unedited(rev, a.checksum)) problems.push(`revision ${a.revision} (${rev.file}) was edited after it was applied`);
  }
  for (const h of state.heads)
    if (!byId.has(h) && !state.applied.has(h)) problems.push(`the database is at revision ${h}, which no revision file defines`);
  problems.push(...insertedBelow(project, state));
  return problems;
}

/**
 * Revisions the graph puts below the applied heads that were never applied:
 * a revision added under the applied ones (x revising a, and b changed to
 * revise x, after a -> b was applied). The version table only holds heads, so
 * everything below them counts as applied: `migrate` would never run x, and a
 * downgrade would run x's downgrade although its upgrade never ran. Found
 * through fastedgy_revisions, which has a row for every revision that ran.
 * A database stamped by an older fastedgy has no rows for the revisions it
 * applied then; so it only counts when fastedgy_revisions has rows at all, and
 * only for a revision above one that has a row (the old revisions have none
 * below them).
 */
function insertedBelow(project: History, state: VersionState): string[] {
  if (state.applied.size === 0) return [];
  const { graph } = project;
  const heads = state.heads.filter((h) => graph.has(h));
  const below = graph.appliedSet(heads);
  const problems: string[] = [];
  for (const id of graph.topological()) {
    if (state.applied.has(id) || !below.has(id)) continue;
    const recordedBelow = [...graph.ancestors(id)].some((x) => x !== id && state.applied.has(x));
    if (!recordedBelow) continue;
    const above = heads.filter((h) => h !== id && graph.ancestors(h).has(id));
    const file = project.revisions.find((r) => r.id === id)?.file ?? id;
    problems.push(
      above.length > 0
        ? `revision ${id} (${file}) was never applied, but it sits below the applied revision ${above.join(', ')}: it was inserted into the history after that was applied, and migrate would never run it`
        : `revision ${id} (${file}) is recorded as the database's current revision, but it was never applied`,
    );
  }
  return problems;
}

/**
 * Stops the run on a problem, unless --ignore-checksums (then each is said
 * once). `who` prefixes the message with the database in a multi-database
 * project.
 */
export function checkHistory(project: History, state: VersionState, options: { ignoreChecksums?: boolean; onNotice?: (m: string) => void }, who = ''): void {
  const problems = historyProblems(project, state);
  if (problems.length === 0) return;
  if (options.ignoreChecksums) {
    // Proceeding is the user's explicit choice; the problems are still said once.
    for (const p of problems) options.onNotice?.(`ignored (--ignore-checksums): ${who}${p}`);
    return;
  }
  // A missing file that is a current head cannot be ignored: nothing says where the database is.
  const lostHead = state.heads.some((h) => !project.graph.has(h));
  throw new UserError(who + problems.join('\n'), {
    hint: lostHead
      ? 'restore the missing revision file, or `fastedgy db stamp` the revision the database really is at'
      : 'restore the revision files as they were applied (a new revision goes above the applied head), or pass --ignore-checksums to proceed anyway',
  });
}
