/**
 * What PostgreSQL normalises, normalised the same way on both sides, so a
 * freshly migrated database compares equal to its models.
 */
import type { Column } from '../schema/types.js';

// `format_type()` spellings for the aliases a hand-written revision or a
// database created elsewhere may use.
const TYPE_ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  int2: 'smallint',
  int8: 'bigint',
  serial: 'integer',
  bigserial: 'bigint',
  smallserial: 'smallint',
  float8: 'double precision',
  float: 'double precision',
  float4: 'real',
  bool: 'boolean',
  varchar: 'character varying',
  char: 'character',
  decimal: 'numeric',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
};

export function normalizeType(type: string): string {
  let t = type.trim().replace(/\s+/g, ' ').toLowerCase();
  let arraySuffix = '';
  while (t.endsWith('[]')) {
    arraySuffix += '[]';
    t = t.slice(0, -2).trim();
  }
  const m = /^([a-z_][a-z0-9_ ]*?)\s*(\(.*\))?$/.exec(t);
  if (m) {
    const base = TYPE_ALIASES[m[1]] ?? m[1];
    const mods = m[2] ? m[2].replace(/\s+/g, '') : '';
    t = base + mods;
  }
  return t + arraySuffix;
}

/**
 * A default expression without the casts PostgreSQL adds when it stores one
 * (`'active'::userstatus` → `'active'`, `(-1)` → `-1`), with keywords
 * lower-cased outside string literals.
 */
export function normalizeDefault(expr: string | null | undefined): string | null {
  if (expr === null || expr === undefined) return null;
  let e = expr.trim();
  for (;;) {
    const stripped = stripTrailingCast(e);
    const unwrapped = stripParens(stripped);
    if (unwrapped === e) break;
    e = unwrapped;
  }
  // PostgreSQL prints a negative or huge number default as a quoted literal
  // with a cast ('-1'::integer); the type comparison already covers the cast.
  const quotedNumber = /^'(-?\d+(?:\.\d+)?)'$/.exec(e);
  if (quotedNumber) return quotedNumber[1];
  if (/^'.*'$/s.test(e)) return e; // a literal: keep exactly
  const lower = lowerOutsideLiterals(e.replace(/\s+/g, ' '));
  if (lower === 'current_timestamp' || lower === 'now()' || lower === 'transaction_timestamp()') return 'now()';
  return lower;
}

/** Keywords and function names fold to lower case; string literals keep their case. */
function lowerOutsideLiterals(e: string): string {
  return e.split(/('(?:[^']|'')*')/).map((part, i) => (i % 2 === 1 ? part : part.toLowerCase())).join('');
}

const CAST_TYPE = /^(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_ ]*)(?:\([\d, ]+\))?(?:\[\])*$/i;

/** Drops a trailing `::type` (a quoted type name too) after a complete term. */
function stripTrailingCast(e: string): string {
  const at = lastTopLevelCast(e);
  if (at < 0) return e;
  const head = e.slice(0, at).trim();
  const type = e.slice(at + 2).trim();
  return CAST_TYPE.test(type) && isCompleteTerm(head) ? head : e;
}

/** Index of the last `::` outside string literals, quoted names and parentheses. */
function lastTopLevelCast(e: string): number {
  let depth = 0;
  let quote: string | null = null;
  let found = -1;
  for (let i = 0; i < e.length; i++) {
    const ch = e[i];
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ':' && e[i + 1] === ':' && depth === 0) {
      found = i;
      i++;
    }
  }
  return found;
}

function isCompleteTerm(s: string): boolean {
  if (/^'(?:[^']|'')*'$/s.test(s)) return true;
  if (/^-?\d+(\.\d+)?$/.test(s)) return true;
  if (/^\(.*\)$/s.test(s) && balanced(s.slice(1, -1))) return true;
  if (/^[a-z_][a-z0-9_]*$/i.test(s)) return true;
  return false;
}

function stripParens(e: string): string {
  if (e.startsWith('(') && e.endsWith(')') && balanced(e.slice(1, -1))) return e.slice(1, -1).trim();
  return e;
}

function balanced(s: string): boolean {
  let depth = 0;
  let inString = false;
  for (const ch of s) {
    if (ch === "'") inString = !inString;
    if (inString) continue;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) return false;
  }
  return depth === 0 && !inString;
}

/** Type text as the diff compares it: enums by their type name. */
export function columnTypeKey(c: Pick<Column, 'type' | 'enumType'>): string {
  return normalizeType(c.type);
}

export function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** View text compared without whitespace differences and a trailing semicolon. */
export function normalizeViewSql(sql: string): string {
  return sql.trim().replace(/;\s*$/, '').replace(/\s+/g, ' ');
}
