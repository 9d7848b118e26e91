/**
 * The browser's log while it applies (issue 11: "never cut what decides the
 * data"): a multi-line statement is shown whole, every line of it, with its
 * time after the last; a line wider than the window is wrapped, not cut.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Browser } from '../source/browser/browser.js';
import { initialState } from '../source/browser/browser-state.js';
import { createBrowserSession } from '../source/browser/session.js';
import { readSnapshot } from '../source/browser/snapshot.js';
import { handRevision, makeProjectDir } from './support/cli.js';
import type { Database } from '../source/db/database.js';
import { freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';

// The WHERE on the third line decides which rows change; the CASE on one long line decides to what.
const UPDATE = ['UPDATE accounts', '   SET plan = upper(plan)', " WHERE plan IN ('free', 'trial')"].join('\\n');
const LONG = `UPDATE accounts SET plan = CASE WHEN plan = 'FREE' THEN 'starter-free-tier-for-small-teams' WHEN plan = 'TRIAL' THEN 'evaluation-period-ending-soon' ELSE plan END`;

async function frame(app: ReturnType<typeof render>, text: string, timeout = 15000): Promise<string> {
  const started = Date.now();
  while (!(app.lastFrame() ?? '').includes(text)) {
    if (Date.now() - started > timeout) throw new Error(`not in the frame: ${text}\n${app.lastFrame()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return app.lastFrame() ?? '';
}

/** The browser open on a history of one revision, aaaaaaaaaaaa, with these bodies; its list drawn. */
async function browseOne(db: Database, upgrade: string, downgrade: string): Promise<ReturnType<typeof render>> {
  const versions = join(makeProjectDir({}), 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  writeFileSync(join(versions, '20261201_120000_aaaaaaaaaaaa_plans.ts'), handRevision('aaaaaaaaaaaa', null, upgrade, downgrade));
  const snapshot = await readSnapshot(db, versions);
  const app = render(<Browser session={createBrowserSession(db, versions, snapshot)} initial={initialState(snapshot)} />);
  await frame(app, 'rev aaaaaaaaaaaa');
  return app;
}

let fresh: FreshDatabase | null = null;
afterEach(async () => {
  await fresh?.dispose();
  fresh = null;
});

describe('the browser applying a revision', () => {
  it('logs each statement whole: every line, long lines wrapped, the time after the last line', async () => {
    fresh = await freshDatabase('server');
    const db = fresh.db;
    await db.query(`CREATE TABLE accounts (id int PRIMARY KEY, plan text NOT NULL)`);
    await db.query(`INSERT INTO accounts VALUES (1, 'free'), (2, 'trial'), (3, 'pro')`);
    const app = await browseOne(db, `await op.execute("${UPDATE}"); await op.execute("${LONG}");`, `await op.execute("UPDATE accounts SET plan = lower(plan)");`);
    app.stdin.write('g');
    app.stdin.write('u');
    await frame(app, 'Migrate up to');
    app.stdin.write('y');
    const done = await frame(app, 'Migrated: the database is now at aaaaaaaaaaaa');
    const lines = done.split('\n').map((l) => l.trimEnd());
    // Every line of the multi-line statement, in order, the time only after the last.
    const at = lines.findIndex((l) => l === '  UPDATE accounts');
    expect(at, done).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toBe('     SET plan = upper(plan)');
    expect(lines[at + 2]).toMatch(/^ {3}WHERE plan IN \('free', 'trial'\) {2}\(\d+\.\d ms\)$/);
    // The long statement, wrapped at the window's 100 columns: joined back, it is all there
    // (compared without blanks: a row that ends at a blank is shown without it).
    const end = lines.findIndex((l, i) => i > at + 3 && l.includes('done in'));
    expect(end - (at + 3), done).toBeGreaterThan(1);
    const long = lines.slice(at + 3, end).join('').replace(/\s+/g, '');
    expect(long).toMatch(new RegExp(`^${LONG.replace(/\s+/g, '').replace(/[()*.?]/g, '\\$&')}\\(\\d+\\.\\dms\\)$`));
    expect(lines.slice(at + 3).every((l) => l.length <= 100)).toBe(true);
    expect((await db.query<{ plan: string }>('SELECT plan FROM accounts ORDER BY id')).map((r) => r.plan)).toEqual([
      'starter-free-tier-for-small-teams',
      'evaluation-period-ending-soon',
      'pro',
    ]);
    app.unmount();
  }, 60_000);

  it("shows a revision's SQL whole in its details: a statement wider than the window is wrapped, not cut", async () => {
    fresh = await freshDatabase('server');
    const db = fresh.db;
    const app = await browseOne(db, `await op.execute("${LONG}");`, '');
    app.stdin.write('g');
    app.stdin.write('\r');
    await frame(app, 'downgrade');
    app.stdin.write('\t');
    const sql = await frame(app, '-- upgrade');
    const lines = sql.split('\n').map((l) => l.trimEnd());
    const at = lines.findIndex((l) => l.startsWith('  UPDATE accounts SET plan = CASE'));
    const end = lines.findIndex((l) => l.startsWith('-- downgrade'));
    expect(at, sql).toBeGreaterThanOrEqual(0);
    // Joined back (blanks aside: a row ending at one shows without it), the statement is all there.
    expect(lines.slice(at, end).join('').replace(/\s+/g, '')).toBe(`${LONG.replace(/\s+/g, '')};`);
    expect(lines.every((l) => l.length <= 100)).toBe(true);
    expect(lines.slice(at, end).join('')).not.toContain('…');
    app.unmount();
  }, 60_000);
});
