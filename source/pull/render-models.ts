/**
 * The second half of `pull`: the models plan as the source of a models
 * module — a header (where it came from, when, and everything the models
 * cannot express), the enums, the models in reference order, the views.
 * Pure: Schema in, TypeScript text out.
 */
import type { Schema } from '../schema/types.js';
import { toJsLiteral } from '../util/js-literal.js';
import { fieldCall } from './field-kinds.js';
import { isIdentifier } from './names.js';
import { defaultExpressionIndexName, planModels, type FieldPlan, type ModelPlan } from './plan-models.js';

export interface RenderModelsInput {
  readonly schema: Schema;
  /** What the catalog holds beyond the Schema (triggers, functions, …), one sentence each. */
  readonly unmodelled: readonly string[];
  /** Where the schema was read from, with no password. */
  readonly source: string;
  readonly date: Date;
}

export interface PulledModels {
  readonly text: string;
  /** Everything the models do not say as the database does, one sentence each. */
  readonly unsupported: readonly string[];
  readonly counts: { readonly enums: number; readonly models: number; readonly manyToMany: number; readonly views: number };
}

const lit = (v: unknown) => toJsLiteral(v);

/** An object key: bare when it is an identifier, quoted otherwise (`__proto__` computed, or it would set the prototype). */
function keySource(k: string): string {
  if (k === '__proto__') return `[${lit(k)}]`;
  return isIdentifier(k) ? k : lit(k);
}

/** Text inside a block comment: `*\/` would end it. */
const commentSafe = (s: string) => s.replace(/\*\//g, '*\u200b/').replace(/\r?\n/g, ' ');

function fieldSource(f: FieldPlan): string {
  const o: [string, string][] = [];
  if (f.columnOption !== null) o.push(['column', lit(f.columnOption)]);
  if (f.primaryKey) o.push(['primaryKey', 'true']);
  if (f.column.nullable && !f.primaryKey) o.push(['null', 'true']);
  if (f.column.identity === 'by default') o.push(['autoincrement', 'true']);
  if (f.column.identity === 'always') o.push(['identity', lit('always')]);
  if (f.column.generated) o.push(['generated', lit(f.column.generated)]);
  if (f.default && 'default' in f.default) o.push(['default', lit(f.default.default)]);
  if (f.default && 'serverDefault' in f.default) o.push(['serverDefault', lit(f.default.serverDefault)]);
  if (f.unique) o.push(['unique', 'true']);
  if (f.index) o.push(['index', 'true']);
  if (f.toField !== undefined) o.push(['toField', lit(f.toField)]);
  if (f.foreignKey) {
    if (f.foreignKey.deferrable) o.push(['deferrable', lit(f.foreignKey.deferrable)]);
    if (f.foreignKey.onDelete !== 'no action') o.push(['onDelete', lit(f.foreignKey.onDelete)]);
    if (f.foreignKey.onUpdate !== 'no action') o.push(['onUpdate', lit(f.foreignKey.onUpdate)]);
  }
  if (f.column.comment) o.push(['comment', lit(f.column.comment)]);
  const call = f.target
    ? `fields.ForeignKey(() => ${f.target}${o.length ? `, { ${o.map(([k, v]) => `${k}: ${v}`).join(', ')} }` : ''})`
    : fieldCall(f.shape, o);
  const note = f.typeNote ? ` // ${f.typeNote} in the database: no field kind for it` : '';
  return `${keySource(f.name)}: ${call},${note}`;
}

function modelSource(m: ModelPlan): string {
  const lines: string[] = [];
  if (m.note) lines.push(`// ${m.note}`);
  lines.push(`export const ${m.constName} = defineModel(${lit(m.constName)}, {`);
  if (m.tablename !== null) lines.push(`  tablename: ${lit(m.tablename)},`);
  if (m.table.comment) lines.push(`  comment: ${lit(m.table.comment)},`);
  if (!m.timestamps) lines.push('  timestamps: false,');
  lines.push('  fields: {');
  for (const f of m.fields) lines.push(`    ${fieldSource(f)}`);
  for (const r of m.manyToMany) {
    const o: Record<string, string> = {};
    if (r.through !== null) o.through = r.through;
    if (r.comment) o.comment = r.comment;
    const opts = Object.keys(o).length ? `, ${lit(o)}` : '';
    lines.push(`    ${keySource(r.name)}: fields.ManyToManyField(() => ${r.target}${opts}),`);
  }
  lines.push('  },');
  if (m.indexes.length) {
    lines.push('  indexes: [');
    for (const { fields, expressions, index: i } of m.indexes) {
      const def: Record<string, unknown> = fields ? { fields } : { expressions };
      if (i.unique) def.unique = true;
      if (i.nullsNotDistinct) def.nullsNotDistinct = true;
      if (i.using !== 'btree') def.using = i.using;
      if (i.opclasses) {
        const first = i.opclasses[0];
        def.opclass = first !== null && i.opclasses.every((o) => o === first) ? first : i.opclasses;
      }
      if (i.with) def.with = Object.fromEntries(Object.entries(i.with).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v]));
      if (i.where) def.where = i.where;
      const defaultName = expressions ? defaultExpressionIndexName(m.table.name, expressions) : `${m.table.name}_${i.columns.join('_')}_idx`;
      if (i.name !== defaultName) def.name = i.name;
      lines.push(`    ${toJsLiteral(def, '    ')},`);
    }
    lines.push('  ],');
  }
  if (m.uniqueTogether.length) {
    lines.push('  uniqueTogether: [');
    for (const u of m.uniqueTogether) {
      const def: Record<string, unknown> = { fields: u.fields };
      if (u.name !== null) def.name = u.name;
      if (u.nullsNotDistinct) def.nullsNotDistinct = true;
      if (u.deferrable) def.deferrable = u.deferrable;
      lines.push(`    ${toJsLiteral(Object.keys(def).length === 1 ? u.fields : def, '    ')},`);
    }
    lines.push('  ],');
  }
  if (m.checks.length) {
    lines.push('  checks: [');
    for (const c of m.checks) lines.push(`    ${toJsLiteral(c.name === null ? { sql: c.sql } : { name: c.name, sql: c.sql }, '    ')},`);
    lines.push('  ],');
  }
  lines.push('});');
  return lines.join('\n');
}

