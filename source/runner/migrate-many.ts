/**
 * Moving the databases of a multi-database project together. One revision
 * history serves them all; each database has its own version tables and
 * records every revision it has passed, whether or not the revision has a
 * section for it, so "applied" means the same thing everywhere.
 *
 * A revision runs in every database that needs it inside one transaction
 * per database, and the transactions commit only when all sections have
 * run: a failure in one database rolls the others back, so no database is
 * left past a revision another could not take. (Should a COMMIT itself fail
 * after others have committed, those are moved back by running the reverse
 * section.) Non-transactional revisions run database by database; a failure
 * moves back the databases that revision already moved.
 */
import type { Database } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { UserError } from '../errors.js';
import type { RevisionFile } from '../revisions/files.js';
import { collectFor, statementsOf } from './collect.js';
import type { Direction } from './collect.js';
import { withMigrationLock } from './lock.js';
import { historyProblems } from './migrate.js';
import type { Project, RunOptions, StepEvent } from './migrate.js';
import { ensureVersionTables, readVersionState, recordStatements } from './version-table.js';

export interface Member {
  readonly name: string;
  readonly db: Database;
}

export interface ManyEvent extends StepEvent {
  readonly database: string;
}

export interface ManyOptions extends Omit<RunOptions, 'onEvent'> {
  readonly onEvent?: (e: ManyEvent) => void;
  /** The first database: where the one-function revisions (single-database form, merges) run. */
  readonly primary: string;
}

export interface ManyResult {
  readonly ran: readonly RevisionFile[];
  readonly heads: Readonly<Record<string, readonly string[]>>;
}

/** Takes every member's migration lock, in the config's order (so two processes never hold one each). */
async function withLocks<T>(members: readonly Member[], options: ManyOptions, body: () => Promise<T>): Promise<T> {
  const take = (i: number): Promise<T> =>
    i === members.length ? body() : withMigrationLock(members[i].db, () => take(i + 1), { onWait: options.onWait, signal: options.signal });
  return take(0);
}

function parentsText(rev: RevisionFile): string {
  if (rev.downRevision === null) return '<base>';
  return Array.isArray(rev.downRevision) ? rev.downRevision.join(', ') : (rev.downRevision as string);
}

interface Work {
  readonly member: Member;
  readonly statements: ReturnType<typeof statementsOf>;
  readonly record: ReturnType<typeof recordStatements>;
  /** What puts the version tables back as they were before this revision. */
  readonly undoRecord: ReturnType<typeof recordStatements>;
  readonly next: Set<string>;
}

/** Where each database stands, for the message of a failure. */
async function standings(members: readonly Member[]): Promise<string> {
  const lines: string[] = [];
  for (const m of members) {
    const heads = await readVersionState(m.db).then((s) => s.heads, () => null);
    lines.push(`${m.name} is at ${heads === null ? 'an unknown revision (could not read it)' : heads.length ? heads.join(', ') : '<base>'}`);
  }
  return lines.join('; ');
}

export async function moveMany(members: readonly Member[], project: Project, direction: Direction, target: string, options: ManyOptions): Promise<ManyResult> {
  return withLocks(members, options, async () => {
    const applied = new Map<string, Set<string>>();
    const plans = new Map<string, Set<string>>();
    for (const m of members) {
      await ensureVersionTables(m.db);
      const state = await readVersionState(m.db);
      if (!options.ignoreChecksums) {
        const problems = historyProblems(project, state);
        if (problems.length)
          throw new UserError(`database ${m.name}: ${problems.join('\n')}`, { hint: 'restore the revision files as they were applied, or pass --ignore-checksums to proceed anyway' });
      }
      applied.set(m.name, new Set(project.graph.appliedSet(state.heads)));
      const ids = direction === 'upgrade' ? project.graph.upgradePlan(state.heads, target) : project.graph.downgradePlan(state.heads, target);
      plans.set(m.name, new Set(ids));
    }
    const order = direction === 'upgrade' ? project.graph.topological() : project.graph.topological().reverse();
    const ids = order.filter((id) => members.some((m) => plans.get(m.name)!.has(id)));
    const byId = new Map(project.revisions.map((r) => [r.id, r]));
    await Promise.all(ids.map((id) => byId.get(id)!.load()));
    const ran: RevisionFile[] = [];
    for (const id of ids) {
      const rev = byId.get(id)!;
      const work: Work[] = [];
      for (const m of members.filter((x) => plans.get(x.name)!.has(id))) {
        const ops = await collectFor(rev, direction, { database: m.name, primary: options.primary });
        const next = new Set(applied.get(m.name)!);
        if (direction === 'upgrade') next.add(id);
        else next.delete(id);
        const record = recordStatements(
          project.graph.headsOf([...next]),
          direction === 'upgrade' ? { applied: { revision: rev.id, checksum: rev.checksum, message: rev.message } } : { unapplied: rev.id },
        );
        const undoRecord = recordStatements(
          project.graph.headsOf([...applied.get(m.name)!]),
          direction === 'upgrade' ? { unapplied: rev.id } : { applied: { revision: rev.id, checksum: rev.checksum, message: rev.message } },
        );
        work.push({ member: m, statements: statementsOf(ops), record, undoRecord, next });
      }
      await runRevisionEverywhere(rev, direction, work, members, options);
      if (!options.dryRun) for (const w of work) applied.set(w.member.name, w.next);
      ran.push(rev);
    }
    const heads: Record<string, readonly string[]> = {};
    for (const m of members) heads[m.name] = project.graph.headsOf([...applied.get(m.name)!]);
    return { ran, heads };
  });
}

