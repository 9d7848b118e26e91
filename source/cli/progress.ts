/**
 * A step of unknown length on the command line (loading the models and
 * reading the database before the first screen): on a terminal that can
 * redraw, its line turns a spinner and counts the seconds until the step
 * ends; then the plain line stays, as it is printed everywhere else (a
 * pipe, CI, TERM=dumb, --plain), where nothing is redrawn. With `leave:
 * false` the spinner's line is erased instead: a full-screen program opens
 * next, and what it leaves behind is only its outcome.
 */
import { progressText } from '../util/progress-text.js';
import type { Progress } from '../util/progress-text.js';
import { SPINNER_FRAMES, elapsedText } from '../util/elapsed.js';
import { err, redact, style } from './output.js';

let plainRequested = false;

/** `--plain` was given: nothing on the command line is redrawn either. */
export function requestPlain(): void {
  plainRequested = true;
}

function canRedraw(stream: NodeJS.WriteStream): boolean {
  const env = process.env;
  const inCi = env.CI !== undefined && env.CI !== '0' && env.CI !== 'false';
  return !!stream.isTTY && env.TERM !== 'dumb' && !inCi && !plainRequested;
}

export async function withProgress<T>(label: string, work: () => Promise<T>, { stream = process.stderr, leave = true }: { stream?: NodeJS.WriteStream; leave?: boolean } = {}): Promise<T> {
  if (!canRedraw(stream)) {
    err(style.dim(label));
    return work();
  }
  const started = Date.now();
  let tick = 0;
  const draw = () => stream.write(`\r${SPINNER_FRAMES[tick++ % SPINNER_FRAMES.length]} ${redact(label)} ${style.dim(elapsedText(Date.now() - started), stream)}\u001b[K`);
  draw();
  const timer = setInterval(draw, 120);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    stream.write('\r\u001b[K');
    if (leave) err(style.dim(`${label} ${elapsedText(Date.now() - started)}`));
  }
}

/**
 * A progress bar on stderr for a long step of a run (a batched backfill, a
 * concurrent index build): on a terminal that can redraw, one line redrawn
 * in place and cleared before the run's next line is printed. Elsewhere (a
 * pipe, CI, --plain) a plain line at each further tenth of the work or every
 * few seconds, and one when it is done: a log that stays short on any table.
 */
/** Without a terminal: a line at least this often while a step runs. */
const PLAIN_EVERY_MS = 5_000;

export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const redraw = canRedraw(stream);
  let shown = false;
  let lastTenth = -1;
  let lastAt = -Infinity;
  return {
    update(p: Progress): void {
      if (!redraw) {
        const tenth = p.fraction === null ? lastTenth : Math.floor(p.fraction * 10);
        if (!p.finished && tenth <= lastTenth && p.elapsedMs - lastAt < PLAIN_EVERY_MS) return;
        [lastTenth, lastAt] = p.finished ? [-1, -Infinity] : [tenth, p.elapsedMs];
        stream.write(`${redact(progressText(p))}\n`);
        return;
      }
      // One row, whatever the width: a wrapped bar could not be redrawn in place.
      const width = Math.max(20, (stream.columns || 80) - 1);
      stream.write(`\r${redact(progressText(p)).slice(0, width)}\u001b[K${p.finished ? '\n' : ''}`);
      shown = !p.finished;
    },
    /** Before any other line: the bar is not left half-drawn under it. */
    clear(): void {
      if (shown) stream.write('\r\u001b[K');
      shown = false;
    },
  };
}
