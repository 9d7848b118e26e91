/**
 * `makemigrations` on a terminal: the open questions are asked (answers from
 * --answers are kept and only what they leave open is asked) in the wizard,
 * or line by line with `--plain`; the changes are listed, the revision is
 * written on confirmation, and it can be applied on the spot. Ctrl-C at any
 * point writes nothing and exits 130. In a multi-database project each
 * change and question names its database.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { confirm, input } from '../prompts.js';
import type { Project } from '../../config/project.js';
import type { Answers } from '../../diff/questions.js';
import { ExitCode } from '../../errors.js';
import { autoMessage, createPlanner, ensureUpToDate, proveAndWrite, tryGroupAnswers, writeRevision } from '../../make/make-revision.js';
import type { MakeInput, MakeTarget, Planner, Rendered } from '../../make/make-revision.js';
import type { Timings } from '../../make/compare.js';
import { describeOperation, isDestructive } from '../../ops/describe.js';
import type { Operation } from '../../ops/types.js';
import { newRevisionId } from '../../revisions/render.js';
import { statementsOf } from '../../runner/collect.js';
import { moveTo } from '../../runner/migrate.js';
import type { WizardSession } from '../../wizard/wizard.js';
import { err, out, style } from '../output.js';
import { loadHistory, sideConnection, warnHistory, withDatabases } from '../session.js';
import type { History } from '../session.js';
import { readVersionState } from '../../runner/version-table.js';
import type { Member } from '../session.js';
import { askPlain, Cancelled, checkTypedInput, prompt } from './ask-plain.js';
import { proofLines, warnLint } from './make-report.js';
import { progressReporter, withProgress } from '../progress.js';
import { progressHandler } from '../../db/run-progress.js';
import type { Progress } from '../../util/progress-text.js';

interface Options {
  message?: string;
  saveAnswers?: string;
  plain?: boolean;
}

/**
 * Ink needs a terminal that can redraw; `--plain` and TERM=dumb get the
 * line-by-line prompts. So does a CI environment: Ink draws only the last
 * frame there, which would leave the screen blank while it waits for keys.
 */
export function useInk(options: Options): boolean {
  const env = process.env;
  const inCi = env.CI !== '0' && env.CI !== 'false' && ('CI' in env || 'CONTINUOUS_INTEGRATION' in env || Object.keys(env).some((k) => k.startsWith('CI_')));
  return !options.plain && env.TERM !== 'dumb' && !inCi;
}

export async function runInteractive(project: Project, history: History, input_: MakeInput, initial: Answers, options: Options): Promise<number> {
  // Ink and React (over a second to load on a cold start) load while the database is read and the models compared.
  const ui = useInk(options) ? import('../../wizard/run-wizard.js') : null;
  ui?.catch(() => undefined);
  try {
    return await withDatabases(project, undefined, async (members) => {
      await warnHistory(history, members, project.multi);
      await ensureUpToDate(members, input_);
      // Before the wizard's full screen, the loading line is a spinner that leaves nothing behind.
      const planner = await working(members, input_.multi, !ui);
      if (ui) return await inkFlow(await ui, members, planner, project, input_, initial, options);
      return await plainFlow(members, planner, project, input_, initial, options);
    });
  } catch (e) {
    if (e instanceof Cancelled) {
      err('Cancelled: nothing was written.');
      return ExitCode.interrupted;
    }
    throw e;
  }
}

/** The working steps before any question; with `leave`, their line and durations stay printed (the line-by-line flow). */
async function working(targets: readonly MakeTarget[], multi: boolean, leave: boolean): Promise<Planner> {
  const timings: Timings = {};
  const planner = await withProgress(`Loading the models and reading the database${targets.length > 1 ? 's' : ''}…`, () => createPlanner(targets, multi, timings), { leave });
  if (leave) err(style.dim(Object.entries(timings).map(([step, ms]) => `${step} ${ms.toFixed(0)} ms`).join(' · ')));
  return planner;
}

