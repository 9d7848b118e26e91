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
import { columnSequences } from './support/sequences.js';
import { identitySequenceName } from '../source/schema/sequence-names.js';

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

/**
 * Models that make renames meet what depends on the renamed names: a table
 * (`authors`/`writers`, and `books`/`volumes` with a many-to-many through
 * table named after it), columns (`title`/`label`, `deleted_at`/`removed_at`)
 * read by a view and named in a partial index's WHERE, an enum (`mood`/
 * `feeling`) used by a default and an array, an explicit identity key of
 * either kind and size, and foreign keys between the tables.
 */
function wideModels(random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const maybe = (p: number, text: string) => (random() < p ? [text] : []);
  const moods = ['ok', 'meh', 'great', 'bad'].filter((v, i) => i === 0 || random() < 0.6);
  const lines = [`export const Mood = defineEnum('${pick(['Mood', 'Mood', 'Feeling'])}', ${JSON.stringify(moods)});`];
  const key = (): string[] => {
    const identity = pick([null, 'always', 'by default']);
    return identity ? [`id: fields.${pick(['BigIntegerField', 'IntegerField'])}({ primaryKey: true, identity: '${identity}' })`] : [];
  };
  const parent = pick(['authors', 'writers']);
  const title = pick(['title', 'label']);
  const gone = pick(['deleted_at', 'removed_at']);
  const parentFields = [
    ...key(),
    `${title}: fields.CharField({ maxLength: ${pick([40, 80])} })`,
    `${gone}: fields.DateTimeField({ null: true })`,
    // Defaults name any value of this version, so one a revision adds is often used at once.
    ...maybe(0.6, `mood: fields.ChoiceField({ choices: Mood, default: '${pick(moods)}'${random() < 0.3 ? ', null: true' : ''} })`),
    ...maybe(0.4, `moods: fields.ArrayField(fields.ChoiceField({ choices: Mood }), { null: true })`),
    ...maybe(0.4, `scores: fields.ArrayField(fields.IntegerField(), { null: true })`),
    ...maybe(0.3, `email: fields.EmailField({ unique: true, null: true })`),
  ];
  const indexes = [
    ...maybe(0.5, `{ fields: ['${title}'], where: '${gone} IS NULL' }`),
    ...maybe(0.3, `{ fields: ['${title}'], unique: true, where: "${gone} IS NULL AND ${title} <> ''" , name: 'live_title_uq' }`),
  ];
  lines.push(`export const Author = defineModel('Author', { tablename: '${parent}', timestamps: ${random() < 0.5}, fields: { ${parentFields.join(', ')} }${indexes.length ? `, indexes: [${indexes.join(', ')}]` : ''} });`);
  if (random() < 0.8) {
    const child = pick(['books', 'volumes']);
    const childFields = [
      ...key(),
      `name: fields.TextField({ null: true })`,
      ...maybe(0.7, `author: fields.ForeignKey(() => Author, { onDelete: '${pick(['cascade', 'set null'])}', null: true })`),
      ...maybe(0.4, `readers: fields.ManyToManyField(() => Author)`),
      ...maybe(0.3, `kind: fields.ChoiceField({ choices: Mood, default: '${pick(moods)}' })`),
    ];
    lines.push(`export const Book = defineModel('Book', { tablename: '${child}', timestamps: false, fields: { ${childFields.join(', ')} } });`);
  }
  if (random() < 0.5) {
    const where = random() < 0.5 ? ` WHERE ${gone} IS NULL` : '';
    lines.push(`export const V = defineView('V', { viewname: 'v_live', sql: 'SELECT id, ${title} FROM ${parent}${where}' });`);
  }
  return lines.join('\n');
}

function answer(q: Question): Answers {
  switch (q.kind) {
    case 'rename-table':
      // A model table renamed into a many-to-many through table would get a
      // backfilled 0 in its foreign key columns, which no row can point at.
      return { [q.id]: /_readers$/.test(q.id) ? 'drop' : 'rename' };
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
      const value = t.endsWith('[]') ? [] : /int|numeric/.test(t) ? 0 : t === 'boolean' ? false : t.startsWith('timestamp') ? '2020-01-01T00:00:00Z' : t === 'jsonb' ? {} : t === 'mood' ? 'ok' : '0';
      return { [q.id]: { value } };
    }
    case 'alter-type':
      return { [q.id]: { dropAndAdd: true } };
  }
}

// Seeds run once by hand with the fresh-build oracle: 500 server pairs of
// wideModels (FASTEDGY_TEST_RANDOM_SEEDS=500), all pass but one whose generated
// answers renamed a model table into a through table (see answer()); the first
// generator at its default count. The default run keeps 100 + 60 server pairs
// (each builds a second, fresh database) to stay near two minutes;
// PGlite costs seconds a database, so it gets a few of its own.
// FASTEDGY_TEST_RANDOM_SEEDS sets the server's count for both generators.
const SERVER_SEEDS = Number(process.env.FASTEDGY_TEST_RANDOM_SEEDS) || 0;
const runs = (server: number, base: number, embedded: number): [Engine, number[]][] =>
  (
    [
      ['server', Array.from({ length: SERVER_SEEDS || server }, (_, i) => base + i)],
      ['embedded', Array.from({ length: embedded }, (_, i) => base + 4000 + i)],
    ] as [Engine, number[]][]
  ).filter(([engine]) => engines.includes(engine));

/**
 * One pair: v1 made and migrated (a row in each table), v2 made with
 * generated answers and migrated; then nothing is left to change, the
 * database equals a fresh build of v2 (names of keys, indexes, constraints
 * and identity sequences included), and the downgrade gives v1's schema back.
 */
async function roundTrip(engine: Engine, v1: string, v2: string): Promise<void> {
  const p = await TestProject.create(engine);
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
    const migrated = await p.schema();
    expect(comparable(migrated)).toEqual(comparable(await p.freshBuild(engine)));
    // Read from the catalog, not through introspection: every identity
    // sequence has the name PostgreSQL gives a new table's.
    const sequences = await columnSequences(p.db);
    const expected = Object.fromEntries(
      migrated.tables.flatMap((t) => t.columns.filter((c) => c.identity).map((c) => [`${t.name}.${c.name}`, identitySequenceName(t.name, c.name)])),
    );
    expect(sequences).toEqual(expected);
    if (made.status === 'written') {
      // Schema round trips here; data round trips are the scenario tests'. Rows
      // written by generated answers (a backfilled '0' in a column whose type the
      // downgrade changes back) need not fit the old schema, so they go first.
      const tables = migrated.tables.map((t) => `"${t.name}"`);
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
}

describe.each(runs(100, 1000, 4))('random model pairs on %s', (engine, seeds) => {
  it.each(seeds)('seed %i: make, migrate, check, fresh build, downgrade, upgrade', async (seed) => {
    const random = rng(seed);
    await roundTrip(engine, models(random), models(random));
  }, 60_000);
});

describe.each(runs(60, 20000, 3))('random renames among views, partial indexes, enums, arrays, identity and foreign keys on %s', (engine, seeds) => {
  it.each(seeds)('seed %i: make, migrate, check, fresh build, downgrade, upgrade', async (seed) => {
    const random = rng(seed);
    await roundTrip(engine, wideModels(random), wideModels(random));
  }, 60_000);
});
