/**
 * The version tables in the target database. `fastedgy_version` holds the
 * current heads (as Alembic's alembic_version does); `fastedgy_revisions`
 * holds every applied revision with the checksum of its file and when it
 * was applied, so an edited applied revision is noticed before anything runs.
 */
import type { Database } from '../db/database.js';

export const VERSION_TABLE = 'fastedgy_version';
export const REVISIONS_TABLE = 'fastedgy_revisions';

export const CREATE_VERSION_TABLES = [
  `CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (version_num varchar(64) NOT NULL PRIMARY KEY)`,
  `CREATE TABLE IF NOT EXISTS ${REVISIONS_TABLE} (revision varchar(64) NOT NULL PRIMARY KEY, checksum text NOT NULL, message text, applied_at timestamptz NOT NULL DEFAULT now())`,
];

export interface AppliedRevision {
  readonly revision: string;
  readonly checksum: string;
  readonly message: string | null;
  readonly appliedAt: Date;
}

export interface VersionState {
  readonly heads: string[];
  readonly applied: Map<string, AppliedRevision>;
}

export async function versionTablesExist(db: Database): Promise<boolean> {
  const rows = await db.query<{ v: string | null }>(`SELECT to_regclass('public.${VERSION_TABLE}')::text AS v`);
  return rows[0]?.v != null;
}

export async function ensureVersionTables(db: Database): Promise<void> {
  // Constant DDL of fastedgy's own: one round trip for both.
  await db.query(CREATE_VERSION_TABLES.join('; '));
}

export async function readVersionState(db: Database): Promise<VersionState> {
  if (!(await versionTablesExist(db))) return { heads: [], applied: new Map() };
  const heads = (await db.query<{ version_num: string }>(`SELECT version_num FROM ${VERSION_TABLE} ORDER BY version_num`)).map((r) => r.version_num);
  const hasRevisions = (await db.query<{ v: string | null }>(`SELECT to_regclass('public.${REVISIONS_TABLE}')::text AS v`))[0]?.v != null;
  const applied = new Map<string, AppliedRevision>();
  if (hasRevisions) {
    const rows = await db.query<{ revision: string; checksum: string; message: string | null; applied_at: Date }>(
      `SELECT revision, checksum, message, applied_at FROM ${REVISIONS_TABLE} ORDER BY applied_at, revision`,
    );
    for (const r of rows)
      applied.set(r.revision, { revision: r.revision, checksum: r.checksum, message: r.message, appliedAt: new Date(r.applied_at) });
  }
  return { heads, applied };
}

/**
 * Statements that record the new heads and the revision that moved them, as
 * `--sql` prints them (one plain statement each; `recordQuery` is what the
 * runner sends).
 */
export function recordStatements(
  heads: readonly string[],
  change: { applied?: { revision: string; checksum: string; message: string }; unapplied?: string },
): { sql: string; params: unknown[] }[] {
  const out: { sql: string; params: unknown[] }[] = [{ sql: `DELETE FROM ${VERSION_TABLE}`, params: [] }];
  for (const h of heads) out.push({ sql: `INSERT INTO ${VERSION_TABLE} (version_num) VALUES ($1)`, params: [h] });
  if (change.applied)
    out.push({
      sql: `INSERT INTO ${REVISIONS_TABLE} (revision, checksum, message) VALUES ($1, $2, $3) ON CONFLICT (revision) DO UPDATE SET checksum = EXCLUDED.checksum, message = EXCLUDED.message, applied_at = now()`,
      params: [change.applied.revision, change.applied.checksum, change.applied.message],
    });
  if (change.unapplied) out.push({ sql: `DELETE FROM ${REVISIONS_TABLE} WHERE revision = $1`, params: [change.unapplied] });
  return out;
}

/**
 * The same change as `recordStatements`, as one parameterised statement, so
 * the runner spends one round trip on it instead of three or more per
 * revision. The heads not kept are deleted and the new ones inserted
 * (ON CONFLICT DO NOTHING for those already there): the two sets are
 * disjoint, so the table ends holding exactly `heads`, as after the
 * DELETE-all and INSERTs. The values (a revision's message is the user's
 * text) stay bound parameters, never spliced into the SQL.
 */
export function recordQuery(
  heads: readonly string[],
  change: { applied?: { revision: string; checksum: string; message: string }; unapplied?: string },
): { sql: string; params: unknown[] }[] {
  const parts = [
    `heads AS (SELECT unnest($1::text[]) AS h)`,
    `gone AS (DELETE FROM ${VERSION_TABLE} WHERE version_num NOT IN (SELECT h FROM heads))`,
    `kept AS (INSERT INTO ${VERSION_TABLE} (version_num) SELECT h FROM heads ON CONFLICT (version_num) DO NOTHING)`,
  ];
  const params: unknown[] = [[...heads]];
  let last = 'SELECT 1';
  if (change.unapplied) {
    params.push(change.unapplied);
    parts.push(`unapplied AS (DELETE FROM ${REVISIONS_TABLE} WHERE revision = $${params.length})`);
  }
  if (change.applied) {
    params.push(change.applied.revision, change.applied.checksum, change.applied.message);
    const n = params.length;
    last =
      `INSERT INTO ${REVISIONS_TABLE} (revision, checksum, message) VALUES ($${n - 2}, $${n - 1}, $${n}) ` +
      'ON CONFLICT (revision) DO UPDATE SET checksum = EXCLUDED.checksum, message = EXCLUDED.message, applied_at = now()';
  }
  return [{ sql: `WITH ${parts.join(', ')} ${last}`, params }];
}
