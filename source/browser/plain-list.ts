/**
 * The browser's history as plain lines, for a terminal that cannot redraw
 * (TERM=dumb) or a user who asked for `--plain`: the same rows the browser
 * lists (graph, id, date, state, message, problems), newest first, and
 * where the database stands, with no cursor movement at all. Pure.
 */
import { BASE, buildRows } from './rows.js';
import type { Row } from './rows.js';
import type { Snapshot } from './snapshot.js';

function state(r: Row): string {
  if (r.broken) return 'unreadable';
  if (r.current) return r.id === BASE ? 'current' : r.head ? 'current · head' : 'current';
  if (r.id === BASE) return '';
  return r.applied ? 'applied' : r.head ? 'pending · head' : 'pending';
}

export function plainListing(snapshot: Snapshot, label: string, database?: string): string[] {
  const rows = buildRows(snapshot);
  const revisions = rows.filter((r) => r.id !== BASE && !r.broken).length;
  const pending = rows.filter((r) => !r.applied && !r.broken).length;
  const at = snapshot.heads.length ? snapshot.heads.join(', ') : BASE;
  const lines = [`${database ? `[${database}] ` : ''}database at ${at} · ${revisions} revision${revisions === 1 ? '' : 's'}${pending ? `, ${pending} pending` : ''} · ${label}`];
  for (const r of rows) {
    const id = r.id === BASE ? BASE : r.id.slice(0, 12);
    const dbs = r.databases ? ' ' + r.databases.map((d) => `${d.name}${d.applied ? '✓' : '·'}`).join(' ') : '';
    const message = r.merge ? `(merge) ${r.message}` : r.message;
    lines.push(`${r.lanes} ${id.padEnd(12)} ${(r.date ?? '').padEnd(16)} ${state(r).padEnd(15)}${dbs} ${message}`.trimEnd());
    for (const p of r.problems) lines.push(`${' '.repeat(r.lanes.length)}   ! ${p}`);
  }
  return lines;
}
