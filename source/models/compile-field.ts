/**
 * One field's column type, and the bookkeeping the compiler shares: where a
 * problem is (file, model, field) and the enums and extensions the fields
 * need. Every problem is a UserError that names its place.
 */
import { UserError } from '../errors.js';
import type { UniqueConstraint } from '../schema/types.js';
import { isEnum, tagOf } from './define.js';
import { FIELD_KINDS } from './fields.js';

export interface Where {
  readonly file: string;
  readonly model?: string;
  readonly field?: string;
  readonly enum?: string;
  readonly view?: string;
  readonly index?: string;
}

export function describe(w: Where): string {
  const parts = [w.file];
  if (w.model !== undefined) parts.push(`model ${w.model}`);
  if (w.enum !== undefined) parts.push(`enum ${w.enum}`);
  if (w.view !== undefined) parts.push(`view ${w.view}`);
  if (w.field !== undefined) parts.push(`field ${w.field}`);
  if (w.index !== undefined) parts.push(w.index);
  return parts.join(', ');
}

export function fail(where: Where, message: string, hint?: string): never {
  throw new UserError(`${describe(where)}: ${message}`, { hint });
}

/** PostgreSQL's NAMEDATALEN - 1: longer names would be silently truncated. */
export const MAX_IDENTIFIER_BYTES = 63;

export function checkIdent(name: unknown, what: string, where: Where): string {
  if (typeof name !== 'string' || name === '') fail(where, `the ${what} name must be a non-empty string`);
  if (name.includes('\0')) fail(where, `the ${what} name ${JSON.stringify(name)} contains a NUL character`);
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    // PostgreSQL would truncate it, and the next comparison would see a
    // different name: refuse instead.
    fail(
      where,
      `the ${what} name "${name}" is ${bytes} bytes long; PostgreSQL allows at most ${MAX_IDENTIFIER_BYTES} bytes`,
      'Choose a shorter name (an index or unique constraint can be given an explicit `name`).',
    );
  }
  return name;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RawField = Record<string, any> & { readonly kind: string };

export function isFieldObject(v: unknown): v is RawField {
  return tagOf(v) === 'field' && typeof (v as { kind?: unknown }).kind === 'string';
}

export function checkField(f: unknown, where: Where): RawField {
  if (!isFieldObject(f)) {
    fail(where, 'is not a field', 'Declare fields with fields.CharField(…), fields.ForeignKey(() => Model), and so on.');
  }
  if (!FIELD_KINDS.has(f.kind)) fail(where, `unknown field kind "${f.kind}"`);
  return f;
}

interface EnumEntry {
  readonly values: readonly string[];
  readonly where: Where;
}

/** Enums and extensions the models need, first definition wins, conflicts refused. */
export class Needs {
  readonly enums = new Map<string, EnumEntry>();
  readonly extensions = new Set<string>();

  addEnum(typeName: unknown, values: unknown, where: Where): { typeName: string; values: readonly string[] } {
    const name = checkIdent(typeName, 'enum type', where);
    if (!Array.isArray(values) || values.length === 0) fail(where, `enum ${name} needs at least one value`);
    const seen = new Set<string>();
    for (const v of values) {
      if (typeof v !== 'string' || v === '') fail(where, `enum ${name} has an empty or non-string value ${JSON.stringify(v)}`);
      if (seen.has(v)) fail(where, `enum ${name} lists the value "${v}" twice`);
      checkIdent(v, `enum ${name} value`, where);
      seen.add(v);
    }
    const before = this.enums.get(name);
    if (before) {
      // The same enum from another module instance is fine; two different
      // lists under one type name are not.
      if (before.values.length !== values.length || before.values.some((v, i) => v !== values[i])) {
        fail(where, `the enum type "${name}" is also defined (${describe(before.where)}) with other values`);
      }
      return { typeName: name, values: before.values };
    }
    this.enums.set(name, { values: [...values], where });
    return { typeName: name, values };
  }
}

export interface ColumnType {
  readonly type: string;
  readonly enumType?: string;
  readonly enumValues?: readonly string[];
}

function positiveInt(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
}

/** The enum behind a ChoiceField: `defineEnum(…)`, a TS string enum or a list of strings. */
function choiceType(f: RawField, where: Where, needs: Needs): ColumnType {
  const choices: unknown = f.choices;
  if (isEnum(choices)) {
    const e = needs.addEnum(choices.typeName, choices.values, where);
    return { type: e.typeName, enumType: e.typeName, enumValues: e.values };
  }
  if (!choices || typeof choices !== 'object') {
    fail(where, 'ChoiceField needs `choices`: a defineEnum(…) result or a TypeScript string enum');
  }
  const values = Array.isArray(choices) ? choices : Object.values(choices);
  if (!values.every((v) => typeof v === 'string')) {
    fail(where, 'the choices must be string values (a numeric TypeScript enum cannot become a PostgreSQL enum)');
  }
  if (typeof f.enumName !== 'string' || f.enumName === '') {
    fail(where, 'a ChoiceField over a TypeScript enum needs `enumName`', "ChoiceField({ choices: MyEnum, enumName: 'MyEnum' })");
  }
  const e = needs.addEnum(f.typeName ?? f.enumName.toLowerCase(), values, where);
  return { type: e.typeName, enumType: e.typeName, enumValues: e.values };
}

