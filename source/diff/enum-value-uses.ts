/**
 * Whether a revision uses an enum value it adds. PostgreSQL refuses to use a
 * value `ALTER TYPE … ADD VALUE` added until that transaction commits
 * ("unsafe use of new value"), while every value of a type created in the
 * same transaction is usable at once. So a value the rest of the revision
 * names (a default, an index predicate or expression, a CHECK, a generated
 * column, a view, an answer that fills rows) is brought by rebuilding the
 * type instead, before anything uses it.
 *
 * Deliberately broad: any quoted literal equal to the value counts, even one
 * compared with a text column. A needless rebuild costs a rewrite of the
 * columns using the type; a missed use is a revision that cannot run.
 */
import type { Answers } from './questions.js';
import type { Schema } from '../schema/types.js';

/** The SQL texts of the models that could name an enum value. */
function sqlTexts(schema: Schema): string[] {
  const out: string[] = [];
  for (const t of schema.tables) {
    for (const c of t.columns) {
      if (c.default) out.push(c.default);
      if (c.generated) out.push(c.generated);
    }
    for (const i of t.indexes) {
      if (i.where) out.push(i.where);
      out.push(...i.columns.filter((c) => c.startsWith('(')));
    }
    for (const k of t.checks) out.push(k.expression);
  }
  for (const v of schema.views) out.push(v.sql, ...(v.definition ? [v.definition] : []));
  return out;
}

/** `'value'` as SQL spells it, or the value among the elements of an array literal `'{a,"b c"}'`. */
export function namesValue(sql: string, value: string): boolean {
  if (sql.includes(`'${value.replaceAll("'", "''")}'`)) return true;
  for (const m of sql.matchAll(/'\{((?:[^']|'')*)\}'/g)) {
    const elements = m[1]!.replaceAll("''", "'").split(',').map((e) => e.trim().replace(/^"(.*)"$/s, '$1').replace(/\\(.)/g, '$1'));
    if (elements.includes(value)) return true;
  }
  return false;
}

/** Strings anywhere inside an answer (`{ value }`, `{ sql }`, `{ using }`, …). */
function answerStrings(answers: Answers): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === 'string') out.push(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(Object.values(answers));
  return out;
}

/** The values of `added` that the target models or the answers name. */
export function valuesUsed(added: readonly string[], to: Schema, answers: Answers): string[] {
  if (added.length === 0) return [];
  const texts = sqlTexts(to);
  const given = answerStrings(answers);
  return added.filter((v) => texts.some((s) => namesValue(s, v)) || given.some((s) => s === v || namesValue(s, v)));
}
