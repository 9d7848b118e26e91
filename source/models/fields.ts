/**
 * The field kinds of the model DSL (SPEC §4). A field is plain frozen data
 * tagged `__fastedgy: 'field'` with a `kind`, never a class instance: a model
 * module imported twice (a fresh re-import, two copies of the package) must
 * still be recognised by the compiler.
 *
 * The type parameters exist for the editor only: `V` is the value a row holds
 * and `N` remembers `null: true`, so `InferRow` can tell nullable fields apart.
 */
import type { EnumDef } from './define.js';

/** A label marked for translation by `_t()`. */
export interface TranslatableText {
  readonly __fastedgy: 'label';
  readonly text: string;
  toString(): string;
}
export type Label = string | TranslatableText;

/** Marks a label for translation; it reaches the database only as a column comment. */
export function _t(text: string): TranslatableText {
  // An object rather than a bare string so extraction tools (and the
  // compiler) can tell a translatable label from a plain one; toString keeps
  // it usable wherever a string is expected.
  return Object.freeze({ __fastedgy: 'label' as const, text, toString: () => text, toJSON: () => text });
}

export function labelText(label: unknown): string | null {
  if (typeof label === 'string') return label;
  if (label instanceof String) return label.valueOf();
  if (label && typeof label === 'object' && (label as { __fastedgy?: unknown }).__fastedgy === 'label') {
    return String((label as TranslatableText).text);
  }
  return null;
}

/** Options every field takes. */
export interface FieldOptions<V = unknown> {
  readonly null?: boolean;
  /** A value: the column default and the suggested backfill. */
  readonly default?: V;
  /** Raw SQL for the column default; wins over `default`. */
  readonly serverDefault?: string;
  readonly unique?: boolean;
  readonly index?: boolean;
  readonly primaryKey?: boolean;
  readonly label?: Label;
  /** The column name when it differs from the field name. */
  readonly column?: string;
  readonly comment?: string;
  /** A stored generated column: the SQL expression PostgreSQL computes each row's value from. */
  readonly generated?: string;
}

export interface FieldBase<K extends string, V, N extends boolean = boolean> extends FieldOptions<V> {
  readonly __fastedgy: 'field';
  readonly kind: K;
  readonly null?: N;
  /** Type-level only: never set at runtime. */
  readonly __value?: V;
}

export type OnDelete = 'cascade' | 'set null' | 'restrict' | 'no action' | 'set default';

/** `() => Target`. Typed loosely on purpose: a precise return type would make
 * TypeScript resolve the target's type while inferring the model that holds
 * the reference, which fails for self- and mutual references. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ModelThunk = () => any;

type Len = { readonly maxLength?: number };
type Auto = {
  /** Same as `identity: 'by default'`. */
  readonly autoincrement?: boolean;
  /** An identity column (`GENERATED ALWAYS|BY DEFAULT AS IDENTITY`), on an integer primary key. */
  readonly identity?: 'always' | 'by default';
};
type Tz = { readonly timezone?: boolean };
type Rel = {
  readonly target: ModelThunk;
  readonly onDelete?: OnDelete;
  readonly onUpdate?: OnDelete;
  /** The target's field the key points at (a unique one); default its primary key. */
  readonly toField?: string;
  /** `'immediate'`: DEFERRABLE INITIALLY IMMEDIATE; `'deferred'`: DEFERRABLE INITIALLY DEFERRED. */
  readonly deferrable?: 'immediate' | 'deferred';
};

