/**
 * Running a revision's upgrade() or downgrade() against a recording `op`:
 * the operations it declares, and the SQL they become. The same recording
 * serves applying, `--sql` output, `show` and the browser.
 */
import { UserError } from '../errors.js';
import { Operations } from '../ops/api.js';
import { operationToSql } from '../ops/sql.js';
import type { Operation } from '../ops/types.js';
import type { RevisionFile } from '../revisions/files.js';

export type Direction = 'upgrade' | 'downgrade';

/** `database`: which section of a multi-database revision (see RevisionFile.upgrade). */
export async function collectOperations(rev: RevisionFile, direction: Direction, database?: string): Promise<Operation[]> {
  const ops: Operation[] = [];
  const op = new Operations((o) => {
    ops.push(o);
  });
  try {
    await rev[direction](op, database);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`revision ${rev.id} failed in ${direction}(): ${(e as Error).message}`, { hint: `see ${rev.file}` });
  }
  return ops;
}

export interface Statement {
  readonly sql: string;
  readonly op: Operation;
  /** A dry run lists it without running it, for this reason (runner/dry-run.ts). */
  readonly notRun?: string;
}

export function statementsOf(ops: readonly Operation[]): Statement[] {
  return ops.flatMap((op) => operationToSql(op).map((sql) => ({ sql, op })));
}

/** Which database of a multi-database project, and the first one (where one-function revisions run). */
export interface DatabaseRef {
  readonly database: string;
  readonly primary: string;
}

/**
 * A revision's operations for one database of a multi-database project: its
 * section there (none: nothing), or — for a one-function revision (a merge,
 * a revision written before the project had several databases) — its
 * operations on the first database only. Without `ref`, a single-database
 * project.
 */
export async function collectFor(rev: RevisionFile, direction: Direction, ref?: DatabaseRef): Promise<Operation[]> {
  if (!ref) return collectOperations(rev, direction);
  const sections = await rev.sections();
  if (sections === null) return ref.database === ref.primary ? collectOperations(rev, direction) : [];
  return sections.includes(ref.database) ? collectOperations(rev, direction, ref.database) : [];
}
