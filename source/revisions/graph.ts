/**
 * The revision graph, pure and in memory (like Alembic's script/revision.py):
 * heads, bases, ancestry, target resolution (`head`, `base`, ids and unique
 * prefixes, `+N`, `-N`) and the ordered plans that move a database between
 * two sets of heads. The version table stores the current heads; the set of
 * applied revisions is everything at or below them.
 */
import { UsageError, UserError } from '../errors.js';

export interface RevisionNode {
  readonly id: string;
  readonly downRevision: string | readonly string[] | null;
  readonly message: string;
  readonly file?: string;
}

function parentsOf(n: RevisionNode): string[] {
  if (n.downRevision === null || n.downRevision === undefined) return [];
  return typeof n.downRevision === 'string' ? [n.downRevision] : [...n.downRevision];
}

export class RevisionGraph {
  private readonly byId = new Map<string, RevisionNode>();
  private readonly parents = new Map<string, string[]>();
  private readonly kids = new Map<string, string[]>();
  private readonly order: string[];

  constructor(nodes: readonly RevisionNode[]) {
    for (const n of nodes) {
      const where = n.file ? ` (${n.file})` : '';
      if (this.byId.has(n.id)) throw new UserError(`two revisions have the id ${n.id}${where}`);
      this.byId.set(n.id, n);
    }
    for (const n of nodes) {
      const ps = parentsOf(n);
      for (const p of ps)
        if (!this.byId.has(p))
          throw new UserError(`revision ${n.id}${n.file ? ` (${n.file})` : ''} revises ${p}, which no revision file defines (missing parent)`);
      this.parents.set(n.id, ps);
      this.kids.set(n.id, this.kids.get(n.id) ?? []);
      for (const p of ps) this.kids.set(p, [...(this.kids.get(p) ?? []), n.id]);
    }
    this.order = this.sortTopologically();
  }

  /** Parents before children; among revisions ready at the same time, by id. Detects cycles. */
  private sortTopologically(): string[] {
    const remaining = new Map([...this.parents].map(([id, ps]) => [id, ps.length]));
    const ready = [...remaining].filter(([, n]) => n === 0).map(([id]) => id).sort();
    const out: string[] = [];
    while (ready.length > 0) {
      const id = ready.shift()!;
      out.push(id);
      for (const k of this.kids.get(id) ?? []) {
        const left = remaining.get(k)! - 1;
        remaining.set(k, left);
        if (left === 0) {
          ready.push(k);
          ready.sort();
        }
      }
    }
    if (out.length !== this.byId.size) {
      const stuck = [...this.byId.keys()].filter((id) => !out.includes(id));
      throw new UserError(`the revisions form a cycle: ${stuck.join(', ')}`);
    }
    return out;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): RevisionNode | undefined {
    return this.byId.get(id);
  }

  topological(): string[] {
    return [...this.order];
  }

  heads(): string[] {
    return this.order.filter((id) => (this.kids.get(id) ?? []).length === 0).sort();
  }

  bases(): string[] {
    return this.order.filter((id) => (this.parents.get(id) ?? []).length === 0).sort();
  }

  children(id: string): string[] {
    return [...(this.kids.get(id) ?? [])].sort();
  }

  parentsOf(id: string): string[] {
    return [...(this.parents.get(id) ?? [])];
  }

  /** The revision and everything below it. */
  ancestors(id: string): Set<string> {
    return this.walk([id], (x) => this.parents.get(x) ?? []);
  }

  /** The revision and everything above it. */
  descendants(id: string): Set<string> {
    return this.walk([id], (x) => this.kids.get(x) ?? []);
  }

  private walk(start: readonly string[], next: (id: string) => readonly string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...start];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id) || !this.byId.has(id)) continue;
      seen.add(id);
      stack.push(...next(id));
    }
    return seen;
  }

  /** Everything applied when the version table holds `heads`. */
  appliedSet(heads: readonly string[]): Set<string> {
    return this.walk(heads, (x) => this.parents.get(x) ?? []);
  }

  /** The heads of an applied set: what the version table records. */
  headsOf(applied: Iterable<string>): string[] {
    const set = new Set(applied);
    return [...set].filter((id) => !(this.kids.get(id) ?? []).some((k) => set.has(k))).sort();
  }

  /** A full id from an id or a unique prefix of one. */
  resolveId(ref: string): string {
    if (this.byId.has(ref)) return ref;
    const matches = [...this.byId.keys()].filter((id) => id.startsWith(ref));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw new UsageError(`"${ref}" is ambiguous: it could be ${matches.sort().join(', ')}`, 'give more characters of the id');
    throw new UsageError(`no revision "${ref}"`, 'see `fastedgy db history`');
  }

  private singleHead(): string[] {
    const heads = this.heads();
    if (heads.length > 1)
      throw new UsageError(`several heads: ${heads.join(', ')}; name one or run \`fastedgy db merge\``);
    return heads;
  }

  /**
   * The set of heads a target means, from the `current` heads:
   * `head`/`heads`, `base` (empty), an id or prefix, `+N` or `-N` steps.
   */
  resolveTarget(target: string, current: readonly string[]): string[] {
    const t = target.trim();
    if (t === 'head') return this.singleHead();
    if (t === 'heads') return this.heads();
    if (t === 'base') return [];
    const rel = /^([+-])(\d+)$/.exec(t);
    if (rel) return this.relative(rel[1] === '+' ? Number(rel[2]) : -Number(rel[2]), current);
    return [this.resolveId(t)];
  }

  private relative(steps: number, current: readonly string[]): string[] {
    if (current.length > 1) throw new UsageError(`the database is at several heads (${current.join(', ')}): name a revision instead of a relative step`);
    let at: string | null = current[0] ?? null;
    for (let i = 0; i < Math.abs(steps); i++) {
      const next: string[] = steps > 0 ? (at === null ? this.bases() : this.children(at)) : at === null ? [] : this.parentsOf(at);
      if (next.length === 0) {
        if (steps < 0 && at !== null) {
          at = null;
          continue;
        }
        throw new UsageError(`cannot move ${steps > 0 ? 'up' : 'down'} ${Math.abs(steps)} revision(s) from ${current[0] ?? '<base>'}: the history ends first`);
      }
      if (next.length > 1) throw new UsageError(`moving ${steps > 0 ? 'up' : 'down'} from ${at ?? '<base>'} is ambiguous (${next.join(', ')}): name a revision`);
      at = next[0];
    }
    return at === null ? [] : [at];
  }

  /** Revisions to apply, parents first, to reach `target` from `current`. */
  upgradePlan(current: readonly string[], target: string): string[] {
    const applied = this.appliedSet(current);
    const wanted = this.appliedSet(this.resolveTarget(target, current));
    return this.order.filter((id) => wanted.has(id) && !applied.has(id));
  }

  /** Revisions to unapply, children first, to step back to `target` from `current`. */
  downgradePlan(current: readonly string[], target: string): string[] {
    const applied = this.appliedSet(current);
    const keep = this.appliedSet(this.resolveTarget(target, current));
    for (const id of keep)
      if (!applied.has(id)) throw new UsageError(`revision ${id} is not applied: nothing to downgrade to`, 'use `fastedgy db migrate` to move up');
    return [...this.order].reverse().filter((id) => applied.has(id) && !keep.has(id));
  }
}

export function buildGraph(nodes: readonly RevisionNode[]): RevisionGraph {
  return new RevisionGraph(nodes);
}
