/**
 * The version tables after each revision of a forked history, as a user
 * reads them: `fastedgy_version` holds exactly the current heads (a head that
 * stays while another branch moves, two heads, the merge), and
 * `fastedgy_revisions` a row per applied revision with its message as
 * written, quotes and semicolons included. The runner records each move in
 * one statement (runner/version-table.ts recordQuery); this is what it must
 * leave behind, up and down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../source/db/database.js';
import type { Operations } from '../source/ops/api.js';
import type { RevisionFile } from '../source/revisions/files.js';
import { buildGraph } from '../source/revisions/graph.js';
import { moveTo } from '../source/runner/migrate.js';
import type { Direction } from '../source/runner/migrate.js';
import { engines, freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';

const opened: FreshDatabase[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.dispose();
});

// base ┬ left ──┬ merge
//      └ right ─┘
const NASTY = `it's; DROP TABLE fastedgy_version; --`;
const nodes = [
  { id: 'base', downRevision: null, message: 'base' },
  { id: 'left', downRevision: 'base', message: NASTY },
  { id: 'right', downRevision: 'base', message: 'right' },
  { id: 'merge', downRevision: ['left', 'right'], message: 'merge' },
];

function revision(n: (typeof nodes)[number]): RevisionFile {
  return {
    ...n,
    file: `${n.id}.ts`,
    checksum: `sum-${n.id}`,
    transactional: true,
    upgrade: async (op: Operations) => op.execute(`CREATE TABLE t_${n.id} (id int)`),
    downgrade: async (op: Operations) => op.execute(`DROP TABLE t_${n.id}`),
    load: async () => undefined,
    sections: async () => null,
  } as unknown as RevisionFile;
}

const history = { revisions: nodes.map(revision), graph: buildGraph(nodes) };

async function move(db: Database, direction: Direction, target: string) {
  await moveTo([{ name: 'default', db }], history, direction, target);
  const heads = (await db.query<{ v: string }>('SELECT version_num AS v FROM fastedgy_version ORDER BY 1')).map((r) => r.v);
  const applied = await db.query<{ revision: string; message: string }>('SELECT revision, message FROM fastedgy_revisions ORDER BY revision');
  return { heads, applied: Object.fromEntries(applied.map((r) => [r.revision, r.message])) };
}

describe.each(engines)('version tables along a forked history (%s)', (engine) => {
  it('hold the heads and applied revisions after every move, up and down', async () => {
    const fresh = await freshDatabase(engine);
    opened.push(fresh);
    const { db } = fresh;

    expect(await move(db, 'upgrade', 'left')).toEqual({ heads: ['left'], applied: { base: 'base', left: NASTY } });
    // right moves while left stays a head.
    expect(await move(db, 'upgrade', 'right')).toEqual({ heads: ['left', 'right'], applied: { base: 'base', left: NASTY, right: 'right' } });
    expect(await move(db, 'upgrade', 'merge')).toEqual({ heads: ['merge'], applied: { base: 'base', left: NASTY, right: 'right', merge: 'merge' } });
    // Down through the merge: both its parents are heads again.
    expect(await move(db, 'downgrade', '-1')).toEqual({ heads: ['left', 'right'], applied: { base: 'base', left: NASTY, right: 'right' } });
    expect(await move(db, 'downgrade', 'base')).toEqual({ heads: [], applied: {} });
    const tables = await db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE tablename LIKE 't\\_%' ORDER BY 1`);
    expect(tables).toEqual([]);
  });
});
