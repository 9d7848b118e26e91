/**
 * Keys that arrive together (typed fast, pasted, or sent in one burst by a
 * test) come from Ink as one chunk of text. Pressed one by one, each
 * character must be the key it stands for: Enter, Tab and Backspace inside a
 * chunk are those keys, not text.
 */
export interface ChunkKey {
  readonly return?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly ctrl?: boolean;
}

/**
 * Whether `input` holds keys to press one at a time: several keys (Ink
 * already splits escape sequences, such as arrows, from the text around them,
 * so one that starts a chunk is a single key), or a lone line feed. Enter
 * typed while the program was still loading reaches it as "\n": the terminal
 * was not in raw mode yet and turned the "\r" into a line feed, which Ink
 * reports as plain text.
 */
export function isChunk(input: string): boolean {
  return (input.length > 1 && !input.startsWith('\u001b')) || input === '\n';
}

/** The keys of a chunk, in order, each with the `input` and `key` Ink would have given it alone. */
export function chunkKeys(input: string): { input: string; key: ChunkKey }[] {
  return [...input].map((ch) => {
    if (ch === '\r' || ch === '\n') return { input: '', key: { return: true } };
    if (ch === '\t') return { input: '', key: { tab: true } };
    if (ch === '\u007f' || ch === '\b') return { input: '', key: { backspace: true } };
    if (ch === '\u0003') return { input: 'c', key: { ctrl: true } };
    return { input: ch, key: {} };
  });
}
