/**
 * The proof of a revision before it is written: upgrade, downgrade and
 * upgrade again on a scratch copy of the part of the schema it touches
 * (proof-scope.ts), on the same server and engine, each step compared by
 * introspection — after the upgrade the copy must match the models, after
 * the downgrade it must be what it was, and the second upgrade must give
 * the first one's schema again.
 *
 * The copy lives in a schema of its own, created inside a transaction that
 * is always rolled back, with that schema first on the search path: the
 * revision's SQL names its objects bare, so it finds the copies. No user
 * row is read or written and no user table is locked; afterwards the
 * proof asks pg_locks which relations outside its copy it holds, and says
 * so if there is any (it would be a gap in the scope, not in the revision).
 */
import { randomBytes } from 'node:crypto';
import { canonicalizeModelSql } from '../db/canonicalize-schema.js';
import { canonicalizeViews } from '../db/canonicalize-views.js';
import type { Database } from '../db/database.js';
import { introspect } from '../db/introspect.js';
import { diffSchemas } from '../diff/diff.js';
import { UserError } from '../errors.js';
import { describeOperation } from '../ops/describe.js';
import { operationToSql } from '../ops/sql.js';
import type { Operation } from '../ops/types.js';
import type { Schema } from '../schema/types.js';
import { quoteIdent } from '../util/sql-text.js';
import { proofScope } from './proof-scope.js';
import type { ProofScope } from './proof-scope.js';

export type ProofStep = 'upgrade' | 'downgrade' | 'upgrade again';

export interface ProofInput {
  readonly db: Database;
  /** The database's schema as introspected, and the models' (canonical) one. */
  readonly current: Schema;
  readonly target: Schema;
  /** The revision's operations, as its file declares them. */
  readonly upgrade: readonly Operation[];
  readonly downgrade: readonly Operation[];
  /** `database main: ` in a multi-database project, for messages. */
  readonly who?: string;
}

export interface Proven {
  readonly ms: number;
  /**
   * Why the proof could not be carried out, when it could not (the server
   * ran out of lock slots: the copy is built, dropped and built again in one
   * transaction, so it needs a few times the locks the migrate itself takes).
   * The revision is then written with a warning rather than refused: nothing
   * was found wrong with it.
   */
  readonly unproven?: string;
  /** Relations outside the copy the proof locked (none, unless the scope missed one). */
  readonly outside: readonly string[];
}

/** A revision whose proof failed: which step, and the statement when one failed. */
export class ProofFailed extends UserError {
  constructor(
    readonly step: ProofStep,
    readonly problem: string,
    readonly statement?: string,
    who = '',
  ) {
    super(`${who}the revision failed its proof in ${step}: ${problem}${statement ? `\n  statement: ${statement}` : ''}`, {
      hint: 'nothing was written. The proof runs upgrade -> downgrade -> upgrade on a scratch copy of the schema; report this revision as a fastedgy bug, or write the change by hand with op.execute',
    });
    this.name = 'ProofFailed';
  }
}

export async function prove(input: ProofInput): Promise<Proven> {
  const started = performance.now();
  const { db } = input;
  const scope = proofScope(input.current, input.upgrade);
  const schema = `fastedgy_proof_${randomBytes(4).toString('hex')}`;
  const [{ search_path: path }] = await db.query<{ search_path: string }>('SHOW search_path');
  await db.query('BEGIN');
  try {
    // A lock the copy should never need is not waited for.
    await db.query(`CREATE SCHEMA ${quoteIdent(schema)}; SET LOCAL search_path = ${quoteIdent(schema)}, ${path}; SET LOCAL lock_timeout = '5s'`);
    await build(db, scope);
    const start = await introspect(db, schema);

    const run = async (step: ProofStep, ops: readonly Operation[]) => {
      for (const sql of ops.flatMap((op) => operationToSql(inTransaction(op)))) {
        try {
          await db.query(sql);
        } catch (e) {
          if (outOfLocks(e)) throw e;
          throw new ProofFailed(step, (e as Error).message, sql, input.who);
        }
      }
      return introspect(db, schema);
    };

    const up = await run('upgrade', input.upgrade);
    await matchModels(db, up, input.target, scope, input.who);
    const down = await run('downgrade', input.downgrade);
    same(down, start, 'downgrade', 'the schema it started from', input.who);
    const again = await run('upgrade again', input.upgrade);
    same(again, up, 'upgrade again', 'what the first upgrade gave', input.who);
    const outside = await locksOutside(db, schema);
    return { ms: performance.now() - started, outside };
  } catch (e) {
    if (!outOfLocks(e)) throw e;
    return {
      ms: performance.now() - started,
      outside: [],
      unproven: `${input.who ?? ''}the server ran out of lock slots for the proof's scratch copy (${(e as Error).message}); raise max_locks_per_transaction to have such revisions proven`,
    };
  } finally {
    await db.query('ROLLBACK');
  }
}

