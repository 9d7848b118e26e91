/**
 * The name PostgreSQL gives an identity column's sequence, and how a rename
 * keeps it. PostgreSQL names the sequence once, when the identity is made
 * (`<table>_<column>_seq`, shortened to fit 63 bytes); renaming the table or
 * the column later leaves that name alone. A `Column` carries `sequence` only
 * when its sequence's name differs from the one a new table would get, so
 * models (which never name sequences) and a fresh database agree.
 */
import type { Column, Table } from './types.js';

const NAME_BYTES = 63;

/** The first `bytes` bytes of `s`, never splitting a character (PostgreSQL's pg_mbcliplen). */
function clip(s: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
}

/**
 * PostgreSQL's makeObjectName(table, column, 'seq'): the longer of the two
 * names loses a byte at a time until the whole fits.
 */
export function identitySequenceName(table: string, column: string): string {
  const avail = NAME_BYTES - ('seq'.length + 1) - 1;
  let a = Buffer.byteLength(table);
  let b = Buffer.byteLength(column);
  while (a + b > avail) {
    if (a > b) a--;
    else b--;
  }
  return `${clip(table, a)}_${clip(column, b)}_seq`;
}

/** The sequence an identity column uses, by name; null for a column without identity. */
export function sequenceOf(table: string, c: Column): string | null {
  return c.identity ? (c.sequence ?? identitySequenceName(table, c.name)) : null;
}

/** `c` with `sequence` written as the convention says: absent when it is the default one, or when there is no identity. */
export function withSequence(table: string, c: Column, sequence: string | null): Column {
  const { sequence: _old, ...rest } = c;
  return c.identity && sequence !== null && sequence !== identitySequenceName(table, c.name) ? { ...rest, sequence } : rest;
}

/**
 * A table renamed, or one of its columns, as PostgreSQL does it: every
 * identity sequence keeps the name it had, which may now differ from the
 * default one (or, renamed back, equal it again).
 */
export function renameKeepingSequences(t: Table, to: { table?: string; column?: { from: string; to: string } }): Table {
  const name = to.table ?? t.name;
  return {
    ...t,
    name,
    columns: t.columns.map((c) => {
      const seq = sequenceOf(t.name, c);
      const renamed = to.column && c.name === to.column.from ? { ...c, name: to.column.to } : c;
      return withSequence(name, renamed, seq);
    }),
  };
}
