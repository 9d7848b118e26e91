/**
 * What a terminal would show: a small terminal emulator the pseudo-terminal's
 * output is fed through, so a test can assert on the screen a person sees
 * (one header, no rows left over from an earlier frame) rather than on the
 * stream of escapes that produced it. It understands what full-screen
 * programs send: cursor moves, erasing, the alternate screen, line feeds and
 * automatic wrap at the right margin; colours are read and dropped.
 *
 * A resize behaves as tmux does: no reflow; when the screen gets shorter,
 * blank rows below the cursor go first, then rows from the top.
 */
type Grid = string[][];

function blankRow(cols: number): string[] {
  return Array.from({ length: cols }, () => ' ');
}

export class Screen {
  private main: Grid;
  private alt: Grid;
  private inAlt = false;
  private x = 0;
  private y = 0;
  /** The cursor sits past the last column: the next character wraps first. */
  private pendingWrap = false;
  private saved = { x: 0, y: 0 };
  /** An escape sequence cut between two chunks of output. */
  private partial = '';

  constructor(
    private cols: number,
    private rows: number,
  ) {
    this.main = this.blank();
    this.alt = this.blank();
  }

  private blank(): Grid {
    return Array.from({ length: this.rows }, () => blankRow(this.cols));
  }

  private get grid(): Grid {
    return this.inAlt ? this.alt : this.main;
  }

  /** The rows as text, trailing blanks dropped. */
  lines(): string[] {
    return this.grid.map((r) => r.join('').replace(/\s+$/, ''));
  }

  text(): string {
    return this.lines().join('\n');
  }

  resize(cols: number, rows: number): void {
    for (const which of ['main', 'alt'] as const) {
      let grid = this[which];
      const cursorHere = (which === 'alt') === this.inAlt;
      grid = grid.map((r) => (r.length >= cols ? r.slice(0, cols) : [...r, ...blankRow(cols - r.length)]));
      let y = this.y;
      while (grid.length > rows) {
        const last = grid.length - 1;
        if (last > (cursorHere ? y : -1) && grid[last].every((c) => c === ' ')) grid.pop();
        else {
          grid.shift();
          if (cursorHere) y = Math.max(0, y - 1);
        }
      }
      while (grid.length < rows) grid.push(blankRow(cols));
      this[which] = grid;
      if (cursorHere) this.y = y;
    }
    this.cols = cols;
    this.rows = rows;
    this.x = Math.min(this.x, cols - 1);
    this.y = Math.min(this.y, rows - 1);
    this.pendingWrap = false;
  }

  write(data: string): void {
    const s = this.partial + data;
    this.partial = '';
    let i = 0;
    while (i < s.length) {
      const ch = s[i];
      if (ch === '\u001b') {
        const used = this.escape(s, i);
        if (used === 0) {
          this.partial = s.slice(i);
          return;
        }
        i += used;
        continue;
      }
      i++;
      if (ch === '\r') {
        this.x = 0;
        this.pendingWrap = false;
      } else if (ch === '\n') this.lineFeed();
      else if (ch === '\b') {
        this.x = Math.max(0, this.x - 1);
        this.pendingWrap = false;
      } else if (ch >= ' ' && ch !== '\u007f') this.put(ch);
    }
  }

  private put(ch: string): void {
    if (this.pendingWrap) {
      this.x = 0;
      this.lineFeed();
    }
    this.grid[this.y][this.x] = ch;
    if (this.x === this.cols - 1) this.pendingWrap = true;
    else this.x++;
  }

  private lineFeed(): void {
    this.pendingWrap = false;
    if (this.y < this.rows - 1) this.y++;
    else {
      this.grid.shift();
      this.grid.push(blankRow(this.cols));
    }
  }

