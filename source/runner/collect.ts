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

export async function collectOperations(rev: RevisionFile, direction: Direction): Promise<Operation[]> {
  const ops: Operation[] = [];
  const op = new Operations((o) => {
    ops.push(o);
  });
  try {
    await rev[direction](op);
  } catch (e) {
    throw new UserError(`revision ${rev.id} failed in ${direction}(): ${(e as Error).message}`, { hint: `see ${rev.file}` });
  }
  return ops;
}

export interface Statement {
  readonly sql: string;
  readonly op: Operation;
}

export function statementsOf(ops: readonly Operation[]): Statement[] {
  return ops.flatMap((op) => operationToSql(op).map((sql) => ({ sql, op })));
}
