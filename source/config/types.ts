/** The config file a project has (SPEC §3): `fastedgy.config.ts` and friends. */
export interface DatabaseConfig {
  /** A postgres:// URL; absent for the embedded database. */
  readonly url?: string;
  readonly models: string | readonly string[];
}

export interface FastedgyConfig {
  /** A module, or several, relative to the config file. */
  readonly models?: string | readonly string[];
  /** The migrations directory, relative to the config file. Default `./migrations`. */
  readonly migrations?: string;
  /** Absent: the embedded database under `.fastedgy/`. */
  readonly databaseUrl?: string;
  /** Several databases (multi-database projects). */
  readonly databases?: Readonly<Record<string, DatabaseConfig>>;
  /**
   * Seconds a migration statement may wait for a lock (default 5; 0: no
   * limit). A waiting ALTER TABLE queues every other query on the table, so
   * the revision gives up, rolls back, and is tried again a little later.
   */
  readonly lockTimeout?: number;
  /** How many times a revision is tried when it meets the lock timeout (default 5). */
  readonly lockAttempts?: number;
  /** Seconds a migration statement may run (default: no limit). */
  readonly statementTimeout?: number;
}

export function defineConfig(config: FastedgyConfig): FastedgyConfig {
  return config;
}
