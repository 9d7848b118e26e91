/**
 * The lint for revision files: each revision's upgrade() recorded (not
 * run), its operations and raw SQL checked by the rules (rules.ts), the
 * rules the file silences left out, and the warnings worded for stderr.
 *
 * A revision silences a rule with a comment anywhere in its file:
 *
 *     // fastedgy-lint-allow create-index, set-not-null
 *
 * (`all` silences every rule). A comment, rather than an export, because it
 * is read from the file's text without importing it, and works the same in
 * a hand-written revision and in a revision template.
 */
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Operation } from '../ops/types.js';
import type { RevisionFile } from '../revisions/files.js';
import { collectOperations } from '../runner/collect.js';
import { LintContext, lintOperations, RULES } from './rules.js';
import type { Finding } from './rules.js';

export { LintContext, lintOperations, sqlFindings, RULES } from './rules.js';
export type { Finding, RuleId } from './rules.js';

export interface LintWarning extends Finding {
  /** The revision file's name (no directory). */
  readonly file: string;
}

export interface LintReport {
  readonly warnings: readonly LintWarning[];
  /** Revisions whose upgrade() could not be recorded, with the reason: not linted. */
  readonly skipped: readonly string[];
}

const ALLOW_COMMENT = /fastedgy-lint-allow\b[ \t:]*([A-Za-z0-9_, \t-]*)/g;

/** The rules a revision's text silences (`all` stands for every rule). */
export function allowedRules(text: string): Set<string> {
  const allowed = new Set<string>();
  for (const m of text.matchAll(ALLOW_COMMENT)) for (const rule of m[1].split(/[\s,]+/)) if (rule) allowed.add(rule.toLowerCase());
  if (allowed.has('all')) for (const rule of Object.keys(RULES)) allowed.add(rule);
  return allowed;
}

/** `export const transactional = false` in a revision's text (what revisions/files.ts reads from the module). */
const NOT_TRANSACTIONAL = /export\s+const\s+transactional\s*(?::\s*boolean\s*)?=\s*false\b/;

/**
 * The warnings for one revision's upgrade operations, given its file name and
 * text. `columnTypes`: the column types earlier revisions left (see
 * LintContext), updated with this revision's.
 */
export function lintRevisionText(
  file: string,
  text: string,
  upgrade: readonly Operation[],
  columnTypes?: Map<string, Map<string, string>>,
): LintWarning[] {
  const allowed = allowedRules(text);
  return lintOperations(upgrade, new LintContext(!NOT_TRANSACTIONAL.test(text), columnTypes))
    .filter((f) => !allowed.has(f.rule))
    .map((f) => ({ ...f, file: basename(file) }));
}

/**
 * Lints revision files in the order given; one that cannot be recorded is
 * reported in `skipped`, not thrown. `history` (every revision, oldest
 * first, the linted ones among them) is read too, not reported on: the
 * column types it leaves let a raw `ALTER … TYPE` be judged against the type
 * it changes from (a varchar shortened, an enum made text).
 */
export async function lintRevisions(revisions: readonly RevisionFile[], history: readonly RevisionFile[] = revisions): Promise<LintReport> {
  const warnings: LintWarning[] = [];
  const skipped: string[] = [];
  const linted = new Set(revisions);
  const columnTypes = new Map<string, Map<string, string>>();
  const order = [...history, ...revisions.filter((r) => !history.includes(r))];
  // Revisions after the last linted one cannot change a warning: they are not
  // imported (a check with nothing pending imports no revision at all, where a
  // first revision of a big schema is megabytes of module to compile and run).
  let last = -1;
  order.forEach((r, i) => linted.has(r) && (last = i));
  for (const rev of order.slice(0, last + 1)) {
    try {
      const ops = await collectOperations(rev, 'upgrade');
      const found = lintRevisionText(rev.file, readFileSync(rev.file, 'utf8'), ops, columnTypes);
      if (linted.has(rev)) warnings.push(...found);
    } catch (e) {
      if (linted.has(rev)) skipped.push(`${basename(rev.file)}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return { warnings, skipped };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The report as lines for stderr (none when there is nothing to say).
 * `footer` ends it: what the warnings mean for the command that printed them.
 */
export function formatLint(report: LintReport, footer: string, paint: (text: string) => string = (t) => t): string[] {
  const lines: string[] = [];
  for (const w of report.warnings) {
    lines.push(`${paint('warning')} [${w.rule}] ${w.file}: ${w.operation}`);
    lines.push(`  risk: ${w.risk}`);
    lines.push(`  safer: ${w.safer}`);
  }
  for (const s of report.skipped) lines.push(`${paint('warning')} not linted: ${s}`);
  if (lines.length === 0) return [];
  const rules = [...new Set(report.warnings.map((w) => w.rule))];
  const silence = rules.length ? ` Silence a rule in a revision with a \`// fastedgy-lint-allow ${rules.join(', ')}\` comment.` : '';
  // "0 lint warnings" beside a file that could not be linted would read as a clean bill.
  const counted = report.skipped.length
    ? `${plural(report.warnings.length, 'lint warning')} about locks on big tables, and ${plural(report.skipped.length, 'revision')} not linted.`
    : `${plural(report.warnings.length, 'lint warning')} about locks on big tables.`;
  lines.push(`${counted} ${footer}${silence}`);
  return lines;
}
