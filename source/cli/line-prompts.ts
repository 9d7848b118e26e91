/**
 * Questions asked as plain lines (`--plain`, TERM=dumb, CI): the question
 * is printed, the terminal itself echoes and edits what is typed (cooked
 * mode), and Enter sends it. No cursor movement, no redrawing, so the
 * transcript reads the same on a dumb terminal, in a log or a screen
 * reader. Choices are numbered. Ctrl-C (or the end of input) cancels: the
 * error is named as inquirer's, so callers treat both alike.
 */
import { createInterface } from 'node:readline';
import type { Interface } from 'node:readline';
import { redact } from './output.js';

export class PromptCancelled extends Error {
  override name = 'ExitPromptError';
  constructor() {
    super('cancelled');
  }
}

// One reader for the whole process: lines typed ahead (or pasted together)
// wait here for the question they answer instead of being lost.
let reader: Interface | null = null;
const typed: string[] = [];
let ended = false;
let waiting: ((line: string | null) => void) | null = null;

function start(): void {
  if (reader) return;
  reader = createInterface({ input: process.stdin, terminal: false });
  reader.on('line', (line) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(line);
    } else typed.push(line);
  });
  reader.on('close', () => {
    ended = true;
    waiting?.(null);
    waiting = null;
  });
}

function write(text: string): void {
  process.stdout.write(redact(text));
}

/** Prints `question` and resolves with the next line typed. */
function ask(question: string): Promise<string> {
  start();
  write(question);
  if (typed.length) return Promise.resolve(typed.shift()!);
  if (ended) return Promise.reject(new PromptCancelled());
  reader!.resume();
  return new Promise((resolve, reject) => {
    const onSigint = () => {
      waiting = null;
      write('\n');
      done();
      reject(new PromptCancelled());
    };
    const done = () => {
      process.off('SIGINT', onSigint);
      // Not reading between questions: a paused stdin lets the process end.
      reader?.pause();
    };
    process.once('SIGINT', onSigint);
    waiting = (line) => {
      done();
      if (line === null) reject(new PromptCancelled());
      else resolve(line);
    };
  });
}

export async function input(o: { message: string; default?: string; validate?: (v: string) => boolean | string | Promise<boolean | string> }): Promise<string> {
  for (;;) {
    const line = await ask(`? ${o.message}${o.default ? ` (${o.default})` : ''} `);
    const value = line.trim() === '' && o.default !== undefined ? o.default : line;
    const verdict = o.validate ? await o.validate(value) : true;
    if (verdict === true) return value;
    write(`  ${typeof verdict === 'string' ? verdict : 'not accepted'}\n`);
  }
}

export async function confirm(o: { message: string; default?: boolean }): Promise<boolean> {
  for (;;) {
    const line = (await ask(`? ${o.message} ${o.default === false ? '(y/N)' : '(Y/n)'} `)).trim().toLowerCase();
    if (line === '') return o.default ?? true;
    if (line === 'y' || line === 'yes') return true;
    if (line === 'n' || line === 'no') return false;
    write('  answer y or n\n');
  }
}

export async function select<T>(o: { message: string; choices: readonly { name: string; value: T; description?: string }[] }): Promise<T> {
  write(`? ${o.message}\n`);
  o.choices.forEach((c, i) => write(`  ${i + 1}) ${c.name}${c.description ? ` — ${c.description}` : ''}\n`));
  const n = o.choices.length;
  for (;;) {
    const line = (await ask(`  choose 1-${n} (1) `)).trim();
    const k = line === '' ? 1 : Number(line);
    if (Number.isInteger(k) && k >= 1 && k <= n) return o.choices[k - 1].value;
    write(`  type a number from 1 to ${n}\n`);
  }
}
