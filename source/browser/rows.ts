/**
 * The history as the browser lists it: newest first, one row per revision
 * plus `<base>` at the bottom, each with its state in the database and a
 * narrow graph drawing (one lane per open branch, as `git log --graph`
 * does) so several heads and their merge points are visible. Pure.
 */
import { unedited } from '../revisions/files.js';
import type { Snapshot } from './snapshot.js';

export const BASE = '<base>';

export interface Row {
  readonly id: string;
  readonly message: string;
  readonly date: string | null;
  readonly file: string | null;
  readonly applied: boolean;
  /** One of the revisions the version table records. */
  readonly current: boolean;
  /** No revision revises it. */
  readonly head: boolean;
  readonly merge: boolean;
  /** The graph drawing in front of the row. */
  readonly lanes: string;
  /** Why this row needs attention: missing file, edited after applying, … */
  readonly problems: readonly string[];
  /** A file that could not be read as a revision: listed, never a target. */
  readonly broken?: boolean;
  /** A multi-database project: whether each database has applied this revision. */
  readonly databases?: readonly { readonly name: string; readonly applied: boolean }[];
}

/** Dates the template writes look like `2026-11-23 10:12:00`; older files only have their name's `YYYYMMDD_HHMMSS`. */
function dateOf(date: string | undefined, file: string): string | null {
  if (date) return date.slice(0, 16);
  const m = /(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})\d{2}_/.exec(file);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}` : null;
}

/** Lane drawings for ids in newest-first order. */
function drawLanes(order: readonly string[], parentsOf: (id: string) => readonly string[]): Map<string, string> {
  const lanes: (string | null)[] = [];
  const drawn = new Map<string, string>();
  for (const id of order) {
    let col = lanes.indexOf(id);
    if (col < 0) {
      col = lanes.indexOf(null);
      if (col < 0) col = lanes.push(null) - 1;
      lanes[col] = id;
    }
    // Other lanes waiting for this revision end here: it is a branch point.
    const joining = lanes.flatMap((l, i) => (l === id && i !== col ? [i] : []));
    drawn.set(id, lanes.map((l, i) => (i === col ? '●' : joining.includes(i) ? '┘' : l ? '│' : ' ')).join(''));
    for (const j of joining) lanes[j] = null;
    const [first, ...others] = parentsOf(id);
    lanes[col] = first ?? null;
    for (const p of others) {
      if (lanes.includes(p)) continue;
      const free = lanes.indexOf(null);
      if (free >= 0) lanes[free] = p;
      else lanes.push(p);
    }
    while (lanes.length > 0 && lanes[lanes.length - 1] === null) lanes.pop();
  }
  const width = Math.max(1, ...[...drawn.values()].map((d) => d.length));
  for (const [id, d] of drawn) drawn.set(id, d.padEnd(width));
  return drawn;
}

export function buildRows(s: Snapshot): Row[] {
  const order = s.graph.topological().reverse();
  const lanes = drawLanes(order, (id) => s.graph.parentsOf(id));
  const appliedSet = s.graph.appliedSet(s.heads.filter((h) => s.graph.has(h)));
  const heads = new Set(s.graph.heads());
  const current = new Set(s.heads);
  const files = new Map(s.revisions.map((r) => [r.id, r]));
  // A head no file defines cannot be walked from: such a database shows as applying nothing.
  const everywhere = (s.databases ?? []).map((d) => ({ name: d.name, applied: d.heads.every((h) => s.graph.has(h)) ? s.graph.appliedSet(d.heads) : new Set<string>() }));
  const rows: Row[] = s.broken.map((b) => ({
    id: b.file,
    message: 'cannot be read',
    date: null,
    file: b.file,
    applied: false,
    current: false,
    head: false,
    merge: false,
    lanes: ' '.repeat(lanes.size ? [...lanes.values()][0].length : 1),
    problems: [b.error],
    broken: true,
  }));
  for (const id of order) {
    const rev = s.graph.get(id)!;
    const file = files.get(id)!;
    const record = s.applied.get(id);
    const problems: string[] = [];
    if (s.missing.has(id))
      problems.push(record || current.has(id) ? 'applied to the database, but no revision file defines it' : 'a revision revises it, but no revision file defines it');
    else if (record && !unedited(file, record.checksum)) problems.push('its file was edited after it was applied (moves stop until it is restored, or run with --ignore-checksums)');
    rows.push({
      id,
      message: rev.message,
      date: dateOf(file.date, file.file),
      file: file.file || null,
      applied: appliedSet.has(id),
      current: current.has(id),
      head: heads.has(id),
      merge: s.graph.parentsOf(id).length > 1,
      lanes: lanes.get(id)!,
      problems,
      ...(s.databases ? { databases: everywhere.map((d) => ({ name: d.name, applied: d.applied.has(id) })) } : {}),
    });
  }
  rows.push({
    id: BASE,
    message: 'empty database',
    date: null,
    file: null,
    applied: true,
    current: s.heads.length === 0,
    head: false,
    merge: false,
    lanes: ' '.repeat(lanes.size ? [...lanes.values()][0].length : 1),
    problems: [],
  });
  return rows;
}