/** A view's SQL as a template literal: the text PostgreSQL printed, kept readable. */
function templateLiteral(sql: string): string {
  return '`' + sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
}

function utcText(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function renderModels(input: RenderModelsInput): PulledModels {
  const plan = planModels(input.schema);
  const unsupported = [...input.unmodelled, ...plan.unsupported];
  const extensions = input.schema.extensions.filter((e) => e !== 'vector' || !usesVector(input.schema));
  for (const e of extensions) unsupported.push(`extension ${e}: the models cannot declare it (it stays installed; makemigrations never drops it)`);

  const header = [
    '/**',
    ' * Models pulled from an existing database by `fastedgy db pull`.',
    ' *',
    ` * Source: ${commentSafe(input.source)}`,
    ` * Pulled: ${utcText(input.date)}`,
  ];
  if (unsupported.length) {
    header.push(' *', ' * Not expressed by these models (left in the database as it is):');
    for (const u of unsupported) header.push(` *   - ${commentSafe(u)}`);
  }
  header.push(' */');

  const used = new Set<string>();
  if (plan.enums.length) used.add('defineEnum');
  if (plan.models.length) used.add('defineModel');
  if (plan.views.length) used.add('defineView');
  if (plan.models.length) used.add('fields');
  const imports = ['defineEnum', 'defineModel', 'defineView', 'fields'].filter((n) => used.has(n));

  const blocks: string[] = [header.join('\n')];
  blocks.push(imports.length ? `import { ${imports.join(', ')} } from 'fastedgy';` : 'export {};');
  for (const e of plan.enums) {
    const options = e.constName.toLowerCase() === e.typeName ? '' : `, { typeName: ${lit(e.typeName)} }`;
    blocks.push(`export const ${e.constName} = defineEnum(${lit(e.constName)}, ${toJsLiteral(e.values)}${options});`);
  }
  for (const m of plan.models) blocks.push(modelSource(m));
  for (const v of plan.views) {
    const viewname = v.constName.toLowerCase() === v.viewname ? '' : `  viewname: ${lit(v.viewname)},\n`;
    blocks.push(`export const ${v.constName} = defineView(${lit(v.constName)}, {\n${viewname}  sql: ${templateLiteral(v.sql)},\n});`);
  }
  return {
    text: blocks.join('\n\n') + '\n',
    unsupported,
    counts: {
      enums: plan.enums.length,
      models: plan.models.length,
      manyToMany: plan.models.reduce((n, m) => n + m.manyToMany.length, 0),
      views: plan.views.length,
    },
  };
}

/** A vector column makes the models need pgvector, so the extension is expressed by them. */
function usesVector(schema: Schema): boolean {
  return schema.tables.some((t) => t.columns.some((c) => /^vector\(\d+\)(\[\])?$/.test(c.type)));
}
