/**
 * The schema at a revision, computed from the revision files alone: every
 * operation applied to a description, the way PostgreSQL applies its SQL.
 * Pure and total: the revision browser runs it on hand-edited files, so an
 * operation that refers to something missing (or that PostgreSQL would
 * refuse) is recorded in `unknown` and the replay goes on; `execute` runs
 * arbitrary SQL, so it is recorded and changes nothing.
 *
 * Every operation kind has an entry in the table below (a `Record` over all
 * kinds), so a new kind does not compile until the replay knows it.
 */
import type { ColumnState, Operation, OperationOf } from '../ops/types.js';
import { renameKeepingSequences, sequenceOf, withSequence } from '../schema/sequence-names.js';
import type { Column, EnumType, ForeignKey, Schema, Table, View } from '../schema/types.js';

const withoutSequence = ({ sequence: _s, ...c }: Column): Column => c;

export interface ReplayResult {
  readonly schema: Schema;
  /** One line per operation the replay could not apply or could not know. */
  readonly unknown: readonly string[];
}

type Note = (line: string) => void;
type Appliers = { [K in Operation['kind']]: (s: Schema, op: OperationOf<K>, note: Note) => Schema };

/** Code-point order, as the introspection and the model compiler sort. */
const byName = <T extends { readonly name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sorted = <T extends { readonly name: string }>(xs: readonly T[]) => [...xs].sort(byName);
const has = (xs: readonly { readonly name: string }[], name: string) => xs.some((x) => x.name === name);
const swap = (cols: readonly string[], from: string, to: string) => cols.map((c) => (c === from ? to : c));
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether an expression (index expression, WHERE, CHECK) mentions a column; approximate, by whole word. */
function mentions(expr: string | null | undefined, column: string): boolean {
  return !!expr && new RegExp(`(^|[^A-Za-z0-9_$])"?${escapeRe(column)}"?($|[^A-Za-z0-9_$])`).test(expr);
}

/** Applies `f` to table `name`, or notes `<kind>: no table <name>` and leaves the schema alone. */
function onTable(s: Schema, name: string, kind: string, note: Note, f: (t: Table) => Table | null): Schema {
  const t = s.tables.find((x) => x.name === name);
  if (!t) {
    note(`${kind}: no table ${name}`);
    return s;
  }
  const next = f(t);
  return next === null ? s : { ...s, tables: sorted(s.tables.map((x) => (x === t ? next : x))) };
}

/** Applies `f` to column `table.column`, or notes what is missing. */
function onColumn(s: Schema, table: string, column: string, kind: string, note: Note, f: (c: Column, t: Table) => Table | null): Schema {
  return onTable(s, table, kind, note, (t) => {
    const c = t.columns.find((x) => x.name === column);
    if (c) return f(c, t);
    note(`${kind}: no column ${table}.${column}`);
    return null;
  });
}

function onEnum(s: Schema, name: string, kind: string, note: Note, f: (e: EnumType) => EnumType | null): Schema {
  const e = s.enums.find((x) => x.name === name);
  if (!e) {
    note(`${kind}: no enum ${name}`);
    return s;
  }
  const next = f(e);
  return next === null ? s : { ...s, enums: sorted(s.enums.map((x) => (x === e ? next : x))) };
}

/** Every column of the schema mapped by `f` (which gets its table's name). */
function mapColumns(s: Schema, f: (c: Column, table: string) => Column): Schema {
  return { ...s, tables: s.tables.map((t) => ({ ...t, columns: t.columns.map((c) => f(c, t.name)) })) };
}

/** The names that share PostgreSQL's relation namespace with a new index or constraint. */
function relationNameTaken(s: Schema, name: string): boolean {
  return (
    has(s.tables, name) ||
    has(s.views, name) ||
    s.tables.some((t) => t.primaryKey?.name === name || has(t.uniques, name) || has(t.indexes, name))
  );
}

function alterState(c: Column, to: ColumnState, from?: ColumnState): Column {
  // Identity changes only when the two sides say different things: older
  // revisions (and the file, which leaves nulls out) do not mention it.
  const identity = from && (from.identity ?? null) !== (to.identity ?? null) ? { identity: to.identity ?? null } : {};
  // Identity dropped takes its sequence along; added, it gets PostgreSQL's default name.
  if ('identity' in identity && !(from?.identity && to.identity)) c = withoutSequence(c);
  const altered: Column = { ...c, type: to.type, enumType: to.enumType ?? null, nullable: to.nullable, default: to.default ?? null, ...identity, comment: to.comment ?? null };
  // Generation changes only when the two sides say different things, as identity.
  if (!from || (from.generated ?? null) === (to.generated ?? null)) return altered;
  const { generated: _was, ...plain } = altered;
  return to.generated ? { ...plain, generated: to.generated } : plain;
}

/**
 * An enum column's default written as a cast literal (`'a'::mood`): PostgreSQL
 * stores the value itself, so a renamed type or value shows in it.
 */
function retypeDefault(def: string | null, f: (value: string, type: string, array: string) => string): string | null {
  if (def === null) return null;
  const m = /^'((?:[^']|'')*)'::("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)(\[\])?$/.exec(def.trim());
  return m ? f(m[1], m[2].replace(/^"|"$/g, '').replace(/""/g, '"'), m[3] ?? '') : def;
}

