/**
 * Helpers for test/faults.test.ts: hand-written revision files, a CLI
 * process that can be killed halfway, and what the server says about the
 * sessions and advisory locks of one database.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../source/db/database.js';
import { BIN, CONFIG, handRevision, makeProjectDir } from './cli.js';
import type { CliResult } from './cli.js';

const TEMPLATE = readFileSync(new URL('../../templates/default/script.ts.tmpl', import.meta.url), 'utf8');

/** A revision file; `up` and `down` are bodies of upgrade(op) and downgrade(op). */
export const revision = handRevision;

/** One `op.execute` per statement, so each is its own round trip (a kill can land between them). */
export function executes(statements: readonly string[]): string {
  return statements.map((s) => `await op.execute(${JSON.stringify(s)});`).join(' ');
}

export function project(files: Record<string, string> = {}): string {
  const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': 'export {};\n', 'migrations/script.ts.tmpl': TEMPLATE, ...files });
  mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
  return dir;
}

export interface Running {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  /** What the process printed so far. */
  stdout(): string;
  /** Resolves when stdout contains `text` (rejects if the process ends first). */
  printed(text: string): Promise<void>;
}

/**
 * The real CLI as a child process that can be killed. A process still running
 * after `limitMs` is killed and reported with code -2, so a migrate that waits
 * forever for a lock fails the test instead of hanging it.
 */
export function startCli(args: string[], options: { cwd: string; env: Record<string, string>; limitMs?: number }): Running {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  const waiters: { text: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters])
      if (stdout.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout!.on('data', (d) => {
    stdout += d;
    check();
  });
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.limitMs ?? 30_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const w of waiters.splice(0)) w.reject(new Error(`the process ended before printing ${JSON.stringify(w.text)}:\n${stdout}\n${stderr}`));
      resolve({ code: timedOut ? -2 : (code ?? (signal ? -1 : -3)), stdout, stderr });
    });
  });
  return {
    child,
    done,
    stdout: () => stdout,
    printed: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, resolve, reject });
        check();
      }),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns true; false after `timeoutMs`. */
export async function until(probe: () => Promise<boolean>, timeoutMs: number, everyMs = 25): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > end) return false;
    await sleep(everyMs);
  }
}

/** Sessions of the CLI (application_name 'fastedgy') on this database, other than the test's own. */
export async function cliSessions(db: Database): Promise<{ pid: number; state: string | null; query: string }[]> {
  return db.query(
    `SELECT pid, state, query FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'fastedgy' AND pid <> pg_backend_pid()`,
  );
}

/** Advisory locks held on this database (the migration lock is the only kind fastedgy takes). */
export async function advisoryLocks(db: Database): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()`,
  );
  return rows[0].n;
}

export { seededRandom } from './seeded-random.js';
