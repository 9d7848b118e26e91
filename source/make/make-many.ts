/**
 * makemigrations for a multi-database project: each database is compared
 * with its own models, and one revision holds a section per database that
 * has changes. Question ids gain a `DB:` prefix (and their text says which
 * database), so one answers file settles the questions of every database;
 * the planner looks like the single-database one, so the wizard, the plain
 * prompts and the answers file all drive it unchanged.
 */
import type { Database } from '../db/database.js';
import type { Answers, Question } from '../diff/questions.js';
import { reverseAll } from '../ops/reverse.js';
import type { Operation } from '../ops/types.js';
import type { RevisionGraph } from '../revisions/graph.js';
import type { RenderSection } from '../revisions/render.js';
import { compare, FactCache, readSides } from './compare.js';
import { emitRevision, ensureUpToDate, singleHead } from './make-revision.js';
import type { MakeResult, Planner } from './make-revision.js';

export interface ManyMember {
  readonly name: string;
  readonly db: Database;
  readonly modelFiles: readonly string[];
}

export interface ManyInput {
  readonly versionsDir: string;
  readonly template: string;
  readonly graph: RevisionGraph;
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

export interface ManyPlanner extends Planner {
  /** Operations of the last plan by database, in the config's order (databases without changes left out). */
  group(operations: readonly Operation[]): { database: string; operations: Operation[] }[];
  /** Which database an operation of the last plan belongs to (the wizard labels them). */
  databaseOf(op: Operation): string | undefined;
  /** The connection of a database, by question id prefix (typed values are checked there). */
  dbFor(questionId: string): Database;
}

export async function createManyPlanner(members: readonly ManyMember[]): Promise<ManyPlanner> {
  const sides = await Promise.all(members.map(async (m) => ({ m, sides: await readSides(m.db, m.modelFiles), facts: new FactCache(m.db) })));
  let owner = new WeakMap<Operation, string>();
  return {
    async plan(answers) {
      const operations: Operation[] = [];
      const questions: Question[] = [];
      owner = new WeakMap();
      for (const { m, sides: s, facts } of sides) {
        const diff = await compare(s, answersFor(answers, m.name), facts);
        for (const op of diff.operations) owner.set(op, m.name);
        operations.push(...diff.operations);
        questions.push(...diff.questions.map((q) => prefixQuestion(q, m.name)));
      }
      return { operations, questions };
    },
    group: (operations) =>
      members
        .map((m) => ({ database: m.name, operations: operations.filter((op) => owner.get(op) === m.name) }))
        .filter((g) => g.operations.length > 0),
    databaseOf: (op) => owner.get(op),
    dbFor(questionId) {
      const name = questionId.split(':')[0];
      return (members.find((m) => m.name === name) ?? members[0]).db;
    },
  };
}

export async function ensureAllUpToDate(members: readonly ManyMember[], graph: RevisionGraph): Promise<void> {
  singleHead(graph);
  for (const m of members)
    await ensureUpToDate(m.db, graph).catch((e: Error) => {
      e.message = `database ${m.name}: ${e.message}`;
      throw e;
    });
}

export function writeManyRevision(
  input: ManyInput,
  sections: readonly { database: string; operations: readonly Operation[] }[],
  options: { message?: string; write?: boolean; revision?: string },
): Extract<MakeResult, { status: 'written' | 'rendered' }> {
  const rendered: RenderSection[] = sections.map((s) => {
    const { ops, notes } = reverseAll([...s.operations]);
    return { database: s.database, upgrade: s.operations, downgrade: ops, notes };
  });
  return emitRevision(input, { upgrade: [], downgrade: [], notes: [], sections: rendered }, sections.flatMap((s) => s.operations), options);
}

/**
 * The whole non-interactive flow: questions (prefixed) or the revision. The
 * planner comes back too (null for --empty), so the caller can group the
 * operations by database without comparing again.
 */
export async function makeManyRevision(
  members: readonly ManyMember[],
  input: ManyInput,
  options: { answers?: Answers; message?: string; empty?: boolean; write?: boolean },
): Promise<{ result: MakeResult; planner: ManyPlanner | null }> {
  await ensureAllUpToDate(members, input.graph);
  if (options.empty) return { result: writeManyRevision(input, [], options), planner: null };
  const planner = await createManyPlanner(members);
  const { operations, questions } = await planner.plan(options.answers ?? {});
  if (questions.length > 0) return { result: { status: 'questions', questions, operations }, planner };
  if (operations.length === 0) return { result: { status: 'no-changes' }, planner };
  return { result: writeManyRevision(input, planner.group(operations), options), planner };
}
