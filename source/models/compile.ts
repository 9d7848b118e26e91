/**
 * The models' side of the comparison: every model, enum and view the model
 * modules export (plus models reachable only through a relation and enums
 * used only by a ChoiceField) compiled into one Schema. Anything PostgreSQL
 * would reject or silently change (a name over 63 bytes, two objects with one
 * name) is refused here, naming the file, the model and the field.
 */
import type { Schema, Table, View } from '../schema/types.js';
import { isEnum, isModel, isView, type EnumDef, type Model, type ViewDef } from './define.js';
import { Needs, byName, checkIdent, describe, fail, type Where } from './compile-field.js';
import { isRelational, resolveTarget } from './relations.js';
import { ModelCompiler } from './compile-model.js';

export interface ModelModule {
  readonly file: string;
  readonly exports: Record<string, unknown>;
}

/**
 * `notes` collects what a user should hear though nothing is wrong: a model
 * that is in the schema only because another refers to it (not exported
 * from any models module, perhaps by mistake).
 */
export function compileModels(modules: readonly ModelModule[], notes: string[] = []): Schema {
  const modelFile = new Map<Model, string>();
  const queue: Model[] = [];
  const enums: [EnumDef, string][] = [];
  const viewDefs: [ViewDef, string][] = [];
  for (const { file, exports } of modules) {
    for (const value of Object.values(exports ?? {})) {
      if (isModel(value) && !modelFile.has(value)) {
        modelFile.set(value, file);
        queue.push(value);
      } else if (isEnum(value)) enums.push([value, file]);
      else if (isView(value)) viewDefs.push([value, file]);
    }
  }
  // Models reached only through a relation count too, attributed to the
  // file of the model that refers to them.
  for (let i = 0; i < queue.length; i++) {
    const m = queue[i];
    const file = modelFile.get(m)!;
    for (const [name, f] of Object.entries(m.fields ?? {})) {
      if (!isRelational(f)) continue;
      const target = resolveTarget(f, { file, model: m.name, field: name });
      if (!modelFile.has(target)) {
        modelFile.set(target, file);
        queue.push(target);
        notes.push(
          `model ${target.name} (table ${target.tablename}) is not exported from any models module; ${m.name}.${name} in ${file} refers to it, so its table is part of the schema`,
        );
      }
    }
  }

  const needs = new Needs();
  for (const [e, file] of enums) needs.addEnum(e.typeName, e.values, { file, enum: e.name });

  const compiler = new ModelCompiler(needs, (m) => modelFile.get(m) ?? '(unknown file)');
  const tables = new Map<string, { table: Table; where: Where }>();
  for (const [m, file] of modelFile) {
    for (const table of compiler.compile(m, file)) {
      const where: Where = { file, model: m.name };
      const before = tables.get(table.name);
      if (!before) {
        tables.set(table.name, { table, where });
        continue;
      }
      // The same model from a second instance of its module compiles to the
      // same table: harmless. Anything else is two definitions of one table.
      if (JSON.stringify(before.table) !== JSON.stringify(table)) {
        fail(
          where,
          `the table "${table.name}" is also defined by ${describe(before.where)}`,
          'Give one of them another `tablename` (or many-to-many `through`).',
        );
      }
    }
  }

  const views = new Map<string, { view: View; where: Where }>();
  for (const [v, file] of viewDefs) {
    const where: Where = { file, view: v.name };
    const name = checkIdent(v.viewname, 'view', where);
    if (typeof v.sql !== 'string' || v.sql.trim() === '') fail(where, 'a view needs `sql`: its SELECT statement');
    const before = views.get(name);
    if (before && before.view.sql !== v.sql) fail(where, `the view "${name}" is also defined by ${describe(before.where)}`);
    views.set(name, { view: { name, sql: v.sql, definition: v.sql }, where });
  }

  checkNamespaces([...tables.values()], [...views.values()], needs);

  return {
    extensions: [...needs.extensions].sort(),
    enums: [...needs.enums].map(([name, e]) => ({ name, values: [...e.values] })).sort(byName),
    tables: [...tables.values()].map((t) => t.table).sort(byName),
    views: [...views.values()].map((v) => v.view).sort(byName),
  };
}

/**
 * PostgreSQL keeps tables, views, indexes and the indexes behind primary key
 * and unique constraints in one namespace per schema, a table's row type
 * shares the type namespace with enums, and constraint names are unique per
 * table. A clash would only surface when the migration runs: refuse it now.
 */
function checkNamespaces(
  tables: readonly { table: Table; where: Where }[],
  views: readonly { view: View; where: Where }[],
  needs: Needs,
): void {
  const relations = new Map<string, string>();
  const claim = (name: string, what: string, where: Where): void => {
    const before = relations.get(name);
    if (before !== undefined) fail(where, `the ${what} name "${name}" is already used by ${before}`);
    relations.set(name, `${what} ${name} (${describe(where)})`);
  };
  for (const { table, where } of tables) claim(table.name, 'table', where);
  for (const { view, where } of views) claim(view.name, 'view', where);
  for (const [name, e] of needs.enums) {
    if (relations.has(name)) fail(e.where, `the enum type "${name}" has the name of ${relations.get(name)}`);
  }
  for (const { table, where } of tables) {
    if (table.primaryKey) claim(table.primaryKey.name, 'primary key', where);
    for (const u of table.uniques) claim(u.name, 'unique constraint', where);
    for (const i of table.indexes) claim(i.name, 'index', where);
    const constraints = new Set<string>();
    const names = [table.primaryKey?.name, ...table.uniques.map((u) => u.name), ...table.foreignKeys.map((f) => f.name)];
    for (const n of names) {
      if (n === undefined) continue;
      if (constraints.has(n)) fail(where, `two constraints of table "${table.name}" are named "${n}"`);
      constraints.add(n);
    }
  }
}
