/**
 * One model → its table (plus the through tables of its many-to-many
 * fields), following the conventions of source/schema/types.ts so that a
 * database migrated from it introspects to the same data.
 */
import type { Check, Column, Deferrable, ForeignKey, Identity, Index, IndexMethod, ReferentialAction, Table, UniqueConstraint } from '../schema/types.js';
import type { CheckDefinition, IndexDefinition, Model, UniqueTogether } from './define.js';
import { labelText } from './fields.js';
import {
  byName, checkField, checkIdent, dedupe, elementKind, fail, isFieldObject, opclasses, scalarType,
  type Needs, type RawField, type Where,
} from './compile-field.js';
import { RELATIONAL, resolveTarget } from './relations.js';
import { renderDefault } from './sql-values.js';

const ACTIONS: readonly ReferentialAction[] = ['no action', 'restrict', 'cascade', 'set null', 'set default'];
const METHODS: readonly IndexMethod[] = ['btree', 'hash', 'gin', 'gist', 'brin', 'hnsw', 'ivfflat', 'spgist'];
const IDENTITIES: readonly Identity[] = ['always', 'by default'];
const DEFERRABLES: readonly Deferrable[] = ['immediate', 'deferred'];
const INTEGER_KINDS = new Set(['IntegerField', 'SmallIntegerField', 'BigIntegerField']);

function deferrableOf(d: unknown, where: Where): { deferrable?: Deferrable } {
  if (d === undefined || d === null || d === false) return {};
  if (!DEFERRABLES.includes(d as Deferrable)) fail(where, `deferrable must be 'immediate' or 'deferred', not ${JSON.stringify(d)}`);
  return { deferrable: d as Deferrable };
}

function sqlText(v: unknown, what: string, where: Where): string {
  if (typeof v !== 'string' || v.trim() === '') fail(where, `${what} must be SQL text`);
  return v.trim();
}

/** The names an expression mentions, in order, outside string literals (for default names; `pull` names the same way). */
export function namesIn(sql: string): string[] {
  const out: string[] = [];
  for (const m of sql.replace(/'(?:[^']|'')*'/g, ' ').matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)/g)) {
    out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].toLowerCase());
  }
  return out;
}

interface KeyColumn {
  readonly name: string;
  readonly type: string;
  readonly enumType?: string;
  readonly implicit?: boolean;
}

function nonEmpty(s: unknown): string | null {
  return typeof s === 'string' && s !== '' ? s : null;
}

function column(name: string, type: { type: string; enumType?: string }, rest: Omit<Column, 'name' | 'type' | 'enumType'>): Column {
  // enumType only on enum columns (introspection leaves it off elsewhere).
  return { name, type: type.type, ...(type.enumType ? { enumType: type.enumType } : {}), ...rest };
}

const timestamp = (name: string): Column =>
  column(name, { type: 'timestamp with time zone' }, { nullable: false, default: 'now()', identity: null, comment: null });

export class ModelCompiler {
  private readonly keys = new Map<Model, readonly KeyColumn[]>();

  constructor(private readonly needs: Needs, private readonly fileOf: (m: Model) => string) {}

  /** The primary key columns of a model: the implicit `id`, or its primaryKey fields. */
  private keyOf(m: Model, stack = new Set<Model>()): readonly KeyColumn[] {
    const cached = this.keys.get(m);
    if (cached) return cached;
    const where: Where = { file: this.fileOf(m), model: m.name };
    if (stack.has(m)) fail(where, 'its primary key refers back to itself through foreign keys');
    stack.add(m);
    const keys: KeyColumn[] = [];
    for (const [name, raw] of Object.entries(m.fields ?? {}) as [string, unknown][]) {
      if (!isFieldObject(raw) || raw.primaryKey !== true || raw.kind === 'ManyToManyField') continue;
      const fw = { ...where, field: name };
      const f = checkField(raw, fw);
      if (RELATIONAL.has(f.kind)) {
        const target = resolveTarget(f, fw);
        keys.push({ ...this.singleKey(target, fw, stack), name: f.column ?? `${name}_id`, implicit: false });
      } else {
        keys.push({ name: f.column ?? name, ...scalarType(f, fw, this.needs) });
      }
    }
    if (keys.length === 0) keys.push({ name: 'id', type: 'bigint', implicit: true });
    stack.delete(m);
    this.keys.set(m, keys);
    return keys;
  }

  private singleKey(target: Model, where: Where, stack?: Set<Model>): KeyColumn {
    const key = this.keyOf(target, stack);
    if (key.length !== 1) {
      fail(where, `${target.name} has a composite primary key; a relation to it is not supported`);
    }
    return { name: key[0].name, type: key[0].type, ...(key[0].enumType ? { enumType: key[0].enumType } : {}) };
  }

