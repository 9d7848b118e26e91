/**
 * The ids and message of a revision file read from its text, without
 * importing it: the `export const revision = '…'` lines the template
 * writes. Anything less plain (a computed id) returns null and the file is
 * imported instead.
 */
export interface RevisionHeader {
  readonly id: string;
  readonly downRevision: string | string[] | null;
  readonly message: string;
  readonly transactional: boolean;
  /** The template's `Create Date:` line, for people (the browser, `history`). */
  readonly date?: string;
}

const STRING = String.raw`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"`;
const TYPE = String.raw`(?:\s*:[^=\n]+)?`;
const line = (name: string, value: string) => new RegExp(String.raw`^export const ${name}${TYPE}\s*=\s*(${value})\s*;?\s*$`, 'm');

const REVISION = line('revision', STRING);
const DOWN = line('downRevision', String.raw`null|${STRING}|\[(?:\s*(?:${STRING})\s*,?)*\s*\]`);
const MESSAGE = line('message', STRING);
const TRANSACTIONAL = line('transactional', 'true|false');
const CREATE_DATE = /^\s*\*\s*Create Date:\s*(.+?)\s*$/m;

/** A JS string literal's value (single or double quoted, with escapes). */
function stringValue(literal: string): string {
  const body = literal.slice(1, -1);
  const doubled = literal.startsWith("'") ? body.replace(/\\'/g, "'").replace(/"/g, '\\"') : body;
  return JSON.parse(`"${doubled}"`) as string;
}

export function parseHeader(text: string): RevisionHeader | null {
  const revision = REVISION.exec(text);
  const down = DOWN.exec(text);
  const message = MESSAGE.exec(text);
  if (!revision || !down) return null;
  try {
    const d = down[1];
    const downRevision = d === 'null' ? null : d.startsWith('[') ? (d.match(new RegExp(STRING, 'g')) ?? []).map(stringValue) : stringValue(d);
    return {
      id: stringValue(revision[1]),
      downRevision,
      message: message ? stringValue(message[1]) : '',
      transactional: TRANSACTIONAL.exec(text)?.[1] !== 'false',
      ...(CREATE_DATE.exec(text) ? { date: CREATE_DATE.exec(text)![1] } : {}),
    };
  } catch {
    return null;
  }
}
