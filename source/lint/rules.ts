/**
 * The lint rules: what in a revision's upgrade would hold a big table locked
 * for as long as PostgreSQL reads or rewrites every row of it, or fail on a
 * database with rows — in the spirit of Squawk, the PostgreSQL migration
 * linter, but read from fastedgy's operations, and from the raw SQL of
 * `op.execute` through PostgreSQL's own parser (sql-rules.ts).
 *
 * Every rule is about a table that exists before the revision: a table the
 * same revision creates is empty, so nothing on it is flagged. Renames are
 * not flagged (makemigrations asks about those). The rules run in order over
 * one revision's operations, sharing what earlier ones did (context.ts), so
 * a statement is judged in its place.
 */
import { describeOperation } from '../ops/describe.js';
import { backfillExpr } from '../ops/sql-parts.js';
import type { AddColumn, AlterColumn, Operation } from '../ops/types.js';
import { advice } from './advice.js';
import { rewriteNote, typeChangeRewrites } from './column-types.js';
import { LintContext } from './context.js';
import { parseExpression } from './sql-parse.js';
import { rawSqlFindings, volatileCall } from './sql-rules.js';
import { bareName } from './sql-scan.js';

export { LintContext };

/** Rule ids are what users write in `// fastedgy-lint-allow …`: never rename one. */
export const RULES = {
  'create-index': 'an index built without CONCURRENTLY on an existing table (also a unique constraint added to one)',
  'volatile-default': 'a column added to an existing table with a volatile default (or as identity, serial or stored generated)',
  'type-rewrite': 'a column type change that rewrites the table (removing an enum value included)',
  'set-not-null': 'SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL) first',
  'constraint-not-valid': 'a foreign key or CHECK added to an existing table without NOT VALID (a column added with REFERENCES too)',
  'validate-in-transaction': 'VALIDATE CONSTRAINT in the same transaction as the ADD … NOT VALID it validates',
  'cannot-run-in-transaction': 'CONCURRENTLY or VACUUM in a transactional revision',
  'drop-index': 'DROP INDEX without CONCURRENTLY',
  reindex: 'REINDEX without CONCURRENTLY',
  'add-column-not-null': 'a NOT NULL column without a default added to an existing table',
  'rewrite-table': 'CLUSTER or VACUUM FULL',
  'lock-table': 'an explicit LOCK TABLE',
  'whole-table-update': 'an UPDATE without WHERE on an existing table in a transactional revision',
} as const;

export type RuleId = keyof typeof RULES;

export interface Finding {
  readonly rule: RuleId;
  /** The operation in words, or the SQL statement. */
  readonly operation: string;
  /** What it does to a big table. */
  readonly risk: string;
  /** The safer way to the same result. */
  readonly safer: string;
}

/** The first volatile function a default written as SQL calls (`random()`), or null. */
export function volatileFunction(expr: string | null | undefined): string | null {
  if (!expr) return null;
  const tree = parseExpression(expr);
  return tree ? volatileCall(tree) : null;
}

// ---------------------------------------------------------------------------
// Rules over fastedgy's operations.

/** The type the lint keeps for a column: an enum column's enum name (so enum → text reads as a change). */
function stateType(state: { type: string; enumType?: string | null }): string {
  return state.enumType ? state.enumType + (state.type.endsWith('[]') ? '[]' : '') : state.type;
}

function addColumnFindings(op: AddColumn, ctx: LintContext): Finding[] {
  ctx.setColumnType(op.table, op.column.name, stateType(op.column));
  if (!ctx.existing(op.table)) return [];
  const c = op.column;
  const operation = `op.addColumn: ${describeOperation(op)}`;
  if (c.identity) return [{ rule: 'volatile-default', operation, ...advice.volatileDefault(op.table, `an identity column takes a new sequence value for each row`) }];
  if (c.generated) return [{ rule: 'volatile-default', operation, ...advice.volatileDefault(op.table, `a stored generated column is computed for each row`) }];
  // A constant backfill is what ADD COLUMN gets as its default (the column's
  // own default is set afterwards, which touches no row); see ops/sql.ts.
  const constantBackfill = !!op.backfill && 'value' in op.backfill && !c.nullable;
  const added = constantBackfill ? backfillExpr(op.backfill!, c) : c.default;
  const fn = volatileFunction(added);
  if (!fn) return [];
  return [{ rule: 'volatile-default', operation, ...advice.volatileDefault(op.table, `the default calls ${fn}, which is volatile`) }];
}

