/**
 * A fresh, empty database per test (or per file) on either engine: a new
 * database on the shared test server (see global-setup.ts), or a new PGlite
 * in its own temp directory. `dispose` closes it and throws it away.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openEmbedded, openServer } from '../../source/db/connect.js';
import type { Database } from '../../source/db/database.js';
import type {} from './global-setup.js'; // the `pgAdminUrl` type for inject()

export type Engine = 'server' | 'embedded';
/**
 * The engines the suites run on: both, unless FASTEDGY_TEST_ENGINES names
 * some (`server` for the per-version runs of scripts/test-versions.js, which
 * then define no embedded test at all rather than skip them).
 */
export const engines: readonly Engine[] = (process.env.FASTEDGY_TEST_ENGINES ?? 'server,embedded')
  .split(',')
  .map((e) => e.trim())
  .filter((e): e is Engine => e === 'server' || e === 'embedded');

export interface FreshDatabase {
  readonly db: Database;
  /** The server database's URL (with its password), null on 'embedded'. */
  readonly url: string | null;
  /** The PGlite data directory, null on 'server'. */
  readonly dataDir: string | null;
  dispose(): Promise<void>;
}

/** The shared test server's superuser URL. */
export function adminUrl(): string {
  return inject('pgAdminUrl');
}

/** `url` pointing at another database on the same server. */
export function withDatabaseName(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(database);
  return u.toString();
}

/** Runs statements as the superuser on the test server's maintenance database. */
export async function asAdmin<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

export async function freshDatabase(engine: Engine): Promise<FreshDatabase> {
  return engine === 'server' ? freshServerDatabase() : freshEmbeddedDatabase();
}

async function freshServerDatabase(): Promise<FreshDatabase> {
  // Unique across the parallel test workers and across runs on a shared server.
  const name = `fastedgy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await asAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = withDatabaseName(adminUrl(), name);
  const db = await openServer(url);
  return {
    db,
    url,
    dataDir: null,
    async dispose() {
      await db.close().catch(() => undefined);
      // FORCE: a CLI subprocess a test started may still hold a connection.
      await asAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function freshEmbeddedDatabase(): Promise<FreshDatabase> {
  // A real directory (not memory://), so a CLI subprocess can open it once the test closes `db`.
  const dataDir = mkdtempSync(join(tmpdir(), 'fastedgy-embedded-'));
  const db = await openEmbedded(dataDir);
  return {
    db,
    url: null,
    dataDir,
    async dispose() {
      await db.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
