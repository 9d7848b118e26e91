/**
 * An answer's `sql` (a backfill) or `using` (a type change) is pasted into
 * the revision's SQL as one expression. Text such as
 * `0); COMMIT; DROP TABLE other.victim; SELECT (1` would close the
 * statement around it and run statements of its own, so the answer is
 * checked with PostgreSQL's own parser (libpg_query, as WebAssembly) before
 * it is accepted: `SELECT (<text>)` must parse as exactly one plain SELECT of
 * one value, with nothing else (no FROM, WHERE, UNION, a second statement, a
 * comment swallowing the closing parenthesis…).
 */
import { loadModule, parseSync, scanSync } from 'libpg-query';

// Loaded once, when an answer may need checking (the commands that read answers import this module).
await loadModule();

// The only parts a bare `SELECT (<expression>)` has in the parse tree.
const PLAIN_SELECT_KEYS = new Set(['targetList', 'limitOption', 'op']);

/** Why `text` is not one SQL expression, or null when it is one. */
export function expressionProblem(text: string): string | null {
  if (text.trim() === '') return 'it is empty';
  let parsed: ReturnType<typeof parseSync>;
  try {
    parsed = parseSync(`SELECT (${text})`);
  } catch (e) {
    return `PostgreSQL cannot read it as an expression (${(e as Error).message})`;
  }
  // The expression is pasted inline: a `--` comment would swallow whatever the
  // revision puts after it on the line (`;`, `WHERE …`).
  if (scanSync(text).tokens.some((t) => t.tokenName === 'SQL_COMMENT')) return 'it holds a -- comment, which would hide the SQL after it';
  const stmts = parsed.stmts ?? [];
  if (stmts.length !== 1) return `it holds ${stmts.length} statements`;
  const select = (stmts[0].stmt as { SelectStmt?: Record<string, unknown> } | undefined)?.SelectStmt;
  if (!select) return 'it is not an expression';
  const extra = Object.keys(select).filter((k) => !PLAIN_SELECT_KEYS.has(k));
  if (select.op !== 'SETOP_NONE' || extra.length > 0) return `it goes on past the expression (${extra.join(', ') || String(select.op)})`;
  const targets = select.targetList as readonly { ResTarget?: { name?: string } }[] | undefined;
  if (!targets || targets.length !== 1 || targets[0].ResTarget?.name !== undefined) return 'it is more than one expression';
  return null;
}
