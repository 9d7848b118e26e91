/**
 * The spinner's frames and the elapsed-time text, apart from the Ink
 * component that draws them: the command line uses them too, and must not
 * load Ink and React (over a second on a cold start) just to draw a line.
 */
export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** "0.4 s", "12.0 s", "2 min 05 s". */
export function elapsedText(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
}
