/**
 * Enum types: renames, new and dropped types, and value changes. Adding a
 * value takes the cheap path (`ALTER TYPE … ADD VALUE … BEFORE/AFTER`), a
 * renamed value `RENAME VALUE`; a removal (or a reorder) rebuilds the type,
 * after the rows holding a removed value were dealt with as answered, and so
 * does an added value the same revision uses.
 */
import type { EnumColumnRef, EnumValueFate } from '../ops/types.js';
import type { EnumType, Schema } from '../schema/types.js';
import type { DiffContext } from './context.js';
import { renameEnumIn, renameEnumValueIn } from './patch.js';
import { plural } from './questions.js';
import type { Choice, Question } from './questions.js';
import { resolveRenames, unmatched } from './renames.js';
import { valuesUsed } from './enum-value-uses.js';
import { overlap } from './similarity.js';

/** Renames of enum types; returns the patched "before" schema and the database name of each type. */
export function diffEnumRenames(ctx: DiffContext, cur: Schema, to: Schema, dbEnum: Map<string, string>): Schema {
  const { removed, added } = unmatched(cur.enums, to.enums);
  const result = resolveRenames<EnumType>(ctx, {
    kind: 'rename-enum',
    name: (e) => e.name,
    label: (e) => e.name,
    score: (r, a) => (overlap(r.values, a.values) > 0 ? overlap(r.values, a.values) : null),
    text: (r) => `Enum type ${r.name} is gone from the models and a similar one appeared: rename it, or drop it and create the new one?`,
  }, removed, added);
  let patched = cur;
  for (const [r, a] of result.renames) {
    ctx.add('enums', { kind: 'renameEnum', from: r.name, to: a.name });
    dbEnum.set(a.name, dbEnum.get(r.name) ?? r.name);
    patched = renameEnumIn(patched, r.name, a.name);
  }
  return patched;
}

/** Columns of `schema` that use enum `type`. */
function columnsUsing(schema: Schema, type: string): EnumColumnRef[] {
  const out: EnumColumnRef[] = [];
  for (const t of schema.tables)
    for (const c of t.columns)
      if (c.enumType === type)
        out.push({ table: t.name, column: c.name, nullable: c.nullable, default: c.default ?? null, ...(c.type.endsWith('[]') ? { array: true } : {}) });
  return out;
}

/**
 * Returns the "before" schema with renamed enum values carried into column
 * defaults, as PostgreSQL carries them: a default that held the old value
 * holds the new one after `RENAME VALUE`, so it is no change of its own (and
 * a needless one would undo itself, on the way back, before the value is
 * renamed back).
 */
export function diffEnumTypes(ctx: DiffContext, cur: Schema, db: Schema, to: Schema, dbEnum: Map<string, string>): Schema {
  const curByName = new Map(cur.enums.map((e) => [e.name, e]));
  const toNames = new Set(to.enums.map((e) => e.name));
  let patched = cur;
  for (const e of to.enums) {
    const before = curByName.get(e.name);
    if (!before) ctx.add('enums', { kind: 'createEnum', name: e.name, values: e.values });
    else
      for (const [from, renamed] of diffEnumValues(ctx, before, e, cur, db, to, dbEnum.get(e.name) ?? e.name))
        patched = renameEnumValueIn(patched, e.name, from, renamed);
  }
  for (const e of cur.enums) if (!toNames.has(e.name)) ctx.add('dropEnums', { kind: 'dropEnum', name: e.name, values: e.values });
  return patched;
}