  compile(m: Model, file: string): Table[] {
    const where: Where = { file, model: m.name };
    const table = checkIdent(m.tablename, 'table', where);
    if (!m.fields || typeof m.fields !== 'object') fail(where, '`fields` must be an object');
    const key = this.keyOf(m);
    const columns: Column[] = [];
    const owner = new Map<string, { by: string; where: Where }>(); // column → what declared it
    const fieldColumn = new Map<string, string>();
    const manyToMany = new Set<string>();
    const uniques: UniqueConstraint[] = [];
    const indexes: Index[] = [];
    const foreignKeys: ForeignKey[] = [];
    const extra: Table[] = [];
    const add = (c: Column, by: string, fw: Where): void => {
      checkIdent(c.name, 'column', fw);
      const before = owner.get(c.name);
      if (before !== undefined) {
        // Name the user's field, even when the clash is with a timestamp added after it.
        if (fw.field === undefined && before.where.field !== undefined) fail(before.where, `the column "${c.name}" is also ${by}`);
        fail(fw, `the column "${c.name}" is also ${before.by}`);
      }
      owner.set(c.name, { by, where: fw });
      columns.push(c);
    };

    if (key[0].implicit) {
      add(column('id', key[0], { nullable: false, default: null, identity: 'by default', comment: null }), 'the implicit primary key (declare a field with primaryKey: true to replace it)', where);
    }
    for (const [name, raw] of Object.entries(m.fields) as [string, unknown][]) {
      const fw: Where = { ...where, field: name };
      const f = checkField(raw, fw);
      if (f.kind === 'ManyToManyField') {
        manyToMany.add(name);
        extra.push(this.through(m, file, name, f, fw));
        continue;
      }
      const relational = RELATIONAL.has(f.kind);
      const colName = f.column ?? (relational ? `${name}_id` : name);
      const target = relational ? resolveTarget(f, fw) : null;
      const targetKey = target ? (f.toField !== undefined ? this.fieldKey(target, f.toField, fw) : this.singleKey(target, fw)) : null;
      const type = targetKey ?? scalarType(f, fw, this.needs);
      if (f.identity !== undefined && f.identity !== null && !IDENTITIES.includes(f.identity)) {
        fail(fw, `identity must be 'always' or 'by default', not ${JSON.stringify(f.identity)}`);
      }
      const identity: Identity | null = f.identity ?? (f.autoincrement === true ? 'by default' : null);
      if (identity && !INTEGER_KINDS.has(f.kind)) fail(fw, `identity needs an integer field (IntegerField, SmallIntegerField, BigIntegerField), not a ${f.kind}`);
      if (f.null === true && (f.primaryKey === true || identity)) fail(fw, 'a primary key or identity column cannot be null');
      let generated: string | null = null;
      if (f.generated !== undefined && f.generated !== null) {
        generated = sqlText(f.generated, 'generated', fw);
        if (relational) fail(fw, `a ${f.kind} cannot be generated`);
        if (identity || f.primaryKey === true) fail(fw, 'a generated column cannot be a primary key or an identity column');
        if (f.default !== undefined || f.serverDefault !== undefined) fail(fw, 'a generated column cannot have a default');
      }
      let dflt: string | null;
      if (f.serverDefault !== undefined && f.serverDefault !== null) {
        if (typeof f.serverDefault !== 'string' || f.serverDefault.trim() === '') fail(fw, 'serverDefault must be SQL text');
        dflt = f.serverDefault.trim();
      } else {
        const enumValues = 'enumValues' in type ? type.enumValues : undefined;
        dflt = renderDefault(f.default, { kind: target ? 'ForeignKey' : f.kind, elementKind: elementKind(f), enumValues, bad: (msg) => fail(fw, msg) });
      }
      if (identity && dflt !== null) fail(fw, 'an identity (autoincrement) column cannot have a default');
      const comment = nonEmpty(f.comment) ?? nonEmpty(labelText(f.label));
      const rest = { nullable: f.null === true, default: dflt, identity, ...(generated ? { generated } : {}), comment };
      add(column(colName, type, rest), `the column of field ${name}`, fw);
      fieldColumn.set(name, colName);
      if (target && targetKey) {
        const onDelete = f.onDelete ?? 'no action';
        const onUpdate = f.onUpdate ?? 'no action';
        for (const a of [onDelete, onUpdate]) {
          if (!ACTIONS.includes(a)) fail(fw, `unknown referential action "${a}" (use one of ${ACTIONS.join(', ')})`);
        }
        if (onDelete === 'set null' && f.null !== true) fail(fw, "onDelete: 'set null' needs null: true");
        const fkName = checkIdent(`${table}_${colName}_fkey`, 'foreign key', fw);
        foreignKeys.push({
          name: fkName, columns: [colName], refTable: target.tablename, refColumns: [targetKey.name], onDelete, onUpdate, ...deferrableOf(f.deferrable, fw),
        });
      }
      if (f.unique === true || (f.kind === 'OneToOneField' && f.primaryKey !== true)) {
        uniques.push({ name: checkIdent(`${table}_${colName}_key`, 'unique constraint', fw), columns: [colName] });
      }
      if (f.index === true) {
        const idx = checkIdent(`${table}_${colName}_idx`, 'index', fw);
        indexes.push({ name: idx, columns: [colName], unique: false, using: 'btree', where: null });
      }
    }
    if (m.timestamps !== false) {
      add(timestamp('created_at'), 'the created_at timestamp (pass timestamps: false to leave it out)', where);
      add(timestamp('updated_at'), 'the updated_at timestamp (pass timestamps: false to leave it out)', where);
    }

    const ref = (r: unknown, label: string): string => {
      const w = { ...where, index: label };
      if (typeof r !== 'string') return fail(w, `${JSON.stringify(r)} is not a field name`);
      if (fieldColumn.has(r)) return fieldColumn.get(r)!;
      if (manyToMany.has(r)) fail(w, `field ${r} is a many-to-many field and has no column`);
      if (owner.has(r)) return r;
      return fail(w, `unknown field "${r}"`);
    };
    const refs = (list: unknown, label: string): string[] => {
      if (!Array.isArray(list) || list.length === 0) fail({ ...where, index: label }, '`fields` must list at least one field');
      return list.map((r) => ref(r, label));
    };

    (m.indexes ?? []).forEach((def: IndexDefinition, i) => {
      const label = `index ${def?.name ?? '#' + (i + 1)}`;
      const w = { ...where, index: label };
      if (def?.expressions !== undefined && def?.fields !== undefined) fail(w, 'give `fields` or `expressions`, not both');
      let cols: string[];
      let nameParts: string[];
      if (def?.expressions !== undefined) {
        if (!Array.isArray(def.expressions) || def.expressions.length === 0) fail(w, '`expressions` must list at least one SQL expression');
        const exprs = def.expressions.map((e) => sqlText(e, 'each expression', w));
        // Parenthesised: the Schema's mark of an expression column (see introspect.ts).
        cols = exprs.map((e) => `(${e})`);
        nameParts = exprs.map((e) => namesIn(e)[0] ?? 'expr');
      } else {
        cols = refs(def?.fields, label);
        nameParts = cols;
      }
      const using = def.using ?? 'btree';
      if (!METHODS.includes(using)) fail(w, `unknown index method "${using}" (use one of ${METHODS.join(', ')})`);
      if (def.nullsNotDistinct === true && def.unique !== true) fail(w, 'nullsNotDistinct needs unique: true');
      const idx: Index = {
        name: checkIdent(def.name ?? `${table}_${nameParts.join('_')}_idx`, 'index', w),
        columns: cols,
        unique: def.unique === true,
        using,
        ...(def.opclass !== undefined ? { opclasses: opclasses(def.opclass, cols.length, w) } : {}),
        ...(def.with !== undefined ? { with: Object.fromEntries(Object.entries(def.with).map(([k, v]) => [k, String(v)])) } : {}),
        where: def.where === undefined || def.where === null ? null : sqlText(def.where, 'where', w),
        ...(def.nullsNotDistinct === true ? { nullsNotDistinct: true } : {}),
      };
      indexes.push(idx);
    });
    (m.uniqueTogether ?? []).forEach((def: UniqueTogether, i) => {
      const spec = Array.isArray(def) ? { fields: def as readonly string[] } : (def as Exclude<UniqueTogether, readonly string[]>);
      const label = `uniqueTogether ${spec?.name ?? '#' + (i + 1)}`;
      const w = { ...where, index: label };
      const cols = refs(spec?.fields, label);
      const name = checkIdent(spec.name ?? `${table}_${cols.join('_')}_key`, 'unique constraint', w);
      uniques.push({ name, columns: cols, ...(spec.nullsNotDistinct === true ? { nullsNotDistinct: true } : {}), ...deferrableOf(spec.deferrable, w) });
    });
    const checks = this.checks(m.checks, table, columns, where);

    return [
      {
        name: table,
        columns,
        primaryKey: { name: checkIdent(`${table}_pkey`, 'primary key', where), columns: key.map((k) => k.name) },
        uniques: dedupe(uniques, where).sort(byName),
        indexes: indexes.sort(byName),
        foreignKeys: foreignKeys.sort(byName),
        checks,
        comment: nonEmpty(m.comment),
      },
      ...extra,
    ];
  }

