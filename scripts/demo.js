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

async function sql(statements) {
  const { openEmbedded } = await import(join(repo, 'dist', 'db', 'connect.js'));
  const db = await openEmbedded(join(dir, '.fastedgy', 'pgdata'));
  try {
    for (const s of statements) await db.query(s);
  } finally {
    await db.close();
  }
}

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
  if (interactive) {
    fastedgy(['makemigrations', '-m', 'display names and karma'], { allow: [0, 2, 130] });
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
    const versions = join(dir, 'migrations', 'versions');
    const newest = readdirSync(versions).sort().at(-1);
    say(`The revision it wrote, ${newest}:`);
    process.stdout.write(readFileSync(join(versions, newest), 'utf8'));
    fastedgy(['migrate']);
  }
  fastedgy(['current']);
  fastedgy(['check'], { allow: [0, 3] });
  say('And one step back: the schema is as it was (the mapped rows stay "inactive").');
  fastedgy(['downgrade', '-1']);
  fastedgy(['current']);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
