/**
 * A rendered revision file is TypeScript that, imported, declares exactly
 * the operations it was rendered from: rendering round-trips.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reverseAll } from '../source/ops/reverse.js';
import type { Operation } from '../source/ops/types.js';
import { loadRevisionFile, runnableText } from '../source/revisions/files.js';
import { renderRevision, revisionFileName } from '../source/revisions/render.js';
import { collectOperations } from '../source/runner/collect.js';
import { readFileSync } from 'node:fs';
import { col, enumCol, table } from './support/schema-builders.js';

const TEMPLATE = readFileSync(new URL('../templates/default/script.ts.tmpl', import.meta.url), 'utf8');

const ops: Operation[] = [
  { kind: 'createExtension', name: 'vector', ifNotExists: true },
  { kind: 'createEnum', name: 'mood', values: ['ok', "it's", 'back\\slash', '$$', '--', '/*', ''] },
  { kind: 'createTable', table: table('order', [col('note', 'text', { default: "'a''b'", comment: 'line\nbreak' }), enumCol('mood', 'mood', { nullable: true })]) },
  { kind: 'addColumn', table: 'order', column: col('n', 'integer'), backfill: { value: 0 } },
  { kind: 'renameColumn', table: 'order', from: 'n', to: 'm' },
  { kind: 'execute', sql: 'SELECT 1' },
  { kind: 'execute', sql: 'CREATE TABLE x (y int)', reverse: 'DROP TABLE x' },
];

/** What the file holds: the operations without their null fields. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, withoutNulls(v)]));
}

describe('revision files', () => {
  it('round-trip every operation, strings with quotes and backslashes included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fastedgy-render-'));
    const { ops: down, notes } = reverseAll(ops);
    const text = renderRevision({ template: TEMPLATE, revision: 'abcdef123456', downRevision: ['aaa', 'bbb'], message: "it's */ a test", createDate: new Date(2026, 10, 24, 10, 12, 0), upgrade: ops, downgrade: down, notes });
    expect(text).toContain('Revision ID: abcdef123456');
    expect(text).toContain('Revises: aaa, bbb');
    expect(text).toContain('Create Date: 2026-11-24 10:12:00');
    const file = join(dir, revisionFileName(new Date(2026, 10, 24, 10, 12, 0), 'abcdef123456', "it's a test"));
    expect(file.endsWith('20261124_101200_abcdef123456_it_s_a_test.ts')).toBe(true);
    writeFileSync(file, text);
    const rev = await loadRevisionFile(file);
    expect(rev.id).toBe('abcdef123456');
    expect(rev.downRevision).toEqual(['aaa', 'bbb']);
    expect(rev.message).toBe("it's */ a test");
    expect(await collectOperations(rev, 'upgrade')).toEqual(withoutNulls(ops));
    expect(await collectOperations(rev, 'downgrade')).toEqual(withoutNulls(down));
  });
});

describe('what counts as an edit (the checksummed text)', () => {
  it('comment-only lines and a trailing lint-allow comment are left out; code, strings holding //, and line endings count', () => {
    const text = [
      '// a note',
      '  \t// indented note\r',
      "await op.execute('SELECT 1'); // fastedgy-lint-allow create-index",
      "await op.execute('SELECT 2'); // a plain comment stays",
      "const url = 'http://example.com';",
      'const x = 1;\r',
      '// last',
    ].join('\n');
    expect(runnableText(text)).toBe(
      ["await op.execute('SELECT 1');", "await op.execute('SELECT 2'); // a plain comment stays", "const url = 'http://example.com';", 'const x = 1;\r'].join('\n'),
    );
    expect(runnableText('a\n\nb\n')).toBe('a\n\nb\n');
  });

  it('the same text as the rule read line by line, on random mixes of code, comments, blank lines and line endings', () => {
    // The rule as its doc comment states it, one line at a time.
    const byLines = (text: string) =>
      text
        .split('\n')
        .filter((line) => !/^[ \t]*\/\/.*$/.test(line.replace(/\r$/, '')))
        .map((line) => line.replace(/[ \t]*\/\/[ \t]*fastedgy-lint-allow\b[^\r]*/, ''))
        .join('\n');
    const parts = ['', ' ', '\t', '//', '// x', 'code', "'a//b'", '// fastedgy-lint-allow all', ' //fastedgy-lint-allow', '\r', '\u2028', '/'];
    let seed = 14;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let k = 0; k < 3000; k++) {
      const lines = Array.from({ length: next(6) }, () => Array.from({ length: next(4) }, () => parts[next(parts.length)]).join(''));
      const text = lines.join('\n');
      expect(runnableText(text), JSON.stringify(text)).toBe(byLines(text));
    }
  });
});

describe('revision headers', () => {
  it('reads ids and message from the text without importing the file', async () => {
    const { parseHeader } = await import('../source/revisions/header.js');
    const text = renderRevision({ template: TEMPLATE, revision: 'abcdef123456', downRevision: ['aaa', 'bbb'], message: `it's "quoted" \\ here`, createDate: new Date(Date.UTC(2026, 11, 1, 12, 30)), upgrade: [], downgrade: [], notes: [], transactional: false });
    expect(parseHeader(text)).toEqual({ id: 'abcdef123456', downRevision: ['aaa', 'bbb'], message: `it's "quoted" \\ here`, transactional: false, date: expect.stringMatching(/^2026-12-01 \d\d:30:00$/) });
    expect(parseHeader(`export const revision = "r1";\nexport const downRevision = null;\n`)).toEqual({ id: 'r1', downRevision: null, message: '', transactional: true });
    expect(parseHeader(`export const revision = makeId();\nexport const downRevision = null;\n`)).toBeNull();
  });
});
