/**
 * Rendering round-trips: the rendered file is TypeScript that, imported with
 * tsx, calls the `op` methods with the operations it was rendered from
 * (null fields aside: the file leaves them out and every reader treats a
 * missing field as null).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { describe, expect, it } from 'vitest';
import { Operations } from '../source/ops/api.js';
import { reverseAll } from '../source/ops/reverse.js';
import type { Operation } from '../source/ops/types.js';
import { newRevisionId, renderRevision, revisionFileName } from '../source/revisions/render.js';
import type { RenderInput } from '../source/revisions/render.js';
import { toJsLiteral } from '../source/util/js-literal.js';
import { col, enumCol, table } from './support/schema-builders.js';

const TEMPLATE = readFileSync(new URL('../templates/default/script.ts.tmpl', import.meta.url), 'utf8');
const hostile = ["it's", 'back\\slash', '$$', '${x}', '`tick`', '*/', 'line\nbreak\r\t', '\u2028', '"', '__proto__', ''];
const orders = table('order', [
  col('note', 'text', { default: "'a''b'", comment: 'line\nbreak' }),
  enumCol('mood', 'Mood', { nullable: true }),
  col('tags', 'text[]', { default: "'{}'::text[]" }),
], { indexes: [{ name: 'order_note_idx', columns: ['note'], unique: false, using: 'hnsw', opclasses: ['x_ops'], with: { m: '16' }, where: "note <> ''" }] });
const fk = { name: 'f', columns: ['a'], refTable: 'UserName', refColumns: ['id'], onDelete: 'set null' as const, onUpdate: 'no action' as const };

const upgrade: Operation[] = [
  { kind: 'createExtension', name: 'vector', ifNotExists: true },
  { kind: 'createEnum', name: 'Mood', values: hostile },
  { kind: 'addEnumValue', type: 'Mood', value: 'new', after: "it's", existing: hostile, columns: [{ table: 'order', column: 'mood', nullable: true }] },
  { kind: 'renameEnumValue', type: 'Mood', from: 'new', to: 'newer' },
  { kind: 'renameEnum', from: 'Mood', to: 'mood' },
  { kind: 'createTable', table: orders },
  { kind: 'renameTable', from: 'order', to: 'orders' },
  { kind: 'addColumn', table: 'orders', column: col('n', 'integer'), backfill: { value: 0 } },
  { kind: 'addColumn', table: 'orders', column: col('j', 'jsonb'), backfill: { value: { a: [1, 'x'], "b'": null, __proto__x: true } } },
  { kind: 'addColumn', table: 'orders', column: col('h', 'text'), backfill: { sql: "lower('X')" } },
  { kind: 'renameColumn', table: 'orders', from: 'n', to: 'm' },
  { kind: 'alterColumn', table: 'orders', column: 'm', from: { type: 'integer', nullable: true, default: null }, to: { type: 'bigint', nullable: false, default: '1' }, using: 'm::bigint', reverseUsing: 'm::integer', backfill: { useDefault: true } },
  { kind: 'rebuildEnum', type: 'mood', from: ['a', 'b', 'constructor', '__proto__'], to: ['a'], columns: [{ table: 'orders', column: 'mood', nullable: true, default: null, array: false }], fates: { b: { mapTo: 'a' }, constructor: { setNull: true }, ['__proto__']: { deleteRows: true } } },
  { kind: 'createIndex', table: 'orders', index: { name: 'i', columns: ['(lower(note))'], unique: true, using: 'btree' }, concurrently: true },
  { kind: 'dropIndex', table: 'orders', index: { name: 'i', columns: ['(lower(note))'], unique: true, using: 'btree' } },
  { kind: 'addUnique', table: 'orders', unique: { name: 'u', columns: ['m', 'h'] } },
  { kind: 'dropUnique', table: 'orders', unique: { name: 'u', columns: ['m', 'h'] } },
  { kind: 'addForeignKey', table: 'orders', foreignKey: fk },
  { kind: 'dropForeignKey', table: 'orders', foreignKey: fk },
  { kind: 'setTableComment', table: 'orders', from: null, to: "it's\nhere" },
  { kind: 'createView', view: { name: 'v', sql: "SELECT 'a''b' AS x" } },
  { kind: 'replaceView', from: { name: 'v', sql: "SELECT 'a''b' AS x" }, to: { name: 'v', sql: 'SELECT 2 AS x\nFROM orders' } },
  { kind: 'dropView', view: { name: 'v', sql: 'SELECT 2 AS x\nFROM orders' } },
  { kind: 'deleteRows', table: 'orders', where: "note = '$$'" },
  { kind: 'dropColumn', table: 'orders', column: col('h', 'text') },
  { kind: 'dropTable', table: orders },
  { kind: 'dropEnum', name: 'mood', values: ['a'] },
  { kind: 'dropExtension', name: 'vector' },
  { kind: 'execute', sql: 'SELECT 1' },
  { kind: 'execute', sql: 'CREATE TABLE x (y int)', reverse: 'DROP TABLE x' },
];

