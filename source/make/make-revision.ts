/**
 * The makemigrations workflow without any terminal: compare, and when no
 * question is open, render the revision (upgrade, its exact reverse, and
 * what the downgrade cannot restore) and write it. The CLI, the wizard and
 * the tests all go through here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/database.js';
import type { Answers, Question } from '../diff/questions.js';
import { UserError } from '../errors.js';
import { describeOperation } from '../ops/describe.js';
import { reverseAll } from '../ops/reverse.js';
import type { Operation } from '../ops/types.js';
import type { RevisionGraph } from '../revisions/graph.js';
import { newRevisionId, renderRevision, revisionFileName } from '../revisions/render.js';
import type { RenderInput } from '../revisions/render.js';
import { readVersionState } from '../runner/version-table.js';
import { compare, FactCache, readSides } from './compare.js';
import type { Timings } from './compare.js';

export interface MakeInput {
  readonly modelFiles: readonly string[];
  readonly versionsDir: string;
  readonly template: string;
  readonly graph: RevisionGraph;
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

export type MakeResult =
  | { readonly status: 'questions'; readonly questions: readonly Question[]; readonly operations: readonly Operation[] }
  | { readonly status: 'no-changes' }
  | {
      readonly status: 'written' | 'rendered';
      readonly revision: string;
      readonly file: string;
      readonly text: string;
      readonly message: string;
      readonly upgrade: readonly Operation[];
      readonly notes: readonly string[];
    };

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

/** The new revision must start where the others end, or it would undo or repeat them. */
export async function ensureUpToDate(db: Database, graph: RevisionGraph): Promise<void> {
  const state = await readVersionState(db);
  const at = [...state.heads].sort().join(', ');
  const want = [...graph.heads()].sort().join(', ');
  if (at !== want)
    throw new UserError(`the database is not up to date (it is at ${at || '<base>'}, the revisions end at ${want || '<base>'})`, {
      hint: 'run `fastedgy db migrate` first, so the new revision starts where the others end',
    });
}

export interface Planner {
  plan(answers: Answers): Promise<{ operations: Operation[]; questions: Question[] }>;
}

/**
 * Reads both sides once; each answer then only re-runs the pure diff (and
 * reads the few live numbers it has not read yet), so answering a question
 * costs milliseconds, not a new introspection.
 */
export async function createPlanner(db: Database, input: MakeInput, timings?: Timings): Promise<Planner> {
  const sides = await readSides(db, input.modelFiles, timings);
  const facts = new FactCache(db);
  return {
    async plan(answers) {
      const started = performance.now();
      const diff = await compare(sides, answers, facts);
      if (timings) timings['compare'] = performance.now() - started;
      return { operations: [...diff.operations], questions: [...diff.questions] };
    },
  };
}

export async function planChanges(db: Database, input: MakeInput, answers: Answers): Promise<{ operations: Operation[]; questions: Question[] }> {
  return (await createPlanner(db, input)).plan(answers);
}

export function writeRevision(input: MakeInput, upgrade: readonly Operation[], options: MakeOptions): MakeResult {
  const { ops: downgrade, notes } = reverseAll([...upgrade]);
  return emitRevision(input, { upgrade: [...upgrade], downgrade, notes }, upgrade, options);
}

/**
 * Renders a revision from the template and writes it (unless `write` is
 * false): the id, message, date and file name every revision gets, whatever
 * its body — one upgrade/downgrade pair, or a section per database.
 */
export function emitRevision(
  input: Pick<MakeInput, 'versionsDir' | 'template' | 'graph'>,
  body: Pick<RenderInput, 'upgrade' | 'downgrade' | 'notes' | 'sections'>,
  upgrade: readonly Operation[],
  options: Pick<MakeOptions, 'message' | 'write' | 'revision'>,
): Extract<MakeResult, { status: 'written' | 'rendered' }> {
  const message = options.message ?? autoMessage(upgrade);
  const revision = options.revision ?? newRevisionId();
  const now = new Date();
  const text = renderRevision({ template: input.template, revision, downRevision: singleHead(input.graph), message, createDate: now, ...body });
  const file = join(input.versionsDir, revisionFileName(now, revision, message));
  if (options.write !== false) {
    mkdirSync(input.versionsDir, { recursive: true });
    writeFileSync(file, text);
  }
  const notes = body.sections ? body.sections.flatMap((s) => s.notes.map((n) => `[${s.database}] ${n}`)) : body.notes;
  return { status: options.write === false ? 'rendered' : 'written', revision, file, text, message, upgrade, notes };
}

export async function makeRevision(db: Database, input: MakeInput, options: MakeOptions = {}): Promise<MakeResult> {
  singleHead(input.graph);
  await ensureUpToDate(db, input.graph);
  if (options.empty) return writeRevision(input, [], options);
  const { operations, questions } = await planChanges(db, input, options.answers ?? {});
  if (questions.length > 0) return { status: 'questions', questions, operations };
  if (operations.length === 0) return { status: 'no-changes' };
  return writeRevision(input, operations, options);
}
