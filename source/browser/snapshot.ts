/**
 * What the browser shows, read once and again on `r`: the revision files
 * (each loaded on its own, so one broken file is shown instead of stopping
 * everything), the graph, and where the database is. A revision the graph
 * needs but no file defines (a missing parent, or one the database says is
 * applied) gets a placeholder, so the history can still be drawn and the
 * gap is marked rather than hidden; running a placeholder fails before
 * anything changes.
 */
import { basename } from 'node:path';
import type { Database } from '../db/database.js';
import { UserError } from '../errors.js';
import { listRevisionFiles, loadRevisionFile } from '../revisions/files.js';
import type { RevisionFile } from '../revisions/files.js';
import { buildGraph } from '../revisions/graph.js';
import type { RevisionGraph } from '../revisions/graph.js';
import { readVersionState } from '../runner/version-table.js';
import type { AppliedRevision } from '../runner/version-table.js';

export interface BrokenFile {
  readonly file: string;
  readonly error: string;
}

export interface Snapshot {
  /** Every revision, placeholders included. */
  readonly revisions: readonly RevisionFile[];
  readonly graph: RevisionGraph;
  /** The database's current heads (empty: nothing applied). */
  readonly heads: readonly string[];
  readonly applied: ReadonlyMap<string, AppliedRevision>;
  /** Files that could not even be read as a revision. */
  readonly broken: readonly BrokenFile[];
  /** Ids with no file behind them. */
  readonly missing: ReadonlySet<string>;
  /**
   * A multi-database project: every database (the browsed one included)
   * with the heads its version table records, so each row can say where
   * each database stands. Absent for a single database.
   */
  readonly databases?: readonly { readonly name: string; readonly heads: readonly string[] }[];
}

/** Another database of a multi-database project, read alongside the browsed one. */
export interface OtherDatabase {
  readonly name: string;
  readonly db: Database;
}

function placeholder(id: string, message: string): RevisionFile {
  const gone = async (): Promise<never> => {
    throw new UserError(`revision ${id} has no revision file`, { hint: 'restore the file from version control before moving across it' });
  };
  return { id, downRevision: null, message, file: '', checksum: '', transactional: true, load: gone, upgrade: gone, downgrade: gone, sections: gone };
}

/** Adds placeholders for ids that are referenced (as a parent, or by the database) but have no file. Pure. */
export function withPlaceholders(
  revisions: readonly RevisionFile[],
  applied: ReadonlyMap<string, AppliedRevision>,
  heads: readonly string[],
): { revisions: RevisionFile[]; missing: Set<string> } {
  const known = new Set(revisions.map((r) => r.id));
  const missing = new Set<string>();
  const parents = revisions.flatMap((r) => (r.downRevision === null ? [] : typeof r.downRevision === 'string' ? [r.downRevision] : [...r.downRevision]));
  for (const id of [...parents, ...applied.keys(), ...heads]) if (!known.has(id)) missing.add(id);
  const extra = [...missing].sort().map((id) => placeholder(id, applied.get(id)?.message ?? ''));
  return { revisions: [...revisions, ...extra], missing };
}

export async function readSnapshot(db: Database, versionsDir: string, options: { fresh?: boolean; databases?: readonly OtherDatabase[] } = {}): Promise<Snapshot> {
  const broken: BrokenFile[] = [];
  const loaded: RevisionFile[] = [];
  await Promise.all(
    listRevisionFiles(versionsDir).map(async (file) => {
      try {
        loaded.push(await loadRevisionFile(file, options));
      } catch (e) {
        broken.push({ file: basename(file), error: (e as Error).message });
      }
    }),
  );
  const state = await readVersionState(db);
  const { revisions, missing } = withPlaceholders(loaded, state.applied, state.heads);
  const databases = options.databases
    ? await Promise.all(options.databases.map(async (d) => ({ name: d.name, heads: d.db === db ? state.heads : (await readVersionState(d.db)).heads })))
    : undefined;
  return { revisions, graph: buildGraph(revisions), heads: state.heads, applied: state.applied, broken, missing, ...(databases ? { databases } : {}) };
}