/** A stand-in for a missing table, so a missing one is noted like a missing column. */
const table0 = (name: string): Table => ({ name, columns: [], primaryKey: null, uniques: [], indexes: [], foreignKeys: [], checks: [] });

const quoteType = (t: string) => (/^[a-z_][a-z0-9_$]*$/.test(t) ? t : `"${t.replace(/"/g, '""')}"`);

function dropColumnFrom(t: Table, column: string): Table {
  // DROP COLUMN takes with it every index and constraint of the table that
  // involves the column (a multi-column one too).
  const uses = (x: { readonly columns: readonly string[] }) => x.columns.some((c) => c === column || mentions(c, column));
  return {
    ...t,
    columns: t.columns.filter((c) => c.name !== column),
    primaryKey: t.primaryKey && uses(t.primaryKey) ? null : t.primaryKey,
    uniques: t.uniques.filter((u) => !uses(u)),
    indexes: t.indexes.filter((i) => !uses(i) && !mentions(i.where, column)),
    // A self-reference to the column goes too: it is this table's constraint.
    foreignKeys: t.foreignKeys.filter((fk) => !fk.columns.includes(column) && !(fk.refTable === t.name && fk.refColumns.includes(column))),
    checks: t.checks.filter((c) => !mentions(c.expression, column)),
  };
}

/** Other tables' foreign keys that point at `table` (at `column` when given): PostgreSQL refuses to drop those without CASCADE. */
function referencing(s: Schema, table: string, column?: string): ForeignKey[] {
  return s.tables
    .filter((t) => t.name !== table)
    .flatMap((t) => t.foreignKeys)
    .filter((fk) => fk.refTable === table && (column === undefined || fk.refColumns.includes(column)));
}

function viewsReading(s: Schema, table: string, column?: string): View[] {
  return s.views.filter((v) => (v.dependsOn ?? []).some((r) => r.table === table && (column === undefined || r.column === column)));
}

/** Notes what PostgreSQL would refuse to drop without CASCADE; the replay drops it anyway, as the revision says. */
function noteDependents(s: Schema, kind: string, what: string, table: string, column?: string): string[] {
  const fks = referencing(s, table, column).map((fk) => `foreign key ${fk.name}`);
  const views = viewsReading(s, table, column).map((v) => `view ${v.name}`);
  const all = [...fks, ...views];
  return all.length ? [`${kind}: ${what} is still used by ${all.join(', ')} (PostgreSQL would refuse without CASCADE)`] : [];
}

