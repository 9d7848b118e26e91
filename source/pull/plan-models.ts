/**
 * The first half of `pull`: an introspected `Schema` read as models — which
 * table is which model, which columns are the implicit `id` and timestamps,
 * which foreign keys and which through tables the DSL can say — without any
 * source text yet. Whatever the models cannot say is collected as a sentence
 * in `unsupported`, never dropped silently.
 *
 * Every decision mirrors source/models/compile-model.ts, so the models
 * compile back to the same tables and `makemigrations` finds nothing to do.
 */
import { columnKey } from '../diff/columns.js';
import { normalizeDefault } from '../diff/normalize.js';
import { namesIn } from '../models/compile-model.js';
import type { Column, Deferrable, ForeignKey, Index, IndexMethod, Schema, Table, UniqueConstraint } from '../schema/types.js';
import { defaultOption, type DefaultOption } from './column-default.js';
import { fieldShapeOf, type FieldShape } from './field-kinds.js';
import { isIdentifier, modelNameOf, NamePool, pascalCase } from './names.js';

const METHODS: readonly IndexMethod[] = ['btree', 'hash', 'gin', 'gist', 'brin', 'hnsw', 'ivfflat', 'spgist'];

/** Version tables of other migration tools: kept as models so `makemigrations` leaves them alone. */
export const FOREIGN_VERSION_TABLES: Readonly<Record<string, string>> = {
  alembic_version: 'Alembic',
  django_migrations: 'Django',
  schema_migrations: 'Rails or golang-migrate',
  flyway_schema_history: 'Flyway',
  knex_migrations: 'Knex',
  knex_migrations_lock: 'Knex',
  _prisma_migrations: 'Prisma',
  __drizzle_migrations: 'drizzle-kit',
  databasechangelog: 'Liquibase',
  databasechangeloglock: 'Liquibase',
};

export interface FieldPlan {
  readonly name: string;
  readonly column: Column;
  readonly shape: FieldShape;
  /** ForeignKey: the target model's constant. */
  readonly target?: string;
  readonly foreignKey?: ForeignKey;
  /** ForeignKey to a unique column other than the target's key: that column (its field has the same name). */
  readonly toField?: string;
  readonly primaryKey: boolean;
  readonly unique: boolean;
  readonly index: boolean;
  readonly default: DefaultOption | null;
  /** The column option, when the column is not what the field name implies. */
  readonly columnOption: string | null;
  /** The column's type has no field kind: written as `shape`, with this note. */
  readonly typeNote: string | null;
}

export interface ManyToManyPlan {
  readonly name: string;
  readonly target: string;
  readonly through: string | null;
  readonly comment: string | null;
}

export interface ModelPlan {
  readonly constName: string;
  readonly table: Table;
  /** The tablename option, null when the model name implies it. */
  readonly tablename: string | null;
  readonly timestamps: boolean;
  readonly fields: FieldPlan[];
  readonly manyToMany: ManyToManyPlan[];
  /** Multi-column (or oddly named) indexes, with field names for columns, or the SQL of each expression. */
  readonly indexes: ({ fields: string[]; expressions?: undefined; index: Index } | { expressions: string[]; fields?: undefined; index: Index })[];
  readonly uniqueTogether: { fields: string[]; name: string | null; nullsNotDistinct: boolean; deferrable: Deferrable | null }[];
  /** CHECK constraints: the bare expression, and the name when it is not the one the compiler gives. */
  readonly checks: { name: string | null; sql: string }[];
  /** A note on the model itself (another tool's version table). */
  readonly note: string | null;
}

export interface ModelsPlan {
  readonly enums: { constName: string; typeName: string; values: readonly string[] }[];
  readonly models: ModelPlan[];
  readonly views: { constName: string; viewname: string; sql: string }[];
  readonly unsupported: string[];
}

const sameStrings = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function isImplicitId(t: Table): boolean {
  const id = t.columns.find((c) => c.name === 'id');
  return (
    !!id && sameStrings(t.primaryKey?.columns ?? [], ['id']) && id.type === 'bigint' && id.identity === 'by default' &&
    !id.nullable && id.default === null && !id.comment
  );
}

function isTimestamp(c: Column | undefined): boolean {
  return !!c && c.type === 'timestamp with time zone' && !c.nullable && normalizeDefault(c.default) === 'now()' && !c.identity && !c.comment;
}

