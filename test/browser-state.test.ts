/** The revision browser's state machine without a terminal: selection, filter, plans, confirmation, running. */
import { describe, expect, it } from 'vitest';
import { DETAIL_TABS, initialState, reducer, selectedRow, visibleRows } from '../source/browser/browser-state.js';
import type { Action, BrowserState } from '../source/browser/browser-state.js';
import { lossProbes } from '../source/browser/data-loss.js';
import { BASE, buildRows } from '../source/browser/rows.js';
import { withPlaceholders } from '../source/browser/snapshot.js';
import type { Snapshot } from '../source/browser/snapshot.js';
import type { RevisionFile } from '../source/revisions/files.js';
import { buildGraph } from '../source/revisions/graph.js';
import type { AppliedRevision } from '../source/runner/version-table.js';
import type { KeyInfo } from '../source/wizard/wizard-state.js';

function rev(id: string, down: string | string[] | null, message = `message of ${id}`): RevisionFile {
  const nothing = async () => undefined;
  return { id, downRevision: down, message, file: `/p/migrations/versions/20261201_120000_${id}_x.ts`, checksum: `sum-${id}`, transactional: true, load: nothing, upgrade: nothing, downgrade: nothing, sections: async () => null };
}

/** A snapshot as the database would give it: `heads` applied, with their checksums unless `edited`. */
function snapshot(revisions: RevisionFile[], heads: string[], extra: { edited?: string[]; appliedWithoutFile?: string[] } = {}): Snapshot {
  const partial = buildGraph(revisions.filter((r) => r.downRevision === null || [r.downRevision].flat().every((p) => revisions.some((x) => x.id === p))));
  const applied = new Map<string, AppliedRevision>();
  for (const id of heads.filter((h) => partial.has(h)).length ? partial.appliedSet(heads.filter((h) => partial.has(h))) : [])
    applied.set(id, { revision: id, checksum: extra.edited?.includes(id) ? 'other' : `sum-${id}`, message: null, appliedAt: new Date() });
  for (const id of extra.appliedWithoutFile ?? []) applied.set(id, { revision: id, checksum: 'x', message: 'from the database', appliedAt: new Date() });
  const { revisions: all, missing } = withPlaceholders(revisions, applied, heads);
  return { revisions: all, graph: buildGraph(all), heads, applied, broken: [], missing };
}

const linear = [rev('aaaaaaaaaaaa', null, 'create users'), rev('bbbbbbbbbbbb', 'aaaaaaaaaaaa', 'add email'), rev('cccccccccccc', 'bbbbbbbbbbbb', 'karma'), rev('dddddddddddd', 'cccccccccccc', 'rename karma')];

function press(s: BrowserState, ...keys: (string | KeyInfo)[]): BrowserState {
  return keys.reduce<BrowserState>((st, k) => reducer(st, typeof k === 'string' ? { type: 'key', input: k, key: {}, rows: 10 } : { type: 'key', input: '', key: k, rows: 10 }), s);
}

const send = (s: BrowserState, ...actions: Action[]) => actions.reduce(reducer, s);

