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
  /** Seconds a statement may wait for a lock before the revision gives up. */
  readonly lockTimeout?: number;
  readonly statementTimeout?: number;
}

export function defineConfig(config: FastedgyConfig): FastedgyConfig {
  return config;
}
