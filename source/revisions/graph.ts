/**
 * The revision graph, pure and in memory (like Alembic's script/revision.py):
 * heads, bases, ancestry, target resolution (`head`, `heads`, `base`, ids and
 * unique prefixes, `+N`, `-N`) and the ordered plans that move a database
 * between two sets of heads. The version table stores only the current heads;
 * the set of applied revisions is everything at or below them, which is why
 * every plan starts from `appliedSet(current)` and ends with `headsOf(...)`.
 */
import { UsageError, UserError } from '../errors.js';

export interface RevisionNode {
  readonly id: string;
  readonly downRevision: string | readonly string[] | null;
  readonly message: string;
  readonly file?: string;
}

/** A revision's parents, without duplicates (`['a', 'a']` is still one edge). */
function parentsOf(n: RevisionNode): string[] {
  if (n.downRevision === null || n.downRevision === undefined) return [];
  return typeof n.downRevision === 'string' ? [n.downRevision] : [...new Set(n.downRevision)];
}

export class RevisionGraph {
  private readonly byId = new Map<string, RevisionNode>();
  private readonly parents = new Map<string, string[]>();
  private readonly kids = new Map<string, string[]>();
  private readonly order: string[];

  constructor(nodes: readonly RevisionNode[]) {
    for (const n of nodes) {
      const other = this.byId.get(n.id);
      if (other) {
        const files = [other.file, n.file].filter(Boolean).join(' and ');
        throw new UserError(`two revisions have the id ${n.id}${files ? ` (${files})` : ''}`, { hint: 'give one of them a new id' });
      }
      this.byId.set(n.id, n);
      this.kids.set(n.id, []);
    }
    for (const n of nodes) {
      const ps = parentsOf(n);
      for (const p of ps)
        if (!this.byId.has(p))
          throw new UserError(`revision ${this.label(n.id)} revises ${p}, which no revision file defines (missing parent)`, {
            hint: 'restore the missing revision file or correct downRevision',
          });
      this.parents.set(n.id, ps);
      for (const p of ps) this.kids.get(p)!.push(n.id);
    }
    for (const list of this.kids.values()) list.sort();
    this.order = this.sortTopologically();
  }

  /** `id (file)` when the file is known: errors should point at something to open. */
  private label(id: string): string {
    const file = this.byId.get(id)?.file;
    return file ? `${id} (${file})` : id;
  }

  /** Parents before children; among revisions ready at the same time, by id, so plans never depend on file order. */
  private sortTopologically(): string[] {
    const waiting = new Map([...this.parents].map(([id, ps]) => [id, ps.length]));
    const ready = [...waiting].filter(([, n]) => n === 0).map(([id]) => id).sort();
    const out: string[] = [];
    while (ready.length > 0) {
      const id = ready.shift()!;
      out.push(id);
      for (const k of this.kids.get(id)!) {
        const left = waiting.get(k)! - 1;
        waiting.set(k, left);
        if (left === 0) {
          ready.push(k);
          ready.sort();
        }
      }
    }
    if (out.length !== this.byId.size) throw new UserError(`the revisions form a cycle: ${this.findCycle(new Set(out)).join(' revises ')}`);
    return out;
  }

  /**
   * Every revision left out of the topological order still waits on a parent
   * that was also left out, so following such parents must come back round.
   * Names only the loop itself, not the revisions stuck above it.
   */
  private findCycle(sorted: ReadonlySet<string>): string[] {
    const stuck = [...this.byId.keys()].filter((id) => !sorted.has(id)).sort();
    const path: string[] = [];
    let at = stuck[0];
    while (!path.includes(at)) {
      path.push(at);
      at = this.parents.get(at)!.filter((p) => !sorted.has(p)).sort()[0];
    }
    return [...path.slice(path.indexOf(at)), at].map((id) => this.label(id));
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): RevisionNode | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Every id, parents before children, ties by id. */
  topological(): string[] {
    return [...this.order];
  }

  /** Revisions no other revision revises, by id. */
  heads(): string[] {
    return this.order.filter((id) => this.kids.get(id)!.length === 0).sort();
  }

  /** Revisions that revise nothing, by id. */
  bases(): string[] {
    return this.order.filter((id) => this.parents.get(id)!.length === 0).sort();
  }

  children(id: string): string[] {
    return [...(this.kids.get(id) ?? [])];
  }

  parentsOf(id: string): string[] {
    return [...(this.parents.get(id) ?? [])];
  }

  /** The revision and everything below it. */
  ancestors(id: string): Set<string> {
    return this.walk([this.known(id)], (x) => this.parents.get(x)!);
  }

  /** The revision and everything above it. */
  descendants(id: string): Set<string> {
    return this.walk([this.known(id)], (x) => this.kids.get(x)!);
  }