describe('rows', () => {
  it('lists newest first with <base> last, each with its state, and selects where the database is', () => {
    const s = initialState(snapshot(linear, ['bbbbbbbbbbbb']));
    expect(s.rows.map((r) => [r.id, r.applied, r.current])).toEqual([
      ['dddddddddddd', false, false],
      ['cccccccccccc', false, false],
      ['bbbbbbbbbbbb', true, true],
      ['aaaaaaaaaaaa', true, false],
      [BASE, true, false],
    ]);
    expect(s.selectedId).toBe('bbbbbbbbbbbb');
    expect(s.rows[0].head).toBe(true);
    expect(s.rows[0].date).toBe('2026-12-01 12:00');
  });

  it('draws two heads in two lanes that join at their branch point, and marks a merge', () => {
    const branched = [rev('aaaaaaaaaaaa', null), rev('bbbbbbbbbbbb', 'aaaaaaaaaaaa'), rev('cccccccccccc', 'aaaaaaaaaaaa')];
    const rows = buildRows(snapshot(branched, []));
    expect(rows.map((r) => r.lanes)).toEqual(['● ', '│●', '●┘', '  ']);
    expect(rows.filter((r) => r.head).map((r) => r.id)).toEqual(['cccccccccccc', 'bbbbbbbbbbbb']);
    const merged = buildRows(snapshot([...branched, rev('eeeeeeeeeeee', ['bbbbbbbbbbbb', 'cccccccccccc'])], []));
    expect(merged[0]).toMatchObject({ id: 'eeeeeeeeeeee', merge: true, head: true });
    expect(merged.map((r) => r.lanes)).toEqual(['● ', '│●', '●│', '●┘', '  ']);
  });

  it('marks a revision edited after it was applied, and one applied but with no file', () => {
    const rows = buildRows(snapshot(linear.slice(0, 2), ['zzzzzzzzzzzz'], { edited: ['aaaaaaaaaaaa'], appliedWithoutFile: ['zzzzzzzzzzzz'] }));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get('zzzzzzzzzzzz')).toMatchObject({ current: true, message: 'from the database' });
    expect(byId.get('zzzzzzzzzzzz')!.problems[0]).toMatch(/no revision file defines it/);
  });

  it('in a multi-database project, says for each row whether each database has applied it', () => {
    const rows = buildRows({ ...snapshot(linear, ['cccccccccccc']), databases: [{ name: 'main', heads: ['cccccccccccc'] }, { name: 'analytics', heads: ['aaaaaaaaaaaa'] }] });
    const byId = new Map(rows.map((r) => [r.id, r.databases]));
    expect(byId.get('dddddddddddd')).toEqual([{ name: 'main', applied: false }, { name: 'analytics', applied: false }]);
    expect(byId.get('bbbbbbbbbbbb')).toEqual([{ name: 'main', applied: true }, { name: 'analytics', applied: false }]);
    expect(byId.get('aaaaaaaaaaaa')).toEqual([{ name: 'main', applied: true }, { name: 'analytics', applied: true }]);
    expect(buildRows(snapshot(linear, []))[0].databases).toBeUndefined();
  });

  it('gives a missing parent a placeholder, so the history still draws', () => {
    const s = snapshot([rev('bbbbbbbbbbbb', 'aaaaaaaaaaaa')], []);
    expect([...s.missing]).toEqual(['aaaaaaaaaaaa']);
    const rows = buildRows(s);
    expect(rows.map((r) => r.id)).toEqual(['bbbbbbbbbbbb', 'aaaaaaaaaaaa', BASE]);
    expect(rows[1].problems[0]).toMatch(/a revision revises it, but no revision file defines it/);
  });
});

describe('moving and filtering', () => {
  it('moves with arrows, j/k, g/G and pages, staying inside the list', () => {
    let s = initialState(snapshot(linear, ['bbbbbbbbbbbb']));
    s = press(s, 'k');
    expect(s.selectedId).toBe('cccccccccccc');
    s = press(s, { upArrow: true }, { upArrow: true }, { upArrow: true });
    expect(s.selectedId).toBe('dddddddddddd');
    s = press(s, 'G');
    expect(s.selectedId).toBe(BASE);
    s = press(s, { downArrow: true });
    expect(s.selectedId).toBe(BASE);
    s = press(s, 'g', 'j');
    expect(s.selectedId).toBe('cccccccccccc');
    s = press(s, { pageDown: true });
    expect(s.selectedId).toBe(BASE);
  });

  it('presses a chunk of keys one by one', () => {
    const s = reducer(initialState(snapshot(linear, ['dddddddddddd'])), { type: 'key', input: 'jj', key: {}, rows: 10 });
    expect(s.selectedId).toBe('bbbbbbbbbbbb');
  });

  it('"Enter Tab Tab" in one burst opens the revision and turns two tabs (issue 11)', () => {
    const s = reducer(initialState(snapshot(linear, ['dddddddddddd'])), { type: 'key', input: '\r\t\t', key: {}, rows: 10 });
    expect(s.screen).toBe('detail');
    expect(s.tab).toBe(DETAIL_TABS[2]);
  });

  it('a burst ending the filter with Enter ends it, then the keys after act on the list', () => {
    let s = press(initialState(snapshot(linear, ['dddddddddddd'])), '/');
    s = reducer(s, { type: 'key', input: 'bbb\rj', key: {}, rows: 10 });
    expect(s.filtering).toBe(false);
    expect(s.filter).toBe('bbb');
    expect(s.selectedId).toBe(BASE);
  });

  it('filters by message or id, keeps <base>, moves the selection to a match, and esc clears it', () => {
    let s = initialState(snapshot(linear, ['dddddddddddd']));
    s = press(s, '/', 'k', 'a', 'r');
    expect(s.filtering).toBe(true);
    expect(visibleRows(s).map((r) => r.id)).toEqual(['dddddddddddd', 'cccccccccccc', BASE]);
    s = press(s, 'm', 'a');
    expect(visibleRows(s).map((r) => r.id)).toEqual(['dddddddddddd', 'cccccccccccc', BASE]);
    s = press(s, { backspace: true }, { backspace: true }, { backspace: true }, { backspace: true }, { backspace: true }, 'b', 'b', 'b');
    expect(visibleRows(s).map((r) => r.id)).toEqual(['bbbbbbbbbbbb', BASE]);
    expect(s.selectedId).toBe('bbbbbbbbbbbb');
    s = press(s, { return: true });
    expect(s.filtering).toBe(false);
    expect(s.filter).toBe('bbb');
    s = press(s, { escape: true });
    expect(s.filter).toBe('');
    expect(visibleRows(s)).toHaveLength(5);
    expect(s.selectedId).toBe('bbbbbbbbbbbb');
  });

  it('types q into the filter instead of quitting', () => {
    const s = press(initialState(snapshot(linear, [])), '/', 'q');
    expect(s.quit).toBe(false);
    expect(s.filter).toBe('q');
  });
});

