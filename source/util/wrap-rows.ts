/**
 * Lines cut into pieces of at most `width` columns, so that each piece is one
 * row on screen: SQL and logs are wrapped, never cut, and a scrolled view can
 * count its rows (Ink's own wrapping does not say how many it made). Cut at
 * the column, not at spaces, so that the text reads back exactly when the
 * rows are joined.
 */
export function wrapRows(lines: readonly string[], width: number): string[] {
  const w = Math.max(1, width);
  return lines.flatMap((line) => {
    if (line.length <= w) return [line];
    const parts: string[] = [];
    for (let i = 0; i < line.length; i += w) parts.push(line.slice(i, i + w));
    return parts;
  });
}
