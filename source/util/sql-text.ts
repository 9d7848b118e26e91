/**
 * Quoting for SQL text that fastedgy writes. Identifiers are quoted only when
 * PostgreSQL would need it, so generated SQL stays readable; every literal is
 * quoted, so nothing a user types is ever spliced into SQL unquoted.
 */

// PostgreSQL's reserved keywords plus the non-reserved ones that cannot be
// column or type names (so quote_ident() quotes them too).
const RESERVED = new Set(`all analyse analyze and any array as asc asymmetric authorization binary both case cast check
collate collation column concurrently constraint create cross current_catalog current_date current_role current_schema
current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign
freeze from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit
localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references
returning right select session_user similar some symmetric system_user table tablesample then to trailing true union
unique user using variadic verbose when where window with between bigint bit boolean char character coalesce dec decimal
exists extract float greatest grouping inout int integer interval json json_array json_arrayagg json_exists
json_object json_objectagg json_query json_scalar json_serialize json_table json_value least merge_action national nchar
none normalize nullif numeric out overlay position precision real row setof smallint substring time timestamp treat trim
values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot
xmlserialize xmltable`.split(/\s+/));

/** Quotes an identifier when PostgreSQL needs it (case, characters, keywords). */
export function ident(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Always-quoted identifier, for places where readability does not matter. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A string literal. standard_conforming_strings is on in every supported
 * PostgreSQL, so only the quote needs doubling (backslashes stay as typed). */
export function literal(value: string): string {
  const body = value.replace(/'/g, "''");
  return `'${body}'`;
}

/** Any JS value as an SQL literal: strings, numbers, booleans, null, dates, JSON objects. */
export function sqlValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return literal(String(value));
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return literal(value.toISOString());
  if (typeof value === 'string') return literal(value);
  return literal(JSON.stringify(value));
}

export function identList(names: readonly string[]): string {
  return names.map(ident).join(', ');
}
