/**
 * The `fastedgy` command line. Commands are loaded on demand, so a command
 * that draws no UI (`current`, `history`) never loads React or Ink. Every
 * error a user can cause ends here: one message, an exit code, and a stack
 * only with --debug.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, isUserError } from '../errors.js';
import { err, registerSecret, style } from './output.js';
import type { GlobalOptions } from './session.js';
import { undoNewCache } from '../util/module-cache.js';

type Action = (args: unknown[], options: Record<string, unknown>, globals: GlobalOptions) => Promise<number>;

function lazy(load: () => Promise<{ run: Action }>) {
  return async (...raw: unknown[]): Promise<void> => {
    const command = raw[raw.length - 1] as Command;
    const options = command.opts();
    const globals = command.optsWithGlobals() as GlobalOptions;
    const args = raw.slice(0, raw.length - 2);
    const mod = await load();
    process.exitCode = await mod.run(args, options, globals);
  };
}

function common(cmd: Command, withJson = false): Command {
  cmd.option('--config <path>', 'use this config file instead of the nearest fastedgy.config.*');
  cmd.option('--database-url <url>', 'connect to this database (overrides DATABASE_URL and the config)');
  cmd.option('--debug', 'show stack traces');
  if (withJson) cmd.option('--json', 'print data as JSON');
  return cmd;
}

export function buildProgram(): Command {
  const program = new Command('fastedgy').description('PostgreSQL schema migrations from TypeScript models').version('0.1.0');
  const db = program.command('db').description('database migrations (makemigrations, migrate, downgrade, …)');

  common(db.command('createdb').description('create the configured database (or the embedded one)')).action(
    lazy(() => import('./commands/createdb.js')),
  );
  common(db.command('init').description('write fastedgy.config.ts (if missing) and the migrations directory'))
    .option('--template <name>', 'template from templates/', 'default')
    .action(lazy(() => import('./commands/init.js')));
  common(db.command('makemigrations').description('detect model changes and write a revision'), true)
    .option('-m, --message <text>', 'revision message')
    .option('--answers <file>', 'answers to the questions, as JSON (- for stdin)')
    .option('--save-answers <file>', 'write the answers given to this file')
    .option('--plain', 'ask with plain prompts instead of the full-screen UI')
    .option('--empty', 'write an empty revision to fill in by hand')
    .option('--dry-run', 'show the revision without writing it')
    .option('--sql', 'print the SQL of the upgrade instead of writing a file')
    .action(lazy(() => import('./commands/makemigrations.js')));
  common(db.command('migrate').argument('[target]', 'head, a revision id or prefix, +N', 'head').description('apply revisions up to TARGET'))
    .option('--sql', 'print the SQL instead of running it (no connection)')
    .option('--live', 'with --sql: read the database (read-only) and print what would run on it now, low-lock steps included')
    .option('--dry-run', 'run inside a transaction that is rolled back')
    .option('--ignore-checksums', 'proceed even if applied revisions were edited')
    .option('--database <name>', 'in a multi-database project: only this database')
    .option('--lock-timeout <seconds>', 'how long a statement may wait for a lock before the revision is retried (default 5)')
    .option('--statement-timeout <seconds>', 'how long a statement may run (default: no limit)')
    .option('-i, --interactive', 'open the revision browser')
    .action(lazy(() => import('./commands/migrate.js')));
  common(db.command('downgrade').argument('[target]', 'base, a revision id or prefix, -N', '-1').description('step back to TARGET'))
    .option('--sql', 'print the SQL instead of running it (no connection)')
    .option('--live', 'with --sql: read the database (read-only) and print what would run on it now, low-lock steps included')
    .option('--dry-run', 'run inside a transaction that is rolled back')
    .option('--ignore-checksums', 'proceed even if applied revisions were edited')
    .option('--database <name>', 'in a multi-database project: only this database')
    .option('--lock-timeout <seconds>', 'how long a statement may wait for a lock before the revision is retried (default 5)')
    .option('--statement-timeout <seconds>', 'how long a statement may run (default: no limit)')
    .action(lazy(() => import('./commands/downgrade.js')));
  common(db.command('browse').description('the keyboard-driven revision browser'))
    .option('--ignore-checksums', 'let moves proceed even if applied revisions were edited')
    .option('--database <name>', 'in a multi-database project: the database to browse (default: the first)')
    .option('--plain', 'print the history and where the database is as plain lines (also on TERM=dumb)')
    .action(lazy(() => import('./commands/browse.js')));
  common(db.command('current').description('the revision(s) the database is at'), true)
    .option('--database <name>', 'in a multi-database project: only this database')
    .action(lazy(() => import('./commands/current.js')));
  common(db.command('history').description('the revision list, newest first'), true).action(lazy(() => import('./commands/history.js')));
  common(db.command('heads').description('the head revisions'), true).action(lazy(() => import('./commands/heads.js')));
  common(db.command('show').argument('<rev>', 'revision id or prefix').description("one revision's operations and SQL"), true).action(
    lazy(() => import('./commands/show.js')),
  );
  common(db.command('stamp').argument('<rev>', 'revision, head or base').description('record REV as applied without running it'))
    .option('--database <name>', 'in a multi-database project: only this database')
    .action(
    lazy(() => import('./commands/stamp.js')),
  );
  common(db.command('merge').description('write a revision that joins several heads'))
    .option('-m, --message <text>', 'revision message')
    .action(lazy(() => import('./commands/merge.js')));
  common(db.command('check').description('exit 3 when models, migrations and database disagree'), true)
    .option('--database <name>', 'in a multi-database project: only this database')
    .option('--lint-all', 'lint every revision, not only those not applied yet')
    .action(
    lazy(() => import('./commands/check.js')),
  );
  common(db.command('pull').description('write models (and with --baseline a first revision) from an existing database'), true)
    .option('--out <FILE|DIR>', 'where to write the models (default: the config\'s models file, models.ts); with several databases a directory, receiving <database>.ts for each')
    .option('--database <name>', 'in a multi-database project: only this database')
    .option('--force', 'replace the models file if it exists')
    .option('--baseline', 'also write a revision creating the whole schema (proven up -> down -> up first) and record it as applied; with several databases, a section for each')
    .action(lazy(() => import('./commands/pull.js')));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const cmd of program.commands) cmd.exitOverride();
  for (const cmd of program.commands.flatMap((c) => c.commands)) cmd.exitOverride();
  const debug = argv.includes('--debug');
  if (argv.includes('--plain')) (await import('./progress.js')).requestPlain();
  registerSecret(process.env.DATABASE_URL);
  const urlFlag = argv.findIndex((a) => a === '--database-url' || a.startsWith('--database-url='));
  if (urlFlag >= 0) registerSecret(argv[urlFlag].includes('=') ? argv[urlFlag].split('=').slice(1).join('=') : argv[urlFlag + 1]);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    undoNewCache();
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return ExitCode.usage;
    }
    if (isUserError(e)) {
      err(`${style.red('error:', process.stderr)} ${e.message}`);
      if (e.hint) err(`${style.dim('hint:', process.stderr)} ${e.hint}`);
      if (debug && e.stack) err(e.stack);
      return e.exitCode;
    }
    const error = e as Error;
    err(`${style.red('error:', process.stderr)} ${error?.message ?? String(e)}`);
    if (debug && error?.stack) err(error.stack);
    else err('run again with --debug for details');
    return ExitCode.failure;
  }
}
