/**
 * The compiled-module cache under a project's `.fastedgy/cache/`: one file
 * per compiled user module, named by a hash of everything the output depends
 * on (the source's bytes, its path, the compiler and this package's
 * location), so a changed file gets a new name and is never run stale.
 *
 * An entry ends with a line holding the hash of the lines above it; an entry
 * that lacks it or does not match (cut short, edited, a disk hiccup) is not
 * an entry. Entries are written to a temporary name and renamed into place,
 * which is atomic, so a process never sees another's half-written file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Bumped whenever what an entry holds changes shape. */
const FORMAT = 'fastedgy-module-cache-1';
const TRAILER = '\n//# fastedgy-cache ';

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The entry's file name for `source` (the file's bytes) at `file`, compiled by `compiler` (name and version). */
export function entryName(file: string, source: Buffer, compiler: string, packageUrl: string): string {
  const key = createHash('sha256').update(JSON.stringify([FORMAT, compiler, packageUrl, file])).update(source).digest('hex');
  return `${key.slice(0, 40)}.mjs`;
}

/** What a cache entry file holds for `body`. */
export function entryText(body: string): string {
  return `${body}${TRAILER}${sha256(body)}\n`;
}

/** The body of an entry's text, or null when it is not whole. */
export function entryBody(text: string): string | null {
  const at = text.lastIndexOf(TRAILER);
  if (at < 0) return null;
  const body = text.slice(0, at);
  return text.slice(at + TRAILER.length) === `${sha256(body)}\n` ? body : null;
}

/** The entry's body, or null when it is missing or not whole. */
export function readEntry(dir: string, name: string): string | null {
  let text: string;
  try {
    text = readFileSync(join(dir, name), 'utf8');
  } catch {
    return null;
  }
  return entryBody(text);
}

/** Directories this process created for the cache (deepest first), and the entries it wrote in them. */
const created: { dirs: string[]; files: string[] } = { dirs: [], files: [] };

const made = new Set<string>();

function makeDir(dir: string): void {
  if (made.has(dir)) return;
  const first = mkdirSync(dir, { recursive: true });
  made.add(dir);
  if (first === undefined) return;
  for (let d = dir; ; d = dirname(d)) {
    created.dirs.push(d);
    if (d === first || dirname(d) === d) break;
  }
}

/**
 * A command that fails leaves the project as it found it (one run with a
 * wrong models path must not leave a `.fastedgy/` behind): the cache
 * directories this process created go, with the entries it wrote in them.
 * A directory holding anything else stays.
 */
export function undoNewCache(): void {
  if (!created.dirs.length) return;
  for (const file of created.files) rmSync(file, { force: true });
  for (const dir of created.dirs) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty: someone else's files are in it.
    }
  }
  created.dirs = [];
  created.files = [];
  made.clear();
}

/** Writes an entry through a temporary file renamed into place. Returns false when the directory cannot be written. */
export function writeEntry(dir: string, name: string, body: string): boolean {
  const temp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    makeDir(dir);
    writeFileSync(temp, entryText(body));
    renameSync(temp, join(dir, name));
    created.files.push(join(dir, name));
    return true;
  } catch {
    rmSync(temp, { force: true });
    return false;
  }
}
