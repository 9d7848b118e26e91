/**
 * The words of each rule: what the statement does to a big table (risk) and
 * the safer way to the same result, shared by the operation and the raw SQL
 * forms of a rule.
 */
import type { Finding } from './rules.js';

type Advice = Pick<Finding, 'risk' | 'safer'>;

export const BLOCKS_ALL = 'under an ACCESS EXCLUSIVE lock (every read and write of the table waits)';
export const NON_TRANSACTIONAL = 'in a revision with `export const transactional = false`';

export const advice = {
  createIndex: (table: string, viaOp: boolean): Advice => ({
    risk: `builds the index while every write to ${table} waits, for as long as reading the whole table takes`,
    safer: viaOp
      ? `use op.createIndex({ …, concurrently: true }) ${NON_TRANSACTIONAL}`
      : `use CREATE INDEX CONCURRENTLY ${NON_TRANSACTIONAL}`,
  }),
  // ADD CONSTRAINT … UNIQUE is an ALTER TABLE: ACCESS EXCLUSIVE, so reads wait as well as writes.
  addUnique: (table: string, name: string): Advice => ({
    risk: `builds a unique index ${BLOCKS_ALL.replace('the table', table)}, for as long as reading the whole table takes`,
    safer:
      `build the index first with op.execute('CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (…)') ${NON_TRANSACTIONAL}, ` +
      `then op.execute('ALTER TABLE ${table} ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name}')`,
  }),
  volatileDefault: (table: string, what: string): Advice => ({
    risk: `${what}, so PostgreSQL computes a value for every existing row and rewrites ${table} ${BLOCKS_ALL}`,
    safer: 'add the column without that default (NULL or a constant costs nothing), set the default in a second step, then fill the existing rows in batches',
  }),
  typeRewrite: (table: string, change: string): Advice => ({
    risk: `${change} rewrites ${table} and rebuilds its indexes ${BLOCKS_ALL}`,
    safer: 'add a new column of the new type, fill it in batches (a trigger keeps it in step meanwhile), and switch to it in a later revision',
  }),
  enumRebuild: (table: string, type: string): Advice => ({
    risk: `removing a value from enum ${type} converts ${table}'s column to a new type, which rewrites ${table} and rebuilds its indexes ${BLOCKS_ALL}`,
    safer: `keep the value in the type and stop using it (a CHECK constraint, added NOT VALID then validated, can refuse it), or move to a new column filled in batches`,
  }),
  setNotNull: (table: string, column: string): Advice => {
    const check = `${table}_${column}_not_null`;
    return {
      risk: `SET NOT NULL reads every row of ${table} ${BLOCKS_ALL}`,
      safer:
        `first op.execute('ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${column} IS NOT NULL) NOT VALID'), ` +
        `then in a later revision (or one with \`export const transactional = false\`) op.execute('ALTER TABLE ${table} VALIDATE CONSTRAINT ${check}') (that scan lets reads and writes go on); ` +
        `SET NOT NULL then trusts the check (PostgreSQL 12+) and the check can be dropped; ` +
        `or let fastedgy do it: op.alterColumn making the column NOT NULL takes these steps by itself on a big table`,
    };
  },
  constraint: (table: string, what: 'foreign key' | 'CHECK', viaOp: boolean): Advice => ({
    risk:
      what === 'foreign key'
        ? `checks every existing row of ${table} while writes to ${table} and to the referenced table wait`
        : `checks every existing row of ${table} ${BLOCKS_ALL}`,
    safer:
      (viaOp ? `add it with op.execute('ALTER TABLE ${table} ADD CONSTRAINT … FOREIGN KEY … NOT VALID')` : 'add it with NOT VALID') +
      `, then op.execute('ALTER TABLE ${table} VALIDATE CONSTRAINT …') in a later revision (or one with \`export const transactional = false\`); validating lets reads and writes go on`,
  }),
  columnReferences: (table: string): Advice => ({
    risk: `a column added with REFERENCES gets its foreign key in the same ALTER TABLE, which locks ${table} and the referenced table against writes while every row is checked`,
    safer: `add the column without REFERENCES, then ALTER TABLE ${table} ADD CONSTRAINT … FOREIGN KEY … NOT VALID, and VALIDATE CONSTRAINT in a later revision`,
  }),
  validateInTransaction: (table: string, constraint: string): Advice => ({
    risk: `${constraint} was added NOT VALID in the same transaction, which took an ACCESS EXCLUSIVE lock on ${table} that is held until COMMIT: the VALIDATE scan runs under it, so every read and write of ${table} waits as if NOT VALID had not been used`,
    safer: `VALIDATE CONSTRAINT ${constraint} in a later revision, or make this revision \`export const transactional = false\` so the ADD commits first`,
  }),
  cannotRunInTransaction: (what: string): Advice => ({
    risk: `${what} cannot run inside a transaction block: PostgreSQL refuses it and the revision fails`,
    safer: `move it to its own revision with \`export const transactional = false\``,
  }),
  dropIndex: (name: string, viaOp: boolean): Advice => ({
    risk: `DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table: it waits for every running query on it, and meanwhile every new read and write queues behind it`,
    safer: viaOp
      ? `use op.dropIndex({ …, concurrently: true }) ${NON_TRANSACTIONAL}`
      : `use DROP INDEX CONCURRENTLY ${name} ${NON_TRANSACTIONAL}`,
  }),
  reindex: (target: string): Advice => ({
    risk: `REINDEX rebuilds ${target} while writes to the table wait, and locks the index itself against reads (ACCESS EXCLUSIVE), for as long as reading the whole table takes`,
    safer: `use REINDEX … CONCURRENTLY (PostgreSQL 12+) ${NON_TRANSACTIONAL}`,
  }),
  addColumnNotNull: (table: string, column: string): Advice => ({
    risk: `a NOT NULL column without a default cannot be added to ${table} once it has rows: the revision fails there`,
    safer: `give ${column} a default (a constant costs nothing), or declare it in the models and let makemigrations ask for a backfill`,
  }),
  rewriteTable: (what: string, table: string): Advice => ({
    risk: `${what} rewrites ${table} ${BLOCKS_ALL}, for as long as copying the whole table takes`,
    safer: 'run it outside migrations at a quiet time, or use an online tool (pg_repack) that holds the exclusive lock only briefly',
  }),
  lockTable: (table: string, mode: string): Advice => ({
    risk: `LOCK TABLE ${table} IN ${mode} MODE holds that lock until the revision commits, and every statement after it in the revision runs while ${table} is locked`,
    safer: 'drop the explicit lock: each statement takes the lock it needs; if the order of statements matters, keep the revision short and set a lock_timeout',
  }),
  wholeTableUpdate: (table: string): Advice => ({
    risk: `an UPDATE without WHERE locks every row of ${table} until the revision commits (with the ALTERs before it still holding their locks), so every write to a row waits`,
    safer: `update in batches of rows (by key ranges), each committed, in a revision with \`export const transactional = false\`; or declare the column in the models and let makemigrations backfill it (it batches big tables)`,
  }),
};
