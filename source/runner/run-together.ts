/**
 * A revision that several databases of a project need at once. Each runs
 * its section inside a transaction of its own, and the transactions commit
 * only when every section has run: a failure in one database rolls the
 * others back, so no database is left past a revision another could not
 * take. A lock timeout anywhere rolls them all back and the whole is tried
 * again, as for one database. (Should a COMMIT itself fail after others have
 * committed, those are moved back by running the reverse section.)
 *
 * Sections that take the low-lock form (a big table touched row by row)
 * cannot share one transaction: they run after the others committed, each in
 * its resumable steps. Non-transactional revisions run database by database;
 * a failure moves back the databases that revision already moved.
 */
import type { Database } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { UserError } from '../errors.js';
import { collectFor, statementsOf } from './collect.js';
import type { Statement } from './collect.js';
import { announce, dryRunSection, lockRetry, lowLockChoice, openSection, recordRevision, runSection } from './run-section.js';
import type { Record, Section } from './run-section.js';
import { runStatement } from './statement.js';
import { beginWithTimeouts } from './timeouts.js';
import { readVersionState } from './version-table.js';

export interface TogetherSection extends Section {
  /** What puts the version tables back as they were before this revision. */
  readonly undoRecord: Record;
}

export interface Together {
  readonly sections: readonly TogetherSection[];
  /** Every database of the run, for the "where each stands" of a failure. */
  readonly everyone: readonly { readonly name: string; readonly db: Database }[];
  /** The first database, where one-function revisions run (for moving back). */
  readonly primary: string;
}

/** Where each database stands, for the message of a failure. */
async function standings(everyone: Together['everyone']): Promise<string> {
  const lines: string[] = [];
  for (const m of everyone) {
    const heads = await readVersionState(m.db).then((s) => s.heads, () => null);
    lines.push(`${m.name} is at ${heads === null ? 'an unknown revision (could not read it)' : heads.length ? heads.join(', ') : '<base>'}`);
  }
  return lines.join('; ');
}

export async function runTogether(t: Together): Promise<void> {
  const first = t.sections[0];
  const { rev, options } = first;
  const fail = async (e: unknown, movedBack: string[], applied: string[] = []): Promise<never> => {
    const where = await standings(t.everyone);
    const back = movedBack.length ? ` ${movedBack.join(', ')} ${movedBack.length === 1 ? 'was' : 'were'} moved back.` : '';
    const fate = applied.length ? `revision ${rev.id} is applied to ${applied.join(', ')} only.` : `revision ${rev.id} is not applied anywhere.`;
    const own = (e as { hint?: string }).hint;
    throw new UserError(`${(e as Error).message}`, { hint: `${fate}${back} Now: ${where}${own && applied.length ? `. ${own}` : ''}`, cause: e });
  };

  if (!rev.transactional && !options.dryRun) {
    const done: TogetherSection[] = [];
    for (const s of t.sections) {
      try {
        await announce(s, () => runSection(s));
        done.push(s);
      } catch (e) {
        await fail(e, await moveBack(done, t.primary));
      }
    }
    return;
  }

  const apart: TogetherSection[] = [];
  const joint: TogetherSection[] = [];
  for (const s of t.sections) ((await lowLockChoice(s)) ? apart : joint).push(await dryRunSection(s));

  let current: { s: TogetherSection; st?: Statement } = { s: first };
  const retry = lockRetry(() => current.s, () => current.st, true);
  const committed: TogetherSection[] = [];
  try {
    await retry(async () => {
      const open: TogetherSection[] = [];
      try {
        for (const s of joint) {
          current = { s };
          options.onEvent?.({ type: 'revision-start', direction: s.direction, revision: rev, from: s.from, database: s.database });
          // In `open` first: a SET after the BEGIN can fail with the transaction already open (ROLLBACK outside one only warns).
          open.push(s);
          await s.db.query(beginWithTimeouts(options));
          await openSection(s, async (st) => {
            current = { s, st };
            await runStatement(s, st);
          });
          current = { s };
          await recordRevision(s, true, null);
        }
      } catch (e) {
        for (const s of open) await s.db.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
      for (const s of open) {
        if (options.dryRun) {
          await s.db.query('ROLLBACK');
          continue;
        }
        try {
          await s.db.query('COMMIT');
          committed.push(s);
        } catch (e) {
          for (const rest of open.slice(open.indexOf(s) + 1)) await rest.db.query('ROLLBACK').catch(() => undefined);
          throw new CommitFailed(e);
        }
      }
    });
  } catch (e) {
    await fail(e instanceof CommitFailed ? e.cause : e, await moveBack(committed, t.primary));
  }
  for (const s of joint) options.onEvent?.({ type: 'revision-done', direction: s.direction, revision: rev, from: s.from, database: s.database });

  const moved = joint.map((s) => s.database);
  for (const s of apart) {
    try {
      await announce(s, () => runSection(s));
      moved.push(s.database);
    } catch (e) {
      // Left resumable where it stopped (its own hint says how); the databases already moved stay moved.
      await fail(e, [], moved);
    }
  }
}

class CommitFailed extends Error {
  constructor(readonly cause: unknown) {
    super((cause as Error).message);
  }
}

/** Runs the other direction of the revision on databases it already moved, each in one transaction, version rows included. Returns the names moved back. */
async function moveBack(done: readonly TogetherSection[], primary: string): Promise<string[]> {
  const back: string[] = [];
  for (const s of done) {
    const reverse = s.direction === 'upgrade' ? 'downgrade' : 'upgrade';
    try {
      const statements = statementsOf(await collectFor(s.rev, reverse, { database: s.database, primary }));
      // A non-transactional revision's reverse (DROP INDEX CONCURRENTLY) cannot run in a transaction either.
      if (!s.rev.transactional) for (const st of statements) await s.db.query(st.sql);
      await inTransaction(s.db, async () => {
        if (s.rev.transactional) for (const st of statements) await s.db.query(st.sql);
        for (const r of s.undoRecord) await s.db.query(r.sql, r.params);
        await s.db.query('COMMIT');
      });
      back.push(s.database);
    } catch {
      // Not moved back: the failure message lists where each database stands.
    }
  }
  return back;
}
