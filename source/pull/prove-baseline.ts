/**
 * The proof of a baseline revision before it is written, with makemigrations'
 * own prove(): upgrade into an empty scratch schema (in a transaction always
 * rolled back), compare with the pulled database, downgrade to empty,
 * upgrade again. It runs the rendered file's text, loaded from a hidden file
 * beside the others (which the history ignores) and removed again, as every
 * other revision's proof does.
 *
 * Two things differ from a makemigrations proof:
 * - the upgrade is checked against the database as introspected, not its
 *   models: the baseline rebuilds the database, including what the models
 *   cannot express and `pull` listed (a mixed column/expression index, say),
 *   where a comparison with the models would fail for what is already said;
 * - extensions are left out: they are database-wide and already installed
 *   (the pull read them), so `CREATE EXTENSION IF NOT EXISTS` changes
 *   nothing in the copy and the downgrade's `DROP EXTENSION` would reach the
 *   live tables that use them.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/database.js';
import type { Proof, Rendered } from '../make/make-revision.js';
import { prove } from '../make/prove.js';
import type { Proven } from '../make/prove.js';
import type { Operation } from '../ops/types.js';
import { loadRevisionFile } from '../revisions/files.js';
import { collectOperations } from '../runner/collect.js';
import type { Schema } from '../schema/types.js';

export interface BaselineProofTarget {
  readonly db: Database;
  /** The database as pulled: what the baseline must build from nothing. */
  readonly schema: Schema;
  /** The section of the revision, in a multi-database project. */
  readonly database?: string;
}

const notExtension = (op: Operation) => op.kind !== 'createExtension' && op.kind !== 'dropExtension';

export async function proveBaseline(rendered: Rendered, versionsDir: string, targets: readonly BaselineProofTarget[]): Promise<Proof> {
  const file = join(versionsDir, `.fastedgy-proof-${rendered.revision}.ts`);
  mkdirSync(versionsDir, { recursive: true });
  writeFileSync(file, rendered.text);
  try {
    const rev = await loadRevisionFile(file, { fresh: true });
    const proofs: Proven[] = [];
    for (const t of targets) {
      const empty: Schema = { extensions: t.schema.extensions, enums: [], tables: [], views: [] };
      proofs.push(
        await prove({
          db: t.db,
          current: empty,
          target: t.schema,
          upgrade: (await collectOperations(rev, 'upgrade', t.database)).filter(notExtension),
          downgrade: (await collectOperations(rev, 'downgrade', t.database)).filter(notExtension),
          who: t.database ? `database ${t.database}: ` : '',
        }),
      );
    }
    const unproven = proofs.flatMap((p) => (p.unproven ? [p.unproven] : []));
    return { ms: proofs.reduce((sum, p) => sum + p.ms, 0), outside: proofs.flatMap((p) => p.outside), ...(unproven.length ? { unproven } : {}) };
  } finally {
    rmSync(file, { force: true });
  }
}