  /**
   * The model's CHECK constraints. The default name is PostgreSQL's own:
   * `<table>_<column>_check`, the column being the first name in the
   * expression that is one of the table's columns (`<table>_check` when it
   * names none).
   */
  private checks(defs: readonly CheckDefinition[] | undefined, table: string, columns: readonly Column[], where: Where): Check[] {
    if (defs !== undefined && !Array.isArray(defs)) fail(where, '`checks` must be a list of { name?, sql }');
    const out: Check[] = [];
    (defs ?? []).forEach((def, i) => {
      const w = { ...where, index: `check ${def?.name ?? '#' + (i + 1)}` };
      const expression = sqlText(def?.sql, 'a check’s `sql`', w);
      const first = namesIn(expression).find((n) => columns.some((c) => c.name === n));
      const name = checkIdent(def.name ?? (first ? `${table}_${first}_check` : `${table}_check`), 'check constraint', w);
      if (out.some((c) => c.name === name)) {
        fail(w, `two checks are named "${name}"`, def.name ? undefined : 'Give one of them a `name`.');
      }
      out.push({ name, expression });
    });
    return out.sort(byName);
  }

  /** The column a `toField` foreign key points at: a unique, non-relational field of the target. */
  private fieldKey(target: Model, toField: unknown, where: Where): KeyColumn {
    if (typeof toField !== 'string' || toField === '') fail(where, 'toField must be the name of a field of the target model');
    const key = this.keyOf(target);
    const raw = (target.fields ?? {})[toField] as unknown;
    if (raw === undefined) {
      if (key.length === 1 && key[0].name === toField) return this.singleKey(target, where);
      fail(where, `toField: ${target.name} has no field "${toField}"`);
    }
    const tw: Where = { file: this.fileOf(target), model: target.name, field: toField };
    const f = checkField(raw, tw);
    if (RELATIONAL.has(f.kind) || f.kind === 'ManyToManyField') fail(where, `toField: ${target.name}.${toField} is a ${f.kind}; point at a plain unique field`);
    const single = (fields: unknown) => Array.isArray(fields) && fields.length === 1 && fields[0] === toField;
    const unique =
      f.unique === true ||
      f.primaryKey === true ||
      (target.uniqueTogether ?? []).some((u) => single(Array.isArray(u) ? u : (u as { fields?: unknown }).fields)) ||
      (target.indexes ?? []).some((i) => i.unique === true && !i.where && single(i.fields));
    if (!unique) {
      fail(where, `toField: ${target.name}.${toField} is not unique, and a foreign key must point at a unique column`, `Declare it with unique: true.`);
    }
    const type = scalarType(f, tw, this.needs);
    return { name: f.column ?? toField, type: type.type, ...(type.enumType ? { enumType: type.enumType } : {}) };
  }

