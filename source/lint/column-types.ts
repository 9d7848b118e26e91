/**
 * Whether changing a column's type makes PostgreSQL rewrite the table (and
 * rebuild its indexes) under an ACCESS EXCLUSIVE lock. PostgreSQL skips the
 * rewrite only when the old values are valid, unchanged, as the new type:
 * a varchar made longer or unlimited, varchar → text, a numeric given more
 * precision at the same scale, cidr → inet. Everything else — integer →
 * bigint, text → integer, a varchar made shorter, timestamp ↔ timestamptz
 * (free only on PostgreSQL 12+ with the session time zone at UTC), an enum
 * → text — rewrites, and so does any `USING` expression.
 */

interface ParsedType {
  /** Canonical name: `integer`, `character varying`, `numeric`, … */
  readonly base: string;
  /** Type modifiers: `(255)` → [255], `(10, 2)` → [10, 2]; empty when none. */
  readonly mods: readonly number[];
  /** Array dimensions (`integer[]` → 1). */
  readonly dims: number;
}

/** PostgreSQL's spellings of one type, mapped to the one `format_type()` prints. */
const ALIASES: Readonly<Record<string, string>> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  int8: 'bigint',
  bigint: 'bigint',
  int2: 'smallint',
  smallint: 'smallint',
  varchar: 'character varying',
  'character varying': 'character varying',
  'char varying': 'character varying',
  char: 'character',
  character: 'character',
  bpchar: 'character',
  decimal: 'numeric',
  numeric: 'numeric',
  bool: 'boolean',
  float8: 'double precision',
  float4: 'real',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  time: 'time without time zone',
  'time without time zone': 'time without time zone',
  timetz: 'time with time zone',
  'time with time zone': 'time with time zone',
  varbit: 'bit varying',
  'bit varying': 'bit varying',
};

export function parseType(text: string): ParsedType {
  let t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  let dims = 0;
  // `integer[]`, `text[][]`, and the SQL-standard `integer array`.
  for (;;) {
    const m = /\s*(\[\d*\]|\barray)$/.exec(t);
    if (!m) break;
    dims++;
    t = t.slice(0, m.index).trim();
  }
  // Modifiers sit after the name, or inside `timestamp(3) with time zone`.
  let mods: number[] = [];
  t = t.replace(/\s*\(([^)]*)\)/, (_all, inner: string) => {
    mods = inner.split(',').map((x) => Number(x.trim()));
    return '';
  });
  t = t.replace(/^(pg_catalog|public)\./, '').replace(/"/g, '').replace(/\s+/g, ' ').trim();
  return { base: ALIASES[t] ?? t, mods, dims };
}

/** The new type accepts every old value unchanged, so PostgreSQL keeps the rows as they are. */
function binaryCompatible(from: ParsedType, to: ParsedType): boolean {
  const sameMods = from.mods.length === to.mods.length && from.mods.every((m, i) => m === to.mods[i]);
  if (from.base === to.base && sameMods) return true;
  const unlimited = to.mods.length === 0;
  const varcharLike = (b: string) => b === 'character varying' || b === 'text';
  // varchar(n) → varchar(m ≥ n), varchar, text; text → varchar (no limit).
  if (varcharLike(from.base) && varcharLike(to.base)) {
    if (to.base === 'text' || unlimited) return true;
    return from.base === 'character varying' && from.mods.length > 0 && to.mods[0] >= from.mods[0];
  }
  if (from.base === 'numeric' && to.base === 'numeric') {
    if (unlimited) return true;
    if (from.mods.length === 0) return false;
    const fromScale = from.mods[1] ?? 0;
    const toScale = to.mods[1] ?? 0;
    return fromScale === toScale && to.mods[0] >= from.mods[0];
  }
  if (from.base === 'bit varying' && to.base === 'bit varying') return unlimited || (from.mods.length > 0 && to.mods[0] >= from.mods[0]);
  if (from.base === 'cidr' && to.base === 'inet') return true;
  return false;
}

/**
 * Whether `from` → `to` rewrites the table. `using` (a `USING` expression)
 * always does: PostgreSQL evaluates it for every row.
 */
export function typeChangeRewrites(from: string, to: string, using?: string): boolean {
  if (using && using.trim()) return true;
  const a = parseType(from);
  const b = parseType(to);
  if (a.dims !== b.dims) return true;
  return !binaryCompatible(a, b);
}

/**
 * For raw SQL, where the old type is not written: the targets a type change
 * may reach without a rewrite (text, varchar, numeric, bit varying, inet)
 * are given the benefit of the doubt; any other target (bigint, integer,
 * timestamptz, an enum…) always rewrites.
 */
export function targetMayAvoidRewrite(to: string): boolean {
  const b = parseType(to);
  return ['text', 'character varying', 'numeric', 'bit varying', 'inet'].includes(b.base);
}

/** A short note for the warning when the change is a well-known trap. */
export function rewriteNote(from: string, to: string): string {
  const a = parseType(from).base;
  const b = parseType(to).base;
  const ts = new Set(['timestamp without time zone', 'timestamp with time zone']);
  if (ts.has(a) && ts.has(b)) return ' (timestamp ↔ timestamptz is free only on PostgreSQL 12+ with the session time zone at UTC)';
  if (a === b) return ' (a shorter length, or another precision or scale, makes PostgreSQL convert every row)';
  return '';
}
