/**
 * A project in a temp directory driven in-process through the same
 * functions the CLI uses: write models, make a revision with answers,
 * migrate, downgrade, introspect.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../source/db/database.js';
import { introspect } from '../../source/db/introspect.js';
import type { Answers } from '../../source/diff/questions.js';
import { createPlanner, makeRevision } from '../../source/make/make-revision.js';
import type { MakeInput, MakeResult } from '../../source/make/make-revision.js';
import { loadRevisions } from '../../source/revisions/files.js';
import { buildGraph } from '../../source/revisions/graph.js';
import { moveTo } from '../../source/runner/migrate.js';
import type { Schema } from '../../source/schema/types.js';
import { freshDatabase } from './databases.js';
import type { Engine } from './databases.js';

const TEMPLATE = readFileSync(new URL('../../templates/default/script.ts.tmpl', import.meta.url), 'utf8');
const MULTI_TEMPLATE = readFileSync(new URL('../../templates/multidb/script.ts.tmpl', import.meta.url), 'utf8');

/**
 * `single`: a plain single-database project. `databases`: the same project
 * written as a one-entry `databases: { main: … }` config, so revisions have a
 * `main` section and question ids a `main:` prefix (answers given unprefixed
 * are prefixed here); its results must be the same.
 */
export type ProjectShape = 'single' | 'databases';

export class TestProject {
  private version = 0;
  private modelFile = '';
  private source = '';
  readonly versionsDir: string;

  private constructor(
    readonly dir: string,
    readonly db: Database,
    private readonly disposeDb: () => Promise<void>,
    readonly shape: ProjectShape,
  ) {
    this.versionsDir = join(dir, 'migrations', 'versions');
    mkdirSync(this.versionsDir, { recursive: true });
  }

  static async create(engine: Engine, shape: ProjectShape = 'single'): Promise<TestProject> {
    const dir = mkdtempSync(join(tmpdir(), 'fastedgy-rt-'));
    const fresh = await freshDatabase(engine);
    return new TestProject(dir, fresh.db, () => fresh.dispose(), shape);
  }

  private get multi(): boolean {
    return this.shape === 'databases';
  }

  private get name(): string {
    return this.multi ? 'main' : 'default';
  }

  private targets() {
    return [{ name: this.name, db: this.db, modelFiles: [this.modelFile] }];
  }

  private input(graph: MakeInput['graph']): MakeInput {
    return { versionsDir: this.versionsDir, template: this.multi ? MULTI_TEMPLATE : TEMPLATE, graph, multi: this.multi };
  }

  private answersOf(answers: Answers): Answers {
    if (!this.multi) return answers;
    return Object.fromEntries(Object.entries(answers).map(([k, v]) => [k.startsWith('main:') ? k : `main:${k}`, v]));
  }

  /** Models source; each version goes to a new file (ES modules are cached by path). */
  models(source: string): this {
    this.modelFile = join(this.dir, `models_${++this.version}.ts`);
    this.source = source;
    writeFileSync(this.modelFile, `import { defineModel, defineEnum, defineView, fields, _t } from 'fastedgy';\n${source}\n`);
    return this;
  }

  async history() {
    const revisions = await loadRevisions(this.versionsDir);
    const graph = buildGraph(revisions);
    return { revisions, graph };
  }

  async make(answers: Answers = {}, message?: string): Promise<MakeResult> {
    const { graph } = await this.history();
    const made = (await makeRevision(this.targets(), this.input(graph), { answers: this.answersOf(answers), message })).result;
    // Question ids as a single-database project has them, so scenarios read the same in both shapes.
    if (made.status === 'questions' && this.multi) return { ...made, questions: made.questions.map((q) => ({ ...q, id: q.id.replace(/^main:/, '') })) };
    return made;
  }

  /** The changes still found between the models and the database (none after a migrate). */
  async pending(): Promise<{ operations: unknown[]; questions: unknown[] }> {
    const { graph } = await this.history();
    return (await createPlanner(this.targets(), this.input(graph).multi)).plan({});
  }

  async migrate(target = 'head') {
    return moveTo([{ name: this.name, db: this.db }], await this.history(), 'upgrade', target, { multi: this.multi });
  }

  async downgrade(target = '-1') {
    return moveTo([{ name: this.name, db: this.db }], await this.history(), 'downgrade', target, { multi: this.multi });
  }

  async schema(): Promise<Schema> {
    return introspect(this.db);
  }

  /**
   * The schema a new database gets from the current models in one revision,
   * on the same engine and in the same project shape: what every migrated
   * database must equal (compare with `comparable`), constraint, index and
   * sequence names included.
   */
  async freshBuild(engine: Engine): Promise<Schema> {
    const fresh = await TestProject.create(engine, this.shape);
    try {
      fresh.models(this.source);
      const made = await fresh.make({}, 'fresh build');
      if (made.status !== 'written' && made.status !== 'no-changes') throw new Error(`a fresh build of the models asked questions: ${JSON.stringify(made)}`);
      await fresh.migrate();
      return await fresh.schema();
    } finally {
      await fresh.dispose();
    }
  }

  async rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.db.query<T>(sql, params);
  }

  async dispose(): Promise<void> {
    await this.disposeDb();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Schemas compared as a user would: a column added back by a downgrade comes
 * last in its table, so columns are compared by name, not position.
 */
export function comparable(s: Schema): Schema {
  return {
    ...s,
    tables: s.tables.map((t) => ({ ...t, columns: [...t.columns].sort((a, b) => a.name.localeCompare(b.name)) })),
  };
}
