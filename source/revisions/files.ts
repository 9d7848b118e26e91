/**
 * Revision files on disk: listing `migrations/versions/*.ts`, loading one
 * (its ids, message, and the upgrade/downgrade functions), and its checksum,
 * which the version table keeps so an edited applied revision is noticed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../errors.js';
import type { Operations } from '../ops/api.js';
import { importRevisionModule } from './gathered-imports.js';
import { parseHeader } from './header.js';

/** What a revision's upgrade or downgrade is: one function, or one per database of a multi-database project. */
export type Section = (op: Operations) => Promise<void> | void;
export type Sections = Section | Readonly<Record<string, Section>>;

export interface RevisionFile {
  readonly id: string;
  readonly downRevision: string | readonly string[] | null;
  readonly message: string;
  readonly file: string;
  /** Of what the file runs: comment lines (a lint allow comment, say) do not count as an edit. */
  readonly checksum: string;
  /** Every checksum that still means "this file, unedited": the one above and the whole file's (what older fastedgy recorded). */
  readonly checksums?: readonly string[];
  readonly transactional: boolean;
  /** From the header's `Create Date:` line, when it has one. */
  readonly date?: string;
  /**
   * Runs the upgrade against `op`. A multi-database revision (an object of
   * functions, one per database) needs `database`, and a database it has no
   * section for has nothing to run; a single-function revision ignores it.
   */
  readonly upgrade: (op: Operations, database?: string) => Promise<void> | void;
  readonly downgrade: (op: Operations, database?: string) => Promise<void> | void;
  /** The databases a multi-database revision has sections for; null for the one-function form. Imports the module. */
  readonly sections: () => Promise<readonly string[] | null>;
  /** Imports the module now (it is otherwise imported on first use), so a broken file is found before anything runs. */
  readonly load: () => Promise<void>;
}

const REVISION_FILE = /\.(ts|mts|js|mjs)$/;

export function listRevisionFiles(versionsDir: string): string[] {
  if (!existsSync(versionsDir)) return [];
  return readdirSync(versionsDir)
    .filter((f) => REVISION_FILE.test(f) && !f.endsWith('.d.ts') && !f.startsWith('.'))
    .sort()
    .map((f) => join(versionsDir, f));
}

