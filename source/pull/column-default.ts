/**
 * A column default as a field option: `default: <value>` when the stored
 * expression is a constant the field would render back to the same text
 * (checked by rendering it, so what `pull` writes compiles to what the
 * database holds), `serverDefault: '<sql>'` otherwise.
 */
import { normalizeDefault } from '../diff/normalize.js';
import { renderDefault } from '../models/sql-values.js';

export type DefaultOption = { readonly default: unknown } | { readonly serverDefault: string };

const INTEGER_KINDS = new Set(['IntegerField', 'SmallIntegerField', 'BigIntegerField']);
const STRING_KINDS = new Set([
  'CharField', 'TextField', 'UUIDField', 'IPAddressField', 'DurationField', 'TimeField', 'DateField', 'DateTimeField',
  'BinaryField', 'ChoiceField',
]);

/** The JS value a constant default stands for, or undefined when it is not one. */
function candidate(text: string, kind: string): unknown {
  const quoted = /^'((?:[^']|'')*)'$/s.exec(text);
  if (quoted) {
    const s = quoted[1].replace(/''/g, "'");
    if (STRING_KINDS.has(kind)) return s;
    if (kind === 'JSONField') {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
  if (kind === 'BooleanField' && (text === 'true' || text === 'false')) return text === 'true';
  if (/^-?\d+$/.test(text)) {
    if (INTEGER_KINDS.has(kind) || kind === 'FloatField') return Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
    if (kind === 'DecimalField') return text;
  }
  if (/^-?\d+\.\d+$/.test(text)) {
    if (kind === 'FloatField') return Number(text);
    // A string keeps the scale PostgreSQL prints (1.50, not 1.5).
    if (kind === 'DecimalField') return text;
  }
  return undefined;
}

export function defaultOption(sql: string, kind: string, enumValues?: readonly string[]): DefaultOption {
  const normal = normalizeDefault(sql);
  const value = normal === null ? undefined : candidate(normal, kind);
  if (value !== undefined) {
    try {
      const bad = (m: string): never => {
        throw new Error(m);
      };
      const back = renderDefault(value, { kind, enumValues, bad });
      if (normalizeDefault(back) === normal) return { default: value };
    } catch {
      // not a value the field takes: the SQL text then
    }
  }
  return { serverDefault: sql };
}
