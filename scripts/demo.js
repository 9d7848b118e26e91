#!/usr/bin/env node
// The main job, on the embedded database: the example project is copied to a
// temporary directory, migrated, given rows, then changed so that every kind
// of question comes up. On a terminal the wizard asks them; otherwise the
// questions are printed and answered from a file. The repository is left as
// it was.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'fastedgy.js');
const dir = mkdtempSync(join(tmpdir(), 'fastedgy-demo-'));
const env = { ...process.env, DATABASE_URL: '' };
const interactive = process.stdin.isTTY && process.stdout.isTTY && !process.argv.includes('--plain-demo');

function say(text) {
  const bold = process.stdout.isTTY && !process.env.NO_COLOR;
  process.stdout.write(bold ? `\n\u001b[1m» ${text}\u001b[22m\n` : `\n» ${text}\n`);
}

function fastedgy(args, { allow = [0], input } = {}) {
  process.stdout.write(`\n$ fastedgy db ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [bin, 'db', ...args], { cwd: dir, env, input, stdio: input === undefined && interactive ? 'inherit' : ['pipe', 'inherit', 'inherit'] });
  if (!allow.includes(r.status)) {
    process.stderr.write(`demo stopped: fastedgy db ${args[0]} exited ${r.status}\n`);
    process.exit(1);
  }
  return r.status;
}

/** A command's JSON output, not shown (to follow what actually happened). */
function capture(args) {
  const r = spawnSync(process.execPath, [bin, 'db', ...args, '--json'], { cwd: dir, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fastedgy db ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Whether the database is at the revisions' head (the wizard may or may not have applied what it wrote). */
function atHead() {
  return capture(['current']).current.some((c) => c.head);
}

async function sql(statements) {
  const { openEmbedded } = await import(join(repo, 'dist', 'db', 'connect.js'));
  const db = await openEmbedded(join(dir, '.fastedgy', 'pgdata'));
  try {
    for (const s of statements) await db.query(s);
  } finally {
    await db.close();
  }
}

class StopDemo extends Error {}

try {
  cpSync(join(repo, 'examples', 'blog', 'models.ts'), join(dir, 'models.ts'));
  cpSync(join(repo, 'migrations'), join(dir, 'migrations'), { recursive: true });
  writeFileSync(
    join(dir, 'fastedgy.config.ts'),
    "import { defineConfig } from 'fastedgy';\nexport default defineConfig({ models: './models.ts', migrations: './migrations' });\n",
  );
  say(`The example project, copied to ${dir}, on the embedded database (no server).`);
  fastedgy(['history']);
  fastedgy(['migrate']);
  say('Some rows, three of them holding the status the next change removes.');
  await sql([
    `INSERT INTO users (name, status, email) VALUES ('Ada', 'active', 'ada@example.com'), ('Grace', 'suspended', NULL), ('Linus', 'suspended', NULL), ('Barbara', 'inactive', NULL), ('Ken', 'suspended', NULL)`,
    `INSERT INTO documents (title, embedding, owner_id) SELECT 'Notes of ' || name, array_fill(0.5, ARRAY[1536])::vector, id FROM users WHERE name = 'Ada'`,
  ]);
  say('The models change: name → display_name, "suspended" leaves UserStatus, a new NOT NULL column karma.');
  cpSync(join(repo, 'examples', 'blog', 'models.next.ts'), join(dir, 'models.ts'));
  const versions = join(dir, 'migrations', 'versions');
  const before = readdirSync(versions).length;
  if (interactive) {
    fastedgy(['makemigrations', '-m', 'display names and karma'], { allow: [0, 2, 130] });
    // Follow what actually happened: the wizard may have been left, or its revision not applied.
    if (readdirSync(versions).length === before) {
      say('No revision was written, so nothing changed: the database and its rows are as they were. The demo ends here.');
      process.exitCode = 0;
      throw new StopDemo();
    }
    if (!atHead()) {
      say('The revision is written but was not applied; the demo applies it now.');
      fastedgy(['migrate']);
    }
  } else {
    fastedgy(['makemigrations'], { allow: [2] });
    const answers = {
      'rename-column:users.name->users.display_name': 'rename',
      'enum-remove:userstatus.suspended': { mapTo: 'inactive' },
      'backfill:users.karma': { value: 10 },
    };
    say(`Answering them from a file:\n${JSON.stringify(answers, null, 2)}`);
    writeFileSync(join(dir, 'answers.json'), JSON.stringify(answers, null, 2));
    fastedgy(['makemigrations', '--answers', 'answers.json', '-m', 'display names and karma']);
    const newest = readdirSync(versions).sort().at(-1);
    say(`The revision it wrote, ${newest}:`);
    process.stdout.write(readFileSync(join(versions, newest), 'utf8'));
    fastedgy(['migrate']);
  }
  fastedgy(['current']);
  fastedgy(['check'], { allow: [0, 3] });
  // Only the revision the demo wrote (and applied) is stepped back, never the example's own history.
  // What the rows become was the user's answer on a terminal: say only what holds whatever it was.
  const kept = interactive ? 'what your answers did to the rows stays done' : 'the mapped rows stay "inactive"';
  say(`And one step back, undoing only the revision just written: the schema is as it was (${kept}; the karma column goes, with its values).`);
  fastedgy(['downgrade', '-1']);
  fastedgy(['current']);
} catch (e) {
  if (!(e instanceof StopDemo)) throw e;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
