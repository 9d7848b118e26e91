/**
 * makemigrations for a multi-database project: each database is compared
 * with its own models, and one revision holds a section per database that
 * has changes. Question ids gain a `DB:` prefix (and their text says which
 * database), so one answers file settles the questions of every database;
 * the planner looks like the single-database one, so the wizard, the plain
 * prompts and the answers file all drive it unchanged.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/database.js';
import type { Answers, Question } from '../diff/questions.js';
import { reverseAll } from '../ops/reverse.js';
import type { Operation } from '../ops/types.js';
import type { RevisionGraph } from '../revisions/graph.js';
import { newRevisionId, renderRevision, revisionFileName } from '../revisions/render.js';
import type { RenderSection } from '../revisions/render.js';
import { compare, FactCache, readSides } from './compare.js';
import { autoMessage, ensureUpToDate, singleHead } from './make-revision.js';
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
  /** The operations of each database, in the config's order (databases without changes left out). */
  sections(answers: Answers): Promise<{ database: string; operations: Operation[] }[]>;
  /** Which database an operation of the last plan belongs to (the wizard labels them). */
  databaseOf(op: Operation): string | undefined;
  /** The connection of a database, by question id prefix (typed values are checked there). */
  dbFor(questionId: string): Database;
}

export async function createManyPlanner(members: readonly ManyMember[]): Promise<ManyPlanner> {
  const sides = await Promise.all(members.map(async (m) => ({ m, sides: await readSides(m.db, m.modelFiles), facts: new FactCache(m.db) })));
  let owner = new WeakMap<Operation, string>();
  const sections = async (answers: Answers) => {
    const out: { database: string; operations: Operation[]; questions: Question[] }[] = [];
    for (const { m, sides: s, facts } of sides) {
      const diff = await compare(s, answersFor(answers, m.name), facts);
      out.push({ database: m.name, operations: [...diff.operations], questions: diff.questions.map((q) => prefixQuestion(q, m.name)) });
    }
    return out;
  };
  return {
    async plan(answers) {
      const all = await sections(answers);
      owner = new WeakMap();
      for (const s of all) for (const op of s.operations) owner.set(op, s.database);
      return { operations: all.flatMap((s) => s.operations), questions: all.flatMap((s) => s.questions) };
    },
    async sections(answers) {
      return (await sections(answers)).filter((s) => s.operations.length > 0).map(({ database, operations }) => ({ database, operations }));
    },
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
  const upgrade = sections.flatMap((s) => s.operations);
  const message = options.message ?? autoMessage(upgrade);
  const revision = options.revision ?? newRevisionId();
  const now = new Date();
  const text = renderRevision({
    template: input.template,
    revision,
    downRevision: singleHead(input.graph),
    message,
    createDate: now,
    upgrade: [],
    downgrade: [],
    notes: [],
    sections: rendered,
  });
  const file = join(input.versionsDir, revisionFileName(now, revision, message));
  if (options.write !== false) {
    mkdirSync(input.versionsDir, { recursive: true });
    writeFileSync(file, text);
  }
  const notes = rendered.flatMap((s) => s.notes.map((n) => `[${s.database}] ${n}`));
  return { status: options.write === false ? 'rendered' : 'written', revision, file, text, message, upgrade, notes };
}

/** The whole non-interactive flow: questions (prefixed) or the revision. */
export async function makeManyRevision(
  members: readonly ManyMember[],
  input: ManyInput,
  options: { answers?: Answers; message?: string; empty?: boolean; write?: boolean },
): Promise<MakeResult> {
  await ensureAllUpToDate(members, input.graph);
  if (options.empty) return writeManyRevision(input, [], options);
  const planner = await createManyPlanner(members);
  const { operations, questions } = await planner.plan(options.answers ?? {});
  if (questions.length > 0) return { status: 'questions', questions, operations };
  if (operations.length === 0) return { status: 'no-changes' };
  return writeManyRevision(input, await planner.sections(options.answers ?? {}), options);
}
