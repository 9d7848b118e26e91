/**
 * The terminal's alternate screen, as `less`, `vim` and `lazygit` use it: a
 * full-screen program draws there and, on leaving, the terminal shows what
 * it showed before, with no frames left behind. Left on every way out: the
 * returned function (q, Ctrl-C, an error, in a `finally`), SIGTERM and
 * SIGHUP, and the process's exit.
 */
const ENTER = '\u001b[?1049h\u001b[H';
const LEAVE = '\u001b[?1049l';

export function enterAlternateScreen(stdout: NodeJS.WriteStream = process.stdout): () => void {
  if (!stdout.isTTY) return () => undefined;
  stdout.write(ENTER);
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    stdout.write(LEAVE);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    leave();
    process.exit(signal === 'SIGTERM' ? 143 : 129);
  };
  process.once('exit', leave);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  return () => {
    leave();
    process.off('exit', leave);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  };
}
