/**
 * The one way the core talks to PostgreSQL. A real server and the embedded
 * database (PGlite) both come in as a `pg.Client`, so every query goes
 * through the same code; the core takes a `Database` as an argument.
 */
export interface Database {
  /** Runs one statement (or, without params, several separated by `;`) and returns the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** 'server' for a PostgreSQL server, 'embedded' for PGlite. */
  readonly kind: 'server' | 'embedded';
  /** Where it is, for messages: a URL without its password, or the data directory. */
  readonly label: string;
}
