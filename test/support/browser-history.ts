/**
 * A small hand-written history for the browser tests: users, then a
 * nullable karma column, then posts (all through `op`, so the schema at
 * each revision can be replayed), and a revision that fails halfway.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG, makeProjectDir } from './cli.js';

function revision(id: string, down: string | null, message: string, up: string, downBody: string): string {
  return `/** ${message}
 *
 * Revision ID: ${id}
 * Revises: ${down ?? '<base>'}
 * Create Date: 2026-12-01 12:00:00
 */
export const revision = '${id}';
export const downRevision: string | string[] | null = ${down ? `'${down}'` : 'null'};
export const message = '${message}';

export async function upgrade(op: any): Promise<void> {
  ${up}
}

export async function downgrade(op: any): Promise<void> {
  ${downBody}
}
`;
}

const col = (name: string, type: string, nullable = false) => `{ name: '${name}', type: '${type}', nullable: ${nullable}, default: null }`;
const table = (name: string, columns: string[]) =>
  `{ name: '${name}', columns: [${columns.join(', ')}], primaryKey: { name: '${name}_pkey', columns: ['id'] }, uniques: [], indexes: [], foreignKeys: [], checks: [] }`;
const USERS = table('users', [col('id', 'bigint'), col('name', 'text')]);
const POSTS = table('posts', [col('id', 'bigint'), col('title', 'text')]);
const KARMA = col('karma', 'integer', true);

export const HISTORY = {
  '20261201_120000_aaaaaaaaaaaa_users.ts': revision('aaaaaaaaaaaa', null, 'create users', `await op.createTable({ table: ${USERS} });`, `await op.dropTable({ table: ${USERS} });`),
  '20261201_120100_bbbbbbbbbbbb_karma.ts': revision(
    'bbbbbbbbbbbb', 'aaaaaaaaaaaa', 'add karma',
    `await op.addColumn({ table: 'users', column: ${KARMA} });`,
    `await op.dropColumn({ table: 'users', column: ${KARMA} });`,
  ),
  '20261201_120200_cccccccccccc_posts.ts': revision('cccccccccccc', 'bbbbbbbbbbbb', 'create posts', `await op.createTable({ table: ${POSTS} });`, `await op.dropTable({ table: ${POSTS} });`),
};
export const FAILING = {
  '20261201_120300_dddddddddddd_broken.ts': revision(
    'dddddddddddd', 'cccccccccccc', 'a failing one',
    `await op.execute('CREATE TABLE made_before (x int)');\n  await op.execute('SELECT * FROM no_such_table');`,
    `await op.execute('DROP TABLE made_before');`,
  ),
};

/** A project directory holding `files` as its revision files; returns the versions directory. */
export function projectWith(files: Record<string, string>, extra: Record<string, string> = {}): string {
  const dir = makeProjectDir({ 'fastedgy.config.ts': CONFIG, 'models.ts': 'export {};\n', ...extra });
  mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'migrations', 'versions', name), text);
  return join(dir, 'migrations', 'versions');
}

