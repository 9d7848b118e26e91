/**
 * The revision browser as a pure state machine: selection, filter, the
 * detail view, and the plans behind "up to here" and "down to here" with
 * their confirmation. No React, no I/O: loading details, reading row
 * counts, running revisions and re-reading the history are effects the
 * view performs when the state asks for them, feeding results back as
 * actions. Keys go through the reducer too, so a key typed before the
 * screen redraws acts on the latest state.
 */
import { UserError } from '../errors.js';
import { chunkKeys, isChunk } from '../util/key-chunk.js';
import type { KeyInfo } from '../wizard/wizard-state.js';
import { BASE, buildRows } from './rows.js';
import type { Row } from './rows.js';
import type { Snapshot } from './snapshot.js';

export type Direction = 'upgrade' | 'downgrade';
export type Screen = 'list' | 'detail' | 'confirm' | 'running';
export type DetailTab = 'operations' | 'sql' | 'schema';
export const DETAIL_TABS: readonly DetailTab[] = ['operations', 'sql', 'schema'];

export interface Plan {
  readonly direction: Direction;
  /** A revision id, or `base`. */
  readonly target: string;
  /** Revisions in the order they will run (oldest first up, newest first down). */
  readonly ids: readonly string[];
}

/** Something a downgrade destroys, with the rows that hold it now (null: could not be counted). */
export interface LossItem {
  readonly what: string;
  readonly rows: number | null;
  readonly unit: string;
}

export interface RunLine {
  readonly kind: 'revision' | 'statement' | 'info' | 'error';
  readonly text: string;
}

export interface RunState {
  readonly plan: Plan;
  /** `starting`: the view should start it; `waiting`: another process holds the lock. */
  readonly status: 'starting' | 'waiting' | 'running' | 'done' | 'failed' | 'cancelling' | 'cancelled';
  readonly lines: readonly RunLine[];
  readonly error: string | null;
  /** The bar of a long step (a batched backfill, an index build) while it goes. */
  readonly progress?: string | null;
}

export interface BrowserState {
  readonly snapshot: Snapshot;
  readonly rows: readonly Row[];
  /** The selected row's id: kept across filtering and re-reading. */
  readonly selectedId: string;
  readonly filter: string;
  readonly filtering: boolean;
  readonly screen: Screen;
  readonly showHelp: boolean;
  readonly tab: DetailTab;
  readonly scroll: number;
  readonly confirm: { readonly plan: Plan; readonly loss: readonly LossItem[] | null; readonly lossError: string | null } | null;
  readonly run: RunState | null;
  /** One line under the list: why a key did nothing, what just happened. */
  readonly notice: string | null;
  /** Set by `r` and after a run: the view re-reads files and database. */
  readonly reloading: boolean;
  readonly quit: boolean;
}

export type Action =
  | { type: 'key'; input: string; key: KeyInfo; rows: number; maxScroll?: number }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'reloadFailed'; error: string }
  | { type: 'loadFailed'; id: string; error: string }
  | { type: 'loss'; items: readonly LossItem[] }
  | { type: 'lossFailed'; error: string }
  | { type: 'runStarted' }
  | { type: 'runWaiting' }
  | { type: 'runLine'; line: RunLine }
  | { type: 'runProgress'; text: string | null }
  | { type: 'runEnded'; ok: boolean; cancelled?: boolean; error?: string; summary: string };

export function initialState(snapshot: Snapshot): BrowserState {
  const rows = buildRows(snapshot);
  const current = rows.find((r) => r.current && !r.broken) ?? rows[0];
  return {
    snapshot,
    rows,
    selectedId: current.id,
    filter: '',
    filtering: false,
    screen: 'list',
    showHelp: false,
    tab: 'operations',
    scroll: 0,
    confirm: null,
    run: null,
    notice: null,
    reloading: false,
    quit: false,
  };
}

/** Rows the filter keeps (by id, message or file name); `<base>` always stays as the way down to nothing. */
export function visibleRows(s: BrowserState): readonly Row[] {
  const f = s.filter.trim().toLowerCase();
  if (!f) return s.rows;
  return s.rows.filter((r) => r.id === BASE || r.id.toLowerCase().includes(f) || r.message.toLowerCase().includes(f) || (r.file ?? '').toLowerCase().includes(f));
}

export function selectedRow(s: BrowserState): Row | undefined {
  return s.rows.find((r) => r.id === s.selectedId);
}

function short(id: string): string {
  return id === BASE ? BASE : id.slice(0, 12);
}