/** Notes enum columns whose type is missing: PostgreSQL would refuse the statement. */
function noteMissingEnums(s: Schema, kind: string, table: string, columns: readonly Column[], note: Note): void {
  for (const c of columns) if (c.enumType && !has(s.enums, c.enumType)) note(`${kind}: ${table}.${c.name} uses a missing enum ${c.enumType}`);
}

/** Notes plain column names (not expressions) that table `t` lacks. */
function noteMissingColumns(t: Table | undefined, kind: string, what: string, columns: readonly string[], note: Note): void {
  if (!t) return;
  const missing = columns.filter((c) => !c.startsWith('(') && !has(t.columns, c));
  if (missing.length) note(`${kind}: ${what} names missing columns ${missing.map((c) => `${t.name}.${c}`).join(', ')}`);
}

const APPLIERS: Appliers = {
  createExtension: (s, op) => (s.extensions.includes(op.name) ? s : { ...s, extensions: [...s.extensions, op.name].sort() }),
  dropExtension: (s, op, note) => {
    // The SQL says IF EXISTS, but a missing extension still means the file and the history disagree.
    if (!s.extensions.includes(op.name)) note(`dropExtension: no extension ${op.name}`);
    return { ...s, extensions: s.extensions.filter((e) => e !== op.name) };
  },
  createEnum: (s, op, note) => {
    if (has(s.enums, op.name)) {
      note(`createEnum: enum ${op.name} exists already`);
      return s;
    }
    return { ...s, enums: sorted([...s.enums, { name: op.name, values: [...op.values] }]) };
  },
  dropEnum: (s, op, note) => {
    if (!has(s.enums, op.name)) {
      note(`dropEnum: no enum ${op.name}`);
      return s;
    }
    const users = s.tables.flatMap((t) => t.columns.filter((c) => c.enumType === op.name).map((c) => `${t.name}.${c.name}`));
    if (users.length) note(`dropEnum: enum ${op.name} is still used by ${users.join(', ')} (PostgreSQL would refuse without CASCADE)`);
    return { ...s, enums: s.enums.filter((e) => e.name !== op.name) };
  },
  renameEnum: (s, op, note) => {
    if (!has(s.enums, op.from)) {
      note(`renameEnum: no enum ${op.from}`);
      return s;
    }
    if (has(s.enums, op.to)) {
      note(`renameEnum: enum ${op.to} exists already`);
      return s;
    }
    const renamed = mapColumns(s, (c) =>
      c.enumType !== op.from
        ? c
        : {
            ...c,
            enumType: op.to,
            type: c.type.endsWith('[]') ? `${op.to}[]` : op.to,
            default: retypeDefault(c.default, (v, type, arr) => (type === op.from ? `'${v}'::${quoteType(op.to)}${arr}` : `'${v}'::${quoteType(type)}${arr}`)),
          },
    );
    return { ...renamed, enums: sorted(s.enums.map((e) => (e.name === op.from ? { ...e, name: op.to } : e))) };
  },
  addEnumValue: (s, op, note) =>
    onEnum(s, op.type, 'addEnumValue', note, (e) => {
      if (e.values.includes(op.value)) {
        note(`addEnumValue: enum ${op.type} has '${op.value}' already`);
        return null;
      }
      const neighbour = op.before ?? op.after;
      const at = op.before !== undefined ? e.values.indexOf(op.before) : op.after !== undefined ? e.values.indexOf(op.after) + 1 : e.values.length;
      if (neighbour !== undefined && !e.values.includes(neighbour)) {
        note(`addEnumValue: enum ${op.type} has no value '${neighbour}'`);
        return null;
      }
      return { ...e, values: [...e.values.slice(0, at), op.value, ...e.values.slice(at)] };
    }),
  renameEnumValue: (s, op, note) => {
    const e = s.enums.find((x) => x.name === op.type);
    if (!e || !e.values.includes(op.from) || e.values.includes(op.to)) {
      note(!e ? `renameEnumValue: no enum ${op.type}` : !e.values.includes(op.from) ? `renameEnumValue: enum ${op.type} has no value '${op.from}'` : `renameEnumValue: enum ${op.type} has '${op.to}' already`);
      return s;
    }
    const from = op.from.replace(/'/g, "''");
    const to = op.to.replace(/'/g, "''");
    const withDefaults = mapColumns(s, (c) =>
      c.enumType !== op.type ? c : { ...c, default: retypeDefault(c.default, (v, type, arr) => `'${v === from && type === op.type ? to : v}'::${quoteType(type)}${arr}`) },
    );
    return { ...withDefaults, enums: s.enums.map((x) => (x === e ? { ...x, values: swap(x.values, op.from, op.to) } : x)) };
  },
  // The type is rebuilt under the same name: the columns keep it, rows were mapped as answered.
  rebuildEnum: (s, op, note) =>
    onEnum(s, op.type, 'rebuildEnum', note, (e) => {
      // Every column listed is converted to the rebuilt type: it must be there.
      for (const c of op.columns) noteMissingColumns(s.tables.find((t) => t.name === c.table) ?? table0(c.table), 'rebuildEnum', `enum ${op.type}`, [c.column], note);
      return { ...e, values: [...op.to] };
    }),
  createTable: (s, op, note) => {
    if (relationNameTaken(s, op.table.name)) {
      note(`createTable: ${op.table.name} exists already`);
      return s;
    }
    // createTable's SQL leaves foreign keys to addForeignKey operations.
    noteMissingEnums(s, 'createTable', op.table.name, op.table.columns, note);
    if (op.table.foreignKeys.length) note(`createTable: the foreign keys of ${op.table.name} are not created by createTable (addForeignKey does that)`);
    return { ...s, tables: sorted([...s.tables, { ...op.table, foreignKeys: [] }]) };
  },
  dropTable: (s, op, note) => {
    if (!has(s.tables, op.table.name)) {
      note(`dropTable: no table ${op.table.name}`);
      return s;
    }
    noteDependents(s, 'dropTable', `table ${op.table.name}`, op.table.name).forEach(note);
    return { ...s, tables: s.tables.filter((t) => t.name !== op.table.name) };
  },
  renameTable: (s, op, note) => {
    if (!has(s.tables, op.from)) {
      note(`renameTable: no table ${op.from}`);
      return s;
    }
    if (relationNameTaken(s, op.to)) {
      note(`renameTable: ${op.to} exists already`);
      return s;
    }
    // PostgreSQL follows the table by its oid: foreign keys and views point at the new name.
    const tables = s.tables.map((t) => ({
      ...(t.name === op.from ? renameKeepingSequences(t, { table: op.to }) : t),
      foreignKeys: t.foreignKeys.map((fk) => (fk.refTable === op.from ? { ...fk, refTable: op.to } : fk)),
    }));
    const views = s.views.map((v) => (v.dependsOn ? { ...v, dependsOn: v.dependsOn.map((r) => (r.table === op.from ? { ...r, table: op.to } : r)) } : v));
    return { ...s, tables: sorted(tables), views };
  },
  renameConstraint: (s, op, note) => {
    const t = s.tables.find((x) => x.name === op.table);
    if (t && (t.primaryKey?.name === op.to || has(t.uniques, op.to) || has(t.foreignKeys, op.to) || has(t.checks, op.to))) {
      note(`renameConstraint: ${op.table}.${op.to} exists already`);
      return s;
    }
    const renamed = renameConstraintIn(s, op.table, op.from, op.to);
    if (!renamed) note(`renameConstraint: no constraint ${op.table}.${op.from}`);
    return renamed ?? s;
  },
  renameIndex: (s, op, note) => {
    if (relationNameTaken(s, op.to)) {
      note(`renameIndex: ${op.to} exists already`);
      return s;
    }
    const renamed = renameIndexIn(s, op.from, op.to);
    if (!renamed) note(`renameIndex: no index ${op.from}`);
    return renamed ?? s;
  },
  renameSequence: (s, op, note) =>
    onColumn(s, op.table, op.column, 'renameSequence', note, (c, t) => {
      if (sequenceOf(t.name, c) !== op.from) {
        note(`renameSequence: ${op.table}.${op.column} does not use a sequence ${op.from}`);
        return null;
      }
      return { ...t, columns: t.columns.map((x) => (x === c ? withSequence(t.name, c, op.to) : x)) };
    }),
  // ADD COLUMN puts the column last.
  addColumn: (s, op, note) =>
    onTable(s, op.table, 'addColumn', note, (t) => {
      if (has(t.columns, op.column.name)) {
        note(`addColumn: ${op.table}.${op.column.name} exists already`);
        return null;
      }
      noteMissingEnums(s, 'addColumn', op.table, [op.column], note);
      return { ...t, columns: [...t.columns, op.column] };
    }),
  dropColumn: (s, op, note) =>
    onColumn(s, op.table, op.column.name, 'dropColumn', note, (_c, t) => {
      noteDependents(s, 'dropColumn', `column ${op.table}.${op.column.name}`, op.table, op.column.name).forEach(note);
      return dropColumnFrom(t, op.column.name);
    }),
  renameColumn: (s, op, note) => {
    const t = s.tables.find((x) => x.name === op.table);
    if (t && has(t.columns, op.to)) {
      note(`renameColumn: ${op.table}.${op.to} exists already`);
      return s;
    }
    const renamed = onColumn(s, op.table, op.from, 'renameColumn', note, (_c, t) => ({
      ...t,
      // The column's identity sequence keeps its name.
      columns: renameKeepingSequences(t, { column: { from: op.from, to: op.to } }).columns,
      primaryKey: t.primaryKey && { ...t.primaryKey, columns: swap(t.primaryKey.columns, op.from, op.to) },
      uniques: t.uniques.map((u) => ({ ...u, columns: swap(u.columns, op.from, op.to) })),
      // Plain column names only; an expression keeps its text here.
      indexes: t.indexes.map((i) => ({ ...i, columns: swap(i.columns, op.from, op.to) })),
      foreignKeys: t.foreignKeys.map((fk) => ({ ...fk, columns: swap(fk.columns, op.from, op.to) })),
    }));
    if (renamed === s) return s;
    // Foreign keys (this table's own self-references included) and views pointing at the column follow it.
    return {
      ...renamed,
      tables: renamed.tables.map((x) => ({
        ...x,
        foreignKeys: x.foreignKeys.map((fk) => (fk.refTable === op.table ? { ...fk, refColumns: swap(fk.refColumns, op.from, op.to) } : fk)),
      })),
      views: renamed.views.map((v) =>
        v.dependsOn ? { ...v, dependsOn: v.dependsOn.map((r) => (r.table === op.table && r.column === op.from ? { ...r, column: op.to } : r)) } : v,
      ),
    };
  },
  alterColumn: (s, op, note) =>
    onColumn(s, op.table, op.column, 'alterColumn', note, (c, t) => {
      noteMissingEnums(s, 'alterColumn', op.table, [alterState(c, op.to)], note);
      return { ...t, columns: t.columns.map((x) => (x === c ? alterState(c, op.to, op.from) : x)) };
    }),
  createIndex: (s, op, note) => {
    if (relationNameTaken(s, op.index.name)) {
      note(`createIndex: ${op.index.name} exists already`);
      return s;
    }
    return onTable(s, op.table, 'createIndex', note, (t) => {
      noteMissingColumns(t, 'createIndex', `index ${op.index.name}`, op.index.columns, note);
      return { ...t, indexes: sorted([...t.indexes, op.index]) };
    });
  },
  dropIndex: (s, op, note) => {
    // DROP INDEX names no table: the index is found wherever it is.
    const owner = s.tables.find((t) => t.name === op.table && has(t.indexes, op.index.name)) ?? s.tables.find((t) => has(t.indexes, op.index.name));
    if (!owner) {
      note(`dropIndex: no index ${op.index.name}`);
      return s;
    }
    return onTable(s, owner.name, 'dropIndex', note, (t) => ({ ...t, indexes: t.indexes.filter((i) => i.name !== op.index.name) }));
  },
  addUnique: (s, op, note) => {
    if (relationNameTaken(s, op.unique.name)) {
      note(`addUnique: ${op.unique.name} exists already`);
      return s;
    }
    return onTable(s, op.table, 'addUnique', note, (t) => {
      noteMissingColumns(t, 'addUnique', `unique ${op.unique.name}`, op.unique.columns, note);
      return { ...t, uniques: sorted([...t.uniques, op.unique]) };
    });
  },
  dropUnique: (s, op, note) =>
    onTable(s, op.table, 'dropUnique', note, (t) => {
      if (has(t.uniques, op.unique.name)) return { ...t, uniques: t.uniques.filter((u) => u.name !== op.unique.name) };
      note(`dropUnique: no unique constraint ${op.table}.${op.unique.name}`);
      return null;
    }),
  addForeignKey: (s, op, note) =>
    onTable(s, op.table, 'addForeignKey', note, (t) => {
      if (has(t.foreignKeys, op.foreignKey.name)) {
        note(`addForeignKey: ${op.table}.${op.foreignKey.name} exists already`);
        return null;
      }
      const ref = s.tables.find((x) => x.name === op.foreignKey.refTable);
      if (!ref) note(`addForeignKey: ${op.foreignKey.name} references a missing table ${op.foreignKey.refTable}`);
      noteMissingColumns(t, 'addForeignKey', `foreign key ${op.foreignKey.name}`, op.foreignKey.columns, note);
      noteMissingColumns(ref, 'addForeignKey', `foreign key ${op.foreignKey.name}`, op.foreignKey.refColumns, note);
      return { ...t, foreignKeys: sorted([...t.foreignKeys, op.foreignKey]) };
    }),
  dropForeignKey: (s, op, note) =>
    onTable(s, op.table, 'dropForeignKey', note, (t) => {
      if (has(t.foreignKeys, op.foreignKey.name)) return { ...t, foreignKeys: t.foreignKeys.filter((fk) => fk.name !== op.foreignKey.name) };
      note(`dropForeignKey: no foreign key ${op.table}.${op.foreignKey.name}`);
      return null;
    }),
  addCheck: (s, op, note) =>
    onTable(s, op.table, 'addCheck', note, (t) => {
      if (has(t.checks, op.check.name) || t.primaryKey?.name === op.check.name || has(t.uniques, op.check.name) || has(t.foreignKeys, op.check.name)) {
        note(`addCheck: ${op.table}.${op.check.name} exists already`);
        return null;
      }
      return { ...t, checks: sorted([...t.checks, op.check]) };
    }),
  dropCheck: (s, op, note) =>
    onTable(s, op.table, 'dropCheck', note, (t) => {
      if (has(t.checks, op.check.name)) return { ...t, checks: t.checks.filter((c) => c.name !== op.check.name) };
      note(`dropCheck: no check constraint ${op.table}.${op.check.name}`);
      return null;
    }),
  setTableComment: (s, op, note) => onTable(s, op.table, 'setTableComment', note, (t) => ({ ...t, comment: op.to })),
  createView: (s, op, note) => {
    if (relationNameTaken(s, op.view.name)) {
      note(`createView: ${op.view.name} exists already`);
      return s;
    }
    return { ...s, views: sorted([...s.views, op.view]) };
  },
  dropView: (s, op, note) => {
    if (!has(s.views, op.view.name)) {
      note(`dropView: no view ${op.view.name}`);
      return s;
    }
    return { ...s, views: s.views.filter((v) => v.name !== op.view.name) };
  },
  // DROP VIEW from + CREATE VIEW to (see sql.ts): the name may change too.
  replaceView: (s, op, note) => {
    if (!has(s.views, op.from.name)) note(`replaceView: no view ${op.from.name}`);
    const rest = s.views.filter((v) => v.name !== op.from.name);
    if (has(rest, op.to.name) || has(s.tables, op.to.name)) {
      note(`replaceView: ${op.to.name} exists already`);
      return s;
    }
    return { ...s, views: sorted([...rest, op.to]) };
  },
  deleteRows: (s, op, note) => {
    if (!has(s.tables, op.table)) note(`deleteRows: no table ${op.table}`);
    return s;
  },
  execute: (s, op, note) => {
    const renamed = renameByExecute(s, op.sql);
    if (renamed) return renamed;
    note(`execute: ${op.sql.trim().replace(/\s+/g, ' ').slice(0, 60)}`);
    return s;
  },
};

// The diff writes index and constraint renames as `execute` (there is no
// operation kind for them); the replay knows those two forms, so a generated
// revision replays exactly. Any other SQL stays unknown.
const IDENT = String.raw`("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const RENAME_INDEX = new RegExp(String.raw`^ALTER INDEX ${IDENT} RENAME TO ${IDENT};?$`, 'i');
const RENAME_CONSTRAINT = new RegExp(String.raw`^ALTER TABLE ${IDENT} RENAME CONSTRAINT ${IDENT} TO ${IDENT};?$`, 'i');
const unquote = (x: string) => (x.startsWith('"') ? x.slice(1, -1).replace(/""/g, '"') : x.toLowerCase());

function renameByExecute(s: Schema, sql: string): Schema | null {
  const text = sql.trim();
  const index = RENAME_INDEX.exec(text);
  if (index) return renameIndexIn(s, unquote(index[1]), unquote(index[2]));
  const constraint = RENAME_CONSTRAINT.exec(text);
  if (constraint) return renameConstraintIn(s, unquote(constraint[1]), unquote(constraint[2]), unquote(constraint[3]));
  return null;
}

const renameIn = <T extends { readonly name: string }>(xs: readonly T[], from: string, to: string) => xs.map((x) => (x.name === from ? { ...x, name: to } : x));

/** ALTER INDEX names no table: the index is found wherever it is; null when it is nowhere. */
function renameIndexIn(s: Schema, from: string, to: string): Schema | null {
  const t = s.tables.find((x) => has(x.indexes, from));
  if (!t) return null;
  return { ...s, tables: s.tables.map((x) => (x === t ? { ...t, indexes: sorted(renameIn(t.indexes, from, to)) } : x)) };
}

/** A primary key, unique, foreign key or check of `table` renamed; null when the table has none of that name. */
function renameConstraintIn(s: Schema, table: string, from: string, to: string): Schema | null {
  const t = s.tables.find((x) => x.name === table);
  if (!t || !(t.primaryKey?.name === from || has(t.uniques, from) || has(t.foreignKeys, from) || has(t.checks, from))) return null;
  const next: Table = {
    ...t,
    primaryKey: t.primaryKey?.name === from ? { ...t.primaryKey, name: to } : t.primaryKey,
    uniques: sorted(renameIn(t.uniques, from, to)),
    foreignKeys: sorted(renameIn(t.foreignKeys, from, to)),
    checks: sorted(renameIn(t.checks, from, to)),
  };
  return { ...s, tables: s.tables.map((x) => (x === t ? next : x)) };
}

/** Applies operations to a schema, in order; pure, never mutates its input. */
export function applyOperations(schema: Schema, ops: readonly Operation[]): ReplayResult {
  const unknown: string[] = [];
  const note: Note = (line) => unknown.push(line);
  let s = schema;
  for (const op of ops) {
    const apply = APPLIERS[op?.kind as Operation['kind']] as ((s: Schema, o: Operation, n: Note) => Schema) | undefined;
    if (!apply) {
      // A hand-edited file may hold anything.
      note(`unknown operation: ${String((op as { kind?: unknown } | null)?.kind)}`);
      continue;
    }
    try {
      s = apply(s, op, note);
    } catch (e) {
      // A malformed operation (a field missing in a hand-edited file) must not stop the browser.
      note(`${op.kind}: could not apply (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return { schema: s, unknown };
}
