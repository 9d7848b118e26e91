/**
 * An open browser holds the embedded database (PGlite opens its directory
 * for one process only). Another command run meanwhile (issue 11: "even
 * `current`") must not wait silently: it says which process holds it, what
 * that process runs and since when, and goes on as soon as the browser quits.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, CONFIG, makeProjectDir, runCli } from './support/cli.js';
import { Terminal } from './support/terminal.js';

describe('the embedded database held by an open browser', () => {
  it('`current` says who holds it (pid, command, since when), then answers once the browser quits', async () => {
    const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': 'export {};\n' });
    const env = { DATABASE_URL: '', TERM: 'xterm-256color' };
    expect((await runCli(['db', 'init'], { cwd: dir, env })).code).toBe(0);
    const browser = new Terminal(dir, env, ['db', 'browse']);
    await browser.waitFor('fastedgy browse', 60_000);
    const lock = JSON.parse(readFileSync(join(dir, '.fastedgy', 'pgdata.lock'), 'utf8')) as { pid: number; since: string; command: string };
    expect(lock.pid).toBe(browser.pid);
    expect(lock.command).toBe('fastedgy db browse');

    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, NO_COLOR: '1' };
    for (const k of Object.keys(childEnv)) if (k.startsWith('VITEST')) delete childEnv[k];
    const current = spawn(process.execPath, [BIN, 'db', 'current'], { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    current.stdout.on('data', (d) => (stdout += d));
    current.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => current.on('exit', (code) => resolve(code)));

    const started = Date.now();
    while (!stderr.includes('is using the embedded database')) {
      if (Date.now() - started > 30_000) throw new Error(`current did not say who holds the database\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const since = new Date(lock.since).toLocaleString('sv-SE');
    expect(stderr).toContain(`another fastedgy process (pid ${browser.pid}, \`fastedgy db browse\`, since ${since}) is using the embedded database`);
    expect(stderr).toContain('quit it, or Ctrl-C here to stop waiting');
    // Still waiting, not failed: the browser has the database.
    await new Promise((r) => setTimeout(r, 1000));
    expect(current.exitCode).toBeNull();

    await browser.type('q');
    expect(await browser.exited()).toBe(0);
    expect(await exited).toBe(0);
    expect(stdout).toContain('<base>');
  }, 120_000);
});
