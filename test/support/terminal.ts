/** A real pseudo-terminal running the CLI (@lydell/node-pty): type keys, wait for text on screen. */
import { spawn } from '@lydell/node-pty';
import { BIN } from './cli.js';
import { Screen } from './screen.js';

/** A terminal session: type keys, wait for text on screen. */
export class Terminal {
  private screen = '';
  /** Output before the last keypress: a wait looks only at what came after it. */
  private mark = 0;
  private exitCode: number | null = null;
  private readonly pty;
  /** The output fed through a terminal emulator: what a person would see now. */
  private readonly emulator: Screen;

  constructor(cwd: string, env: Record<string, string>, args: string[], size: { cols: number; rows: number } = { cols: 100, rows: 30 }) {
    const clean = { ...process.env } as Record<string, string>;
    // A person's terminal: not the test runner's, not CI (where Ink would draw only its last frame).
    for (const k of Object.keys(clean)) if (k.startsWith('VITEST') || k === 'CI' || k.startsWith('CI_') || k === 'CONTINUOUS_INTEGRATION') delete clean[k];
    Object.assign(clean, env);
    this.emulator = new Screen(size.cols, size.rows);
    this.pty = spawn(process.execPath, [BIN, ...args], { cwd, env: clean, cols: size.cols, rows: size.rows });
    this.pty.onData((d) => {
      this.screen += d;
      this.emulator.write(d);
    });
    // As a shell reports it: a process ended by a signal exits 128 + its number (Ctrl-C: 130).
    this.pty.onExit((e) => (this.exitCode = e.signal ? 128 + e.signal : e.exitCode));
  }

  async waitFor(text: string, timeoutMs = 20_000): Promise<void> {
    const started = Date.now();
    while (!this.screen.slice(this.mark).includes(text)) {
      if (Date.now() - started > timeoutMs) throw new Error(`not seen on screen: ${text}\n--- screen ---\n${this.screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** One keypress at a time, as a person types: a terminal app reads keys that arrive together as one. */
  async type(keys: string): Promise<void> {
    this.mark = this.screen.length;
    const presses = keys.match(/\u001b\[[A-D]|[\s\S]/g) ?? [];
    for (const k of presses) {
      this.pty.write(k);
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  /** Several keys in one write, as a fast typist or a paste sends them: they arrive together. */
  burst(keys: string): void {
    this.mark = this.screen.length;
    this.pty.write(keys);
  }

  /** The window is resized, as dragging its corner does: the program gets SIGWINCH. */
  resize(cols: number, rows: number): void {
    this.mark = this.screen.length;
    this.emulator.resize(cols, rows);
    this.pty.resize(cols, rows);
  }

  /** The screen as a terminal would show it now, one string per row (trailing blanks dropped). */
  visible(): string[] {
    return this.emulator.lines();
  }

  /** Waits until the visible screen has stayed the same for `quietMs` (the program has finished redrawing). */
  async settled(quietMs = 400, timeoutMs = 20_000): Promise<string[]> {
    const started = Date.now();
    let last = this.emulator.text();
    let since = Date.now();
    while (Date.now() - since < quietMs) {
      if (Date.now() - started > timeoutMs) throw new Error(`the screen kept changing\n--- screen ---\n${last}`);
      await new Promise((r) => setTimeout(r, 50));
      const now = this.emulator.text();
      if (now !== last) {
        last = now;
        since = Date.now();
      }
    }
    return this.visible();
  }

  /** The program's process id (the pseudo-terminal runs node itself, not a shell). */
  get pid(): number {
    return this.pty.pid;
  }

  /** Whether the program is still running. */
  running(): boolean {
    return this.exitCode === null;
  }

  /** Everything the program wrote so far, escapes included. */
  output(): string {
    return this.screen;
  }

  seen(text: string): boolean {
    return this.screen.includes(text);
  }

  async exited(): Promise<number> {
    const started = Date.now();
    while (this.exitCode === null) {
      if (Date.now() - started > 20_000) throw new Error(`still running\n--- screen ---\n${this.screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // node-pty may report the exit before the last of the output (a busy machine shows it): wait until it stops coming.
    for (let seen = -1, quietSince = Date.now(); Date.now() - quietSince < 200 && Date.now() - started < 22_000; ) {
      if (this.screen.length !== seen) [seen, quietSince] = [this.screen.length, Date.now()];
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.exitCode;
  }
}

