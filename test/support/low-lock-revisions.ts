/**
 * In-memory revisions for the runner's tests (no file on disk): a straight
 * line of revisions made of given operations, each downgrade the exact
 * reverse, and moving a database along it with the real runner.
 */
import type { Database } from '../../source/db/database.js';
import { reverseAll } from '../../source/ops/reverse.js';
import type { Operation } from '../../source/ops/types.js';
import type { RevisionFile } from '../../source/revisions/files.js';
import { buildGraph } from '../../source/revisions/graph.js';
import { moveTo } from '../../source/runner/migrate.js';
import type { RunOptions } from '../../source/runner/migrate.js';

export function revisionOf(id: string, down: string | null, ops: Operation[], checksum = `sum-${id}`): RevisionFile {
  const replay = (list: Operation[]) => async (op: unknown) => {
    for (const o of list) {
      const { kind, ...args } = o;
      await (op as Record<string, (a: unknown) => Promise<void>>)[kind](args);
    }
  };
  return {
    id,
    downRevision: down,
    message: `rev ${id}`,
    file: `${id}.ts`,
    checksum,
    transactional: true,
    upgrade: replay(ops),
    downgrade: replay(reverseAll(ops).ops),
    load: async () => undefined,
    sections: async () => null,
  };
}

/** Moves a database along a straight line of revisions to `target` (default: the last one; `base` for none). */
export async function moveAlong(db: Database, revs: RevisionFile[], direction: 'upgrade' | 'downgrade', target?: string, options: RunOptions = {}) {
  const project = { revisions: revs, graph: buildGraph(revs.map((r) => ({ id: r.id, downRevision: r.downRevision, message: r.message }))) };
  return moveTo([{ name: 'default', db }], project, direction, target ?? revs[revs.length - 1].id, options);
}