/** The plan for `u` / `d` on a row, or why there is none. */
export function planFor(s: BrowserState, direction: Direction, row: Row): Plan | string {
  if (row.broken) return `${row.id} cannot be read: fix the file first (r re-reads)`;
  const { graph, heads } = s.snapshot;
  if (direction === 'upgrade') {
    if (row.id === BASE) return '<base> is below every revision: press d to step down to it';
    if (row.applied) return `${short(row.id)} is already applied${row.current ? ' (the database is there)' : ''}: press d to step back to it`;
    try {
      return { direction, target: row.id, ids: graph.upgradePlan(heads, row.id) };
    } catch (e) {
      if (e instanceof UserError) return e.message;
      throw e;
    }
  }
  if (!row.applied) return `${short(row.id)} is not applied: press u to migrate up to it`;
  const target = row.id === BASE ? 'base' : row.id;
  try {
    const ids = graph.downgradePlan(heads, target);
    if (ids.length === 0) return `the database is at ${short(row.id)}: nothing above it to step back`;
    return { direction, target, ids };
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
}

function withSnapshot(s: BrowserState, snapshot: Snapshot): BrowserState {
  const rows = buildRows(snapshot);
  const keep = rows.some((r) => r.id === s.selectedId);
  const current = rows.find((r) => r.current && !r.broken) ?? rows[0];
  return { ...s, snapshot, rows, selectedId: keep ? s.selectedId : current.id, reloading: false };
}

function move(s: BrowserState, by: number): BrowserState {
  const rows = visibleRows(s);
  if (rows.length === 0) return s;
  const at = Math.max(0, rows.findIndex((r) => r.id === s.selectedId));
  const next = Math.min(rows.length - 1, Math.max(0, at + by));
  return { ...s, selectedId: rows[next].id, notice: null, scroll: 0 };
}

/** After the filter changes, the selection moves to the first row it keeps if it lost its own. */
function refilter(s: BrowserState, filter: string): BrowserState {
  const next = { ...s, filter };
  const rows = visibleRows(next);
  if (rows.some((r) => r.id === s.selectedId)) return next;
  return { ...next, selectedId: rows[0]?.id ?? s.selectedId };
}

function ask(s: BrowserState, direction: Direction): BrowserState {
  const row = selectedRow(s);
  if (!row) return s;
  const plan = planFor(s, direction, row);
  if (typeof plan === 'string') return { ...s, notice: plan };
  // An upgrade destroys nothing, so it has no row counts to wait for.
  return { ...s, screen: 'confirm', confirm: { plan, loss: direction === 'upgrade' ? [] : null, lossError: null }, notice: null };
}

function isQuit(input: string, key: KeyInfo): boolean {
  return (key.ctrl === true && input === 'c') || input === 'q';
}

function listKey(s: BrowserState, input: string, key: KeyInfo, rows: number): BrowserState {
  if (s.filtering) {
    if (key.ctrl && input === 'c') return { ...s, quit: true };
    if (key.return || key.upArrow || key.downArrow) {
      const done = { ...s, filtering: false };
      return key.return ? done : move(done, key.upArrow ? -1 : 1);
    }
    if (key.escape) return refilter({ ...s, filtering: false }, '');
    if (key.backspace || key.delete) return refilter(s, s.filter.slice(0, -1));
    if (input && !key.ctrl && !key.meta) return refilter(s, s.filter + input.replace(/[\r\n]/g, ''));
    return s;
  }
  if (key.upArrow || input === 'k') return move(s, -1);
  if (key.downArrow || input === 'j') return move(s, 1);
  if (key.pageUp) return move(s, -rows);
  if (key.pageDown || input === ' ') return move(s, rows);
  if (input === 'g' || key.home) return move(s, -Infinity);
  if (input === 'G' || key.end) return move(s, Infinity);
  if (key.return || key.rightArrow) return { ...s, screen: 'detail', scroll: 0, notice: null };
  if (input === 'u') return ask(s, 'upgrade');
  if (input === 'd') return ask(s, 'downgrade');
  if (input === '/') return { ...s, filtering: true, notice: null };
  if (key.escape && s.filter) return refilter(s, '');
  if (input === 'r') return { ...s, reloading: true, notice: 'Re-reading the revision files and the database…' };
  if (isQuit(input, key)) return { ...s, quit: true };
  return s;
}

function detailKey(s: BrowserState, input: string, key: KeyInfo, rows: number, maxScroll: number): BrowserState {
  const scrollTo = (n: number) => ({ ...s, scroll: Math.min(maxScroll, Math.max(0, n)) });
  if (key.escape || key.leftArrow || key.backspace) return { ...s, screen: 'list' };
  if (key.tab || input === 'l') return { ...s, tab: DETAIL_TABS[(DETAIL_TABS.indexOf(s.tab) + (key.shift ? 2 : 1)) % 3], scroll: 0 };
  if (input === '1' || input === '2' || input === '3') return { ...s, tab: DETAIL_TABS[Number(input) - 1], scroll: 0 };
  if (key.upArrow || input === 'k') return scrollTo(s.scroll - 1);
  if (key.downArrow || input === 'j') return scrollTo(s.scroll + 1);
  if (key.pageUp) return scrollTo(s.scroll - rows);
  if (key.pageDown || input === ' ') return scrollTo(s.scroll + rows);
  if (input === 'g' || key.home) return scrollTo(0);
  if (input === 'G' || key.end) return scrollTo(maxScroll);
  if (input === 'u') return ask(s, 'upgrade');
  if (input === 'd') return ask(s, 'downgrade');
  if (isQuit(input, key)) return { ...s, quit: true };
  return s;
}

function confirmKey(s: BrowserState, input: string, key: KeyInfo): BrowserState {
  if (!s.confirm) return s;
  if (input === 'n' || key.escape || key.leftArrow) return { ...s, screen: 'list', confirm: null, notice: 'Nothing was run.' };
  if (key.ctrl && input === 'c') return { ...s, quit: true };
  if (input === 'y' || key.return) {
    // Not before the user has seen what a downgrade would destroy.
    if (s.confirm.loss === null && s.confirm.lossError === null) return { ...s, notice: 'Still counting the rows at stake…' };
    return { ...s, screen: 'running', run: { plan: s.confirm.plan, status: 'starting', lines: [], error: null }, confirm: null, notice: null };
  }
  return s;
}

function runningKey(s: BrowserState, input: string, key: KeyInfo): BrowserState {
  const run = s.run;
  if (!run) return s;
  if (run.status === 'waiting' && (input === 'c' || key.escape || (key.ctrl && input === 'c')))
    return { ...s, run: { ...run, status: 'cancelling' } };
  const finished = run.status === 'done' || run.status === 'failed' || run.status === 'cancelled';
  if (!finished) return { ...s, notice: 'Running: wait for it to finish (each revision is all or nothing).' };
  if (key.return || key.escape || input === ' ') return { ...s, screen: 'list', run: null, notice: s.notice };
  if (isQuit(input, key)) return { ...s, quit: true };
  return s;
}

export function reducer(s: BrowserState, a: Action): BrowserState {
  switch (a.type) {
    case 'key': {
      if (s.showHelp && !s.filtering) return { ...s, showHelp: false };
      if (a.input === '?' && !s.filtering && s.screen !== 'running') return { ...s, showHelp: true };
      // A chunk of several plain keys (typed fast, or pasted) is pressed one key at a time.
      // Enter, Tab and Backspace inside the chunk are those keys ("Enter Tab Tab" opens a revision and turns two tabs).
      if (isChunk(a.input) && !a.key.ctrl && !a.key.meta && !(s.screen === 'list' && s.filtering && !/[\r\n]/.test(a.input)))
        return chunkKeys(a.input).reduce((st, k) => reducer(st, { ...a, ...k }), s);
      switch (s.screen) {
        case 'list':
          return listKey(s, a.input, a.key, a.rows);
        case 'detail':
          return detailKey(s, a.input, a.key, a.rows, a.maxScroll ?? Number.MAX_SAFE_INTEGER);
        case 'confirm':
          return confirmKey(s, a.input, a.key);
        case 'running':
          return runningKey(s, a.input, a.key);
      }
      return s;
    }
    case 'snapshot':
      return withSnapshot(s, a.snapshot);
    case 'reloadFailed':
      return { ...s, reloading: false, notice: `Could not re-read: ${a.error}` };
    case 'loadFailed':
      // A file whose header reads but whose module does not load: marked in the list once found.
      return {
        ...s,
        rows: s.rows.map((r) => (r.id === a.id && !r.problems.some((p) => p.startsWith('cannot load')) ? { ...r, problems: [...r.problems, `cannot load: ${a.error}`] } : r)),
      };
    case 'loss':
      return s.confirm ? { ...s, confirm: { ...s.confirm, loss: a.items } } : s;
    case 'lossFailed':
      return s.confirm ? { ...s, confirm: { ...s.confirm, lossError: a.error } } : s;
    case 'runStarted':
      return s.run ? { ...s, run: { ...s.run, status: 'running' } } : s;
    case 'runWaiting':
      return s.run && s.run.status !== 'cancelling' ? { ...s, run: { ...s.run, status: 'waiting' } } : s;
    case 'runProgress':
      return s.run ? { ...s, run: { ...s.run, progress: a.text } } : s;
    case 'runLine':
      return s.run ? { ...s, run: { ...s.run, status: s.run.status === 'waiting' ? 'running' : s.run.status, lines: [...s.run.lines, a.line] } } : s;
    case 'runEnded': {
      if (!s.run) return s;
      const status = a.cancelled ? 'cancelled' : a.ok ? 'done' : 'failed';
      return { ...s, run: { ...s.run, status, error: a.error ?? null }, notice: a.summary, reloading: true };
    }
  }
}
