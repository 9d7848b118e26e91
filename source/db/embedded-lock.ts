/**
 * The embedded database (PGlite) is a directory only one process may open at
 * a time; two would corrupt it. A lock file beside it (`pgdata.lock`) makes a
 * second fastedgy process wait, as the advisory lock does on a server.
 *
 * Atomic by construction:
 * - The lock file is written whole under a private name, then `link`ed to
 *   the lock's name: `link` fails if the name exists, so one process wins,
 *   and no one ever sees a lock file without its holder's pid.
 * - A lock whose holder died is taken over by whoever first creates the
 *   takeover claim for that very lock file (`pgdata.lock.takeover-<id>`,
 *   itself a lock of the same kind, named after the dead lock's unique
 *   token). The claim's winner checks that the dead lock is still in place
 *   and `rename`s its own lock file over it; nothing else can replace that
 *   file meanwhile (its holder is dead, the name is taken, the claim is
 *   held), so two processes cannot both take over the same dead lock.
 */
import { createHash, randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';

/** Who holds a lock, as read from its file. */
export interface LockHolder {
  /** null for an old-style lock file that holds no pid. */
  readonly pid: number | null;
  readonly since: Date;
  /** What the holder runs (`fastedgy db browse`), when it said: the person waiting knows which window to look at. */
  readonly command?: string;
  /** Unique to one lock file: a dead one is recognised by it. */
  readonly token: string;
}

// An empty lock file is what fastedgy before this lock left while writing its
// pid: treated as live this long, then as dead.
const EMPTY_FILE_GRACE_MS = 5_000;
// A claim whose claim is dead again, and so on: past this depth, just wait.
const MAX_TAKEOVER_DEPTH = 4;
const POLL_MS = 100;

function readHolder(path: string): LockHolder | null {
  let text: string;
  let mtime: Date;
  let ino: number;
  try {
    text = readFileSync(path, 'utf8');
    const st = statSync(path);
    mtime = st.mtime;
    ino = st.ino;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as { pid?: unknown; since?: unknown; token?: unknown; command?: unknown };
    if (typeof parsed.token === 'string' && typeof parsed.pid === 'number') {
      const command = typeof parsed.command === 'string' && parsed.command ? { command: parsed.command } : {};
      return { pid: parsed.pid, since: new Date(String(parsed.since)), token: parsed.token, ...command };
    }
  } catch {
    // an old-style file: a bare pid, or empty
  }
  const pid = Number(text.trim());
  // The file's identity stands in for the token an old-style file lacks.
  const token = `legacy:${ino}:${mtime.getTime()}:${text}`;
  return { pid: Number.isInteger(pid) && pid > 0 ? pid : null, since: mtime, token };
}

function holderAlive(holder: LockHolder): boolean {
  if (holder.pid === null) return Date.now() - holder.since.getTime() < EMPTY_FILE_GRACE_MS;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but is not ours to signal.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process's lock file, complete, under a name no one else uses. */
function writeOwnFile(path: string, command?: string): { file: string; token: string } {
  const token = randomUUID();
  const file = `${path}.${process.pid}.${token.slice(0, 8)}.tmp`;
  writeFileSync(file, JSON.stringify({ pid: process.pid, since: new Date().toISOString(), token, ...(command ? { command } : {}) }) + '\n');
  return { file, token };
}

type Attempt = { readonly acquired: true; readonly token: string } | { readonly acquired: false; readonly holder: LockHolder };

/** One try, without waiting: the lock, or who holds it. */
function tryAcquire(path: string, depth = 0, command?: string): Attempt {
  const own = writeOwnFile(path, command);
  try {
    for (;;) {
      try {
        linkSync(own.file, path);
        return { acquired: true, token: own.token };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = readHolder(path);
      if (!holder) continue; // released meanwhile: try again
      if (holderAlive(holder) || depth >= MAX_TAKEOVER_DEPTH) return { acquired: false, holder };
      const claimPath = `${path}.takeover-${createHash('sha256').update(holder.token).digest('hex').slice(0, 16)}`;
      const claim = tryAcquire(claimPath, depth + 1);
      // Another process is taking this dead lock over: it is as good as held.
      if (!claim.acquired) return { acquired: false, holder };
      try {
        if (readHolder(path)?.token === holder.token) {
          renameSync(own.file, path);
          return { acquired: true, token: own.token };
        }
        // Someone took it over and perhaps let it go already: look again.
      } finally {
        release(claimPath, claim.token);
      }
    }
  } finally {
    rmSync(own.file, { force: true });
  }
}

/** Removes the lock file if it is still ours. */
function release(path: string, token: string): void {
  if (readHolder(path)?.token !== token) return;
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** "pid 1234, `fastedgy db browse`, since 2024-05-01 10:02:03" for a waiting message. */
export function describeHolder(holder: LockHolder): string {
  const since = Number.isNaN(holder.since.getTime()) ? 'an unknown time' : holder.since.toLocaleString('sv-SE');
  const command = holder.command ? `, \`${holder.command}\`` : '';
  return `${holder.pid === null ? 'a process that wrote no pid' : `pid ${holder.pid}`}${command}, since ${since}`;
}

/**
 * Takes the lock of `dataDir` (waiting while another live process holds
 * it; `onWait` is told who, once per holder) and returns its release.
 * `command` is written in the lock file for whoever has to wait.
 */
export async function lockDirectory(dataDir: string, onWait?: (holder: LockHolder) => void, command?: string): Promise<() => void> {
  const path = `${dataDir}.lock`;
  let toldAbout: string | null = null;
  for (;;) {
    const attempt = tryAcquire(path, 0, command);
    if (attempt.acquired) return () => release(path, attempt.token);
    if (attempt.holder.token !== toldAbout) {
      toldAbout = attempt.holder.token;
      onWait?.(attempt.holder);
    }
    // Jitter, so that waiting processes do not retry in step.
    await new Promise((r) => setTimeout(r, POLL_MS + Math.floor(Math.random() * POLL_MS)));
  }
}
