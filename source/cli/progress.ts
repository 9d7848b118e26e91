/**
 * A step of unknown length on the command line (loading the models and
 * reading the database before the first screen): on a terminal that can
 * redraw, its line turns a spinner and counts the seconds until the step
 * ends; then the plain line stays, as it is printed everywhere else (a
 * pipe, CI, TERM=dumb, --plain), where nothing is redrawn.
 */
import { SPINNER_FRAMES, elapsedText } from '../util/spinner.js';
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

export async function withProgress<T>(label: string, work: () => Promise<T>, stream: NodeJS.WriteStream = process.stderr): Promise<T> {
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
    err(style.dim(`${label} ${elapsedText(Date.now() - started)}`));
  }
}