async function runStatements(rev: RevisionFile, direction: Direction, w: Work, options: ManyOptions): Promise<void> {
  const from = direction === 'upgrade' ? parentsText(rev) : rev.id;
  options.onEvent?.({ type: 'revision-start', direction, revision: rev, from, database: w.member.name });
  for (const s of w.statements) {
    const started = performance.now();
    try {
      await w.member.db.query(s.sql);
    } catch (e) {
      throw new UserError(`database ${w.member.name}: revision ${rev.id} (${rev.message || 'no message'}) failed in ${direction}: ${(e as Error).message}\n  statement: ${s.sql}`);
    }
    options.onEvent?.({ type: 'statement', direction, revision: rev, from, sql: s.sql, ms: performance.now() - started, database: w.member.name });
  }
  for (const r of w.record) await w.member.db.query(r.sql, r.params);
}

async function runRevisionEverywhere(rev: RevisionFile, direction: Direction, work: readonly Work[], members: readonly Member[], options: ManyOptions): Promise<void> {
  const fail = async (e: unknown, movedBack: string[]) => {
    const where = await standings(members);
    const back = movedBack.length ? ` ${movedBack.join(', ')} ${movedBack.length === 1 ? 'was' : 'were'} moved back.` : '';
    throw new UserError(`${(e as Error).message}`, { hint: `revision ${rev.id} is not applied anywhere.${back} Now: ${where}`, cause: e });
  };
  if (!rev.transactional && !options.dryRun) {
    const done: Work[] = [];
    for (const w of work) {
      try {
        await runStatements(rev, direction, w, options);
        done.push(w);
      } catch (e) {
        await fail(e, await moveBack(rev, direction, done, options));
      }
    }
    return;
  }
  const open: Work[] = [];
  try {
    for (const w of work) {
      await w.member.db.query('BEGIN');
      open.push(w);
      await runStatements(rev, direction, w, options);
    }
  } catch (e) {
    for (const w of open) await w.member.db.query('ROLLBACK').catch(() => undefined);
    await fail(e, []);
  }
  if (options.dryRun) {
    for (const w of open) await w.member.db.query('ROLLBACK');
    return;
  }
  const committed: Work[] = [];
  for (const w of open) {
    try {
      await w.member.db.query('COMMIT');
      committed.push(w);
    } catch (e) {
      for (const rest of open.slice(open.indexOf(w) + 1)) await rest.member.db.query('ROLLBACK').catch(() => undefined);
      await fail(e, await moveBack(rev, direction, committed, options));
    }
  }
  for (const w of work) options.onEvent?.({ type: 'revision-done', direction, revision: rev, from: rev.id, database: w.member.name });
}

/** Runs the other direction of `rev` on databases it already moved, each in one transaction, version rows included. Returns the names moved back. */
async function moveBack(rev: RevisionFile, direction: Direction, done: readonly Work[], options: ManyOptions): Promise<string[]> {
  const back: string[] = [];
  const reverse: Direction = direction === 'upgrade' ? 'downgrade' : 'upgrade';
  for (const w of done) {
    const ops = await collectFor(rev, reverse, { database: w.member.name, primary: options.primary });
    try {
      await inTransaction(w.member.db, async () => {
        for (const s of statementsOf(ops)) await w.member.db.query(s.sql);
        for (const r of w.undoRecord) await w.member.db.query(r.sql, r.params);
        await w.member.db.query('COMMIT');
      });
      back.push(w.member.name);
    } catch {
      // Not moved back: the failure message lists where each database stands.
    }
  }
  return back;
}
