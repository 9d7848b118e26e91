// A synthetic schema of N tables for the benchmarks: a dozen mixed columns
// each, a few enums, a foreign key to the previous table, indexes, a unique
// constraint, and one view per 50 tables.
export function syntheticModels(n) {
  const lines = [`import { defineModel, defineEnum, defineView, fields } from 'fastedgy';`];
  const enums = Math.max(1, Math.floor(n / 50));
  for (let e = 0; e < enums; e++) lines.push(`export const E${e} = defineEnum('BenchEnum${e}', ['a', 'b', 'c', 'd']);`);
  for (let i = 0; i < n; i++) {
    const fk = i > 0 ? `parent: fields.ForeignKey(() => T${i - 1}, { null: true, onDelete: 'cascade' }),` : '';
    lines.push(`export const T${i} = defineModel('T${i}', { tablename: 't${i}', fields: {
  name: fields.CharField({ maxLength: 100, index: true }),
  code: fields.CharField({ maxLength: 20, unique: true }),
  body: fields.TextField({ null: true }),
  qty: fields.IntegerField({ default: 0 }),
  big: fields.BigIntegerField({ null: true }),
  price: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2, null: true }),
  ratio: fields.FloatField({ null: true }),
  active: fields.BooleanField({ default: true }),
  born: fields.DateField({ null: true }),
  meta: fields.JSONField({ null: true }),
  uid: fields.UUIDField({ null: true }),
  kind: fields.ChoiceField({ choices: E${i % enums}, default: 'a' }),
  ${fk}
}, indexes: [{ fields: ['qty', 'active'] }] });`);
  }
  for (let v = 0; v < Math.floor(n / 50); v++)
    lines.push(`export const V${v} = defineView('V${v}', { viewname: 'v${v}', sql: 'SELECT id, name, qty FROM t${v * 50} WHERE active' });`);
  return lines.join('\n') + '\n';
}