  /** Handles the escape sequence at `i`; returns its length, or 0 when it is not complete yet. */
  private escape(s: string, i: number): number {
    const next = s[i + 1];
    if (next === undefined) return 0;
    if (next === '[') {
      const m = /^\u001b\[([?>=]?)([0-9;:]*)([ -/]*)([@-~])/.exec(s.slice(i));
      if (!m) return /^\u001b\[[?>=]?[0-9;:]*[ -/]*$/.test(s.slice(i)) ? 0 : 2;
      this.csi(m[1], m[2].split(';').map((p) => (p === '' ? NaN : Number(p))), m[4]);
      return m[0].length;
    }
    if (next === ']' || next === 'P' || next === '_') {
      // OSC, DCS, APC: up to BEL or ESC \, shown nowhere.
      const rest = s.slice(i + 2);
      const bel = rest.indexOf('\u0007');
      const st = rest.indexOf('\u001b\\');
      const ends = [bel >= 0 ? bel + 1 : Infinity, st >= 0 ? st + 2 : Infinity];
      const end = Math.min(...ends);
      return end === Infinity ? 0 : 2 + end;
    }
    if (next === '7') this.saved = { x: this.x, y: this.y };
    if (next === '8') ({ x: this.x, y: this.y } = this.saved);
    if (next === '(' || next === ')') return s.length > i + 2 ? 3 : 0;
    return 2;
  }

  private csi(prefix: string, params: number[], final: string): void {
    const n = (k: number, d = 1) => (Number.isNaN(params[k]) || params[k] === undefined ? d : params[k]);
    const clampY = (y: number) => Math.max(0, Math.min(this.rows - 1, y));
    const clampX = (x: number) => Math.max(0, Math.min(this.cols - 1, x));
    if (prefix === '?') {
      if ((final === 'h' || final === 'l') && params.includes(1049)) {
        if (final === 'h' && !this.inAlt) {
          this.saved = { x: this.x, y: this.y };
          this.inAlt = true;
          this.alt = this.blank();
        } else if (final === 'l' && this.inAlt) {
          this.inAlt = false;
          ({ x: this.x, y: this.y } = this.saved);
        }
      }
      return;
    }
    if (prefix) return;
    this.pendingWrap = false;
    switch (final) {
      case 'A':
        this.y = clampY(this.y - n(0));
        break;
      case 'B':
        this.y = clampY(this.y + n(0));
        break;
      case 'C':
        this.x = clampX(this.x + n(0));
        break;
      case 'D':
        this.x = clampX(this.x - n(0));
        break;
      case 'E':
        this.y = clampY(this.y + n(0));
        this.x = 0;
        break;
      case 'F':
        this.y = clampY(this.y - n(0));
        this.x = 0;
        break;
      case 'G':
        this.x = clampX(n(0) - 1);
        break;
      case 'H':
      case 'f':
        this.y = clampY(n(0) - 1);
        this.x = clampX(n(1) - 1);
        break;
      case 'J': {
        const mode = n(0, 0);
        if (mode === 2 || mode === 3) this.grid.forEach((r, y) => (this.grid[y] = blankRow(this.cols)));
        else if (mode === 0) {
          this.eraseInRow(this.y, this.x, this.cols);
          for (let y = this.y + 1; y < this.rows; y++) this.grid[y] = blankRow(this.cols);
        } else if (mode === 1) {
          this.eraseInRow(this.y, 0, this.x + 1);
          for (let y = 0; y < this.y; y++) this.grid[y] = blankRow(this.cols);
        }
        break;
      }
      case 'K': {
        const mode = n(0, 0);
        if (mode === 0) this.eraseInRow(this.y, this.x, this.cols);
        else if (mode === 1) this.eraseInRow(this.y, 0, this.x + 1);
        else this.eraseInRow(this.y, 0, this.cols);
        break;
      }
      default:
        // Colours (m) and everything else change nothing a test reads.
        break;
    }
  }

  private eraseInRow(y: number, from: number, to: number): void {
    for (let x = from; x < to; x++) this.grid[y][x] = ' ';
  }
}
