/**
 * One description of a database schema, used for both sides of a comparison:
 * the models compile to it and the live database is introspected into it.
 * Plain readonly data, so the diff runs without a connection.
 *
 * Conventions (both producers must follow them, or a freshly migrated
 * database would not diff as empty):
 * - Only the `public` schema is described; names are stored unquoted.
 * - `Column.type` is the type as PostgreSQL's `format_type()` prints it
 *   (`character varying(100)`, `timestamp with time zone`, `integer[]`,
 *   `vector(1536)`), except for enum columns, where it is the bare enum type
 *   name (plus `[]` for an array of the enum) and `enumType` names the enum.
 * - `Column.default` is SQL text; the diff compares it through
 *   `normalizeDefault`, which strips the casts PostgreSQL adds.
 * - Tables, columns, enums, views are kept in a stable order (tables and
 *   views by name, columns by position, enum values by sort order).
 */

export interface Schema {
  readonly extensions: readonly string[];
  readonly enums: readonly EnumType[];
  readonly tables: readonly Table[];
  readonly views: readonly View[];
}

export interface EnumType {
  readonly name: string;
  readonly values: readonly string[];
}

export type Identity = 'always' | 'by default';

export interface Column {
  readonly name: string;
  readonly type: string;
  /** The enum type this column (or, for `x[]`, its elements) uses. */
  readonly enumType?: string | null;
  readonly nullable: boolean;
  readonly default: string | null;
  readonly identity?: Identity | null;
  /**
   * The identity sequence's name, present only when it is not the name
   * PostgreSQL gives a new table's (`identitySequenceName`): a table or column
   * renamed by hand, or by a revision written before renames renamed it, keeps
   * its old sequence name, and a fresh database would not.
   */
  readonly sequence?: string;
  /** A stored generated column's expression (present only on such a column; `default` is then null). */
  readonly generated?: string;
  readonly comment?: string | null;
}

export interface PrimaryKey {
  readonly name: string;
  readonly columns: readonly string[];
}

/** `DEFERRABLE INITIALLY IMMEDIATE` / `DEFERRABLE INITIALLY DEFERRED`; absent when not deferrable. */
export type Deferrable = 'immediate' | 'deferred';

export interface UniqueConstraint {
  readonly name: string;
  readonly columns: readonly string[];
  /** Present (true) only on a `NULLS NOT DISTINCT` constraint (PostgreSQL 15+). */
  readonly nullsNotDistinct?: boolean;
  /** Present only on a deferrable constraint. */
  readonly deferrable?: Deferrable;
}

export type IndexMethod = 'btree' | 'hash' | 'gin' | 'gist' | 'brin' | 'hnsw' | 'ivfflat' | 'spgist';

export interface Index {
  readonly name: string;
  /** Column names (or parenthesised expressions). */
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly using: IndexMethod;
  /** One operator class per column, `null` for the default one. */
  readonly opclasses?: readonly (string | null)[];
  /** Storage parameters (`WITH (m = 16)`), values as text. */
  readonly with?: Readonly<Record<string, string>>;
  readonly where?: string | null;
  /** Present (true) only on a unique `NULLS NOT DISTINCT` index (PostgreSQL 15+). */
  readonly nullsNotDistinct?: boolean;
}

export type ReferentialAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
  /** Present only on a deferrable foreign key. */
  readonly deferrable?: Deferrable;
}

export interface Check {
  readonly name: string;
  /** The boolean expression; introspection gives `pg_get_constraintdef()` (`CHECK (…)`), models the bare expression. */
  readonly expression: string;
}

export interface Table {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly primaryKey: PrimaryKey | null;
  readonly uniques: readonly UniqueConstraint[];
  readonly indexes: readonly Index[];
  readonly foreignKeys: readonly ForeignKey[];
  readonly checks: readonly Check[];
  readonly comment?: string | null;
}

export interface ViewColumnRef {
  readonly table: string;
  readonly column: string;
}

export interface View {
  readonly name: string;
  /** The SQL the view is created from. */
  readonly sql: string;
  /**
   * The text compared by the diff: `pg_get_viewdef()` of the view, and for a
   * model view the same function applied to its SQL when the database could
   * parse it (see `canonicalizeViews`), else the SQL itself. Absent in
   * revision files, where it would only repeat `sql`.
   */
  readonly definition?: string;
  /** Columns the view reads (from the database's dependency catalog). */
  readonly dependsOn?: readonly ViewColumnRef[];
}

export const emptySchema: Schema = Object.freeze({ extensions: [], enums: [], tables: [], views: [] });