describe('plans and confirmation', () => {
  it('u on a pending revision plans every revision up to it, oldest first', () => {
    let s = initialState(snapshot(linear, ['aaaaaaaaaaaa']));
    s = press(s, 'g', 'j', 'u');
    expect(s.screen).toBe('confirm');
    expect(s.confirm).toEqual({ plan: { direction: 'upgrade', target: 'cccccccccccc', ids: ['bbbbbbbbbbbb', 'cccccccccccc'] }, loss: [], lossError: null });
  });

  it('d on an applied revision plans the ones above it, newest first, and waits for the row counts', () => {
    let s = initialState(snapshot(linear, ['dddddddddddd']));
    s = press(s, 'j', 'j', 'd');
    expect(s.confirm?.plan).toEqual({ direction: 'downgrade', target: 'bbbbbbbbbbbb', ids: ['dddddddddddd', 'cccccccccccc'] });
    expect(s.confirm?.loss).toBeNull();
    s = press(s, 'y');
    expect(s.screen).toBe('confirm');
    expect(s.notice).toMatch(/counting/i);
    s = send(s, { type: 'loss', items: [{ what: 'column users.karma', rows: 3, unit: 'values' }] });
    expect(s.confirm?.loss).toEqual([{ what: 'column users.karma', rows: 3, unit: 'values' }]);
    s = press(s, 'y');
    expect(s.screen).toBe('running');
    expect(s.run).toMatchObject({ status: 'starting', plan: { target: 'bbbbbbbbbbbb' } });
  });

  it('d on <base> unapplies everything', () => {
    const s = press(initialState(snapshot(linear, ['bbbbbbbbbbbb'])), 'G', 'd');
    expect(s.confirm?.plan).toEqual({ direction: 'downgrade', target: 'base', ids: ['bbbbbbbbbbbb', 'aaaaaaaaaaaa'] });
  });

  it('explains instead of planning when there is nothing to do', () => {
    const s = initialState(snapshot(linear, ['bbbbbbbbbbbb']));
    expect(press(s, 'u').notice).toMatch(/already applied/);
    expect(press(s, 'd').notice).toMatch(/nothing above it/);
    expect(press(s, 'k', 'd').notice).toMatch(/not applied: press u/);
    expect(press(s, 'G', 'u').notice).toMatch(/below every revision/);
    expect(press(s, 'k', 'd').screen).toBe('list');
  });

  it('upgrading to one head of two leaves the other branch alone', () => {
    const branched = [rev('aaaaaaaaaaaa', null), rev('bbbbbbbbbbbb', 'aaaaaaaaaaaa'), rev('cccccccccccc', 'aaaaaaaaaaaa')];
    let s = initialState(snapshot(branched, []));
    s = press(s, 'g', 'j', 'u');
    expect(s.confirm?.plan.ids).toEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb']);
  });

  it('n or esc cancels and says nothing ran', () => {
    const s = press(initialState(snapshot(linear, [])), 'g', 'u', 'n');
    expect(s.screen).toBe('list');
    expect(s.confirm).toBeNull();
    expect(s.notice).toBe('Nothing was run.');
  });
});

