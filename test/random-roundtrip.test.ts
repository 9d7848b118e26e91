/**
 * Seeded random model pairs on a real server and on PGlite: each pair is made, migrated,
 * checked (nothing left to change) and downgraded back to the first
 * models' schema exactly. Answers are generated for whatever is asked:
 * rename when offered, a typed value for a backfill, confirm a drop, map an
 * enum value to the first one left.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from './support/seeded-random.js';
import type { Answers, Question } from '../source/diff/questions.js';
import { engines } from './support/databases.js';
import type { Engine } from './support/databases.js';
import { comparable, TestProject } from './support/roundtrip.js';

const rng = seededRandom;

const KINDS = [
  (n: boolean) => `fields.CharField({ maxLength: 40${n ? ', null: true' : ''} })`,
  (n: boolean) => `fields.CharField({ maxLength: 80${n ? ', null: true' : ''} })`,
  (n: boolean) => `fields.TextField({${n ? ' null: true' : ''} })`,
  (n: boolean) => `fields.IntegerField({${n ? ' null: true' : ' default: 1'} })`,
  (n: boolean) => `fields.BigIntegerField({${n ? ' null: true' : ''} })`,
  (n: boolean) => `fields.BooleanField({ default: false${n ? ', null: true' : ''} })`,
  (n: boolean) => `fields.DateTimeField({${n ? ' null: true' : ''} })`,
  (n: boolean) => `fields.ChoiceField({ choices: Mood${n ? ', null: true' : ", default: 'ok'"} })`,
  (n: boolean) => `fields.JSONField({${n ? ' null: true' : ''} })`,
  (n: boolean) => `fields.CharField({ maxLength: 40, index: true${n ? ', null: true' : ''} })`,
  (n: boolean) => `fields.DecimalField({ maxDigits: 8, decimalPlaces: 2${n ? ', null: true' : ", default: '0.00'"} })`,
];

function models(random: () => number): string {
  const moods = ['ok', 'meh', 'great', 'bad'].filter((v, i) => i === 0 || random() < 0.6);
  const lines = [`export const Mood = defineEnum('Mood', ${JSON.stringify(moods)});`];
  const tables = 1 + Math.floor(random() * 3);
  for (let t = 0; t < tables; t++) {
    const fields: string[] = [];
    const count = 1 + Math.floor(random() * 4);
    for (let f = 0; f < count; f++) {
      const kind = KINDS[Math.floor(random() * KINDS.length)];
      const name = ['alpha', 'beta', 'gamma', 'delta', 'status', 'note'][Math.floor(random() * 6)];
      if (fields.some((x) => x.startsWith(`${name}:`))) continue;
      fields.push(`${name}: ${kind(random() < 0.5)}`);
    }
    if (t > 0 && random() < 0.5) fields.push(`parent: fields.ForeignKey(() => T0, { null: true, onDelete: 'cascade' })`);
    const unique = random() < 0.3 && fields.length > 0 ? `, uniqueTogether: [['${fields[0].split(':')[0]}']]` : '';
    // Sometimes the same model under another table name: a rename candidate.
    const tablename = t === 2 && random() < 0.5 ? 'tbl2b' : `tbl${t}`;
    lines.push(`export const T${t} = defineModel('T${t}', { tablename: '${tablename}', fields: { ${fields.join(', ')} }${unique} });`);
  }
  if (random() < 0.3) lines.push(`export const V = defineView('V', { viewname: 'v_t0', sql: 'SELECT id FROM tbl0' });`);
  return lines.join('\n');
}

function answer(q: Question): Answers {
  switch (q.kind) {
    case 'rename-table':
    case 'rename-column':
    case 'rename-enum':
      return { [q.id]: 'rename' };
    case 'destructive':
      return { [q.id]: { confirm: true } };
    case 'enum-remove': {
      const map = q.choices.find((c) => typeof c.answer === 'object' && 'mapTo' in c.answer);
      return { [q.id]: map ? map.answer as Answers[string] : { deleteRows: true } };
    }
    case 'backfill': {
      const t = (q.columnType ?? '').toLowerCase();
      // Values that also convert back when a downgrade changes the type again.
      const value = /int|numeric/.test(t) ? 0 : t === 'boolean' ? false : t.startsWith('timestamp') ? '2020-01-01T00:00:00Z' : t === 'jsonb' ? {} : t === 'mood' ? 'ok' : '0';
      return { [q.id]: { value } };
    }
    case 'alter-type':
      return { [q.id]: { dropAndAdd: true } };
  }
}

// 200 pairs on the server run in under a minute (400 were run once by hand,
// all pass); PGlite costs seconds a database, so it gets a few of its own.
// FASTEDGY_TEST_RANDOM_SEEDS lowers the server's count (the per-version runs
// of scripts/test-versions.js); the default run keeps 200.
const SERVER_SEEDS = Number(process.env.FASTEDGY_TEST_RANDOM_SEEDS) || 200;
const RUNS: [Engine, number[]][] = (
  [
    ['server', Array.from({ length: SERVER_SEEDS }, (_, i) => 1000 + i)],
    ['embedded', Array.from({ length: 8 }, (_, i) => 5000 + i)],
  ] as [Engine, number[]][]
).filter(([engine]) => engines.includes(engine));

describe.each(RUNS)('random model pairs on %s', (engine, seeds) => {
  it.each(seeds)('seed %i: make, migrate, check, downgrade, upgrade', async (seed) => {
    const random = rng(seed);
    const p = await TestProject.create(engine);
    const v1 = models(random);
    const v2 = models(random);
    try {
      p.models(v1);
      expect(['written', 'no-changes']).toContain((await p.make({}, 'v1')).status);
      await p.migrate();
      const before = await p.schema();
      for (const t of before.tables) await p.db.query(`INSERT INTO "${t.name}" DEFAULT VALUES`).catch(() => undefined);
      p.models(v2);
      let answers: Answers = {};
      let made = await p.make(answers, 'v2');
      for (let round = 0; made.status === 'questions' && round < 10; round++) {
        for (const q of made.questions) answers = { ...answers, ...answer(q) };
        made = await p.make(answers, 'v2');
      }
      expect(made.status === 'written' || made.status === 'no-changes').toBe(true);
      await p.migrate();
      expect(await p.pending()).toEqual({ operations: [], questions: [] });
      if (made.status === 'written') {
        // Schema round trips here; data round trips are the scenario tests'. Rows
        // written by generated answers (a backfilled '0' in a column whose type the
        // downgrade changes back) need not fit the old schema, so they go first.
        const tables = (await p.schema()).tables.map((t) => `"${t.name}"`);
        if (tables.length) await p.db.query(`TRUNCATE ${tables.join(', ')} CASCADE`);
        await p.downgrade();
        expect(comparable(await p.schema())).toEqual(comparable(before));
        await p.migrate();
        expect((await p.pending()).operations).toEqual([]);
      }
    } catch (e) {
      // The failing pair, to reproduce by hand.
      throw new Error(`${(e as Error).message}\n--- v1 ---\n${v1}\n--- v2 ---\n${v2}`);
    } finally {
      await p.dispose();
    }
  }, 60_000);
});
