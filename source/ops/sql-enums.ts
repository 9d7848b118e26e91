/**
 * Removing values from an enum type. PostgreSQL has no `DROP VALUE`, so the
 * type is rebuilt: rows holding a removed value are deleted first when the
 * answer said so, then every column is converted to the new type in one
 * ALTER each, mapping removed values (or NULLing them) in its USING clause.
 * All of it is transactional DDL, so a failure leaves the old type in place.
 *
 * Known limit: a partial index or CHECK that compares the column with an enum
 * literal cannot be rebuilt by ALTER COLUMN TYPE (its literal keeps the old
 * type); such an index must be dropped before and created after.
 */
import { ident, literal } from '../util/sql-text.js';
import type { EnumColumnRef, EnumValueFate, RebuildEnum } from './types.js';

/** The answer for a value; own properties only, so a value named 'constructor' has no fate by accident. */
function fateOf(op: RebuildEnum, value: string): EnumValueFate | undefined {
  return Object.hasOwn(op.fates, value) ? op.fates[value] : undefined;
}

/** `<type>__old`, shortened so PostgreSQL's 63-byte limit cannot cut it back to the type's own name. */
function oldName(type: string): string {
  let base = type;
  while (Buffer.byteLength(base) > 58) base = base.slice(0, -1);
  return `${base}__old`;
}

export function rebuildEnumSql(op: RebuildEnum): string[] {
  const type = ident(op.type);
  const removed = op.from.filter((v) => !op.to.includes(v));
  const out: string[] = [];
  for (const c of op.columns) {
    for (const v of removed) {
      if (!fateOf(op, v) || !('deleteRows' in fateOf(op, v)!)) continue;
      // The answer was "delete those rows": a row whose array holds the value goes too.
      const test = c.array ? `${literal(v)} = ANY(${ident(c.column)}::text[])` : `${ident(c.column)}::text = ${literal(v)}`;
      out.push(`DELETE FROM ${ident(c.table)} WHERE ${test}`);
    }
  }
  const unanswered = removed.filter((v) => !fateOf(op, v));
  for (const c of op.columns) if (unanswered.length) out.push(guardSql(op.type, c, unanswered));
  out.push(`ALTER TYPE ${type} RENAME TO ${ident(oldName(op.type))}`);
  out.push(`CREATE TYPE ${type} AS ENUM (${op.to.map(literal).join(', ')})`);
  for (const c of op.columns) {
    const actions: string[] = [];
    if (c.default) actions.push('DROP DEFAULT');
    actions.push(`TYPE ${type}${c.array ? '[]' : ''} USING ${conversion(op, c, removed)}`);
    if (c.default) actions.push(`SET DEFAULT ${retype(c.default, op.type, !!c.array)}`);
    // One statement: PostgreSQL drops the default, converts, then sets it again.
    out.push(`ALTER TABLE ${ident(c.table)} ${actions.map((a) => `ALTER COLUMN ${ident(c.column)} ${a}`).join(', ')}`);
  }
  out.push(`DROP TYPE ${ident(oldName(op.type))}`);
  return out;
}

/**
 * A removed value nobody answered for (none held it when the revision was
 * made, or the way back of an added value): rows that hold it now stop the
 * revision with a message that says which, instead of a bare cast error.
 */
function guardSql(type: string, c: EnumColumnRef, values: readonly string[]): string {
  const list = values.map(literal).join(', ');
  const col = ident(c.column);
  const test = c.array ? `${col}::text[] && ARRAY[${list}]` : `${col}::text IN (${list})`;
  const message = `rows of ${c.table}.${c.column} hold ${values.map((v) => `'${v}'`).join(' or ')}, which enum ${type} no longer has`;
  const hint = 'change or delete those rows first';
  const body = `BEGIN\n  IF EXISTS (SELECT 1 FROM ${ident(c.table)} WHERE ${test}) THEN\n    RAISE EXCEPTION USING MESSAGE = ${literal(message)}, HINT = ${literal(hint)};\n  END IF;\nEND`;
  // A dollar-quote tag that the body does not contain.
  let tag = '$fastedgy$';
  for (let n = 1; body.includes(tag); n++) tag = `$fastedgy${n}$`;
  return `DO ${tag}\n${body}\n${tag}`;
}

function conversion(op: RebuildEnum, c: EnumColumnRef, removed: readonly string[]): string {
  const col = ident(c.column);
  const type = ident(op.type);
  const mapped = removed.filter((v) => fateOf(op, v) && !('deleteRows' in fateOf(op, v)!));
  if (c.array) {
    let expr = `${col}::text[]`;
    for (const v of mapped) {
      const fate = fateOf(op, v)!;
      expr = 'mapTo' in fate ? `array_replace(${expr}, ${literal(v)}, ${literal(fate.mapTo)})` : `array_remove(${expr}, ${literal(v)})`;
    }
    return `${expr}::${type}[]`;
  }
  if (mapped.length === 0) return `${col}::text::${type}`;
  const whens = mapped.map((v) => {
    const fate = fateOf(op, v)!;
    return `WHEN ${literal(v)} THEN ${'mapTo' in fate ? literal(fate.mapTo) : 'NULL'}`;
  });
  return `(CASE ${col}::text ${whens.join(' ')} ELSE ${col}::text END)::${type}`;
}

/**
 * A default written as a cast literal (`'a'::userstatus`, `'{a}'::mood[]`)
 * is cast to the rebuilt type by its exact (quoted when needed) name; any
 * other default is set again as stored.
 */
function retype(def: string, type: string, array: boolean): string {
  const m = /^('(?:[^']|'')*')(::.*)?$/s.exec(def.trim());
  return m ? `${m[1]}::${ident(type)}${array ? '[]' : ''}` : def;
}
