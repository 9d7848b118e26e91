// The floor of `current` on the embedded database: a bare node script that
// opens PGlite on the project's data directory (as `current` must) and reads
// the version table, nothing else — no pgvector, no pg adapter.
import { PGlite } from '@electric-sql/pglite';

const db = await PGlite.create(process.argv[2]);
const { rows } = await db.query('SELECT version_num FROM fastedgy_version');
await db.close();
process.stdout.write(`${rows.map((r) => r.version_num).join('\n')}\n`);
