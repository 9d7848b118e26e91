// The floor of `current`: a bare node script that connects with pg and reads
// the version table, nothing else.
import pg from 'pg';

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const { rows } = await client.query('SELECT version_num FROM fastedgy_version');
await client.end();
process.stdout.write(`${rows.map((r) => r.version_num).join('\n')}\n`);
