/**
 * The rules over raw SQL (`op.execute(…)`), read as PostgreSQL's parse trees
 * (sql-parse.ts). Statements are judged in order, sharing the revision's
 * context (tables created, checks validated, constraints added NOT VALID,
 * column types known). SQL the parser cannot read is not flagged: running
 * it will say what is wrong with it.
 */
import { advice } from './advice.js';
import { rewriteNote, targetMayAvoidRewrite, typeChangeRewrites } from './column-types.js';
import type { LintContext } from './context.js';
import type { Finding } from './rules.js';
import { hasOption, names, parseStatements, quoted, relationName, typeText, walk } from './sql-parse.js';
import type { Node, ParsedStatement } from './sql-parse.js';
import { bareName, shortSql } from './sql-scan.js';

/**
 * Functions PostgreSQL marks VOLATILE that show up in defaults. `now()`,
 * `current_timestamp`, `statement_timestamp()` are STABLE: one value for the
 * whole statement, stored once as the column's "missing value", no rewrite.
 */
const VOLATILE = new Set([
  'random', 'gen_random_uuid', 'gen_random_bytes', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4',
  'uuidv4', 'uuidv7', 'clock_timestamp', 'timeofday', 'nextval', 'setseed',
]);

/** The first volatile function an expression tree calls (`random()`), or null. */
export function volatileCall(expr: unknown): string | null {
  for (const n of walk(expr)) {
    const fn = n.FuncCall ? names(n.FuncCall.funcname).at(-1) : undefined;
    if (fn && VOLATILE.has(fn.toLowerCase())) return `${fn.toLowerCase()}()`;
  }
  return null;
}

/** serial types are an integer with a nextval() default: every row gets a value. */
const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

const LOCK_MODES = ['', 'ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'];

type Emit = (rule: Finding['rule'], adv: Pick<Finding, 'risk' | 'safer'>) => void;

function addColumn(table: string, def: Node, ctx: LintContext, emit: Emit): void {
  const column: string = def.colname ?? '?';
  const type = typeText(def.typeName);
  ctx.setColumnType(table, quoted(column), type);
  if (!ctx.existing(table)) return;
  const t = bareName(table);
  const constraints: Node[] = (def.constraints ?? []).map((c: Node) => c.Constraint ?? {});
  const fallback = constraints.find((c) => c.contype === 'CONSTR_DEFAULT');
  const generated = constraints.find((c) => c.contype === 'CONSTR_GENERATED');
  let what: string | null = null;
  const fn = fallback ? volatileCall(fallback.raw_expr) : null;
  if (fn) what = `the default calls ${fn}, which is volatile`;
  else if (SERIAL_TYPES.has(names(def.typeName?.names).at(-1) ?? '')) what = 'a serial column takes a new sequence value for each row';
  else if (constraints.some((c) => c.contype === 'CONSTR_IDENTITY')) what = 'an identity column takes a new sequence value for each row';
  // generated_kind 'v' (PostgreSQL 18's VIRTUAL) computes on read: nothing is written.
  else if (generated && generated.generated_kind !== 'v') what = 'a stored generated column is computed for each row';
  if (what) emit('volatile-default', advice.volatileDefault(t, what));
  if (constraints.some((c) => c.contype === 'CONSTR_FOREIGN')) emit('constraint-not-valid', advice.columnReferences(t));
  const notNull = constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
  if (notNull && !fallback && !what) emit('add-column-not-null', advice.addColumnNotNull(t, column));
}

