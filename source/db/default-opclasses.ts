/**
 * An operator class written out that is the column's default one
 * (`opclass: 'text_ops'` on a text column's btree index). PostgreSQL does not
 * say which class an index uses when it is the default, so introspection
 * lists none, and the model's explicit name would read as a change forever.
 * Where a model index names a class and the live index of the same name has
 * none listed at that place, the database is asked which class the live
 * index really uses; the same name is no difference. Only those indexes are
 * asked about, so a project that writes no default class pays nothing.
 */
import type { Index, Schema, Table } from '../schema/types.js';
import type { Database } from './database.js';
import { quoteIdent } from '../util/sql-text.js';

/** Live indexes of `live` whose operator classes are worth reading for `table`'s model indexes. */
function doubtful(table: Table, live: Table): Index[] {
  return table.indexes.flatMap((i) => {
    const l = live.indexes.find((x) => x.name === i.name);
    const unlisted = (k: number) => (i.opclasses?.[k] ?? null) !== null && (l?.opclasses?.[k] ?? null) === null;
    return l && l.columns.length === i.columns.length && i.columns.some((_, k) => unlisted(k)) ? [l] : [];
  });
}

const READ_SQL = `
SELECT c.relname AS name,
       ARRAY(SELECT opc.opcname FROM unnest(i.indclass::oid[]) WITH ORDINALITY AS k(oid, n)
             JOIN pg_opclass opc ON opc.oid = k.oid ORDER BY k.n)::text[] AS opclasses
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = $1::regclass AND c.relname = ANY($2::text[])`;

export async function adoptDefaultOpclasses(db: Database, current: Schema, target: Schema): Promise<Schema> {
  const liveTables = new Map(current.tables.map((t) => [t.name, t]));
  const used = new Map<string, Map<string, string[]>>(); // table → index → the classes it really uses
  for (const table of target.tables) {
    const live = liveTables.get(table.name);
    const asked = live ? doubtful(table, live) : [];
    if (asked.length === 0) continue;
    const rows = await db.query<{ name: string; opclasses: string[] }>(READ_SQL, [quoteIdent(table.name), asked.map((i) => i.name)]);
    used.set(table.name, new Map(rows.map((r) => [r.name, r.opclasses])));
  }
  if (used.size === 0) return target;
  return {
    ...target,
    tables: target.tables.map((t) => {
      const byIndex = used.get(t.name);
      if (!byIndex) return t;
      const live = liveTables.get(t.name)!;
      const indexes = t.indexes.map((i): Index => {
        const real = byIndex.get(i.name);
        if (!real || !i.opclasses) return i;
        const listed = live.indexes.find((x) => x.name === i.name)?.opclasses ?? [];
        // The default class, written out: listed as none, as introspection lists it.
        const opclasses = i.opclasses.map((o, k) => (o !== null && o === real[k] && (listed[k] ?? null) === null ? null : o));
        if (opclasses.some((o) => o !== null)) return { ...i, opclasses };
        const { opclasses: _none, ...rest } = i;
        return rest;
      });
      return { ...t, indexes };
    }),
  };
}
