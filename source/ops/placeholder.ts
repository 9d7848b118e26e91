/**
 * A neutral value of a column's type ('' for text, 0 for numbers, false,
 * the epoch, the first enum value…), for bringing back a NOT NULL column whose
 * values are gone: the schema is restored exactly and the revision says so.
 */
import type { Column } from '../schema/types.js';
import { ident } from '../util/sql-text.js';
import type { Backfill } from './types.js';

export function placeholderFor(c: Column): { backfill: Backfill; text: string } | null {
  const type = c.type.toLowerCase();
  if (type.endsWith('[]')) return { backfill: { sql: "'{}'" }, text: 'an empty array' };
  if (c.enumType) return { backfill: { sql: `(enum_range(NULL::${ident(c.enumType)}))[1]` }, text: `the first value of ${c.enumType}` };
  const vector = /^vector\((\d+)\)$/.exec(type);
  if (vector) return { backfill: { sql: `array_fill(0, ARRAY[${vector[1]}])::${type}` }, text: 'a zero vector' };
  const base = type.replace(/\(.*\)/, '').trim();
  const values: Record<string, [unknown, string]> = {
    text: ['', "''"],
    'character varying': ['', "''"],
    character: ['', "''"],
    smallint: [0, '0'],
    integer: [0, '0'],
    bigint: [0, '0'],
    numeric: [0, '0'],
    real: [0, '0'],
    'double precision': [0, '0'],
    boolean: [false, 'false'],
    date: ['1970-01-01', "'1970-01-01'"],
    'timestamp with time zone': ['1970-01-01 00:00:00+00', 'the epoch'],
    'timestamp without time zone': ['1970-01-01 00:00:00', 'the epoch'],
    'time without time zone': ['00:00', "'00:00'"],
    interval: ['0', "'0'"],
    uuid: ['00000000-0000-0000-0000-000000000000', 'the nil UUID'],
    jsonb: ['{}', "'{}'"],
    json: ['{}', "'{}'"],
    bytea: ['', "''"],
    inet: ['0.0.0.0', "'0.0.0.0'"],
  };
  const v = values[base];
  return v ? { backfill: { value: v[0] }, text: v[1] } : null;
}