function addConstraint(table: string, c: Node, ctx: LintContext, emit: Emit): void {
  const t = bareName(table);
  const existing = ctx.existing(table);
  const name: string | undefined = c.conname;
  const notValid = !!c.skip_validation;
  if (notValid && name) ctx.addedNotValid.add(`${t}.${name}`);
  if (c.contype === 'CONSTR_CHECK' && !notValid) {
    // A validated CHECK (col IS NOT NULL) lets a later SET NOT NULL skip its scan.
    const test = c.raw_expr?.NullTest;
    const col = test?.nulltesttype === 'IS_NOT_NULL' ? names(test.arg?.ColumnRef?.fields).at(-1) : undefined;
    if (col) ctx.markChecked(table, quoted(col));
  }
  if (!existing) return;
  if ((c.contype === 'CONSTR_FOREIGN' || c.contype === 'CONSTR_CHECK') && !notValid)
    emit('constraint-not-valid', advice.constraint(t, c.contype === 'CONSTR_CHECK' ? 'CHECK' : 'foreign key', false));
  if ((c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_EXCLUSION') && !c.indexname)
    emit('create-index', advice.addUnique(t, name ?? `${t}_key`));
}

function alterType(table: string, column: string, def: Node, ctx: LintContext, emit: Emit): void {
  const to = typeText(def.typeName);
  const from = ctx.columnType(table, quoted(column));
  ctx.setColumnType(table, quoted(column), to);
  if (!ctx.existing(table)) return;
  const using = !!def.raw_default;
  const t = bareName(table);
  if (from !== undefined) {
    // The old type is known (from earlier revisions): judged exactly, an enum → text included.
    if (!typeChangeRewrites(from, to, using ? 'USING' : undefined)) return;
    emit('type-rewrite', advice.typeRewrite(t, `changing ${column} from ${from} to ${to}${using ? ' with USING' : ''}${rewriteNote(from, to)}`));
    return;
  }
  // Not known: a target that a widening can reach gets the benefit of the doubt.
  if (!using && targetMayAvoidRewrite(to)) return;
  emit('type-rewrite', advice.typeRewrite(t, `changing ${column} to ${to}${using ? ' with USING' : ''}`));
}

function alterTable(s: ParsedStatement, ctx: LintContext, emit: Emit): void {
  if (s.body.objtype && s.body.objtype !== 'OBJECT_TABLE') return;
  const table = relationName(s.body.relation);
  const t = bareName(table);
  for (const wrapped of s.body.cmds ?? []) {
    const cmd: Node = wrapped.AlterTableCmd ?? {};
    switch (cmd.subtype) {
      case 'AT_AddColumn':
        addColumn(table, cmd.def?.ColumnDef ?? {}, ctx, emit);
        break;
      case 'AT_AddConstraint':
        addConstraint(table, cmd.def?.Constraint ?? {}, ctx, emit);
        break;
      case 'AT_ValidateConstraint':
        // Which check it validates is not written here: trust it for every column.
        ctx.markChecked(table, '*');
        if (ctx.transactional && ctx.addedNotValid.has(`${t}.${cmd.name}`)) emit('validate-in-transaction', advice.validateInTransaction(t, cmd.name));
        break;
      case 'AT_AlterColumnType':
        alterType(table, cmd.name, cmd.def?.ColumnDef ?? {}, ctx, emit);
        break;
      case 'AT_SetNotNull':
        if (ctx.existing(table) && !ctx.checked(table, quoted(cmd.name))) emit('set-not-null', advice.setNotNull(t, cmd.name));
        break;
      case 'AT_DropColumn':
        ctx.setColumnType(table, quoted(cmd.name), null);
        break;
    }
  }
}

function statementFindings(s: ParsedStatement, ctx: LintContext, emit: Emit): void {
  const b = s.body;
  switch (s.kind) {
    case 'CreateStmt':
    case 'CreateTableAsStmt': {
      const rel = s.kind === 'CreateStmt' ? b.relation : b.into?.rel;
      const table = relationName(rel);
      ctx.created.add(bareName(table));
      for (const e of b.tableElts ?? []) if (e.ColumnDef) ctx.setColumnType(table, quoted(e.ColumnDef.colname), typeText(e.ColumnDef.typeName));
      return;
    }
    case 'IndexStmt': {
      const table = relationName(b.relation);
      if (b.idxname) ctx.createdIndexes.add(b.idxname);
      if (b.concurrent && ctx.transactional) emit('cannot-run-in-transaction', advice.cannotRunInTransaction('CREATE INDEX CONCURRENTLY'));
      else if (!b.concurrent && ctx.existing(table)) emit('create-index', advice.createIndex(bareName(table), false));
      return;
    }
    case 'DropStmt': {
      if (b.removeType !== 'OBJECT_INDEX') {
        if (b.removeType === 'OBJECT_TABLE') for (const o of b.objects ?? []) ctx.dropTable(quoted(names(o.List?.items).at(-1) ?? '?'));
        return;
      }
      const indexes = (b.objects ?? []).map((o: Node) => names(o.List?.items).at(-1) ?? '?');
      if (b.concurrent && ctx.transactional) emit('cannot-run-in-transaction', advice.cannotRunInTransaction('DROP INDEX CONCURRENTLY'));
      else if (!b.concurrent && indexes.some((i: string) => !ctx.createdIndexes.has(i))) emit('drop-index', advice.dropIndex(indexes.join(', '), false));
      return;
    }
    case 'ReindexStmt': {
      const concurrently = hasOption(b.params, 'concurrently');
      const target = b.relation ? `${b.kind === 'REINDEX_OBJECT_INDEX' ? 'index' : 'the indexes of'} ${bareName(relationName(b.relation))}` : 'every index';
      if (concurrently && ctx.transactional) emit('cannot-run-in-transaction', advice.cannotRunInTransaction('REINDEX CONCURRENTLY'));
      else if (!concurrently && (!b.relation || ctx.existing(relationName(b.relation)))) emit('reindex', advice.reindex(target));
      return;
    }
    case 'ClusterStmt': {
      const table = b.relation ? relationName(b.relation) : null;
      if (!table || ctx.existing(table)) emit('rewrite-table', advice.rewriteTable('CLUSTER', table ? bareName(table) : 'every clustered table'));
      return;
    }
    case 'VacuumStmt': {
      if (!b.is_vacuumcmd) return; // ANALYZE: a light lock, and fine in a transaction
      if (ctx.transactional) emit('cannot-run-in-transaction', advice.cannotRunInTransaction('VACUUM'));
      if (hasOption(b.options, 'full')) {
        const tables = (b.rels ?? []).map((r: Node) => bareName(relationName(r.VacuumRelation?.relation)));
        emit('rewrite-table', advice.rewriteTable('VACUUM FULL', tables.join(', ') || 'every table'));
      }
      return;
    }
    case 'LockStmt': {
      const tables = (b.relations ?? []).map((r: Node) => relationName(r.RangeVar)).filter((t: string) => ctx.existing(t));
      if (tables.length) emit('lock-table', advice.lockTable(tables.map(bareName).join(', '), LOCK_MODES[b.mode] ?? 'ACCESS EXCLUSIVE'));
      return;
    }
    case 'UpdateStmt': {
      const table = relationName(b.relation);
      if (!b.whereClause && ctx.transactional && ctx.existing(table)) emit('whole-table-update', advice.wholeTableUpdate(bareName(table)));
      return;
    }
    case 'AlterTableStmt':
      alterTable(s, ctx, emit);
      return;
    case 'RenameStmt':
      if (b.renameType === 'OBJECT_TABLE') ctx.rename(relationName(b.relation), quoted(b.newname));
      else if (b.renameType === 'OBJECT_COLUMN') ctx.renameColumn(relationName(b.relation), quoted(b.subname), quoted(b.newname));
      return;
    default:
      // Anything else (ALTER TYPE … ADD VALUE, DELETE, DO blocks, functions) is not flagged.
      return;
  }
}

/** The findings for raw SQL (one or more statements), in order. */
export function rawSqlFindings(sql: string, ctx: LintContext): Finding[] {
  const parsed = parseStatements(sql);
  if ('error' in parsed) return [];
  const findings: Finding[] = [];
  for (const s of parsed.statements) {
    const operation = `op.execute: ${shortSql(s.text)}`;
    statementFindings(s, ctx, (rule, adv) => findings.push({ rule, operation, ...adv }));
  }
  return findings;
}

