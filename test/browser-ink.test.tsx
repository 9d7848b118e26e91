/**
 * The revision browser as whole flows on a real database (keys in, frames
 * and database state out): move, look at a revision, downgrade two
 * revisions with the data at stake shown, upgrade back, a failing revision,
 * and another process holding the migration lock.
 */
import { render } from 'ink-testing-library';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { Browser } from '../source/browser/browser.js';
import { initialState } from '../source/browser/browser-state.js';
import { createBrowserSession } from '../source/browser/session.js';
import { readSnapshot } from '../source/browser/snapshot.js';
import type { Database } from '../source/db/database.js';
import { FAILING, HISTORY, projectWith } from './support/browser-history.js';
import { engines, freshDatabase } from './support/databases.js';
import type { FreshDatabase } from './support/databases.js';

const DOWN = '\u001b[B';
const UP = '\u001b[A';
const ENTER = '\r';
const TAB = '\t';

async function frame(app: ReturnType<typeof render>, text: string | RegExp, timeout = 15000): Promise<string> {
  const started = Date.now();
  const has = (f: string) => (typeof text === 'string' ? f.includes(text) : text.test(f));
  while (!has(app.lastFrame() ?? '')) {
    if (Date.now() - started > timeout) throw new Error(`not in the frame: ${text}\n${app.lastFrame()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return app.lastFrame() ?? '';
}

async function heads(db: Database): Promise<string[]> {
  return (await db.query<{ version_num: string }>('SELECT version_num FROM fastedgy_version')).map((r) => r.version_num);
}

async function tableExists(db: Database, name: string): Promise<boolean> {
  return (await db.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [name]))[0].t !== null;
}

async function open(db: Database, versionsDir: string) {
  const snapshot = await readSnapshot(db, versionsDir);
  const app = render(<Browser session={createBrowserSession(db, versionsDir, snapshot)} initial={initialState(snapshot)} />);
  return app;
}

/** Applies the whole history through the browser itself: `g` (newest), `u`, `y`. */
async function migrateToTop(app: ReturnType<typeof render>): Promise<void> {
  app.stdin.write('g');
  app.stdin.write('u');
  await frame(app, 'Migrate up to');
  app.stdin.write('y');
  await frame(app, /Migrated: the database is now at/);
  app.stdin.write(ENTER);
  await frame(app, 'enter details');
}

let fresh: FreshDatabase | null = null;
afterEach(async () => {
  await fresh?.dispose();
  fresh = null;
});

describe.each(engines)('the browser on %s', (engine) => {
  it('moves, shows a revision, downgrades two revisions with the data at stake, and upgrades back', async () => {
    fresh = await freshDatabase(engine);
    const db = fresh.db;
    const dir = projectWith(HISTORY);
    const app = await open(db, dir);
    const first = await frame(app, 'create posts');
    expect(first).toMatch(/<base>.*current/);
    expect(first).toContain('3 pending');
    await migrateToTop(app);
    expect(await heads(db)).toEqual(['cccccccccccc']);
    await db.query(`INSERT INTO users (id, name, karma) VALUES (1, 'Ada', 5), (2, 'Grace', NULL), (3, 'Linus', 7)`);
    await db.query(`INSERT INTO posts (id, title) VALUES (1, 'hello'), (2, 'again')`);

    // The detail of "add karma": operations, SQL, and the schema diff computed from the files.
    app.stdin.write(DOWN);
    app.stdin.write(ENTER);
    await frame(app, 'add column users.karma integer');
    app.stdin.write(TAB);
    await frame(app, 'ALTER TABLE users ADD COLUMN karma integer');
    app.stdin.write(TAB);
    const schema = await frame(app, '+   karma integer');
    expect(schema).toContain('table users');
    app.stdin.write('\u001b');
    await frame(app, 'enter details');

    // Down to "create users": two revisions, and what they destroy, counted live.
    app.stdin.write(DOWN);
    app.stdin.write('d');
    const confirm = await frame(app, 'Data that would be lost');
    expect(confirm).toContain('Unapplies 2 revisions');
    expect(confirm).toContain('table posts: 2 rows');
    expect(confirm).toContain('column users.karma: 2 values');
    app.stdin.write('y');
    const done = await frame(app, /Downgraded: the database is now at aaaaaaaaaaaa/);
    expect(done).toContain('DROP TABLE posts');
    expect(await heads(db)).toEqual(['aaaaaaaaaaaa']);
    expect(await tableExists(db, 'posts')).toBe(false);
    expect(await db.query(`SELECT name FROM users ORDER BY id`)).toEqual([{ name: 'Ada' }, { name: 'Grace' }, { name: 'Linus' }]);

    // And back up to the top.
    app.stdin.write(ENTER);
    await frame(app, /aaaaaaaaaaaa.*current/);
    app.stdin.write(UP);
    app.stdin.write(UP);
    app.stdin.write('u');
    const up = await frame(app, 'Applies 2 revisions');
    expect(up).toContain('create posts');
    app.stdin.write('y');
    await frame(app, /Migrated: the database is now at cccccccccccc/);
    expect(await heads(db)).toEqual(['cccccccccccc']);
    expect(await tableExists(db, 'posts')).toBe(true);
    app.stdin.write('q');
    app.unmount();
  });

  it('a failing revision names itself and the statement, and leaves the database at the last one that completed', async () => {
    fresh = await freshDatabase(engine);
    const db = fresh.db;
    const app = await open(db, projectWith({ ...HISTORY, ...FAILING }));
    await frame(app, 'a failing one');
    app.stdin.write('g');
    app.stdin.write('u');
    await frame(app, 'Applies 4 revisions');
    app.stdin.write('y');
    const failed = await frame(app, /Failed: the database stays at cccccccccccc/);
    expect(failed).toContain('revision dddddddddddd');
    expect(failed).toContain('no_such_table');
    expect(failed).toContain('statement: SELECT * FROM no_such_table');
    expect(await heads(db)).toEqual(['cccccccccccc']);
    expect(await tableExists(db, 'made_before')).toBe(false);
    app.stdin.write(ENTER);
    await frame(app, /cccccccccccc.*current/);
    app.unmount();
  });
});

describe('a revision file that fails to load', () => {
  it('is explained in its details and marked in the list', async () => {
    fresh = await freshDatabase('server');
    const broken = HISTORY['20261201_120200_cccccccccccc_posts.ts'].replace("export const message = 'create posts';", "export const message = 'create posts';\nthrow new Error('this file is broken');");
    const app = await open(fresh.db, projectWith({ ...HISTORY, '20261201_120200_cccccccccccc_posts.ts': broken }));
    await frame(app, 'create posts');
    app.stdin.write('g');
    app.stdin.write(ENTER);
    await frame(app, 'cannot show this revision');
    expect(app.lastFrame()).toContain('this file is broken');
    app.stdin.write('\u001b');
    const list = await frame(app, '! cannot load');
    expect(list).toContain('this file is broken');
    app.unmount();
  });
});

describe('another process holding the migration lock', () => {
  const LOCK_KEY = 0x66617374656467n.toString();

  /**
   * Another session takes the migration lock; the browser, on the same
   * database, is asked to migrate to the top and confirms. Resolves once it
   * says it is waiting for the lock.
   */
  async function upgradeWhileLocked() {
    fresh = await freshDatabase('server');
    const other = new pg.Client({ connectionString: fresh.url! });
    await other.connect();
    await other.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    const app = await open(fresh.db, projectWith(HISTORY));
    await frame(app, 'create posts');
    app.stdin.write('g');
    app.stdin.write('u');
    await frame(app, 'Migrate up to');
    app.stdin.write('y');
    await frame(app, 'holds the migration lock');
    return { db: fresh.db, other, app };
  }

  it('is shown while the browser waits, and the revisions run once it is released', async () => {
    const { db, other, app } = await upgradeWhileLocked();
    try {
      expect(await tableExists(db, 'users')).toBe(false);
      await other.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
      await frame(app, /Migrated: the database is now at cccccccccccc/);
      expect(await db.query(`SELECT count(*)::int AS n FROM fastedgy_revisions`)).toEqual([{ n: 3 }]);
    } finally {
      await other.end();
      app.unmount();
    }
  });

  it('c gives up waiting and nothing runs', async () => {
    const { db, other, app } = await upgradeWhileLocked();
    try {
      app.stdin.write('c');
      await frame(app, 'Cancelled while waiting for the lock: nothing was run.');
      expect(await tableExists(db, 'users')).toBe(false);
    } finally {
      await other.end();
      app.unmount();
    }
  });
});
