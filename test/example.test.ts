/**
 * The repository's migrations/ is the example project's history, written by
 * fastedgy itself: applied to a fresh embedded database, `check` must find
 * the example models and the history in agreement.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const repo = new URL('..', import.meta.url).pathname;

describe('the example project', () => {
  it('its history applies on the embedded database and matches its models', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fastedgy-example-'));
    cpSync(join(repo, 'examples', 'blog', 'models.ts'), join(dir, 'models.ts'));
    cpSync(join(repo, 'migrations'), join(dir, 'migrations'), { recursive: true });
    writeFileSync(join(dir, 'fastedgy.config.ts'), "export default { models: './models.ts', migrations: './migrations' };\n");
    const env = { DATABASE_URL: '' };
    const migrated = await runCli(['db', 'migrate'], { cwd: dir, env });
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    const check = await runCli(['db', 'check'], { cwd: dir, env });
    expect(check.stdout).toContain('No differences');
    expect(check.code).toBe(0);
    const down = await runCli(['db', 'downgrade', 'base'], { cwd: dir, env });
    expect(down.code).toBe(0);
  }, 180_000);
});
