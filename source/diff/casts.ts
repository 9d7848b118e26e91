/**
 * Whether `ALTER COLUMN … TYPE` works without a USING clause: PostgreSQL
 * converts with an assignment cast when one exists. When none does, the diff
 * asks for a USING expression instead of writing a revision that fails.
 */
import { normalizeType } from './normalize.js';

const INT = ['smallint', 'integer', 'bigint'];
const NUM = [...INT, 'numeric', 'real', 'double precision'];
const TEXT = ['text', 'character varying', 'character'];

function base(type: string): string {
  return normalizeType(type).replace(/\(.*\)/, '');
}

export function castsWithoutUsing(from: string, to: string, fromIsEnum: boolean, toIsEnum: boolean): boolean {
  const f = base(from);
  const t = base(to);
  if (normalizeType(from) === normalizeType(to)) return true;
  // An array converts element by element, by the cast its element types have.
  const fromArray = from.endsWith('[]');
  if (fromArray !== to.endsWith('[]')) return false;
  if (fromArray) return castsWithoutUsing(from.slice(0, -2), to.slice(0, -2), fromIsEnum, toIsEnum);
  if (toIsEnum) return false; // text → enum and enum → other enum need an explicit cast
  if (fromIsEnum) return TEXT.includes(t); // enum → text/varchar: I/O conversion is an assignment cast
  if (TEXT.includes(t)) return true; // anything → text: assignment via I/O conversion
  if (NUM.includes(f) && NUM.includes(t)) return true;
  if (f === t) return true; // same type, other modifiers (varchar(50) → varchar(100), numeric(10,2) → numeric(12,2))
  const time = ['timestamp with time zone', 'timestamp without time zone', 'date'];
  if (time.includes(f) && time.includes(t)) return true;
  if ((f === 'json' && t === 'jsonb') || (f === 'jsonb' && t === 'json')) return true;
  return false;
}

/**
 * Whether `col::to` is a cast PostgreSQL has: from or to a string type (I/O
 * conversion), within the numbers, integer ↔ boolean, json ↔ jsonb, and
 * the assignment casts. Otherwise the conversion goes through text.
 */
export function hasDirectCast(from: string, to: string, fromIsEnum: boolean, toIsEnum: boolean): boolean {
  if (fromIsEnum || toIsEnum) return false;
  const f = base(from);
  const t = base(to);
  if (TEXT.includes(f) || TEXT.includes(t)) return true;
  if ((f === 'integer' && t === 'boolean') || (f === 'boolean' && t === 'integer')) return true;
  return castsWithoutUsing(from, to, false, false);
}

/** The obvious conversion, offered pre-filled (and used as is when the table is empty). */
export function obviousUsing(columnSql: string, from: string, to: string, toSql: string, fromIsEnum: boolean, toIsEnum: boolean): string {
  return hasDirectCast(from, to, fromIsEnum, toIsEnum) ? `${columnSql}::${toSql}` : `${columnSql}::text::${toSql}`;
}

/**
 * A type change PostgreSQL performs without rewriting the table: widening a
 * varchar, dropping its limit, varchar → text, and numeric precision growth
 * at the same scale. Used to say what a change will cost.
 */
export function isCheapTypeChange(from: string, to: string): boolean {
  const f = normalizeType(from);
  const t = normalizeType(to);
  const vf = /^character varying(?:\((\d+)\))?$/.exec(f);
  const vt = /^character varying(?:\((\d+)\))?$/.exec(t);
  if (vf && vt) return vt[1] === undefined || (vf[1] !== undefined && Number(vt[1]) >= Number(vf[1]));
  if (vf && t === 'text') return true;
  return false;
}
