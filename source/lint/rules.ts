/**
 * The lint rules: what in a revision's upgrade would hold a big table locked
 * for as long as PostgreSQL reads or rewrites every row of it — in the
 * spirit of Squawk, the PostgreSQL migration linter, but read from
 * fastedgy's operations (and the raw SQL of `op.execute`).
 *
 * Every rule is about a table that exists before the revision: a table the
 * same revision creates is empty, so nothing on it is flagged. Renames are
 * not flagged (makemigrations asks about those). The rules run in order over
 * one revision's operations, sharing what earlier ones did (tables created,
 * NOT NULL checks validated), so a statement is judged in its place.
 */
import { describeOperation } from '../ops/describe.js';
import { backfillExpr } from '../ops/sql-parts.js';
import type { AddColumn, AlterColumn, Operation } from '../ops/types.js';
import { rewriteNote, targetMayAvoidRewrite, typeChangeRewrites } from './column-types.js';
import { bareName, IDENT, QUALIFIED, shortSql, splitStatements, splitTopLevel } from './sql-scan.js';

export const RULES = {
  'create-index': 'an index built without CONCURRENTLY on an existing table (also a unique constraint added to one)',
  'volatile-default': 'a column added to an existing table with a volatile default (or as identity, serial or stored generated)',
  'type-rewrite': 'a column type change that rewrites the table',
  'set-not-null': 'SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL) first',
  'constraint-not-valid': 'a foreign key or CHECK added to an existing table without NOT VALID',
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

/** What the revision did so far: the lint reads it in order. */
export class LintContext {
  /** Tables created (or renamed from one created) earlier in the revision: empty, so safe. */
  readonly created = new Set<string>();
  /** Per table, the columns a validated `CHECK (col IS NOT NULL)` covers; '*' after a VALIDATE CONSTRAINT (of an unknown check). */
  readonly notNullChecked = new Map<string, Set<string>>();

  existing(table: string): boolean {
    return !this.created.has(bareName(table));
  }

  rename(from: string, to: string): void {
    if (this.created.delete(bareName(from))) this.created.add(bareName(to));
  }

  checked(table: string, column: string): boolean {
    const cols = this.notNullChecked.get(bareName(table));
    return !!cols && (cols.has('*') || cols.has(bareName(column)));
  }

  markChecked(table: string, column: string): void {
    const t = bareName(table);
    const cols = this.notNullChecked.get(t) ?? new Set<string>();
    cols.add(column === '*' ? '*' : bareName(column));
    this.notNullChecked.set(t, cols);
  }
}

// ---------------------------------------------------------------------------
// The advice, shared by the operation and the SQL forms of each rule.

const BLOCKS_ALL = 'under an ACCESS EXCLUSIVE lock (every read and write of the table waits)';
const NON_TRANSACTIONAL = 'in a revision with `export const transactional = false`';

const advice = {
  createIndex: (table: string, viaOp: boolean): Pick<Finding, 'risk' | 'safer'> => ({
    risk: `builds the index while every write to ${table} waits, for as long as reading the whole table takes`,
    safer: viaOp
      ? `use op.createIndex({ …, concurrently: true }) ${NON_TRANSACTIONAL}`
      : `use CREATE INDEX CONCURRENTLY ${NON_TRANSACTIONAL}`,
  }),
  addUnique: (table: string, name: string): Pick<Finding, 'risk' | 'safer'> => ({
    risk: `builds a unique index while every write to ${table} waits, for as long as reading the whole table takes`,
    safer:
      `build the index first with op.execute('CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (…)') ${NON_TRANSACTIONAL}, ` +
      `then op.execute('ALTER TABLE ${table} ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name}')`,
  }),
  volatileDefault: (table: string, what: string): Pick<Finding, 'risk' | 'safer'> => ({
    risk: `${what}, so PostgreSQL computes a value for every existing row and rewrites ${table} ${BLOCKS_ALL}`,
    safer: 'add the column without that default (NULL or a constant costs nothing), set the default in a second step, then fill the existing rows in batches',
  }),
  typeRewrite: (table: string, change: string): Pick<Finding, 'risk' | 'safer'> => ({
    risk: `${change} rewrites ${table} and rebuilds its indexes ${BLOCKS_ALL}`,
    safer: 'add a new column of the new type, fill it in batches (a trigger keeps it in step meanwhile), and switch to it in a later revision',
  }),
  setNotNull: (table: string, column: string): Pick<Finding, 'risk' | 'safer'> => {
    const check = `${table}_${column}_not_null`;
    return {
      risk: `SET NOT NULL reads every row of ${table} ${BLOCKS_ALL}`,
      safer:
        `first op.execute('ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${column} IS NOT NULL) NOT VALID') and ` +
        `op.execute('ALTER TABLE ${table} VALIDATE CONSTRAINT ${check}') (that scan lets writes go on); ` +
        `SET NOT NULL then trusts the check (PostgreSQL 12+) and the check can be dropped`,
    };
  },
  constraint: (table: string, what: 'foreign key' | 'CHECK', viaOp: boolean): Pick<Finding, 'risk' | 'safer'> => ({
    risk:
      what === 'foreign key'
        ? `checks every existing row of ${table} while writes to ${table} and to the referenced table wait`
        : `checks every existing row of ${table} ${BLOCKS_ALL}`,
    safer:
      (viaOp ? `add it with op.execute('ALTER TABLE ${table} ADD CONSTRAINT … FOREIGN KEY … NOT VALID')` : 'add it with NOT VALID') +
      `, then op.execute('ALTER TABLE ${table} VALIDATE CONSTRAINT …') — in a later statement or revision; validating lets writes go on`,
  }),
};

// ---------------------------------------------------------------------------
// Volatile defaults.

/**
 * Functions PostgreSQL marks VOLATILE that show up in defaults. `now()`,
 * `current_timestamp`, `statement_timestamp()` are STABLE: one value for the
 * whole statement, stored once as the column's "missing value", no rewrite.
 */
const VOLATILE_CALL =
  /\b(random|gen_random_uuid|gen_random_bytes|uuid_generate_v1|uuid_generate_v1mc|uuid_generate_v4|uuidv4|uuidv7|clock_timestamp|timeofday|nextval|setseed)\s*\(/i;

export function volatileFunction(expr: string | null | undefined): string | null {
  const m = expr ? VOLATILE_CALL.exec(expr) : null;
  return m ? `${m[1].toLowerCase()}()` : null;
}

// ---------------------------------------------------------------------------
// Rules over fastedgy's operations.

function addColumnFindings(op: AddColumn, ctx: LintContext): Finding[] {
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
  if (!ctx.existing(op.table)) return [];
  const findings: Finding[] = [];
  const operation = `op.alterColumn: ${describeOperation(op)}`;
  const from = op.from.enumType ? op.from.enumType + (op.from.type.endsWith('[]') ? '[]' : '') : op.from.type;
  const to = op.to.enumType ? op.to.enumType + (op.to.type.endsWith('[]') ? '[]' : '') : op.to.type;
  const typeChanged = from !== to || !!op.using;
  if (typeChanged && typeChangeRewrites(from, to, op.using)) {
    const change = `changing ${op.column} from ${from} to ${to}${op.using ? ` using ${op.using}` : ''}${rewriteNote(from, to)}`;
    findings.push({ rule: 'type-rewrite', operation, ...advice.typeRewrite(op.table, change) });
  }
  // A rewrite checks NOT NULL on the way (same ALTER TABLE), so only a
  // SET NOT NULL on its own is a separate full scan.
  const rewritten = findings.length > 0;
  if (op.from.nullable && !op.to.nullable && !rewritten && !ctx.checked(op.table, op.column))
    findings.push({ rule: 'set-not-null', operation, ...advice.setNotNull(op.table, op.column) });
  return findings;
}

function operationFindings(op: Operation, ctx: LintContext): Finding[] {
  switch (op.kind) {
    case 'createTable':
      ctx.created.add(bareName(op.table.name));
      return [];
    case 'renameTable':
      ctx.rename(op.from, op.to);
      return [];
    case 'createIndex':
      if (op.concurrently || !ctx.existing(op.table)) return [];
      return [{ rule: 'create-index', operation: `op.createIndex: ${describeOperation(op)}`, ...advice.createIndex(op.table, true) }];
    case 'addUnique':
      if (!ctx.existing(op.table)) return [];
      return [{ rule: 'create-index', operation: `op.addUnique: ${describeOperation(op)}`, ...advice.addUnique(op.table, op.unique.name) }];
    case 'addColumn':
      return addColumnFindings(op, ctx);
    case 'alterColumn':
      return alterColumnFindings(op, ctx);
    case 'addForeignKey':
      if (!ctx.existing(op.table)) return [];
      return [{ rule: 'constraint-not-valid', operation: `op.addForeignKey: ${describeOperation(op)}`, ...advice.constraint(op.table, 'foreign key', true) }];
    case 'execute':
      return sqlFindings(op.sql, ctx);
    default:
      return [];
  }
}

/** The findings for one revision's upgrade operations, in order. */
export function lintOperations(ops: readonly Operation[], ctx = new LintContext()): Finding[] {
  return ops.flatMap((op) => operationFindings(op, ctx));
}

// ---------------------------------------------------------------------------
// Rules over raw SQL. Each statement has had its comments and string
// literals blanked out and its whitespace collapsed (see sql-scan.ts), so
// the patterns below only deal with single spaces and bare keywords.

/** CREATE [UNLOGGED|TEMP] TABLE [IF NOT EXISTS] name — the table is new, so empty. */
const CREATE_TABLE = new RegExp(String.raw`^CREATE (?:(?:GLOBAL|LOCAL) )?(?:(?:TEMP|TEMPORARY|UNLOGGED) )?TABLE (?:IF NOT EXISTS )?(${QUALIFIED})`, 'i');

/** CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table — group 1 is CONCURRENTLY, group 2 the table. */
const CREATE_INDEX = new RegExp(
  String.raw`^CREATE (?:UNIQUE )?INDEX (CONCURRENTLY )?(?:IF NOT EXISTS )?(?:${QUALIFIED} )?ON (?:ONLY )?(${QUALIFIED})`,
  'i',
);

/** ALTER TABLE [IF EXISTS] [ONLY] table <actions> — group 1 the table, group 2 the comma-separated actions. */
const ALTER_TABLE = new RegExp(String.raw`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(${QUALIFIED}) ?\*? (.*)$`, 'i');

/** RENAME TO new_name (the table itself, not a column). */
const RENAME_TABLE = new RegExp(String.raw`^RENAME TO (${QUALIFIED})$`, 'i');

/** ADD [CONSTRAINT name] FOREIGN KEY | CHECK … — group 1 the kind. */
const ADD_CONSTRAINT = new RegExp(String.raw`^ADD (?:CONSTRAINT ${IDENT} )?(FOREIGN KEY|CHECK|PRIMARY KEY|UNIQUE|EXCLUDE)\b`, 'i');

/** CHECK (col IS NOT NULL), with optional extra parentheses — group 1 the column. */
const NOT_NULL_CHECK = new RegExp(String.raw`\bCHECK ?\( ?\(? ?(${IDENT}) IS NOT NULL ?\)? ?\)`, 'i');

/** ADD [COLUMN] [IF NOT EXISTS] name type … — group 1 the column, group 2 the rest of its definition. */
const ADD_COLUMN = new RegExp(String.raw`^ADD (?:COLUMN )?(?:IF NOT EXISTS )?(${IDENT}) (.*)$`, 'i');

/** ALTER [COLUMN] col [SET DATA] TYPE type [COLLATE c] [USING expr] — groups: column, type, using. */
const ALTER_TYPE = new RegExp(String.raw`^ALTER (?:COLUMN )?(${IDENT}) (?:SET DATA )?TYPE (.+?)(?: COLLATE \S+)?(?: USING (.+))?$`, 'i');

/** ALTER [COLUMN] col SET NOT NULL — group 1 the column. */
const SET_NOT_NULL = new RegExp(String.raw`^ALTER (?:COLUMN )?(${IDENT}) SET NOT NULL$`, 'i');

/** serial types are an integer with a nextval() default: every row gets a value. */
const SERIAL_TYPE = /^(small|big)?serial[248]?\b/i;

function alterTableFindings(table: string, action: string, statement: string, ctx: LintContext): Finding[] {
  const existing = ctx.existing(table);
  const t = bareName(table);
  const operation = `op.execute: ${shortSql(statement)}`;
  let m: RegExpExecArray | null;

  if ((m = RENAME_TABLE.exec(action))) {
    ctx.rename(table, m[1]);
    return [];
  }
  if (/^VALIDATE CONSTRAINT\b/i.test(action)) {
    // Which check it validates is not written here: trust it for every column.
    ctx.markChecked(table, '*');
    return [];
  }
  if ((m = ADD_CONSTRAINT.exec(action))) {
    const kind = m[1].toUpperCase();
    const notValid = /\bNOT VALID\b/i.test(action);
    const nn = NOT_NULL_CHECK.exec(action);
    if (kind === 'CHECK' && nn && !notValid) ctx.markChecked(table, nn[1]);
    if ((kind === 'FOREIGN KEY' || kind === 'CHECK') && !notValid && existing)
      return [{ rule: 'constraint-not-valid', operation, ...advice.constraint(t, kind === 'CHECK' ? 'CHECK' : 'foreign key', false) }];
    if (kind === 'UNIQUE' && existing && !/\bUSING INDEX\b/i.test(action)) {
      const name = new RegExp(String.raw`^ADD CONSTRAINT (${IDENT})`, 'i').exec(action);
      return [{ rule: 'create-index', operation, ...advice.addUnique(t, name ? bareName(name[1]) : `${t}_key`) }];
    }
    return [];
  }
  if ((m = ADD_COLUMN.exec(action))) {
    if (!existing) return [];
    const rest = m[2];
    let what: string | null = null;
    const def = /\bDEFAULT (.*)$/i.exec(rest);
    const fn = def ? volatileFunction(def[1]) : null;
    if (fn) what = `the default calls ${fn}, which is volatile`;
    else if (SERIAL_TYPE.test(rest)) what = 'a serial column takes a new sequence value for each row';
    else if (/\bGENERATED (?:ALWAYS|BY DEFAULT) AS IDENTITY\b/i.test(rest)) what = 'an identity column takes a new sequence value for each row';
    else if (/\bGENERATED ALWAYS AS ?\(.*\) ?STORED\b/i.test(rest)) what = 'a stored generated column is computed for each row';
    return what ? [{ rule: 'volatile-default', operation, ...advice.volatileDefault(t, what) }] : [];
  }
  if ((m = ALTER_TYPE.exec(action))) {
    if (!existing) return [];
    const [, column, type, using] = m;
    // The old type is not in the SQL: a target that a widening can reach is given the benefit of the doubt.
    if (!using && targetMayAvoidRewrite(type)) return [];
    const change = `changing ${bareName(column)} to ${type}${using ? ` using ${using}` : ''}`;
    return [{ rule: 'type-rewrite', operation, ...advice.typeRewrite(t, change) }];
  }
  if ((m = SET_NOT_NULL.exec(action))) {
    if (!existing || ctx.checked(table, m[1])) return [];
    return [{ rule: 'set-not-null', operation, ...advice.setNotNull(t, bareName(m[1])) }];
  }
  return [];
}

/** The findings for raw SQL (one or more statements), in order. */
export function sqlFindings(sql: string, ctx = new LintContext()): Finding[] {
  const findings: Finding[] = [];
  for (const statement of splitStatements(sql)) {
    let m: RegExpExecArray | null;
    if ((m = CREATE_TABLE.exec(statement))) {
      ctx.created.add(bareName(m[1]));
    } else if ((m = CREATE_INDEX.exec(statement))) {
      if (!m[1] && ctx.existing(m[2]))
        findings.push({ rule: 'create-index', operation: `op.execute: ${shortSql(statement)}`, ...advice.createIndex(bareName(m[2]), false) });
    } else if ((m = ALTER_TABLE.exec(statement))) {
      for (const action of splitTopLevel(m[2])) findings.push(...alterTableFindings(m[1], action, statement, ctx));
    }
    // Anything else (ALTER TYPE … ADD VALUE, UPDATE, DROP …, DO blocks) is not flagged.
  }
  return findings;
}
