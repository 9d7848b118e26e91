/**
 * The embedded database (PGlite) is a directory only one process may open at
 * a time; two would corrupt it. A lock file beside it makes a second
 * fastedgy process wait (and then, for `migrate`, find nothing to do), as
 * the advisory lock does on a server. A lock left by a process that died is
 * taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

function holderAlive(file: string): boolean {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but is not ours to signal.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function lockDirectory(dataDir: string, onWait?: () => void): Promise<() => void> {
  const file = `${dataDir}.lock`;
  let warned = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (!holderAlive(file)) {
        rmSync(file, { force: true });
        continue;
      }
      if (!warned) {
        onWait?.();
        warned = true;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
