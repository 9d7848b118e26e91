/**
 * Models against the live database: load both sides, then run the pure diff
 * with the answers, reading the live numbers it asks for (row counts, rows
 * holding a value, NULLs) and diffing again until it asks for nothing new.
 */
import { canonicalizeModelSql } from '../db/canonicalize-schema.js';
import { canonicalizeViews } from '../db/canonicalize-views.js';
import { UserError } from '../errors.js';
import type { Database } from '../db/database.js';
import { introspect } from '../db/introspect.js';
import { countNulls, countRows, countValues } from '../db/row-facts.js';
import type { Facts } from '../diff/context.js';
import { diffSchemas } from '../diff/diff.js';
import type { DiffResult } from '../diff/diff.js';
import type { Answers } from '../diff/questions.js';
import { loadModels } from '../models/load.js';
import type { Schema } from '../schema/types.js';
import { importModule } from '../util/import-module.js';

export interface Sides {
  readonly current: Schema;
  readonly target: Schema;
}

export interface Timings {
  [step: string]: number;
}

/** Notes already printed: a command that loads the models more than once says each once. */
const said = new Set<string>();

export async function loadModelSchema(files: readonly string[]): Promise<Schema> {
  const notes: string[] = [];
  const schema = await loadModels([...files], (f) => importModule(f), notes);
  for (const note of notes.filter((n) => !said.has(n))) {
    said.add(note);
    process.stderr.write(`note: ${note}\n`);
  }
  return schema;
}

/**
 * Reads the database and gives the models' SQL (views, defaults, index
 * predicates and expressions, checks) the database's own spelling. Loading the models (CPU) and introspecting (mostly waiting on
 * the server) run side by side.
 */
export async function readSides(db: Database, modelFiles: readonly string[], timings: Timings = {}): Promise<Sides> {
  const started = performance.now();
  const [target0, current] = await Promise.all([
    loadModelSchema(modelFiles).then((s) => ((timings['load models'] = performance.now() - started), s)),
    introspect(db).then((s) => ((timings['introspect'] = performance.now() - started), s)),
  ]);
  await requireNullsNotDistinct(db, target0);
  let target = target0;
  if (target0.views.length > 0) {
    const canonical = await canonicalizeViews(db, target0.views);
    target = { ...target0, views: target0.views.map((v) => ({ ...v, definition: canonical.get(v.name) ?? v.definition })) };
  }
  target = await canonicalizeModelSql(db, current, target);
  return { current, target };
}

/** `NULLS NOT DISTINCT` is PostgreSQL 15+: an older server is told so before anything is written. */
async function requireNullsNotDistinct(db: Database, target: Schema): Promise<void> {
  const users = target.tables.flatMap((t) =>
    [...t.uniques, ...t.indexes].filter((x) => x.nullsNotDistinct).map((x) => `${t.name}.${x.name}`),
  );
  if (users.length === 0) return;
  const [row] = await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
  const version = Number(row.v);
  if (version < 150000) {
    throw new UserError(
      `nullsNotDistinct needs PostgreSQL 15 or later; this server is ${Math.floor(version / 10000)} (used by ${users.join(', ')})`,
      { hint: 'Upgrade the server, or drop nullsNotDistinct from those models.' },
    );
  }
}

export class FactCache {
  private rows: Record<string, number> = {};
  private values: Record<string, number> = {};
  private nulls: Record<string, number> = {};
  constructor(private readonly db: Database) {}

  facts(): Facts {
    return { rows: this.rows, values: this.values, nulls: this.nulls };
  }

  /** Reads what the diff asked for; false when it asked for nothing new. */
  async fill(probes: DiffResult['probes']): Promise<boolean> {
    let learned = false;
    if (probes.rows.length > 0) {
      const counts = await countRows(this.db, probes.rows);
      for (const t of probes.rows) this.rows[t] = counts[t] ?? 0;
      learned = true;
    }
    if (probes.values.length > 0) {
      const refs = probes.values.flatMap((p) => p.columns.map((c) => ({ ...c, value: p.value, key: p.key })));
      const counts = await countValues(this.db, refs);
      for (const p of probes.values) this.values[p.key] = 0;
      refs.forEach((r, i) => (this.values[r.key] += counts[i] ?? 0));
      learned = true;
    }
    if (probes.nulls.length > 0) {
      const counts = await countNulls(this.db, probes.nulls);
      probes.nulls.forEach((p, i) => (this.nulls[p.key] = counts[i] ?? 0));
      learned = true;
    }
    return learned;
  }
}

/** The diff with every live number it needs. */
export async function compare(sides: Sides, answers: Answers, facts: FactCache): Promise<DiffResult> {
  for (let round = 0; ; round++) {
    const result = diffSchemas(sides.current, sides.target, { answers, facts: facts.facts() });
    if (round > 5 || !(await facts.fill(result.probes))) return result;
  }
}
