/**
 * The revision graph from in-memory lists: no files, no database. Plans are
 * checked by applying them and reading the heads the version table would
 * hold, since that is what the runner does.
 */
import { describe, expect, it } from 'vitest';
import { UsageError, UserError } from '../source/errors.js';
import { buildGraph } from '../source/revisions/graph.js';
import type { RevisionGraph, RevisionNode } from '../source/revisions/graph.js';

const rev = (id: string, down: string | string[] | null, file?: string): RevisionNode => ({ id, downRevision: down, message: `msg ${id}`, file });

// a1 ─ b2 ─ c3 ─ d4
const linear = () => buildGraph([rev('d4', 'c3'), rev('b2', 'a1'), rev('a1', null), rev('c3', 'b2')]);

// a1 ─ b2 ─ c3 ┬ d4 ─ g7 ┬ f6 (merge) ─ h8
//              └ e5 ─────┘
const merged = () =>
  buildGraph([
    rev('a1', null), rev('b2', 'a1'), rev('c3', 'b2'), rev('d4', 'c3'), rev('g7', 'd4'),
    rev('e5', 'c3'), rev('f6', ['g7', 'e5']), rev('h8', 'f6'),
  ]);

// a1 ─ b2 ┬ c3 ─ d4   (two heads, never merged)
//         └ x9
const forked = () => buildGraph([rev('a1', null), rev('b2', 'a1'), rev('c3', 'b2'), rev('d4', 'c3'), rev('x9', 'b2')]);