function alterColumnFindings(op: AlterColumn, ctx: LintContext): Finding[] {
  const from = stateType(op.from);
  const to = stateType(op.to);
  ctx.setColumnType(op.table, op.column, to);
  if (!ctx.existing(op.table)) return [];
  const findings: Finding[] = [];
  const operation = `op.alterColumn: ${describeOperation(op)}`;
  const typeChanged = from !== to || !!op.using;
  if (typeChanged && typeChangeRewrites(from, to, op.using)) {
    const change = `changing ${op.column} from ${from} to ${to}${op.using ? ` using ${op.using}` : ''}${rewriteNote(from, to)}`;
    findings.push({ rule: 'type-rewrite', operation, ...advice.typeRewrite(op.table, change) });
  }
  // A rewrite checks NOT NULL on the way (same ALTER TABLE), so only a
  // SET NOT NULL on its own is a separate full scan. In a transactional
  // revision the runner takes the low-lock way on a big table by itself
  // (CHECK … NOT VALID, VALIDATE in its own transaction, then SET NOT NULL:
  // see ops/low-lock.ts), so only a non-transactional revision scans under
  // the exclusive lock.
  const rewritten = findings.length > 0;
  if (op.from.nullable && !op.to.nullable && !rewritten && !ctx.transactional && !ctx.checked(op.table, op.column))
    findings.push({ rule: 'set-not-null', operation, ...advice.setNotNull(op.table, op.column) });
  return findings;
}

function operationFindings(op: Operation, ctx: LintContext): Finding[] {
  const operation = () => `op.${op.kind}: ${describeOperation(op)}`;
  switch (op.kind) {
    case 'createTable':
      ctx.created.add(bareName(op.table.name));
      for (const c of op.table.columns) ctx.setColumnType(op.table.name, c.name, stateType(c));
      for (const i of op.table.indexes) ctx.createdIndexes.add(i.name);
      return [];
    case 'dropTable':
      ctx.dropTable(op.table.name);
      return [];
    case 'renameTable':
      ctx.rename(op.from, op.to);
      return [];
    case 'renameColumn':
      ctx.renameColumn(op.table, op.from, op.to);
      return [];
    case 'dropColumn':
      ctx.setColumnType(op.table, op.column.name, null);
      return [];
    case 'createIndex':
      ctx.createdIndexes.add(op.index.name);
      if (op.concurrently)
        return ctx.transactional ? [{ rule: 'cannot-run-in-transaction', operation: operation(), ...advice.cannotRunInTransaction('CREATE INDEX CONCURRENTLY') }] : [];
      // In a transactional revision the runner builds it CONCURRENTLY, outside the transaction, on a table
      // big enough for the build to matter (runner/concurrent-index.ts); a non-transactional one runs it as written.
      if (!ctx.existing(op.table) || ctx.transactional) return [];
      return [{ rule: 'create-index', operation: operation(), ...advice.createIndex(op.table, true) }];
    case 'dropIndex':
      if (op.concurrently)
        return ctx.transactional ? [{ rule: 'cannot-run-in-transaction', operation: operation(), ...advice.cannotRunInTransaction('DROP INDEX CONCURRENTLY') }] : [];
      if (!ctx.existing(op.table) || ctx.createdIndexes.has(op.index.name)) return [];
      return [{ rule: 'drop-index', operation: operation(), ...advice.dropIndex(op.index.name, true) }];
    case 'addUnique':
      // Likewise: a unique index built CONCURRENTLY, then attached with ADD CONSTRAINT … USING INDEX.
      if (!ctx.existing(op.table) || ctx.transactional) return [];
      return [{ rule: 'create-index', operation: operation(), ...advice.addUnique(op.table, op.unique.name) }];
    case 'addColumn':
      return addColumnFindings(op, ctx);
    case 'alterColumn':
      return alterColumnFindings(op, ctx);
    case 'addForeignKey':
      if (!ctx.existing(op.table)) return [];
      return [{ rule: 'constraint-not-valid', operation: operation(), ...advice.constraint(op.table, 'foreign key', true) }];
    // addCheck is rendered ADD … NOT VALID then VALIDATE in the revision's
    // transaction (ops/sql.ts), so the scan runs under the ADD's lock; that is
    // for the runner to split (as it does SET NOT NULL), not flagged here yet.
    case 'rebuildEnum': {
      // Every column using the type is converted (ALTER COLUMN … TYPE … USING): a rewrite of each table.
      const tables = [...new Set(op.columns.map((c) => c.table))].filter((t) => ctx.existing(t));
      return tables.map((t) => ({ rule: 'type-rewrite' as const, operation: operation(), ...advice.enumRebuild(t, op.type) }));
    }
    case 'execute':
      return rawSqlFindings(op.sql, ctx);
    default:
      return [];
  }
}

/** The findings for one revision's upgrade operations, in order. */
export function lintOperations(ops: readonly Operation[], ctx = new LintContext()): Finding[] {
  return ops.flatMap((op) => operationFindings(op, ctx));
}

/** The findings for raw SQL (one or more statements), in order. */
export function sqlFindings(sql: string, ctx = new LintContext()): Finding[] {
  return rawSqlFindings(sql, ctx);
}