function hasTimestamps(t: Table): boolean {
  return isTimestamp(t.columns.find((c) => c.name === 'created_at')) && isTimestamp(t.columns.find((c) => c.name === 'updated_at'));
}

export function planModels(schema: Schema): ModelsPlan {
  const unsupported: string[] = [];
  const pool = new NamePool();
  const enumConst = new Map<string, string>();
  for (const e of schema.enums) enumConst.set(e.name, pool.claim(pascalCase(e.name), 'Enum'));
  const enumValuesOf = new Map(schema.enums.map((e) => [e.name, e.values]));
  const tables = new Map(schema.tables.map((t) => [t.name, t]));
  const modelConst = new Map<string, string>();
  for (const t of schema.tables) modelConst.set(t.name, pool.claim(modelNameOf(t.name), 'Model'));

  /** The key columns the model of `t` ends up with. */
  const keyOf = (t: Table): string[] => {
    if (t.primaryKey) return [...t.primaryKey.columns];
    return ['id'];
  };
  const columnOf = (t: Table, name: string) => t.columns.find((c) => c.name === name);
  /** The foreign key points at its target's (single-column) primary key: no `toField`. */
  const referencesKey = (fk: ForeignKey): boolean => {
    const target = tables.get(fk.refTable);
    return !!target && sameStrings(keyOf(target), fk.refColumns);
  };
  // `toField` names a plain (not relational, not implicit) field of the
  // target that the compiler can see is unique: `unique: true`, a
  // one-field uniqueTogether, or a one-field unique index without WHERE.
  const isToFieldTarget = (target: Table, ref: string): boolean => {
    if (!columnOf(target, ref)) return false;
    if ((ref === 'id' && isImplicitId(target)) || ((ref === 'created_at' || ref === 'updated_at') && hasTimestamps(target))) return false;
    if (target.foreignKeys.some((f) => f.columns.includes(ref))) return false;
    return (
      target.uniques.some((u) => sameStrings(u.columns, [ref])) ||
      target.indexes.some((i) => i.unique && !i.where && sameStrings(i.columns, [ref]))
    );
  };

  // Why a foreign key cannot be a ForeignKey field, or null when it can.
  const fkProblem = (t: Table, fk: ForeignKey): string | null => {
    if (fk.columns.length !== 1) return 'it spans several columns';
    const target = tables.get(fk.refTable);
    if (!target) return `its table ${fk.refTable} is not in the pulled schema`;
    const ref = fk.refColumns[0];
    if (!referencesKey(fk) && !isToFieldTarget(target, ref))
      return `it references ${fk.refTable}.${ref}, which is neither the primary key nor a unique column of its own field`;
    const col = columnOf(t, fk.columns[0])!;
    if (col.generated) return 'its column is generated, and a ForeignKey field cannot be';
    const refCol = columnOf(target, ref);
    const refType = refCol ? refCol : { type: 'bigint', enumType: null };
    if (columnKey(col) !== columnKey(refType)) return `its column is ${col.type} and the column it references is ${refType.type}`;
    if (fk.onDelete === 'set null' && !col.nullable) return 'it is ON DELETE SET NULL on a NOT NULL column';
    return null;
  };

  // Tables something points at cannot be folded into a many-to-many field.
  const referenced = new Set(schema.tables.flatMap((t) => t.foreignKeys.filter((fk) => fk.refTable !== t.name).map((fk) => fk.refTable)));
  const throughs = new Map<string, { owner: string } & ManyToManyPlan>();
  const manyToManyNames = new Map<string, Set<string>>(); // owner table → its many-to-many field names
  for (const t of schema.tables) {
    const m2m = manyToManyOf(t);
    if (m2m) throughs.set(t.name, m2m);
  }

  function manyToManyOf(t: Table): ({ owner: string } & ManyToManyPlan) | null {
    if (referenced.has(t.name) || t.columns.length !== 2 || t.foreignKeys.length !== 2) return null;
    if (t.uniques.length || t.indexes.length || t.checks.length || FOREIGN_VERSION_TABLES[t.name]) return null;
    if (t.columns.some((c) => c.nullable || c.default !== null || c.identity || c.comment)) return null;
    const [a, b] = t.primaryKey?.columns ?? [];
    if (t.primaryKey?.columns.length !== 2) return null;
    const fkA = t.foreignKeys.find((fk) => sameStrings(fk.columns, [a]));
    const fkB = t.foreignKeys.find((fk) => sameStrings(fk.columns, [b]));
    if (!fkA || !fkB) return null;
    for (const fk of [fkA, fkB]) {
      if (fk.onDelete !== 'cascade' || fk.onUpdate !== 'no action' || fk.deferrable || fkProblem(t, fk) !== null || !referencesKey(fk)) return null;
      if (fk.name !== `${t.name}_${fk.columns[0]}_fkey`) return null;
      if (fk.refTable === t.name) return null;
    }
    const owner = fkA.refTable;
    const target = fkB.refTable;
    const ownerName = modelConst.get(owner)!.toLowerCase();
    const targetName = modelConst.get(target)!.toLowerCase();
    const self = owner === target;
    const want = self ? [`from_${ownerName}_id`, `to_${targetName}_id`] : [`${ownerName}_id`, `${targetName}_id`];
    if (!sameStrings([a, b], want)) return null;
    if (t.primaryKey.name !== `${t.name}_pkey`) return null;
    const rest = t.name.startsWith(`${owner}_`) ? t.name.slice(owner.length + 1) : '';
    const ownerColumns = new Set(tables.get(owner)!.columns.map((c) => c.name));
    const taken = manyToManyNames.get(owner) ?? new Set<string>();
    const usable = (n: string) => n !== '' && isIdentifier(n) && !ownerColumns.has(n) && !ownerColumns.has(`${n}_id`) && !taken.has(n);
    const name = [rest, target, `${target}_set`, `${t.name}_set`].find(usable);
    if (name === undefined) return null;
    manyToManyNames.set(owner, taken.add(name));
    return { owner, name, target: modelConst.get(target)!, through: name === rest ? null : t.name, comment: t.comment ?? null };
  }

  // Looked up once per table: a scan of all of them per table is quadratic in a schema of many through tables.
  const manyToManyByOwner = new Map<string, ManyToManyPlan[]>();
  for (const { owner, ...m } of throughs.values()) {
    const list = manyToManyByOwner.get(owner);
    if (list) list.push(m);
    else manyToManyByOwner.set(owner, [m]);
  }
  const models: ModelPlan[] = [];
  for (const t of schema.tables) {
    if (throughs.has(t.name)) continue;
    models.push(planModel(t));
  }

  function planModel(t: Table): ModelPlan {
    const where = `table ${t.name}`;
    const implicitId = isImplicitId(t);
    const timestamps = hasTimestamps(t);
    const skip = new Set<string>([...(implicitId ? ['id'] : []), ...(timestamps ? ['created_at', 'updated_at'] : [])]);
    let pk = t.primaryKey?.columns ?? [];
    if (!t.primaryKey) {
      const id = columnOf(t, 'id');
      if (id) {
        pk = ['id'];
        unsupported.push(`${where} has no primary key: the model makes its column id the primary key`);
      } else {
        unsupported.push(`${where} has no primary key: the model gives it the implicit id column`);
      }
    }
    const columnNames = new Set(t.columns.map((c) => c.name));
    const usedNames = new Set<string>();
    const fkByColumn = new Map<string, ForeignKey>();
    for (const fk of t.foreignKeys) {
      const problem = fkProblem(t, fk);
      if (problem !== null) {
        unsupported.push(`foreign key ${fk.name} on ${t.name} (${fk.columns.join(', ')}) -> ${fk.refTable}: ${problem}; the models cannot express it`);
        continue;
      }
      if (fkByColumn.has(fk.columns[0])) {
        unsupported.push(`foreign key ${fk.name} on ${t.name}: a second foreign key on column ${fk.columns[0]}; the models cannot express it`);
        continue;
      }
      if (fk.name !== `${t.name}_${fk.columns[0]}_fkey`)
        unsupported.push(`foreign key ${fk.name} on ${t.name}: the models name it ${t.name}_${fk.columns[0]}_fkey, so makemigrations will rename it`);
      if (fk.onUpdate !== 'no action') unsupported.push(`foreign key ${fk.name} on ${t.name}: ON UPDATE ${fk.onUpdate.toUpperCase()} kept in the model as onUpdate`);
      fkByColumn.set(fk.columns[0], fk);
    }

    const singleUnique = new Set<string>();
    const uniqueTogether: ModelPlan['uniqueTogether'] = [];
    const conventionalUniques: UniqueConstraint[] = [];
    for (const u of t.uniques) {
      const plain = !u.nullsNotDistinct && !u.deferrable;
      if (plain && u.columns.length === 1 && u.name === `${t.name}_${u.columns[0]}_key` && !skip.has(u.columns[0])) {
        singleUnique.add(u.columns[0]);
        conventionalUniques.push(u);
      }
    }
    const singleIndex = new Set<string>();
    for (const i of t.indexes) {
      const c = i.columns[0];
      if (
        i.columns.length === 1 && !c.startsWith('(') && !i.unique && i.using === 'btree' && !i.opclasses && !i.with && !i.where &&
        i.name === `${t.name}_${c}_idx` && !skip.has(c) && !singleIndex.has(c)
      )
        singleIndex.add(c);
    }

    const fields: FieldPlan[] = [];
    const fieldOfColumn = new Map<string, string>();
    for (const c of skip) fieldOfColumn.set(c, c);
    for (const c of t.columns) {
      if (skip.has(c.name)) continue;
      const fk = fkByColumn.get(c.name);
      let name = c.name;
      if (fk) {
        const stripped = c.name.endsWith('_id') ? c.name.slice(0, -3) : '';
        if (stripped !== '' && !columnNames.has(stripped) && !usedNames.has(stripped)) name = stripped;
      }
      usedNames.add(name);
      fieldOfColumn.set(c.name, name);
      const implied = fk ? `${name}_id` : name;
      const match = fk ? { shape: { kind: 'ForeignKey', options: {} } as FieldShape } : fieldShapeOf(c, (e) => enumConst.get(e));
      let typeNote: string | null = null;
      if ('unsupported' in match) {
        typeNote = match.unsupported;
        unsupported.push(`column ${t.name}.${c.name} is ${match.unsupported}, which no field kind is: written as ${match.shape.kind === 'ArrayField' ? 'an ArrayField of TextField' : 'a TextField'}, so makemigrations will propose changing its type`);
      }
      const kind = match.shape.kind;
      const enumValues = kind === 'ChoiceField' && c.enumType ? enumValuesOf.get(c.enumType) : undefined;
      const dflt = c.default === null || c.identity ? null : fk ? { serverDefault: c.default } : defaultOption(c.default, kind, enumValues);
      fields.push({
        name,
        column: c,
        shape: match.shape,
        ...(fk ? { target: modelConst.get(fk.refTable)!, foreignKey: fk } : {}),
        ...(fk && !referencesKey(fk) ? { toField: fk.refColumns[0] } : {}),
        primaryKey: pk.includes(c.name) && !implicitId,
        unique: singleUnique.has(c.name),
        index: singleIndex.has(c.name),
        default: dflt,
        columnOption: implied === c.name ? null : c.name,
        typeNote,
      });
    }
    // The compiler orders the key as the fields are declared: the key fields
    // go first, in the key's order, when the table's column order differs.
    const declared = fields.filter((f) => f.primaryKey).map((f) => f.column.name);
    if (!sameStrings(declared, pk.filter((c) => !skip.has(c)))) {
      const keyFields = pk.map((c) => fields.find((f) => f.column.name === c)!).filter(Boolean);
      const others = fields.filter((f) => !f.primaryKey);
      fields.splice(0, fields.length, ...keyFields, ...others);
    }

    const refs = (cols: readonly string[]) => cols.map((c) => fieldOfColumn.get(c) ?? c);
    for (const u of t.uniques) {
      if (conventionalUniques.includes(u)) continue;
      const conventional = `${t.name}_${u.columns.join('_')}_key`;
      uniqueTogether.push({
        fields: refs(u.columns), name: u.name === conventional ? null : u.name, nullsNotDistinct: u.nullsNotDistinct === true, deferrable: u.deferrable ?? null,
      });
    }
    const indexes: ModelPlan['indexes'] = [];
    for (const i of t.indexes) {
      if (i.columns.length === 1 && singleIndex.has(i.columns[0]) && i.name === `${t.name}_${i.columns[0]}_idx`) continue;
      if (!METHODS.includes(i.using)) {
        unsupported.push(`index ${i.name} on ${t.name} uses ${i.using}: the models cannot express it, so makemigrations will propose dropping it`);
        continue;
      }
      const isExpression = (c: string) => c.startsWith('(');
      if (!i.columns.some(isExpression)) indexes.push({ fields: refs(i.columns), index: i });
      // An index is on fields or on expressions; PostgreSQL stores an
      // expression that is a bare column as that column, so a mix has no spelling.
      else if (i.columns.every(isExpression)) indexes.push({ expressions: i.columns.map((c) => c.slice(1, -1)), index: i });
      else unsupported.push(`index ${i.name} on ${t.name} mixes columns and expressions (${i.columns.join(', ')}): the models cannot express it, so makemigrations will propose dropping it`);
    }
    const checks: ModelPlan['checks'] = [];
    for (const c of t.checks) {
      // Introspection gives pg_get_constraintdef(): `CHECK (<expression>)`,
      // perhaps NOT VALID (or NO INHERIT, which no model says); compiled models the bare expression.
      const m = /^CHECK \(([\s\S]*)\)( NOT VALID)?$/.exec(c.expression);
      if (!m && c.expression.startsWith('CHECK (')) {
        unsupported.push(`check constraint ${c.name} on ${t.name}: ${c.expression}: the models cannot express it, so makemigrations will propose dropping it`);
        continue;
      }
      const sql = m ? m[1] : c.expression;
      checks.push({ name: c.name === defaultCheckName(t, sql) ? null : c.name, sql });
      if (m?.[2]) unsupported.push(`check constraint ${c.name} on ${t.name} is NOT VALID: the model declares it as a plain check (a new database gets it validated)`);
    }

    // A model's primary key is always named <table>_pkey (what PostgreSQL gives a new table).
    if (t.primaryKey && t.primaryKey.name !== `${t.name}_pkey`)
      unsupported.push(`primary key ${t.primaryKey.name} on ${t.name}: the models name it ${t.name}_pkey, so makemigrations will propose renaming it`);

    const constName = modelConst.get(t.name)!;
    const tool = FOREIGN_VERSION_TABLES[t.name];
    const note = tool ? `${tool}'s version table: modelled so that makemigrations leaves it alone; delete this model once ${tool} no longer manages the database` : null;
    if (tool) unsupported.push(`table ${t.name} is ${tool}'s version table: written as a model (${constName}) so that makemigrations leaves it alone`);
    return {
      constName,
      table: t,
      tablename: `${constName.toLowerCase()}s` === t.name ? null : t.name,
      timestamps,
      fields,
      manyToMany: manyToManyByOwner.get(t.name) ?? [],
      indexes,
      uniqueTogether,
      checks,
      note,
    };
  }

  const views = schema.views.map((v) => ({ constName: pool.claim(pascalCase(v.name), 'View'), viewname: v.name, sql: v.sql }));
  return {
    enums: schema.enums.map((e) => ({ constName: enumConst.get(e.name)!, typeName: e.name, values: e.values })),
    models: orderModels(models),
    views,
    unsupported,
  };
}

