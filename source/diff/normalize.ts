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

/**
 * An SQL expression a model carries (CHECK, generated, index expression or
 * predicate) as the diff compares it. PostgreSQL stores these as parse trees
 * and prints them back its own way: every operator expression parenthesised
 * (`((a > 0) AND (b > 0))`), implicit casts spelled out (`(email)::text`,
 * `''::text`, `0::numeric`, `'admin'::user_role`), keywords upper-cased, and a
 * CHECK as `CHECK (…)` (`NOT VALID` until validated). Both sides are brought
 * to one spelling, token by token:
 * - casts after a literal, a number or a (parenthesised) column are dropped;
 * - parentheses that are not a call's are dropped unless they hold a
 *   top-level AND/OR or a list (precedence between arithmetic operators is
 *   not told apart: `a * (b + c)` and `a * b + c` compare equal, a rare edit
 *   traded for never seeing PostgreSQL's extra parentheses as a change);
 * - names and keywords lower-cased, quotes dropped from plain names,
 *   whitespace collapsed.
 */
export function normalizeExpr(expr: string | null | undefined): string | null {
  if (expr === null || expr === undefined) return null;
  let e = expr.trim().replace(/;\s*$/, '');
  const check = /^CHECK\s*\(([\s\S]*)\)(\s+NOT\s+VALID)?$/i.exec(e);
  if (check && balanced(check[1])) e = check[1];
  let tokens = tokenize(e);
  for (;;) {
    const next = dropParens(dropCasts(tokens));
    if (next.length === tokens.length) break;
    tokens = next;
  }
  return tokens.join(' ');
}

const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|::|[()[\],]|\s+|[^\sA-Za-z0-9_'"()[\],]+/g;
const isName = (t: string | undefined) => !!t && (/^[a-z_][a-z0-9_$]*$/.test(t) || t.startsWith('"'));
const isLiteral = (t: string | undefined) => !!t && (t.startsWith("'") || /^\d/.test(t));
// Words that may stand before a grouping parenthesis (not a function call).
const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'when', 'then', 'else', 'case', 'like', 'ilike', 'between', 'distinct', 'from']);
// Words that continue a multi-word type name after `::`.
const TYPE_WORDS = new Set(['varying', 'precision', 'with', 'without', 'time', 'zone']);

function tokenize(e: string): string[] {
  return (e.match(TOKEN) ?? [])
    .filter((t) => !/^\s+$/.test(t))
    .map((t) => {
      if (t.startsWith("'")) return t;
      if (t.startsWith('"')) return /^"[a-z_][a-z0-9_$]*"$/.test(t) ? t.slice(1, -1) : t;
      return t.toLowerCase();
    });
}

/** Index of the parenthesis matching the one at `open` (or -1). */
function closing(tokens: readonly string[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i] === '(' || tokens[i] === '[') depth++;
    else if (tokens[i] === ')' || tokens[i] === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function opening(tokens: readonly string[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (tokens[i] === ')' || tokens[i] === ']') depth++;
    else if (tokens[i] === '(' || tokens[i] === '[') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const isCall = (tokens: readonly string[], open: number) => {
  const before = tokens[open - 1];
  return isName(before) && !KEYWORDS.has(before!);
};

function dropCasts(tokens: readonly string[]): string[] {
  const out = [...tokens];
  for (let i = out.length - 1; i > 0; i--) {
    if (out[i] !== '::') continue;
    // The type: a name (possibly several words), `(n, m)`, `[]`s.
    let end = i + 1;
    if (!isName(out[end])) continue;
    end++;
    while (TYPE_WORDS.has(out[end] ?? '')) end++;
    if (out[end] === '(') {
      const c = closing(out, end);
      if (c < 0) continue;
      end = c + 1;
    }
    while (out[end] === '[' && out[end + 1] === ']') end += 2;
    const prev = out[i - 1];
    let term = isLiteral(prev) || (isName(prev) && !KEYWORDS.has(prev!));
    if (prev === ')') {
      const o = opening(out, i - 1);
      term = o >= 0 && !isCall(out, o) && i - 1 - o === 2;
    }
    if (term) out.splice(i, end - i);
  }
  return out;
}

function dropParens(tokens: readonly string[]): string[] {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== '(' || isCall(tokens, i)) continue;
    const c = closing(tokens, i);
    if (c < 0) return [...tokens];
    const inner = tokens.slice(i + 1, c);
    const whole = i === 0 && c === tokens.length - 1;
    let depth = 0;
    let logic = false;
    let list = false;
    for (const t of inner) {
      if (t === '(' || t === '[') depth++;
      else if (t === ')' || t === ']') depth--;
      else if (depth === 0 && (t === 'and' || t === 'or')) logic = true;
      else if (depth === 0 && t === ',') list = true;
    }
    // Parentheses around the whole expression group nothing (unless they make a row).
    if (inner.length > 0 && !list && (whole || !logic)) {
      return [...tokens.slice(0, i), ...inner, ...tokens.slice(c + 1)];
    }
  }
  return [...tokens];
}
