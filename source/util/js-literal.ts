/**
 * A value as readable JavaScript source, for the operations a revision file
 * holds: unquoted keys where they are identifiers, single-quoted strings,
 * one line when short, one entry per line when long.
 */
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const WIDTH = 110;

function str(s: string): string {
  // "'active'" reads better than '\'active\''.
  if (s.includes("'") && !s.includes('"') && !/[\\\n\r\t\u2028\u2029]/.test(s)) return `"${s}"`;
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}

function key(k: string): string {
  // `__proto__: x` (quoted or not) would set the prototype; a computed key makes a property.
  if (k === '__proto__') return `[${str(k)}]`;
  return IDENT.test(k) ? k : str(k);
}

export function toJsLiteral(value: unknown, indent = ''): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return `new Date(${str(value.toISOString())})`;
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => toJsLiteral(v, inner));
    const flat = `[${items.join(', ')}]`;
    if (flat.length + indent.length <= WIDTH && !flat.includes('\n')) return flat;
    return `[\n${items.map((i) => inner + i).join(',\n')},\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const items = entries.map(([k, v]) => `${key(k)}: ${toJsLiteral(v, inner)}`);
  const flat = `{ ${items.join(', ')} }`;
  if (flat.length + indent.length <= WIDTH && !flat.includes('\n')) return flat;
  return `{\n${items.map((i) => inner + i).join(',\n')},\n${indent}}`;
}