export type CharField<N extends boolean = boolean> = FieldBase<'CharField', string, N> & Len;
export type TextField<N extends boolean = boolean> = FieldBase<'TextField', string, N>;
export type EmailField<N extends boolean = boolean> = FieldBase<'EmailField', string, N> & Len;
export type URLField<N extends boolean = boolean> = FieldBase<'URLField', string, N> & Len;
export type IntegerField<N extends boolean = boolean> = FieldBase<'IntegerField', number, N> & Auto;
export type SmallIntegerField<N extends boolean = boolean> = FieldBase<'SmallIntegerField', number, N> & Auto;
export type BigIntegerField<N extends boolean = boolean> = FieldBase<'BigIntegerField', number | bigint, N> & Auto;
export type FloatField<N extends boolean = boolean> = FieldBase<'FloatField', number, N>;
export type DecimalField<N extends boolean = boolean> = FieldBase<'DecimalField', number | string, N> & {
  readonly maxDigits: number;
  readonly decimalPlaces?: number;
};
export type BooleanField<N extends boolean = boolean> = FieldBase<'BooleanField', boolean, N>;
export type DateField<N extends boolean = boolean> = FieldBase<'DateField', string | Date, N>;
export type TimeField<N extends boolean = boolean> = FieldBase<'TimeField', string, N> & Tz;
export type DateTimeField<N extends boolean = boolean> = FieldBase<'DateTimeField', string | Date, N> & Tz;
export type DurationField<N extends boolean = boolean> = FieldBase<'DurationField', string, N>;
export type UUIDField<N extends boolean = boolean> = FieldBase<'UUIDField', string, N>;
export type BinaryField<N extends boolean = boolean> = FieldBase<'BinaryField', Uint8Array | string, N>;
export type JSONField<N extends boolean = boolean> = FieldBase<'JSONField', unknown, N>;
export type IPAddressField<N extends boolean = boolean> = FieldBase<'IPAddressField', string, N>;
export type VectorField<N extends boolean = boolean> = FieldBase<'VectorField', number[], N> & { readonly dimensions: number };
export type ArrayField<Of extends ScalarField = ScalarField, N extends boolean = boolean> = FieldBase<'ArrayField', ValueOf<Of>[], N> & {
  readonly of: Of;
};
export type ChoiceField<V extends string = string, N extends boolean = boolean> = FieldBase<'ChoiceField', V, N> & {
  readonly choices: Choices;
  readonly enumName?: string;
  readonly typeName?: string;
};
export type ForeignKeyField<N extends boolean = boolean> = FieldBase<'ForeignKey', number | string | bigint, N> & Rel;
export type OneToOneField<N extends boolean = boolean> = FieldBase<'OneToOneField', number | string | bigint, N> & Rel;
export interface ManyToManyField {
  readonly __fastedgy: 'field';
  readonly kind: 'ManyToManyField';
  readonly target: ModelThunk;
  /** The through table's name; default `<table>_<fieldname>`. */
  readonly through?: string;
  readonly label?: Label;
  readonly comment?: string;
}

/** What `ChoiceField({ choices })` accepts: `defineEnum(…)`, a TypeScript string enum, or a list of strings. */
export type Choices = EnumDef<string, string> | Readonly<Record<string, string>> | readonly string[];
export type ChoiceValue<E> = E extends EnumDef<string, infer V>
  ? V
  : E extends readonly (infer S extends string)[]
    ? S
    : E extends Readonly<Record<string, infer S extends string>>
      ? S
      : string;

export type ScalarField =
  | CharField | TextField | EmailField | URLField | IntegerField | SmallIntegerField | BigIntegerField
  | FloatField | DecimalField | BooleanField | DateField | TimeField | DateTimeField | DurationField
  | UUIDField | BinaryField | JSONField | IPAddressField | VectorField | ChoiceField | ArrayField<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type AnyField = ScalarField | ForeignKeyField | OneToOneField | ManyToManyField;
export type FieldKind = AnyField['kind'];

/** The value a row holds for a field (`null` included when `null: true`). */
export type ValueOf<F> = F extends { readonly __value?: infer V }
  ? F extends { readonly null?: infer N } ? (true extends N ? V | null : V) : V
  : never;

// Options per kind, with `null` captured as `N`.
type O<V, N extends boolean, X = unknown> = FieldOptions<V> & { readonly null?: N } & X;

function make<T>(kind: FieldKind, options: object): T {
  // The tag and kind go last so an options object can never override them.
  return Object.freeze({ ...options, __fastedgy: 'field', kind }) as T;
}

function arrayField<const Of extends ScalarField, const N extends boolean = false>(
  of: Of,
  options?: O<ValueOf<Of>[], N>,
): ArrayField<NoInfer<Of>, NoInfer<N>>;
function arrayField<const Of extends ScalarField, const N extends boolean = false>(
  options: O<ValueOf<Of>[], N, { readonly of: Of }>,
): ArrayField<NoInfer<Of>, NoInfer<N>>;
function arrayField(a: unknown, b?: object): unknown {
  // Both `ArrayField(of, options)` and `ArrayField({ of, ...options })`.
  const isField = !!a && typeof a === 'object' && (a as { __fastedgy?: unknown }).__fastedgy === 'field';
  return isField ? make('ArrayField', { ...(b ?? {}), of: a }) : make('ArrayField', a ?? {});
}

