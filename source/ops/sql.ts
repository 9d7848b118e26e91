/**
 * The SQL for one operation, PostgreSQL 14+. Every kind has an entry in the
 * table below (a `Record` over all kinds), so a new operation kind does not
 * compile until it has SQL. Identifiers and literals are quoted here; only
 * expressions that are SQL by nature (serverDefault, USING, backfill `sql`,
 * view bodies, `execute`) are passed through as written.
 */
import { ident, identList, literal } from '../util/sql-text.js';
import { rebuildEnumSql } from './sql-enums.js';
import { backfillExpr, checkSql, columnDefinition, columnType, commentSql, createIndexSql, foreignKeySql, uniqueSql } from './sql-parts.js';
import type { AddColumn, AlterColumn, Operation, OperationOf } from './types.js';

type Generators = { [K in Operation['kind']]: (op: OperationOf<K>) => string[] };

const alterTable = (t: string, rest: string) => `ALTER TABLE ${ident(t)} ${rest}`;
const colRef = (t: string, c: string) => `COLUMN ${ident(t)}.${ident(c)}`;

const GENERATORS: Generators = {
  createExtension: (op) => [`CREATE EXTENSION IF NOT EXISTS ${ident(op.name)}`],
  dropExtension: (op) => [`DROP EXTENSION IF EXISTS ${ident(op.name)}`],
  createEnum: (op) => [`CREATE TYPE ${ident(op.name)} AS ENUM (${op.values.map(literal).join(', ')})`],
  dropEnum: (op) => [`DROP TYPE ${ident(op.name)}`],
  renameEnum: (op) => [`ALTER TYPE ${ident(op.from)} RENAME TO ${ident(op.to)}`],
  addEnumValue: (op) => {
    const place = op.before ? ` BEFORE ${literal(op.before)}` : op.after ? ` AFTER ${literal(op.after)}` : '';
    return [`ALTER TYPE ${ident(op.type)} ADD VALUE ${literal(op.value)}${place}`];
  },
  renameEnumValue: (op) => [`ALTER TYPE ${ident(op.type)} RENAME VALUE ${literal(op.from)} TO ${literal(op.to)}`],
  rebuildEnum: rebuildEnumSql,
  createTable: (op) => {
    const t = op.table;
    const parts = t.columns.map((c) => columnDefinition(c));
    if (t.primaryKey) parts.push(`CONSTRAINT ${ident(t.primaryKey.name)} PRIMARY KEY (${identList(t.primaryKey.columns)})`);
    for (const u of t.uniques) parts.push(uniqueSql(u));
    for (const c of t.checks) parts.push(checkSql(c.name, c.expression));
    // Foreign keys are separate operations (addForeignKey), so tables can be
    // created in any order and the way back drops them first.
    const out = [`CREATE TABLE ${ident(t.name)} (\n  ${parts.join(',\n  ')}\n)`];
    for (const i of t.indexes) out.push(createIndexSql(t.name, i));
    if (t.comment) out.push(commentSql(`TABLE ${ident(t.name)}`, t.comment));
    for (const c of t.columns) if (c.comment) out.push(commentSql(colRef(t.name, c.name), c.comment));
    return out;
  },
  dropTable: (op) => [`DROP TABLE ${ident(op.table.name)}`],
  renameTable: (op) => [alterTable(op.from, `RENAME TO ${ident(op.to)}`)],
  renameConstraint: (op) => [alterTable(op.table, `RENAME CONSTRAINT ${ident(op.from)} TO ${ident(op.to)}`)],
  renameIndex: (op) => [`ALTER INDEX ${ident(op.from)} RENAME TO ${ident(op.to)}`],
  renameSequence: (op) => [`ALTER SEQUENCE ${ident(op.from)} RENAME TO ${ident(op.to)}`],
  addColumn: addColumnSql,
  dropColumn: (op) => [alterTable(op.table, `DROP COLUMN ${ident(op.column.name)}`)],
  renameColumn: (op) => [alterTable(op.table, `RENAME COLUMN ${ident(op.from)} TO ${ident(op.to)}`)],
  alterColumn: alterColumnSql,
  createIndex: (op) => [createIndexSql(op.table, op.index, op.concurrently)],
  dropIndex: (op) => [`DROP INDEX ${op.concurrently ? 'CONCURRENTLY ' : ''}${ident(op.index.name)}`],
  addUnique: (op) => [alterTable(op.table, `ADD ${uniqueSql(op.unique)}`)],
  dropUnique: (op) => [alterTable(op.table, `DROP CONSTRAINT ${ident(op.unique.name)}`)],
  addForeignKey: (op) => [alterTable(op.table, `ADD ${foreignKeySql(op.foreignKey)}`)],
  dropForeignKey: (op) => [alterTable(op.table, `DROP CONSTRAINT ${ident(op.foreignKey.name)}`)],
  // NOT VALID then VALIDATE: the scan of existing rows takes a lock that lets writes through.
  addCheck: (op) => [
    alterTable(op.table, `ADD ${checkSql(op.check.name, op.check.expression)} NOT VALID`),
    alterTable(op.table, `VALIDATE CONSTRAINT ${ident(op.check.name)}`),
  ],
  dropCheck: (op) => [alterTable(op.table, `DROP CONSTRAINT ${ident(op.check.name)}`)],
  setTableComment: (op) => [commentSql(`TABLE ${ident(op.table)}`, op.to)],
  createView: (op) => [`CREATE VIEW ${ident(op.view.name)} AS ${viewBody(op.view.sql)}`],
  dropView: (op) => [`DROP VIEW ${ident(op.view.name)}`],
  // DROP + CREATE rather than CREATE OR REPLACE, which refuses to remove or rename columns.
  replaceView: (op) => [`DROP VIEW ${ident(op.from.name)}`, `CREATE VIEW ${ident(op.to.name)} AS ${viewBody(op.to.sql)}`],
  deleteRows: (op) => [`DELETE FROM ${ident(op.table)} WHERE ${op.where}`],
  execute: (op) => [op.sql],
};

