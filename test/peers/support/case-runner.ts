/**
 * Cases ported from other migration tools' own test suites, run as one
 * table: each case is models v1 -> v2 (plus the answers its questions need)
 * and must round-trip on both engines the way a user relies on:
 *
 *   make + migrate v1, seed rows, make + migrate v2
 *   -> nothing pending (no phantom differences)
 *   -> the migrated schema equals a fresh build of v2 (names included)
 *   -> downgrade gives back exactly the v1 schema, and the seeded rows
 *   -> upgrade again gives back exactly the v2 schema, nothing pending.
 *
 * The peers assert the SQL they generate; we assert the outcome, which is
 * what a user of either tool checks, so each peer case maps to one scenario.
 */
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../../source/diff/questions.js';
import { engines } from '../../support/databases.js';
import type { Engine } from '../../support/databases.js';
import { serverMajor } from '../../support/server-version.js';
import { comparable, TestProject } from '../../support/roundtrip.js';

export interface PeerCase {
  /** What the case checks, in our words. */
  readonly name: string;
  /** The peer test it comes from: `repo path::test name`. */
  readonly peer: string;
  /** Models source of the first version (may be empty: nothing yet). */
  readonly v1: string;
  /** SQL run once v1 is migrated: rows the upgrade must carry. */
  readonly seed?: string;
  readonly v2: string;
  readonly answers?: Answers;
  /** Question ids v2's makemigrations must ask when given no answers (what `answers` settles). */
  readonly asks?: readonly string[];
  /**
   * A query whose rows are checked after the upgrade and, when `down` is
   * given, after the downgrade (leave it out when the query names what v1 lacks).
   */
  readonly probe?: { readonly sql: string; readonly up: unknown[]; readonly down?: unknown[] };
  /**
   * The oldest server major the case's models need (nullsNotDistinct: 15).
   * On an older server the first makemigrations that meets the feature must
   * refuse it with a message naming `refusal`.
   */
  readonly needs?: { readonly major: number; readonly refusal: RegExp };
  /** An engine the case is for only (pgvector: the embedded database ships it, the test server does not). */
  readonly only?: Engine;
}

const NOTHING = { operations: [], questions: [] };

async function makeWritten(p: TestProject, answers: Answers, message: string): Promise<void> {
  const made = await p.make(answers, message);
  if (made.status === 'questions') {
    throw new Error(`${message}: questions left open: ${made.questions.map((q) => q.id).join(', ')}`);
  }
  expect(made.status, `${message} wrote a revision`).toBe('written');
}

export async function runCase(engine: Engine, c: PeerCase): Promise<void> {
  const p = await TestProject.create(engine);
  try {
    if (c.needs && (await serverMajor(p.db)) < c.needs.major) {
      // Too old for the feature: the first version that uses it is refused, clearly.
      p.models(c.v1.trim() ? c.v1 : c.v2);
      await expect(p.make(c.answers ?? {}, 'v1')).rejects.toThrow(c.needs.refusal);
      return;
    }

    p.models(c.v1);
    if (c.v1.trim()) await makeWritten(p, {}, 'v1');
    await p.migrate();
    expect(await p.pending(), 'v1 migrated: nothing pending').toEqual(NOTHING);
    const before = comparable(await p.schema());
    if (c.seed) await p.db.query(c.seed);

    p.models(c.v2);
    if (c.asks) {
      const unanswered = await p.make({}, 'v2 unanswered');
      expect(unanswered.status === 'questions' ? unanswered.questions.map((q) => q.id).sort() : [], 'the questions v2 asks').toEqual([...c.asks].sort());
    }
    await makeWritten(p, c.answers ?? {}, 'v2');
    await p.migrate();
    expect(await p.pending(), 'v2 migrated: nothing pending').toEqual(NOTHING);
    const after = comparable(await p.schema());
    expect(after, 'the migrated schema equals a fresh build of v2').toEqual(comparable(await p.freshBuild(engine)));
    if (c.probe) expect(await p.rows(c.probe.sql), 'rows after the upgrade').toEqual(c.probe.up);

    await p.downgrade();
    expect(comparable(await p.schema()), 'downgrade gives back v1').toEqual(before);
    if (c.probe?.down) expect(await p.rows(c.probe.sql), 'rows after the downgrade').toEqual(c.probe.down);

    await p.migrate();
    expect(comparable(await p.schema()), 'upgrade again gives back v2').toEqual(after);
    expect(await p.pending(), 'v2 again: nothing pending').toEqual(NOTHING);
  } finally {
    await p.dispose();
  }
}

/** One `describe` per engine, one `it` per case, named for the case and its peer test. */
export function runCases(title: string, cases: readonly PeerCase[]): void {
  describe.each(engines)(`${title} on %s`, (engine) => {
    for (const c of cases.filter((x) => !x.only || x.only === engine)) it(`${c.name} [${c.peer}]`, () => runCase(engine, c), 240_000);
  });
}

/** A model source line: `model('User', 'users', "name: fields.CharField()", "indexes: [...]")`. */
export function model(name: string, table: string, fieldsSrc: string, extra = ''): string {
  return `export const ${name} = defineModel('${name}', { tablename: '${table}', timestamps: false, fields: { ${fieldsSrc} }${extra ? `, ${extra}` : ''} });\n`;
}

/** An enum source line: `enumOf('Status', 'user_status', ['a', 'b'])` exports `Status`. */
export function enumOf(name: string, typeName: string, values: readonly string[]): string {
  return `export const ${name} = defineEnum('${name}', ${JSON.stringify(values)}, { typeName: '${typeName}' });\n`;
}
