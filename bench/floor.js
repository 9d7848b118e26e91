// The floor: a bare node script that connects with pg and runs the same
// catalog queries makemigrations runs (the introspection), nothing else.
import pg from 'pg';
import { introspect } from '../dist/db/introspect.js';

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const db = { kind: 'server', label: '', query: async (sql, params) => (await client.query(sql, params)).rows, close: () => client.end() };
const schema = await introspect(db);
await client.end();
process.stdout.write(`${schema.tables.length} tables\n`);
