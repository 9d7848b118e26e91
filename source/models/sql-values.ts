/**
 * Column defaults as SQL text, written the way PostgreSQL prints the stored
 * constant back (`pg_get_expr`), minus the cast: a database migrated from the
 * models must introspect to the same text, and `normalizeDefault` keeps
 * quoted literals exactly. Hence jsonb in jsonb_out's spelling (`{"a": 1}`,
 * keys by length) and arrays in array_out's (`{a,"b c"}`, booleans `t`/`f`).
 */
import { literal } from '../util/sql-text.js';

/** A number as numeric_out writes it: never in exponent form. */
export function numericText(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/i.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', expText] = m;
  const exp = Number(expText);
  const digits = lead + frac;
  // JS uses the exponent form only from 1e21 up and below 1e-6.
  if (exp >= 0) return sign + digits + '0'.repeat(Math.max(0, exp - frac.length));
  return sign + '0.' + '0'.repeat(-exp - 1) + digits;
}

function jsonbKeyOrder(a: string, b: string): number {
  // jsonb stores object keys shorter first, then by their bytes.
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length - y.length || Buffer.compare(x, y);
}

function jsonbFormat(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return numericText(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(jsonbFormat).join(', ') + ']';
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort(jsonbKeyOrder);
  return '{' + keys.map((k) => `${JSON.stringify(k)}: ${jsonbFormat(o[k])}`).join(', ') + '}';
}

/** A JSON value as jsonb_out prints it. */
export function jsonbText(value: unknown): string {
  // A JSON round trip first: dates become strings, undefined members vanish.
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('the value has no JSON form');
  return jsonbFormat(JSON.parse(text));
}

function arrayElement(v: unknown, float: boolean): string {
  if (v === null || v === undefined) return 'NULL';
  if (Array.isArray(v)) return arrayText(v, float);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return float ? String(v) : numericText(v);
  if (typeof v === 'bigint') return v.toString();
  const s = v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : jsonbText(v);
  if (s === '' || /^null$/i.test(s) || /[{}",\\ \t\n\r\v\f]/.test(s)) {
    return '"' + s.replace(/["\\]/g, (c) => '\\' + c) + '"';
  }
  return s;
}

/** An array as array_out prints it (`{1,2}`, `{a,"b c"}`). */
export function arrayText(values: readonly unknown[], float = false): string {
  return '{' + values.map((v) => arrayElement(v, float)).join(',') + '}';
}

export interface DefaultContext {
  readonly kind: string;
  /** For an ArrayField: the element field's kind. */
  readonly elementKind?: string;
  /** For enum columns (and arrays of them): the allowed values. */
  readonly enumValues?: readonly string[];
  readonly bad: (message: string) => never;
}

const INTEGER_KINDS = new Set(['IntegerField', 'SmallIntegerField', 'BigIntegerField']);
const TEXT_KINDS = new Set([
  'CharField', 'TextField', 'EmailField', 'URLField', 'UUIDField', 'IPAddressField', 'DurationField',
  'TimeField', 'DateField', 'DateTimeField', 'BinaryField',
]);

function show(value: unknown): string {
  try {
    return typeof value === 'bigint' ? value.toString() : JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The SQL text of a field's `default` value, or null for none. */
export function renderDefault(value: unknown, ctx: DefaultContext): string | null {
  if (value === undefined || value === null) return null;
  const { kind, bad } = ctx;
  if (ctx.enumValues && kind !== 'ArrayField') {
    if (typeof value !== 'string' || !ctx.enumValues.includes(value)) {
      return bad(`default ${show(value)} is not one of the enum's values (${ctx.enumValues.join(', ')})`);
    }
    return literal(value);
  }
  switch (kind) {
    case 'JSONField':
      try {
        return literal(jsonbText(value));
      } catch (e) {
        return bad(`default cannot be stored as JSON: ${(e as Error).message}`);
      }
    case 'ArrayField': {
      if (!Array.isArray(value)) return bad(`default ${show(value)} is not an array`);
      if (ctx.enumValues) {
        const wrong = value.flat(Infinity).find((v) => v !== null && !ctx.enumValues!.includes(v as string));
        if (wrong !== undefined) bad(`default element ${show(wrong)} is not one of the enum's values (${ctx.enumValues.join(', ')})`);
      }
      return literal(arrayText(value, ctx.elementKind === 'FloatField'));
    }
    case 'VectorField':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        return bad(`default ${show(value)} is not an array of numbers`);
      }
      return literal('[' + value.map(String).join(',') + ']');
    case 'BooleanField':
      if (typeof value !== 'boolean') return bad(`default ${show(value)} is not a boolean`);
      return value ? 'true' : 'false';
  }
  if (INTEGER_KINDS.has(kind)) {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return bad(`default ${show(value)} is not an integer`);
    return String(value);
  }
  if (kind === 'FloatField' || kind === 'DecimalField') {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number') return Number.isFinite(value) ? numericText(value) : literal(String(value));
    if (typeof value === 'string' && kind === 'DecimalField' && /^\s*-?(\d+\.?\d*|\.\d+)\s*$/.test(value)) return value.trim();
    return bad(`default ${show(value)} is not a number`);
  }
  if (kind === 'BinaryField' && value instanceof Uint8Array) {
    return literal('\\x' + Buffer.from(value).toString('hex'));
  }
  if (TEXT_KINDS.has(kind)) {
    if (value instanceof Date && (kind === 'DateField' || kind === 'DateTimeField')) {
      return literal(kind === 'DateField' ? value.toISOString().slice(0, 10) : value.toISOString());
    }
    if (typeof value !== 'string') return bad(`default ${show(value)} is not a string`);
    return literal(value);
  }
  // Foreign keys: the target key's value.
  if (typeof value === 'number' && Number.isFinite(value)) return numericText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return literal(value);
  return bad(`default ${show(value)} is not a value this column can hold`);
}