/** SQLSTATE 53200: the shared lock table is full. */
function outOfLocks(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === '53200';
}

/** The copy, built the way a fresh database gets its schema: the diff from nothing. */
async function build(db: Database, scope: ProofScope): Promise<void> {
  const empty: Schema = { extensions: scope.copy.extensions, enums: [], tables: [], views: [] };
  const { operations } = diffSchemas(empty, scope.copy);
  for (const sql of operations.flatMap(operationToSql)) await db.query(sql);
}

/** CONCURRENTLY cannot run inside the proof's transaction; on an empty copy it changes nothing. */
function inTransaction(op: Operation): Operation {
  return (op.kind === 'createIndex' || op.kind === 'dropIndex') && op.concurrently ? { ...op, concurrently: false } : op;
}

/** After the upgrade, the copy holds what the models say (as `check` would see it). */
async function matchModels(db: Database, up: Schema, target: Schema, scope: ProofScope, who = ''): Promise<void> {
  const live: Schema = { ...up, tables: up.tables.filter((t) => !scope.stubs.has(t.name)) };
  const wanted: Schema = {
    ...target,
    tables: target.tables.filter((t) => scope.tables.has(t.name)),
    views: target.views.filter((v) => scope.views.has(v.name)),
  };
  // As readSides does for the live database: the models' SQL in this server's spelling, now that what it reads exists.
  const views = await canonicalizeViews(db, wanted.views, { nested: true });
  const withViews = { ...wanted, views: wanted.views.map((v) => ({ ...v, definition: views.get(v.name) ?? v.definition })) };
  const canonical = await canonicalizeModelSql(db, live, withViews, { nested: true });
  const left = diffSchemas(live, canonical);
  const problems = [...left.operations.map(describeOperation), ...left.questions.map((q) => q.text)];
  if (problems.length > 0) throw new ProofFailed('upgrade', `afterwards the schema still differs from the models: ${listed(problems)}`, undefined, who);
}

function same(actual: Schema, expected: Schema, step: ProofStep, what: string, who = ''): void {
  if (JSON.stringify(comparable(actual)) === JSON.stringify(comparable(expected))) return;
  const ops = diffSchemas(expected, actual).operations.map(describeOperation);
  const detail = ops.length > 0 ? listed(ops) : firstDifference(comparable(actual), comparable(expected));
  throw new ProofFailed(step, `afterwards the schema is not ${what}: ${detail}`, undefined, who);
}

/** Columns by name: a column a downgrade adds back comes last in its table. */
function comparable(s: Schema): Schema {
  return { ...s, tables: s.tables.map((t) => ({ ...t, columns: [...t.columns].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) })) };
}

function listed(items: readonly string[]): string {
  return items.length <= 5 ? items.join('; ') : `${items.slice(0, 5).join('; ')}; and ${items.length - 5} more`;
}

/** Where two schemas the diff sees as equal still differ (a constraint's name, say). */
function firstDifference(actual: Schema, expected: Schema): string {
  for (const t of expected.tables) {
    const other = actual.tables.find((x) => x.name === t.name);
    if (!other) return `table ${t.name} is missing`;
    if (JSON.stringify(other) !== JSON.stringify(t)) return `table ${t.name} differs (was ${JSON.stringify(t)}, is ${JSON.stringify(other)})`;
  }
  for (const t of actual.tables) if (!expected.tables.some((x) => x.name === t.name)) return `table ${t.name} is left over`;
  return 'its enums, views or extensions differ';
}

/** Relations outside the scratch schema (and the catalogs) this session holds a lock on. */
async function locksOutside(db: Database, schema: string): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT DISTINCT n.nspname || '.' || c.relname AS name
     FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
       AND n.nspname NOT IN ($1, 'pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast%'
     ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.name);
}
