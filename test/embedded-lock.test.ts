/**
 * The embedded database's lock, tried the way it was found wanting: real
 * processes started together on a barrier (they wait for a file to appear,
 * then all try at once), each recording when it held the lock. No two
 * holds may overlap, with or without a lock left behind by a dead process;
 * and a waiting CLI says which process holds the lock and since when.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG, makeProjectDir, runCli } from './support/cli.js';

// The built module, as the CLI runs it (npm test builds dist/ first).
const LOCK_MODULE = pathToFileURL(new URL('../dist/db/embedded-lock.js', import.meta.url).pathname).href;

// A contender: waits for the barrier, then takes the lock `rounds` times,
// holding it `holdMs` each time, and writes down when it held it.
const CONTENDER = `
import { existsSync, writeFileSync } from 'node:fs';
const [moduleUrl, dataDir, barrier, out, rounds, holdMs] = process.argv.slice(2);
const { lockDirectory } = await import(moduleUrl);
writeFileSync(out + '.ready', '');
while (!existsSync(barrier)) await new Promise((r) => setTimeout(r, 1));
const now = () => performance.timeOrigin + performance.now();
const holds = [];
for (let i = 0; i < Number(rounds); i++) {
  const unlock = await lockDirectory(dataDir);
  const enter = now();
  await new Promise((r) => setTimeout(r, Number(holdMs)));
  const exit = now();
  unlock();
  holds.push({ pid: process.pid, enter, exit });
}
writeFileSync(out, JSON.stringify(holds));
`;

// Takes the lock, says so, and holds it until killed or `holdMs` passed.
const HOLDER = `
import { writeFileSync } from 'node:fs';
const [moduleUrl, dataDir, ready, holdMs] = process.argv.slice(2);
const { lockDirectory } = await import(moduleUrl);
const unlock = await lockDirectory(dataDir);
writeFileSync(ready, String(process.pid));
await new Promise((r) => setTimeout(r, Number(holdMs)));
unlock();
`;

interface Hold {
  readonly pid: number;
  readonly enter: number;
  readonly exit: number;
}

function workDir(): { dir: string; contender: string; holder: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fastedgy-lock-'));
  writeFileSync(join(dir, 'contender.mjs'), CONTENDER);
  writeFileSync(join(dir, 'holder.mjs'), HOLDER);
  return { dir, contender: join(dir, 'contender.mjs'), holder: join(dir, 'holder.mjs') };
}

function run(args: string[]): { pid: number; done: Promise<number | null>; kill: () => void } {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code)));
  return { pid: child.pid!, done, kill: () => child.kill('SIGKILL') };
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A pid that certainly belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = run(['-e', '0']);
  await child.done;
  return child.pid;
}

/** `count` contenders on one barrier; every hold they recorded, in order of entry. */
async function contend(dir: string, contender: string, dataDir: string, count: number, rounds: number, holdMs: number, tag: string): Promise<Hold[]> {
  const barrier = join(dir, `go-${tag}`);
  const outs = Array.from({ length: count }, (_, i) => join(dir, `holds-${tag}-${i}.json`));
  const children = outs.map((out) => run([contender, LOCK_MODULE, dataDir, barrier, out, String(rounds), String(holdMs)]));
  await until(() => outs.every((o) => existsSync(o + '.ready')), 'the contenders to be ready');
  writeFileSync(barrier, '');
  const codes = await Promise.all(children.map((c) => c.done));
  expect(codes).toEqual(outs.map(() => 0));
  return outs.flatMap((o) => JSON.parse(readFileSync(o, 'utf8')) as Hold[]).sort((a, b) => a.enter - b.enter);
}

function expectNoOverlap(holds: readonly Hold[], expected: number): void {
  expect(holds).toHaveLength(expected);
  for (let i = 1; i < holds.length; i++) {
    const before = holds[i - 1];
    const after = holds[i];
    // Each hold starts once the one before it has ended.
    expect(after.enter, `pid ${after.pid} entered while pid ${before.pid} held the lock`).toBeGreaterThanOrEqual(before.exit);
  }
}

function lockLeftovers(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith('pgdata.lock'));
}

describe('the embedded database lock, between processes on a barrier', () => {
  it('five processes taking it four times each never hold it together', async () => {
    const { dir, contender } = workDir();
    const holds = await contend(dir, contender, join(dir, 'pgdata'), 5, 4, 15, 'free');
    expectNoOverlap(holds, 20);
    expect(lockLeftovers(dir)).toEqual([]);
  }, 120_000);

  it('a lock left by a killed holder is taken over by exactly one at a time', async () => {
    const { dir, contender, holder } = workDir();
    const dataDir = join(dir, 'pgdata');
    const ready = join(dir, 'holder-ready');
    const h = run([holder, LOCK_MODULE, dataDir, ready, '600000']);
    await until(() => existsSync(ready), 'the holder to take the lock');
    h.kill();
    await h.done;
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(h.pid);
    const holds = await contend(dir, contender, dataDir, 5, 1, 30, 'killed');
    expectNoOverlap(holds, 5);
    expect(lockLeftovers(dir)).toEqual([]);
  }, 120_000);

  it('an old-style lock file (a bare dead pid, or empty and old) is taken over by one process at a time', async () => {
    for (const [tag, content] of [
      ['bare-pid', String(await deadPid())],
      ['empty', ''],
    ] as const) {
      for (let round = 0; round < 3; round++) {
        const { dir, contender } = workDir();
        const dataDir = join(dir, 'pgdata');
        writeFileSync(`${dataDir}.lock`, content);
        // Older than the grace an empty file (a holder still writing its pid) gets.
        const old = new Date(Date.now() - 60_000);
        utimesSync(`${dataDir}.lock`, old, old);
        const holds = await contend(dir, contender, dataDir, 4, 1, 30, `${tag}-${round}`);
        expectNoOverlap(holds, 4);
        expect(lockLeftovers(dir)).toEqual([]);
      }
    }
  }, 240_000);

  it('a lock held by a live process is not taken over; the waiting CLI names its pid and since when', async () => {
    const { holder } = workDir();
    const project = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': 'export {};\n' });
    const env = { DATABASE_URL: '' };
    expect((await runCli(['db', 'init'], { cwd: project, env })).code).toBe(0);
    mkdirSync(join(project, '.fastedgy'), { recursive: true });
    const ready = join(project, 'holder-ready');
    const h = run([holder, LOCK_MODULE, join(project, '.fastedgy', 'pgdata'), ready, '4000']);
    await until(() => existsSync(ready), 'the holder to take the lock');
    const since = new Date(JSON.parse(readFileSync(join(project, '.fastedgy', 'pgdata.lock'), 'utf8')).since);
    const started = Date.now();
    const r = await runCli(['db', 'current'], { cwd: project, env });
    expect(await h.done).toBe(0);
    expect(r.code).toBe(0);
    // It waited for the holder to let go (held 4 s from before the CLI started).
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(r.stderr).toContain(`another fastedgy process (pid ${h.pid}, since ${since.toLocaleString('sv-SE')})`);
    expect(r.stdout).toContain('<base>');
  }, 120_000);
});
