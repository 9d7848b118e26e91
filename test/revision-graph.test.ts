import { describe, expect, it } from 'vitest';
import { buildGraph } from '../source/revisions/graph.js';

const rev = (id: string, down: string | string[] | null) => ({ id, downRevision: down, message: id });
// a ─ b ─ c ┬ d ─┬ f (merge)
//           └ e ─┘
const branched = () => buildGraph([rev('a1', null), rev('b2', 'a1'), rev('c3', 'b2'), rev('d4', 'c3'), rev('e5', 'c3'), rev('f6', ['d4', 'e5'])]);

describe('revision graph', () => {
  it('finds heads, bases and a parents-first order', () => {
    const g = branched();
    expect(g.heads()).toEqual(['f6']);
    expect(g.bases()).toEqual(['a1']);
    expect(g.topological()).toEqual(['a1', 'b2', 'c3', 'd4', 'e5', 'f6']);
  });

  it('plans upgrades and downgrades through a branch and its merge', () => {
    const g = branched();
    expect(g.upgradePlan([], 'head')).toEqual(['a1', 'b2', 'c3', 'd4', 'e5', 'f6']);
    expect(g.upgradePlan(['d4'], 'head')).toEqual(['e5', 'f6']);
    expect(g.downgradePlan(['f6'], 'c3')).toEqual(['f6', 'e5', 'd4']);
    expect(g.downgradePlan(['f6'], 'base')).toEqual(['f6', 'e5', 'd4', 'c3', 'b2', 'a1']);
    expect(g.headsOf(['a1', 'b2', 'c3', 'd4', 'e5'])).toEqual(['d4', 'e5']);
    expect(g.upgradePlan(['f6'], 'head')).toEqual([]);
  });

  it('resolves prefixes, +N and -N', () => {
    const g = buildGraph([rev('abc111', null), rev('abd222', 'abc111'), rev('ffe333', 'abd222')]);
    expect(g.resolveTarget('ffe', [])).toEqual(['ffe333']);
    expect(() => g.resolveTarget('ab', [])).toThrow(/ambiguous/);
    expect(() => g.resolveTarget('zzz', [])).toThrow(/no revision/);
    expect(g.resolveTarget('+2', [])).toEqual(['abd222']);
    expect(g.resolveTarget('-1', ['ffe333'])).toEqual(['abd222']);
    expect(g.resolveTarget('-3', ['ffe333'])).toEqual([]);
    expect(() => g.resolveTarget('-4', ['ffe333'])).toThrow(/ends/);
    expect(g.downgradePlan(['ffe333'], '-1')).toEqual(['ffe333']);
  });

  it('refuses several heads for "head", a missing parent, a cycle, a duplicate', () => {
    const two = buildGraph([rev('a1', null), rev('b2', 'a1'), rev('c3', 'a1')]);
    expect(() => two.resolveTarget('head', [])).toThrow(/several heads: b2, c3/);
    expect(two.upgradePlan([], 'heads')).toEqual(['a1', 'b2', 'c3']);
    expect(() => buildGraph([rev('a1', 'zz')])).toThrow(/missing parent/);
    expect(() => buildGraph([rev('a1', 'b2'), rev('b2', 'a1')])).toThrow(/cycle/);
    expect(() => buildGraph([rev('a1', null), rev('a1', null)])).toThrow(/two revisions/);
  });
});
