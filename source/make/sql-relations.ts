/**
 * The relations a piece of SQL names (tables, views, indexes: every
 * `RangeVar` of PostgreSQL's own parse tree), for the SQL whose objects the
 * operations do not list: `execute` statements and view bodies. SQL the
 * parser refuses names nothing here; running it will say what is wrong.
 */
import { loadModule, parseSync } from 'libpg-query';

await loadModule();

export function relationsIn(sql: string): string[] {
  let tree: unknown;
  try {
    tree = parseSync(sql);
  } catch {
    return [];
  }
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'RangeVar' && value && typeof value === 'object') {
        const { relname, schemaname } = value as { relname?: string; schemaname?: string };
        if (relname && (!schemaname || schemaname === 'public')) names.add(relname);
      }
      walk(value);
    }
  };
  walk(tree);
  return [...names];
}