/** Returns the values renamed (`[from, to]`). */
function diffEnumValues(ctx: DiffContext, before: EnumType, after: EnumType, cur: Schema, db: Schema, to: Schema, dbName: string): [string, string][] {
  // Unchanged (the usual case): nothing to plan, and no scan of every column for its users.
  if (before.values.length === after.values.length && before.values.every((v, i) => v === after.values[i])) return [];
  const renamed: [string, string][] = [];
  const added = after.values.filter((v) => !before.values.includes(v));
  const removed = before.values.filter((v) => !after.values.includes(v));
  const fates: Record<string, EnumValueFate> = {};
  const dbColumns = columnsUsing(db, dbName);
  const finalColumns = columnsUsing(to, after.name);
  let values = [...before.values];

  for (const value of removed) {
    const id = `enum-remove:${after.name}.${value}`;
    const held = dbColumns.length === 0 ? 0 : ctx.valueCount(dbName, value, dbColumns.map((c) => ({ table: c.table, column: c.column })));
    if (held === 0) continue; // nothing holds it: removing it decides nothing
    const answer = ctx.answer(id);
    if (answer && typeof answer === 'object') {
      if ('renameTo' in answer && added.includes(answer.renameTo)) {
        ctx.add('enums', { kind: 'renameEnumValue', type: after.name, from: value, to: answer.renameTo });
        renamed.push([value, answer.renameTo]);
        values = values.map((v) => (v === value ? answer.renameTo : v));
        added.splice(added.indexOf(answer.renameTo), 1);
        continue;
      }
      if ('mapTo' in answer && after.values.includes(answer.mapTo)) { fates[value] = { mapTo: answer.mapTo }; continue; }
      if ('setNull' in answer && finalColumns.every((c) => c.nullable)) { fates[value] = { setNull: true }; continue; }
      if ('deleteRows' in answer) { fates[value] = { deleteRows: true }; continue; }
    }
    ctx.ask(enumRemoveQuestion(id, after, value, held, added, finalColumns));
  }

  const stillRemoved = values.filter((v) => !after.values.includes(v));
  const onlyAdds = stillRemoved.length === 0 && sameOrderAfterAdds(values, after.values);
  if (valuesUsed(added, to, ctx.answers).length > 0) {
    // The revision uses a value it adds: a rebuilt type's values are usable
    // at once, an added one's only after commit (see enum-value-uses.ts). The
    // rebuild comes first, on the columns as the database names them now;
    // removals and reorders, if any, follow in the later rebuild below.
    const withAdded = onlyAdds ? after.values : [...values, ...added];
    ctx.add('enums', { kind: 'rebuildEnum', type: after.name, from: values, to: withAdded, columns: dbColumns, fates: {} });
    if (onlyAdds) return renamed;
    values = [...withAdded];
  }
  if (!onlyAdds) {
    ctx.add('rebuildEnums', { kind: 'rebuildEnum', type: after.name, from: values, to: after.values, columns: finalColumns, fates });
    return renamed;
  }
  // Cheap path: each new value placed next to a neighbour that already exists.
  const present = [...values];
  for (const v of after.values) {
    if (present.includes(v)) continue;
    const i = after.values.indexOf(v);
    const prev = after.values.slice(0, i).reverse().find((x) => present.includes(x));
    const next = after.values.slice(i + 1).find((x) => present.includes(x));
    const dbCols = dbColumns.map((c) => ({ ...c }));
    ctx.add('enums', { kind: 'addEnumValue', type: after.name, value: v, ...(prev ? { after: prev } : next ? { before: next } : {}), existing: [...present], columns: dbCols });
    present.splice(prev ? present.indexOf(prev) + 1 : next ? present.indexOf(next) : present.length, 0, v);
  }
  return renamed;
}

/** True when adding the missing values one by one can reach `target`'s order. */
function sameOrderAfterAdds(current: readonly string[], target: readonly string[]): boolean {
  const kept = target.filter((v) => current.includes(v));
  return current.length === kept.length && current.every((v, i) => v === kept[i]);
}

function enumRemoveQuestion(id: string, e: EnumType, value: string, held: number | undefined, added: string[], cols: EnumColumnRef[]): Question {
  const others = e.values.filter((v) => v !== value);
  const choices: Choice[] = [
    ...others.map((v) => ({ label: `map those rows to '${v}'`, answer: { mapTo: v } })),
    ...added.map((v) => ({ label: `rename '${value}' to '${v}' (rows keep their value)`, answer: { renameTo: v } })),
    ...(cols.length > 0 && cols.every((c) => c.nullable) ? [{ label: 'set those columns to NULL', answer: { setNull: true as const } }] : []),
    { label: 'delete those rows', answer: { deleteRows: true as const }, hint: 'the rows are gone for good' },
  ];
  const where = cols.map((c) => `${c.table}.${c.column}`).join(', ');
  return {
    id,
    kind: 'enum-remove',
    text: `Value '${value}' is removed from enum ${e.name}. What should the rows holding it (${where}) become?`,
    stake: held === undefined ? undefined : `${plural(held, 'row')} ${held === 1 ? 'holds' : 'hold'} '${value}'`,
    choices,
  };
}