/** What the file holds: the operations without their null fields. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, withoutNulls(v)]));
}

let count = 0;
async function load(text: string): Promise<{ mod: Record<string, unknown>; up: Operation[]; down: Operation[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'fastedgy-render-'));
  const file = join(dir, `rev_${++count}.ts`);
  writeFileSync(file, text);
  const mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  const run = async (name: string) => {
    const ops: Operation[] = [];
    await (mod[name] as (op: Operations) => Promise<void>)(new Operations((o) => void ops.push(o)));
    return ops;
  };
  return { mod, up: await run('upgrade'), down: await run('downgrade') };
}

const base: RenderInput = {
  template: TEMPLATE, revision: 'abcdef123456', downRevision: null, message: 'm', createDate: new Date(2026, 10, 23, 10, 2, 3), upgrade: [], downgrade: [], notes: [],
};

describe('renderRevision', () => {
  it('round-trips every operation kind and hostile strings through a TypeScript file', async () => {
    const { ops: downgrade, notes } = reverseAll(upgrade);
    const text = renderRevision({ ...base, downRevision: '1a2b3c4d5e6f', message: "Add 'orders' */ and\nmore", upgrade, downgrade, notes });
    expect(text).toContain("/** Add 'orders' * / and more\n");
    expect(text).toContain('Revision ID: abcdef123456\n * Revises: 1a2b3c4d5e6f\n * Create Date: 2026-11-23 10:02:03\n');
    expect(text).toContain("  // cannot restore: rows deleted from orders (note = '$$') cannot be restored\n");
    expect(text).toContain("  await op.execute('SELECT 1');\n");
    expect(text).not.toContain('transactional');
    const { mod, up, down } = await load(text);
    expect(mod.revision).toBe('abcdef123456');
    expect(mod.downRevision).toBe('1a2b3c4d5e6f');
    expect(mod.message).toBe("Add 'orders' */ and\nmore");
    expect(up).toEqual(withoutNulls(upgrade));
    expect(down).toEqual(withoutNulls(downgrade));
    // toEqual ignores prototypes: check the `__proto__` enum value stayed a value.
    expect((up[1] as { values: string[] }).values).toContain('__proto__');
    const rebuild = up.find((o) => o.kind === 'rebuildEnum');
    expect(Object.keys(rebuild!.fates)).toEqual(['b', 'constructor', '__proto__']);
  });

  it('writes a merge, a base revision, empty bodies and non-transactional revisions', async () => {
    const merge = renderRevision({ ...base, downRevision: ['aaa', 'bbb'], transactional: false });
    expect(merge).toContain('Revises: aaa, bbb');
    expect(merge).toContain("export const downRevision: string | string[] | null = ['aaa', 'bbb'];");
    expect(merge).toContain('export const transactional = false;\n');
    expect(merge).toContain('export async function upgrade(op: Operations): Promise<void> {\n  // nothing to do\n}');
    const { mod, up, down } = await load(merge);
    expect([mod.downRevision, mod.transactional, up, down]).toEqual([['aaa', 'bbb'], false, [], []]);

    const first = renderRevision({ ...base, notes: ['a note'] });
    expect(first).toContain('Revises: <base>');
    expect(first).toContain('export const downRevision: string | string[] | null = null;');
    expect(first).toContain('  // cannot restore: a note\n  // nothing to do\n');
  });
});

describe('file names, ids and literals', () => {
  it('names files by date, id and a slug of the message', () => {
    const d = new Date(2026, 0, 5, 7, 8, 9);
    expect(revisionFileName(d, 'abc123abc123', "Add user's e-mail (v2)!")).toBe('20260105_070809_abc123abc123_add_user_s_e_mail_v2.ts');
    expect(revisionFileName(d, 'r', '¿¡ !')).toBe('20260105_070809_r_empty.ts');
    const slug = revisionFileName(d, 'r', 'a'.repeat(39) + ' bcd').replace('20260105_070809_r_', '').replace('.ts', '');
    expect(slug).toBe('a'.repeat(39));
  });

  it('makes 12-hex-digit random ids', () => {
    const ids = new Set(Array.from({ length: 50 }, newRevisionId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
  });

  it('writes readable literals: bare keys, one line when short, one entry per line when long', () => {
    expect(toJsLiteral({ a: 1, 'b-c': [true, null], s: "it's" })).toBe(`{ a: 1, 'b-c': [true, null], s: "it's" }`);
    expect(toJsLiteral({ __proto__x: 1, ['__proto__']: 2 })).toBe("{ __proto__x: 1, ['__proto__']: 2 }");
    const long = toJsLiteral({ columns: Array.from({ length: 12 }, (_, i) => `column_${i}`) }, '  ');
    expect(long.split('\n')).toHaveLength(16);
    expect(long.endsWith('\n    ],\n  }')).toBe(true);
  });
});
