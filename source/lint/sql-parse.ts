/**
 * Raw SQL read by PostgreSQL's own parser (libpg_query as WebAssembly, the
 * parser Squawk uses too): statements come back as parse trees, so a keyword
 * inside a string, a dollar-quoted body or a comment is never read as SQL,
 * and every spelling PostgreSQL accepts (`ALTER … SET DATA TYPE`, `ADD`
 * without `COLUMN`, quoted names, options in any order) reads the same.
 */
import { loadModule, parseSync } from 'libpg-query';

// Loaded once when the lint is imported: the rules stay synchronous.
await loadModule();

/** A parse tree node: `{ KindName: { …fields } }` (e.g. `{ IndexStmt: {…} }`). */
export type Node = Record<string, any>;

export interface ParsedStatement {
  /** The node's kind: `IndexStmt`, `AlterTableStmt`, … */
  readonly kind: string;
  /** The node's fields. */
  readonly body: Node;
  /** The statement's own text, for the warning. */
  readonly text: string;
}

export type ParseResult = { readonly statements: ParsedStatement[] } | { readonly error: string };

/** Splits and parses raw SQL; a text PostgreSQL cannot read gives its message instead. */
export function parseStatements(sql: string): ParseResult {
  let tree: { stmts?: { stmt?: Node; stmt_location?: number; stmt_len?: number }[] };
  try {
    tree = parseSync(sql);
  } catch (e) {
    return { error: (e as Error).message };
  }
  // Locations are byte offsets into the UTF-8 text.
  const bytes = Buffer.from(sql, 'utf8');
  const statements: ParsedStatement[] = [];
  for (const s of tree.stmts ?? []) {
    if (!s.stmt) continue;
    const [kind] = Object.keys(s.stmt);
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    statements.push({ kind, body: s.stmt[kind] ?? {}, text: bytes.subarray(start, end).toString('utf8').trim() });
  }
  return { statements };
}

/** Parses one SQL expression (a default, say); null when PostgreSQL cannot read it. */
export function parseExpression(expr: string): Node | null {
  try {
    const tree = parseSync(`SELECT ${expr}`) as { stmts?: { stmt?: Node }[] };
    const target = tree.stmts?.[0]?.stmt?.SelectStmt?.targetList?.[0]?.ResTarget?.val;
    return tree.stmts?.length === 1 && target ? target : null;
  } catch {
    return null;
  }
}

/** Every node of a tree, depth first (for finding function calls in an expression). */
export function* walk(node: unknown): Generator<Node> {
  if (Array.isArray(node)) {
    for (const n of node) yield* walk(n);
  } else if (node && typeof node === 'object') {
    yield node as Node;
    for (const v of Object.values(node)) yield* walk(v);
  }
}

/** The strings of a name list (`[{String:{sval:'pg_catalog'}}, {String:{sval:'int4'}}]`). */
export function names(list: readonly Node[] | undefined): string[] {
  return (list ?? []).map((n) => n.String?.sval).filter((s): s is string => typeof s === 'string');
}

/**
 * A name as the lint's context keeps it (see LintContext): quoted, so that
 * `bareName` keeps its case — the parser has already folded unquoted names.
 */
export function quoted(name: string): string {
  return `"${name}"`;
}

/** A RangeVar's table name, quoted (the schema dropped: only `public` is described). */
export function relationName(rangeVar: Node | undefined): string {
  return quoted(rangeVar?.relname ?? '?');
}

/** A TypeName as text: `varchar(20)`, `integer[]`, `status` — what column-types.ts' parseType reads. */
export function typeText(typeName: Node | undefined): string {
  if (!typeName) return '?';
  const parts = names(typeName.names).filter((n) => n !== 'pg_catalog' && n !== 'public');
  const mods = (typeName.typmods ?? []).map((m: Node) => m.A_Const?.ival?.ival ?? 0);
  const dims = (typeName.arrayBounds ?? []).length;
  return `${parts.join('.')}${mods.length ? `(${mods.join(',')})` : ''}${'[]'.repeat(dims)}`;
}

/** Whether a DefElem list (VACUUM, REINDEX options) holds an option set on. */
export function hasOption(options: readonly Node[] | undefined, name: string): boolean {
  return (options ?? []).some((o) => {
    const d = o.DefElem;
    if (d?.defname !== name) return false;
    // `(FULL false)` turns it off.
    const arg = d.arg;
    return !(arg?.Boolean?.boolval === false || arg?.String?.sval === 'false' || arg?.String?.sval === 'off' || arg?.Integer?.ival === 0);
  });
}
