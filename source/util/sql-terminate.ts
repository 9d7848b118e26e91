/**
 * A statement as a script prints it (`--sql`, `show`): ended by `;`. When
 * its last line is a `--` comment, the `;` goes on a line of its own, or it
 * would be part of the comment and the next statement would run together
 * with this one. Read with PostgreSQL's own scanner, so a `--` inside a
 * string or a quoted name is not taken for a comment.
 */
import { loadModule, scanSync } from 'libpg-query';

await loadModule();

export function terminated(sql: string): string {
  const text = sql.replace(/\s+$/, '');
  let last: { tokenName: string } | undefined;
  try {
    last = scanSync(text).tokens.at(-1);
  } catch {
    return `${text};`;
  }
  if (last?.tokenName === 'SQL_COMMENT') return `${text}\n;`;
  return last?.tokenName === 'ASCII_59' ? text : `${text};`;
}
