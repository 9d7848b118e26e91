/**
 * The makemigrations workflow without any terminal, for the project's list
 * of databases (one, or several): compare each database with its models, and
 * when no question is open, render the revision (upgrade, its exact reverse,
 * and what the downgrade cannot restore) and write it. The CLI, the wizard,
 * the plain prompts and the tests all go through here.
 *
 * In a multi-database project the revision holds a section per database
 * that changed, and question ids gain a `DB:` prefix (their text says which
 * database), so one answers file settles the questions of every database. A
 * single-database project keeps the plain file form and unprefixed ids.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/database.js';
import type { Answers, Question } from '../diff/questions.js';
import { UserError } from '../errors.js';
import { describeOperation } from '../ops/describe.js';
import { reverseAll } from '../ops/reverse.js';
import type { Operation } from '../ops/types.js';
import type { RevisionGraph } from '../revisions/graph.js';
import { newRevisionId, renderRevision, revisionFileName } from '../revisions/render.js';
import type { RenderSection } from '../revisions/render.js';
import { loadRevisionFile } from '../revisions/files.js';
import { collectOperations } from '../runner/collect.js';
import { readVersionState } from '../runner/version-table.js';
import { compare, FactCache, readSides } from './compare.js';
import type { Sides } from './compare.js';
import { prove } from './prove.js';
import type { Proven } from './prove.js';
import { tryAnswers } from './try-answers.js';
import type { Timings } from './compare.js';

/** One database to plan for: its connection and its models. */
export interface MakeTarget {
  readonly name: string;
  readonly db: Database;
  readonly modelFiles: readonly string[];
}

export interface MakeInput {
  readonly versionsDir: string;
  readonly template: string;
  readonly graph: RevisionGraph;
  /** The project names its databases: sections in the file, `DB:` question prefixes. */
  readonly multi: boolean;
}

export interface MakeOptions {
  readonly answers?: Answers;
  readonly message?: string;
  readonly empty?: boolean;
  /** false: render but do not write (dry run). */
  readonly write?: boolean;
  /** The revision id, when a preview already showed one. */
  readonly revision?: string;
}

export type Rendered = {
  readonly status: 'written' | 'rendered';
  readonly revision: string;
  readonly file: string;
  readonly text: string;
  readonly message: string;
  readonly upgrade: readonly Operation[];
  readonly notes: readonly string[];
  /** The proof (upgrade -> downgrade -> upgrade on a scratch copy), when one ran: its time, summed over databases. */
  readonly proof?: Proof;
};

export interface Proof {
  readonly ms: number;
  /** Relations outside the scratch copy the proof locked (a gap in its scope: none expected). */
  readonly outside: readonly string[];
  /** Why the proof could not be carried out (see Proven.unproven): the revision is written unproven. */
  readonly unproven?: readonly string[];
}

export type MakeResult =
  | { readonly status: 'questions'; readonly questions: readonly Question[]; readonly operations: readonly Operation[] }
  | { readonly status: 'no-changes' }
  | Rendered;

/** A database's share of a plan. */
export interface Section {
  readonly database: string;
  readonly operations: readonly Operation[];
}

// Steps that only make room for another change say little about the revision.
const SUPPORTING = new Set(['dropView', 'dropForeignKey', 'dropIndex', 'dropUnique', 'execute', 'createExtension']);

export function autoMessage(ops: readonly Operation[]): string {
  if (ops.length === 0) return 'empty';
  const main = ops.find((op) => !SUPPORTING.has(op.kind)) ?? ops[0];
  const first = describeOperation(main);
  return ops.length === 1 ? first : `${first} and ${ops.length - 1} more`;
}

export function singleHead(graph: RevisionGraph): string | null {
  const heads = graph.heads();
  if (heads.length > 1)
    throw new UserError(`the revisions have several heads: ${heads.join(', ')}`, { hint: 'run `fastedgy db merge` to join them first' });
  return heads[0] ?? null;
}

/** The new revision must start where the others end, in every database, or it would undo or repeat them. */
export async function ensureUpToDate(targets: readonly MakeTarget[], input: Pick<MakeInput, 'graph' | 'multi'>): Promise<void> {
  singleHead(input.graph);
  const want = [...input.graph.heads()].sort().join(', ');
  for (const t of targets) {
    const state = await readVersionState(t.db);
    const at = [...state.heads].sort().join(', ');
    if (at !== want)
      throw new UserError(`${input.multi ? `database ${t.name}: ` : ''}the database is not up to date (it is at ${at || '<base>'}, the revisions end at ${want || '<base>'})`, {
        hint: 'run `fastedgy db migrate` first, so the new revision starts where the others end',
      });
  }
}