  private walk(start: readonly string[], next: (id: string) => readonly string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...start];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...next(id));
    }
    return seen;
  }

  private known(id: string): string {
    if (!this.byId.has(id)) throw new UserError(`no revision file defines ${id}`);
    return id;
  }

  /**
   * The current heads as read from the version table. An id no file defines
   * is an error, not something to skip: skipping it would make its
   * ancestors look unapplied and the plan would run them a second time.
   */
  private checkCurrent(current: readonly string[]): void {
    for (const id of current)
      if (!this.byId.has(id))
        throw new UserError(`the database is at revision ${id}, which no revision file defines`, {
          hint: 'restore that revision file, or `fastedgy db stamp` the revision the database really is at',
        });
  }

  /** Everything applied when the version table holds `heads`. */
  appliedSet(heads: readonly string[]): Set<string> {
    this.checkCurrent(heads);
    return this.walk(heads, (x) => this.parents.get(x)!);
  }

  /** The heads of an applied set: what the version table records. */
  headsOf(applied: Iterable<string>): string[] {
    const set = new Set(applied);
    return [...set].filter((id) => !(this.kids.get(id) ?? []).some((k) => set.has(k))).sort();
  }

  /** A full id from an id or a unique prefix of one; an exact id wins over being a prefix of a longer one. */
  resolveId(ref: string): string {
    if (this.byId.has(ref)) return ref;
    const matches = ref === '' ? [] : [...this.byId.keys()].filter((id) => id.startsWith(ref)).sort();
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw new UsageError(`"${ref}" is ambiguous: it could be ${matches.join(', ')}`, 'give more characters of the id');
    throw new UsageError(`no revision "${ref}"`, 'see `fastedgy db history`');
  }

  /**
   * The set of heads a target means, from the `current` heads: `head` (the
   * one head), `heads` (all of them), `base` (empty), an id or prefix, or
   * `+N` / `-N` steps from where the database is.
   */
  resolveTarget(target: string, current: readonly string[]): string[] {
    const t = target.trim();
    if (t === 'heads') return this.heads();
    if (t === 'head') {
      const heads = this.heads();
      if (heads.length > 1) throw new UsageError(`several heads: ${heads.join(', ')}; name one or run \`fastedgy db merge\``);
      return heads;
    }
    if (t === 'base') return [];
    const rel = /^([+-])(\d+)$/.exec(t);
    if (rel) return this.relative(rel[1] === '+' ? Number(rel[2]) : -Number(rel[2]), current);
    return [this.resolveId(t)];
  }

  /**
   * `+N` / `-N` walk one path from the single current head. Up from a branch
   * point (or from base with several bases) is ambiguous. Down through a
   * merge is ambiguous too, except as the last step: unapplying a merge
   * leaves exactly its parents as heads, as Alembic's `downgrade -1` does.
   */
  private relative(steps: number, current: readonly string[]): string[] {
    this.checkCurrent(current);
    const start = current.length === 0 ? '<base>' : current.join(', ');
    const where = `${steps > 0 ? 'up' : 'down'} ${Math.abs(steps)} revision(s) from ${start}`;
    if (current.length > 1) throw new UsageError(`cannot move ${where}: the database is at several heads`, 'name a revision instead of a relative step');
    let at: string[] = [...current];
    for (let i = 0; i < Math.abs(steps); i++) {
      if (steps > 0) {
        const next = at.length === 0 ? this.bases() : this.children(at[0]);
        if (next.length === 0) throw new UsageError(`cannot move ${where}: the history ends first`);
        if (next.length > 1) throw new UsageError(`cannot move ${where}: it branches at ${at[0] ?? '<base>'} (${next.join(', ')})`, 'name a revision');
        at = next;
      } else {
        if (at.length === 0) throw new UsageError(`cannot move ${where}: the history ends first`);
        const next = this.parentsOf(at[0]);
        const last = i === Math.abs(steps) - 1;
        if (next.length > 1 && !last) throw new UsageError(`cannot move ${where}: ${at[0]} merges ${next.join(', ')}`, 'name a revision');
        at = next.sort();
      }
    }
    return at;
  }

  /** Revisions to apply, parents first, so that everything below `target` is applied. */
  upgradePlan(current: readonly string[], target: string): string[] {
    const applied = this.appliedSet(current);
    const wanted = this.appliedSet(this.resolveTarget(target, current));
    return this.order.filter((id) => wanted.has(id) && !applied.has(id));
  }

  /**
   * Revisions to unapply, children first: every applied revision above the
   * target, the target itself staying. Other branches are left alone, as in
   * Alembic; `base` unapplies everything.
   */
  downgradePlan(current: readonly string[], target: string): string[] {
    const applied = this.appliedSet(current);
    const targets = this.resolveTarget(target, current);
    for (const id of targets)
      if (!applied.has(id)) throw new UsageError(`revision ${id} is not applied: nothing to downgrade to`, 'use `fastedgy db migrate` to move up');
    const remove = targets.length === 0 ? new Set(applied) : new Set(targets.flatMap((t) => [...this.descendants(t)]));
    for (const t of targets) remove.delete(t);
    return [...this.order].reverse().filter((id) => applied.has(id) && remove.has(id));
  }
}

export function buildGraph(nodes: readonly RevisionNode[]): RevisionGraph {
  return new RevisionGraph(nodes);
}
