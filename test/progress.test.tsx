/**
 * Long work shows it is alive (issue 11): a spinner with the seconds elapsed
 * while the wizard re-plans after an answer, while the browser applies a
 * revision, and on the command line while makemigrations loads the models
 * and reads the database before the first screen. Where nothing may be
 * redrawn (a pipe, --plain) the plain line is printed once, no spinner.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Browser } from '../source/browser/browser.js';
import { initialState as browserState } from '../source/browser/browser-state.js';
import { createBrowserSession } from '../source/browser/session.js';
import { readSnapshot } from '../source/browser/snapshot.js';
import type { Question } from '../source/diff/questions.js';
import type { Operation } from '../source/ops/types.js';
import { SPINNER_FRAMES } from '../source/util/spinner.js';
import { Wizard } from '../source/wizard/wizard.js';
import type { WizardSession } from '../source/wizard/wizard.js';
import { initialState } from '../source/wizard/wizard-state.js';
import { CONFIG, handRevision, makeProjectDir, runCli } from './support/cli.js';
import { freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';
import { Terminal } from './support/terminal.js';

/** Every frame Ink drew, in order (lastFrame only shows the newest). */
function frames(app: ReturnType<typeof render>): string[] {
  return app.frames;
}

async function until(app: ReturnType<typeof render>, test: (f: string) => boolean, what: string, timeout = 15000): Promise<string> {
  const started = Date.now();
  while (!test(app.lastFrame() ?? '')) {
    if (Date.now() - started > timeout) throw new Error(`not in the frame: ${what}\n${app.lastFrame()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return app.lastFrame() ?? '';
}

/** The seconds a spinner line shows after its label, e.g. 1.3 for "⠙ Applying… 1.3 s". */
function secondsAfter(frame: string, label: string): number | null {
  const m = new RegExp(`[${SPINNER_FRAMES.join('')}] ${label} (\\d+\\.\\d) s`).exec(frame);
  return m ? Number(m[1]) : null;
}

let fresh: FreshDatabase | null = null;
afterEach(async () => {
  await fresh?.dispose();
  fresh = null;
});

describe('progress while waiting', () => {
  it('the wizard re-planning after an answer: a spinner whose seconds count up', async () => {
    const question: Question = {
      id: 'rename-column:users.a->users.b', kind: 'rename-column', text: 'Column users.a is gone: rename it?',
      choices: [{ label: 'rename', answer: 'rename' }, { label: 'drop and add', answer: 'drop' }],
    };
    const op: Operation = { kind: 'renameColumn', table: 'users', from: 'a', to: 'b' };
    // A diff that takes 1.5 s, as a large schema's does.
    const session: WizardSession = {
      plan: () => new Promise((r) => setTimeout(() => r({ operations: [op], questions: [] }), 1500)),
      check: async () => ({ error: null }),
      preview: () => ({ text: 'file', sql: [] }),
      write: async () => '/tmp/x.ts',
    };
    const initial = { ...initialState({}, 'm'), operations: [op], questions: [question], needsPlan: false, screen: 'overview' as const, walkAll: false };
    const app = render(<Wizard session={session} initial={initial} onDone={() => undefined} />);
    await until(app, (f) => f.includes('enter walk through'), 'the overview');
    app.stdin.write('\r');
    await until(app, (f) => f.includes(question.text), 'the question');
    app.stdin.write('\r');
    await until(app, (f) => (secondsAfter(f, 'Comparing again with your answers…') ?? 0) >= 1, 'a second counted');
    await until(app, (f) => f.includes('revision file'), 'the review');
    const shown = frames(app).map((f) => secondsAfter(f, 'Comparing again with your answers…')).filter((s): s is number => s !== null);
    expect(shown[0]).toBeLessThan(0.5);
    expect(shown.every((s, i) => i === 0 || s >= shown[i - 1])).toBe(true);
    app.unmount();
  });

  it('the browser applying a slow revision: a spinner whose seconds count up until it is done', async () => {
    fresh = await freshDatabase('server');
    const versions = join(makeProjectDir({}), 'migrations', 'versions');
    mkdirSync(versions, { recursive: true });
    writeFileSync(join(versions, '20261201_120000_aaaaaaaaaaaa_slow.ts'), handRevision('aaaaaaaaaaaa', null, `await op.execute("SELECT pg_sleep(1.5)");`, ''));
    const snapshot = await readSnapshot(fresh.db, versions);
    const app = render(<Browser session={createBrowserSession(fresh.db, versions, snapshot)} initial={browserState(snapshot)} />);
    await until(app, (f) => f.includes('rev aaaaaaaaaaaa'), 'the list');
    app.stdin.write('g');
    app.stdin.write('u');
    await until(app, (f) => f.includes('Migrate up to'), 'the confirmation');
    app.stdin.write('y');
    await until(app, (f) => (secondsAfter(f, 'Applying…') ?? 0) >= 1, 'a second counted while applying');
    const done = await until(app, (f) => f.includes('Migrated: the database is now at aaaaaaaaaaaa'), 'the end');
    expect(secondsAfter(done, 'Applying…')).toBeNull();
    app.unmount();
  }, 60_000);

  it('makemigrations loading before the first screen: a spinner on a terminal, one plain line with --plain', async () => {
    fresh = await freshDatabase('server');
    const dir = makeProjectDir({
      'fastedgy.config.ts': CONFIG,
      'models.ts': `import { defineModel, fields } from 'fastedgy';\nexport const User = defineModel('User', { tablename: 'users', fields: { name: fields.TextField() } });\n`,
    });
    const env = { DATABASE_URL: fresh.url!, TERM: 'xterm-256color' };
    expect((await runCli(['db', 'init'], { cwd: dir, env })).code).toBe(0);
    const t = new Terminal(dir, env, ['db', 'makemigrations']);
    await t.waitFor('enter walk through', 60_000);
    const before = t.output().slice(0, t.output().indexOf('\u001b[?1049h'));
    expect(before).toMatch(new RegExp(`[${SPINNER_FRAMES.join('')}] Loading the models and reading the database… .*\\d+\\.\\d s`));
    t.burst('q');
    expect(await t.exited()).toBe(130);
    // The wizard's full screen follows: once it closes, the terminal holds the command's outcome, not the loading line or its timings.
    const after = (await t.settled()).join('\n');
    expect(after).toContain('Cancelled: nothing was written.');
    expect(after).not.toMatch(/Loading the models|introspect \d+ ms|q quit/);

    // --plain: nothing is redrawn, the loading line is printed once as it is.
    const plain = new Terminal(dir, env, ['db', 'makemigrations', '--plain']);
    await plain.waitFor('Message for the revision', 60_000);
    const listed = plain.output().indexOf('1 change');
    expect(listed).toBeGreaterThan(0);
    const loading = plain.output().slice(0, listed);
    expect(loading).toContain('Loading the models and reading the database…');
    expect(loading).not.toMatch(new RegExp(`[${SPINNER_FRAMES.join('')}]|\\r(?!\\n)|\\u001b\\[K`));
    plain.burst('\u0003');
    expect(await plain.exited()).toBe(130);
  }, 120_000);
});