/** An operation in words, after its database's name when the project names them. */
function described(planner: Planner, op: Operation): string {
  const db = planner.databaseOf(op);
  return db ? `[${db}] ${describeOperation(op)}` : describeOperation(op);
}

async function plainFlow(members: readonly Member[], planner: Planner, project: Project, input_: MakeInput, initial: Answers, options: Options): Promise<number> {
  const { answers, operations } = await askPlain(planner, initial);
  if (operations.length === 0) {
    out('No changes detected.');
    return ExitCode.ok;
  }
  out('');
  out(style.bold(`${operations.length} change${operations.length === 1 ? '' : 's'}:`));
  for (const op of operations) out(`  ${isDestructive(op) ? style.red('!') : style.dim('-')} ${described(planner, op)}`);
  const message = options.message ?? (await prompt(() => input({ message: 'Message for the revision:', default: autoMessage(operations) })));
  if (!(await prompt(() => confirm({ message: 'Write the revision?', default: true })))) {
    out('Nothing was written.');
    return ExitCode.ok;
  }
  await tryGroupAnswers(members, planner.group(operations), input_.multi);
  const result = await proveAndWrite(members, planner, input_, operations, { message });
  if (options.saveAnswers) writeFileSync(options.saveAnswers, JSON.stringify(answers, null, 2) + '\n');
  reportWritten({ ...result, operations });
  return applyNow(members, project);
}

async function inkFlow(
  { runWizard }: typeof import('../../wizard/run-wizard.js'),
  members: readonly Member[],
  planner: Planner,
  project: Project,
  input_: MakeInput,
  initial: Answers,
  options: Options,
): Promise<number> {
  const first = await planner.plan(initial);
  if (first.operations.length === 0 && first.questions.length === 0) {
    out('No changes detected.');
    return ExitCode.ok;
  }
  // One id for the preview and the file; the preview is re-rendered only when the plan or message changes.
  const revision = newRevisionId();
  // Set by the wizard's write, for the lint after the screen closes.
  const last: { written?: Written } = {};
  let shown: { operations: readonly Operation[]; message: string; preview: { text: string; sql: string[] } } | null = null;
  const session: WizardSession = {
    plan: (answers) => planner.plan(answers),
    check: (q, kind, text) => checkTypedInput(planner.dbFor(q.id), q, kind, text),
    preview: (operations, message) => {
      if (shown?.operations === operations && shown.message === message) return shown.preview;
      const r = writeRevision(input_, planner.group(operations), { message, write: false, revision });
      shown = { operations, message, preview: { text: r.text, sql: statementsOf(operations).map((s) => s.sql) } };
      return shown.preview;
    },
    write: async (operations, message) => {
      await tryGroupAnswers(members, planner.group(operations), input_.multi);
      const r = await proveAndWrite(members, planner, input_, operations, { message, revision });
      last.written = { ...r, operations };
      return { file: r.file, proof: proofLines(r.proof).line ?? undefined };
    },
    databaseOf: (op) => planner.databaseOf(op),
    defaultMessage: (operations) => autoMessage(operations),
    apply: async (line, progress) => {
      try {
        const moved = await applyHead(members, project, line, progress);
        return { ok: true, summary: where(project, moved) };
      } catch (e) {
        const hint = (e as { hint?: string }).hint;
        const at = await standing(members, project).catch(() => 'where the database stands could not be read');
        return { ok: false, error: `${(e as Error).message}${hint ? `\n(${hint})` : ''}`, summary: `Not applied: ${at}.` };
      }
    },
  };
  const result = await runWizard(session, { answers: initial, message: options.message ?? autoMessage(first.operations), messageGiven: options.message !== undefined, ...first });
  if (result.status === 'cancelled' || !result.file) {
    err('Cancelled: nothing was written.');
    return ExitCode.interrupted;
  }
  if (options.saveAnswers) writeFileSync(options.saveAnswers, JSON.stringify(result.answers, null, 2) + '\n');
  if (last.written) reportWritten(last.written);
  else out(`Generated ${relative(process.cwd(), result.file) || result.file}`);
  // The one-line outcome, below what the screen left.
  if (!result.applied) {
    out('Not applied: run `fastedgy db migrate` to apply it.');
    return ExitCode.ok;
  }
  // The run's log, from the screen now gone, then its outcome.
  for (const line of result.applied.log) out(style.dim(line));
  if (result.applied.error) err(result.applied.error);
  out(result.applied.summary);
  return result.applied.ok ? ExitCode.ok : ExitCode.failure;
}