  /** A many-to-many field's through table: both keys, a composite primary key, two cascading FKs. */
  private through(m: Model, file: string, name: string, f: RawField, fw: Where): Table {
    const target = resolveTarget(f, fw);
    const from = this.singleKey(m, fw);
    const to = this.singleKey(target, fw);
    const table = checkIdent(f.through ?? `${m.tablename}_${name}`, 'through table', fw);
    const self = target === m || target.tablename === m.tablename;
    const a = self ? `from_${m.name.toLowerCase()}_id` : `${m.name.toLowerCase()}_id`;
    const b = self ? `to_${target.name.toLowerCase()}_id` : `${target.name.toLowerCase()}_id`;
    if (a === b) fail(fw, `both columns of the through table would be named "${a}"`);
    const col = (c: string, k: KeyColumn): Column =>
      column(checkIdent(c, 'column', fw), k, { nullable: false, default: null, identity: null, comment: null });
    const fk = (c: string, refTable: string, k: KeyColumn): ForeignKey => ({
      name: checkIdent(`${table}_${c}_fkey`, 'foreign key', fw),
      columns: [c],
      refTable,
      refColumns: [k.name],
      onDelete: 'cascade',
      onUpdate: 'no action',
    });
    return {
      name: table,
      columns: [col(a, from), col(b, to)],
      primaryKey: { name: checkIdent(`${table}_pkey`, 'primary key', fw), columns: [a, b] },
      uniques: [],
      indexes: [],
      foreignKeys: [fk(a, m.tablename, from), fk(b, target.tablename, to)].sort(byName),
      checks: [],
      comment: nonEmpty(f.comment),
    };
  }
}