/** `main:backfill:users.age` for `backfill:users.age` of database main. */
export function prefixQuestion(q: Question, database: string): Question {
  const p = (id: string) => `${database}:${id}`;
  return {
    ...q,
    id: p(q.id),
    text: `[${database}] ${q.text}`,
    choices: q.choices.map((c) => (c.id ? { ...c, id: p(c.id) } : c)),
    ...(q.candidates ? { candidates: q.candidates.map((c) => ({ ...c, id: p(c.id) })) } : {}),
  };
}

/** The answers that belong to one database, without their prefix. */
export function answersFor(answers: Answers, database: string): Answers {
  const prefix = `${database}:`;
  return Object.fromEntries(Object.entries(answers).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

export interface Planner {
  plan(answers: Answers): Promise<{ operations: Operation[]; questions: Question[] }>;
  /** Operations of the last plan by database, in the config's order (databases without changes left out). */
  group(operations: readonly Operation[]): Section[];
  /** Which database an operation of the last plan belongs to, when the project names its databases (the wizard labels them). */
  databaseOf(op: Operation): string | undefined;
  /** The connection of the database a question is about (typed values are checked there). */
  dbFor(questionId: string): Database;
  /** Both sides of a database as read once: its schema and the models' (the proof starts from them). */
  sides(database: string): Sides;
}

/**
 * Reads both sides of every database once; each answer then only re-runs
 * the pure diff (and reads the few live numbers it has not read yet), so
 * answering a question costs milliseconds, not a new introspection.
 */
export async function createPlanner(targets: readonly MakeTarget[], multi: boolean, timings?: Timings): Promise<Planner> {
  if (targets.length === 0) throw new Error('createPlanner: no database to plan for');
  const read = await Promise.all(targets.map(async (t) => ({ t, sides: await readSides(t.db, t.modelFiles, timings), facts: new FactCache(t.db) })));
  let owner = new WeakMap<Operation, string>();
  return {
    async plan(answers) {
      const started = performance.now();
      const operations: Operation[] = [];
      const questions: Question[] = [];
      owner = new WeakMap();
      for (const { t, sides, facts } of read) {
        const diff = await compare(sides, multi ? answersFor(answers, t.name) : answers, facts);
        for (const op of diff.operations) owner.set(op, t.name);
        operations.push(...diff.operations);
        questions.push(...(multi ? diff.questions.map((q) => prefixQuestion(q, t.name)) : diff.questions));
      }
      if (timings) timings['compare'] = performance.now() - started;
      return { operations, questions };
    },
    group: (operations) =>
      targets
        .map((t) => ({ database: t.name, operations: operations.filter((op) => (owner.get(op) ?? targets[0].name) === t.name) }))
        .filter((g) => g.operations.length > 0),
    databaseOf: (op) => (multi ? owner.get(op) : undefined),
    dbFor(questionId) {
      const name = multi ? questionId.split(':')[0] : targets[0].name;
      return (targets.find((t) => t.name === name) ?? targets[0]).db;
    },
    sides: (database) => (read.find((r) => r.t.name === database) ?? read[0]).sides,
  };
}

/**
 * Renders a revision from the template and writes it (unless `write` is
 * false): one upgrade/downgrade pair for a single-database project, a
 * section per database otherwise; the id, message, date and file name every
 * revision gets.
 */
export function writeRevision(input: MakeInput, sections: readonly Section[], options: Pick<MakeOptions, 'message' | 'write' | 'revision'>): Rendered {
  const upgrade = sections.flatMap((s) => s.operations);
  const message = options.message ?? autoMessage(upgrade);
  const revision = options.revision ?? newRevisionId();
  const now = new Date();
  const base = { template: input.template, revision, downRevision: singleHead(input.graph), message, createDate: now };
  let text: string;
  let notes: string[];
  if (input.multi) {
    const rendered: RenderSection[] = sections.map((s) => {
      const { ops, notes: sectionNotes } = reverseAll([...s.operations]);
      return { database: s.database, upgrade: s.operations, downgrade: ops, notes: sectionNotes };
    });
    text = renderRevision({ ...base, upgrade: [], downgrade: [], notes: [], sections: rendered });
    notes = rendered.flatMap((s) => s.notes.map((n) => `[${s.database}] ${n}`));
  } else {
    const reversed = reverseAll([...upgrade]);
    text = renderRevision({ ...base, upgrade: [...upgrade], downgrade: reversed.ops, notes: reversed.notes });
    notes = reversed.notes;
  }
  const file = join(input.versionsDir, revisionFileName(now, revision, message));
  if (options.write !== false) {
    mkdirSync(input.versionsDir, { recursive: true });
    writeFileSync(file, text);
  }
  return { status: options.write === false ? 'rendered' : 'written', revision, file, text, message, upgrade, notes };
}

/**
 * Proves a rendered revision, then writes it (unless `write` is false):
 * every writer (the non-interactive flow, the plain prompts, the wizard)
 * goes through here, so no revision reaches the disk unproven. The proof
 * runs the file's own text: it is loaded from a hidden file beside the
 * others (which the history ignores) and removed again.
 */
export async function proveAndWrite(
  targets: readonly MakeTarget[],
  planner: Planner,
  input: MakeInput,
  operations: readonly Operation[],
  options: Pick<MakeOptions, 'message' | 'write' | 'revision'>,
): Promise<Rendered> {
  const rendered = writeRevision(input, planner.group(operations), { ...options, write: false });
  const proof = await proveRendered(targets, planner, input, rendered);
  if (options.write === false) return { ...rendered, proof };
  mkdirSync(input.versionsDir, { recursive: true });
  writeFileSync(rendered.file, rendered.text);
  return { ...rendered, status: 'written', proof };
}

async function proveRendered(targets: readonly MakeTarget[], planner: Planner, input: MakeInput, rendered: Rendered): Promise<Proof> {
  const file = join(input.versionsDir, `.fastedgy-proof-${rendered.revision}.ts`);
  mkdirSync(input.versionsDir, { recursive: true });
  writeFileSync(file, rendered.text);
  try {
    const rev = await loadRevisionFile(file, { fresh: true });
    const proofs: Proven[] = [];
    for (const section of planner.group(rendered.upgrade)) {
      const target = targets.find((t) => t.name === section.database) ?? targets[0];
      const database = input.multi ? target.name : undefined;
      proofs.push(
        await prove({
          db: target.db,
          ...planner.sides(target.name),
          upgrade: await collectOperations(rev, 'upgrade', database),
          downgrade: await collectOperations(rev, 'downgrade', database),
          who: input.multi ? `database ${target.name}: ` : '',
        }),
      );
    }
    const unproven = proofs.flatMap((p) => (p.unproven ? [p.unproven] : []));
    return { ms: proofs.reduce((sum, p) => sum + p.ms, 0), outside: proofs.flatMap((p) => p.outside), ...(unproven.length ? { unproven } : {}) };
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * The whole non-interactive flow: the open questions, no changes, or the
 * revision. The planner comes back too (null for --empty), so the caller can
 * group the operations by database without comparing again.
 */
export async function makeRevision(targets: readonly MakeTarget[], input: MakeInput, options: MakeOptions = {}): Promise<{ result: MakeResult; planner: Planner | null }> {
  await ensureUpToDate(targets, input);
  if (options.empty) return { result: writeRevision(input, [], options), planner: null };
  const planner = await createPlanner(targets, input.multi);
  const { operations, questions } = await planner.plan(options.answers ?? {});
  if (questions.length > 0) return { result: { status: 'questions', questions, operations }, planner };
  if (operations.length === 0) return { result: { status: 'no-changes' }, planner };
  await tryGroupAnswers(targets, planner.group(operations), input.multi);
  return { result: await proveAndWrite(targets, planner, input, operations, options), planner };
}

/** Every computed answer of the plan, tried read-only in its own database before anything is written. */
export async function tryGroupAnswers(targets: readonly MakeTarget[], sections: readonly Section[], multi: boolean): Promise<void> {
  for (const s of sections) {
    const target = targets.find((t) => t.name === s.database) ?? targets[0];
    await tryAnswers(target.db, s.operations, multi ? `${s.database}:` : '');
  }
}
