/**
 * A revision file from the template (`migrations/script.ts.tmpl`, which holds
 * no logic: a header, ids, two slots), and its file name and id.
 */
import { randomBytes } from 'node:crypto';
import type { Operation } from '../ops/types.js';
import { toJsLiteral } from '../util/js-literal.js';

export interface RenderInput {
  readonly template: string;
  readonly revision: string;
  readonly downRevision: string | readonly string[] | null;
  readonly message: string;
  readonly createDate: Date;
  readonly upgrade: readonly Operation[];
  readonly downgrade: readonly Operation[];
  readonly notes: readonly string[];
  readonly transactional?: boolean;
  /**
   * A multi-database revision: a section per database that has changes,
   * rendered into the template's `${upgradeSections}` / `${downgradeSections}`
   * slots as `upgrade = { async main(op) {…}, … }`. `upgrade`, `downgrade`
   * and `notes` are then ignored.
   */
  readonly sections?: readonly RenderSection[];
}

export interface RenderSection {
  readonly database: string;
  readonly upgrade: readonly Operation[];
  readonly downgrade: readonly Operation[];
  readonly notes: readonly string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

function dateText(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * Operation arguments without the null-valued fields (no comment, no
 * default…): the file reads like hand-written code, and every consumer
 * treats a missing field as null.
 */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(record)
      .filter(([k, v]) => v !== null && v !== undefined && !isDerivedViewField(record, k))
      .map(([k, v]) => [k, compact(v)]),
  );
}

/** A view's comparison text and dependencies are read back from the database; the file needs its SQL. */
function isDerivedViewField(record: Record<string, unknown>, key: string): boolean {
  if (typeof record.sql !== 'string' || typeof record.name !== 'string') return false;
  return key === 'dependsOn' || (key === 'definition' && record.definition === record.sql);
}

function body(ops: readonly Operation[], notes: readonly string[] = [], indent = '  '): string {
  const lines = notes.map((n) => `${indent}// cannot restore: ${n.replace(/\n/g, ' ')}`);
  for (const op of ops) {
    const { kind, ...args } = op;
    if (kind === 'execute' && Object.keys(args).length === 1) lines.push(`${indent}await op.execute(${toJsLiteral(op.sql, indent)});`);
    else lines.push(`${indent}await op.${kind}(${toJsLiteral(compact(args), indent)});`);
  }
  if (ops.length === 0) lines.push(`${indent}// nothing to do`);
  return lines.join('\n');
}

/** `  async main(op: Operations): Promise<void> { … },` for each database, in the config's order. */
function sectionsBody(sections: readonly RenderSection[], direction: 'upgrade' | 'downgrade'): string {
  return sections
    .map((s) => {
      const inner = direction === 'upgrade' ? body(s.upgrade, [], '    ') : body(s.downgrade, s.notes, '    ');
      return `  async ${s.database}(op: Operations): Promise<void> {\n${inner}\n  },`;
    })
    .join('\n');
}

export function renderRevision(input: RenderInput): string {
  const down = input.downRevision;
  const values: Record<string, string> = {
    message: input.message.replace(/\*\//g, '* /').replace(/\n/g, ' '),
    revision: input.revision,
    downRevisionText: down === null ? '<base>' : typeof down === 'string' ? down : down.join(', '),
    createDate: dateText(input.createDate),
    revisionLiteral: toJsLiteral(input.revision),
    downRevisionLiteral: toJsLiteral(down === null ? null : typeof down === 'string' ? down : [...down]),
    messageLiteral: toJsLiteral(input.message),
    extraExports: input.transactional === false ? 'export const transactional = false;\n' : '',
    upgrades: body(input.upgrade),
    downgrades: body(input.downgrade, input.notes),
    upgradeSections: sectionsBody(input.sections ?? [], 'upgrade'),
    downgradeSections: sectionsBody(input.sections ?? [], 'downgrade'),
  };
  return input.template.replace(/\$\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

export function newRevisionId(): string {
  return randomBytes(6).toString('hex');
}

export function revisionFileName(date: Date, revision: string, message: string): string {
  const stamp = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}_${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  const slug = message.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40).replace(/_+$/, '') || 'empty';
  return `${stamp}_${revision}_${slug}.ts`;
}
