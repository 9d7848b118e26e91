/**
 * Text folded into rows of at most `width` columns, broken at spaces where
 * it can be (inside a word only when the word alone is wider). Used where
 * every row must be counted (to scroll by row and say what is above and
 * below), which Ink's own wrapping does not tell. Continuation rows start
 * with `indent`, so a folded item still reads as one.
 */
export function fold(text: string, width: number, indent = ''): string[] {
  const rows: string[] = [];
  let rest = text;
  let lead = '';
  while (lead.length + rest.length > width) {
    const room = Math.max(1, width - lead.length);
    const space = rest.lastIndexOf(' ', room);
    // Break at the last space that fits, unless that leaves the row mostly empty ("?" alone before
    // a long name): then, as for a word longer than the row, cut where the row ends.
    const cut = space >= room / 3 ? space : room;
    rows.push(lead + rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^ +/, '');
    lead = indent;
  }
  rows.push(lead + rest);
  return rows;
}
