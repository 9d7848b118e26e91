/**
 * The models' SQL compared with the database's in PostgreSQL's own spelling.
 *
 * Wherever a model table and the live table of the same name carry a piece
 * of SQL in the same place (a column default, an index's WHERE or key
 * expressions, a CHECK) and the texts differ, both are printed by the
 * database (see canonicalizeSql) in the model table's context. When the
 * two prints agree, the model side takes the database's text, so the diff
 * sees no change; when they differ, the model keeps its text as written,
 * which is what a revision then carries. Texts that already agree are not
 * sent at all: once migrated, a schema costs nothing here.
 */
import { normalizeDefault } from '../diff/normalize.js';
import { typeSql } from '../diff/columns.js';
import type { Column, Index, Schema, Table } from '../schema/types.js';
import { canonicalizeSql } from './canonicalize-sql.js';
import { adoptDefaultOpclasses } from './default-opclasses.js';
import type { SqlPiece, SqlPieceKind, SqlTableContext } from './canonicalize-sql.js';
import type { Database } from './database.js';

/** A question put to the database: do these two texts mean the same? */
interface Pair {
  readonly kind: SqlPieceKind;
  readonly column?: string;
  readonly model: string;
  readonly live: string;
}

// The identical texts (a migrated schema's, nearly all) need no normalizing.
const same = (a: string | null | undefined, b: string | null | undefined) => a === b || normalizeDefault(a ?? null) === normalizeDefault(b ?? null);

export async function canonicalizeModelSql(db: Database, current: Schema, modelTarget: Schema, options: { nested?: boolean } = {}): Promise<Schema> {
  const target = await adoptDefaultOpclasses(db, current, modelTarget);
  const liveTables = new Map(current.tables.map((t) => [t.name, t]));
  const plans: { table: Table; live: Table; context: SqlTableContext; pairs: Pair[] }[] = [];
  for (const table of target.tables) {
    const live = liveTables.get(table.name);
    if (!live) continue;
    const pairs = [...defaultPairs(table, live), ...table.indexes.flatMap((i) => candidates(i, live).flatMap((c) => indexPairs(i, c))), ...checkPairs(table, live)];
    if (pairs.length === 0) continue;
    const context = { table: table.name, columns: table.columns.map((c) => ({ name: c.name, type: typeSql(c) })) };
    plans.push({ table, live, context, pairs });
  }
  if (plans.length === 0) return target;

  // Each distinct text once per table context.
  const pieces: SqlPiece[] = [];
  const at = new Map<string, number>();
  const index = (context: SqlTableContext, kind: SqlPieceKind, column: string | undefined, sql: string): number => {
    const key = JSON.stringify([context.table, kind, column ?? null, sql]);
    let i = at.get(key);
    if (i === undefined) {
      i = pieces.push({ kind, context, ...(column !== undefined ? { column } : {}), sql }) - 1;
      at.set(key, i);
    }
    return i;
  };
  const asked = plans.map((p) => p.pairs.map((pair) => [index(p.context, pair.kind, pair.column, pair.model), index(p.context, pair.kind, pair.column, pair.live)]));
  const liveEnums = new Map(current.enums.map((e) => [e.name, e.values.join('\u0000')]));
  const scratchEnums = target.enums.filter((e) => liveEnums.get(e.name) !== e.values.join('\u0000'));
  const texts = await canonicalizeSql(db, pieces, scratchEnums, options);

  // Every pair the database printed alike.
  const agreed = new Set<string>();
  plans.forEach((p, n) =>
    p.pairs.forEach((pair, k) => {
      const [a, b] = asked[n][k];
      if (texts[a] !== null && texts[a] === texts[b]) agreed.add(pairKey(pair));
    }),
  );
  const planOf = new Map(plans.map((p) => [p.table, p]));
  return {
    ...target,
    tables: target.tables.map((t) => {
      const plan = planOf.get(t);
      return plan ? adopt(t, plan.live, agreed) : t;
    }),
  };
}

const pairKey = (p: Pair) => JSON.stringify([p.kind, p.column ?? null, p.model, p.live]);

function defaultPairs(table: Table, live: Table): Pair[] {
  const liveColumns = new Map(live.columns.map((c) => [c.name, c]));
  const pairs: Pair[] = [];
  for (const c of table.columns) {
    const l = liveColumns.get(c.name);
    if (!l || c.default == null || l.default == null || same(c.default, l.default)) continue;
    pairs.push({ kind: 'default', column: c.name, model: c.default, live: l.default });
  }
  return pairs;
}

/** Live indexes a model index may be: the one of its name, else those alike in all but their SQL. */
function candidates(i: Index, live: Table): Index[] {
  const named = live.indexes.find((l) => l.name === i.name);
  if (named) return [named];
  return live.indexes.filter((l) => l.unique === i.unique && l.using === i.using && l.columns.length === i.columns.length);
}

/** The SQL parts in which `i` and `l` differ; none when they differ in anything else. */
function indexPairs(i: Index, l: Index): Pair[] {
  if (i.unique !== l.unique || i.using !== l.using || i.columns.length !== l.columns.length) return [];
  const pairs: Pair[] = [];
  for (let k = 0; k < i.columns.length; k++) {
    const [a, b] = [i.columns[k], l.columns[k]];
    if (a === b) continue;
    // A plain column is a name: two different names are different columns.
    if (!a.startsWith('(') || !b.startsWith('(')) return [];
    pairs.push({ kind: 'indexExpression', model: a, live: b });
  }
  if (!same(i.where, l.where)) {
    if (!i.where) return [];
    // No live predicate: the model's may be one PostgreSQL reduces to none (`true`, `1 = 1`).
    pairs.push({ kind: 'indexPredicate', model: i.where, live: l.where ?? 'true' });
  }
  return pairs;
}

function checkPairs(table: Table, live: Table): Pair[] {
  const pairs: Pair[] = [];
  for (const c of table.checks) {
    const l = live.checks.find((x) => x.name === c.name);
    if (l && c.expression !== l.expression) pairs.push({ kind: 'check', model: c.expression, live: l.expression });
  }
  return pairs;
}

/** The model table with the database's text wherever the database said both mean the same. */
function adopt(table: Table, live: Table, agreed: ReadonlySet<string>): Table {
  const ok = (pairs: Pair[]) => pairs.length > 0 && pairs.every((p) => agreed.has(pairKey(p)));
  const liveColumns = new Map(live.columns.map((c) => [c.name, c]));
  const columns = table.columns.map((c): Column => {
    const l = liveColumns.get(c.name);
    return l && ok(defaultPairs({ ...table, columns: [c] }, { ...live, columns: [l] })) ? { ...c, default: l.default } : c;
  });
  const indexes = table.indexes.map((i): Index => {
    const twin = candidates(i, live).find((l) => ok(indexPairs(i, l)));
    return twin ? { ...i, columns: twin.columns, where: twin.where ?? null } : i;
  });
  const checks = table.checks.map((c) => {
    const l = live.checks.find((x) => x.name === c.name);
    return l && ok(checkPairs({ ...table, checks: [c] }, { ...live, checks: [l] })) ? { ...c, expression: l.expression } : c;
  });
  return { ...table, columns, indexes, checks };
}
