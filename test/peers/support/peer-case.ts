/**
 * Cases ported from the test suites of peer tools (Django's autodetector and
 * operations, Alembic's autogenerate, drizzle-kit): each is a pair of model
 * versions and the answers the change needs, run through the whole pipeline
 * on both engines. What every case must show, whatever the peer tested:
 *
 * - v1 makes, migrates, and leaves nothing pending;
 * - v2 (after a seeded row, where the case gives one) makes a revision with
 *   no question left open, migrates, and leaves nothing pending (no phantom
 *   differences);
 * - the migrated schema equals a fresh database built from v2 in one
 *   revision (names of constraints, indexes and sequences included);
 * - a downgrade returns exactly to the v1 schema, and upgrading again gives
 *   the v2 schema back.
 */
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../../source/diff/questions.js';
import { engines } from '../../support/databases.js';
import type { Engine } from '../../support/databases.js';
import { comparable, TestProject } from '../../support/roundtrip.js';
import { serverMajor } from '../../support/server-version.js';

export interface PeerCase {
  /** What the case does, in our terms. */
  readonly name: string;
  /** The peer test it comes from: `django test_autodetector.py::test_…`. */
  readonly peer: string;
  /** Models source (the harness imports defineModel, defineEnum, defineView, fields). */
  readonly v1: string;
  readonly v2: string;
  /** SQL run after v1 is migrated, so the change meets a table with rows. */
  readonly seed?: string;
  readonly answers?: Answers;
  /** Checks on the database once v2 is migrated (rows kept, a constraint enforced…). */
  readonly verify?: (p: TestProject) => Promise<void>;
  /**
   * v2 says the same as v1 to the database (a field renamed while its
   * column is kept, a model renamed while its table is kept): makemigrations
   * must find no changes and write nothing.
   */
  readonly noChange?: boolean;
  /** The lowest server major the case needs (nullsNotDistinct: 15); PGlite is 17. */
  readonly minMajor?: number;
}

const none = { operations: [], questions: [] };

export async function runPeerCase(engine: Engine, c: PeerCase): Promise<void> {
  const p = await TestProject.create(engine);
  try {
    if (c.minMajor && (await serverMajor(p.db)) < c.minMajor) {
      // The feature is refused before this major with its own test elsewhere;
      // here the case has nothing to show, so it checks the refusal is clear.
      p.models(c.v2);
      await expect(p.make({}, 'v2')).rejects.toThrow(/PostgreSQL \d+/);
      return;
    }
    p.models(c.v1);
    const first = await p.make({}, 'v1');
    expect(first.status === 'written' || first.status === 'no-changes').toBe(true);
    await p.migrate();
    expect(await p.pending()).toEqual(none);
    const before = comparable(await p.schema());
    if (c.seed) await p.db.query(c.seed);

    p.models(c.v2);
    const made = await p.make(c.answers ?? {}, 'v2');
    if (made.status === 'questions') throw new Error(`questions left open: ${made.questions.map((q) => q.id).join(', ')}`);
    if (c.noChange) {
      expect(made.status).toBe('no-changes');
      expect(await p.pending()).toEqual(none);
      // Not compared with a fresh build of v2: a default written `5.2` is
      // stored as PostgreSQL parsed it, `(5.2)::double precision` another
      // tree for the same value; that they mean the same is what pending() says.
      expect(comparable(await p.schema())).toEqual(before);
      return;
    }
    expect(made.status).toBe('written');
    await p.migrate();
    expect(await p.pending()).toEqual(none);
    await c.verify?.(p);
    const after = comparable(await p.schema());
    expect(after).toEqual(comparable(await p.freshBuild(engine)));

    await p.downgrade();
    expect(comparable(await p.schema())).toEqual(before);
    await p.migrate();
    expect(comparable(await p.schema())).toEqual(after);
    expect(await p.pending()).toEqual(none);
  } finally {
    await p.dispose();
  }
}

/** One `describe` per engine, one `it` per case, named `<name> (<peer>)`. */
export function peerSuite(title: string, cases: readonly PeerCase[]): void {
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`two peer cases named '${c.name}'`);
    names.add(c.name);
  }
  describe.each(engines)(`${title} on %s`, (engine) => {
    for (const c of cases) it(`${c.name} (${c.peer})`, () => runPeerCase(engine, c), 240_000);
  });
}

// Builders, so a case reads as the models it declares.

/** `defineModel(Name, { tablename, timestamps: false, fields: {…}, …extra })`. */
export const model = (name: string, table: string, fieldsSrc: string, extra = ''): string =>
  `\nexport const ${name} = defineModel('${name}', { tablename: '${table}', timestamps: false, fields: { ${fieldsSrc} }, ${extra} });\n`;

/** `defineEnum(Name, values, { typeName })`. */
export const enumDef = (name: string, values: readonly string[], typeName?: string): string =>
  `\nexport const ${name} = defineEnum('${name}', ${JSON.stringify(values)}${typeName ? `, { typeName: '${typeName}' }` : ''});\n`;

/** `defineView(Name, { viewname, sql })`. */
export const viewDef = (name: string, viewname: string, sql: string): string =>
  `\nexport const ${name} = defineView('${name}', { viewname: '${viewname}', sql: ${JSON.stringify(sql)} });\n`;
