/**
 * Just enough reading of raw SQL (`op.execute(…)`) for the lint: comments
 * and quoted text blanked out, the text cut into statements, an ALTER TABLE
 * cut into its actions, and names unquoted. Regular expressions, not a
 * parser: the lint only has to recognise a handful of statement shapes, and
 * anything it does not recognise is simply not flagged.
 */

/**
 * The SQL with comments removed and the inside of string literals,
 * dollar-quoted bodies and quoted identifiers' *content* kept only where it
 * matters: string literals and `$$ … $$` bodies become empty (`''`, `$$$$`),
 * so a keyword or a `;` inside a function body or a default text is never
 * read as SQL. Quoted identifiers ("My Table") are kept as they are.
 */
export function blankOutLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      // `-- comment` runs to the end of the line.
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      out += ' ';
    } else if (c === '/' && next === '*') {
      // `/* comment */` (PostgreSQL nests them; one level is plenty here).
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
      out += ' ';
    } else if (c === "'") {
      // '…' with '' as an escaped quote (E'\'' is rare enough to ignore).
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      out += "''";
      i = j + 1;
    } else if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '$') {
      // $$ … $$ or $tag$ … $tag$ (a `$1` parameter is not a tag).
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (!tag) {
        out += c;
        i++;
        continue;
      }
      const end = sql.indexOf(tag[0], i + tag[0].length);
      out += '$$$$';
      i = end === -1 ? sql.length : end + tag[0].length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The statements of a raw SQL text, comments and literals blanked out, whitespace collapsed. */
export function splitStatements(sql: string): string[] {
  return blankOutLiterals(sql)
    .split(';')
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 0);
}

/** Splits at commas that are not inside parentheses: `ADD a int, ALTER b TYPE numeric(10, 2)` is two parts. */
export function splitTopLevel(text: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end !== -1) i = end;
    } else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

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
