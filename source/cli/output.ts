/**
 * Where the CLI writes: data to stdout, messages to stderr, colour only on a
 * terminal that wants it (NO_COLOR, a pipe or TERM=dumb turn it off).
 */
import { stripVTControlCharacters } from 'node:util';

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR) return true;
  return !!stream.isTTY && process.env.TERM !== 'dumb';
}

function paint(code: number, reset: number) {
  return (text: string, stream?: NodeJS.WriteStream) => (colorEnabled(stream) ? `\u001b[${code}m${text}\u001b[${reset}m` : text);
}

export const style = {
  bold: paint(1, 22),
  dim: paint(2, 22),
  red: paint(31, 39),
  green: paint(32, 39),
  yellow: paint(33, 39),
  cyan: paint(36, 39),
};

const secrets = new Set<string>();

/** A database password: never printed, whatever message would carry it. */
export function registerSecret(url: string | undefined): void {
  if (!url) return;
  try {
    const password = new URL(url).password;
    if (password) {
      secrets.add(password);
      secrets.add(decodeURIComponent(password));
    }
  } catch {
    // not a URL: nothing to hide
  }
}

export function redact(text: string): string {
  let t = text;
  for (const s of secrets) if (s.length > 0) t = t.split(s).join('***');
  return t;
}

export function out(text = ''): void {
  process.stdout.write(redact(text) + '\n');
}

export function err(text = ''): void {
  process.stderr.write(redact(colorEnabled(process.stderr) ? text : stripVTControlCharacters(text)) + '\n');
}

export function json(value: unknown): void {
  process.stdout.write(redact(JSON.stringify(value, null, 2)) + '\n');
}