/** The column type of a non-relational field, as format_type() prints it. */
export function scalarType(f: RawField, where: Where, needs: Needs): ColumnType {
  switch (f.kind) {
    case 'CharField':
      if (f.maxLength === undefined || f.maxLength === null) return { type: 'text' };
      if (!positiveInt(f.maxLength, 10485760)) fail(where, 'maxLength must be an integer from 1 to 10485760');
      return { type: `character varying(${f.maxLength})` };
    case 'EmailField':
    case 'URLField': {
      const n = f.maxLength ?? 255;
      if (!positiveInt(n, 10485760)) fail(where, 'maxLength must be an integer from 1 to 10485760');
      return { type: `character varying(${n})` };
    }
    case 'TextField':
      return { type: 'text' };
    case 'IntegerField':
      return { type: 'integer' };
    case 'SmallIntegerField':
      return { type: 'smallint' };
    case 'BigIntegerField':
      return { type: 'bigint' };
    case 'FloatField':
      return { type: 'double precision' };
    case 'DecimalField': {
      if (f.maxDigits === undefined) fail(where, 'DecimalField needs maxDigits', 'fields.DecimalField({ maxDigits: 10, decimalPlaces: 2 })');
      if (!positiveInt(f.maxDigits, 1000)) fail(where, 'maxDigits must be an integer from 1 to 1000');
      const scale = f.decimalPlaces ?? 0;
      if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > f.maxDigits) {
        fail(where, `decimalPlaces must be an integer from 0 to maxDigits (${f.maxDigits})`);
      }
      return { type: `numeric(${f.maxDigits},${scale})` };
    }
    case 'BooleanField':
      return { type: 'boolean' };
    case 'DateField':
      return { type: 'date' };
    case 'TimeField':
      return { type: f.timezone === true ? 'time with time zone' : 'time without time zone' };
    case 'DateTimeField':
      return { type: f.timezone === false ? 'timestamp without time zone' : 'timestamp with time zone' };
    case 'DurationField':
      return { type: 'interval' };
    case 'UUIDField':
      return { type: 'uuid' };
    case 'BinaryField':
      return { type: 'bytea' };
    case 'JSONField':
      return { type: 'jsonb' };
    case 'IPAddressField':
      return { type: 'inet' };
    case 'VectorField':
      if (f.dimensions === undefined) fail(where, 'VectorField needs dimensions', 'fields.VectorField({ dimensions: 1536 })');
      if (!positiveInt(f.dimensions, 16000)) fail(where, 'dimensions must be an integer from 1 to 16000');
      needs.extensions.add('vector');
      return { type: `vector(${f.dimensions})` };
    case 'ChoiceField':
      return choiceType(f, where, needs);
    case 'ArrayField': {
      const of = checkField(f.of, { ...where, field: `${where.field ?? '?'} (array element)` });
      if (['ForeignKey', 'OneToOneField', 'ManyToManyField'].includes(of.kind)) {
        fail(where, `an ArrayField cannot hold a ${of.kind}`);
      }
      const inner = scalarType(of, where, needs);
      // format_type() does not record dimensions: int[][] prints as integer[].
      const type = inner.type.endsWith('[]') ? inner.type : `${inner.type}[]`;
      return { ...inner, type };
    }
    default:
      return fail(where, `a ${f.kind} has no column type of its own`);
  }
}

/** The innermost element kind of an ArrayField (for default rendering). */
export function elementKind(f: RawField): string | undefined {
  let of: unknown = f.of;
  while (isFieldObject(of) && of.kind === 'ArrayField') of = of.of;
  return isFieldObject(of) ? of.kind : undefined;
}

export function opclasses(spec: unknown, n: number, where: Where): (string | null)[] {
  if (typeof spec === 'string') return Array.from({ length: n }, () => spec);
  if (!Array.isArray(spec) || spec.length !== n || !spec.every((o) => o === null || typeof o === 'string')) {
    fail(where, `opclass must be one string or a list of ${n} (string or null), one per column`);
  }
  return spec.map((o) => (o === '' ? null : o));
}

export function dedupe(uniques: UniqueConstraint[], where: Where): UniqueConstraint[] {
  // `unique: true` on a OneToOneField, or the same pair listed twice, is one constraint.
  const byName = new Map<string, UniqueConstraint>();
  for (const u of uniques) {
    const before = byName.get(u.name);
    if (before && before.columns.join('\0') !== u.columns.join('\0')) fail(where, `two unique constraints are named "${u.name}"`);
    byName.set(u.name, u);
  }
  return [...byName.values()];
}

export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
