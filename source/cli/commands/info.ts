/**
 * The read-only commands: `current`, `history`, `heads`, `show`. Only
 * `current` connects; the others read the revision files alone.
 */
import { UsageError } from '../../errors.js';
import { describeOperation } from '../../ops/describe.js';
import type { RevisionFile } from '../../revisions/files.js';
import { collectOperations, statementsOf } from '../../runner/collect.js';
import { readVersionState } from '../../runner/version-table.js';
import { json, out, style } from '../output.js';
import { loadHistory, openProject, warnHistory, withDatabases } from '../session.js';
import type { GlobalOptions, History } from '../session.js';

function downText(r: RevisionFile): string {
  if (r.downRevision === null) return '<base>';
  return typeof r.downRevision === 'string' ? r.downRevision : `(${r.downRevision.join(', ')})`;
}

export async function current(globals: GlobalOptions, options: { database?: string } = {}): Promise<number> {
  const project = await openProject(globals);
  const history = await loadHistory(project);
  const heads = new Set(history.graph.heads());
  const states = await withDatabases(project, options.database, async (members) => {
    await warnHistory(history, members, project.multi);
    const all: { name: string; heads: string[] }[] = [];
    for (const m of members) all.push({ name: m.name, heads: (await readVersionState(m.db)).heads });
    return all;
  });
  const describe = (h: string) => ({ revision: h, head: heads.has(h), message: history.revisions.find((r) => r.id === h)?.message ?? null });
  if (globals.json) {
    if (project.multi) json({ databases: Object.fromEntries(states.map((s) => [s.name, { current: s.heads.map(describe) }])) });
    else json({ current: states[0].heads.map(describe) });
    return 0;
  }
  // A line per database, prefixed with its name when the project names them.
  for (const s of states) {
    const who = project.multi ? `${s.name}: ` : '';
    if (s.heads.length === 0) out(`${who}<base> (no revision applied)`);
    for (const h of s.heads) {
      const d = describe(h);
      out(`${who}${h}${d.head ? ' (head)' : ''}${d.message !== null ? `, ${d.message}` : ' (no revision file)'}`);
    }
  }
  return 0;
}

/** Newest first: children before parents. */
function newestFirst(history: History): RevisionFile[] {
  const byId = new Map(history.revisions.map((r) => [r.id, r]));
  return history.graph.topological().reverse().map((id) => byId.get(id)!);
}

export async function listHistory(globals: GlobalOptions): Promise<number> {
  const history = await loadHistory(await openProject(globals));
  const heads = new Set(history.graph.heads());
  const revs = newestFirst(history);
  if (globals.json) {
    json(revs.map((r) => ({ revision: r.id, downRevision: r.downRevision, message: r.message, head: heads.has(r.id), file: r.file })));
    return 0;
  }
  if (revs.length === 0) out('No revisions yet.');
  for (const r of revs) out(`${downText(r)} -> ${style.bold(r.id)}${heads.has(r.id) ? ' (head)' : ''}, ${r.message}`);
  return 0;
}

export async function listHeads(globals: GlobalOptions): Promise<number> {
  const history = await loadHistory(await openProject(globals));
  const heads = history.graph.heads();
  if (globals.json) {
    json(heads.map((h) => ({ revision: h, message: history.revisions.find((r) => r.id === h)?.message ?? '' })));
    return 0;
  }
  for (const h of heads) out(`${h} (head), ${history.revisions.find((r) => r.id === h)?.message ?? ''}`);
  return 0;
}

export async function showRevision(rev: string, globals: GlobalOptions): Promise<number> {
  const history = await loadHistory(await openProject(globals));
  const ids = history.graph.resolveTarget(rev, []);
  if (ids.length !== 1) throw new UsageError(`"${rev}" does not name one revision`);
  const r = history.revisions.find((x) => x.id === ids[0])!;
  // PostgreSQL's scanner (a WebAssembly module) loads only for `show`, not for `current` or `history`.
  const { terminated } = await import('../../util/sql-terminate.js');
  const sections = await r.sections();
  if (sections) return showSections(r, sections, globals, terminated);
  const up = await collectOperations(r, 'upgrade');
  const down = await collectOperations(r, 'downgrade');
  if (globals.json) {
    json({
      revision: r.id, downRevision: r.downRevision, message: r.message, file: r.file,
      upgrade: up.map(describeOperation), downgrade: down.map(describeOperation),
      upgradeSql: statementsOf(up).map((s) => s.sql), downgradeSql: statementsOf(down).map((s) => s.sql),
    });
    return 0;
  }
  out(`Revision: ${r.id}`);
  out(`Revises: ${downText(r)}`);
  out(`Message: ${r.message}`);
  out(`File: ${r.file}`);
  out('');
  out(style.bold('Upgrade:'));
  for (const op of up) out(`  - ${describeOperation(op)}`);
  out('');
  out(style.bold('Downgrade:'));
  for (const op of down) out(`  - ${describeOperation(op)}`);
  out('');
  out(style.bold('Upgrade SQL:'));
  for (const s of statementsOf(up)) out(terminated(s.sql));
  out('');
  out(style.bold('Downgrade SQL:'));
  for (const s of statementsOf(down)) out(terminated(s.sql));
  return 0;
}

/** `show` of a multi-database revision: each database's section under its name. */
async function showSections(
  r: RevisionFile,
  sections: readonly string[],
  globals: GlobalOptions,
  terminated: (sql: string) => string,
): Promise<number> {
  const parts = [];
  for (const name of sections) {
    const up = await collectOperations(r, 'upgrade', name);
    const down = await collectOperations(r, 'downgrade', name);
    parts.push({ name, up, down });
  }
  if (globals.json) {
    json({
      revision: r.id, downRevision: r.downRevision, message: r.message, file: r.file,
      databases: Object.fromEntries(parts.map((p) => [p.name, {
        upgrade: p.up.map(describeOperation), downgrade: p.down.map(describeOperation),
        upgradeSql: statementsOf(p.up).map((s) => s.sql), downgradeSql: statementsOf(p.down).map((s) => s.sql),
      }])),
    });
    return 0;
  }
  out(`Revision: ${r.id}`);
  out(`Revises: ${downText(r)}`);
  out(`Message: ${r.message}`);
  out(`File: ${r.file}`);
  for (const p of parts) {
    out('');
    out(style.bold(`Database ${p.name}`));
    out(style.bold('Upgrade:'));
    for (const op of p.up) out(`  - ${describeOperation(op)}`);
    out(style.bold('Downgrade:'));
    for (const op of p.down) out(`  - ${describeOperation(op)}`);
    out(style.bold('Upgrade SQL:'));
    for (const s of statementsOf(p.up)) out(terminated(s.sql));
    out(style.bold('Downgrade SQL:'));
    for (const s of statementsOf(p.down)) out(terminated(s.sql));
  }
  return 0;
}