/** Runs a plan the way the runner does and returns the heads it would record. */
function apply(g: RevisionGraph, current: string[], direction: 'up' | 'down', target: string): { plan: string[]; heads: string[] } {
  const plan = direction === 'up' ? g.upgradePlan(current, target) : g.downgradePlan(current, target);
  const applied = g.appliedSet(current);
  for (const id of plan) {
    if (direction === 'up') {
      // parents first: everything this revision revises is already there
      for (const p of g.parentsOf(id)) expect(applied.has(p)).toBe(true);
      applied.add(id);
    } else {
      // children first: nothing applied still revises this one
      for (const k of g.children(id)) expect(applied.has(k)).toBe(false);
      applied.delete(id);
    }
  }
  return { plan, heads: g.headsOf(applied) };
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('building and querying', () => {
  it('orders a linear history base first, whatever the input order', () => {
    const g = linear();
    expect(g.size).toBe(4);
    expect(g.topological()).toEqual(['a1', 'b2', 'c3', 'd4']);
    expect(g.heads()).toEqual(['d4']);
    expect(g.bases()).toEqual(['a1']);
    expect(g.get('b2')?.message).toBe('msg b2');
    expect(g.get('zz')).toBeUndefined();
    expect(g.children('b2')).toEqual(['c3']);
    expect(g.children('d4')).toEqual([]);
    expect([...g.ancestors('c3')].sort()).toEqual(['a1', 'b2', 'c3']);
    expect([...g.descendants('b2')].sort()).toEqual(['b2', 'c3', 'd4']);
  });

  it('orders branches parents first with ties by id, and finds the merge', () => {
    const g = merged();
    expect(g.topological()).toEqual(['a1', 'b2', 'c3', 'd4', 'e5', 'g7', 'f6', 'h8']);
    expect(g.heads()).toEqual(['h8']);
    expect(g.children('c3')).toEqual(['d4', 'e5']);
    expect(g.parentsOf('f6')).toEqual(['g7', 'e5']);
    expect([...g.ancestors('f6')].sort()).toEqual(['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7']);
    expect([...g.descendants('e5')].sort()).toEqual(['e5', 'f6', 'h8']);
    // the same graph from reversed input gives the same order
    const reversed = buildGraph([...g.topological()].reverse().map((id) => g.get(id)!));
    expect(reversed.topological()).toEqual(g.topological());
  });

  it('lists several heads and several bases sorted', () => {
    expect(forked().heads()).toEqual(['d4', 'x9']);
    const twoBases = buildGraph([rev('zz', null), rev('aa', null), rev('mm', ['zz', 'aa'])]);
    expect(twoBases.bases()).toEqual(['aa', 'zz']);
    expect(twoBases.heads()).toEqual(['mm']);
    expect(buildGraph([]).heads()).toEqual([]);
  });

  it('computes applied sets and the heads of an applied set', () => {
    const g = merged();
    expect([...g.appliedSet([])]).toEqual([]);
    expect([...g.appliedSet(['d4', 'e5'])].sort()).toEqual(['a1', 'b2', 'c3', 'd4', 'e5']);
    expect(g.headsOf(['a1', 'b2', 'c3', 'd4', 'e5'])).toEqual(['d4', 'e5']);
    expect(g.headsOf(g.appliedSet(['h8']))).toEqual(['h8']);
    expect(g.headsOf([])).toEqual([]);
  });

  it('refuses a duplicate id, naming both files', () => {
    const e = thrown(() => buildGraph([rev('a1', null, 'v/one.ts'), rev('a1', null, 'v/two.ts')]));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(/two revisions have the id a1 \(v\/one\.ts and v\/two\.ts\)/);
  });

  it('refuses a missing parent, naming the revision and its file', () => {
    const e = thrown(() => buildGraph([rev('a1', null), rev('b2', ['a1', 'zz'], 'v/b2.ts')]));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(/b2 \(v\/b2\.ts\) revises zz.*missing parent/);
  });

  it('refuses a cycle, naming only the revisions in the loop', () => {
    const e = thrown(() => buildGraph([rev('a1', null), rev('b2', ['a1', 'd4'], 'v/b2.ts'), rev('c3', 'b2'), rev('d4', 'c3'), rev('e5', 'd4')]));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe('the revisions form a cycle: b2 (v/b2.ts) revises d4 revises c3 revises b2 (v/b2.ts)');
    expect(() => buildGraph([rev('a1', 'a1')])).toThrow(/cycle: a1 revises a1/);
  });

  it('treats a repeated parent as one edge', () => {
    const g = buildGraph([rev('a1', null), rev('b2', ['a1', 'a1'])]);
    expect(g.parentsOf('b2')).toEqual(['a1']);
    expect(g.upgradePlan([], 'head')).toEqual(['a1', 'b2']);
  });
});

describe('resolving targets', () => {
  const ids = () => buildGraph([rev('abc111', null), rev('abd222', 'abc111'), rev('ffe333', 'abd222'), rev('ffe3', 'ffe333')]);

  it('takes full ids, unique prefixes, and an exact id before a longer one', () => {
    const g = ids();
    expect(g.resolveTarget('abd222', [])).toEqual(['abd222']);
    expect(g.resolveTarget('abc', [])).toEqual(['abc111']);
    expect(g.resolveTarget(' abd ', [])).toEqual(['abd222']);
    expect(g.resolveTarget('ffe3', [])).toEqual(['ffe3']);
    expect(g.resolveTarget('ffe33', [])).toEqual(['ffe333']);
  });

  it('lists the matches of an ambiguous prefix', () => {
    const e = thrown(() => ids().resolveTarget('ab', []));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe('"ab" is ambiguous: it could be abc111, abd222');
  });

  it('refuses an unknown id', () => {
    const e = thrown(() => ids().resolveTarget('zzz', []));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toMatch(/no revision "zzz"/);
  });

  it('reads head, heads and base', () => {
    expect(linear().resolveTarget('head', [])).toEqual(['d4']);
    expect(linear().resolveTarget('heads', [])).toEqual(['d4']);
    expect(linear().resolveTarget('base', ['c3'])).toEqual([]);
    expect(forked().resolveTarget('heads', [])).toEqual(['d4', 'x9']);
    expect(buildGraph([]).resolveTarget('head', [])).toEqual([]);
  });

  it('refuses head with several heads', () => {
    const e = thrown(() => forked().resolveTarget('head', []));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe('several heads: d4, x9; name one or run `fastedgy db merge`');
  });

  it('steps +N and -N along a linear history', () => {
    const g = linear();
    expect(g.resolveTarget('+1', [])).toEqual(['a1']);
    expect(g.resolveTarget('+2', ['a1'])).toEqual(['c3']);
    expect(g.resolveTarget('+0', ['b2'])).toEqual(['b2']);
    expect(g.resolveTarget('-1', ['d4'])).toEqual(['c3']);
    expect(g.resolveTarget('-4', ['d4'])).toEqual([]);
    expect(() => g.resolveTarget('+1', ['d4'])).toThrow(/history ends first/);
    expect(() => g.resolveTarget('-5', ['d4'])).toThrow(/history ends first/);
    expect(() => g.resolveTarget('-1', [])).toThrow(/history ends first/);
  });

  it('refuses +N / -N where the path is ambiguous', () => {
    const m = merged();
    expect(m.resolveTarget('+1', ['b2'])).toEqual(['c3']);
    expect(() => m.resolveTarget('+1', ['c3'])).toThrow(UsageError);
    expect(() => m.resolveTarget('+1', ['c3'])).toThrow(/branches at c3 \(d4, e5\)/);
    expect(() => m.resolveTarget('+1', ['d4', 'e5'])).toThrow(/several heads/);
    expect(() => m.resolveTarget('-3', ['h8'])).toThrow(/f6 merges g7, e5/);
    expect(() => buildGraph([rev('zz', null), rev('aa', null)]).resolveTarget('+1', [])).toThrow(/branches at <base>/);
    // down one from a merge is not ambiguous: its parents become the heads
    expect(m.resolveTarget('-1', ['f6'])).toEqual(['e5', 'g7']);
    expect(m.resolveTarget('-2', ['h8'])).toEqual(['e5', 'g7']);
  });

  it('refuses a current head no revision defines', () => {
    expect(() => linear().resolveTarget('+1', ['gone'])).toThrow(/database is at revision gone, which no revision file defines/);
    expect(() => linear().upgradePlan(['gone'], 'head')).toThrow(UserError);
    expect(() => linear().downgradePlan(['gone'], 'base')).toThrow(UserError);
  });
});

describe('upgrade plans', () => {
  it('applies a linear history, step by step and to an id', () => {
    const g = linear();
    expect(apply(g, [], 'up', 'head')).toEqual({ plan: ['a1', 'b2', 'c3', 'd4'], heads: ['d4'] });
    expect(apply(g, ['a1'], 'up', '+2')).toEqual({ plan: ['b2', 'c3'], heads: ['c3'] });
    expect(apply(g, [], 'up', 'b')).toEqual({ plan: ['a1', 'b2'], heads: ['b2'] });
  });

  it('is empty when already at or past the target', () => {
    const g = merged();
    expect(g.upgradePlan(['h8'], 'head')).toEqual([]);
    expect(g.upgradePlan(['h8'], 'heads')).toEqual([]);
    expect(g.upgradePlan(['h8'], 'c3')).toEqual([]);
    expect(g.upgradePlan(['c3'], 'base')).toEqual([]);
    expect(g.upgradePlan([], 'base')).toEqual([]);
  });

  it('applies both branches of a merge, parents first', () => {
    const g = merged();
    expect(apply(g, [], 'up', 'head')).toEqual({ plan: ['a1', 'b2', 'c3', 'd4', 'e5', 'g7', 'f6', 'h8'], heads: ['h8'] });
    expect(apply(g, ['d4'], 'up', 'head')).toEqual({ plan: ['e5', 'g7', 'f6', 'h8'], heads: ['h8'] });
    expect(apply(g, ['d4', 'e5'], 'up', 'f6')).toEqual({ plan: ['g7', 'f6'], heads: ['f6'] });
    // +1 onto a merge brings the merge's other, missing parent along
    expect(apply(g, ['g7'], 'up', '+1')).toEqual({ plan: ['e5', 'f6'], heads: ['f6'] });
  });

  it('moves onto one branch and keeps the other as a head', () => {
    const g = merged();
    expect(apply(g, ['d4'], 'up', 'e5')).toEqual({ plan: ['e5'], heads: ['d4', 'e5'] });
    const f = forked();
    expect(apply(f, ['c3'], 'up', 'x9')).toEqual({ plan: ['x9'], heads: ['c3', 'x9'] });
    expect(apply(f, [], 'up', 'heads')).toEqual({ plan: ['a1', 'b2', 'c3', 'd4', 'x9'], heads: ['d4', 'x9'] });
    expect(() => f.upgradePlan([], 'head')).toThrow(/several heads: d4, x9/);
  });
});

describe('downgrade plans', () => {
  it('unapplies a linear history children first', () => {
    const g = linear();
    expect(apply(g, ['d4'], 'down', '-1')).toEqual({ plan: ['d4'], heads: ['c3'] });
    expect(apply(g, ['d4'], 'down', '-2')).toEqual({ plan: ['d4', 'c3'], heads: ['b2'] });
    expect(apply(g, ['d4'], 'down', 'b2')).toEqual({ plan: ['d4', 'c3'], heads: ['b2'] });
    expect(apply(g, ['c3'], 'down', 'base')).toEqual({ plan: ['c3', 'b2', 'a1'], heads: [] });
  });

  it('is empty when already at the target', () => {
    const g = merged();
    expect(g.downgradePlan(['c3'], 'c3')).toEqual([]);
    expect(g.downgradePlan([], 'base')).toEqual([]);
    expect(g.downgradePlan(['h8'], 'head')).toEqual([]);
    expect(forked().downgradePlan(['d4', 'x9'], 'heads')).toEqual([]);
  });

  it('refuses a target that is not applied', () => {
    const g = merged();
    expect(() => g.downgradePlan(['c3'], 'd4')).toThrow(/revision d4 is not applied/);
    expect(() => g.downgradePlan(['d4'], 'e5')).toThrow(UsageError);
  });

  it('unapplies through a merge and both branches', () => {
    const g = merged();
    expect(apply(g, ['h8'], 'down', 'c3')).toEqual({ plan: ['h8', 'f6', 'g7', 'e5', 'd4'], heads: ['c3'] });
    expect(apply(g, ['h8'], 'down', 'base')).toEqual({ plan: ['h8', 'f6', 'g7', 'e5', 'd4', 'c3', 'b2', 'a1'], heads: [] });
    // stepping back over the merge leaves its parents as the heads
    expect(apply(g, ['h8'], 'down', '-2')).toEqual({ plan: ['h8', 'f6'], heads: ['e5', 'g7'] });
    expect(apply(g, ['f6'], 'down', '-1')).toEqual({ plan: ['f6'], heads: ['e5', 'g7'] });
  });

  it('unapplies only what lies above the target, leaving other branches', () => {
    const g = merged();
    // to d4: the merge above d4 goes, the e5 branch stays
    expect(apply(g, ['h8'], 'down', 'd4')).toEqual({ plan: ['h8', 'f6', 'g7'], heads: ['d4', 'e5'] });
    expect(apply(g, ['g7', 'e5'], 'down', 'e5')).toEqual({ plan: [], heads: ['e5', 'g7'] });
    const f = forked();
    expect(apply(f, ['d4', 'x9'], 'down', 'c3')).toEqual({ plan: ['d4'], heads: ['c3', 'x9'] });
    expect(apply(f, ['d4', 'x9'], 'down', 'b2')).toEqual({ plan: ['x9', 'd4', 'c3'], heads: ['b2'] });
    expect(() => f.downgradePlan(['d4', 'x9'], '-1')).toThrow(/several heads/);
  });

  it('round-trips: down to a revision then up to head restores the heads', () => {
    const g = merged();
    for (const target of ['base', 'a1', 'c3', 'd4', 'e5', 'f6', '-1', '-2']) {
      const down = apply(g, ['h8'], 'down', target);
      const up = apply(g, down.heads, 'up', 'head');
      expect([...down.plan].reverse().sort()).toEqual([...up.plan].sort());
      expect(up.heads).toEqual(['h8']);
    }
  });
});
