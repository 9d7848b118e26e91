/**
 * A long step's progress in words and a bar: how much is done of how much,
 * the rate, and the time left. Pure: the runner reports what it knows
 * (runner/run-options.ts ProgressEvent), the index build's counters come
 * from pg_stat_progress_create_index, and each screen (plain CLI, wizard,
 * browser) shows the same line.
 */
import type { ProgressEvent } from '../runner/run-options.js';
import { elapsedText } from './elapsed.js';

export interface Progress {
  readonly label: string;
  /** Share of the work done, 0..1, or null while not known. */
  readonly fraction: number | null;
  /** What is counted, done so far and in all (null: not known), e.g. rows. */
  readonly done: number;
  readonly total: number | null;
  /** The total is an estimate (rows still to find in pages not read yet). */
  readonly estimated?: boolean;
  readonly unit: string;
  readonly elapsedMs: number;
  readonly finished: boolean;
}

/** One row of pg_stat_progress_create_index, as read (numbers may come back as strings). */
export interface IndexBuildRow {
  readonly phase: string;
  readonly blocks_done: number | string;
  readonly blocks_total: number | string;
  readonly tuples_done: number | string;
  readonly tuples_total: number | string;
}

/**
 * A batched backfill: the share is the pages passed (the rows to change are
 * found on the way, so their total is the rows so far scaled to the whole table).
 */
export function batchProgress(e: ProgressEvent & { kind: 'batches' }): Progress {
  const fraction = e.done ? 1 : e.pagesTotal > 0 ? Math.min(1, e.pagesDone / e.pagesTotal) : null;
  const total = e.done ? e.rows : fraction && fraction > 0 ? Math.round(e.rows / fraction) : null;
  return { label: `filling ${e.table}.${e.column}`, fraction, done: e.rows, total, estimated: !e.done, unit: 'rows', elapsedMs: e.elapsedMs, finished: e.done };
}

/**
 * A concurrent index build from its progress row: tuples while it sorts or
 * loads them, blocks while it scans the table; the phase names which.
 */
export function indexProgress(index: string, row: IndexBuildRow | undefined, elapsedMs: number, finished = false): Progress {
  const label = `building index ${index}`;
  if (!row) return { label, fraction: finished ? 1 : null, done: 0, total: null, unit: 'rows', elapsedMs, finished };
  const tuples = [Number(row.tuples_done), Number(row.tuples_total)];
  const blocks = [Number(row.blocks_done), Number(row.blocks_total)];
  const [done, total, unit] = tuples[1] > 0 ? [tuples[0], tuples[1], 'rows'] : [blocks[0], blocks[1], 'blocks'];
  return { label: `${label} (${row.phase})`, fraction: finished ? 1 : total > 0 ? Math.min(1, done / total) : null, done, total: total > 0 ? total : null, unit, elapsedMs, finished };
}

const BAR = 16;

function bar(fraction: number): string {
  const full = Math.round(fraction * BAR);
  return `[${'#'.repeat(full)}${'-'.repeat(BAR - full)}]`;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** `filling users.karma [########--------] 50% · 120,000 of ~240,000 rows · 40,000 rows/s · about 3.0 s left` */
export function progressText(p: Progress): string {
  const parts = [p.label];
  if (p.fraction !== null) parts.push(`${bar(p.fraction)} ${Math.floor(p.fraction * 100)}%`);
  const head = parts.join(' ');
  const details = [p.total !== null ? `${count(p.done)} of ${p.estimated ? '~' : ''}${count(p.total)} ${p.unit}` : `${count(p.done)} ${p.unit}`];
  const seconds = p.elapsedMs / 1000;
  if (seconds > 0 && p.done > 0) details.push(`${count(p.done / seconds)} ${p.unit}/s`);
  if (p.finished) details.push(`in ${elapsedText(p.elapsedMs)}`);
  else if (p.fraction !== null && p.fraction > 0) details.push(`about ${elapsedText((p.elapsedMs * (1 - p.fraction)) / p.fraction)} left`);
  else details.push(elapsedText(p.elapsedMs));
  return `${head} · ${details.join(' · ')}`;
}
