/**
 * Where the CLI writes: data to stdout, messages to stderr, colour only on a
 * terminal that wants it (NO_COLOR, a pipe or TERM=dumb turn it off).
 */
import { stripVTControlCharacters } from 'node:util';
import { redactUrlsIn } from '../db/database-url.js';

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

const secretUrls = new Set<string>();

/**
 * A database URL whose password must never be printed. What is hidden is the
 * password inside URLs, not every occurrence of the password's text: a
 * password `id` must not turn `PRIMARY KEY (id)` into `PRIMARY KEY (***)`.
 */
export function registerSecret(url: string | undefined): void {
  if (url) secretUrls.add(url);
}

export function redact(text: string): string {
  return redactUrlsIn(text, secretUrls);
}

export function out(text = ''): void {
  process.stdout.write(redact(text) + '\n');
}

export function err(text = ''): void {
  process.stderr.write(redact(colorEnabled(process.stderr) ? text : stripVTControlCharacters(text)) + '\n');
}

export function json(value: unknown): void {
  // Strings are redacted before they are escaped, so that a URL holding a quote is still found whole.
  process.stdout.write(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redact(v) : v), 2) + '\n');
}
