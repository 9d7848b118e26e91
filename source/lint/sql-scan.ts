/**
 * Names and statement text as the lint shows and compares them. (Raw SQL
 * itself is read by PostgreSQL's parser: sql-parse.ts.)
 */

/** One identifier: `"Quoted Name"` or `plain_name`. */
export const IDENT = String.raw`(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)`;
/** A possibly schema-qualified name: `public.users`, `"App"."Users"`. */
export const QUALIFIED = String.raw`${IDENT}(?:\s*\.\s*${IDENT})?`;

/**
 * A name as fastedgy stores it: the schema dropped (only `public` is
 * described), quotes removed, an unquoted name folded to lower case as
 * PostgreSQL folds it.
 */
export function bareName(name: string): string {
  const parts = name.match(new RegExp(IDENT, 'g')) ?? [name];
  const last = parts[parts.length - 1].trim();
  return last.startsWith('"') ? last.slice(1, -1) : last.toLowerCase();
}

/** The first line of a statement, shortened for a warning. */
export function shortSql(sql: string, max = 90): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}
