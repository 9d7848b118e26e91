/** Runs the real CLI (`bin/fastedgy.js`, built into dist/) as a user would. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/fastedgy.js', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; input?: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
    delete env.VITEST; // the CLI must load TypeScript itself, as for a user
    delete env.VITEST_WORKER_ID;
    delete env.VITEST_POOL_ID;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A project directory with a config and the given files. */
export function makeProjectDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fastedgy-cli-'));
  for (const [name, text] of Object.entries(files)) {
    const file = join(dir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

export const CONFIG = `import { defineConfig } from 'fastedgy';
export default defineConfig({ models: './models.ts', migrations: './migrations', databaseUrl: process.env.DATABASE_URL });
`;

/**
 * A hand-written revision file: `up` and `down` are the bodies of
 * upgrade(op) and downgrade(op); `extra` goes among the exports
 * (`export const transactional = false;`).
 */
export function handRevision(id: string, down: string | string[] | null, up: string, downBody: string, extra = ''): string {
  return `export const revision = '${id}';
export const downRevision = ${JSON.stringify(down)};
export const message = 'rev ${id}';
${extra}
export async function upgrade(op: any) { ${up} }
export async function downgrade(op: any) { ${downBody} }
`;
}