export const fields = {
  CharField: <const N extends boolean = false>(o: O<string, N, Len> = {}) => make<CharField<NoInfer<N>>>('CharField', o),
  TextField: <const N extends boolean = false>(o: O<string, N> = {}) => make<TextField<NoInfer<N>>>('TextField', o),
  EmailField: <const N extends boolean = false>(o: O<string, N, Len> = {}) => make<EmailField<NoInfer<N>>>('EmailField', o),
  URLField: <const N extends boolean = false>(o: O<string, N, Len> = {}) => make<URLField<NoInfer<N>>>('URLField', o),
  IntegerField: <const N extends boolean = false>(o: O<number, N, Auto> = {}) =>
    make<IntegerField<NoInfer<N>>>('IntegerField', o),
  SmallIntegerField: <const N extends boolean = false>(o: O<number, N, Auto> = {}) =>
    make<SmallIntegerField<NoInfer<N>>>('SmallIntegerField', o),
  BigIntegerField: <const N extends boolean = false>(o: O<number | bigint, N, Auto> = {}) =>
    make<BigIntegerField<NoInfer<N>>>('BigIntegerField', o),
  FloatField: <const N extends boolean = false>(o: O<number, N> = {}) => make<FloatField<NoInfer<N>>>('FloatField', o),
  DecimalField: <const N extends boolean = false>(
    o: O<number | string, N, { readonly maxDigits: number; readonly decimalPlaces?: number }>,
  ) => make<DecimalField<NoInfer<N>>>('DecimalField', o),
  BooleanField: <const N extends boolean = false>(o: O<boolean, N> = {}) => make<BooleanField<NoInfer<N>>>('BooleanField', o),
  DateField: <const N extends boolean = false>(o: O<string | Date, N> = {}) => make<DateField<NoInfer<N>>>('DateField', o),
  TimeField: <const N extends boolean = false>(o: O<string, N, Tz> = {}) => make<TimeField<NoInfer<N>>>('TimeField', o),
  DateTimeField: <const N extends boolean = false>(o: O<string | Date, N, Tz> = {}) =>
    make<DateTimeField<NoInfer<N>>>('DateTimeField', o),
  DurationField: <const N extends boolean = false>(o: O<string, N> = {}) => make<DurationField<NoInfer<N>>>('DurationField', o),
  UUIDField: <const N extends boolean = false>(o: O<string, N> = {}) => make<UUIDField<NoInfer<N>>>('UUIDField', o),
  BinaryField: <const N extends boolean = false>(o: O<Uint8Array | string, N> = {}) =>
    make<BinaryField<NoInfer<N>>>('BinaryField', o),
  JSONField: <const N extends boolean = false>(o: O<unknown, N> = {}) => make<JSONField<NoInfer<N>>>('JSONField', o),
  IPAddressField: <const N extends boolean = false>(o: O<string, N> = {}) =>
    make<IPAddressField<NoInfer<N>>>('IPAddressField', o),
  VectorField: <const N extends boolean = false>(o: O<number[], N, { readonly dimensions: number }>) =>
    make<VectorField<NoInfer<N>>>('VectorField', o),
  ArrayField: arrayField,
  ChoiceField: <const E extends Choices, const N extends boolean = false>(
    o: O<ChoiceValue<E>, N, { readonly choices: E; readonly enumName?: string; readonly typeName?: string }>,
  ) => make<ChoiceField<ChoiceValue<E>, NoInfer<N>>>('ChoiceField', o),
  ForeignKey: <const N extends boolean = false>(
    target: ModelThunk,
    o: O<number | string | bigint, N, Omit<Rel, 'target'>> = {},
  ) => make<ForeignKeyField<NoInfer<N>>>('ForeignKey', { ...o, target }),
  OneToOneField: <const N extends boolean = false>(
    target: ModelThunk,
    o: O<number | string | bigint, N, Omit<Rel, 'target'>> = {},
  ) => make<OneToOneField<NoInfer<N>>>('OneToOneField', { ...o, target }),
  ManyToManyField: (
    target: ModelThunk,
    o: { readonly through?: string; readonly label?: Label; readonly comment?: string } = {},
  ) => make<ManyToManyField>('ManyToManyField', { ...o, target }),
} as const;

export const FIELD_KINDS: ReadonlySet<string> = new Set(Object.keys(fields));
