/**
 * Opening a `Database`: a PostgreSQL server through `pg`, or the embedded
 * database (PGlite, with pgvector) wrapped as a `pg.Client` so both run the
 * same code. Connection failures become one `UserError` with a hint; no
 * message or label ever carries the password.
 */
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from './database.js';
import { UserError } from '../errors.js';
import { quoteIdent } from '../util/sql-text.js';
import { checkDatabaseUrl, redactUrl, redactUrlsIn } from './database-url.js';

export { redactUrl } from './database-url.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** A `pg.Client` (on a server or on PGlite) as the core's `Database`. */
function wrapClient(client: pg.Client, kind: Database['kind'], label: string, onClose: () => Promise<void>): Database {
  // An idle client whose server goes away emits 'error'; unhandled, that
  // would crash the process. The next query fails with its own error instead.
  client.on('error', () => undefined);
  let closed = false;
  return {
    kind,
    label,
    async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
      // Rethrown as-is, so callers keep pg's `.code`, `.message` and `.position`.
      const result = (await client.query(sql, params ? [...params] : undefined)) as pg.QueryResult | pg.QueryResult[];
      // Several statements in one string come back as one result each: the last one's rows.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return (last?.rows ?? []) as T[];
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        await client.end();
      } finally {
        await onClose();
      }
    },
  };
}

interface ServerTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

function newClient(url: string, database?: string): { client: pg.Client; target: ServerTarget } {
  checkDatabaseUrl(url);
  let connectionString = url;
  if (database !== undefined) {
    // pg lets the connection string win over a `database` option: put it in the URL.
    const u = new URL(url);
    u.pathname = '/' + encodeURIComponent(database);
    u.searchParams.delete('dbname');
    connectionString = u.toString();
  }
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'fastedgy' });
  } catch (e) {
    throw new UserError(`invalid database URL ${redactUrl(url)}: ${redactUrlsIn(String((e as Error).message), [url, connectionString])}`, {
      hint: 'expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE (URL-encode special characters)',
    });
  }
  fixDatabaseName(client, connectionString);
  // pg has parsed the URL (percent-decoding user and password).
  const target = { host: client.host, port: client.port, user: client.user ?? '', database: client.database ?? '' };
  return { client, target };
}

/**
 * pg decodes the database name with decodeURI, which leaves `%2F`, `%40`,
 * `%3F`, `%23`… as typed; a user who URL-encodes a database name means the
 * decoded one. pg reads the name from its parsed parameters when it sends
 * the startup message, so that is where the corrected one goes.
 */
function fixDatabaseName(client: pg.Client, url: string): void {
  let wanted: string;
  try {
    const path = new URL(url).pathname.slice(1);
    if (path === '') return;
    wanted = decodeURIComponent(path);
  } catch {
    return;
  }
  const internal = client as unknown as { database?: string; connectionParameters?: { database?: string } };
  if (internal.database === wanted || !internal.connectionParameters) return;
  internal.connectionParameters.database = wanted;
  internal.database = wanted;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ENOENT']);

/** A connection failure as the one message a user needs. */
function connectError(e: unknown, url: string, t: ServerTarget): UserError {
  const err = e as { code?: string; message?: string };
  const where = t.host.startsWith('/') ? `${t.host} (port ${t.port})` : `${t.host}:${t.port}`;
  const msg = String(err.message ?? e);
  // A server's refusal has a five-character SQLSTATE; only without one does
  // the message text say what went wrong (pg's timeout, a socket closed before
  // the server answered, SASL without a password).
  const sqlstate = typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) ? err.code : undefined;
  if ((err.code && UNREACHABLE.has(err.code)) || (!sqlstate && /timeout|timed out|terminated unexpectedly/i.test(msg))) {
    return new UserError(`cannot reach the database server at ${where}`, {
      hint: 'check that PostgreSQL is running there and that the host and port in the database URL are right',
      cause: e,
    });
  }
  if (err.code === '3D000') {
    return new UserError(`the database "${t.database}" does not exist on ${where}`, {
      hint: 'run `fastedgy db createdb` to create it',
      cause: e,
    });
  }
  if (sqlstate === '28P01' || sqlstate === '28000' || (!sqlstate && /SASL|password/i.test(msg))) {
    return new UserError(`authentication failed for user "${t.user}" on ${where}`, {
      hint: 'check the user name and password in the database URL (URL-encode special characters)',
      cause: e,
    });
  }
  // The server never echoes a password; a URL in a driver's message is shown as any URL is.
  return new UserError(`cannot connect to ${redactUrl(url)}: ${redactUrlsIn(msg, [url])}`, { cause: e });
}

async function connectClient(url: string, database?: string): Promise<pg.Client> {
  const { client, target } = newClient(url, database);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw connectError(e, url, target);
  }
  return client;
}

/** A PostgreSQL server at `url`. */
export async function openServer(url: string): Promise<Database> {
  const client = await connectClient(url);
  return wrapClient(client, 'server', redactUrl(url), async () => undefined);
}

/**
 * Creates the database the URL names, from the server's `postgres`
 * maintenance database (or `template1` where that was dropped).
 */
export async function createServerDatabase(url: string): Promise<'created' | 'exists'> {
  const { target } = newClient(url);
  let client: pg.Client;
  try {
    client = await connectClient(url, 'postgres');
  } catch (e) {
    if (!(e instanceof UserError && (e.cause as { code?: string } | undefined)?.code === '3D000')) throw e;
    client = await connectClient(url, 'template1');
  }
  client.on('error', () => undefined);
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [target.database]);
    if (found.rowCount) return 'exists';
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(target.database)}`);
    } catch (e) {
      if ((e as { code?: string }).code === '42P04') return 'exists'; // created meanwhile
      if ((e as { code?: string }).code === '42501') {
        throw new UserError(`user "${target.user}" may not create the database "${target.database}"`, {
          hint: 'create it as a superuser, or grant CREATEDB to that user',
          cause: e,
        });
      }
      throw e;
    }
    return 'created';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The embedded database in `dataDir` (created on first use; `memory://` for
 * a throwaway one), with pgvector available to `CREATE EXTENSION vector`.
 */
export async function openEmbedded(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  // PGlite is a large module: a command on a server never loads it.
  const [{ PGlite }, { createPgConfig }, { vector }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/node-postgres'),
    import('@electric-sql/pglite-pgvector'),
  ]);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir, { extensions: { vector } });
  } catch (e) {
    throw new UserError(`cannot open the embedded database at ${dataDir}: ${(e as Error).message ?? e}`, {
      hint: 'another fastedgy process may be using it, or it was written by another PGlite version',
      cause: e,
    });
  }
  // PGlite's node-postgres adapter stands in for the socket; pg's types do not know its `connection` option.
  const client = new pg.Client(createPgConfig(pglite) as unknown as pg.ClientConfig);
  try {
    await client.connect();
  } catch (e) {
    await pglite.close().catch(() => undefined);
    throw e;
  }
  return wrapClient(client, 'embedded', dataDir, () => pglite.close());
}