function viewBody(sql: string): string {
  return sql.trim().replace(/;\s*$/, '');
}

function addColumnSql(op: AddColumn): string[] {
  const { table, column: c, backfill } = op;
  const add = (def: string) => alterTable(table, `ADD COLUMN ${def}`);
  const alter = (rest: string) => alterTable(table, `ALTER COLUMN ${ident(c.name)} ${rest}`);
  const out: string[] = [];
  // Nullable and identity columns need no backfill: NULL, or the sequence, fills the rows.
  if (!backfill || c.nullable || c.identity) {
    out.push(add(columnDefinition(c)));
  } else if ('sql' in backfill) {
    // Per-row expression: add nullable, fill, then enforce.
    out.push(add(columnDefinition(c, { nullable: true })));
    out.push(`UPDATE ${ident(table)} SET ${ident(c.name)} = ${backfillExpr(backfill, c)}`);
    out.push(alter('SET NOT NULL'));
  } else if ('value' in backfill) {
    // A constant: PostgreSQL 11+ stores it as the column's "missing value",
    // so no row is rewritten; then the column gets its own default (or none),
    // which changes nothing for the rows already there.
    out.push(add(columnDefinition(c, { default: backfillExpr(backfill, c) })));
    out.push(alter(c.default == null ? 'DROP DEFAULT' : `SET DEFAULT ${c.default}`));
  } else {
    out.push(add(columnDefinition(c)));
  }
  if (c.comment) out.push(commentSql(colRef(table, c.name), c.comment));
  return out;
}

/**
 * One ALTER TABLE for all the column's changes where possible: PostgreSQL
 * runs its sub-commands in phases (drops, then type changes, then defaults
 * and NOT NULL), so a default typed for the old type is gone before the
 * conversion, and NOT NULL is checked in the same pass as the rewrite. A
 * backfill UPDATE (written for the new type) splits it in two.
 */
function alterColumnSql(op: AlterColumn): string[] {
  const { table, column, from, to } = op;
  const actions: string[] = [];
  const out: string[] = [];
  const flush = () => {
    if (actions.length) out.push(alterTable(table, actions.map((a) => `ALTER COLUMN ${ident(column)} ${a}`).join(', ')));
    actions.length = 0;
  };
  const typeChanged = columnType(from) !== columnType(to);
  const defaultChanged = (from.default ?? null) !== (to.default ?? null);
  const fromIdentity = from.identity ?? null;
  const toIdentity = to.identity ?? null;
  if (!from.generated && to.generated) {
    // No way to make a column generated in place: dropped and added generated, its values computed again.
    const column0 = { name: column, ...to, enumType: to.enumType ?? null, generated: to.generated, identity: null };
    return [alterTable(table, `DROP COLUMN ${ident(column)}`), alterTable(table, `ADD COLUMN ${columnDefinition(column0)}`), ...(to.comment ? [commentSql(colRef(table, column), to.comment)] : [])];
  }
  // Values kept: PostgreSQL stored them, and they stay as plain values.
  if (from.generated && !to.generated) out.push(alterTable(table, `ALTER COLUMN ${ident(column)} DROP EXPRESSION`));
  // Identity goes first (a default may take its place) and comes last (it needs NOT NULL and no default).
  if (fromIdentity && !toIdentity) out.push(alterTable(table, `ALTER COLUMN ${ident(column)} DROP IDENTITY`));
  if (typeChanged) {
    if (from.default != null) actions.push('DROP DEFAULT');
    actions.push(`TYPE ${columnType(to)}${op.using ? ` USING ${op.using}` : ''}`);
    if (to.default != null) actions.push(`SET DEFAULT ${to.default}`);
  } else if (defaultChanged) {
    actions.push(to.default != null ? `SET DEFAULT ${to.default}` : 'DROP DEFAULT');
  }
  if (from.nullable && !to.nullable) {
    if (op.backfill) {
      flush();
      out.push(`UPDATE ${ident(table)} SET ${ident(column)} = ${backfillExpr(op.backfill, to)} WHERE ${ident(column)} IS NULL`);
    }
    actions.push('SET NOT NULL');
  } else if (!from.nullable && to.nullable) {
    actions.push('DROP NOT NULL');
  }
  flush();
  const generated = (i: string) => `GENERATED ${i === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`;
  if (!fromIdentity && toIdentity) {
    out.push(alterTable(table, `ALTER COLUMN ${ident(column)} ADD ${generated(toIdentity)} AS IDENTITY`));
    // The rows already hold values: the sequence starts past the highest, as the rows stand when this runs.
    out.push(
      `SELECT setval(pg_get_serial_sequence(${literal(ident(table))}, ${literal(column)}), coalesce(max(${ident(column)}), 0) + 1, false) FROM ${ident(table)}`,
    );
  } else if (fromIdentity && toIdentity && fromIdentity !== toIdentity) {
    out.push(alterTable(table, `ALTER COLUMN ${ident(column)} SET ${generated(toIdentity)}`));
  }
  if ((from.comment ?? null) !== (to.comment ?? null)) out.push(commentSql(colRef(table, column), to.comment));
  return out;
}

export function operationToSql(op: Operation): string[] {
  const generate = GENERATORS[op.kind] as (o: Operation) => string[];
  return generate(op);
}