export function checksumOf(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The text that decides what a revision does: the file without lines that
 * are only a `//` comment and without a trailing `// fastedgy-lint-allow …`,
 * so following the lint's advice on an applied revision is not an edit.
 * Everything else counts, whitespace and line endings included.
 */
export function runnableText(text: string): string {
  // Both patterns need a `//`, so only the lines holding one are looked at;
  // the rest (nearly all of a big generated revision, megabytes) is copied in
  // slices. The same as splitting on \n, dropping the comment-only lines,
  // cutting the allow comments and joining with \n again.
  let out = '';
  let from = 0; // text before this is in `out` (or dropped)
  for (let at = text.indexOf('//'); at >= 0; ) {
    const start = text.lastIndexOf('\n', at) + 1;
    const newline = text.indexOf('\n', at);
    const end = newline < 0 ? text.length : newline;
    const line = text.slice(start, end);
    out += text.slice(from, start);
    if (/^[ \t]*\/\/.*$/.test(line.replace(/\r$/, ''))) {
      // Dropped with one separator: its own, or (the last line) the one before it.
      if (newline < 0 && out.endsWith('\n')) out = out.slice(0, -1);
      from = newline < 0 ? end : end + 1;
    } else {
      out += line.replace(/[ \t]*\/\/[ \t]*fastedgy-lint-allow\b[^\r]*/, '');
      from = end;
    }
    at = newline < 0 ? -1 : text.indexOf('//', from);
  }
  return out + text.slice(from);
}

/** Whether a checksum recorded when the revision was applied still matches its file. */
export function unedited(rev: Pick<RevisionFile, 'checksum' | 'checksums'>, recorded: string): boolean {
  return (rev.checksums ?? [rev.checksum]).includes(recorded);
}

function describeProblem(file: string, problem: string): UserError {
  return new UserError(`malformed revision ${basename(file)}: ${problem}`, { hint: `fix or remove ${file}` });
}

function isSections(x: unknown): x is Sections {
  if (typeof x === 'function') return true;
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Object.values(x).every((f) => typeof f === 'function');
}

function sectionRunner(file: string, sections: Sections): (op: Operations, database?: string) => Promise<void> {
  return async (op, database) => {
    if (typeof sections === 'function') return void (await sections(op));
    if (database === undefined)
      throw describeProblem(file, `it has a section per database (${Object.keys(sections).join(', ')}), but this project has a single database`);
    const section = Object.hasOwn(sections, database) ? sections[database] : undefined;
    if (section) await section(op);
  };
}

function validated(file: string, mod: Record<string, unknown>): Omit<RevisionFile, 'file' | 'checksum' | 'load'> {
  const { revision, downRevision, message, upgrade, downgrade, transactional } = mod;
  if (typeof revision !== 'string' || !revision) throw describeProblem(file, 'it does not export `revision` (a string)');
  const downOk =
    downRevision === null ||
    typeof downRevision === 'string' ||
    (Array.isArray(downRevision) && downRevision.every((d) => typeof d === 'string'));
  if (!downOk) throw describeProblem(file, '`downRevision` must be a string, an array of strings, or null');
  if (!isSections(upgrade)) throw describeProblem(file, 'it does not export an `upgrade` function (or an object of functions, one per database)');
  if (!isSections(downgrade)) throw describeProblem(file, 'it does not export a `downgrade` function (or an object of functions, one per database)');
  const names = (x: Sections) => (typeof x === 'function' ? null : Object.keys(x));
  return {
    id: revision,
    downRevision: downRevision as string | string[] | null,
    message: typeof message === 'string' ? message : '',
    transactional: transactional !== false,
    upgrade: sectionRunner(file, upgrade),
    downgrade: sectionRunner(file, downgrade),
    // A database touched by either direction counts: its version moves with the revision.
    sections: async () => {
      const up = names(upgrade);
      const down = names(downgrade);
      return up === null && down === null ? null : [...new Set([...(up ?? []), ...(down ?? [])])];
    },
  };
}

async function importRevision(file: string, options: { fresh?: boolean }): Promise<Record<string, unknown>> {
  try {
    return await importRevisionModule(file, options);
  } catch (e) {
    throw new UserError(`cannot load revision ${basename(file)}: ${(e as Error).message.split('\n')[0]}`, { hint: `fix or remove ${file}` });
  }
}

export async function loadRevisionFile(file: string, options: { fresh?: boolean } = {}): Promise<RevisionFile> {
  const buffer = readFileSync(file);
  const text = buffer.toString('utf8');
  const checksum = checksumOf(runnableText(text));
  const checksums = [checksum, checksumOf(buffer)];
  const header = parseHeader(text);
  if (!header) {
    const full = validated(file, await importRevision(file, options));
    return { ...full, file, checksum, checksums, load: async () => undefined };
  }
  // The header is enough for the graph, `history` and `current`; the module
  // (a large file for a big schema) is imported only when its operations are
  // needed, and checked then against the header.
  let loaded: Promise<ReturnType<typeof validated>> | null = null;
  const load = () =>
    (loaded ??= importRevision(file, options).then((mod) => {
      const full = validated(file, mod);
      if (full.id !== header.id || JSON.stringify(full.downRevision) !== JSON.stringify(header.downRevision))
        throw describeProblem(file, 'its `revision` / `downRevision` exports are not plain literals fastedgy can read');
      return full;
    }));
  return {
    ...header,
    file,
    checksum,
    checksums,
    load: async () => void (await load()),
    upgrade: async (op, database) => (await load()).upgrade(op, database),
    downgrade: async (op, database) => (await load()).downgrade(op, database),
    sections: async () => (await load()).sections(),
  };
}

export async function loadRevisions(versionsDir: string, options: { fresh?: boolean } = {}): Promise<RevisionFile[]> {
  const files = listRevisionFiles(versionsDir);
  return Promise.all(files.map((f) => loadRevisionFile(f, options)));
}
