/**
 * `makemigrations` in a multi-database project: every database compared with
 * its models, one revision with a section per database that changed. The
 * questions carry a `DB:` prefix; on a terminal the same wizard (or the
 * plain prompts) asks them, each change and question naming its database.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Project } from '../../config/project.js';
import type { Answers } from '../../diff/questions.js';
import { ExitCode } from '../../errors.js';
import { createManyPlanner, ensureAllUpToDate, makeManyRevision, writeManyRevision } from '../../make/make-many.js';
import type { ManyInput, ManyMember } from '../../make/make-many.js';
import { autoMessage } from '../../make/make-revision.js';
import { describeOperation } from '../../ops/describe.js';
import { newRevisionId } from '../../revisions/render.js';
import { statementsOf } from '../../runner/collect.js';
import { err, out, style } from '../output.js';
import { loadHistory, readTemplate, withDatabases } from '../session.js';
import type { WizardSession } from '../../ui/wizard.js';
import { report, warnLint } from './makemigrations.js';
import type { Options } from './makemigrations.js';


/**
 * The project's template, unless it is a single-database one (no section
 * slots): then the bundled multi-database template, so a project that grew a
 * second database needs no edit to keep working.
 */
function manyTemplate(project: Project): string {
  const own = existsSync(join(project.migrationsDir, 'script.ts.tmpl')) ? readTemplate(project) : '';
  if (own.includes('${upgradeSections}')) return own;
  return readFileSync(new URL('../../../templates/multidb/script.ts.tmpl', import.meta.url), 'utf8');
}

async function wizard(members: ManyMember[], input: ManyInput, initial: Answers, options: Options): Promise<number> {
  await ensureAllUpToDate(members, input.graph);
  err(style.dim('Loading the models and reading the databases…'));
  const planner = await createManyPlanner(members);
  const first = await planner.plan(initial);
  if (first.operations.length === 0 && first.questions.length === 0) {
    out('No changes detected.');
    return ExitCode.ok;
  }
  const { askPlain, checkTypedInput, prompt } = await import('./ask-plain.js');
  const { useInk } = await import('./makemigrations-interactive.js');
  if (!useInk(options)) {
    // Line by line (--plain, TERM=dumb, CI). Typed values are checked on the first database.
    const { answers, operations } = await askPlain(members[0].db, planner, initial);
    if (operations.length === 0) {
      out('No changes detected.');
      return ExitCode.ok;
    }
    for (const op of operations) out(`  - [${planner.databaseOf(op) ?? '?'}] ${describeOperation(op)}`);
    const { input: ask } = await import('@inquirer/prompts');
    const message = options.message ?? (await prompt(() => ask({ message: 'Message for the revision:', default: autoMessage(operations) })));
    const r = writeManyRevision(input, planner.group(operations), { message });
    warnLint(r.file, r.text, operations);
    if (options.saveAnswers) writeFileSync(options.saveAnswers, JSON.stringify(answers, null, 2) + '\n');
    out(`Generated ${relative(process.cwd(), r.file) || r.file}`);
    return ExitCode.ok;
  }
  const { runWizard } = await import('../../ui/run-wizard.js');
  const revision = newRevisionId();
  // The lint of what was written runs after the wizard's screen is gone.
  let warnings = () => {};
  const session: WizardSession = {
    plan: (answers) => planner.plan(answers),
    check: (q, kind, text) => checkTypedInput(planner.dbFor(q.id), q, kind, text),
    preview: (operations, message) => ({
      text: writeManyRevision(input, planner.group(operations), { message, write: false, revision }).text,
      sql: statementsOf(operations).map((s) => s.sql),
    }),
    write: async (operations, message) => {
      const r = writeManyRevision(input, planner.group(operations), { message, revision });
      warnings = () => warnLint(r.file, r.text, operations);
      return r.file;
    },
    databaseOf: (op) => planner.databaseOf(op),
  };
  const result = await runWizard(session, { answers: initial, message: options.message ?? autoMessage(first.operations), ...first });
  if (result.status === 'cancelled' || !result.file) {
    err('Cancelled: nothing was written.');
    return ExitCode.interrupted;
  }
  if (options.saveAnswers) writeFileSync(options.saveAnswers, JSON.stringify(result.answers, null, 2) + '\n');
  out(`Generated ${relative(process.cwd(), result.file) || result.file}`);
  warnings();
  out('Run `fastedgy db migrate` to apply it to every database.');
  return ExitCode.ok;
}

export async function runMany(project: Project, answers: Answers, options: Options, interactive: boolean): Promise<number> {
  const history = await loadHistory(project);
  const input: ManyInput = { versionsDir: project.versionsDir, template: manyTemplate(project), graph: history.graph };
  const write = !options.dryRun && !options.sql;
  return withDatabases(project, undefined, async (dbs) => {
    const members: ManyMember[] = dbs.map((m) => ({ name: m.name, db: m.db, modelFiles: m.entry.modelFiles }));
    if (interactive)
      return wizard(members, input, answers, options).catch(async (e) => {
        if (!(e instanceof (await import('./ask-plain.js')).Cancelled)) throw e;
        err('Cancelled: nothing was written.');
        return ExitCode.interrupted;
      });
    const { result, planner } = await makeManyRevision(members, input, { answers, message: options.message, empty: options.empty, write });
    // --sql: each database's SQL under a heading naming it.
    return report(result, answers, options, async (upgrade) =>
      (planner?.group(upgrade) ?? []).flatMap((s) => [`-- database: ${s.database}`, ...statementsOf(s.operations).map((st) => st.sql + ';')]),
    );
  });
}