/** A written revision, as both flows report it once it is on disk. */
interface Written {
  readonly file: string;
  readonly text: string;
  readonly operations: readonly Operation[];
  readonly proof?: Rendered['proof'];
  /** What the downgrade cannot restore (rows mapped from a removed value, …). */
  readonly notes: readonly string[];
}

/** The file, its proof, what its downgrade cannot restore and the lint: the same lines after the wizard as after the plain prompts. */
function reportWritten(w: Written): void {
  out(`Generated ${relative(process.cwd(), w.file) || w.file}`);
  printProof(w.proof);
  for (const n of w.notes) out(`  ${style.yellow('!')} the downgrade cannot restore: ${n}`);
  warnLint(w.file, w.text, w.operations);
}

function printProof(proof: Rendered['proof']): void {
  const { line, warnings } = proofLines(proof);
  if (line) out(line);
  for (const w of warnings) err(`${style.yellow('!', process.stderr)} ${w}`);
}

/** Runs the revisions up to head on every database, a line per statement with its time. */
async function applyHead(members: readonly Member[], project: Project, line: (text: string) => void, progress?: (p: Progress) => void) {
  return moveTo(members, await loadHistory(project), 'upgrade', 'head', {
    primary: project.databases[0].name,
    multi: project.multi,
    ...(progress ? { onProgress: progressHandler(progress, sideConnection(members)) } : {}),
    onEvent: (e) => {
      if (e.type === 'revision-start') line(`${project.multi ? `[${e.database}] ` : ''}Running upgrade ${e.from} -> ${e.revision.id}, ${e.revision.message}`);
      if (e.type === 'statement' && e.sql) line(`  ${e.sql}  (${(e.ms ?? 0).toFixed(1)} ms)`);
    },
  });
}

/** "Database is now at X." (or a line per database). */
function where(project: Project, moved: Awaited<ReturnType<typeof moveTo>>): string {
  return Object.entries(moved.heads)
    .map(([name, heads]) => `${project.multi ? `${name} is` : 'Database is'} now at ${heads.length ? heads.join(', ') : '<base>'}.`)
    .join(' ');
}

/** Where each database stands after a failed run. */
async function standing(members: readonly Member[], project: Project): Promise<string> {
  const parts: string[] = [];
  for (const m of members) {
    const heads = (await readVersionState(m.db)).heads;
    parts.push(`${project.multi ? m.name : 'the database'} stays at ${heads.length ? heads.join(', ') : '<base>'}`);
  }
  return parts.join('; ');
}

/** Offers to run the new revision at once, a line per statement with its time. */
async function applyNow(members: readonly Member[], project: Project): Promise<number> {
  let apply: boolean;
  try {
    apply = await prompt(() => confirm({ message: 'Apply it now?', default: false }));
  } catch (e) {
    if (!(e instanceof Cancelled)) throw e;
    err('Cancelled: the revision file is written, nothing was applied.');
    return ExitCode.interrupted;
  }
  if (!apply) {
    out('Not applied: run `fastedgy db migrate` to apply it.');
    return ExitCode.ok;
  }
  // Whole statements: what changes the data is never cut at the terminal's width.
  const bar = progressReporter();
  const moved = await applyHead(members, project, (text) => (bar.clear(), out(style.dim(text))), bar.update);
  bar.clear();
  out(where(project, moved));
  return ExitCode.ok;
}
