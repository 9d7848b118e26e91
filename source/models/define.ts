/**
 * `defineModel`, `defineEnum`, `defineView`: each returns frozen plain data
 * tagged with `__fastedgy`, so the compiler recognises it even when it comes
 * from another instance of this module. Validation happens in the compiler,
 * where the error can name the file, the model and the field.
 */
import type { Deferrable, IndexMethod } from '../schema/types.js';
import type { AnyField, ManyToManyField, ValueOf } from './fields.js';

export type { Deferrable, IndexMethod };

export interface EnumDef<N extends string = string, V extends string = string> {
  readonly __fastedgy: 'enum';
  readonly name: N;
  /** The PostgreSQL type name: `typeName`, else the lower-cased name. */
  readonly typeName: string;
  readonly values: readonly V[];
}

export interface EnumOptions {
  readonly typeName?: string;
}

export function defineEnum<const N extends string, const V extends string>(
  name: N,
  values: readonly V[],
  options: EnumOptions = {},
): EnumDef<N, V> {
  requireName('defineEnum', name);
  return Object.freeze({
    __fastedgy: 'enum' as const,
    name,
    typeName: options.typeName ?? name.toLowerCase(),
    values: Object.freeze([...(Array.isArray(values) ? values : [])]),
  });
}

/** A field name of the model, or one of the columns every model gets. */
export type FieldRef<F> = Extract<keyof F, string> | 'id' | 'created_at' | 'updated_at';

interface IndexOptions {
  readonly unique?: boolean;
  /** A unique index that treats NULLs as equal (PostgreSQL 15+). */
  readonly nullsNotDistinct?: boolean;
  /** Default `btree`. */
  readonly using?: IndexMethod;
  /** One operator class for every column, or one per column (`null` for the default). */
  readonly opclass?: string | readonly (string | null)[];
  /** Storage parameters: `{ m: 16, ef_construction: 64 }`. */
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  /** A partial index's predicate (SQL). */
  readonly where?: string;
  /** Default `<table>_<col1>_<col2>_idx` (for expressions, the first name each one holds: `lower(email)` → `lower`). */
  readonly name?: string;
}

/** An index on columns (`fields`) or on SQL expressions (`expressions: ['lower(email)']`), never both. */
export type IndexDefinition<R extends string = string> =
  | (IndexOptions & {
      /** Field names (or column names), in index order. */
      readonly fields: readonly R[];
      readonly expressions?: undefined;
    })
  | (IndexOptions & {
      /** SQL expressions, in index order. */
      readonly expressions: readonly string[];
      readonly fields?: undefined;
    });

export type UniqueTogether<R extends string = string> =
  | readonly R[]
  | {
      readonly fields: readonly R[];
      readonly name?: string;
      /** NULLs count as equal (PostgreSQL 15+). */
      readonly nullsNotDistinct?: boolean;
      /** `'immediate'`: DEFERRABLE INITIALLY IMMEDIATE; `'deferred'`: DEFERRABLE INITIALLY DEFERRED. */
      readonly deferrable?: Deferrable;
    };

/** A CHECK constraint. */
export interface CheckDefinition {
  /** Default `<table>_<first column>_check`, the first column being the first of the table's columns the expression names (PostgreSQL's own rule). */
  readonly name?: string;
  /** The boolean SQL expression. */
  readonly sql: string;
}

export interface ModelDefinition<F extends Record<string, AnyField>> {
  /** Default: the lower-cased model name plus `s` (`User` → `users`). */
  readonly tablename?: string;
  readonly fields: F;
  // NoInfer: the field list decides the names, the index lists are checked against it.
  readonly indexes?: readonly IndexDefinition<NoInfer<FieldRef<F>>>[];
  readonly uniqueTogether?: readonly UniqueTogether<NoInfer<FieldRef<F>>>[];
  readonly checks?: readonly CheckDefinition[];
  /** `created_at` / `updated_at`; default true. */
  readonly timestamps?: boolean;
  /** The table comment. */
  readonly comment?: string;
}

export interface Model<N extends string = string, F extends Record<string, AnyField> = Record<string, AnyField>> {
  readonly __fastedgy: 'model';
  readonly name: N;
  readonly tablename: string;
  readonly fields: F;
  readonly indexes: readonly IndexDefinition[];
  readonly uniqueTogether: readonly UniqueTogether[];
  readonly checks: readonly CheckDefinition[];
  readonly timestamps: boolean;
  readonly comment: string | null;
}

export function defineModel<const N extends string, const F extends Record<string, AnyField>>(
  name: N,
  definition: ModelDefinition<F>,
): Model<N, F> {
  requireName('defineModel', name);
  if (!definition || typeof definition !== 'object') {
    throw new TypeError(`defineModel('${name}', …): the second argument must be an object with \`fields\``);
  }
  return Object.freeze({
    __fastedgy: 'model' as const,
    name,
    tablename: definition.tablename ?? defaultTablename(name),
    fields: Object.freeze({ ...(definition.fields ?? {}) }) as F,
    indexes: Object.freeze([...(definition.indexes ?? [])]),
    uniqueTogether: Object.freeze([...(definition.uniqueTogether ?? [])]),
    checks: Object.freeze([...(definition.checks ?? [])]),
    timestamps: definition.timestamps ?? true,
    comment: definition.comment ?? null,
  });
}

/** FastEdgy/Edgy's default: the lower-cased class name plus `s`. */
export function defaultTablename(modelName: string): string {
  return modelName.toLowerCase() + 's';
}

export interface ViewDef<N extends string = string> {
  readonly __fastedgy: 'view';
  readonly name: N;
  readonly viewname: string;
  readonly sql: string;
}

export function defineView<const N extends string>(
  name: N,
  definition: { readonly viewname?: string; readonly sql: string },
): ViewDef<N> {
  requireName('defineView', name);
  return Object.freeze({
    __fastedgy: 'view' as const,
    name,
    // Views have no FastEdgy convention to follow; the lower-cased name.
    viewname: definition?.viewname ?? name.toLowerCase(),
    sql: definition?.sql,
  });
}

/** The shape of a row of a model, for typing application code. */
export type InferRow<M> = M extends Model<string, infer F>
  ? { id: number | bigint } & {
      -readonly [K in keyof F as F[K] extends ManyToManyField ? never : K]: ValueOf<F[K]>;
    }
  : never;

export function isModel(v: unknown): v is Model {
  return tagOf(v) === 'model';
}
export function isEnum(v: unknown): v is EnumDef {
  return tagOf(v) === 'enum';
}
export function isView(v: unknown): v is ViewDef {
  return tagOf(v) === 'view';
}
export function tagOf(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? (v as { __fastedgy?: unknown }).__fastedgy : undefined;
}

function requireName(fn: string, name: unknown): void {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`${fn}(): the first argument must be a non-empty name`);
  }
}
