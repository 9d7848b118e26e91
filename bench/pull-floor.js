// The floor of `pull`: a bare node script that connects with pg and runs the
// catalog queries pull reads the database with (the introspection and the
// objects the models cannot express), nothing else.
import pg from 'pg';
import { introspect } from '../dist/db/introspect.js';
import { readUnmodelled } from '../dist/pull/read-unmodelled.js';

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const db = { kind: 'server', label: '', query: async (sql, params) => (await client.query(sql, params)).rows, close: () => client.end() };
const schema = await introspect(db);
const unmodelled = await readUnmodelled(db);
await client.end();
process.stdout.write(`${schema.tables.length} tables, ${unmodelled.lines.length} unmodelled\n`);
