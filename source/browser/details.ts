/**
 * What the detail view shows for one revision: its operations in words, the
 * SQL it runs up and down, and the schema change it makes as a line diff of
 * the schema before and after it. The schema at a revision is computed from
 * the revision files alone (their operations replayed on an empty schema),
 * never from the database; each revision's schema is kept once computed, so
 * moving the selection replays only what is new, not the whole history.
 */
import { diffLines } from 'diff';
import { describeOperation } from '../ops/describe.js';
import type { Operation } from '../ops/types.js';
import type { RevisionFile } from '../revisions/files.js';
import type { RevisionGraph } from '../revisions/graph.js';
import { applyOperations } from '../revisions/replay.js';
import type { ReplayResult } from '../revisions/replay.js';
import { schemaText } from '../revisions/schema-text.js';
import { collectFor, statementsOf } from '../runner/collect.js';
import type { DatabaseRef } from '../runner/collect.js';
import { emptySchema } from '../schema/types.js';
import type { Schema } from '../schema/types.js';

export interface DiffLine {
  /** `+` added, `-` removed, ` ` context, `…` unchanged lines left out. */
  readonly sign: '+' | '-' | ' ' | '…';
  readonly text: string;
}

export interface Details {
  readonly upgrade: readonly string[];
  readonly downgrade: readonly string[];
  readonly upSql: readonly string[];
  readonly downSql: readonly string[];
  readonly schema: readonly DiffLine[];
  /** What the replay could not follow (hand-written SQL): the schema diff may miss it. */
  readonly unknown: readonly string[];
  /** A multi-database revision: the databases it has a section for (null: the one-function form). */
  readonly databases: readonly string[] | null;
}

/**
 * Changed lines with `context` unchanged lines around each change, plus the
 * line that opens the block a change is in (`table users`), so every change
 * says where it is; the unchanged lines left out become one `…` line.
 */
export function schemaDiffLines(before: string, after: string, context = 2): DiffLine[] {
  const all: DiffLine[] = [];
  for (const part of diffLines(before, after)) {
    const sign = part.added ? '+' : part.removed ? '-' : ' ';
    for (const text of part.value.replace(/\n$/, '').split('\n')) all.push({ sign, text });
  }
  const shown = new Set<number>();
  all.forEach((line, i) => {
    if (line.sign === ' ') return;
    for (let j = Math.max(0, i - context); j <= Math.min(all.length - 1, i + context); j++) shown.add(j);
    for (let j = i; j >= 0; j--)
      if (all[j].text && !/^\s/.test(all[j].text)) {
        shown.add(j);
        break;
      }
  });
  const out: DiffLine[] = [];
  let skipped = 0;
  const flush = () => {
    if (skipped > 0) out.push({ sign: '…', text: `${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
    skipped = 0;
  };
  all.forEach((line, i) => {
    if (!shown.has(i)) return void skipped++;
    flush();
    out.push(line);
  });
  flush();
  return out;
}

interface RevisionOps {
  readonly up: readonly Operation[];
  readonly down: readonly Operation[];
}

export class DetailsLoader {
  private readonly byId: Map<string, RevisionFile>;
  private readonly ops = new Map<string, Promise<RevisionOps>>();
  private readonly after = new Map<string, ReplayResult>();

  constructor(
    revisions: readonly RevisionFile[],
    private readonly graph: RevisionGraph,
    private readonly ref?: DatabaseRef,
  ) {
    this.byId = new Map(revisions.map((r) => [r.id, r]));
  }

  private opsOf(id: string): Promise<RevisionOps> {
    let p = this.ops.get(id);
    if (!p) {
      const rev = this.byId.get(id)!;
      p = Promise.all([collectFor(rev, 'upgrade', this.ref), collectFor(rev, 'downgrade', this.ref)]).then(([up, down]) => ({ up, down }));
      this.ops.set(id, p);
    }
    return p;
  }

  /**
   * The schema after `id`. Walks down to the nearest revision already
   * computed (or to base), imports the files on the way in parallel, then
   * replays forward, keeping each result. A merge starts from a replay of
   * all its ancestors, since its branches each hold part of the schema.
   */
  async schemaAfter(id: string): Promise<ReplayResult> {
    const known = this.after.get(id);
    if (known) return known;
    const chain: string[] = [];
    let at: string | undefined = id;
    while (at !== undefined && !this.after.has(at)) {
      chain.push(at);
      const parents = this.graph.parentsOf(at);
      at = parents.length === 1 ? parents[0] : undefined;
    }
    const loads = chain.map((c) => this.opsOf(c));
    const oldest = chain[chain.length - 1];
    let start: ReplayResult;
    if (at !== undefined) start = this.after.get(at)!;
    else if (this.graph.parentsOf(oldest).length === 0) start = { schema: emptySchema, unknown: [] };
    else start = await this.replayAncestors(oldest);
    let result = start;
    for (let i = chain.length - 1; i >= 0; i--) {
      const { up } = await loads[i];
      const next = applyOperations(result.schema, up);
      result = { schema: next.schema, unknown: [...result.unknown, ...next.unknown] };
      this.after.set(chain[i], result);
    }
    return result;
  }

  private async replayAncestors(id: string): Promise<ReplayResult> {
    const below = this.graph.ancestors(id);
    below.delete(id);
    const order = this.graph.topological().filter((x) => below.has(x));
    const all = await Promise.all(order.map((x) => this.opsOf(x)));
    return all.reduce<ReplayResult>(
      (acc, { up }) => {
        const next = applyOperations(acc.schema, up);
        return { schema: next.schema, unknown: [...acc.unknown, ...next.unknown] };
      },
      { schema: emptySchema, unknown: [] },
    );
  }

  async schemaBefore(id: string): Promise<ReplayResult> {
    const parents = this.graph.parentsOf(id);
    if (parents.length === 0) return { schema: emptySchema, unknown: [] };
    if (parents.length === 1) return this.schemaAfter(parents[0]);
    return this.replayAncestors(id);
  }

  async details(id: string): Promise<Details> {
    const { up, down } = await this.opsOf(id);
    const [before, after] = await Promise.all([this.schemaBefore(id), this.schemaAfter(id)]);
    const own = applyOperations(before.schema, up).unknown;
    return {
      upgrade: up.map(describeOperation),
      downgrade: down.map(describeOperation),
      upSql: statementsOf(up).map((s) => s.sql + ';'),
      downSql: statementsOf(down).map((s) => s.sql + ';'),
      schema: schemaDiffLines(schemaText(before.schema), schemaText(after.schema)),
      unknown: own,
      databases: await this.byId.get(id)!.sections(),
    };
  }
}

export type { Schema };
