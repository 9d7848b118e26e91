/**
 * A column's type as a field kind of the model DSL: the reverse of
 * `scalarType` in source/models/compile-field.ts, for the types
 * `format_type()` prints. A type no field kind compiles to comes back as
 * `unsupported`, with the nearest kind to write in its place.
 */
import type { Column } from '../schema/types.js';

/** A field call without its common options: `fields.<kind>({ ...options })`, or an array of `of`. */
export interface FieldShape {
  readonly kind: string;
  /** Kind-specific options, as source text per option (`maxLength: '100'`). */
  readonly options: Readonly<Record<string, string>>;
  /** ArrayField: the element's shape. */
  readonly of?: FieldShape;
}

export type TypeMatch = { readonly shape: FieldShape } | { readonly unsupported: string; readonly shape: FieldShape };

const PLAIN: Record<string, FieldShape> = {
  text: { kind: 'TextField', options: {} },
  integer: { kind: 'IntegerField', options: {} },
  smallint: { kind: 'SmallIntegerField', options: {} },
  bigint: { kind: 'BigIntegerField', options: {} },
  'double precision': { kind: 'FloatField', options: {} },
  boolean: { kind: 'BooleanField', options: {} },
  date: { kind: 'DateField', options: {} },
  'time without time zone': { kind: 'TimeField', options: {} },
  'time with time zone': { kind: 'TimeField', options: { timezone: 'true' } },
  'timestamp with time zone': { kind: 'DateTimeField', options: {} },
  'timestamp without time zone': { kind: 'DateTimeField', options: { timezone: 'false' } },
  interval: { kind: 'DurationField', options: {} },
  uuid: { kind: 'UUIDField', options: {} },
  bytea: { kind: 'BinaryField', options: {} },
  jsonb: { kind: 'JSONField', options: {} },
  inet: { kind: 'IPAddressField', options: {} },
};

function scalar(type: string): FieldShape | null {
  const plain = PLAIN[type];
  if (plain) return plain;
  let m = /^character varying\((\d+)\)$/.exec(type);
  if (m) return { kind: 'CharField', options: { maxLength: m[1] } };
  m = /^numeric\((\d+),(\d+)\)$/.exec(type);
  if (m) return { kind: 'DecimalField', options: m[2] === '0' ? { maxDigits: m[1] } : { maxDigits: m[1], decimalPlaces: m[2] } };
  m = /^vector\((\d+)\)$/.exec(type);
  if (m) return { kind: 'VectorField', options: { dimensions: m[1] } };
  return null;
}

/**
 * `enumConst` names the constant `defineEnum` was written to for the
 * column's enum type (undefined when the type is not one the module defines).
 */
export function fieldShapeOf(column: Column, enumConst: (type: string) => string | undefined): TypeMatch {
  const isArray = column.type.endsWith('[]');
  let element: FieldShape | null;
  if (column.enumType) {
    const name = enumConst(column.enumType);
    element = name ? { kind: 'ChoiceField', options: { choices: name } } : null;
  } else {
    element = scalar(isArray ? column.type.slice(0, -2) : column.type);
  }
  if (element) return { shape: isArray ? { kind: 'ArrayField', options: {}, of: element } : element };
  const text: FieldShape = { kind: 'TextField', options: {} };
  return { unsupported: column.type, shape: isArray ? { kind: 'ArrayField', options: {}, of: text } : text };
}

/** Source text of a field call, `common` being the options every field takes (already source text). */
export function fieldCall(shape: FieldShape, common: readonly (readonly [string, string])[] = []): string {
  const entries = [...Object.entries(shape.options), ...common];
  const args = entries.length === 0 ? '' : `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
  if (shape.kind === 'ArrayField' && shape.of) return `fields.ArrayField(${fieldCall(shape.of)}${args ? `, ${args}` : ''})`;
  return `fields.${shape.kind}(${args})`;
}