describe('running', () => {
  const running = () => press(initialState(snapshot(linear, [])), 'g', 'u', 'y');

  it('ignores keys while revisions run, then re-reads and goes back to the list', () => {
    let s = send(running(), { type: 'runStarted' }, { type: 'runLine', line: { kind: 'revision', text: '▲ <base> → aaaaaaaaaaaa' } });
    s = press(s, 'q', { escape: true });
    expect(s.screen).toBe('running');
    expect(s.quit).toBe(false);
    s = send(s, { type: 'runEnded', ok: true, summary: 'Migrated: the database is now at dddddddddddd.' });
    expect(s.run?.status).toBe('done');
    expect(s.reloading).toBe(true);
    s = send(s, { type: 'snapshot', snapshot: snapshot(linear, ['dddddddddddd']) });
    expect(s.rows[0]).toMatchObject({ id: 'dddddddddddd', current: true });
    s = press(s, { return: true });
    expect(s.screen).toBe('list');
    expect(s.notice).toMatch(/now at dddddddddddd/);
  });

  it('while another process holds the lock, c cancels the wait', () => {
    let s = send(running(), { type: 'runWaiting' });
    expect(s.run?.status).toBe('waiting');
    s = press(s, 'c');
    expect(s.run?.status).toBe('cancelling');
    s = send(s, { type: 'runWaiting' }, { type: 'runEnded', ok: false, cancelled: true, summary: 'Cancelled while waiting for the lock: nothing was run.' });
    expect(s.run?.status).toBe('cancelled');
  });

  it('keeps a failure with its message until a key is pressed', () => {
    const s = send(running(), { type: 'runEnded', ok: false, error: 'revision bbbbbbbbbbbb failed in upgrade: boom\n  statement: SELECT boom', summary: 'Failed: the database stays at aaaaaaaaaaaa.' });
    expect(s.run).toMatchObject({ status: 'failed', error: expect.stringContaining('statement: SELECT boom') });
    expect(s.screen).toBe('running');
  });
});

describe('details and help', () => {
  it('enter opens the detail view, tab cycles operations/SQL/schema, esc goes back; scrolling stays in range', () => {
    let s = press(initialState(snapshot(linear, [])), { return: true });
    expect(s.screen).toBe('detail');
    expect(s.tab).toBe('operations');
    s = press(s, { tab: true });
    expect(s.tab).toBe('sql');
    s = press(s, '3');
    expect(s.tab).toBe('schema');
    s = reducer(s, { type: 'key', input: 'j', key: {}, rows: 10, maxScroll: 1 });
    s = reducer(s, { type: 'key', input: 'j', key: {}, rows: 10, maxScroll: 1 });
    expect(s.scroll).toBe(1);
    s = press(s, { escape: true });
    expect(s.screen).toBe('list');
  });

  it('a revision whose module fails to load is marked in the list once found, once', () => {
    let s = initialState(snapshot(linear, []));
    s = send(s, { type: 'loadFailed', id: 'bbbbbbbbbbbb', error: 'boom' }, { type: 'loadFailed', id: 'bbbbbbbbbbbb', error: 'boom' });
    expect(s.rows.find((r) => r.id === 'bbbbbbbbbbbb')?.problems).toEqual(['cannot load: boom']);
  });

  it('? shows the keys and any key closes them', () => {
    let s = press(initialState(snapshot(linear, [])), '?');
    expect(s.showHelp).toBe(true);
    s = press(s, 'x');
    expect(s.showHelp).toBe(false);
  });

  it('q and ctrl-c quit', () => {
    expect(press(initialState(snapshot(linear, [])), 'q').quit).toBe(true);
    expect(reducer(initialState(snapshot(linear, [])), { type: 'key', input: 'c', key: { ctrl: true }, rows: 10 }).quit).toBe(true);
  });

  it('selection survives a re-read when the revision is still there', () => {
    let s = press(initialState(snapshot(linear, [])), 'G', 'k');
    expect(selectedRow(s)?.id).toBe('aaaaaaaaaaaa');
    s = send(s, { type: 'snapshot', snapshot: snapshot(linear, ['aaaaaaaaaaaa']) });
    expect(selectedRow(s)?.id).toBe('aaaaaaaaaaaa');
  });
});

describe('what a downgrade destroys', () => {
  it('counts dropped tables, columns, enum values and deleted rows, and names dropped types', () => {
    const probes = lossProbes([
      { kind: 'dropTable', table: { name: 'posts', columns: [], primaryKey: null, uniques: [], indexes: [], foreignKeys: [], checks: [] } },
      { kind: 'dropColumn', table: 'users', column: { name: 'Karma', type: 'integer', nullable: true, default: null } },
      { kind: 'rebuildEnum', type: 'mood', from: ['ok', 'meh'], to: ['ok'], columns: [{ table: 'users', column: 'mood', nullable: false }], fates: {} },
      { kind: 'dropEnum', name: 'mood', values: ['ok'] },
      { kind: 'renameColumn', table: 'users', from: 'a', to: 'b' },
    ]);
    expect(probes.map((p) => p.what)).toEqual(['table posts', 'column users.Karma', "enum value 'meh' of mood", 'enum type mood']);
    expect(probes[1].sql).toBe('SELECT count("Karma")::bigint AS n FROM "users"');
    expect(probes[2].sql).toContain(`"mood"::text = 'meh'`);
    expect(probes[3].sql).toBeNull();
  });
});