/** The compiler's name for a CHECK: `<table>_<first column the expression names>_check`, else `<table>_check`. */
function defaultCheckName(t: Table, sql: string): string {
  const first = namesIn(sql).find((n) => t.columns.some((c) => c.name === n));
  return first ? `${t.name}_${first}_check` : `${t.name}_check`;
}

/** The compiler's name for an expression index: the first name each expression holds. */
export function defaultExpressionIndexName(table: string, expressions: readonly string[]): string {
  return `${table}_${expressions.map((e) => namesIn(e)[0] ?? 'expr').join('_')}_idx`;
}

/** Models a model refers to come before it where the references allow (a cycle keeps the table order). */
function orderModels(models: ModelPlan[]): ModelPlan[] {
  const byConst = new Map(models.map((m) => [m.constName, m]));
  const done = new Set<ModelPlan>();
  const visiting = new Set<ModelPlan>();
  const out: ModelPlan[] = [];
  const visit = (m: ModelPlan) => {
    if (done.has(m) || visiting.has(m)) return;
    visiting.add(m);
    for (const f of m.fields) if (f.target) visit(byConst.get(f.target)!);
    for (const r of m.manyToMany) visit(byConst.get(r.target)!);
    visiting.delete(m);
    done.add(m);
    out.push(m);
  };
  for (const m of models) visit(m);
  return out;
}
